import datetime as dt

import pytest
from django.urls import reverse

from penduduk.models import Penduduk
from tests.factories import PendudukFactory, data_form_penduduk

pytestmark = pytest.mark.django_db


_data = data_form_penduduk


def test_buat_penduduk_mengisi_tanggal_lahir_dan_jenis_kelamin_dari_nik(client, psm_a, kelurahan_a):
    client.force_login(psm_a)
    resp = client.post(reverse("penduduk:create"), _data(kelurahan_a, nik="1376015203900007"))
    orang = Penduduk.objects.get(nik="1376015203900007")
    assert resp.status_code == 302
    assert resp["Location"] == orang.get_absolute_url()
    assert orang.tanggal_lahir == dt.date(1990, 3, 12)
    assert orang.jenis_kelamin == "P"
    assert orang.nama_normal == "yusnimar"
    catatan = orang.history.get()
    assert catatan.history_user == psm_a
    assert catatan.history_type == "+"


def test_nik_salah_ditolak_dengan_pesan_indonesia_dan_tidak_menyimpan(client, staf_client_kelurahan):
    client, kelurahan = staf_client_kelurahan
    resp = client.post(reverse("penduduk:create"), _data(kelurahan, nik="13760152039"))
    assert resp.status_code == 200
    assert "NIK harus 16 digit angka" in resp.content.decode()
    assert not Penduduk.objects.filter(nama="Yusnimar").exists()


@pytest.mark.parametrize(
    ("field", "nilai", "pesan"),
    [
        ("tanggal_lahir", "31/02/1990", "tanggal yang valid"),
        ("kelurahan", "999999", "Masukkan pilihan yang valid"),
        ("status", "hilang", "Masukkan pilihan yang valid"),
        ("nama", "", "tidak boleh kosong"),
    ],
)
def test_masukan_buruk_dapat_pesan_jelas_bukan_500(client, staf_client_kelurahan, field, nilai, pesan):
    client, kelurahan = staf_client_kelurahan
    resp = client.post(reverse("penduduk:create"), _data(kelurahan, **{field: nilai}))
    assert resp.status_code == 200
    assert pesan.lower() in resp.content.decode().lower()
    assert Penduduk.objects.count() == 0


def test_peringatan_nik_tidak_menolak_tapi_ditampilkan(client, staf_client_kelurahan):
    client, kelurahan = staf_client_kelurahan
    resp = client.post(
        reverse("penduduk:create"),
        _data(kelurahan, nik="1376011506850001", jenis_kelamin="P", tanggal_lahir="01/07/1985"),
        follow=True,
    )
    orang = Penduduk.objects.get(nik="1376011506850001")
    assert orang.jenis_kelamin == "P"  # the record keeps what staff entered
    html = resp.content.decode()
    assert "Jenis kelamin tercatat berbeda dengan NIK" in html
    assert "Tanggal lahir tercatat berbeda dengan NIK" in html


def test_kemungkinan_ganda_diperingatkan_dengan_tautan_sebelum_menyimpan(client, staf_client_kelurahan):
    client, kelurahan = staf_client_kelurahan
    lama = PendudukFactory(nama="Hj. Siti Rahmah", tanggal_lahir=dt.date(1970, 1, 2), kelurahan=kelurahan)
    data = _data(kelurahan, nama="SITI  RAHMAH", tanggal_lahir="02/01/1970", jenis_kelamin="P")

    resp = client.post(reverse("penduduk:create"), data)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Mungkin data ganda" in html
    assert lama.get_absolute_url() in html
    assert Penduduk.objects.count() == 1

    resp = client.post(reverse("penduduk:create"), {**data, "konfirmasi_ganda": "on"})
    assert resp.status_code == 302
    assert Penduduk.objects.count() == 2


def test_kemungkinan_ganda_di_luar_wilayah_tanpa_tautan(client, psm_a, kelurahan_a, penduduk_b):
    client.force_login(psm_a)
    data = _data(kelurahan_a, nama=penduduk_b.nama, tanggal_lahir=penduduk_b.tanggal_lahir.strftime("%d/%m/%Y"))
    resp = client.post(reverse("penduduk:create"), data)
    html = resp.content.decode()
    assert "1 data di luar wilayah kerja Anda" in html
    assert penduduk_b.get_absolute_url() not in html


def test_nik_sudah_terdaftar_ditolak_dengan_tautan(client, staf_client_kelurahan):
    client, kelurahan = staf_client_kelurahan
    lama = PendudukFactory(kelurahan=kelurahan)
    resp = client.post(reverse("penduduk:create"), _data(kelurahan, nik=lama.nik, nama="Orang Lain"))
    html = resp.content.decode()
    assert "NIK ini sudah terdaftar atas nama" in html
    assert lama.get_absolute_url() in html


def test_nik_terdaftar_di_luar_wilayah_psm_tidak_dibocorkan(client, psm_a, kelurahan_a, penduduk_b):
    client.force_login(psm_a)
    resp = client.post(reverse("penduduk:create"), _data(kelurahan_a, nik=penduduk_b.nik, nama="Orang Lain"))
    html = resp.content.decode()
    assert "sudah terdaftar di kelurahan lain" in html
    assert penduduk_b.nama not in html


def test_psm_mengubah_telepon_tercatat_di_riwayat(client, psm_a, penduduk_a):
    client.force_login(psm_a)
    url = reverse("penduduk:update", args=[penduduk_a.pk])
    form = client.get(url).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data["tanggal_lahir"] = penduduk_a.tanggal_lahir.strftime("%d/%m/%Y")
    data["telepon"] = "081266001122"
    resp = client.post(url, data)
    assert resp.status_code == 302
    penduduk_a.refresh_from_db()
    assert penduduk_a.telepon == "081266001122"
    detail = client.get(penduduk_a.get_absolute_url()).content.decode()
    assert "081266001122" in detail
    assert "Riwayat perubahan" in detail
    assert psm_a.username in detail or psm_a.get_full_name() in detail


def test_riwayat_menyamarkan_nik_untuk_pimpinan(client, user_pimpinan, user_staf, penduduk_a):
    nik_lama = penduduk_a.nik
    penduduk_a.nik = "1376014506850009"
    penduduk_a._history_user = user_staf
    penduduk_a.save()
    client.force_login(user_pimpinan)
    html = client.get(penduduk_a.get_absolute_url()).content.decode()
    assert nik_lama not in html and "1376014506850009" not in html
    assert "1376••••••••••••" in html and "0009" not in html
    client.force_login(user_staf)
    html = client.get(penduduk_a.get_absolute_url()).content.decode()
    assert nik_lama in html and "1376014506850009" in html


def test_pencarian_nik_nama_dan_filter(client, user_staf, kelurahan_a, kelurahan_b):
    a = PendudukFactory(nama="Bujang Rajo", kelurahan=kelurahan_a)
    b = PendudukFactory(nama="Upik Rosmaniar", kelurahan=kelurahan_b)
    client.force_login(user_staf)

    def hasil(**params):
        return set(client.get(reverse("penduduk:list"), params).context["daftar"])

    assert hasil(q="bujang") == {a}
    assert hasil(q=a.nik) == {a}
    assert a in hasil(q=a.nik[:10])
    assert hasil(kelurahan=kelurahan_b.pk) == {b}
    assert hasil(kecamatan=kelurahan_a.kecamatan_id) == {a}
    assert hasil(q="tidak ada orang ini") == set()


@pytest.mark.parametrize("nama_url", ["penduduk:list", "penduduk:keluarga-list"])
def test_jumlah_query_halaman_daftar_konstan(client, user_staf, kelurahan_a, django_assert_num_queries, nama_url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import KeluargaFactory

    client.force_login(user_staf)

    def isi(n):
        for _ in range(n):
            k = KeluargaFactory(kelurahan=kelurahan_a)
            PendudukFactory(keluarga=k, kelurahan=kelurahan_a, hubungan="kepala")

    isi(3)
    client.get(reverse(nama_url))  # warm-up: the first request after login stamps the session
    with CaptureQueriesContext(connection) as sedikit:
        assert client.get(reverse(nama_url)).status_code == 200
    isi(27)
    with CaptureQueriesContext(connection) as banyak:
        assert client.get(reverse(nama_url)).status_code == 200
    assert len(banyak) == len(sedikit)


def test_filter_status_dan_filter_tak_sah_tidak_membuang_pencarian(client, user_staf, kelurahan_a):
    hidup = PendudukFactory(nama="Datuak Hidup", kelurahan=kelurahan_a)
    wafat = PendudukFactory(nama="Datuak Wafat", kelurahan=kelurahan_a, status="meninggal")
    client.force_login(user_staf)

    def hasil(**params):
        return set(client.get(reverse("penduduk:list"), params).context["daftar"])

    assert hasil(q="datuak") == {hidup, wafat}
    assert hasil(q="datuak", status="meninggal") == {wafat}
    assert hasil(q="datuak hidup", kelurahan="999999") == {hidup}


def test_nomor_halaman_basi_menampilkan_halaman_terdekat(client, user_staf, penduduk_a):
    client.force_login(user_staf)
    for page in ("999", "abc", "-1", "last"):
        resp = client.get(reverse("penduduk:list"), {"page": page})
        assert resp.status_code == 200
        assert penduduk_a in resp.context["daftar"]
