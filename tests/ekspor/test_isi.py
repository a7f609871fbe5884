"""What the file holds: the page's filtered, scoped rows, headers, NIK as text, escaped formulas."""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from akun.ekspor import aman
from tests.ekspor.alat import baca_csv, baca_xlsx, isi, tabel, unduh
from tests.ekspor.conftest import DAFTAR
from tests.factories import KeluargaFactory, PendudukFactory


@pytest.mark.django_db
@pytest.mark.parametrize("nama_url", sorted(DAFTAR))
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_filter_kelurahan_berlaku(staf, kelurahan_a, kelurahan_b, nama_url, fmt):
    buat, kolom = DAFTAR[nama_url]
    a = buat(kelurahan_a, "Warga Alfa")
    b = buat(kelurahan_b, "Warga Beta")
    semua = [r[kolom] for r in tabel(staf, nama_url, fmt)]
    assert sorted(semua) == sorted([a, b])
    hanya_a = [r[kolom] for r in tabel(staf, nama_url, fmt, kelurahan=kelurahan_a.pk)]
    assert hanya_a == [a]


@pytest.mark.django_db
def test_kepala_kolom_penduduk(staf, kelurahan_a):
    PendudukFactory(kelurahan=kelurahan_a)
    kepala = baca_xlsx(isi(unduh(staf, "penduduk:list")))[0]
    assert kepala == (
        "Nama", "NIK", "L/P", "Tanggal lahir", "Hubungan dalam keluarga", "Kecamatan", "Kelurahan",
        "Alamat", "RT", "RW", "Status",
    )  # fmt: skip


@pytest.mark.django_db
def test_nik_dan_no_kk_sebagai_teks(staf, kelurahan_a):
    keluarga = KeluargaFactory(kelurahan=kelurahan_a)
    orang = PendudukFactory(kelurahan=kelurahan_a, keluarga=keluarga, hubungan="kepala", nama="Bujang")
    baris = tabel(staf, "penduduk:list")
    assert baris[0]["NIK"] == orang.nik
    assert isinstance(baris[0]["NIK"], str) and len(baris[0]["NIK"]) == 16
    # The cell is typed text in the file (number format "@"), so Excel keeps all 16 digits.
    wb = load_workbook(io.BytesIO(isi(unduh(staf, "penduduk:list"))))
    sel = wb.active["B2"]
    assert sel.data_type == "s" and sel.number_format == "@"
    kk = tabel(staf, "penduduk:keluarga-list")
    assert kk[0]["No. KK"] == keluarga.no_kk
    # The birth date is a real date cell for staff.
    assert baris[0]["Tanggal lahir"].date() == orang.tanggal_lahir


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_rumus_di_nama_diloloskan(staf, kelurahan_a, fmt):
    PendudukFactory(kelurahan=kelurahan_a, nama='=HYPERLINK("http://jahat.example/","klik")', alamat="+62 Jl. X")
    PendudukFactory(kelurahan=kelurahan_a, nama="@SUM(1+1)", alamat="-1+2")
    baris = tabel(staf, "penduduk:list", fmt)
    nama = {r["Nama"] for r in baris}
    assert '\'=HYPERLINK("http://jahat.example/","klik")' in nama
    assert "'@SUM(1+1)" in nama
    assert {r["Alamat"] for r in baris} == {"'+62 Jl. X", "'-1+2"}
    assert not any(str(v).startswith(("=", "+", "-", "@")) for r in baris for v in r.values() if v)


def test_aman():
    for teks in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx"):
        assert aman(teks) == "'" + teks
    assert aman("Siti") == "Siti"
    assert aman("1376") == "1376"


@pytest.mark.django_db
def test_karakter_kendali_tidak_merusak_xlsx(staf, kelurahan_a):
    PendudukFactory(kelurahan=kelurahan_a, alamat="Jl.\x01 Sudirman\x0b")
    baris = tabel(staf, "penduduk:list")
    assert baris[0]["Alamat"] == "Jl. Sudirman"


@pytest.mark.django_db
def test_csv_bom_dan_pemisah(staf, kelurahan_a):
    PendudukFactory(kelurahan=kelurahan_a, nama="Rusli; Dt. Rajo", alamat="Jl. A, No. 3")
    resp = unduh(staf, "penduduk:list", "csv")
    assert resp["Content-Type"] == "text/csv; charset=utf-8"
    data = isi(resp)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.split(b"\r\n")[0].decode("utf-8-sig").startswith("Nama;NIK;L/P;Tanggal lahir;")
    baris = baca_csv(data)
    assert baris[1][0] == "Rusli; Dt. Rajo"  # the separator inside a value is quoted
    assert baris[1][3] == "15/06/1985"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_nama_berkas_dan_header(staf, fmt):
    resp = unduh(staf, "ppks:kasus-board", fmt)
    nama = resp["Content-Disposition"]
    assert re.fullmatch(rf'attachment; filename="kasus-terbuka-\d{{8}}-\d{{4}}\.{fmt}"', nama), nama
    assert resp["Cache-Control"] == "private, no-store"
    resp = unduh(staf, "penduduk:keluarga-list", fmt)
    assert re.search(rf"keluarga-\d{{8}}-\d{{4}}\.{fmt}", resp["Content-Disposition"])


@pytest.mark.django_db
def test_pencarian_nama_mengekspor_semua_yang_cocok(staf, kelurahan_a):
    PendudukFactory(kelurahan=kelurahan_a, nama="Ahmad Siti")
    PendudukFactory(kelurahan=kelurahan_a, nama="Siti Aminah")
    PendudukFactory(kelurahan=kelurahan_a, nama="Budi")
    nama = [r["Nama"] for r in tabel(staf, "penduduk:list", q="siti")]
    # The page's order: names that start with the search first, then the other matches.
    assert nama == ["Siti Aminah", "Ahmad Siti"]


@pytest.mark.django_db
def test_ekspor_dicatat(staf, user_staf, kelurahan_a, caplog):
    PendudukFactory(kelurahan=kelurahan_a)
    PendudukFactory(kelurahan=kelurahan_a)
    with caplog.at_level(logging.INFO, logger="payakumbuh.ekspor"):
        unduh(staf, "penduduk:list", "csv", kelurahan=kelurahan_a.pk)
    catatan = [r for r in caplog.records if r.name == "payakumbuh.ekspor"]
    assert len(catatan) == 1
    pesan = catatan[0].getMessage()
    assert "pengguna=staf" in pesan and "peran=staf" in pesan
    assert "daftar=penduduk:list" in pesan
    assert f"kelurahan={kelurahan_a.pk}" in pesan
    assert "format=csv" in pesan and "baris=2" in pesan


@pytest.mark.django_db
def test_batas_hitung_halaman_tidak_memotong_ekspor(staf, kelurahan_a, monkeypatch):
    """The complaint list counts up to BATAS_HASIL_CARI on the page; the export reads every row."""
    from pengaduan import views_staf
    from tests.pengaduan.factories import PengaduanFactory

    monkeypatch.setattr(views_staf, "BATAS_HASIL_CARI", 2)
    kode = {PengaduanFactory(kelurahan=kelurahan_a).kode_lacak for _ in range(3)}
    assert staf.get(reverse("pengaduan:list")).context["terpotong"]  # the page stops at the cap
    assert {r["Kode lacak"] for r in tabel(staf, "pengaduan:list")} == kode
