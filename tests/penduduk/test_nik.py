import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from penduduk.nik import (
    periksa_nik,
    periksa_no_kk,
    samarkan,
    susun_nik,
    validate_nik,
)

HARI_INI = dt.date(2026, 11, 27)


def test_nik_laki_laki_sah_memberi_tanggal_lahir_dan_jenis_kelamin():
    hasil = periksa_nik("1376011506850001", hari_ini=HARI_INI)
    assert hasil.sah
    assert hasil.info.tanggal_lahir == dt.date(1985, 6, 15)
    assert hasil.info.jenis_kelamin == "L"
    assert hasil.info.kode_wilayah == "137601"
    assert hasil.info.dari_payakumbuh
    assert hasil.peringatan == []


def test_nik_perempuan_tanggal_ditambah_40():
    hasil = periksa_nik("1376055506850002", hari_ini=HARI_INI)
    assert hasil.info.jenis_kelamin == "P"
    assert hasil.info.tanggal_lahir == dt.date(1985, 6, 15)


@pytest.mark.parametrize(
    ("raw", "bersih"),
    [("1376 0115 0685 0001", "1376011506850001"), ("'1376011506850001", "1376011506850001"),
     ("1376.0115.0685.0001", "1376011506850001")],
)  # fmt: skip
def test_nik_dibersihkan_dari_spasi_titik_apostrof(raw, bersih):
    hasil = periksa_nik(raw, hari_ini=HARI_INI)
    assert hasil.sah
    assert hasil.nilai == bersih


def test_abad_20yy_bila_tidak_di_masa_depan_selain_itu_19yy():
    assert periksa_nik("1376011506200001", hari_ini=HARI_INI).info.tanggal_lahir == dt.date(2020, 6, 15)
    assert periksa_nik("1376011506300001", hari_ini=HARI_INI).info.tanggal_lahir == dt.date(1930, 6, 15)


@pytest.mark.parametrize(
    ("raw", "potongan_pesan"),
    [
        ("137601150685000", "16 digit"),
        ("13760115068500011", "16 digit"),
        ("1376O11506850001", "hanya boleh berisi angka"),
        ("0000000000000000", "angka pengisi"),
        ("1111111111111111", "angka pengisi"),
        ("1376013206850001", "digit 7-8"),
        ("1376017206850001", "digit 7-8"),
        ("1376011513850001", "digit 9-10"),
        ("1376013102850001", "kalender"),
        ("1376012902230001", "kalender"),
        ("1376011506850000", "0000"),
    ],
)
def test_nik_ditolak_dengan_pesan_jelas(raw, potongan_pesan):
    hasil = periksa_nik(raw, hari_ini=HARI_INI)
    assert not hasil.sah
    assert potongan_pesan in " ".join(hasil.galat)


def test_29_februari_tahun_kabisat_sah():
    assert periksa_nik("1376012902240001", hari_ini=HARI_INI).info.tanggal_lahir == dt.date(2024, 2, 29)


def test_peringatan_bukan_galat_untuk_jenis_kelamin_dan_tanggal_berbeda():
    hasil = periksa_nik("1376011506850001", jenis_kelamin="P", tanggal_lahir=dt.date(1985, 7, 1), hari_ini=HARI_INI)
    assert hasil.sah
    assert len(hasil.peringatan) == 2
    assert "Jenis kelamin" in hasil.peringatan[0]
    assert "15/06/1985" in hasil.peringatan[1]


def test_peringatan_kode_provinsi_tidak_dikenal():
    hasil = periksa_nik("9976011506850001", hari_ini=HARI_INI)
    assert hasil.sah
    assert "Kode provinsi 99" in hasil.peringatan[0]


def test_peringatan_kode_kecamatan_payakumbuh_tidak_ada():
    hasil = periksa_nik("1376091506850001", hari_ini=HARI_INI)
    assert hasil.sah
    assert "tidak ada di Kota Payakumbuh" in hasil.peringatan[0]


def test_nik_dari_luar_payakumbuh_sah_tanpa_peringatan():
    hasil = periksa_nik("1371011506850001", hari_ini=HARI_INI)
    assert hasil.sah and hasil.peringatan == []
    assert not hasil.info.dari_payakumbuh


@pytest.mark.parametrize("angka", [1376011506850001, 1.376011506850001e15, Decimal("1376011506850001")])
def test_nik_berbentuk_angka_diberi_peringatan(angka):
    hasil = periksa_nik(angka, hari_ini=HARI_INI)
    assert any("angka" in p and "15 digit" in p for p in hasil.peringatan)


def test_validate_nik_hanya_menolak_galat():
    validate_nik("9976011506850001")  # warning only: passes
    with pytest.raises(ValidationError):
        validate_nik("1234")


def test_no_kk_sah_dan_ditolak():
    assert periksa_no_kk("1376012003150001").sah
    assert not periksa_no_kk("137601200315").sah
    assert not periksa_no_kk("0000000000000000").sah
    assert not periksa_no_kk("1376012003150000").sah
    assert "Kode provinsi" in periksa_no_kk("0076012003150001").peringatan[0]


def test_susun_nik_adalah_kebalikan_periksa():
    nik = susun_nik("137603", dt.date(1990, 1, 5), "P", 12)
    assert nik == "1376034501900012"
    info = periksa_nik(nik, hari_ini=HARI_INI).info
    assert (info.tanggal_lahir, info.jenis_kelamin) == (dt.date(1990, 1, 5), "P")


def test_samarkan_nik():
    assert samarkan("1376011506850001") == "1376••••••••••••"
    assert samarkan("") == ""
    assert samarkan(None) == ""


def test_angka_lebar_penuh_dinormalkan_ke_ascii():
    hasil = periksa_nik("１３７６０１１５０６８５０００１", hari_ini=HARI_INI)
    assert hasil.sah and hasil.nilai == "1376011506850001"


@pytest.mark.parametrize("raw", ["١٣٧٦٠١١٥٠٦٨٥٠٠٠١", "१३७६०११५०६८५०००१"])
def test_angka_non_ascii_lain_ditolak(raw):
    assert not periksa_nik(raw, hari_ini=HARI_INI).sah
    assert not periksa_no_kk(raw).sah
