"""Who may export: Admin, Staf and Pimpinan; a PSM neither sees the buttons nor gets the file."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.ekspor.alat import unduh
from tests.ekspor.conftest import DAFTAR, DAFTAR_PSM


@pytest.mark.django_db
@pytest.mark.parametrize("nama_url", DAFTAR_PSM)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_psm_tidak_bisa_ekspor(client, psm_a, kelurahan_a, nama_url, fmt):
    DAFTAR[nama_url][0](kelurahan_a, "Warga Alfa")
    client.force_login(psm_a)
    halaman = client.get(reverse(nama_url))
    assert halaman.status_code == 200
    assert b'data-testid="ekspor"' not in halaman.content
    assert b"unduh=" not in halaman.content
    assert unduh(client, nama_url, fmt).status_code == 403
    # A filter in the query string changes nothing.
    assert unduh(client, nama_url, fmt, kelurahan=kelurahan_a.pk).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("nama_url", sorted(DAFTAR))
@pytest.mark.parametrize("peran", ["admin", "staf", "pimpinan"])
def test_tombol_unduh_menjaga_filter(client, cast, kelurahan_a, nama_url, peran):
    client.force_login(cast[peran])
    halaman = client.get(reverse(nama_url), {"kelurahan": kelurahan_a.pk, "page": "2"})
    assert halaman.status_code == 200
    teks = halaman.content.decode()
    assert 'data-testid="ekspor"' in teks
    # The page's filters are kept, the page number is not.
    assert f'href="?kelurahan={kelurahan_a.pk}&amp;unduh=xlsx"' in teks
    assert f'href="?kelurahan={kelurahan_a.pk}&amp;unduh=csv"' in teks
    assert halaman.context["ekspor"] == {
        "xlsx": f"?kelurahan={kelurahan_a.pk}&unduh=xlsx",
        "csv": f"?kelurahan={kelurahan_a.pk}&unduh=csv",
    }


@pytest.mark.django_db
def test_tanpa_filter_tautan_polos(client, user_staf):
    client.force_login(user_staf)
    halaman = client.get(reverse("penduduk:list"))
    assert halaman.context["ekspor"] == {"xlsx": "?unduh=xlsx", "csv": "?unduh=csv"}


@pytest.mark.django_db
def test_format_tak_dikenal_kembali_ke_halaman(client, user_staf, kelurahan_a):
    client.force_login(user_staf)
    resp = unduh(client, "penduduk:list", "pdf", kelurahan=kelurahan_a.pk)
    assert resp.status_code == 302
    assert resp["Location"] == f"{reverse('penduduk:list')}?kelurahan={kelurahan_a.pk}"
    halaman = client.get(resp["Location"])
    assert "Format unduhan tidak dikenal" in halaman.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("nilai", ["abc", "99999999999999999999999999", "²", "-1"])
def test_filter_rusak_bukan_500(client, user_staf, nilai):
    client.force_login(user_staf)
    for fmt in ("xlsx", "csv"):
        assert unduh(client, "penduduk:list", fmt, kelurahan=nilai, kecamatan=nilai).status_code == 200
        assert unduh(client, "ppks:list", fmt, jenis=nilai, psm=nilai).status_code == 200


@pytest.mark.django_db
def test_anonim_diarahkan_ke_login(client):
    resp = unduh(client, "penduduk:list")
    assert resp.status_code == 302
    assert reverse("login") in resp["Location"]
