import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from penduduk.models import Penduduk
from penduduk.services import keluarga_simpan, penduduk_simpan
from tests.factories import KeluargaFactory, PendudukFactory

pytestmark = pytest.mark.django_db


def test_penduduk_simpan_mencatat_pengguna_di_riwayat(user_staf, kelurahan_a):
    orang = penduduk_simpan(penduduk=Penduduk(nama="Rajo Bujang", kelurahan=kelurahan_a), oleh=user_staf)
    assert orang.history.get().history_user == user_staf
    assert orang.nama_normal == "rajo bujang"


def test_psm_tidak_boleh_menulis_di_luar_wilayah(psm_a, kelurahan_b):
    with pytest.raises(PermissionDenied):
        penduduk_simpan(penduduk=Penduduk(nama="Orang Luar", kelurahan=kelurahan_b), oleh=psm_a)
    assert not Penduduk.objects.filter(nama="Orang Luar").exists()


def test_pimpinan_tidak_boleh_menulis(user_pimpinan, kelurahan_a):
    with pytest.raises(PermissionDenied):
        penduduk_simpan(penduduk=Penduduk(nama="X", kelurahan=kelurahan_a), oleh=user_pimpinan)


def test_nik_salah_ditolak_oleh_service(user_staf, kelurahan_a):
    with pytest.raises(ValidationError) as exc:
        penduduk_simpan(penduduk=Penduduk(nama="X", nik="123", kelurahan=kelurahan_a), oleh=user_staf)
    assert "nik" in exc.value.message_dict


def test_nik_kosong_disimpan_null_dan_boleh_banyak(user_staf, kelurahan_a):
    for nama in ("Gelandangan Satu", "Gelandangan Dua"):
        penduduk_simpan(penduduk=Penduduk(nama=nama, nik="", kelurahan=kelurahan_a), oleh=user_staf)
    assert Penduduk.objects.filter(nik__isnull=True).count() == 2


def test_nik_unik_di_database(kelurahan_a):
    orang = PendudukFactory(kelurahan=kelurahan_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Penduduk.objects.create(nama="Kembar", nik=orang.nik, nama_normal="kembar", kelurahan=kelurahan_a)


def test_nik_harus_16_karakter_di_database(kelurahan_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Penduduk.objects.create(nama="Pendek", nik="1234", nama_normal="pendek", kelurahan=kelurahan_a)


def test_hubungan_butuh_keluarga_di_database(kelurahan_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Penduduk.objects.create(nama="Tanpa KK", hubungan="anak", nama_normal="tanpa kk", kelurahan=kelurahan_a)


def test_riwayat_no_kk_tersimpan(user_staf, kelurahan_a):
    keluarga = KeluargaFactory(kelurahan=kelurahan_a, no_kk="1376012003150001")
    keluarga.no_kk = "1376011204230002"  # pecah KK: a new number
    keluarga_simpan(keluarga=keluarga, oleh=user_staf)
    assert list(keluarga.history.order_by("history_date").values_list("no_kk", flat=True)) == [
        "1376012003150001",
        "1376011204230002",
    ]


def test_anggota_baru_mewarisi_wilayah_keluarga(user_staf, kelurahan_a):
    keluarga = KeluargaFactory(kelurahan=kelurahan_a, alamat="Jl. Veteran", rt="004", rw="002")
    anak = Penduduk(nama="Anak Baru", hubungan="anak")
    keluarga_simpan(keluarga=keluarga, oleh=user_staf, anggota=[anak])
    anak.refresh_from_db()
    assert (anak.kelurahan, anak.alamat, anak.rt, anak.rw) == (kelurahan_a, "Jl. Veteran", "004", "002")
