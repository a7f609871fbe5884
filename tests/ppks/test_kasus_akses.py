"""Access matrix over every case view and role (DESIGN.md, "Roles and access").

Allowed roles succeed; a PSM of another kelurahan gets 404 on ids of kelurahan A; Pimpinan gets
403 on every write; anonymous users are sent to login; ids forged into forms and query strings are
refused and write nothing.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from ppks.models import Kasus, Notifikasi, Rujukan, Tindakan
from ppks.services import kasus_ubah
from tests.factories import KasusFactory, PendudukFactory, jenis_ppks

pytestmark = pytest.mark.django_db

SEMUA = ["admin", "staf", "pimpinan", "psm_a"]
PENULIS = ["admin", "staf", "psm_a"]
PERAN = ["admin", "staf", "pimpinan", "psm_a", "psm_b"]


@pytest.fixture
def kasus_a(kelurahan_a):
    return KasusFactory(kelurahan=kelurahan_a, ringkasan="Lansia sakit sendirian")


@pytest.fixture
def kasus_selesai(kelurahan_a):
    return KasusFactory(kelurahan=kelurahan_a, status="selesai", selesai_pada=timezone.now())


@pytest.fixture
def rujukan_a(kasus_a, user_staf):
    return Rujukan.objects.create(
        kasus=kasus_a, jenis_lembaga="kesehatan", nama_lembaga="RSUD Adnaan WD", oleh=user_staf
    )


@pytest.fixture
def objek(kasus_a, kasus_selesai, rujukan_a):
    return {"kasus": kasus_a, "kasus_selesai": kasus_selesai, "rujukan": rujukan_a, None: None}


def _url(nama, obj=None):
    return reverse(nama, args=[obj.pk]) if obj is not None else reverse(nama)


# (url name, object, roles allowed) for the pages a GET opens.
HALAMAN = [
    ("ppks:kasus-board", None, SEMUA + ["psm_b"]),
    ("ppks:kasus-list", None, SEMUA + ["psm_b"]),
    ("ppks:kasus-create", None, PENULIS + ["psm_b"]),
    ("ppks:kasus-detail", "kasus", SEMUA),
    ("ppks:kasus-update", "kasus", PENULIS),
]

# (url name, object, POST data, how to see that it was written) for every write.
TULIS = [
    ("ppks:kasus-status", "kasus", {"status": "diverifikasi"}, lambda o: Kasus.objects.get(pk=o.pk).status),
    (
        "ppks:kasus-buka",
        "kasus_selesai",
        {"alasan": "Lansia jatuh sakit lagi"},
        lambda o: Kasus.objects.get(pk=o.pk).status,
    ),
    (
        "ppks:kasus-tindakan",
        "kasus",
        {"jenis": "kunjungan", "uraian": "Dikunjungi, kondisi lemah"},
        lambda o: Tindakan.objects.filter(kasus=o).count(),
    ),
    (
        "ppks:kasus-rujukan",
        "kasus",
        {"jenis_lembaga": "kesehatan", "nama_lembaga": "Puskesmas Ibuh", "tanggal": "", "catatan": ""},
        lambda o: Rujukan.objects.filter(kasus=o).count(),
    ),
    ("ppks:rujukan-status", "rujukan", {"status": "diterima"}, lambda o: Rujukan.objects.get(pk=o.pk).status),
]


@pytest.mark.parametrize(("nama", "jenis", "boleh"), HALAMAN)
@pytest.mark.parametrize("peran", PERAN)
def test_matrix_halaman(client, cast, objek, nama, jenis, boleh, peran):
    client.force_login(cast[peran])
    resp = client.get(_url(nama, objek[jenis]))
    if peran in boleh:
        assert resp.status_code == 200
    elif peran == "psm_b":
        assert resp.status_code == 404  # out of area: the case does not exist for them
    else:
        assert resp.status_code == 403


@pytest.mark.parametrize(("nama", "jenis", "data", "baca"), TULIS)
@pytest.mark.parametrize("peran", PERAN)
def test_matrix_tulis(client, cast, objek, nama, jenis, data, baca, peran):
    obj = objek[jenis]
    sebelum = baca(obj)
    client.force_login(cast[peran])
    resp = client.post(_url(nama, obj), data)
    if peran in PENULIS:
        assert resp.status_code == 302
        kasus = obj.kasus if isinstance(obj, Rujukan) else obj
        assert resp["Location"].startswith(kasus.get_absolute_url())
        assert baca(obj) != sebelum
    else:
        assert resp.status_code == (404 if peran == "psm_b" else 403)
        assert baca(obj) == sebelum  # nothing was written


@pytest.mark.parametrize(("nama", "jenis", "data", "baca"), TULIS)
@pytest.mark.parametrize("peran", PERAN)
def test_get_pada_url_tulis(client, cast, objek, nama, jenis, data, baca, peran):
    """The write URLs answer POST only: GET is 405 whatever the id (403 for Pimpinan, before the view)."""
    client.force_login(cast[peran])
    resp = client.get(_url(nama, objek[jenis]))
    assert resp.status_code == (403 if peran == "pimpinan" else 405)


@pytest.mark.parametrize(
    ("nama", "jenis"),
    [(n, j) for n, j, _ in HALAMAN] + [(n, j) for n, j, _, _ in TULIS] + [("ppks:notifikasi-baca", None)],
)
def test_anonim_diarahkan_ke_login(client, objek, nama, jenis):
    url = reverse(nama, args=[1]) if nama == "ppks:notifikasi-baca" else _url(nama, objek[jenis])
    for resp in (client.get(url), client.post(url, {})):
        assert resp.status_code == 302
        assert resp["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("peran", PERAN)
def test_ubah_kasus_pimpinan_403_psm_lain_404(client, cast, kasus_a, peran):
    data = {
        "ringkasan": "Diubah", "kelurahan": kasus_a.kelurahan_id, "urgensi": "biasa", "sumber": "warga",
        "versi": kasus_a.versi,  # the version the edit form was opened at (akun/versi.py)
    }  # fmt: skip
    client.force_login(cast[peran])
    resp = client.post(_url("ppks:kasus-update", kasus_a), data)
    kasus_a.refresh_from_db()
    if peran in PENULIS:
        assert resp.status_code == 302
        assert kasus_a.ringkasan == "Diubah"
    else:
        assert resp.status_code == (404 if peran == "psm_b" else 403)
        assert kasus_a.ringkasan == "Lansia sakit sendirian"


@pytest.mark.parametrize("peran", ["pimpinan", "psm_b"])
def test_buat_kasus_tidak_untuk_pimpinan_dan_tidak_di_luar_wilayah(client, cast, kelurahan_a, peran):
    client.force_login(cast[peran])
    data = {"ringkasan": "Anak jalanan", "kelurahan": kelurahan_a.pk, "urgensi": "darurat", "sumber": "warga"}
    resp = client.post(reverse("ppks:kasus-create"), data)
    if peran == "pimpinan":
        assert resp.status_code == 403
    else:
        assert resp.status_code == 200
        assert "kelurahan" in resp.context["form"].errors
    assert not Kasus.objects.exists()


def test_psm_lain_tidak_melihat_kasus_a_di_papan_daftar_dan_pencarian(client, psm_b, kasus_a, kelurahan_a):
    client.force_login(psm_b)
    for nama, params in [
        ("ppks:kasus-board", {}),
        ("ppks:kasus-board", {"kelurahan": kelurahan_a.pk}),
        ("ppks:kasus-list", {}),
        ("ppks:kasus-list", {"q": kasus_a.nomor}),
        ("ppks:kasus-list", {"kelurahan": kelurahan_a.pk}),
    ]:
        resp = client.get(reverse(nama), params)
        assert resp.status_code == 200
        assert list(resp.context["daftar"]) == []
        assert kasus_a.get_absolute_url().encode() not in resp.content
    # The counts at the top and the kelurahan filter know nothing of kelurahan A either.
    resp = client.get(reverse("ppks:kasus-board"))
    assert resp.context["jumlah"]["semua"] == 0
    assert "per_kelurahan" not in resp.context
    assert kelurahan_a.nama.encode() not in resp.content


def test_id_penduduk_palsu_di_query_string_404(client, psm_a, penduduk_b):
    client.force_login(psm_a)
    url = reverse("ppks:kasus-create")
    assert client.get(url, {"penduduk": penduduk_b.pk}).status_code == 404
    for nilai in ("²", "9" * 30, "abc", "", "-1"):
        assert client.get(url, {"penduduk": nilai}).status_code == 404
    data = {"ringkasan": "x", "kelurahan": psm_a.kelurahan.get().pk, "urgensi": "biasa", "sumber": "psm"}
    assert client.post(f"{url}?penduduk={penduduk_b.pk}", data).status_code == 404
    assert not Kasus.objects.exists()


def test_nik_penduduk_luar_wilayah_ditolak(client, psm_a, kelurahan_a, penduduk_b):
    client.force_login(psm_a)
    data = {
        "ringkasan": "Orang ditemukan",
        "kelurahan": kelurahan_a.pk,
        "urgensi": "tinggi",
        "sumber": "psm",
        "nik_penduduk": penduduk_b.nik,
    }
    resp = client.post(reverse("ppks:kasus-create"), data)
    assert resp.status_code == 200
    assert "nik_penduduk" in resp.context["form"].errors
    assert penduduk_b.nama.encode() not in resp.content
    assert not Kasus.objects.exists()


def test_psm_palsu_ditolak(client, cast, kelurahan_a, psm_b):
    data = {"ringkasan": "Lansia", "kelurahan": kelurahan_a.pk, "urgensi": "biasa", "sumber": "warga", "psm": psm_b.pk}
    # A PSM is offered only the PSM of their own area: another one is not a valid choice.
    client.force_login(cast["psm_a"])
    resp = client.post(reverse("ppks:kasus-create"), data)
    assert resp.status_code == 200 and "psm" in resp.context["form"].errors
    # Staf may pick any PSM, but not one who does not serve the case's kelurahan.
    client.force_login(cast["staf"])
    resp = client.post(reverse("ppks:kasus-create"), data)
    assert resp.status_code == 200 and "psm" in resp.context["form"].errors
    # Nor a staff member as "PSM", nor a PSM as petugas.
    resp = client.post(reverse("ppks:kasus-create"), {**data, "psm": cast["staf"].pk})
    assert "psm" in resp.context["form"].errors
    resp = client.post(reverse("ppks:kasus-create"), {**data, "psm": "", "petugas": cast["psm_a"].pk})
    assert "petugas" in resp.context["form"].errors
    assert not Kasus.objects.exists()


def test_psm_tidak_bisa_memindahkan_kasus_ke_kelurahan_lain(client, psm_a, kasus_a, kelurahan_b):
    client.force_login(psm_a)
    data = {"ringkasan": "Pindah", "kelurahan": kelurahan_b.pk, "urgensi": "biasa", "sumber": "warga"}
    resp = client.post(_url("ppks:kasus-update", kasus_a), data)
    assert resp.status_code == 200 and "kelurahan" in resp.context["form"].errors
    kasus_a.refresh_from_db()
    assert kasus_a.kelurahan_id == psm_a.kelurahan.get().pk


def test_rujukan_kasus_lain_tidak_bisa_diubah_psm_lain(client, psm_b, rujukan_a):
    client.force_login(psm_b)
    assert client.post(_url("ppks:rujukan-status", rujukan_a), {"status": "ditolak"}).status_code == 404
    rujukan_a.refresh_from_db()
    assert rujukan_a.status == "dikirim"


def test_notifikasi_sendiri_ditandai_dibaca_milik_orang_lain_404(client, psm_a, user_staf, kasus_a):
    milik_psm = Notifikasi.objects.create(pengguna=psm_a, kasus=kasus_a, jenis="darurat")
    milik_staf = Notifikasi.objects.create(pengguna=user_staf, kasus=kasus_a, jenis="darurat")
    client.force_login(psm_a)
    resp = client.post(reverse("ppks:notifikasi-baca", args=[milik_psm.pk]))
    assert resp.status_code == 302 and resp["Location"] == kasus_a.get_absolute_url()
    milik_psm.refresh_from_db()
    assert milik_psm.dibaca_pada is not None
    assert client.post(reverse("ppks:notifikasi-baca", args=[milik_staf.pk])).status_code == 404
    milik_staf.refresh_from_db()
    assert milik_staf.dibaca_pada is None
    assert client.get(reverse("ppks:notifikasi-baca", args=[milik_psm.pk])).status_code == 405


@pytest.mark.parametrize("peran", ["pimpinan", "admin"])
def test_jenis_sensitif_dirahasiakan_untuk_pimpinan_di_semua_halaman_kasus(client, cast, kelurahan_a, peran):
    orang = PendudukFactory(kelurahan=kelurahan_a, nama="Upik Sensitif")
    kasus = KasusFactory(kelurahan=kelurahan_a, penduduk=orang, jenis=jenis_ppks("ODHA"), urgensi="tinggi")
    client.force_login(cast[peran])
    nama_jenis = jenis_ppks("ODHA").nama.encode()
    for url in (kasus.get_absolute_url(), reverse("ppks:kasus-board"), reverse("ppks:kasus-list")):
        content = client.get(url).content
        if peran == "pimpinan":
            assert nama_jenis not in content, url
            assert b"(dirahasiakan)" in content, url
        else:
            assert nama_jenis in content, url
    detail = client.get(kasus.get_absolute_url()).content
    # Pimpinan reads the case without the identity of the person concerned; others see the name.
    assert (b"Upik Sensitif" in detail) is (peran == "admin")


def test_pimpinan_tidak_melihat_identitas_orang_di_kasus_mana_pun(client, user_pimpinan, user_staf, kelurahan_a):
    """Review: a case's summary says what happened ("korban KDRT"), whatever its jenis; a name beside
    it discloses it. Pimpinan sees that a registered person is linked, not who, also in the history."""
    orang = PendudukFactory(kelurahan=kelurahan_a, nama="Welni Rosna")
    kasus = KasusFactory(kelurahan=kelurahan_a, ringkasan="Ibu rumah tangga korban KDRT")
    kasus.penduduk = orang
    kasus_ubah(kasus=kasus, oleh=user_staf)
    client.force_login(user_pimpinan)
    html = client.get(kasus.get_absolute_url()).content.decode()
    assert "Welni Rosna" not in html and orang.nik[4:] not in html
    assert "identitas tidak ditampilkan" in html
    assert "(dirahasiakan)" in html  # the history line "Penduduk: — → …"
    client.force_login(user_staf)
    assert "Welni Rosna" in client.get(kasus.get_absolute_url()).content.decode()


def test_jenis_tidak_sensitif_tampil_untuk_pimpinan(client, user_pimpinan, kelurahan_a):
    kasus = KasusFactory(kelurahan=kelurahan_a, jenis=jenis_ppks("LUT"))
    client.force_login(user_pimpinan)
    assert jenis_ppks("LUT").nama.encode() in client.get(kasus.get_absolute_url()).content


def test_jenis_sensitif_di_riwayat_dirahasiakan_untuk_pimpinan(client, user_staf, user_pimpinan, kasus_a):
    client.force_login(user_staf)
    data = {
        "ringkasan": kasus_a.ringkasan,
        "kelurahan": kasus_a.kelurahan_id,
        "urgensi": "biasa",
        "sumber": "warga",
        "jenis": jenis_ppks("KTR").pk,
        "versi": kasus_a.versi,
    }
    assert client.post(_url("ppks:kasus-update", kasus_a), data).status_code == 302
    assert jenis_ppks("KTR").nama.encode() in client.get(kasus_a.get_absolute_url()).content
    client.force_login(user_pimpinan)
    content = client.get(kasus_a.get_absolute_url()).content
    assert jenis_ppks("KTR").nama.encode() not in content
    assert b"(dirahasiakan)" in content


def test_nik_penduduk_kasus_disamarkan_untuk_pimpinan(client, cast, kelurahan_a):
    orang = PendudukFactory(kelurahan=kelurahan_a, nama="Datuak Kasus")
    kasus = KasusFactory(kelurahan=kelurahan_a, penduduk=orang)
    for peran, lengkap in [("pimpinan", False), ("staf", True), ("psm_a", True)]:
        client.force_login(cast[peran])
        content = client.get(kasus.get_absolute_url()).content
        assert (orang.nik.encode() in content) is lengkap, peran
        assert (orang.tanggal_lahir.strftime("%d/%m/%Y").encode() in content) is lengkap, peran


def test_penduduk_luar_wilayah_tidak_dinamai(client, psm_a, kelurahan_a, kelurahan_b):
    """A case in A linked (by Staf) to a person living in B: psm_a sees the case, not the person."""
    orang = PendudukFactory(kelurahan=kelurahan_b, nama="Warga Napar")
    kasus = KasusFactory(kelurahan=kelurahan_a, penduduk=orang)
    client.force_login(psm_a)
    for url in (kasus.get_absolute_url(), _url("ppks:kasus-update", kasus)):
        content = client.get(url).content
        assert b"Warga Napar" not in content
        assert orang.nik.encode() not in content
