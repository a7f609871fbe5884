"""Issue 8: PSM profiles for staff: list (filters, "belum punya profil", constant queries), form
(account and primary kelurahan limited, NIK checked, trainings), detail, pledge record."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from akun.roles import Peran
from psm.models import Ikrar, Pelatihan, PersetujuanIkrar, ProfilPSM
from tests.factories import (
    KasusFactory,
    KunjunganFactory,
    PendudukFactory,
    PPKSFactory,
    ProfilPSMFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _daftar(client, **params):
    return list(client.get(reverse("psm:list"), params).context["daftar"])


def test_daftar_filter_dan_belum_punya_profil(client, user_staf, psm_a, psm_b, kelurahan_a):
    profil = ProfilPSMFactory(user=psm_a, nama="Nurhayati", koordinator=True, kelurahan_utama=kelurahan_a)
    client.force_login(user_staf)
    assert set(_daftar(client)) == {psm_a, psm_b}
    assert _daftar(client, profil="belum") == [psm_b]
    assert _daftar(client, profil="ada") == [psm_a]
    assert _daftar(client, kelurahan=kelurahan_a.pk) == [psm_a]
    assert _daftar(client, kecamatan=kelurahan_a.kecamatan_id) == [psm_a]
    assert _daftar(client, koordinator="ya") == [psm_a]
    assert _daftar(client, koordinator="tidak") == [psm_b]
    assert set(_daftar(client, kelurahan="abc")) == {psm_a, psm_b}  # a stale value drops that filter only
    html = client.get(reverse("psm:list")).content.decode()
    assert profil.tautan_whatsapp in html and "https://wa.me/6281266001234" in html
    assert f"{reverse('psm:create')}?user={psm_b.pk}" in html


def test_daftar_kolom_ikrar_aktivitas_dan_jumlah(client, user_staf, psm_a, kelurahan_a):
    ProfilPSMFactory(user=psm_a)
    orang = PendudukFactory(kelurahan=kelurahan_a)
    PPKSFactory(penduduk=orang, psm_pendamping=psm_a)
    KasusFactory(kelurahan=kelurahan_a, psm=psm_a)
    KunjunganFactory(oleh=psm_a, penduduk=orang, tanggal=dt.date(2026, 1, 3))
    PersetujuanIkrar.objects.create(user=psm_a, ikrar=Ikrar.terkini())
    client.force_login(user_staf)
    (baris,) = _daftar(client)
    assert (baris.jumlah_ppks, baris.jumlah_kasus, baris.aktivitas_terakhir) == (1, 1, dt.date(2026, 1, 3))
    assert baris.ikrar_terakhir.ikrar == Ikrar.terkini()
    assert [k.pk for k in baris.wilayah] == [kelurahan_a.pk]


def test_daftar_jumlah_query_konstan(client, user_staf, kelurahan_a):
    client.force_login(user_staf)

    def isi(n):
        for _ in range(n):
            u = UserFactory(peran=Peran.PSM, kelurahan=[kelurahan_a])
            ProfilPSMFactory(user=u, kelurahan_utama=kelurahan_a)
            orang = PendudukFactory(kelurahan=kelurahan_a)
            PPKSFactory(penduduk=orang, psm_pendamping=u)
            KunjunganFactory(oleh=u, penduduk=orang)
            PersetujuanIkrar.objects.create(user=u, ikrar=Ikrar.terkini())

    isi(3)
    client.get(reverse("psm:list"))
    with CaptureQueriesContext(connection) as sedikit:
        assert client.get(reverse("psm:list")).status_code == 200
    isi(27)
    with CaptureQueriesContext(connection) as banyak:
        assert client.get(reverse("psm:list")).status_code == 200
    assert len(banyak) == len(sedikit)


def _data(**ubah):
    data = {
        "nama": "Nurhayati, S.Sos",
        "nik": "1376 0145 0785 0001",
        "telepon": "0812 6600 7788",
        "nomor_sk": "400.9/12/SK-DINSOS/2025",
        "tanggal_sk": "06/01/2025",
        "aktif_mulai": "06/01/2025",
        "aktif_sampai": "",
        "koordinator": "on",
        "kelurahan_utama": "",
        "pelatihan-TOTAL_FORMS": "1",
        "pelatihan-INITIAL_FORMS": "0",
        "pelatihan-MIN_NUM_FORMS": "0",
        "pelatihan-MAX_NUM_FORMS": "30",
        "pelatihan-0-nama": "Bimtek Pendamping PPKS",
        "pelatihan-0-penyelenggara": "Dinas Sosial Provinsi Sumatera Barat",
        "pelatihan-0-tanggal": "12/03/2025",
    }
    data.update(ubah)
    return data


def test_buat_profil_dengan_pelatihan(client, user_staf, psm_a, psm_b, kelurahan_a, kelurahan_b):
    ProfilPSMFactory(user=psm_b)
    client.force_login(user_staf)
    resp = client.get(reverse("psm:create"), {"user": psm_a.pk})
    form = resp.context["form"]
    assert list(form.fields["user"].queryset) == [psm_a]  # PSM accounts without a profile only
    assert list(form.fields["kelurahan_utama"].queryset) == [kelurahan_a]  # the account's kelurahan only
    resp = client.post(f"{reverse('psm:create')}?user={psm_a.pk}", _data(user=psm_a.pk, kelurahan_utama=kelurahan_a.pk))
    profil = ProfilPSM.objects.get(user=psm_a)
    assert resp.status_code == 302 and resp["Location"] == profil.get_absolute_url()
    assert (profil.nik, profil.koordinator, profil.kelurahan_utama) == ("1376014507850001", True, kelurahan_a)
    assert profil.tanggal_sk == dt.date(2025, 1, 6)
    assert [p.nama for p in profil.pelatihan.all()] == ["Bimtek Pendamping PPKS"]
    assert profil.history.first().history_user == user_staf
    assert Pelatihan.history.first().history_user == user_staf

    # An account that already has a profile is no choice.
    resp = client.post(reverse("psm:create"), _data(user=psm_b.pk, nik=""))
    assert resp.status_code == 200 and "user" in resp.context["form"].errors


def test_profil_ditolak_dengan_pesan(client, user_staf, psm_a, kelurahan_b):
    client.force_login(user_staf)
    url = f"{reverse('psm:create')}?user={psm_a.pk}"
    resp = client.post(url, _data(user=psm_a.pk, nik="1234"))
    assert resp.status_code == 200 and resp.context["form"].errors["nik"]
    resp = client.post(url, _data(user=psm_a.pk, kelurahan_utama=kelurahan_b.pk))
    assert resp.status_code == 200 and "kelurahan_utama" in resp.context["form"].errors
    besok = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    resp = client.post(url, _data(user=psm_a.pk, **{"pelatihan-0-tanggal": besok}))
    assert resp.status_code == 200
    resp = client.post(url, _data(user=psm_a.pk, aktif_mulai="06/01/2025", aktif_sampai="01/01/2025"))
    assert resp.status_code == 200
    assert "Tanggal akhir masa aktif tidak boleh sebelum tanggal mulai." in resp.content.decode()
    assert not ProfilPSM.objects.exists()


def test_ubah_profil_hapus_pelatihan(client, user_staf, psm_a):
    profil = ProfilPSMFactory(user=psm_a, nama="Lama")
    lama = Pelatihan.objects.create(profil=profil, nama="Bimtek lama")
    client.force_login(user_staf)
    data = _data(
        nama="Baru",
        nik="",
        **{
            "pelatihan-TOTAL_FORMS": "2",
            "pelatihan-INITIAL_FORMS": "1",
            "pelatihan-0-id": str(lama.pk),
            "pelatihan-0-profil": str(profil.pk),
            "pelatihan-0-nama": "Bimtek lama",
            "pelatihan-0-tanggal": "",
            "pelatihan-0-DELETE": "on",
            "pelatihan-1-nama": "",
        },
    )
    resp = client.post(reverse("psm:update", args=[profil.pk]), data)
    assert resp.status_code == 302
    profil.refresh_from_db()
    assert profil.nama == "Baru" and not profil.pelatihan.exists()


def test_detail_menampilkan_ringkasan_dan_riwayat(client, user_pimpinan, psm_a, kelurahan_a):
    profil = ProfilPSMFactory(user=psm_a, nama="Nurhayati", nik="1376014507850001")
    Pelatihan.objects.create(profil=profil, nama="Bimtek Kesiapsiagaan Bencana")
    orang = PendudukFactory(kelurahan=kelurahan_a, nama="Upik Salimah")
    PPKSFactory(penduduk=orang, psm_pendamping=psm_a)
    KunjunganFactory(oleh=psm_a, penduduk=orang)
    client.force_login(user_pimpinan)
    resp = client.get(profil.get_absolute_url())
    html = resp.content.decode()
    assert "Bimtek Kesiapsiagaan Bencana" in html and "Upik Salimah" in html
    assert "1376014507850001" not in html  # Pimpinan sees NIK masked
    assert resp.context["akun"].jumlah_ppks == 1
    assert reverse("psm:update", args=[profil.pk]) not in html  # read-only role: no edit button
    assert resp.context["riwayat"]


def test_rekap_ikrar(client, user_staf, psm_a, psm_b):
    v1 = Ikrar.terkini()
    PersetujuanIkrar.objects.create(user=psm_a, ikrar=v1)
    PersetujuanIkrar.objects.create(user=psm_b, ikrar=v1)
    v2 = Ikrar.objects.create(versi=2, teks="Ikrar versi dua")
    PersetujuanIkrar.objects.create(user=psm_b, ikrar=v2)
    client.force_login(user_staf)
    resp = client.get(reverse("psm:ikrar-rekap"))
    assert [u.pk for u in resp.context["belum"]] == [psm_a.pk]
    assert [(u.pk, u.persetujuan.ikrar.versi) for u in resp.context["sudah"]] == [(psm_b.pk, 2)]
    assert {v.versi: v.jumlah for v in resp.context["versi"]} == {1: 2, 2: 1}


def test_rekap_ikrar_jumlah_query_konstan(client, user_staf, kelurahan_a):
    client.force_login(user_staf)

    def isi(n):
        for i in range(n):
            u = UserFactory(peran=Peran.PSM, kelurahan=[kelurahan_a])
            ProfilPSMFactory(user=u)
            if i % 2:
                PersetujuanIkrar.objects.create(user=u, ikrar=Ikrar.terkini())

    isi(3)
    client.get(reverse("psm:ikrar-rekap"))
    with CaptureQueriesContext(connection) as sedikit:
        client.get(reverse("psm:ikrar-rekap"))
    isi(27)
    with CaptureQueriesContext(connection) as banyak:
        client.get(reverse("psm:ikrar-rekap"))
    assert len(banyak) == len(sedikit)
