"""Issue 5, points 1-3: the mask holds (no oracle, no parts), summaries and household roles are scoped."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from penduduk.models import Penduduk
from penduduk.services import penduduk_simpan
from tests.factories import KeluargaFactory, PendudukFactory

pytestmark = pytest.mark.django_db

SAMAR = "1376" + "•" * 12


@pytest.fixture
def keluarga_b(kelurahan_b):
    keluarga = KeluargaFactory(kelurahan=kelurahan_b)
    PendudukFactory(keluarga=keluarga, kelurahan=kelurahan_b, hubungan="kepala", nama="Kepala Napar")
    return keluarga


def _html(client, url, **params) -> str:
    resp = client.get(url, params)
    assert resp.status_code == 200
    return resp.content.decode()


def test_pimpinan_tidak_melihat_bagian_nik_no_kk_maupun_tanggal_lahir(client, user_pimpinan, penduduk_a):
    keluarga = penduduk_a.keluarga
    client.force_login(user_pimpinan)
    halaman = [
        _html(client, reverse("penduduk:detail", args=[penduduk_a.pk])),
        _html(client, reverse("penduduk:list")),
        _html(client, reverse("penduduk:keluarga-detail", args=[keluarga.pk])),
        _html(client, reverse("penduduk:keluarga-list")),
    ]
    tanggal = penduduk_a.tanggal_lahir.strftime("%d/%m/%Y")
    for html in halaman:
        # Neither the whole numbers, nor their serials (last four digits), nor the birth date.
        assert penduduk_a.nik not in html and keluarga.no_kk not in html
        assert f"••{penduduk_a.nik[-4:]}" not in html and f"••{keluarga.no_kk[-4:]}" not in html
        assert tanggal not in html
    assert SAMAR in halaman[0] and SAMAR in halaman[2]
    assert f"{penduduk_a.umur} tahun" in halaman[0] and f"{penduduk_a.umur} tahun" in halaman[1]


def test_riwayat_tanggal_lahir_menjadi_umur_untuk_pimpinan(client, user_staf, user_pimpinan, penduduk_a):
    penduduk_a.tanggal_lahir = dt.date(1980, 1, 2)
    penduduk_a.nik = None
    penduduk_simpan(penduduk=penduduk_a, oleh=user_staf)
    client.force_login(user_pimpinan)
    html = _html(client, penduduk_a.get_absolute_url())
    assert "02/01/1980" not in html and "15/06/1985" not in html
    assert f"{penduduk_a.umur} tahun" in html
    client.force_login(user_staf)
    assert "02/01/1980" in _html(client, penduduk_a.get_absolute_url())


@pytest.mark.parametrize("peran", ["pimpinan"])
def test_peran_tersamar_tidak_bisa_mencari_dengan_nomor(client, cast, peran, penduduk_a):
    """Reproduction: a whole-number search confirmed a NIK rebuilt from the page (oracle)."""
    keluarga = penduduk_a.keluarga
    client.force_login(cast[peran])
    for q in (penduduk_a.nik, penduduk_a.nik[:12], f"'{penduduk_a.nik[:4]} {penduduk_a.nik[4:]}"):
        resp = client.get(reverse("penduduk:list"), {"q": q})
        assert list(resp.context["daftar"]) == []
        assert "pencarian dengan nomor tidak tersedia" in resp.content.decode()
    for q in (keluarga.no_kk, keluarga.no_kk[:8]):
        resp = client.get(reverse("penduduk:keluarga-list"), {"q": q})
        assert list(resp.context["daftar"]) == []
        assert "pencarian dengan nomor tidak tersedia" in resp.content.decode()
    # Names still work, and the search box says what it takes.
    resp = client.get(reverse("penduduk:list"), {"q": "siti rahmah"})
    assert list(resp.context["daftar"]) == [penduduk_a]
    assert "Cari nama" in resp.content.decode()
    assert "Cari NIK" not in _html(client, reverse("home"))


@pytest.mark.parametrize("peran", ["staf", "admin", "psm_a"])
def test_peran_lengkap_tetap_mencari_dengan_nomor(client, cast, peran, penduduk_a):
    client.force_login(cast[peran])
    assert list(client.get(reverse("penduduk:list"), {"q": penduduk_a.nik[:10]}).context["daftar"]) == [penduduk_a]
    daftar = client.get(reverse("penduduk:keluarga-list"), {"q": penduduk_a.keluarga.no_kk}).context["daftar"]
    assert list(daftar) == [penduduk_a.keluarga]


def test_ringkasan_keluarga_hanya_dari_anggota_yang_boleh_dilihat(client, psm_b, kelurahan_a, keluarga_b):
    """Reproduction: a PSM saw the name of a head living in another kelurahan through the list."""
    kepala = keluarga_b.anggota.get()
    kepala.kelurahan = kelurahan_a  # the head lives (domicile) in Tanjuang Pauh
    kepala.save()
    PendudukFactory(keluarga=keluarga_b, kelurahan=keluarga_b.kelurahan, hubungan="anak", nama="Anak Napar")
    client.force_login(psm_b)
    resp = client.get(reverse("penduduk:keluarga-list"), {"q": keluarga_b.no_kk})
    (baris,) = resp.context["daftar"]
    assert baris.nama_kepala is None
    assert baris.jumlah_anggota == 1
    assert "Kepala Napar" not in resp.content.decode()
    detail = client.get(keluarga_b.get_absolute_url())
    assert len(detail.context["keluarga"].anggota.all()) == baris.jumlah_anggota
    assert client.get(kepala.get_absolute_url()).status_code == 404


def test_ringkasan_keluarga_di_admin_juga_terbatas(client, user_staf, keluarga_a, penduduk_a):
    client.force_login(user_staf)
    resp = client.get(reverse("admin:penduduk_keluarga_changelist"))
    (baris,) = resp.context["cl"].result_list
    assert (baris.nama_kepala, baris.jumlah_anggota) == ("Bujang Sutan", 2)


@pytest.mark.parametrize(("lama", "baru"), [("kepala", "anak"), ("kepala", ""), ("anak", "kepala")])
def test_psm_tidak_bisa_mengubah_hubungan_di_keluarga_luar_wilayah(client, psm_a, kelurahan_a, keluarga_b, lama, baru):
    """Reproduction: psm.napar could remove or replace the head of a household of Tanjuang Pauh."""
    orang = (
        keluarga_b.anggota.get()
        if lama == "kepala"
        else PendudukFactory(keluarga=keluarga_b, kelurahan=kelurahan_a, hubungan=lama, nama="Anak Rantau")
    )
    orang.kelurahan = kelurahan_a  # lives (domicile) in the PSM's area; the household does not
    orang.save()
    client.force_login(psm_a)
    # The form does not offer the field, and a forged POST field changes nothing.
    form = client.get(reverse("penduduk:update", args=[orang.pk])).context["form"]
    assert "hubungan" not in form.fields
    data = {
        "nama": orang.nama, "nik": orang.nik, "jenis_kelamin": "L", "tanggal_lahir": "15/06/1985",
        "kelurahan": kelurahan_a.pk, "status": "hidup", "hubungan": baru, "disabilitas": "", "versi": orang.versi,
    }  # fmt: skip
    resp = client.post(reverse("penduduk:update", args=[orang.pk]), data)
    assert resp.status_code == 302  # saved: everything else, but not the role in the household
    orang.refresh_from_db()
    assert (orang.keluarga_id, orang.hubungan) == (keluarga_b.pk, lama)
    # And the service refuses it whatever calls it.
    if lama == "anak":
        Penduduk.objects.filter(keluarga=keluarga_b, hubungan="kepala").update(hubungan="anak")
    orang.hubungan = baru
    with pytest.raises(PermissionDenied):
        penduduk_simpan(penduduk=orang, oleh=psm_a)
    assert Penduduk.objects.get(pk=orang.pk).hubungan == lama


def test_psm_tetap_boleh_mengubah_hubungan_di_keluarga_wilayahnya(psm_a, penduduk_a):
    penduduk_a.hubungan = "famili_lain"
    penduduk_simpan(penduduk=penduduk_a, oleh=psm_a)
    assert Penduduk.objects.get(pk=penduduk_a.pk).hubungan == "famili_lain"
