"""The access log of personal data (UU PDP 27/2022): who saw a full NIK or sensitive data, who
exported a list, who downloaded a file, when, from where.

Views call ``catat_akses`` once per request with every person the page shows: one
``bulk_create``, one INSERT, whatever the number of rows (never one query per row). The rows are
``akun.models.LogAkses``: append-only, read on a person's log page (``penduduk:akses``, Admin and
Staf) and in the back office (Admin, read-only).

What is logged (README, "Log akses data pribadi"):
- ``lihat_nik``: a page showed a person's full NIK (Admin, Staf, PSM; Pimpinan sees it masked);
- ``lihat_sensitif``: a page showed a person's sensitive data (a disability, a sensitive PPKS
  jenis: HIV/ODHA, ABH, victims, ...), with or without the NIK. It outranks ``lihat_nik``;
- ``ekspor``: one row per export (list, filters, format, row count), no person;
- ``unduh_berkas``: one row per private file served (``akun.berkas_privat.sajikan_gambar`` with
  ``request=``: the visit photo; a file view of its own calls ``catat_akses`` itself).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.db import models

from akun.alamat_ip import alamat_ip_klien
from akun.models import AksiAkses, LogAkses
from akun.permissions import lihat_nik_lengkap

Aksi = AksiAkses
_PANJANG_RINCIAN = LogAkses._meta.get_field("rincian").max_length
_PANJANG_URL = LogAkses._meta.get_field("nama_url").max_length


def _alamat(request) -> str | None:
    """The client address as the column takes it (None for anything that is not an IP address)."""
    try:
        return str(ipaddress.ip_address(alamat_ip_klien(request) or ""))
    except ValueError:
        return None


def _ringkas(teks: str, panjang: int) -> str:
    teks = str(teks or "")
    return teks if len(teks) <= panjang else teks[: panjang - 1] + "…"


def catat_akses(
    request,
    aksi: str,
    penduduk_ids: Iterable[int | None] = (),
    *,
    sensitif: Iterable[int] = (),
    objek: models.Model | None = None,
    rincian: str = "",
) -> list[LogAkses]:
    """Log one access per person shown (``penduduk_ids``), in one INSERT.

    ``sensitif``: the ids among them whose sensitive data the page showed (their row reads
    ``lihat_sensitif`` instead of ``aksi``). ``objek``: the record the page is about (a household,
    a PPKS registration, a case, a visit); with no person, one row names only the object (an
    export, a household without a NIK shown, a case with no person linked). Nothing to name:
    nothing written (an empty list page).
    """
    user = request.user
    if user is None or not user.is_authenticated:
        return []
    ids = list(dict.fromkeys(i for i in penduduk_ids if i is not None))
    if not ids and objek is None and aksi in (Aksi.LIHAT_NIK, Aksi.LIHAT_SENSITIF):
        return []
    sensitif = set(sensitif)
    match = getattr(request, "resolver_match", None)
    umum = {
        "user_id": user.pk,
        "nama_pengguna": user.get_username(),
        "peran": user.peran_efektif,
        "jenis_objek": objek._meta.label_lower if objek is not None else "",
        "objek_id": objek.pk if objek is not None else None,
        "nama_url": _ringkas(match.view_name if match else "", _PANJANG_URL),
        "rincian": _ringkas(rincian, _PANJANG_RINCIAN),
        "alamat_ip": _alamat(request),
    }
    baris = [
        LogAkses(penduduk_id=pid, aksi=Aksi.LIHAT_SENSITIF if pid in sensitif else aksi, **umum) for pid in ids
    ] or [LogAkses(penduduk_id=None, aksi=aksi, **umum)]
    return LogAkses.objects.bulk_create(baris)


# --- what the pages call ------------------------------------------------------------------------


def catat_lihat_daftar(
    request, orang: Iterable, *, sensitif_ids: Iterable[int] = (), objek: models.Model | None = None
) -> list[LogAkses]:
    """The people a page shows (a list page, a household's members): those whose full NIK the
    viewer saw (``lihat_nik_lengkap``: not Pimpinan) and those whose sensitive data it showed.
    One INSERT for the page. A household page (``objek`` with a ``no_kk``) seen with numbers whole
    is logged even when no member has a NIK (its No KK was shown)."""
    lengkap = lihat_nik_lengkap(request.user)
    sensitif_ids = set(sensitif_ids)
    ids = [o.pk for o in orang if o is not None and ((lengkap and o.nik) or o.pk in sensitif_ids)]
    if not ids and not (lengkap and objek is not None and getattr(objek, "no_kk", None)):
        return []
    return catat_akses(request, Aksi.LIHAT_NIK, ids, sensitif=sensitif_ids, objek=objek)


def catat_lihat(request, orang, *, sensitif: bool = False, objek: models.Model | None = None) -> list[LogAkses]:
    """One record's page: ``orang`` (may be None: a case with nobody linked, or hidden from the
    viewer) and whether the page showed sensitive data about them (a disability, a sensitive PPKS
    jenis). A page with the NIK masked and nothing sensitive is not logged."""
    if orang is None:
        return catat_akses(request, Aksi.LIHAT_SENSITIF, objek=objek) if sensitif and objek is not None else []
    return catat_lihat_daftar(request, [orang], sensitif_ids=[orang.pk] if sensitif else (), objek=objek)


def ppks_sensitif(daftar_ppks: Iterable) -> bool:
    """Whether any of these PPKS registrations has a sensitive jenis (``jenis`` already loaded)."""
    return any(p.jenis.sensitif for p in daftar_ppks)
