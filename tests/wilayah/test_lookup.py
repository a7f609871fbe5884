import pytest

from wilayah.lookup import PencariWilayah, cari_kecamatan, cari_kelurahan, saran_kelurahan
from wilayah.models import AliasWilayah, Kecamatan, Kelurahan
from wilayah.nama import normalisasi_nama_wilayah

pytestmark = pytest.mark.django_db


def test_data_migrasi_memuat_5_kecamatan_47_kelurahan():
    assert Kecamatan.objects.count() == 5
    assert Kelurahan.objects.count() == 47
    assert Kelurahan.objects.get(kode="13.76.01.1022").nama == "Tanjuang Pauh"
    assert Kelurahan.objects.get(kode="13.76.01.1034").kode_bps == "1376010028;1376010027"
    assert Kelurahan.objects.get(nama="Napar").kecamatan.nama == "Payakumbuh Utara"


def test_jumlah_per_kecamatan():
    per = {k.nama: k.kelurahan.count() for k in Kecamatan.objects.all()}
    assert per == {
        "Payakumbuh Barat": 17, "Payakumbuh Utara": 9, "Payakumbuh Timur": 9,
        "Lamposi Tigo Nagori": 6, "Payakumbuh Selatan": 6,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("teks", "resmi"),
    [
        ("KEL. TANAH MATI", "Padangdata Tanahmati"),
        ("Tanjung Pauh", "Tanjuang Pauh"),
        ("tanjuang  pauh", "Tanjuang Pauh"),
        ("Kelurahan Padang Data Tanah Mati", "Padangdata Tanahmati"),
        ("Kel.Aur Kuniang", "Sawahpadang Aua Kuniang"),
        ("  NAPAR ", "Napar"),
        ("13.76.02.1002", "Napar"),
        ("Tanjuang Gadang", "Tanjuanggodang Sungaipinago"),
        ("PADANG DATA", "Padangdata Tanahmati"),
    ],
)
def test_cari_kelurahan_abaikan_huruf_spasi_awalan_dan_alias(teks, resmi):
    assert cari_kelurahan(teks).nama == resmi


def test_nama_tak_dikenal_none_dengan_saran():
    assert cari_kelurahan("Kampung Antah Berantah") is None
    assert cari_kelurahan("") is None
    assert "Tanjuang Pauh" in saran_kelurahan("Tanjuang Paoh")


def test_cari_kecamatan_dengan_alias():
    assert cari_kecamatan("Kec. Lampasi Tigo Nagari").nama == "Lamposi Tigo Nagori"
    assert cari_kecamatan("payakumbuh barat").kode == "13.76.01"


def test_pencari_satu_indeks_untuk_banyak_baris(django_assert_num_queries):
    pencari = PencariWilayah()
    tanah_mati = Kelurahan.objects.get(nama="Padangdata Tanahmati").pk
    with django_assert_num_queries(0):
        assert pencari.kelurahan_id("Tanah Mati") == tanah_mati
        assert pencari.kelurahan_id("Limbukan") is not None


def test_alias_normal_diisi_saat_clean():
    alias = AliasWilayah(alias="Kel. Koto Nan Ampek", kelurahan=Kelurahan.objects.first())
    alias.full_clean()
    assert alias.alias_normal == "kotonanampek"


def test_normalisasi_nama_wilayah():
    assert normalisasi_nama_wilayah("KEL. Padang-Data  Tanah Mati") == "padangdatatanahmati"
    assert normalisasi_nama_wilayah("Kec.Payakumbuh Barat") == "payakumbuhbarat"
