"""Issue 5, points 5 and 6: throttling that fits a shared office and a stuffing attacker; no cached pages."""

import logging
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse

from akun import alamat_ip
from akun.roles import Peran
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _login(client, username, password="demo12345", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_satu_alamat_gagal_dengan_banyak_nama_pengguna_dikunci(client, kelurahan_a, settings):
    """Reproduction: 4 tries on each of the predictable psm.<slug> names locked nothing."""
    assert settings.AXES_IP_FAILURE_LIMIT == 20
    korban = [UserFactory(username=f"psm.uji-{i}", peran=Peran.PSM, kelurahan=[kelurahan_a]) for i in range(6)]
    status = [_login(client, u.username, "salah").status_code for u in korban for _ in range(4)][:20]
    assert status[:19] == [200] * 19  # no single username reached its own limit of 5
    assert status[19] == 429
    # From that address even the right password of a name never tried is refused for the cool-off...
    bersih = UserFactory(username="psm.bersih", peran=Peran.PSM, kelurahan=[kelurahan_a])
    resp = _login(client, bersih.username)
    assert resp.status_code == 429
    assert "alamat jaringan Anda" in resp.content.decode()
    # ...while another address is not affected.
    assert _login(client, bersih.username, REMOTE_ADDR="36.80.1.2").status_code == 302


def test_kantor_bersama_tidak_terkunci_oleh_salah_ketik_biasa(client):
    """Thirty colleagues behind one router, each mistyping twice before getting in: 60 failures from
    one address in the window, and nobody is locked (a successful login clears that user's)."""
    for i in range(30):
        u = UserFactory(username=f"staf{i}", peran=Peran.STAF)
        assert _login(client, u.username, "salah").status_code == 200
        assert _login(client, u.username, "salah").status_code == 200
        assert _login(client, u.username).status_code == 302
        client.logout()


def test_pesan_kunci_menyebut_30_menit_bukan_iso(client, psm_a):
    for _ in range(5):
        resp = _login(client, psm_a.username, "salah")
    html = resp.content.decode()
    assert resp.status_code == 429
    assert "30 menit" in html and "PT30M" not in html


@pytest.mark.parametrize(
    ("td", "teks"),
    [
        (timedelta(minutes=30), "30 menit"),
        (timedelta(minutes=90), "1 jam 30 menit"),
        (timedelta(hours=2), "2 jam"),
        (timedelta(days=1, minutes=5), "1 hari 5 menit"),
        (timedelta(0), "0 menit"),
    ],
)
def test_filter_durasi(td, teks):
    assert Template("{% load format_id %}{{ td|durasi }}").render(Context({"td": td})) == teks


def test_xff_tanpa_proxy_tepercaya_diperingatkan_sekali(rf, settings, caplog, monkeypatch):
    monkeypatch.setattr(alamat_ip, "_sudah_diperingatkan", False)
    settings.DEBUG = False
    settings.TRUSTED_PROXY_COUNT = 0
    with caplog.at_level(logging.WARNING, logger="akun.alamat_ip"):
        for _ in range(3):
            alamat_ip.alamat_ip_klien(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="36.80.1.2"))
    peringatan = [r for r in caplog.records if "TRUSTED_PROXY_COUNT" in r.getMessage()]
    assert len(peringatan) == 1


def test_tanpa_xff_atau_dengan_proxy_tepercaya_tidak_diperingatkan(rf, settings, caplog, monkeypatch):
    monkeypatch.setattr(alamat_ip, "_sudah_diperingatkan", False)
    settings.DEBUG = False
    with caplog.at_level(logging.WARNING, logger="akun.alamat_ip"):
        settings.TRUSTED_PROXY_COUNT = 0
        alamat_ip.alamat_ip_klien(rf.get("/", REMOTE_ADDR="127.0.0.1"))
        settings.TRUSTED_PROXY_COUNT = 1
        alamat_ip.alamat_ip_klien(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="36.80.1.2"))
    assert not [r for r in caplog.records if "TRUSTED_PROXY_COUNT" in r.getMessage()]


@pytest.mark.parametrize(
    "url", ["home", "penduduk:list", "penduduk:keluarga-list", "penduduk:create", "admin:index", "login"]
)
def test_halaman_tidak_disimpan_di_cache(client, user_admin, url):
    client.force_login(user_admin)
    resp = client.get(reverse(url))
    assert "no-store" in resp["Cache-Control"]
    assert "private" in resp["Cache-Control"]


def test_detail_dan_halaman_keluar_tidak_disimpan_di_cache(client, user_staf, penduduk_a):
    client.force_login(user_staf)
    assert "no-store" in client.get(penduduk_a.get_absolute_url())["Cache-Control"]
    assert "no-store" in client.post(reverse("logout"))["Cache-Control"]
