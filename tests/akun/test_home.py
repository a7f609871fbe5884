import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_beranda_psm_menampilkan_kelurahannya_saja(client, psm_a, penduduk_a, penduduk_b):
    from tests.factories import PPKSFactory
    from tests.psm import berikrar

    PPKSFactory(penduduk=penduduk_a)
    PPKSFactory(penduduk=penduduk_b)
    berikrar(psm_a)
    client.force_login(psm_a)
    resp = client.get(reverse("home"))
    assert resp["Location"] == reverse("psm:beranda")  # a PSM's home is their caseload
    html = client.get(resp["Location"]).content.decode()
    assert "Wilayah kerja Anda:" in html and "Tanjuang Pauh" in html
    assert penduduk_a.nama in html and penduduk_b.nama not in html
    assert "Per kecamatan" not in html


def test_beranda_pimpinan_ringkasan_kota_tanpa_tombol_tulis(client, user_pimpinan, penduduk_a, penduduk_b):
    client.force_login(user_pimpinan)
    resp = client.get(reverse("home"))
    html = resp.content.decode()
    assert resp.context["total_penduduk"] == 3
    assert "Per kecamatan" in html and "Payakumbuh Utara" in html
    assert "+ Penduduk" not in html
    assert "Back office" not in html


def test_beranda_staf_punya_tautan_back_office(client, user_staf):
    client.force_login(user_staf)
    html = client.get(reverse("home")).content.decode()
    assert reverse("admin:index") in html


def test_jumlah_query_beranda_konstan(client, user_staf, kelurahan_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import PendudukFactory

    client.force_login(user_staf)
    PendudukFactory(kelurahan=kelurahan_a)
    client.get(reverse("home"))  # warm-up: the first request after login stamps the session
    with CaptureQueriesContext(connection) as sedikit:
        client.get(reverse("home"))
    for _ in range(20):
        PendudukFactory(kelurahan=kelurahan_a)
    with CaptureQueriesContext(connection) as banyak:
        client.get(reverse("home"))
    assert len(banyak) == len(sedikit)


def test_halaman_404_bahasa_indonesia(client, psm_b, penduduk_a):
    client.force_login(psm_b)
    resp = client.get(reverse("penduduk:detail", args=[penduduk_a.pk]))
    assert resp.status_code == 404
    assert "di luar wilayah kerja Anda" in resp.content.decode()


def test_halaman_403_bahasa_indonesia(client, user_pimpinan):
    client.force_login(user_pimpinan)
    resp = client.get(reverse("penduduk:create"))
    assert resp.status_code == 403
    assert "Akses ditolak" in resp.content.decode()
