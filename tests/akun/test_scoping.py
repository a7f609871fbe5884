import pytest
from django.contrib.auth.models import AnonymousUser

from akun.roles import Peran
from penduduk.models import Keluarga, Penduduk
from tests.factories import PendudukFactory, UserFactory
from wilayah.models import Kecamatan, Kelurahan

pytestmark = pytest.mark.django_db


def test_peran_sekota_melihat_semua(cast, penduduk_a, penduduk_b):
    for peran in ("admin", "staf", "pimpinan"):
        assert set(Penduduk.objects.for_user(cast[peran])) >= {penduduk_a, penduduk_b}
        assert Kelurahan.objects.for_user(cast[peran]).count() == 47


def test_psm_hanya_kelurahannya(psm_a, penduduk_a, penduduk_b, kelurahan_a):
    assert penduduk_a in Penduduk.objects.for_user(psm_a)
    assert penduduk_b not in Penduduk.objects.for_user(psm_a)
    assert list(Kelurahan.objects.for_user(psm_a)) == [kelurahan_a]
    assert list(Kecamatan.objects.for_user(psm_a)) == [kelurahan_a.kecamatan]
    assert set(Keluarga.objects.for_user(psm_a)) == {penduduk_a.keluarga}


def test_psm_dua_kelurahan_satu_kecamatan_tanpa_baris_ganda(kelurahan_a):
    tetangga = Kelurahan.objects.filter(kecamatan=kelurahan_a.kecamatan).exclude(pk=kelurahan_a.pk).first()
    psm = UserFactory(username="psm.dua", peran=Peran.PSM, kelurahan=[kelurahan_a, tetangga])
    PendudukFactory(kelurahan=tetangga)
    PendudukFactory(kelurahan=kelurahan_a)
    assert Penduduk.objects.for_user(psm).count() == 2
    assert Kecamatan.objects.for_user(psm).count() == 1


@pytest.mark.parametrize("kasus", ["anonim", "none", "nonaktif", "psm_tanpa_kelurahan"])
def test_tanpa_hak_tidak_melihat_apa_pun(kasus, penduduk_a, psm_a):
    user = {
        "anonim": AnonymousUser(),
        "none": None,
        "nonaktif": psm_a,
        "psm_tanpa_kelurahan": UserFactory(username="psm.kosong", peran=Peran.PSM),
    }[kasus]
    if kasus == "nonaktif":
        psm_a.is_active = False
    assert Penduduk.objects.for_user(user).count() == 0
    assert Kelurahan.objects.for_user(user).count() == 0


def test_superuser_dianggap_admin(penduduk_b):
    su = UserFactory(username="root", peran=Peran.PSM, is_superuser=True)
    assert su.peran_efektif == Peran.ADMIN
    assert penduduk_b in Penduduk.objects.for_user(su)
