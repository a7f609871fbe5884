"""Regression tests for the review of the foundation: area rules, masking, and save failures."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from penduduk.models import Penduduk
from penduduk.services import keluarga_simpan, penduduk_simpan
from tests.factories import KeluargaFactory, PendudukFactory
from tests.penduduk.test_keluarga_views import _formset

pytestmark = pytest.mark.django_db


@pytest.fixture
def keluarga_b(kelurahan_b):
    keluarga = KeluargaFactory(kelurahan=kelurahan_b)
    PendudukFactory(keluarga=keluarga, kelurahan=kelurahan_b, hubungan="kepala", nama="Kepala Napar")
    return keluarga


def test_riwayat_menyamarkan_no_kk_dan_keluarga_untuk_pimpinan(client, user_staf, user_pimpinan, keluarga_a):
    lama = keluarga_a.no_kk
    keluarga_a.no_kk = "1376011204230002"
    keluarga_simpan(keluarga=keluarga_a, oleh=user_staf)
    orang = PendudukFactory(kelurahan=keluarga_a.kelurahan, nama="Pindahan")
    orang.keluarga, orang.hubungan = keluarga_a, "famili_lain"
    penduduk_simpan(penduduk=orang, oleh=user_staf)

    client.force_login(user_pimpinan)
    html = client.get(keluarga_a.get_absolute_url()).content.decode()
    html += client.get(orang.get_absolute_url()).content.decode()
    assert lama not in html and "1376011204230002" not in html
    assert "1376••••••••••••" in html
    client.force_login(user_staf)
    assert f"KK {keluarga_a.no_kk}" in client.get(orang.get_absolute_url()).content.decode()


def test_riwayat_tidak_menamai_keluarga_di_luar_wilayah(client, user_staf, psm_a, kelurahan_a, keluarga_b):
    orang = PendudukFactory(kelurahan=kelurahan_a, nama="Warga A", keluarga=keluarga_b, hubungan="anak")
    orang.keluarga, orang.hubungan = None, ""
    penduduk_simpan(penduduk=orang, oleh=user_staf)
    client.force_login(psm_a)
    html = client.get(orang.get_absolute_url()).content.decode()
    assert keluarga_b.no_kk not in html
    assert "(di luar wilayah Anda)" in html


def test_psm_tidak_bisa_mengambil_kepala_keluarga_kelurahan_lain(client, psm_a, keluarga_a, kelurahan_a, keluarga_b):
    # The head of a Napar household lives (domicile) in Tanjuang Pauh.
    kepala_b = keluarga_b.anggota.get()
    kepala_b.kelurahan = kelurahan_a
    kepala_b.save()
    client.force_login(psm_a)
    data = {
        "no_kk": keluarga_a.no_kk,
        "kelurahan": kelurahan_a.pk,
        "tambah_nik": kepala_b.nik,
        "tambah_hubungan": "famili_lain",
        **_formset([]),
    }
    resp = client.post(reverse("penduduk:keluarga-update", args=[keluarga_a.pk]), data)
    assert resp.status_code == 200
    assert "terdaftar dalam KK di kelurahan lain" in resp.content.decode()
    kepala_b.refresh_from_db()
    assert kepala_b.keluarga == keluarga_b
    # The service refuses it too, whatever form calls it.
    kepala_b.keluarga = keluarga_a
    with pytest.raises(PermissionDenied):
        penduduk_simpan(penduduk=kepala_b, oleh=psm_a)


def test_psm_boleh_mengubah_warganya_yang_kk_nya_di_kelurahan_lain(client, psm_a, kelurahan_a, keluarga_b):
    orang = PendudukFactory(kelurahan=kelurahan_a, keluarga=keluarga_b, hubungan="anak", nama="Anak Kos")
    client.force_login(psm_a)
    html = client.get(orang.get_absolute_url()).content.decode()
    assert keluarga_b.no_kk not in html
    assert "Terdaftar dalam KK yang tercatat di kelurahan lain" in html
    orang.telepon = "0812000111"
    penduduk_simpan(penduduk=orang, oleh=psm_a)  # no PermissionDenied: the household is unchanged
    orang.refresh_from_db()
    assert orang.telepon == "0812000111"


def test_detail_keluarga_psm_hanya_anggota_di_wilayahnya(client, psm_b, keluarga_b, kelurahan_a):
    luar = PendudukFactory(kelurahan=kelurahan_a, keluarga=keluarga_b, hubungan="anak", nama="Merantau Ke A")
    client.force_login(psm_b)
    html = client.get(keluarga_b.get_absolute_url()).content.decode()
    assert "Kepala Napar" in html
    assert luar.nama not in html and luar.nik not in html
    formset = client.get(reverse("penduduk:keluarga-update", args=[keluarga_b.pk])).context["formset"]
    assert luar not in [f.instance for f in formset.forms]


def test_kepala_kedua_lewat_form_penduduk_pesan_bukan_500(client, user_staf, keluarga_a, kelurahan_a):
    client.force_login(user_staf)
    data = {"nama": "Kepala Kedua", "hubungan": "kepala", "kelurahan": kelurahan_a.pk, "status": "hidup"}
    resp = client.post(reverse("penduduk:create") + f"?keluarga={keluarga_a.pk}", data)
    assert resp.status_code == 200
    assert "sudah memiliki kepala keluarga" in resp.content.decode()
    assert not Penduduk.objects.filter(nama="Kepala Kedua").exists()


def test_ganti_kepala_keluarga_dalam_satu_simpan(client, user_staf, kelurahan_a):
    keluarga = KeluargaFactory(kelurahan=kelurahan_a)
    ayah = PendudukFactory(keluarga=keluarga, kelurahan=kelurahan_a, hubungan="kepala", nama="Ayah")
    ibu = PendudukFactory(
        keluarga=keluarga, kelurahan=kelurahan_a, hubungan="istri", nama="Ibu", jenis_kelamin="P",
        tanggal_lahir=dt.date(1960, 1, 1),
    )  # fmt: skip
    client.force_login(user_staf)
    rows = [
        {"id": p.pk, "keluarga": keluarga.pk, "nama": p.nama, "nik": p.nik, "hubungan": h,
         "jenis_kelamin": p.jenis_kelamin, "tanggal_lahir": p.tanggal_lahir.strftime("%d/%m/%Y"),
         "versi": Penduduk.objects.get(pk=p.pk).versi}
        for p, h in ((ibu, "kepala"), (ayah, "suami"))
    ]  # fmt: skip
    data = {"no_kk": keluarga.no_kk, "kelurahan": kelurahan_a.pk, "versi": keluarga.versi, **_formset(rows, initial=2)}
    resp = client.post(reverse("penduduk:keluarga-update", args=[keluarga.pk]), data)
    assert resp.status_code == 302
    assert keluarga.anggota.get(hubungan="kepala") == ibu


def test_gagal_simpan_keluarga_baris_baru_tetap_baru(client, user_staf, kelurahan_a, keluarga_a):
    client.force_login(user_staf)
    kepala_lain = PendudukFactory(kelurahan=kelurahan_a, nama="Sudah Ada")
    data = {
        "no_kk": "",
        "kelurahan": kelurahan_a.pk,
        # The second row reuses a NIK that the database already holds: the save fails.
        **_formset(
            [{"nama": "Anggota Baru", "hubungan": "kepala"}, {"nama": "X", "nik": kepala_lain.nik, "hubungan": "anak"}]
        ),
    }
    resp = client.post(reverse("penduduk:keluarga-create"), data)
    assert resp.status_code == 200
    formset = resp.context["formset"]
    assert all(f.instance.pk is None for f in formset.forms)
    assert "Lepaskan dari keluarga ini" not in resp.content.decode()


def test_peringatan_nik_anggota_ditampilkan(client, user_staf, kelurahan_a):
    client.force_login(user_staf)
    data = {
        "no_kk": "",
        "kelurahan": kelurahan_a.pk,
        **_formset([{"nama": "Rajo", "nik": "1376011506850001", "hubungan": "kepala", "jenis_kelamin": "P"}]),
    }
    resp = client.post(reverse("penduduk:keluarga-create"), data, follow=True)
    assert "Rajo: Jenis kelamin tercatat berbeda dengan NIK" in resp.content.decode()


def test_tanggal_lahir_masa_depan_ditolak(client, user_staf, kelurahan_a):
    client.force_login(user_staf)
    data = {"nama": "Belum Lahir", "tanggal_lahir": "01/01/2099", "kelurahan": kelurahan_a.pk, "status": "hidup"}
    resp = client.post(reverse("penduduk:create"), data)
    assert resp.status_code == 200
    assert "Tanggal lahir tidak boleh di masa depan" in resp.content.decode()


@pytest.mark.parametrize("q", ["'{nik}", "{a}-{b}", "{a} {b}", "{a}.{b}"])
def test_cari_nik_dengan_format_seperti_kolom_nik(client, user_staf, penduduk_a, q):
    client.force_login(user_staf)
    nik = penduduk_a.nik
    teks = q.format(nik=nik, a=nik[:6], b=nik[6:])
    assert list(client.get(reverse("penduduk:list"), {"q": teks}).context["daftar"]) == [penduduk_a]


def test_anggota_baru_dari_keluarga_mewarisi_alamat_untuk_psm(client, psm_a, keluarga_a):
    client.force_login(psm_a)
    form = client.get(reverse("penduduk:create") + f"?keluarga={keluarga_a.pk}").context["form"]
    assert form["alamat"].value() == keluarga_a.alamat
    assert form["rt"].value() == keluarga_a.rt
