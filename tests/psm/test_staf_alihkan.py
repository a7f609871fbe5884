"""Issue 8: handover of a PSM's residents and cases (nothing lost, history kept), refusals, and
deactivation (the PSM loses access at the next request)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from akun.models import User
from akun.roles import Peran
from ppks.models import PPKS, Kasus
from tests.factories import KasusFactory, PendudukFactory, PPKSFactory, ProfilPSMFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pengganti(kelurahan_a):
    return UserFactory(username="psm.tanjuang-pauh.2", peran=Peran.PSM, kelurahan=[kelurahan_a], first_name="Rina")


@pytest.fixture
def dampingan(psm_a, kelurahan_a):
    ppks = [PPKSFactory(penduduk=PendudukFactory(kelurahan=kelurahan_a), psm_pendamping=psm_a) for _ in range(3)]
    kasus = [KasusFactory(kelurahan=kelurahan_a, psm=psm_a) for _ in range(2)]
    return ppks, kasus


@pytest.fixture
def profil(psm_a):
    return ProfilPSMFactory(user=psm_a, nama="Nurhayati")


def _url(profil):
    return reverse("psm:alihkan", args=[profil.pk])


def test_alihkan_semua_tidak_ada_yang_hilang(client, user_staf, psm_a, pengganti, profil, dampingan, psm_b):
    client.force_login(user_staf)
    resp = client.get(_url(profil))
    assert list(resp.context["form"].fields["ke"].queryset) == [pengganti]  # shares a kelurahan; not psm_b
    resp = client.post(_url(profil), {"ke": pengganti.pk, "semua": "1", "catatan": "Pindah ke Padang"}, follow=True)
    assert "3 PPKS dan 2 kasus terbuka dialihkan" in resp.content.decode()
    assert not PPKS.objects.filter(psm_pendamping=psm_a).exists()
    assert not Kasus.objects.filter(psm=psm_a).exists()
    ppks, kasus = dampingan
    assert PPKS.objects.filter(psm_pendamping=pengganti).count() == 3
    assert Kasus.objects.filter(psm=pengganti).count() == 2
    for obj in [*ppks, *kasus]:
        entri = obj.history.first()
        assert entri.history_user == user_staf
        assert "Pindah ke Padang" in entri.history_change_reason


def test_alihkan_sebagian(client, user_staf, psm_a, pengganti, profil, dampingan):
    ppks, kasus = dampingan
    client.force_login(user_staf)
    data = {"ke": pengganti.pk, "semua": "0", "ppks": [ppks[0].pk], "kasus": [kasus[1].pk], "catatan": "Bagi beban"}
    assert client.post(_url(profil), data).status_code == 302
    assert set(PPKS.objects.filter(psm_pendamping=pengganti)) == {ppks[0]}
    assert set(Kasus.objects.filter(psm=pengganti)) == {kasus[1]}
    assert PPKS.objects.filter(psm_pendamping=psm_a).count() == 2


def test_alihkan_ditolak_dengan_pesan(client, user_staf, psm_a, pengganti, profil, dampingan, kelurahan_b, psm_b):
    client.force_login(user_staf)
    tanpa_catatan = client.post(_url(profil), {"ke": pengganti.pk, "semua": "1", "catatan": ""})
    assert tanpa_catatan.status_code == 200 and "catatan" in tanpa_catatan.context["form"].errors
    kosong = client.post(_url(profil), {"ke": pengganti.pk, "semua": "0", "catatan": "x"})
    assert "Pilih minimal satu PPKS atau kasus untuk dialihkan." in kosong.content.decode()
    # A receiver outside the area is no choice at all.
    luar = client.post(_url(profil), {"ke": psm_b.pk, "semua": "1", "catatan": "x"})
    assert luar.status_code == 200 and "ke" in luar.context["form"].errors
    # A receiver sharing one kelurahan, while a record lies in another: named, nothing moved.
    psm_a.kelurahan.add(kelurahan_b)
    PPKSFactory(penduduk=PendudukFactory(kelurahan=kelurahan_b), psm_pendamping=psm_a)
    resp = client.post(_url(profil), {"ke": pengganti.pk, "semua": "1", "catatan": "x"})
    assert resp.status_code == 200
    assert "tidak bertugas di kelurahan Napar" in resp.content.decode()
    assert PPKS.objects.filter(psm_pendamping=psm_a).count() == 4
    assert not PPKS.objects.filter(psm_pendamping=pengganti).exists()


def test_alihkan_lalu_nonaktifkan_psm_kehilangan_akses(client, user_staf, psm_a, pengganti, profil, dampingan):
    client_psm = client.__class__()
    client_psm.force_login(psm_a)
    assert client_psm.get(reverse("ppks:list")).status_code == 200
    client.force_login(user_staf)
    data = {"ke": pengganti.pk, "semua": "1", "catatan": "Berhenti", "nonaktifkan": "on"}
    assert client.post(_url(profil), data).status_code == 302
    psm_a.refresh_from_db()
    profil.refresh_from_db()
    assert not psm_a.is_active and profil.aktif_sampai == timezone.localdate()
    assert psm_a.history.first().history_user == user_staf
    resp = client_psm.get(reverse("ppks:list"))
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("login"))


def test_nonaktifkan_ditolak_bila_masih_ada_dampingan(client, user_staf, psm_a, pengganti, profil, dampingan):
    ppks, _kasus = dampingan
    client.force_login(user_staf)
    data = {"ke": pengganti.pk, "semua": "0", "ppks": [ppks[0].pk], "catatan": "x", "nonaktifkan": "on"}
    resp = client.post(_url(profil), data)
    assert resp.status_code == 200
    assert "Akun tidak dinonaktifkan dan tidak ada yang dialihkan" in resp.content.decode()
    assert User.objects.get(pk=psm_a.pk).is_active
    assert not PPKS.objects.filter(psm_pendamping=pengganti).exists()  # rolled back as a whole
    client.post(_url(profil), {"aksi": "nonaktifkan"})
    assert User.objects.get(pk=psm_a.pk).is_active


def test_nonaktifkan_tanpa_dampingan(client, user_admin, psm_a, profil):
    client.force_login(user_admin)
    assert "Nonaktifkan akun PSM ini" in client.get(_url(profil)).content.decode()
    resp = client.post(_url(profil), {"aksi": "nonaktifkan"})
    assert resp.status_code == 302
    assert not User.objects.get(pk=psm_a.pk).is_active
