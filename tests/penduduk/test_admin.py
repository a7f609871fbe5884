"""The registry in the back office: query counts, search, NIK checks, history, household members."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin, messages
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from penduduk.models import Keluarga, Penduduk
from penduduk.nik import susun_nik
from tests.factories import KeluargaFactory, PendudukFactory, data_form_penduduk

pytestmark = pytest.mark.django_db

NIK_PEREMPUAN = "1376015506850777"  # 15/06/1985, woman (DD + 40), kecamatan 13.76.01


def _nilai_post(nilai):
    if nilai is None:
        return ""
    if isinstance(nilai, dt.date):
        return nilai.strftime("%d/%m/%Y")
    return nilai


def _isi_form(data: dict, form) -> None:
    for nama in form.fields:
        nilai = form[nama].value()
        if isinstance(nilai, bool):
            if nilai:
                data[form.add_prefix(nama)] = "on"
            continue
        data[form.add_prefix(nama)] = _nilai_post(nilai)


def _data_form(resp, **ubah) -> dict:
    """What the browser would post back from an admin change page, plus ``ubah``."""
    data: dict = {}
    _isi_form(data, resp.context["adminform"].form)
    for inline in resp.context["inline_admin_formsets"]:
        formset = inline.formset
        _isi_form(data, formset.management_form)
        for form in formset.forms:
            _isi_form(data, form)
    data.update(ubah)
    return data


def _data_penduduk_baru(kelurahan, /, **ubah) -> dict:
    return data_form_penduduk(kelurahan, nama="Rosmaini", alamat="Jl. Sudirman", **ubah)


def _jumlah_query(client, url) -> int:
    client.get(url)  # warm-up: session, content types
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200
    return len(ctx.captured_queries)


def _pesan(resp, level=None) -> list[str]:
    return [m.message for m in resp.context["messages"] if level is None or m.level == level]


# --- List pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("peran", ["admin", "staf"])
def test_daftar_penduduk_jumlah_query_tetap(client, cast, kelurahan_a, kelurahan_b, peran):
    client.force_login(cast[peran])
    url = reverse("admin:penduduk_penduduk_changelist")
    keluarga = KeluargaFactory(kelurahan=kelurahan_a)
    for i in range(3):
        PendudukFactory(kelurahan=kelurahan_a, keluarga=keluarga if i else None, hubungan="anak" if i else "")
    sedikit = _jumlah_query(client, url)
    for i in range(27):
        kel = kelurahan_a if i % 2 else kelurahan_b
        PendudukFactory(kelurahan=kel, keluarga=KeluargaFactory(kelurahan=kel), hubungan="kepala")
    assert Penduduk.objects.count() == 30
    assert _jumlah_query(client, url) == sedikit


def test_daftar_keluarga_jumlah_query_tetap(client, user_admin, kelurahan_a, kelurahan_b):
    client.force_login(user_admin)
    url = reverse("admin:penduduk_keluarga_changelist")
    for _ in range(3):
        PendudukFactory(keluarga=KeluargaFactory(kelurahan=kelurahan_a), kelurahan=kelurahan_a, hubungan="kepala")
    sedikit = _jumlah_query(client, url)
    for i in range(27):
        kel = kelurahan_a if i % 2 else kelurahan_b
        keluarga = KeluargaFactory(kelurahan=kel)
        PendudukFactory(keluarga=keluarga, kelurahan=kel, hubungan="kepala")
        PendudukFactory(keluarga=keluarga, kelurahan=kel, hubungan="anak")
    assert Keluarga.objects.count() == 30
    assert _jumlah_query(client, url) == sedikit


def test_daftar_keluarga_menampilkan_kepala_dan_jumlah_anggota(client, user_staf, penduduk_a, keluarga_a):
    client.force_login(user_staf)
    resp = client.get(reverse("admin:penduduk_keluarga_changelist"))
    [baris] = resp.context["cl"].result_list
    assert (baris.nama_kepala, baris.jumlah_anggota) == ("Bujang Sutan", 2)
    assert "Bujang Sutan" in resp.content.decode()


# --- Search -------------------------------------------------------------------------------------


def test_cari_penduduk_dengan_nik(client, user_staf, penduduk_a, penduduk_b):
    client.force_login(user_staf)
    url = reverse("admin:penduduk_penduduk_changelist")
    nik = penduduk_a.nik
    ditulis_berspasi = f"{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}"
    for q in (nik, nik[:12], ditulis_berspasi):
        resp = client.get(url, {"q": q})
        assert list(resp.context["cl"].result_list) == [penduduk_a], q
    resp = client.get(url, {"q": "Rangkayo"})
    assert list(resp.context["cl"].result_list) == [penduduk_b]


def test_cari_keluarga_dengan_nik_anggota_dan_no_kk(client, user_staf, penduduk_a, keluarga_a):
    client.force_login(user_staf)
    url = reverse("admin:penduduk_keluarga_changelist")
    KeluargaFactory()
    for q in (penduduk_a.nik, keluarga_a.no_kk, "Bujang"):
        resp = client.get(url, {"q": q})
        assert list(resp.context["cl"].result_list) == [keluarga_a], q


def test_autocomplete_keluarga_untuk_staf(client, user_staf, keluarga_a):
    client.force_login(user_staf)
    resp = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "penduduk", "model_name": "penduduk", "field_name": "keluarga", "term": keluarga_a.no_kk},
    )
    assert resp.status_code == 200
    assert [r["id"] for r in resp.json()["results"]] == [str(keluarga_a.pk)]


# --- Saving: NIK checks, history, messages ------------------------------------------------------


def test_simpan_lewat_admin_mencatat_riwayat_dengan_pengguna_admin(client, user_admin, penduduk_a):
    client.force_login(user_admin)
    url = reverse("admin:penduduk_penduduk_change", args=[penduduk_a.pk])
    resp = client.post(url, _data_form(client.get(url), nama="Siti  Rahmah Yani", pekerjaan="Pedagang"))
    assert resp.status_code == 302
    penduduk_a.refresh_from_db()
    assert penduduk_a.nama == "Siti Rahmah Yani"  # Penduduk.clean() tidies spaces
    terakhir = penduduk_a.history.order_by("-history_date", "-history_id").first()
    assert terakhir.history_type == "~"
    assert terakhir.history_user == user_admin
    assert terakhir.pekerjaan == "Pedagang"

    resp = client.get(reverse("admin:penduduk_penduduk_history", args=[penduduk_a.pk]))
    assert resp.status_code == 200
    assert user_admin.username in resp.content.decode()


def test_nik_tidak_sah_pada_tambah_ditolak_dan_tidak_menyimpan(client, user_admin, kelurahan_a):
    client.force_login(user_admin)
    jumlah = Penduduk.objects.count()
    resp = client.post(reverse("admin:penduduk_penduduk_add"), _data_penduduk_baru(kelurahan_a, nik="1376011506850000"))
    assert resp.status_code == 200
    assert "Nomor urut NIK (4 digit terakhir) tidak boleh 0000." in resp.content.decode()
    assert resp.context["adminform"].form.errors["nik"]
    assert Penduduk.objects.count() == jumlah


def test_nik_tidak_sah_pada_ubah_ditolak_dan_tidak_menyimpan(client, user_staf, penduduk_a):
    client.force_login(user_staf)
    nik_lama = penduduk_a.nik
    riwayat = penduduk_a.history.count()
    url = reverse("admin:penduduk_penduduk_change", args=[penduduk_a.pk])
    resp = client.post(url, _data_form(client.get(url), nik="12345", nama="Nama Baru"))
    assert resp.status_code == 200
    assert "NIK harus 16 digit angka (terisi 5 karakter)." in resp.content.decode()
    penduduk_a.refresh_from_db()
    assert (penduduk_a.nik, penduduk_a.nama) == (nik_lama, "Siti Rahmah")
    assert penduduk_a.history.count() == riwayat


def test_nik_ganda_ditolak_dengan_pesan(client, user_admin, penduduk_a, kelurahan_a):
    client.force_login(user_admin)
    resp = client.post(reverse("admin:penduduk_penduduk_add"), _data_penduduk_baru(kelurahan_a, nik=penduduk_a.nik))
    assert resp.status_code == 200
    assert "NIK ini sudah terdaftar." in resp.content.decode()


def test_tambah_mengisi_tanggal_lahir_dan_jenis_kelamin_dari_nik(client, user_staf, kelurahan_a):
    client.force_login(user_staf)
    resp = client.post(
        reverse("admin:penduduk_penduduk_add"), _data_penduduk_baru(kelurahan_a, nik="1376 0155 0685 0777")
    )
    assert resp.status_code == 302
    baru = Penduduk.objects.get(nik=NIK_PEREMPUAN)
    assert (baru.tanggal_lahir, baru.jenis_kelamin) == (dt.date(1985, 6, 15), "P")
    assert baru.history.get().history_user == user_staf


def test_peringatan_nik_tampil_sebagai_pesan_peringatan(client, user_admin, kelurahan_a):
    client.force_login(user_admin)
    data = _data_penduduk_baru(kelurahan_a, nik=NIK_PEREMPUAN, jenis_kelamin="L", tanggal_lahir="15/06/1985")
    resp = client.post(reverse("admin:penduduk_penduduk_add"), data, follow=True)
    assert resp.status_code == 200
    assert Penduduk.objects.filter(nik=NIK_PEREMPUAN, jenis_kelamin="L").exists()  # a warning never blocks
    peringatan = _pesan(resp, messages.WARNING)
    assert len(peringatan) == 1
    assert peringatan[0].startswith("Jenis kelamin tercatat berbeda dengan NIK")


def test_hubungan_tanpa_keluarga_ditolak_dengan_pesan(client, user_admin, kelurahan_a):
    client.force_login(user_admin)
    resp = client.post(reverse("admin:penduduk_penduduk_add"), _data_penduduk_baru(kelurahan_a, hubungan="anak"))
    assert resp.status_code == 200
    assert "Hubungan dalam keluarga hanya diisi bila penduduk tercatat dalam sebuah keluarga." in (
        resp.content.decode()
    )
    assert not Penduduk.objects.filter(nama="Rosmaini").exists()


def test_hapus_penduduk_hanya_admin_dan_tercatat(client, user_admin, user_staf, kelurahan_a):
    orang = PendudukFactory(kelurahan=kelurahan_a)
    url = reverse("admin:penduduk_penduduk_delete", args=[orang.pk])
    client.force_login(user_staf)
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Penduduk.objects.filter(pk=orang.pk).exists()

    client.force_login(user_admin)
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Penduduk.objects.filter(pk=orang.pk).exists()
    dihapus = Penduduk.history.filter(id=orang.pk, history_type="-").get()
    assert dihapus.history_user == user_admin


def test_staf_tidak_melihat_aksi_hapus_massal(client, user_staf, penduduk_a):
    client.force_login(user_staf)
    resp = client.get(reverse("admin:penduduk_penduduk_changelist"))
    assert "delete_selected" not in resp.context["cl"].model_admin.get_actions(resp.wsgi_request)


# --- Household with its members (inline) --------------------------------------------------------


def test_keluarga_inline_menambah_anggota(client, user_staf, keluarga_a, penduduk_a):
    client.force_login(user_staf)
    url = reverse("admin:penduduk_keluarga_change", args=[keluarga_a.pk])
    resp = client.get(url)
    [inline] = resp.context["inline_admin_formsets"]
    assert inline.formset.prefix == "anggota"
    baru = len(inline.formset.initial_forms)  # the extra row
    nik_anak = susun_nik("137601", dt.date(2015, 1, 2), "L", 42)
    data = _data_form(
        resp,
        **{
            f"anggota-{baru}-nik": nik_anak,
            f"anggota-{baru}-nama": "Rajo Mudo",
            f"anggota-{baru}-hubungan": "anak",
            f"anggota-{baru}-status": "hidup",
        },
    )
    resp = client.post(url, data)
    assert resp.status_code == 302, resp.context["errors"] if resp.context else resp
    anak = Penduduk.objects.get(nik=nik_anak)
    assert (anak.keluarga, anak.kelurahan, anak.alamat) == (keluarga_a, keluarga_a.kelurahan, keluarga_a.alamat)
    assert (anak.tanggal_lahir, anak.jenis_kelamin) == (dt.date(2015, 1, 2), "L")
    assert anak.history.get().history_user == user_staf
    assert keluarga_a.history.order_by("-history_id").first().history_user == user_staf


def test_keluarga_inline_dua_kepala_ditolak(client, user_admin, keluarga_a, penduduk_a):
    client.force_login(user_admin)
    url = reverse("admin:penduduk_keluarga_change", args=[keluarga_a.pk])
    resp = client.get(url)
    formset = resp.context["inline_admin_formsets"][0].formset
    istri = next(i for i, f in enumerate(formset.initial_forms) if f.instance == penduduk_a)
    resp = client.post(url, _data_form(resp, **{f"anggota-{istri}-hubungan": "kepala"}))
    assert resp.status_code == 200
    assert "Satu keluarga hanya boleh memiliki satu kepala keluarga." in resp.content.decode()
    penduduk_a.refresh_from_db()
    assert penduduk_a.hubungan == "istri"


def test_keluarga_inline_hapus_berarti_lepas_dari_kk(client, user_staf, keluarga_a, penduduk_a):
    client.force_login(user_staf)
    url = reverse("admin:penduduk_keluarga_change", args=[keluarga_a.pk])
    resp = client.get(url)
    formset = resp.context["inline_admin_formsets"][0].formset
    istri = next(i for i, f in enumerate(formset.initial_forms) if f.instance == penduduk_a)
    jumlah_riwayat_keluarga = keluarga_a.history.count()
    resp = client.post(url, _data_form(resp, **{f"anggota-{istri}-DELETE": "on"}))
    assert resp.status_code == 302
    penduduk_a.refresh_from_db()  # still in the registry
    assert (penduduk_a.keluarga, penduduk_a.hubungan) == (None, "")
    assert penduduk_a.history.first().history_user == user_staf
    assert keluarga_a.history.count() == jumlah_riwayat_keluarga + 1  # one save, one history row


def test_nomor_kk_tidak_sah_ditolak(client, user_admin, keluarga_a):
    client.force_login(user_admin)
    url = reverse("admin:penduduk_keluarga_change", args=[keluarga_a.pk])
    no_kk = keluarga_a.no_kk
    resp = client.post(url, _data_form(client.get(url), no_kk="1111111111111111"))
    assert resp.status_code == 200
    assert "bukan nomor sebenarnya (angka pengisi)" in resp.content.decode()
    keluarga_a.refresh_from_db()
    assert keluarga_a.no_kk == no_kk


# --- Scoping: the one mechanism, also for FK choices ---------------------------------------------


def test_queryset_dan_pilihan_fk_melalui_for_user(psm_a, kelurahan_a, keluarga_a, penduduk_a, penduduk_b):
    """Only Admin and Staf enter, but the ModelAdmins scope like every view: a PSM would see their area."""
    KeluargaFactory(kelurahan=penduduk_b.kelurahan)
    model_admin = admin.site._registry[Penduduk]
    request = RequestFactory().get("/")
    request.user = psm_a
    assert set(model_admin.get_queryset(request)) == set(Penduduk.objects.filter(kelurahan=kelurahan_a))
    keluarga = model_admin.formfield_for_foreignkey(Penduduk._meta.get_field("keluarga"), request)
    kelurahan = model_admin.formfield_for_foreignkey(Penduduk._meta.get_field("kelurahan"), request)
    assert list(keluarga.queryset) == [keluarga_a]
    assert list(kelurahan.queryset) == [kelurahan_a]


def test_admin_tambah_penduduk_kemungkinan_ganda_minta_konfirmasi(client, user_staf, kelurahan_a):
    lama = PendudukFactory(kelurahan=kelurahan_a, nama="Datuak Rajo", tanggal_lahir=dt.date(1950, 3, 4))
    client.force_login(user_staf)
    url = reverse("admin:penduduk_penduduk_add")
    data = data_form_penduduk(
        kelurahan_a, nama="DATUAK  RAJO", jenis_kelamin="L", tempat_lahir="", tanggal_lahir="04/03/1950", alamat="",
        rt="", rw="",
    )  # fmt: skip
    resp = client.post(url, data)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Mungkin data ganda" in html
    assert reverse("admin:penduduk_penduduk_change", args=[lama.pk]) in html
    assert Penduduk.objects.filter(nama_normal="datuak rajo").count() == 1
    resp = client.post(url, {**data, "konfirmasi_ganda": "on"})
    assert resp.status_code == 302
    assert Penduduk.objects.filter(nama_normal="datuak rajo").count() == 2
