"""Cell readers: NIK/No KK, dates, sex, relationship, RT/RW, kelurahan, cell length."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from impor import nilai as N
from tests.impor.conftest import KK1, NIK_ISTRI, NIK_SUAMI


@pytest.mark.parametrize("isi", [NIK_SUAMI, f"'{NIK_SUAMI}", f"{NIK_SUAMI[:6]} {NIK_SUAMI[6:12]} {NIK_SUAMI[12:]}"])
def test_nik_teks(isi):
    peringatan = []
    assert N.nik(isi, peringatan).nilai == NIK_SUAMI
    assert peringatan == []


def test_nik_angka_16_digit_diterima_dengan_peringatan():
    peringatan = []
    assert N.nik(float(NIK_SUAMI), peringatan).nilai == NIK_SUAMI
    assert any("angka" in p and "15 digit" in p for p in peringatan)


@pytest.mark.parametrize("isi", [1.376011508e15, 137601150875, "1376-01", "abc", "0" * 16, "x" * 100_000])
def test_nik_tidak_sah(isi):
    with pytest.raises(N.GalatNilai):
        N.nik(isi, [])


def test_nik_beda_jenis_kelamin_peringatan():
    peringatan = []
    N.nik(NIK_ISTRI, peringatan, jenis_kelamin="L")
    assert any("Jenis kelamin" in p for p in peringatan)


def test_no_kk():
    assert N.no_kk(f"'{KK1}", []) == KK1
    with pytest.raises(N.GalatNilai):
        N.no_kk("123", [])


@pytest.mark.parametrize(
    "isi",
    [
        date(1975, 8, 12), datetime(1975, 8, 12, 0, 0), 27618, 27618.0, "27618", "12/08/1975", "12-08-1975",
        "1975-08-12", "12 Agustus 1975", "12 AGUSTUS 1975", "12-Agu-1975", "12 Aug 1975", "'12/08/1975",
        "1975-08-12 00:00:00",
    ],
)  # fmt: skip
def test_tanggal(isi):
    assert N.tanggal(isi) == date(1975, 8, 12)


@pytest.mark.parametrize("isi", ["31/02/1975", "12 Agustos 1975", "kemarin", True, -5, float("nan"), "9" * 70])
def test_tanggal_tidak_sah(isi):
    with pytest.raises(N.GalatNilai):
        N.tanggal(isi)


def test_tanggal_lahir_masa_depan_dan_terlalu_tua():
    with pytest.raises(N.GalatNilai, match="masa depan"):
        N.tanggal_lahir("01/01/2999")
    with pytest.raises(N.GalatNilai, match="1900"):
        N.tanggal_lahir("01/01/1850")


@pytest.mark.parametrize(
    ("isi", "jk"),
    [("L", "L"), ("P", "P"), ("Laki-laki", "L"), ("LAKI-LAKI", "L"), ("Perempuan", "P"), (1, "L"), (2.0, "P"),
     ("2", "P"), (" l ", "L")],
)  # fmt: skip
def test_jenis_kelamin(isi, jk):
    assert N.jenis_kelamin(isi) == jk


def test_jenis_kelamin_tidak_sah():
    with pytest.raises(N.GalatNilai, match="L/P"):
        N.jenis_kelamin("X")


@pytest.mark.parametrize(
    ("isi", "h"),
    [("KEPALA KELUARGA", "kepala"), ("Kepala Rumah Tangga", "kepala"), ("ISTRI", "istri"), ("1", "kepala"),
     (3, "anak"), ("Famili Lain", "famili_lain")],
)  # fmt: skip
def test_hubungan(isi, h):
    assert N.hubungan(isi) == h


@pytest.mark.parametrize(("isi", "hasil"), [("1", "001"), (1.0, "001"), ("012", "012"), ("'5", "005")])
def test_rt_rw(isi, hasil):
    assert N.rt_rw(isi, "RT") == hasil


def test_rt_rw_tidak_sah():
    with pytest.raises(N.GalatNilai):
        N.rt_rw("1234", "RT")


def test_sel_terlalu_panjang():
    with pytest.raises(N.GalatNilai, match="terlalu panjang"):
        N.teks("x" * 100_000)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("isi", "nama"),
    [("Tanjuang Pauh", "Tanjuang Pauh"), ("TANJUNG PAUH", "Tanjuang Pauh"), ("Kel. Tanah Mati", "Padangdata Tanahmati"),
     ("KEL. TANAH MATI", "Padangdata Tanahmati"), ("13.76.01.1022", "Tanjuang Pauh"), ("1376011022", "Tanjuang Pauh"),
     ("aur kuniang", "Sawahpadang Aua Kuniang")],
)  # fmt: skip
def test_kelurahan(isi, nama):
    from wilayah.models import Kelurahan

    assert Kelurahan.objects.get(pk=N.PencariKelurahan()(isi)).nama == nama


@pytest.mark.django_db
def test_kelurahan_tidak_dikenal_dengan_saran():
    with pytest.raises(N.GalatNilai, match="Mungkin maksudnya: Tanjuang Pauh"):
        N.PencariKelurahan()("Tanjuang Pauhh")
