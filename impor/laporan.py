"""The downloadable xlsx of rejected rows: row number, reasons, then the row as it was in the file.

Every text cell goes through ``aman_untuk_sel`` (a cell starting with = + - @ would run as a
formula in Excel), and everything is written as text, so a NIK keeps its 16 digits."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _

from impor.berkas import aman_untuk_sel
from impor.hasil import Hasil


def _sel(nilai: object) -> object:
    if nilai is None:
        return ""
    if isinstance(nilai, float) and nilai.is_integer():
        nilai = int(nilai)
    if isinstance(nilai, date):
        return nilai.strftime("%d/%m/%Y")
    return aman_untuk_sel(str(nilai))


def tulis_baris_ditolak(hasil: Hasil, tujuan: str | Path) -> None:
    from openpyxl import Workbook

    buku = Workbook(write_only=True)
    lembar = buku.create_sheet(_("Baris ditolak"))
    lembar.append([_("Baris"), _("Alasan"), *(_sel(k) for k in hasil.kolom)])
    for nomor, sel, alasan in hasil.baris_ditolak:
        lembar.append([nomor, _sel(alasan), *(_sel(s) for s in sel)])
    buku.save(str(tujuan))
