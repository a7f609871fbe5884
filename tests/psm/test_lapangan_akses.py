"""Issue 8, point 6: who may open the PSM's phone pages and the visit pages (the access matrix).

Allowed roles 200, a PSM of another kelurahan 404 (also for the photo), Pimpinan 403 on the form,
anonymous users to the login page, forged subject ids 404.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import KasusFactory, KeluargaFactory, KunjunganFactory, PendudukFactory, PPKSFactory
from tests.psm import berikrar

pytestmark = pytest.mark.django_db

PERAN = ["admin", "staf", "pimpinan", "psm_a", "psm_b"]


@pytest.fixture
def data(cast, kelurahan_a, kelurahan_b, penduduk_a, keluarga_a):
    for nama in ("psm_a", "psm_b"):
        berikrar(cast[nama])
    PPKSFactory(penduduk=penduduk_a)
    kasus = KasusFactory(kelurahan=kelurahan_a, penduduk=penduduk_a)
    kunjungan = KunjunganFactory(penduduk=penduduk_a, oleh=cast["psm_a"])
    return {"penduduk": penduduk_a, "keluarga": keluarga_a, "kasus": kasus, "kunjungan": kunjungan}


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


# (url builder, expected status per role): psm_b is in another kelurahan than the data.
MATRIKS = [
    (
        "beranda",
        lambda d: reverse("psm:beranda"),
        {"admin": 403, "staf": 403, "pimpinan": 403, "psm_a": 200, "psm_b": 200},
    ),
    ("ikrar", lambda d: reverse("psm:ikrar"), {"admin": 403, "staf": 403, "pimpinan": 403, "psm_a": 200, "psm_b": 200}),
    ("daftar", lambda d: reverse("psm:kunjungan-list"), dict.fromkeys(PERAN, 200)),
    (
        "detail",
        lambda d: reverse("psm:kunjungan-detail", args=[d["kunjungan"].pk]),
        {"admin": 200, "staf": 200, "pimpinan": 200, "psm_a": 200, "psm_b": 404},
    ),
    (
        "foto-tanpa-foto",
        lambda d: reverse("psm:kunjungan-foto", args=[d["kunjungan"].pk]),
        dict.fromkeys(PERAN, 404),
    ),
    (
        "form-penduduk",
        lambda d: reverse("psm:kunjungan-create") + f"?penduduk={d['penduduk'].pk}",
        {"admin": 200, "staf": 200, "pimpinan": 403, "psm_a": 200, "psm_b": 404},
    ),
    (
        "form-keluarga",
        lambda d: reverse("psm:kunjungan-create") + f"?keluarga={d['keluarga'].pk}",
        {"admin": 200, "staf": 200, "pimpinan": 403, "psm_a": 200, "psm_b": 404},
    ),
    (
        "form-kasus",
        lambda d: reverse("psm:kunjungan-create") + f"?kasus={d['kasus'].pk}",
        {"admin": 200, "staf": 200, "pimpinan": 403, "psm_a": 200, "psm_b": 404},
    ),
    (
        "form-tanpa-subjek",
        lambda d: reverse("psm:kunjungan-create"),
        {"admin": 200, "staf": 200, "pimpinan": 403, "psm_a": 200, "psm_b": 200},
    ),
]


@pytest.mark.parametrize("peran", PERAN)
@pytest.mark.parametrize(("nama", "url", "harapan"), MATRIKS, ids=[m[0] for m in MATRIKS])
def test_matriks_akses(client, cast, data, peran, nama, url, harapan):
    resp = _get(client, cast[peran], url(data))
    assert resp.status_code == harapan[peran], f"{nama} {peran}"


@pytest.mark.parametrize(("nama", "url", "harapan"), MATRIKS, ids=[m[0] for m in MATRIKS])
def test_anonim_ke_halaman_masuk(client, data, nama, url, harapan):
    resp = client.get(url(data))
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "query",
    ["penduduk=abc", "penduduk=²", "penduduk=99999999999999999999999", "penduduk=0", "keluarga=-1", "kasus=999999"],
)
def test_id_subjek_palsu_404(client, psm_a, data, query):
    client.force_login(psm_a)
    assert client.get(f"{reverse('psm:kunjungan-create')}?{query}").status_code == 404


def test_dua_subjek_sekaligus_404(client, psm_a, data):
    client.force_login(psm_a)
    url = f"{reverse('psm:kunjungan-create')}?penduduk={data['penduduk'].pk}&kasus={data['kasus'].pk}"
    assert client.get(url).status_code == 404


def test_post_ke_subjek_luar_wilayah_404_tidak_tercatat(client, psm_b, data):
    from psm.models import Kunjungan

    client.force_login(psm_b)
    sebelum = Kunjungan.objects.count()
    url = f"{reverse('psm:kunjungan-create')}?penduduk={data['penduduk'].pk}"
    resp = client.post(url, {"tanggal": "01/01/2026", "temuan": "palsu"})
    assert resp.status_code == 404
    assert Kunjungan.objects.count() == sebelum


def test_pimpinan_tidak_bisa_post_kunjungan(client, user_pimpinan, data):
    client.force_login(user_pimpinan)
    url = f"{reverse('psm:kunjungan-create')}?penduduk={data['penduduk'].pk}"
    assert client.post(url, {"tanggal": "01/01/2026"}).status_code == 403


def test_daftar_kunjungan_psm_hanya_wilayahnya(client, psm_b, data, kelurahan_b):
    lain = KunjunganFactory(penduduk=PendudukFactory(kelurahan=kelurahan_b, nama="Rangkayo Napar"))
    client.force_login(psm_b)
    html = client.get(reverse("psm:kunjungan-list")).content.decode()
    assert "Rangkayo Napar" in html and data["penduduk"].nama not in html
    assert str(lain.pk) in html


def test_pimpinan_tidak_melihat_jenis_sensitif_pada_kunjungan_kasus(client, user_pimpinan, kelurahan_a):
    from tests.factories import jenis_ppks

    kasus = KasusFactory(kelurahan=kelurahan_a, jenis=jenis_ppks("ODHA"), ringkasan="Butuh obat rutin")
    k = KunjunganFactory(penduduk=None, kasus=kasus, kelurahan=kelurahan_a)
    client.force_login(user_pimpinan)
    html = client.get(reverse("psm:kunjungan-detail", args=[k.pk])).content.decode()
    assert "(dirahasiakan)" in html
    assert jenis_ppks("ODHA").nama not in html


def test_form_kunjungan_keluarga_di_luar_wilayah_404(client, psm_a, kelurahan_b):
    berikrar(psm_a)
    keluarga = KeluargaFactory(kelurahan=kelurahan_b)
    client.force_login(psm_a)
    assert client.get(f"{reverse('psm:kunjungan-create')}?keluarga={keluarga.pk}").status_code == 404
