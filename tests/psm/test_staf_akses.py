"""Issue 8: access matrix of the staff pages about PSM (Admin/Staf; Pimpinan reads; PSM never)."""

import pytest
from django.urls import reverse

from psm.models import ProfilPSM
from tests.factories import ProfilPSMFactory

pytestmark = pytest.mark.django_db

PERAN = ["admin", "staf", "pimpinan", "psm_a", "psm_b"]
LIHAT = {"admin", "staf", "pimpinan"}
TULIS = {"admin", "staf"}

# (url name, needs the profile, roles allowed)
MATRIKS = [
    ("psm:list", False, LIHAT),
    ("psm:detail", True, LIHAT),
    ("psm:create", False, TULIS),
    ("psm:update", True, TULIS),
    ("psm:alihkan", True, TULIS),
    ("psm:ikrar-rekap", False, LIHAT),
    ("psm:cakupan", False, LIHAT),
    ("psm:beban", False, LIHAT),
]


@pytest.fixture
def profil(psm_a):
    return ProfilPSMFactory(user=psm_a, nama="Nurhayati")


def _url(nama, perlu_profil, profil):
    return reverse(nama, args=[profil.pk]) if perlu_profil else reverse(nama)


@pytest.mark.parametrize(("nama", "perlu_profil", "boleh"), MATRIKS)
@pytest.mark.parametrize("peran", PERAN)
def test_matriks_akses(client, cast, profil, nama, perlu_profil, boleh, peran):
    client.force_login(cast[peran])
    resp = client.get(_url(nama, perlu_profil, profil))
    assert resp.status_code == (200 if peran in boleh else 403)


@pytest.mark.parametrize(("nama", "perlu_profil", "boleh"), MATRIKS)
def test_anonim_diarahkan_ke_login(client, profil, nama, perlu_profil, boleh):
    url = _url(nama, perlu_profil, profil)
    resp = client.get(url)
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("nama", ["psm:update", "psm:alihkan"])
@pytest.mark.parametrize("peran", ["pimpinan", "psm_a", "psm_b"])
def test_tulis_ditolak_403_tanpa_perubahan(client, cast, profil, nama, peran):
    client.force_login(cast[peran])
    data = {"nama": "Diubah", "catatan": "x", "ke": cast["psm_b"].pk, "semua": "1", "aksi": "nonaktifkan"}
    assert client.post(reverse(nama, args=[profil.pk]), data).status_code == 403
    profil.refresh_from_db()
    assert profil.nama == "Nurhayati"
    assert cast["psm_a"].__class__.objects.get(pk=profil.user_id).is_active


def test_pimpinan_tidak_bisa_membuat_profil(client, cast, psm_b):
    client.force_login(cast["pimpinan"])
    resp = client.post(reverse("psm:create"), {"user": psm_b.pk, "nama": "Coba"})
    assert resp.status_code == 403
    assert not ProfilPSM.objects.filter(user=psm_b).exists()


def test_profil_tidak_ada_404(client, user_staf):
    client.force_login(user_staf)
    assert client.get(reverse("psm:detail", args=[999999])).status_code == 404
    assert client.get(reverse("psm:create"), {"user": "abc"}).status_code == 200  # not an id: no preselection
    assert client.get(reverse("psm:create"), {"user": "999999"}).status_code == 404


def test_menu_psm_untuk_staf_dan_pimpinan_saja(client, cast):
    for peran, terlihat in (("staf", True), ("pimpinan", True), ("psm_a", False)):
        client.force_login(cast[peran])
        html = client.get(reverse("home")).content.decode()
        assert (f'href="{reverse("psm:list")}"' in html) is terlihat, peran
