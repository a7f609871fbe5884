"""Optimistic locking (akun/versi.py): no lost updates on Penduduk, Keluarga and Kasus.

Two people open the same edit form; the first save wins, the second is refused with what changed
(their value → the saved one, who saved it and when), nothing overwritten and their input kept;
saving that form again is a deliberate re-apply. Every write path raises the version (trigger);
a tampered hidden version is a form message, never a 500.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from akun.versi import KonflikVersi, simpan_dengan_versi
from penduduk.models import Keluarga, Penduduk
from penduduk.services import penduduk_simpan
from ppks.models import Kasus
from ppks.services import kasus_ubah_status, tindakan_catat
from tests.factories import KasusFactory, UserFactory

pytestmark = pytest.mark.django_db

PESAN_KONFLIK = "sudah diubah orang lain"
PESAN_RUSAK = "tidak membawa versi data yang sah"


def _nilai_post(nilai):
    if nilai is None:
        return ""
    if isinstance(nilai, dt.datetime):
        return timezone.localtime(nilai).strftime("%Y-%m-%dT%H:%M")
    if isinstance(nilai, dt.date):
        return nilai.strftime("%d/%m/%Y")
    return nilai


def _isi(data: dict, form) -> None:
    """What the browser posts back for ``form`` (its current values, as rendered)."""
    for nama in form.fields:
        nilai = form[nama].value()
        if isinstance(nilai, bool):
            if nilai:
                data[form.add_prefix(nama)] = "on"
            continue
        data[form.add_prefix(nama)] = _nilai_post(nilai)


def _data_halaman(resp, **ubah) -> dict:
    data: dict = {}
    _isi(data, resp.context["form"])
    formset = resp.context.get("formset")
    if formset is not None:
        _isi(data, formset.management_form)
        for f in formset.forms:
            _isi(data, f)
    data.update(ubah)
    return data


def _data_admin(resp, **ubah) -> dict:
    data: dict = {}
    _isi(data, resp.context["adminform"].form)
    for inline in resp.context["inline_admin_formsets"]:
        fs = inline.formset  # existing rows only (the extra ones stay unsent, as untouched)
        _isi(data, fs.management_form)
        data[f"{fs.prefix}-TOTAL_FORMS"] = len(fs.initial_forms)
        for f in fs.initial_forms:
            _isi(data, f)
    data.update(ubah)
    return data


def _nama(user) -> str:
    return user.get_full_name() or user.username


@pytest.fixture
def kasus_a(kelurahan_a, user_staf):
    return KasusFactory(kelurahan=kelurahan_a, ringkasan="Lansia tinggal sendiri", lokasi="Jl. Ahmad Yani")


# (url name, object fixture, field edited by both, first value, second value, field label shown)
KASUS_HALAMAN = [
    ("penduduk:update", "penduduk_a", "alamat", "Jl. Pertama 1", "Jl. Kedua 2", "alamat domisili"),
    ("penduduk:keluarga-update", "keluarga_a", "alamat", "Jl. Pertama 1", "Jl. Kedua 2", "alamat"),
    ("ppks:kasus-update", "kasus_a", "lokasi", "Depan Pasar Ibuh", "Belakang Masjid Raya", "lokasi ditemukan"),
]


def _model(obj):
    return type(obj)._default_manager


@pytest.mark.parametrize(("url", "fixture", "kolom", "nilai_1", "nilai_2", "label"), KASUS_HALAMAN)
def test_simpan_kedua_ditolak_dengan_perbedaan_dan_isian_tetap(
    request, user_admin, user_staf, url, fixture, kolom, nilai_1, nilai_2, label
):
    obj = request.getfixturevalue(fixture)
    alamat = reverse(url, args=[obj.pk])
    from django.test import Client

    satu, dua = Client(), Client()
    satu.force_login(user_admin)
    dua.force_login(user_staf)
    form_satu, form_dua = satu.get(alamat), dua.get(alamat)
    versi_awal = _model(obj).get(pk=obj.pk).versi
    assert form_satu.context["form"]["versi"].value() == versi_awal == form_dua.context["form"]["versi"].value()
    assert f'name="versi" value="{versi_awal}"' in form_dua.content.decode()

    assert satu.post(alamat, _data_halaman(form_satu, **{kolom: nilai_1})).status_code == 302
    resp = dua.post(alamat, _data_halaman(form_dua, **{kolom: nilai_2}))

    # Refused: nothing of the second form written, the first save intact.
    assert resp.status_code == 200
    tersimpan = _model(obj).get(pk=obj.pk)
    assert getattr(tersimpan, kolom) == nilai_1
    assert tersimpan.versi == versi_awal + 1
    # What changed: label, their value → the value saved now, who saved it and when.
    form = resp.context["form"]
    beda = {b.label: b for b in form.konflik.beda}
    assert (beda[label].isian_anda, beda[label].tersimpan) == (nilai_2, nilai_1)
    assert _nama(user_admin) in beda[label].diubah
    assert form.konflik.oleh == _nama(user_admin)
    html = resp.content.decode()
    assert PESAN_KONFLIK in html and nilai_1 in html and _nama(user_admin) in html
    assert timezone.localtime(timezone.now()).strftime("%d/%m/%Y") in html
    # The user's input is kept, with the current version, so that saving again re-applies it.
    assert form[kolom].value() == nilai_2
    assert form["versi"].value() == str(tersimpan.versi)
    assert f'name="versi" value="{tersimpan.versi}"' in html
    ulang = dua.post(alamat, _data_halaman(resp))
    assert ulang.status_code == 302
    assert getattr(_model(obj).get(pk=obj.pk), kolom) == nilai_2


ADMIN = [
    ("admin:penduduk_penduduk_change", "penduduk_a", "alamat", "Jl. Pertama 1", "Jl. Kedua 2"),
    ("admin:penduduk_keluarga_change", "keluarga_a", "alamat", "Jl. Pertama 1", "Jl. Kedua 2"),
    ("admin:ppks_kasus_change", "kasus_a", "lokasi", "Depan Pasar Ibuh", "Belakang Masjid Raya"),
]


@pytest.mark.parametrize(("url", "fixture", "kolom", "nilai_1", "nilai_2"), ADMIN)
def test_admin_menolak_simpan_basi(request, user_admin, user_staf, url, fixture, kolom, nilai_1, nilai_2):
    from django.test import Client

    obj = request.getfixturevalue(fixture)
    alamat = reverse(url, args=[obj.pk])
    satu, dua = Client(), Client()
    satu.force_login(user_admin)
    dua.force_login(user_staf)
    form_satu, form_dua = satu.get(alamat), dua.get(alamat)
    versi_awal = _model(obj).get(pk=obj.pk).versi
    assert f'name="versi" value="{versi_awal}"' in form_dua.content.decode()

    assert satu.post(alamat, _data_admin(form_satu, **{kolom: nilai_1})).status_code == 302
    resp = dua.post(alamat, _data_admin(form_dua, **{kolom: nilai_2}))

    assert resp.status_code == 200
    assert getattr(_model(obj).get(pk=obj.pk), kolom) == nilai_1
    galat = " ".join(str(e) for e in resp.context["adminform"].form.non_field_errors())
    assert PESAN_KONFLIK in galat
    assert f"{nilai_2} → {nilai_1}" in galat and _nama(user_admin) in galat
    # Saving the kept input again (now at the current version) is a deliberate re-apply.
    ulang = dua.post(alamat, _data_admin(resp))
    assert ulang.status_code == 302
    assert getattr(_model(obj).get(pk=obj.pk), kolom) == nilai_2


def test_admin_konflik_di_layanan_jadi_pesan_bukan_500(client, user_admin, penduduk_a, monkeypatch):
    """The few milliseconds between the form's check and the service's UPDATE: a message."""
    from penduduk import admin as penduduk_admin

    def bentrok(**kwargs):
        raise KonflikVersi(kwargs["penduduk"])

    client.force_login(user_admin)
    alamat = reverse("admin:penduduk_penduduk_change", args=[penduduk_a.pk])
    data = _data_admin(client.get(alamat), alamat="Jl. Baru")
    monkeypatch.setattr(penduduk_admin, "penduduk_simpan", bentrok)
    resp = client.post(alamat, data)
    assert resp.status_code == 302 and resp["Location"] == alamat
    assert PESAN_KONFLIK in " ".join(str(m) for m in client.get(alamat).context["messages"])
    assert Penduduk.objects.get(pk=penduduk_a.pk).alamat != "Jl. Baru"


# --- every write path raises the version ---------------------------------------------------------


def test_update_massal_dan_sql_mentah_menaikkan_versi(penduduk_a, keluarga_a, kasus_a):
    awal = {
        m: m.objects.get(pk=o.pk).versi for m, o in ((Penduduk, penduduk_a), (Keluarga, keluarga_a), (Kasus, kasus_a))
    }
    Penduduk.objects.filter(pk=penduduk_a.pk).update(alamat="Jl. Impor")  # the import's ORM path
    Keluarga.objects.bulk_update(
        [Keluarga(pk=keluarga_a.pk, alamat="Jl. Impor", kelurahan=keluarga_a.kelurahan)], ["alamat"]
    )
    with connection.cursor() as c:  # a psql session, the import's raw UPDATE
        c.execute(f"UPDATE {Kasus._meta.db_table} SET lokasi = %s WHERE id = %s", ["Pasar", kasus_a.pk])  # noqa: S608
    assert Penduduk.objects.get(pk=penduduk_a.pk).versi == awal[Penduduk] + 1
    assert Keluarga.objects.get(pk=keluarga_a.pk).versi == awal[Keluarga] + 1
    assert Kasus.objects.get(pk=kasus_a.pk).versi == awal[Kasus] + 1
    # A statement that writes an old number back cannot lower it either (a stale instance).
    with connection.cursor() as c:
        c.execute(f"UPDATE {Penduduk._meta.db_table} SET versi = 1 WHERE id = %s", [penduduk_a.pk])  # noqa: S608
    assert Penduduk.objects.get(pk=penduduk_a.pk).versi == awal[Penduduk] + 2


def test_upsert_on_conflict_menaikkan_versi(keluarga_a):
    """The import's ``INSERT ... ON CONFLICT DO UPDATE`` (PostgreSQL path; SQLite has it too)."""
    awal = Keluarga.objects.get(pk=keluarga_a.pk).versi
    sekarang = timezone.now()
    with connection.cursor() as c:
        c.execute(
            f"INSERT INTO {Keluarga._meta.db_table} (no_kk, kelurahan_id, alamat, rt, rw, dibuat_pada, diubah_pada) "  # noqa: S608
            "VALUES (%s, %s, %s, '', '', %s, %s) ON CONFLICT (no_kk) DO UPDATE SET alamat = EXCLUDED.alamat",
            [keluarga_a.no_kk, keluarga_a.kelurahan_id, "Jl. DTSEN", sekarang, sekarang],
        )
    k = Keluarga.objects.get(pk=keluarga_a.pk)
    assert (k.alamat, k.versi) == ("Jl. DTSEN", awal + 1)


def test_aksi_kasus_menaikkan_versi_dan_form_lama_ditolak(client, user_staf, kasus_a):
    client.force_login(user_staf)
    alamat = reverse("ppks:kasus-update", args=[kasus_a.pk])
    form = client.get(alamat)
    kasus = Kasus.objects.get(pk=kasus_a.pk)
    versi = kasus.versi
    kasus_ubah_status(kasus=kasus, oleh=user_staf, status="diverifikasi")
    assert Kasus.objects.get(pk=kasus_a.pk).versi > versi
    tindakan_catat(kasus=kasus, oleh=user_staf, jenis="kunjungan", uraian="Dikunjungi")
    resp = client.post(alamat, _data_halaman(form, urgensi="darurat"))
    assert resp.status_code == 200 and resp.context["form"].konflik is not None
    kasus = Kasus.objects.get(pk=kasus_a.pk)
    assert (kasus.status, kasus.urgensi) == ("diverifikasi", "biasa")
    # The last saved change is named even when no field of the form differs.
    assert resp.context["form"].konflik.oleh == _nama(user_staf)


def test_layanan_update_bersyarat_menolak_versi_basi(user_staf, penduduk_a):
    """The conditional UPDATE itself (not only the service's early check) refuses a stale version."""
    basi = Penduduk.objects.get(pk=penduduk_a.pk)
    Penduduk.objects.filter(pk=penduduk_a.pk).update(alamat="Jl. Orang Lain")
    basi.alamat = "Jl. Saya"
    simpan_dengan_versi(basi, basi.versi)
    with pytest.raises(KonflikVersi), transaction.atomic():
        basi.save()
    assert Penduduk.objects.get(pk=penduduk_a.pk).alamat == "Jl. Orang Lain"
    # Through the service: refused and rolled back, no history row either.
    jumlah_riwayat = penduduk_a.history.count()
    with pytest.raises(KonflikVersi):
        penduduk_simpan(penduduk=basi, oleh=user_staf, versi=basi.versi - 1)
    assert penduduk_a.history.count() == jumlah_riwayat
    # With the current version it saves, and the instance knows the new number.
    sekarang = Penduduk.objects.get(pk=penduduk_a.pk)
    sekarang.alamat = "Jl. Saya"
    penduduk_simpan(penduduk=sekarang, oleh=user_staf, versi=sekarang.versi)
    assert Penduduk.objects.get(pk=penduduk_a.pk).versi == sekarang.versi


# --- tampered hidden version ----------------------------------------------------------------------

RUSAK = ["abc", "", None, "99999999999999999999", "2147483648", "-1", "0", "1.0", "١", " 1e3"]


@pytest.mark.parametrize("versi", RUSAK)
@pytest.mark.parametrize(("url", "fixture", "kolom"), [(u, f, k) for u, f, k, *_ in KASUS_HALAMAN])
def test_versi_rusak_jadi_pesan_bukan_500(client, request, user_staf, url, fixture, kolom, versi):
    obj = request.getfixturevalue(fixture)
    client.force_login(user_staf)
    alamat = reverse(url, args=[obj.pk])
    data = _data_halaman(client.get(alamat), **{kolom: "Diubah lewat form palsu"})
    if versi is None:
        del data["versi"]
    else:
        data["versi"] = versi
    resp = client.post(alamat, data)
    assert resp.status_code == 200
    assert PESAN_RUSAK in resp.content.decode()
    assert getattr(_model(obj).get(pk=obj.pk), kolom) != "Diubah lewat form palsu"


@pytest.mark.parametrize("versi", ["abc", None, "99999999999999999999"])
def test_versi_rusak_di_admin_jadi_pesan(client, user_admin, penduduk_a, versi):
    client.force_login(user_admin)
    alamat = reverse("admin:penduduk_penduduk_change", args=[penduduk_a.pk])
    data = _data_admin(client.get(alamat), alamat="Jl. Palsu")
    if versi is None:
        del data["versi"]
    else:
        data["versi"] = versi
    resp = client.post(alamat, data)
    assert resp.status_code == 200
    assert PESAN_RUSAK in " ".join(str(e) for e in resp.context["adminform"].form.non_field_errors())
    assert Penduduk.objects.get(pk=penduduk_a.pk).alamat != "Jl. Palsu"


def test_versi_masa_depan_jadi_konflik_bukan_500(client, user_staf, penduduk_a):
    client.force_login(user_staf)
    alamat = reverse("penduduk:update", args=[penduduk_a.pk])
    data = _data_halaman(client.get(alamat), alamat="Jl. Palsu", versi="2147483647")
    resp = client.post(alamat, data)
    assert resp.status_code == 200 and resp.context["form"].konflik is not None
    assert Penduduk.objects.get(pk=penduduk_a.pk).alamat != "Jl. Palsu"


def test_form_baru_tanpa_versi(client, user_staf):
    client.force_login(user_staf)
    for url in ("penduduk:create", "penduduk:keluarga-create", "ppks:kasus-create"):
        resp = client.get(reverse(url))
        assert "versi" not in resp.context["form"].fields
        assert 'name="versi"' not in resp.content.decode()


def test_pengguna_lain_nama_tampil(client, penduduk_a):
    """Who saved it is named by full name (or user name), as on the history panel."""
    sari = UserFactory(username="sari", first_name="Sari", last_name="Yuliani", peran="staf")
    penyunting = UserFactory(username="budi", peran="staf")
    client.force_login(penyunting)
    alamat = reverse("penduduk:update", args=[penduduk_a.pk])
    data = _data_halaman(client.get(alamat), telepon="081200000002")
    orang = Penduduk.objects.get(pk=penduduk_a.pk)
    orang.telepon = "081200000001"
    penduduk_simpan(penduduk=orang, oleh=sari, versi=orang.versi)
    resp = client.post(alamat, data)
    beda = {b.label: b for b in resp.context["form"].konflik.beda}
    assert (beda["telepon"].isian_anda, beda["telepon"].tersimpan) == ("081200000002", "081200000001")
    assert beda["telepon"].diubah.startswith("Sari Yuliani, ")
    assert "Sari Yuliani" in resp.content.decode()


def test_baris_anggota_di_form_keluarga_tidak_menimpa_ubahan_orang_lain(client, user_staf, user_admin, keluarga_a):
    """A member edited on their own page meanwhile: the household form's row for them is refused."""
    anggota = keluarga_a.anggota.get()
    client.force_login(user_staf)
    alamat = reverse("penduduk:keluarga-update", args=[keluarga_a.pk])
    form = client.get(alamat)
    orang = Penduduk.objects.get(pk=anggota.pk)
    orang.nama = "Nama Dari Halaman Orang"
    penduduk_simpan(penduduk=orang, oleh=user_admin, versi=orang.versi)
    data = _data_halaman(form, alamat="Jl. Keluarga Baru", **{"anggota-0-jenis_kelamin": "P"})
    resp = client.post(alamat, data)
    assert resp.status_code == 200
    assert Penduduk.objects.get(pk=anggota.pk).nama == "Nama Dari Halaman Orang"
    assert Keluarga.objects.get(pk=keluarga_a.pk).alamat != "Jl. Keluarga Baru"  # all rolled back
    baris = resp.context["formset"].forms[0]
    beda = {b.label: b for b in baris.konflik.beda}
    assert beda["nama lengkap"].tersimpan == "Nama Dari Halaman Orang"
    assert "sudah diubah orang lain" in resp.content.decode()
    # Saving again re-applies the kept input on purpose (the row now at the current version).
    assert client.post(alamat, _data_halaman(resp)).status_code == 302
    assert Penduduk.objects.get(pk=anggota.pk).nama == anggota.nama


def test_admin_baris_anggota_basi_ditolak(client, user_staf, user_admin, keluarga_a):
    """The members inline of the household's admin page: a row opened before somebody edited that
    person is refused on that row, and nothing of the page is saved."""
    anggota = keluarga_a.anggota.get()
    client.force_login(user_staf)
    alamat = reverse("admin:penduduk_keluarga_change", args=[keluarga_a.pk])
    halaman = client.get(alamat)
    orang = Penduduk.objects.get(pk=anggota.pk)
    orang.nama = "Nama Dari Halaman Orang"
    penduduk_simpan(penduduk=orang, oleh=user_admin, versi=orang.versi)
    prefix = halaman.context["inline_admin_formsets"][0].formset.prefix
    resp = client.post(alamat, _data_admin(halaman, alamat="Jl. Baru", **{f"{prefix}-0-nama": "Nama Lama Diubah"}))
    assert resp.status_code == 200
    assert Penduduk.objects.get(pk=anggota.pk).nama == "Nama Dari Halaman Orang"
    assert Keluarga.objects.get(pk=keluarga_a.pk).alamat != "Jl. Baru"
    baris = resp.context["inline_admin_formsets"][0].formset.forms[0]
    galat = " ".join(str(e) for e in baris.non_field_errors())
    assert PESAN_KONFLIK in galat and "Nama Lama Diubah → Nama Dari Halaman Orang" in galat


def test_judul_form_yang_ditolak_menyebut_nama_tersimpan(client, user_staf, user_admin, penduduk_a):
    """The heading of a refused form names the saved person, not the refused input."""
    from django.test import Client

    url = reverse("penduduk:update", args=[penduduk_a.pk])
    lain = Client()
    lain.force_login(user_admin)
    client.force_login(user_staf)
    data_staf = _data_halaman(client.get(url), nama="Nama Dari Staf")
    data_admin = _data_halaman(lain.get(url), nama="Nama Dari Admin")
    assert client.post(url, data_staf).status_code == 302
    resp = lain.post(url, data_admin)
    assert resp.status_code == 200
    isi = resp.content.decode()
    judul = isi[isi.index("<h1") : isi.index("</h1>")]
    assert "Nama Dari Staf" in judul and "Nama Dari Admin" not in judul
    assert 'value="Nama Dari Admin"' in isi  # the input is kept in the form
