"""Access matrix over every registry view and role (DESIGN.md, "Roles and access").

Allowed roles succeed; a PSM of another kelurahan gets 404; a read-only role gets 403 on
writes; anonymous users are sent to the login page.
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SEMUA = ["admin", "staf", "pimpinan", "psm_a"]
PENULIS = ["admin", "staf", "psm_a"]


def _url(nama, obj=None):
    return reverse(nama, args=[obj.pk]) if obj is not None else reverse(nama)


# (url name, needs an object, roles allowed)
MATRIX = [
    ("home", None, SEMUA + ["psm_b"]),
    ("penduduk:list", None, SEMUA + ["psm_b"]),
    ("penduduk:create", None, PENULIS + ["psm_b"]),
    ("penduduk:keluarga-list", None, SEMUA + ["psm_b"]),
    ("penduduk:keluarga-create", None, PENULIS + ["psm_b"]),
    ("penduduk:detail", "penduduk", SEMUA),
    ("penduduk:update", "penduduk", PENULIS),
    ("penduduk:keluarga-detail", "keluarga", SEMUA),
    ("penduduk:keluarga-update", "keluarga", PENULIS),
]


@pytest.fixture
def objek(penduduk_a, keluarga_a):
    return {"penduduk": penduduk_a, "keluarga": keluarga_a, None: None}


@pytest.mark.parametrize(("nama", "jenis", "boleh"), MATRIX)
@pytest.mark.parametrize("peran", ["admin", "staf", "pimpinan", "psm_a", "psm_b"])
def test_matrix_akses(client, cast, objek, nama, jenis, boleh, peran):
    client.force_login(cast[peran])
    resp = client.get(_url(nama, objek[jenis]))
    if nama == "home" and peran.startswith("psm"):
        # A PSM's home is their caseload (psm:beranda); tests/psm/test_lapangan_akses.py covers it.
        assert (resp.status_code, resp["Location"]) == (302, reverse("psm:beranda"))
    elif peran in boleh:
        assert resp.status_code == 200
    elif peran == "psm_b":
        # Out of area: the record does not exist for them.
        assert resp.status_code == 404
    else:
        assert resp.status_code == 403


@pytest.mark.parametrize(("nama", "jenis", "boleh"), MATRIX)
def test_anonim_diarahkan_ke_login(client, objek, nama, jenis, boleh):
    url = _url(nama, objek[jenis])
    resp = client.get(url)
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("nama", "jenis"), [("penduduk:update", "penduduk"), ("penduduk:keluarga-update", "keluarga")])
def test_pimpinan_403_dan_psm_lain_404_pada_post(client, cast, objek, nama, jenis):
    obj = objek[jenis]
    riwayat_sebelum = obj.history.count()
    client.force_login(cast["pimpinan"])
    assert client.post(_url(nama, obj), {"nama": "Diubah", "alamat": "Diubah"}).status_code == 403
    client.force_login(cast["psm_b"])
    assert client.post(_url(nama, obj), {"nama": "Diubah", "alamat": "Diubah"}).status_code == 404
    obj.refresh_from_db()
    assert obj.history.count() == riwayat_sebelum  # nothing was written
    assert obj.alamat != "Diubah"


def test_psm_lain_tidak_melihat_warga_a_di_daftar_pencarian_dan_filter(client, psm_b, penduduk_a, kelurahan_a):
    client.force_login(psm_b)
    for params in ({}, {"q": penduduk_a.nama}, {"q": penduduk_a.nik}, {"kelurahan": kelurahan_a.pk}):
        resp = client.get(reverse("penduduk:list"), params)
        assert resp.status_code == 200
        assert list(resp.context["daftar"]) == []
        assert reverse("penduduk:detail", args=[penduduk_a.pk]).encode() not in resp.content
    resp = client.get(reverse("penduduk:keluarga-list"), {"q": penduduk_a.keluarga.no_kk})
    assert list(resp.context["daftar"]) == []
    assert reverse("penduduk:keluarga-detail", args=[penduduk_a.keluarga_id]).encode() not in resp.content
    # The kelurahan filter offers only their own kelurahan.
    resp = client.get(reverse("penduduk:list"))
    assert kelurahan_a.nama.encode() not in resp.content


def test_psm_tidak_bisa_membuat_penduduk_di_kelurahan_lain(client, psm_a, kelurahan_b):
    client.force_login(psm_a)
    resp = client.post(
        reverse("penduduk:create"), {"nama": "Orang Luar", "kelurahan": kelurahan_b.pk, "status": "hidup"}
    )
    assert resp.status_code == 200
    assert "kelurahan" in resp.context["form"].errors


def test_nik_disamarkan_untuk_pimpinan_lengkap_untuk_lainnya(client, cast, penduduk_a):
    samar = (penduduk_a.nik[:4] + "•" * 12).encode()
    for peran, lengkap in [("pimpinan", False), ("staf", True), ("admin", True), ("psm_a", True)]:
        client.force_login(cast[peran])
        for url in (reverse("penduduk:detail", args=[penduduk_a.pk]), reverse("penduduk:list")):
            content = client.get(url).content
            assert (penduduk_a.nik.encode() in content) is lengkap, (peran, url)
            assert (samar in content) is not lengkap, (peran, url)
