"""Reference data in the back office: Admin edits it, Staf Dinsos only looks it up."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wilayah.models import AliasWilayah, Kecamatan, Kelurahan

pytestmark = pytest.mark.django_db


def _data_kelurahan(kel: Kelurahan, **ubah) -> dict:
    data = {
        "nama": kel.nama,
        "slug": kel.slug,
        "kecamatan": kel.kecamatan_id,
        "kode": kel.kode,
        "kode_bps": kel.kode_bps,
        "jumlah_penduduk": kel.jumlah_penduduk or "",
        "jumlah_kk": kel.jumlah_kk or "",
    }
    data.update(ubah)
    return data


def _jumlah_query(client, url) -> int:
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_daftar_kelurahan_menampilkan_kolom_utama(client, user_admin, kelurahan_a):
    client.force_login(user_admin)
    resp = client.get(reverse("admin:wilayah_kelurahan_changelist"), {"q": kelurahan_a.nama})
    assert resp.status_code == 200
    cl = resp.context["cl"]
    assert list(cl.list_display[1:]) == ["nama", "kecamatan", "kode", "kode_bps", "jumlah_penduduk", "jumlah_kk"]
    assert list(cl.result_list) == [kelurahan_a]
    isi = resp.content.decode()
    assert kelurahan_a.kecamatan.nama in isi
    assert kelurahan_a.kode in isi


def test_admin_mengubah_jumlah_penduduk_dan_kk(client, user_admin, kelurahan_a):
    client.force_login(user_admin)
    url = reverse("admin:wilayah_kelurahan_change", args=[kelurahan_a.pk])
    resp = client.post(url, _data_kelurahan(kelurahan_a, jumlah_penduduk=8123, jumlah_kk=2301))
    assert resp.status_code == 302
    kelurahan_a.refresh_from_db()
    assert (kelurahan_a.jumlah_penduduk, kelurahan_a.jumlah_kk) == (8123, 2301)


def test_admin_mengubah_jumlah_lewat_daftar(client, user_admin, kelurahan_a):
    """list_editable: the figures of many kelurahan typed in on one page."""
    client.force_login(user_admin)
    url = reverse("admin:wilayah_kelurahan_changelist")
    resp = client.get(url, {"q": kelurahan_a.nama})
    formset = resp.context["cl"].formset
    assert formset is not None
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": kelurahan_a.pk,
        "form-0-jumlah_penduduk": "5000",
        "form-0-jumlah_kk": "1400",
        "_save": "Simpan",
    }
    resp = client.post(f"{url}?q={kelurahan_a.nama}", data)
    assert resp.status_code == 302
    kelurahan_a.refresh_from_db()
    assert (kelurahan_a.jumlah_penduduk, kelurahan_a.jumlah_kk) == (5000, 1400)


def test_staf_melihat_tetapi_tidak_mengubah_kelurahan(client, user_staf, kelurahan_a):
    client.force_login(user_staf)
    url = reverse("admin:wilayah_kelurahan_change", args=[kelurahan_a.pk])
    resp = client.get(url)
    assert resp.status_code == 200
    assert resp.context["has_change_permission"] is False
    resp = client.post(url, _data_kelurahan(kelurahan_a, jumlah_penduduk=1))
    assert resp.status_code == 403
    kelurahan_a.refresh_from_db()
    assert kelurahan_a.jumlah_penduduk != 1

    daftar = reverse("admin:wilayah_kelurahan_changelist")
    assert client.get(daftar).context["cl"].formset is None  # no editable columns for Staf
    resp = client.post(daftar, {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0", "_save": "Simpan"})
    assert resp.status_code == 403
    assert client.get(reverse("admin:wilayah_kelurahan_add")).status_code == 403


def test_staf_tidak_boleh_menambah_nama_lain(client, user_staf, kelurahan_a):
    client.force_login(user_staf)
    resp = client.post(
        reverse("admin:wilayah_aliaswilayah_add"), {"alias": "Tanjuang Pauh Lamo", "kelurahan": kelurahan_a.pk}
    )
    assert resp.status_code == 403
    assert not AliasWilayah.objects.filter(alias="Tanjuang Pauh Lamo").exists()


def test_nama_lain_alias_normal_dihitung_lewat_full_clean(client, user_admin, kelurahan_a):
    client.force_login(user_admin)
    resp = client.post(
        reverse("admin:wilayah_aliaswilayah_add"),
        {"alias": "Kel. Tanjuang  Pauh Lamo", "kelurahan": kelurahan_a.pk, "kecamatan": "", "dasar": "Sebutan warga"},
    )
    assert resp.status_code == 302
    alias = AliasWilayah.objects.get(alias="Kel. Tanjuang  Pauh Lamo")
    assert alias.alias_normal == "tanjuangpauhlamo"
    assert alias.kelurahan == kelurahan_a


def test_nama_lain_ganda_ditolak_dengan_pesan(client, user_admin, kelurahan_a):
    ada = AliasWilayah.objects.order_by("pk").first()
    client.force_login(user_admin)
    jumlah = AliasWilayah.objects.count()
    resp = client.post(
        reverse("admin:wilayah_aliaswilayah_add"),
        {"alias": f"Kelurahan {ada.alias.upper()}", "kelurahan": kelurahan_a.pk, "kecamatan": ""},
    )
    assert resp.status_code == 200
    assert "Nama lain ini sudah terdaftar" in resp.content.decode()
    assert AliasWilayah.objects.count() == jumlah


@pytest.mark.parametrize("dua", [True, False])
def test_nama_lain_harus_tepat_satu_wilayah(client, user_admin, kelurahan_a, dua):
    client.force_login(user_admin)
    data = {"alias": "Nama Uji", "kelurahan": "", "kecamatan": ""}
    if dua:
        data.update(kelurahan=kelurahan_a.pk, kecamatan=kelurahan_a.kecamatan_id)
    resp = client.post(reverse("admin:wilayah_aliaswilayah_add"), data)
    assert resp.status_code == 200
    assert "Pilih tepat satu: kelurahan atau kecamatan" in resp.content.decode()
    assert not AliasWilayah.objects.filter(alias="Nama Uji").exists()


def test_daftar_nama_lain_jumlah_query_tetap(client, user_admin, kelurahan_a):
    client.force_login(user_admin)
    url = reverse("admin:wilayah_aliaswilayah_changelist")
    AliasWilayah.objects.all().delete()
    kecamatan = Kecamatan.objects.first()
    for i in range(3):
        AliasWilayah.objects.create(alias=f"Sebutan {i}", alias_normal=f"sebutan{i}", kelurahan=kelurahan_a)
    sedikit = _jumlah_query(client, url)
    for i in range(3, 30):
        kwargs = {"kelurahan": kelurahan_a} if i % 2 else {"kecamatan": kecamatan}
        AliasWilayah.objects.create(alias=f"Sebutan {i}", alias_normal=f"sebutan{i}", **kwargs)
    assert _jumlah_query(client, url) == sedikit


def test_daftar_kelurahan_jumlah_query_tetap(client, user_admin):
    """Admin's list has an editable formset per row: still one query for the page."""
    client.force_login(user_admin)
    url = reverse("admin:wilayah_kelurahan_changelist") + "?kecamatan__id__exact={}"
    kecamatan = Kecamatan.objects.annotate(n=Count("kelurahan")).order_by("n").first()
    awal = Kelurahan.objects.filter(kecamatan=kecamatan).count()
    assert awal < 10
    sedikit = _jumlah_query(client, url.format(kecamatan.pk))
    for i in range(30 - awal):
        Kelurahan.objects.create(
            kode=f"13.76.99.{i:04d}", nama=f"Kelurahan Uji {i}", slug=f"uji-{i}", kecamatan=kecamatan
        )
    assert Kelurahan.objects.filter(kecamatan=kecamatan).count() >= 30
    assert _jumlah_query(client, url.format(kecamatan.pk)) == sedikit


def test_daftar_kecamatan_dengan_jumlah_kelurahan(client, user_staf):
    client.force_login(user_staf)
    resp = client.get(reverse("admin:wilayah_kecamatan_changelist"))
    assert resp.status_code == 200
    baris = {k.nama: k._jumlah_kelurahan for k in resp.context["cl"].result_list}
    assert baris == {k.nama: k.kelurahan.count() for k in Kecamatan.objects.all()}
    assert len(baris) == 5
