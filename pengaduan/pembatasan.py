"""Rate limits of the public pages, per client address, in the database (``PermintaanPublik``).

Why the database: Django's cache here is a LocMemCache, private to each gunicorn worker, so a
limit kept there would be "5 per hour per worker" and would reset on every restart. A table works
the same on SQLite, on PostgreSQL, with any number of workers and machines. Its cost is one
indexed COUNT and one INSERT per public request, which the public pages can afford.

The address is the one ``akun.alamat_ip`` reads (the X-Forwarded-For entry written by our own
proxy when ``TRUSTED_PROXY_COUNT`` is set). It is stored only as an HMAC keyed with SECRET_KEY.

The check and the record are two statements: two requests racing at the limit can both pass, so
an address may exceed the limit by the number of requests it sends at the very same moment. That
is acceptable for a spam brake; it is not a quota.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from akun.alamat_ip import alamat_ip_klien
from pengaduan.choices import JenisPermintaan
from pengaduan.models import PermintaanPublik

JENDELA = timedelta(hours=1)


def batas(jenis: str) -> int:
    if jenis == JenisPermintaan.KIRIM:
        return settings.PENGADUAN_KIRIM_PER_JAM
    return settings.PENGADUAN_LACAK_PER_JAM


def kunci_klien(request, jenis: str) -> str:
    alamat = alamat_ip_klien(request) or "tanpa-alamat"
    pesan = f"pengaduan:{jenis}:{alamat}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), pesan, hashlib.sha256).hexdigest()


def melebihi_batas(request, jenis: str) -> bool:
    """Whether this address has used up its requests of ``jenis`` in the last hour."""
    sejak = timezone.now() - JENDELA
    kunci = kunci_klien(request, jenis)
    jumlah = PermintaanPublik.objects.filter(jenis=jenis, kunci=kunci, waktu__gte=sejak)[: batas(jenis)].count()
    return jumlah >= batas(jenis)


def catat(request, jenis: str) -> None:
    """Count one request of ``jenis`` from this address, and drop every expired row (one indexed
    DELETE: the table holds at most an hour of public requests)."""
    sekarang = timezone.now()
    kunci = kunci_klien(request, jenis)
    PermintaanPublik.objects.filter(waktu__lt=sekarang - JENDELA).delete()
    PermintaanPublik.objects.create(jenis=jenis, kunci=kunci, waktu=sekarang)
