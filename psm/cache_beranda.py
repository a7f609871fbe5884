"""The PSM home, rendered once and served again while nothing it shows has changed.

A PSM opens their home dozens of times a day; building it costs ~25 ms of Python and 15 queries at
1,000,000 persons (issue 13 point 5: its p95 at most 10 times a trivial page's). The rendered HTML
is kept in the ``beranda`` cache (settings.CACHES: the local memory of each process) under a key
that names everything the page depends on:

* the account, its name and role, and its kelurahan (a reassigned PSM gets new keys at once);
* the caseload version of those kelurahan (``psm.jurnal.versi``): the database appends a row on
  every write to what the page shows, whatever the path (PPKS, cases, visits, extreme-poor stays,
  persons, households, distributions, alerts, jenis, kelurahan names). It is read *before* the
  page is built, so a write that lands meanwhile changes it and is never hidden;
* the day (the "terlambat 12 hari" lines and the order of need move at midnight), the visit
  intervals and the language;
* the minute, for the whole page and the cases: the case clock ("3 jam lagi") counts whole
  minutes, so it is at most one minute old, like the clock itself.

Three entries per PSM: the whole page (per minute), the "Perlu dikunjungi" list (per day: a new
minute does not render the 30 subjects again) and the cases (per minute). The page holds CSRF
tokens (the logout and "Tandai dibaca" forms): it is rendered with a placeholder, which each
response replaces with that request's own token. A page with a one-time message to show is never
kept (the view renders it). A stale key is never read again; the cache's culling drops it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import caches
from django.db import connection
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from psm import jurnal
from psm.jadwal import interval_hari

ALIAS = "beranda"
# Rendered in place of the CSRF token; never a valid token (tokens are 64 letters and digits).
TANDA_CSRF = "__token-csrf-per-permintaan__"


def siapkan(user) -> tuple[int, int]:
    """One query for what every request of the page needs first: the account's kelurahan, the
    caseload version of those kelurahan (read before anything the page shows) and whether the
    account accepted the latest pledge. Kept on the user as ``kelurahan_ids()`` and
    ``sudah_ikrar`` read them (psm.services), so the pledge gate and the scoping ask nothing more.
    Three queries of the ORM in one: the page served from the cache runs 3 in all."""
    from akun.models import User
    from psm.models import Ikrar, PersetujuanIkrar

    wilayah = User.kelurahan.through._meta.db_table
    ikrar, setuju = Ikrar._meta.db_table, PersetujuanIkrar._meta.db_table
    versi_sql = jurnal.sql_versi(f"SELECT kelurahan_id FROM {wilayah} WHERE user_id = %s")  # noqa: S608 (table names)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT 'k', kelurahan_id, 0 FROM {wilayah} WHERE user_id = %s "  # noqa: S608 (table names)
            f"UNION ALL SELECT 'v', v.* FROM ({versi_sql}) v "
            f"UNION ALL SELECT 'i', (SELECT COUNT(*) FROM {setuju} WHERE user_id = %s AND ikrar_id = "
            f"(SELECT id FROM {ikrar} ORDER BY versi DESC LIMIT 1)), (SELECT COUNT(*) FROM {ikrar})",
            [user.pk, user.pk, user.pk],
        )
        baris = cur.fetchall()
    user._kelurahan_ids = sorted(k for jenis, k, _n in baris if jenis == "k")
    ((_j, diterima, ada_ikrar),) = [b for b in baris if b[0] == "i"]
    user._sudah_ikrar = not ada_ikrar or bool(diterima)
    ((_j, *terbaca),) = [b for b in baris if b[0] == "v"]
    return jurnal.versi(user._kelurahan_ids, terbaca=tuple(terbaca))


def menit() -> str:
    return f"{timezone.localtime():%H%M}"


def _identitas(user) -> str:
    """What the page shows of the account itself (name, role, back-office link), as a short hash."""
    teks = "|".join(map(str, (user.username, user.get_full_name(), user.peran_efektif, user.pengelola)))
    return hashlib.blake2s(teks.encode(), digest_size=8).hexdigest()


def kunci(user, bagian: str, versi: tuple[int, int], *lain: object) -> str:
    kel = ",".join(map(str, sorted(user.kelurahan_ids())))
    interval = f"{interval_hari('ppks')}-{interval_hari('miskin_ekstrem')}"
    bagian_lain = ":".join(map(str, lain))
    return (
        f"psm-beranda:{bagian}:{user.pk}:{user.peran}:{kel}:{versi[0]}-{versi[1]}:"
        f"{timezone.localdate():%Y%m%d}:{interval}:{translation.get_language()}:{bagian_lain}"
    )


def ambil(user, bagian: str, versi: tuple[int, int], buat: Callable[[], str], *lain: object) -> SafeString:
    """The cached HTML of one part, or ``buat()`` (a template render, autoescaped) kept for next time."""
    cache = caches[ALIAS]
    k = kunci(user, bagian, versi, *lain)
    html = cache.get(k)
    if html is None:
        html = str(buat())
        cache.set(k, html)
    return mark_safe(html)  # noqa: S308  (rendered by the template engine with autoescape on)


def halaman(request, versi: tuple[int, int], buat: Callable[[], str]) -> str:
    """The whole page for this request: cached or built by ``buat()`` (rendered with ``TANDA_CSRF``
    as the CSRF token), with this request's own token put in."""
    html = ambil(request.user, "halaman", versi, buat, menit(), _identitas(request.user))
    return html.replace(TANDA_CSRF, get_token(request))
