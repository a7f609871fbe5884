"""Opening an uploaded file safely: size, real type by its first bytes, zip-bomb checks, then rows.

Order matters (DESIGN.md, "Known traps"): the size is checked first, then the real type is taken
from the file's magic bytes (a renamed binary is refused whatever its extension), then an xlsx is
checked as a zip *before any reader sees it*: entry count, total uncompressed size, ratio of each
entry, and every entry is decompressed once as a stream that stops at the limits (zipfile checks
that the real size and CRC match the declared ones, so a lying header is caught too). Only then
is the workbook read, with python-calamine.

Formulas are never evaluated. calamine returns the value Excel cached when it last saved the
file; **a formula cell without a cached value (a file written by a program that does not
calculate, e.g. openpyxl) reads as an empty cell**, and a required column left empty that way
is reported as a row error like any other empty cell. A text cell that *looks* like a formula
("=HYPERLINK(...)") is plain text here; it is escaped when written back out (``aman_untuk_sel``).

CSV: UTF-8 with or without BOM, else Windows-1252; the delimiter is the one of ``,`` ``;``
``|`` that splits the first lines into the most columns. xls (BIFF) is read by calamine too.

Every problem with the file as a whole raises ``BerkasTidakSah`` with an Indonesian message;
nothing has been written at that point.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from impor import pengaturan

XLSX, XLS, CSV = "xlsx", "xls", "csv"

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Common binaries that are no spreadsheet (and may hold no NUL byte in their first bytes).
_BUKAN_SPREADSHEET = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf", b"MZ")
_PEMISAH = ("|", ";", ",", "\t")
_SAMPEL_TEKS = 64 * 1024
_POTONG = 1024 * 1024
_KOLOM_JAUH = re.compile(rb'<c r="[A-Z]{3}')  # a cell at column AAA (703) or beyond
_BARIS = re.compile(rb'<row r="(\d+)"')
_DIMENSI = re.compile(rb'<dimension ref="[A-Z]+\d+:([A-Z]+)(\d+)"')


class BerkasTidakSah(Exception):
    """The file as a whole cannot be imported; ``pesan`` says why, in Indonesian."""

    def __init__(self, pesan: str):
        super().__init__(pesan)
        self.pesan = pesan


@dataclass
class Lembar:
    """The rows of one sheet: ``baris`` yields (row number as the spreadsheet shows it, cells)."""

    format: str
    nama: str
    baris: Iterator[tuple[int, list[object]]]
    semua_lembar: list[str]


def kenali_format(kepala: bytes) -> str:
    """The real type of a file from its first bytes: xlsx, xls or csv; refuses anything else."""
    if not kepala.strip():
        raise BerkasTidakSah(_("Berkas kosong."))
    if kepala.startswith(_ZIP):
        return XLSX
    if kepala.startswith(_OLE):
        return XLS
    if kepala.startswith(_BUKAN_SPREADSHEET) or b"\x00" in kepala:
        raise BerkasTidakSah(_("Berkas ini bukan spreadsheet (xlsx, xls atau csv), walau namanya mungkin begitu."))
    teks = kepala.decode("cp1252", errors="replace")
    kontrol = sum(1 for c in teks if ord(c) < 32 and c not in "\t\r\n\f")
    if kontrol > len(teks) // 100:
        raise BerkasTidakSah(_("Berkas ini bukan spreadsheet (xlsx, xls atau csv), walau namanya mungkin begitu."))
    return CSV


def _lebar_kolom(huruf: bytes) -> int:
    n = 0
    for b in huruf:
        n = n * 26 + (b - 64)
    return n


def periksa_zip(path: Path) -> None:
    """Refuse a zip bomb before any xlsx reader opens the file (see the module docstring)."""
    maks_total = pengaturan.maks_tak_terkompresi_byte()
    maks_rasio = pengaturan.maks_rasio_zip()
    maks_baris = pengaturan.maks_baris() + 1000
    bom = _("Berkas xlsx ini ditolak: isinya mengembang terlalu besar saat dibuka (kemungkinan 'zip bomb').")
    try:
        with zipfile.ZipFile(path) as arsip:
            entri = arsip.infolist()
            if len(entri) > pengaturan.maks_entri_zip():
                raise BerkasTidakSah(bom)
            if sum(e.file_size for e in entri) > maks_total:
                raise BerkasTidakSah(bom)
            for e in entri:
                if e.file_size > _POTONG and e.file_size > maks_rasio * max(e.compress_size, 1):
                    raise BerkasTidakSah(bom)
            nama = {e.filename for e in entri}
            if "xl/workbook.xml" not in nama:
                raise BerkasTidakSah(_("Berkas zip ini bukan workbook Excel (xlsx)."))
            total = 0
            for e in entri:
                lembar_kerja = e.filename.startswith("xl/worksheets/") and e.filename.endswith(".xml")
                ekor = b""
                with arsip.open(e) as aliran:
                    while potong := aliran.read(_POTONG):
                        total += len(potong)
                        if total > maks_total:
                            raise BerkasTidakSah(bom)
                        if lembar_kerja:
                            _periksa_luas_lembar(ekor + potong, maks_baris)
                            ekor = potong[-256:]
    except BerkasTidakSah:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, ValueError) as exc:
        raise BerkasTidakSah(_("Berkas xlsx ini rusak dan tidak bisa dibuka.")) from exc


def _periksa_luas_lembar(potong: bytes, maks_baris: int) -> None:
    """A sheet that names a far cell makes a reader allocate its whole area: refuse it."""
    terlalu_luas = _("Lembar kerja ini terlalu luas (baris atau kolom sangat jauh); hapus sel kosong di ujungnya.")
    if _KOLOM_JAUH.search(potong):
        raise BerkasTidakSah(terlalu_luas)
    dimensi = _DIMENSI.search(potong)
    if dimensi and (_lebar_kolom(dimensi.group(1)) > 702 or int(dimensi.group(2)) > maks_baris):
        raise BerkasTidakSah(terlalu_luas)
    for cocok in _BARIS.finditer(potong[-64 * 1024 :]):
        if int(cocok.group(1)) > maks_baris:
            raise BerkasTidakSah(terlalu_luas)


def _rapikan(sel: list[object]) -> list[object]:
    """Trailing empty cells dropped (columns past the data)."""
    n = len(sel)
    while n and (sel[n - 1] is None or sel[n - 1] == ""):
        n -= 1
    return sel[:n] if n != len(sel) else sel


def _baris_calamine(sheet) -> Iterator[tuple[int, list[object]]]:
    # calamine's iter_rows starts at row 1 of the sheet (leading empty rows included) and at the
    # first used column; only the row number matters here, columns are found by their header.
    for nomor, sel in enumerate(sheet.iter_rows(), start=1):
        sel = _rapikan(sel)
        if sel:
            yield nomor, sel


def buka_excel(path: Path, format: str, lembar: str | None) -> Lembar:
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

    try:
        buku = CalamineWorkbook.from_path(str(path))
        nama_lembar = [m.name for m in buku.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        if not nama_lembar:
            raise BerkasTidakSah(_("Workbook ini tidak memiliki lembar kerja."))
        if lembar is None:
            dipilih = nama_lembar[0]
        else:
            dipilih = next((n for n in nama_lembar if n.strip().lower() == lembar.strip().lower()), None)
            if dipilih is None:
                raise BerkasTidakSah(
                    _("Lembar “%(nama)s” tidak ada. Lembar yang ada: %(ada)s.")
                    % {"nama": lembar, "ada": ", ".join(nama_lembar)}
                )
        sheet = buku.get_sheet_by_name(dipilih)
    except BerkasTidakSah:
        raise
    except (CalamineError, Exception) as exc:  # calamine raises several types for broken files
        raise BerkasTidakSah(_("Berkas %(format)s ini rusak atau tidak bisa dibaca.") % {"format": format}) from exc
    return Lembar(format=format, nama=dipilih, baris=_baris_calamine(sheet), semua_lembar=nama_lembar)


def _dekode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def tebak_pemisah(teks: str) -> str:
    """The delimiter that splits the first lines into the most columns (``|``, ``;``, ``,``, tab)."""
    baris = [b for b in teks[:_SAMPEL_TEKS].splitlines()[:30] if b.strip()]
    if not baris:
        return ","
    skor = {p: max(b.count(p) for b in baris) for p in _PEMISAH}
    terbaik = max(_PEMISAH, key=lambda p: skor[p])
    return terbaik if skor[terbaik] else ","


def _baris_csv(teks: str, pemisah: str) -> Iterator[tuple[int, list[object]]]:
    pembaca = csv.reader(io.StringIO(teks, newline=""), delimiter=pemisah)
    nomor = 0
    try:
        for sel in pembaca:
            nomor += 1
            sel = _rapikan(sel)
            if sel:
                yield nomor, sel
    except csv.Error as exc:
        raise BerkasTidakSah(
            _("Baris %(n)d berkas CSV tidak bisa dibaca (sel terlalu panjang atau tanda kutip tidak ditutup).")
            % {"n": nomor + 1}
        ) from exc


def buka_csv(path: Path) -> Lembar:
    teks = _dekode(path.read_bytes()).replace("\x00", "")
    pemisah = tebak_pemisah(teks)
    return Lembar(format=CSV, nama="", baris=_baris_csv(teks, pemisah), semua_lembar=[])


def buka(path: str | Path, *, lembar: str | None = None) -> Lembar:
    """Check and open a file; the rows are read lazily from the returned ``Lembar``."""
    path = Path(path)
    try:
        ukuran = path.stat().st_size
        with path.open("rb") as f:
            kepala = f.read(_SAMPEL_TEKS)
    except OSError as exc:
        raise BerkasTidakSah(_("Berkas tidak bisa dibaca.")) from exc
    maks = pengaturan.maks_berkas_byte()
    if ukuran > maks:
        raise BerkasTidakSah(
            _("Berkas terlalu besar (%(mb).1f MB; paling besar %(maks)d MB).")
            % {"mb": ukuran / 1024 / 1024, "maks": maks // 1024 // 1024}
        )
    format = kenali_format(kepala)
    if format == XLSX:
        periksa_zip(path)
        return buka_excel(path, XLSX, lembar)
    if format == XLS:
        return buka_excel(path, XLS, lembar)
    return buka_csv(path)


_AWAL_RUMUS = ("=", "+", "-", "@", "\t", "\r", "\x00")


def aman_untuk_sel(nilai: object) -> object:
    """A value safe to write into an xlsx or csv a person will open: text that a spreadsheet would
    take as a formula gets a leading apostrophe (DESIGN.md, "Formula injection")."""
    if isinstance(nilai, str) and nilai.startswith(_AWAL_RUMUS):
        return "'" + nilai
    return nilai
