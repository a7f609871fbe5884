"""Export of every list page to xlsx and csv: the page's own queryset, its filters, its role rules.

A list view declares its columns once (``kolom_ekspor``: header and value accessor) and mixes in
``EksporMixin``; ``?unduh=xlsx`` or ``?unduh=csv`` on the same list URL returns the file. The URL
name is the page's, so the permission map needs no entry, and the filters apply because the rows
come from the view's own ``get_queryset`` (``for_user`` and the filter form).

- Who: Admin, Staf and Pimpinan (``boleh_ekspor``). A PSM gets no button and a 403 for the query
  parameter: bulk export of a kelurahan's registry is a back-office act.
- What a role sees masked stays masked: a ``Kolom.nomor`` (NIK, No KK) is masked with the very
  helper the templates use (``lihat_nik_lengkap`` / ``samarkan``), a ``Kolom.lahir`` becomes the
  age in years for those roles; the sensitive PPKS jenis rule lives in the querysets
  (``PPKS.objects.terlihat_oleh``) and in ``ppks.templatetags.kasus.jenis_untuk``, which the
  views' accessors reuse.
- Safety: text starting with ``= + - @`` (or a tab / carriage return) gets a leading apostrophe
  (formula injection, OWASP "CSV injection"); characters XML forbids are removed from xlsx cells.
- Size: at most ``EKSPOR_MAKS_BARIS`` rows (setting or environment, default 100,000), checked with
  a count bounded at the limit + 1; a larger list is refused with a message asking to narrow the
  filters (a redirect back to the page), never a 500. Rows are read with ``.iterator(chunk_size=
  2000)``; the per-page summaries (``siapkan_halaman``) run once per chunk of 2,000 rows, so the
  number of queries does not grow with the rows.
- xlsx: openpyxl in write-only mode (rows go to a temporary file as they are written; memory stays
  flat), NIK/No KK as string cells with number format ``@`` (text). csv: streamed
  (``StreamingHttpResponse``), UTF-8 with BOM, ``;`` as separator (the list separator of Excel
  under Indonesian regional settings, where ``,`` is the decimal mark).
- Every export is logged on the ``payakumbuh.ekspor`` logger and, durably, in the access log
  (``akun.akses``, aksi ``ekspor``: one row per export with the list, filters, format and row count;
  the persons in the file are not listed one by one).
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from akun.akses import Aksi, catat_akses
from akun.daftar import HasilBertingkat
from akun.permissions import lihat_nik_lengkap
from akun.roles import Peran
from penduduk.nik import samarkan
from penduduk.umur import umur_pada

logger = logging.getLogger("payakumbuh.ekspor")

PARAM = "unduh"
FORMAT = ("xlsx", "csv")
PERAN_EKSPOR = frozenset({Peran.ADMIN, Peran.STAF, Peran.PIMPINAN})
UKURAN_POTONGAN = 2000
MAKS_BARIS_BAWAAN = 100_000
PEMISAH_CSV = ";"
MIME_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_AWAL_RUMUS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 forbids (openpyxl refuses them with IllegalCharacterError: a 500).
_KARAKTER_TERLARANG = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def maks_baris() -> int:
    """``EKSPOR_MAKS_BARIS`` from settings, else the environment, else 100,000."""
    nilai = getattr(settings, "EKSPOR_MAKS_BARIS", None)
    if nilai is None:
        nilai = os.environ.get("EKSPOR_MAKS_BARIS", "")
    try:
        angka = int(nilai)
    except (TypeError, ValueError):
        return MAKS_BARIS_BAWAAN
    return angka if angka > 0 else MAKS_BARIS_BAWAAN


def boleh_ekspor(user) -> bool:
    """Admin, Staf and Pimpinan export lists; a PSM does not (README "Ekspor")."""
    return bool(user and user.is_authenticated and user.peran_efektif in PERAN_EKSPOR)


def aman(teks: str) -> str:
    """Text as a cell may hold it: an apostrophe before a leading = + - @ tab or CR, so that no
    spreadsheet takes it as a formula."""
    return "'" + teks if teks.startswith(_AWAL_RUMUS) else teks


def nama_akun(user) -> str | None:
    """An account as the pages name it (full name, else username); None for no account."""
    if user is None:
        return None
    return user.get_full_name() or user.username


# --- columns ----------------------------------------------------------------------------------

BIASA, NOMOR, LAHIR = "biasa", "nomor", "lahir"


def _ambil(obj, jalur: str):
    """``"penduduk.kelurahan.nama"`` read from ``obj``; None on a missing link; methods called
    (``get_status_display``)."""
    nilai = obj
    for bagian in jalur.split("."):
        if nilai is None:
            return None
        nilai = getattr(nilai, bagian, None)
    return nilai() if callable(nilai) else nilai


@dataclass(frozen=True)
class Kolom:
    """One column of an export: its header and how to read the value from a row.

    ``nilai``: an attribute path (``"kelurahan.nama"``, ``"get_status_display"``) or a callable of
    the row. ``jenis``: ``NOMOR`` for NIK / No KK (text cell; masked for roles that see them
    masked), ``LAHIR`` for a birth date (the age in years for those roles, as on the page).
    """

    judul: str
    nilai: str | Callable[[Any], Any]
    jenis: str = BIASA
    lebar: int | None = None

    @classmethod
    def nomor(cls, judul: str, nilai, **kw) -> Kolom:
        return cls(judul, nilai, NOMOR, **kw)

    @classmethod
    def lahir(cls, nilai, **kw) -> Kolom:
        """A birth date; its header ("Tanggal lahir" or "Umur (tahun)") depends on the user."""
        return cls("", nilai, LAHIR, **kw)

    def baca(self, obj):
        return self.nilai(obj) if callable(self.nilai) else _ambil(obj, self.nilai)


@dataclass(frozen=True)
class _KolomSiap:
    """A column resolved for one user: header and a function row -> cell value."""

    judul: str
    baca: Callable[[Any], Any]
    teks: bool  # NIK / No KK: always a text cell
    lebar: int


def _siapkan_kolom(kolom: Iterable[Kolom], user) -> list[_KolomSiap]:
    lengkap = lihat_nik_lengkap(user)
    hari_ini = timezone.localdate()
    hasil = []
    for k in kolom:
        judul, baca = str(k.judul), k.baca
        if k.jenis == NOMOR and not lengkap:
            baca = (lambda b: lambda o: samarkan(b(o)) or None)(k.baca)
        elif k.jenis == LAHIR:
            judul = k.judul or str(_("Tanggal lahir"))
            if not lengkap:  # the birth date is the middle of the NIK: the age only, as on the page
                judul = str(_("Umur (tahun)"))
                baca = (lambda b: lambda o: umur_pada(t, hari_ini) if (t := b(o)) else None)(k.baca)
        lebar = k.lebar or (20 if k.jenis == NOMOR else max(10, min(len(judul) + 4, 40)))
        hasil.append(_KolomSiap(judul, baca, k.jenis == NOMOR, lebar))
    return hasil


def _nilai_sel(nilai):
    """A Python value as a cell value: lazy strings and lists as text, booleans as Ya/Tidak,
    aware datetimes in local time (WIB) without zone (Excel has none)."""
    if nilai is None:
        return None
    if isinstance(nilai, bool):
        return _("Ya") if nilai else _("Tidak")
    if isinstance(nilai, dt.datetime):
        if timezone.is_aware(nilai):
            nilai = timezone.localtime(nilai).replace(tzinfo=None)
        return nilai.replace(microsecond=0)
    if isinstance(nilai, (dt.date, int, float, Decimal)):
        return nilai
    if isinstance(nilai, (list, tuple, set)):
        nilai = ", ".join(str(v) for v in nilai)
    return aman(str(nilai))


# --- rows -------------------------------------------------------------------------------------


def _bagian(daftar) -> list[QuerySet]:
    """The querysets behind a list: a ``HasilBertingkat`` (name search) is read part by part, each
    in its own order, without the page's count cap (the export has its own)."""
    if isinstance(daftar, HasilBertingkat):
        return list(daftar.bagian)
    return [daftar]


def hitung_terbatas(bagian: list[QuerySet], batas: int) -> int:
    """Rows in the parts, counted up to ``batas`` + 1 at most (COUNT over a LIMIT subquery)."""
    total = 0
    for qs in bagian:
        if total > batas:
            break
        total += qs.order_by()[: batas + 1 - total].count()
    return total


def baris_berpotongan(bagian: list[QuerySet], siapkan: Callable[[list], None]) -> Iterator[list]:
    """Rows in chunks of ``UKURAN_POTONGAN``, each chunk passed to ``siapkan`` (the page summaries)
    first: a fixed number of queries per chunk, never per row."""
    for qs in bagian:
        it = qs.iterator(chunk_size=UKURAN_POTONGAN)
        while potongan := list(islice(it, UKURAN_POTONGAN)):
            siapkan(potongan)
            yield potongan


# --- writers ----------------------------------------------------------------------------------


def tulis_xlsx(kolom: list[_KolomSiap], potongan: Iterable[list], judul: str):
    """An xlsx in a temporary file (write-only workbook: rows are flushed as they are written)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=judul[:31] or "Data")
    ws.freeze_panes = "A2"
    for i, k in enumerate(kolom, start=1):
        ws.column_dimensions[get_column_letter(i)].width = k.lebar
    tebal = Font(bold=True)

    def kepala(teks):
        sel = WriteOnlyCell(ws, value=teks)
        sel.font = tebal
        return sel

    ws.append([kepala(k.judul) for k in kolom])
    for rows in potongan:
        for obj in rows:
            sel_baris = []
            for k in kolom:
                nilai = _nilai_sel(k.baca(obj))
                if isinstance(nilai, str):
                    nilai = _KARAKTER_TERLARANG.sub("", nilai)
                if k.teks and nilai is not None:
                    sel = WriteOnlyCell(ws, value=str(nilai))
                    sel.number_format = "@"
                    nilai = sel
                elif isinstance(nilai, dt.datetime):
                    sel = WriteOnlyCell(ws, value=nilai)
                    sel.number_format = "DD/MM/YYYY HH:MM"
                    nilai = sel
                elif isinstance(nilai, dt.date):
                    sel = WriteOnlyCell(ws, value=nilai)
                    sel.number_format = "DD/MM/YYYY"
                    nilai = sel
                sel_baris.append(nilai)
            ws.append(sel_baris)
    berkas = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it, which deletes it)
    wb.save(berkas)
    berkas.seek(0)
    return berkas


class _Gema:
    """A file-like object that hands back what is written (csv.writer into a generator)."""

    def write(self, teks):
        return teks


def _teks_csv(nilai) -> str:
    if nilai is None:
        return ""
    if isinstance(nilai, dt.datetime):
        return f"{nilai:%d/%m/%Y %H:%M}"
    if isinstance(nilai, dt.date):
        return f"{nilai:%d/%m/%Y}"
    if isinstance(nilai, float | Decimal):
        return str(nilai).replace(".", ",")  # the decimal mark of Indonesian Excel
    return str(nilai)


def tulis_csv(kolom: list[_KolomSiap], potongan: Iterable[list]) -> Iterator[bytes]:
    """The csv as a stream of bytes: BOM, header, then one chunk of rows at a time."""
    penulis = csv.writer(_Gema(), delimiter=PEMISAH_CSV, lineterminator="\r\n")
    yield "\ufeff".encode()
    yield penulis.writerow([k.judul for k in kolom]).encode()
    for rows in potongan:
        yield "".join(penulis.writerow([_teks_csv(_nilai_sel(k.baca(o))) for k in kolom]) for o in rows).encode()


# --- the view side ----------------------------------------------------------------------------


def params_tanpa(request, *kunci: str) -> str:
    params = request.GET.copy()
    for k in kunci:
        params.pop(k, None)
    return params.urlencode()


def tautan_ekspor(request) -> dict[str, str] | None:
    """The links of the "Unduh" buttons (the page's filters kept), or None for a role that may not
    export."""
    if not boleh_ekspor(request.user):
        return None
    dasar = params_tanpa(request, "page", PARAM)
    awal = f"?{dasar}&" if dasar else "?"
    return {fmt: f"{awal}{PARAM}={fmt}" for fmt in FORMAT}


class EksporMixin:
    """For ``ListView`` pages: ``?unduh=xlsx|csv`` answers the page's rows as a file.

    Declare ``nama_ekspor`` (the file name's start, e.g. ``"penduduk"``) and ``kolom_ekspor`` (a
    sequence of ``Kolom``), or override ``get_kolom_ekspor()`` when the columns depend on the user.
    ``siapkan_ekspor(rows)`` runs for every chunk of rows; it defaults to the page's
    ``siapkan_halaman``. The template gets ``ekspor`` (the two links, or None).
    """

    nama_ekspor = "daftar"
    kolom_ekspor: tuple[Kolom, ...] = ()

    def get_kolom_ekspor(self) -> list[Kolom]:
        return list(self.kolom_ekspor)

    def siapkan_ekspor(self, baris: list) -> None:
        siapkan = getattr(self, "siapkan_halaman", None)
        if siapkan is not None:
            siapkan(baris)

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get(PARAM)
        if fmt is None:
            return super().get(request, *args, **kwargs)
        if not boleh_ekspor(request.user):
            raise PermissionDenied(_("Peran Anda tidak dapat mengunduh daftar."))
        if fmt not in FORMAT:
            messages.error(request, _("Format unduhan tidak dikenal. Pilih xlsx atau csv."))
            return self._kembali(request)
        return self.ekspor(request, fmt)

    def _kembali(self, request):
        dasar = params_tanpa(request, PARAM)
        return HttpResponseRedirect(request.path + (f"?{dasar}" if dasar else ""))

    def ekspor(self, request, fmt: str):
        user = request.user
        bagian = _bagian(self.get_queryset())
        batas = maks_baris()
        jumlah = hitung_terbatas(bagian, batas)
        filter_teks = params_tanpa(request, "page", PARAM)
        nama_url = getattr(request.resolver_match, "view_name", self.nama_ekspor)
        if jumlah > batas:
            logger.warning(
                "ekspor ditolak: pengguna=%s peran=%s daftar=%s filter=%r format=%s baris>%s",
                user.username, user.peran_efektif, nama_url, filter_teks, fmt, batas,
            )  # fmt: skip
            messages.error(
                request,
                _(
                    "Daftar ini berisi lebih dari %(n)s baris, melebihi batas unduhan. Persempit filter "
                    "(mis. pilih kecamatan, kelurahan atau status), lalu unduh lagi."
                )
                % {"n": f"{batas:,}".replace(",", ".")},
            )
            return self._kembali(request)
        logger.info(
            "ekspor: pengguna=%s peran=%s daftar=%s filter=%r format=%s baris=%s",
            user.username, user.peran_efektif, nama_url, filter_teks, fmt, jumlah,
        )  # fmt: skip
        catat_akses(request, Aksi.EKSPOR, rincian=f"format={fmt} baris={jumlah} filter={filter_teks or '-'}")
        kolom = _siapkan_kolom(self.get_kolom_ekspor(), user)
        potongan = baris_berpotongan(bagian, self.siapkan_ekspor)
        waktu = timezone.localtime()
        nama_berkas = f"{self.nama_ekspor}-{waktu:%Y%m%d-%H%M}.{fmt}"
        if fmt == "xlsx":
            berkas = tulis_xlsx(kolom, potongan, self.nama_ekspor)
            resp = FileResponse(berkas, as_attachment=True, filename=nama_berkas, content_type=MIME_XLSX)
        else:
            resp = StreamingHttpResponse(tulis_csv(kolom, potongan), content_type="text/csv; charset=utf-8")
            resp["Content-Disposition"] = f'attachment; filename="{nama_berkas}"'
        resp["Cache-Control"] = "private, no-store"
        resp["X-Content-Type-Options"] = "nosniff"
        return resp

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["ekspor"] = tautan_ekspor(self.request)
        return ctx
