"""Access matrix over every extreme-poverty view and role (DESIGN.md, "Roles and access").

Pimpinan views and never writes (403); a PSM views and proposes exits in their kelurahan (another
kelurahan: 404) but never enters, records help or verifies (403); anonymous users go to login.
"""

import pytest
from django.urls import reverse

from kemiskinan.models import StatusMiskinEkstrem, UsulanKeluar
from tests.factories import KeluargaFactory, PendudukFactory

pytestmark = pytest.mark.django_db

PERAN = ["admin", "staf", "pimpinan", "psm_a", "psm_b"]
OK = 200


def _harapan(**lain) -> dict:
    hasil = dict.fromkeys(PERAN, OK)
    hasil.update(lain)
    return hasil


# (url name, object kind, expected status per role)
MATRIX = [
    ("kemiskinan:progres", None, _harapan()),
    ("kemiskinan:list", None, _harapan()),
    ("kemiskinan:detail", "keluarga", _harapan(psm_b=404)),
    ("kemiskinan:masuk", None, _harapan(pimpinan=403, psm_a=403, psm_b=403)),
    ("kemiskinan:masuk", "baru", _harapan(pimpinan=403, psm_a=403, psm_b=403)),
    ("kemiskinan:intervensi", "keluarga", _harapan(pimpinan=403, psm_a=403, psm_b=403)),
    ("kemiskinan:usul-keluar", "status_lain", _harapan(pimpinan=403, psm_b=404)),
    ("kemiskinan:verifikasi", "usulan", _harapan(pimpinan=403, psm_a=403, psm_b=403)),
]


@pytest.fixture
def objek(keluarga_miskin, status_a, usulan_a, kelurahan_a, user_staf):
    """``usulan`` waits on ``status_a`` (by psm_a); ``status_lain`` is a second household with none."""
    lain = KeluargaFactory(kelurahan=kelurahan_a)
    PendudukFactory(keluarga=lain, kelurahan=kelurahan_a, hubungan="kepala")
    status_lain = StatusMiskinEkstrem.objects.create(
        keluarga=lain, sumber="dtsen", tanggal_masuk=status_a.tanggal_masuk, jiwa_masuk=1, dicatat_oleh=user_staf
    )
    baru = KeluargaFactory(kelurahan=kelurahan_a)
    return {"keluarga": keluarga_miskin, "status_lain": status_lain, "usulan": usulan_a, "baru": baru}


def _url(nama, jenis, objek):
    if jenis is None:
        return reverse(nama)
    if jenis == "baru":
        return reverse(nama) + f"?keluarga={objek['baru'].pk}"
    return reverse(nama, args=[objek[jenis].pk])


@pytest.mark.parametrize(("nama", "jenis", "harapan"), MATRIX)
@pytest.mark.parametrize("peran", PERAN)
def test_matrix_akses(client, cast, objek, nama, jenis, harapan, peran):
    client.force_login(cast[peran])
    assert client.get(_url(nama, jenis, objek)).status_code == harapan[peran]


@pytest.mark.parametrize(("nama", "jenis", "harapan"), MATRIX)
def test_anonim_diarahkan_ke_login(client, objek, nama, jenis, harapan):
    resp = client.get(_url(nama, jenis, objek))
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("login"))


def test_post_ditolak_tanpa_menulis(client, cast, objek):
    """Pimpinan 403 on every write; PSM 403 on verify/enter/help; other kelurahan 404."""
    usulan, status_lain, keluarga = objek["usulan"], objek["status_lain"], objek["keluarga"]
    tulis = [
        (reverse("kemiskinan:verifikasi", args=[usulan.pk]), {f"v{usulan.pk}-keputusan": "setuju"}),
        (reverse("kemiskinan:intervensi", args=[keluarga.pk]), {"program": "pkh", "tanggal": "01/02/2024"}),
        (reverse("kemiskinan:usul-keluar", args=[status_lain.pk]), {"tanggal_keluar": "01/02/2024"}),
        (reverse("kemiskinan:masuk") + f"?keluarga={objek['baru'].pk}", {"sumber": "p3ke"}),
    ]
    harapan = {
        "pimpinan": [403, 403, 403, 403],
        "psm_a": [403, 403, None, 403],  # None: allowed (form errors here)
        "psm_b": [403, 403, 404, 403],
    }
    for peran, kode in harapan.items():
        client.force_login(cast[peran])
        for (url, data), status in zip(tulis, kode, strict=True):
            if status is not None:
                assert client.post(url, data).status_code == status, (peran, url)
    usulan.refresh_from_db()
    assert usulan.status == "diusulkan"
    assert UsulanKeluar.objects.filter(status_miskin=status_lain).count() == 0
    assert not StatusMiskinEkstrem.objects.filter(keluarga=objek["baru"]).exists()


def test_pengusul_staf_tidak_bisa_memverifikasi_usulannya_sendiri(client, cast, status_a):
    from tests.factories import UsulanKeluarFactory

    usulan = UsulanKeluarFactory(status_miskin=status_a, diusulkan_oleh=cast["staf"])
    client.force_login(cast["staf"])
    url = reverse("kemiskinan:verifikasi", args=[usulan.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {f"v{usulan.pk}-keputusan": "setuju"}).status_code == 403
    usulan.refresh_from_db()
    assert usulan.status == "diusulkan"
    # Another staff user (admin) may.
    client.force_login(cast["admin"])
    assert client.get(url).status_code == 200


def test_psm_lain_tidak_melihat_keluarga_a_di_daftar_dan_progres(client, psm_b, status_a, kelurahan_a):
    client.force_login(psm_b)
    for params in ({}, {"q": "Bujang"}, {"q": status_a.keluarga.no_kk}, {"kelurahan": kelurahan_a.pk}):
        resp = client.get(reverse("kemiskinan:list"), params)
        assert list(resp.context["daftar"]) == []
        assert reverse("kemiskinan:detail", args=[status_a.keluarga_id]).encode() not in resp.content
    resp = client.get(reverse("kemiskinan:progres"))
    assert resp.context["p"].kini.kk == 0
    assert kelurahan_a.nama.encode() not in resp.content


def test_pimpinan_melihat_no_kk_dan_nik_tersamar(client, user_pimpinan, status_a, keluarga_miskin):
    client.force_login(user_pimpinan)
    no_kk = keluarga_miskin.no_kk
    nik = keluarga_miskin.anggota.first().nik
    for url in (reverse("kemiskinan:list"), reverse("kemiskinan:detail", args=[keluarga_miskin.pk])):
        content = client.get(url).content.decode()
        assert no_kk not in content and nik not in content, url
        assert no_kk[:4] + "•" * 12 in content, url
    # No number search for a masked role.
    resp = client.get(reverse("kemiskinan:list"), {"q": no_kk})
    assert list(resp.context["daftar"]) == []
