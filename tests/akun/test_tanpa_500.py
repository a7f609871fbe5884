"""Issue 5, point 4: inputs that were 500s answer with a clear message or a 404."""

import logging

import pytest
from django.db import OperationalError
from django.urls import reverse

from akun.parameter import id_dari
from tests.factories import PendudukFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("nilai", ["²", "①", "١٢", "12a", "-3", "0", "", "9" * 30, " 7", None])
def test_id_dari_menolak_yang_bukan_id(nilai):
    assert id_dari(nilai) is None


def test_id_dari_menerima_id():
    assert id_dari("42") == 42
    assert id_dari(str(2**63 - 1)) == 2**63 - 1


@pytest.mark.parametrize("nilai", ["²", "①", "9" * 30, "abc", ""])
def test_form_penduduk_baru_dengan_id_keluarga_aneh_404(client, user_staf, nilai):
    client.force_login(user_staf)
    assert client.get(reverse("penduduk:create"), {"keluarga": nilai}).status_code == 404


@pytest.mark.parametrize("param", ["kelurahan", "kecamatan", "page"])
def test_filter_daftar_dengan_nilai_aneh_tidak_500(client, user_staf, param):
    client.force_login(user_staf)
    for nilai in ("²", "9" * 30, "-1"):
        assert client.get(reverse("penduduk:list"), {param: nilai}).status_code == 200
        assert client.get(reverse("penduduk:keluarga-list"), {param: nilai}).status_code == 200


def test_halaman_masuk_dengan_next_ke_halaman_masuk_tidak_berputar(client, user_staf):
    client.force_login(user_staf)
    for next_ in ("/masuk/", "/masuk/?next=/masuk/"):
        resp = client.get(reverse("login"), {"next": next_})
        assert resp.status_code == 302
        assert resp["Location"] == reverse("home")
    # A real target is still honoured.
    resp = client.get(reverse("login"), {"next": reverse("penduduk:list")})
    assert resp["Location"] == reverse("penduduk:list")


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("admin:penduduk_penduduk_changelist", "dibuat_pada__year"),
        ("admin:penduduk_keluarga_changelist", "dibuat_pada__year"),
        ("admin:akun_user_changelist", "date_joined__year"),
    ],
)
@pytest.mark.parametrize("tahun", ["9999", "10000", "0", "²", "-5"])
def test_admin_filter_tahun_mustahil_bukan_500(client, user_admin, url, param, tahun):
    client.force_login(user_admin)
    resp = client.get(reverse(url), {param: tahun})
    assert resp.status_code in (200, 302)
    if resp.status_code == 302:
        assert "e=1" in resp["Location"]


def test_admin_hierarki_tanggal_pengguna_masih_jalan(client, user_admin):
    client.force_login(user_admin)
    tahun = user_admin.date_joined.year
    resp = client.get(reverse("admin:akun_user_changelist"), {"date_joined__year": tahun})
    assert resp.status_code == 200
    assert user_admin in resp.context["cl"].result_list


def test_admin_riwayat_dengan_id_bukan_angka_404(client, user_admin, penduduk_a):
    client.force_login(user_admin)
    base = reverse("admin:penduduk_penduduk_history", args=[penduduk_a.pk])
    assert client.get(base).status_code == 200
    assert client.get(base + "abc/").status_code == 404
    assert client.get(base + "²/").status_code == 404
    assert client.get("/admin/penduduk/penduduk/abc/history/").status_code == 404
    assert client.get("/admin/penduduk/keluarga/abc/history/abc/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/admin/penduduk/penduduk/?q=ab%00c",
        "/admin/penduduk/penduduk/?status=%00",
        "/admin/penduduk/penduduk/?kelurahan__id__exact=1%00",
        "/admin/autocomplete/?term=a%00&app_label=penduduk&model_name=penduduk&field_name=keluarga",
        "/penduduk/?q=%00",
        "/penduduk/keluarga/?q=siti%00",
    ],
)
def test_karakter_nul_dijawab_400_dengan_pesan(client, user_admin, url):
    client.force_login(user_admin)
    resp = client.get(url)
    assert resp.status_code == 400
    assert "karakter yang tidak diizinkan" in resp.content.decode()


def test_karakter_nul_dalam_post_dijawab_400(client, user_staf, penduduk_a):
    client.force_login(user_staf)
    resp = client.post(reverse("penduduk:update", args=[penduduk_a.pk]), {"nama": "A\x00B"})
    assert resp.status_code == 400


def test_database_sibuk_jadi_pesan_simpan_lagi_bukan_500(client, user_staf, penduduk_a, monkeypatch):
    from penduduk import views

    def sibuk(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(views, "penduduk_simpan", sibuk)
    client.force_login(user_staf)
    data = {
        "nama": "Siti Rahmah", "nik": penduduk_a.nik, "kelurahan": penduduk_a.kelurahan_id, "status": "hidup",
        "hubungan": "istri", "disabilitas": "", "versi": penduduk_a.versi,
    }  # fmt: skip
    resp = client.post(reverse("penduduk:update", args=[penduduk_a.pk]), data)
    assert resp.status_code == 200
    assert "Server sedang sibuk" in resp.content.decode()


def test_database_sibuk_di_luar_form_jadi_503(client, user_staf, monkeypatch, caplog):
    from akun import views

    def sibuk(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(views.HomeView, "get_context_data", sibuk)
    client.force_login(user_staf)
    with caplog.at_level(logging.WARNING):
        resp = client.get(reverse("home"))
    assert resp.status_code == 503
    assert resp["Retry-After"] == "5"
    assert "Server sedang sibuk" in resp.content.decode()


def test_penduduk_factory_tetap_valid():
    # Guard for the tests above: factories give persons that pass the new input checks.
    PendudukFactory().full_clean()
