"""Finding a jenis PPKS by the names staff write (ppks/nama_jenis.py)."""

from __future__ import annotations

import pytest

from ppks.models import JenisPPKS
from ppks.nama_jenis import cari_jenis, normalisasi_jenis, peta_nama_jenis

pytestmark = pytest.mark.django_db


def _singkatan(teks: str) -> list[str]:
    return sorted(j.singkatan for j in cari_jenis(teks))


@pytest.mark.parametrize(
    "teks",
    [
        "Lanjut Usia Telantar",  # the official name
        "Lanjut Usia Terlantar",  # the everyday spelling
        "Lansia Terlantar",
        "LANSIA TELANTAR",
        "  lansia   terlantar ",
        "Lansia-Terlantar",
        "lut",
        "LUT",
        "Lansia",
    ],
)
def test_nama_lansia_telantar(teks):
    assert _singkatan(teks) == ["LUT"]


def test_gepeng_menyebut_dua_jenis():
    assert _singkatan("Gepeng") == ["GEL", "PENG"]
    assert _singkatan("GEPENG") == ["GEL", "PENG"]
    assert _singkatan("Gelandangan") == ["GEL"]
    assert _singkatan("pengemis") == ["PENG"]


@pytest.mark.parametrize(
    ("teks", "singkatan"),
    [
        ("ODHA", "ODHA"),
        ("Orang dengan HIV/AIDS", "ODHA"),
        ("HIV/AIDS", "ODHA"),
        ("abh", "ABH"),
        ("Anak Berhadapan dengan Hukum", "ABH"),
        ("PRSE", "PRSE"),
        ("WRSE", "PRSE"),
        ("Wanita Rawan Sosial Ekonomi", "PRSE"),
        ("Anak Terlantar", "AT"),
        ("Anak Balita Terlantar", "ABT"),
        ("Anjal", "AJ"),
        ("Penyandang Cacat", "PD"),
        ("Korban Narkoba", "NAPZA"),
        ("TPPO", "KTR"),
        ("Mantan Napi", "BWBLP"),
        ("Fakir Miskin", "FM"),
        ("kat", "KAT"),
    ],
)
def test_singkatan_dan_nama_lain(teks, singkatan):
    assert _singkatan(teks) == [singkatan]


@pytest.mark.parametrize("teks", ["", "   ", "Lansia Sejahtera", "Anak", "PMKS", "xyz", "Terlantar"])
def test_nama_tidak_dikenal_tidak_menemukan_apa_pun(teks):
    assert cari_jenis(teks) == []


def test_semua_26_jenis_ditemukan_dengan_nama_dan_singkatannya():
    for jenis in JenisPPKS.objects.all():
        assert cari_jenis(jenis.nama) == [jenis]
        assert cari_jenis(jenis.singkatan.lower()) == [jenis]
    assert JenisPPKS.objects.count() == 26


def test_peta_dibuat_sekali_untuk_banyak_pencarian(django_assert_num_queries):
    with django_assert_num_queries(1):
        peta = peta_nama_jenis()
    with django_assert_num_queries(0):
        hasil = [cari_jenis(t, peta) for t in ("Lansia Terlantar", "Gepeng", "tidak ada")]
    assert [len(h) for h in hasil] == [1, 2, 0]


def test_nama_lain_baru_dari_admin_ikut_dikenali():
    jenis = JenisPPKS.objects.get(singkatan="PEM")
    jenis.alias = "Pemulung Barang Bekas\nTukang Pulung"
    jenis.save()
    assert cari_jenis("tukang pulung") == [jenis]


def test_normalisasi():
    assert normalisasi_jenis(" Lanjut-Usia  TERLANTAR ") == "lanjut usia telantar"
    assert normalisasi_jenis(None) == ""
