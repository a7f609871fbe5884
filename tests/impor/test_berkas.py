"""Opening files: real type by magic bytes, zip bombs, sizes, encodings, delimiters (no database)."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest

from impor.berkas import BerkasTidakSah, aman_untuk_sel, buka, tebak_pemisah
from tests.impor.conftest import tulis_csv, tulis_xlsx


def baris(path, **kw):
    return list(buka(path, **kw).baris)


def test_xlsx_baris_judul_dan_nomor_baris(tmp_path):
    path = tulis_xlsx(tmp_path / "a.xlsx", [["NIK", "NAMA"], ["1", "A"]], judul=[["DATA PPKS 2023"], []])
    assert baris(path) == [(1, ["DATA PPKS 2023"]), (3, ["NIK", "NAMA"]), (4, ["1", "A"])]


def test_baris_dan_kolom_kosong_di_ujung_diabaikan(tmp_path):
    path = tulis_xlsx(tmp_path / "a.xlsx", [["NIK", "NAMA", None, None], ["1", "A", "", None], [None, None], []])
    assert baris(path) == [(1, ["NIK", "NAMA"]), (2, ["1", "A"])]


@pytest.mark.parametrize("pemisah", [",", ";", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_pemisah_dan_encoding(tmp_path, pemisah, encoding):
    path = tulis_csv(tmp_path / "a.csv", [["NIK", "NAMA", "ALAMAT"], ["1", "Élvi", "Jl. A, No. 5"]], pemisah, encoding)
    assert baris(path) == [(1, ["NIK", "NAMA", "ALAMAT"]), (2, ["1", "Élvi", "Jl. A, No. 5"])]


def test_tebak_pemisah_siks_ng():
    assert tebak_pemisah("ID DTKS|PROVINSI|NAMA\n1|SUMBAR|Jl. A, B\n") == "|"
    assert tebak_pemisah("NIK;NAMA;ALAMAT\n1;A;Jl. A, B\n") == ";"


@pytest.mark.parametrize(
    "isi",
    [b"%PDF-1.4 blah", b"\x89PNG\r\n\x1a\n\x00\x00", b"MZ\x90\x00\x03", bytes(range(256)) * 10],
)
def test_biner_yang_diganti_nama_ditolak(tmp_path, isi):
    path = tmp_path / "data.xlsx"
    path.write_bytes(isi)
    with pytest.raises(BerkasTidakSah, match="bukan spreadsheet"):
        buka(path)


def test_berkas_kosong(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"")
    with pytest.raises(BerkasTidakSah, match="kosong"):
        buka(path)


def test_zip_bukan_workbook(tmp_path):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "halo")
    with pytest.raises(BerkasTidakSah, match="bukan workbook"):
        buka(path)


def test_xlsx_rusak(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"rusak" * 100)
    with pytest.raises(BerkasTidakSah, match="rusak"):
        buka(path)


def test_zip_bomb_rasio(tmp_path):
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "0" * (50 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(BerkasTidakSah, match="zip bomb"):
        buka(path)


def test_zip_bomb_total(tmp_path, settings):
    settings.IMPOR_MAKS_TAK_TERKOMPRESI_MB = 1
    path = tulis_xlsx(tmp_path / "a.xlsx", [["NIK", "NAMA"]] + [[str(i), "x" * 50] for i in range(30000)])
    with pytest.raises(BerkasTidakSah, match="zip bomb"):
        buka(path)


def test_zip_entri_terlalu_banyak(tmp_path):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(1100):
            z.writestr(f"x/{i}.xml", "a")
    with pytest.raises(BerkasTidakSah, match="zip bomb"):
        buka(path)


def test_lembar_terlalu_luas(tmp_path):
    from openpyxl import Workbook

    buku = Workbook()
    buku.active["A1"] = "NIK"
    buku.active["XFD1048576"] = "x"
    buku.save(tmp_path / "a.xlsx")
    with pytest.raises(BerkasTidakSah, match="terlalu luas"):
        buka(tmp_path / "a.xlsx")


def test_berkas_terlalu_besar(tmp_path, settings):
    settings.IMPOR_MAKS_MB = 1
    path = tmp_path / "a.csv"
    path.write_bytes(b"NIK,NAMA\n" + b"1,A\n" * 400_000)
    with pytest.raises(BerkasTidakSah, match="terlalu besar"):
        buka(path)


def test_rumus_tidak_dievaluasi(tmp_path):
    """A formula without a cached value (openpyxl writes none) reads as empty; never evaluated."""
    path = tulis_xlsx(tmp_path / "a.xlsx", [["NIK", "NAMA", "X"], ["1", "=1+1", '=HYPERLINK("http://x","y")']])
    assert baris(path)[1] == (2, ["1"])


def test_lembar_dipilih_dan_tidak_ada(tmp_path):
    from openpyxl import Workbook

    buku = Workbook()
    buku.active.title = "Pertama"
    buku.create_sheet("Kedua").append(["NIK"])
    buku.save(tmp_path / "a.xlsx")
    assert buka(tmp_path / "a.xlsx", lembar="kedua").nama == "Kedua"
    with pytest.raises(BerkasTidakSah, match="Lembar yang ada: Pertama, Kedua"):
        buka(tmp_path / "a.xlsx", lembar="Ketiga")


def test_tanggal_excel_asli(tmp_path):
    path = tulis_xlsx(tmp_path / "a.xlsx", [["TGL"], [date(1975, 8, 12)]])
    assert baris(path)[1][1][0] in (date(1975, 8, 12),) or str(baris(path)[1][1][0]).startswith("1975-08-12")


@pytest.mark.parametrize("isi", ["=1+1", "+62", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_aman_untuk_sel(isi):
    assert aman_untuk_sel(isi) == "'" + isi
    assert aman_untuk_sel("Siti") == "Siti"
    assert aman_untuk_sel(5) == 5
