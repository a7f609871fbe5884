import subprocess
import sys
import time

import pytest
from django.urls import reverse

from akun.middleware import SessionTimeoutMiddleware
from tests.psm import berikrar

pytestmark = pytest.mark.django_db


def _login(client, username, password="demo12345"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_berhasil_ke_beranda(client, psm_a):
    resp = _login(client, psm_a.username)
    assert resp.status_code == 302
    assert resp["Location"] == reverse("home")
    berikrar(psm_a)
    html = client.get(reverse("home"), follow=True).content.decode()  # a PSM's home: psm:beranda
    assert "Tanjuang Pauh" in html


def test_login_salah_pesan_indonesia(client, psm_a):
    resp = _login(client, psm_a.username, "salah")
    assert resp.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in resp.content.decode()


def test_axes_mengunci_setelah_5_gagal_dengan_pesan_indonesia(client, psm_a, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _login(client, psm_a.username, "salah").status_code == 200
    resp = _login(client, psm_a.username, "salah")
    assert resp.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in resp.content.decode()
    # Even the right password is refused during the cool-off.
    assert _login(client, psm_a.username).status_code == 429


def test_kunci_per_nama_pengguna_dan_ip_tidak_mengunci_rekan(client, psm_a, psm_b):
    for _ in range(5):
        _login(client, psm_a.username, "salah")
    # A colleague on the same office IP can still log in.
    assert _login(client, psm_b.username).status_code == 302


def test_kunci_berakhir_setelah_cool_off(client, psm_a, settings):
    from axes.models import AccessAttempt

    for _ in range(5):
        _login(client, psm_a.username, "salah")
    assert _login(client, psm_a.username).status_code == 429
    # Age the failures past the cool-off (30 minutes by default).
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - settings.AXES_COOLOFF_TIME)
    assert _login(client, psm_a.username).status_code == 302


def test_logout_hanya_post(client, psm_a):
    client.force_login(psm_a)
    assert client.get(reverse("logout")).status_code == 405
    resp = client.post(reverse("logout"))
    assert resp.status_code == 302
    assert client.get(reverse("penduduk:list")).status_code == 302


def test_sesi_berakhir_setelah_tidak_aktif(client, psm_a, settings):
    client.force_login(psm_a)
    assert client.get(reverse("penduduk:list")).status_code == 200
    session = client.session
    session[SessionTimeoutMiddleware.KEY_AKTIF] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    resp = client.get(reverse("penduduk:list"))
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("login"))
    assert client.get(reverse("penduduk:list")).status_code == 302  # logged out for good


def test_sesi_berakhir_setelah_batas_mutlak(client, psm_a, settings):
    client.force_login(psm_a)
    client.get(reverse("penduduk:list"))
    session = client.session
    session[SessionTimeoutMiddleware.KEY_MULAI] = int(time.time()) - settings.SESSION_MAX_SECONDS - 5
    session.save()
    assert client.get(reverse("penduduk:list")).status_code == 302


def test_sesi_aktif_tetap_berjalan(client, psm_a):
    client.force_login(psm_a)
    for _ in range(3):
        assert client.get(reverse("penduduk:list")).status_code == 200


def test_healthz(client):
    resp = client.get(reverse("healthz"))
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok"}


def test_header_keamanan_dan_csp(client, psm_a):
    client.force_login(psm_a)
    resp = client.get(reverse("penduduk:list"))
    csp = resp["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert resp["X-Frame-Options"] == "DENY"
    assert "<script>" not in resp.content.decode()  # no inline scripts


def test_secret_key_wajib_bila_debug_mati():
    kode = "import os; os.environ['DJANGO_SETTINGS_MODULE']='payakumbuh_sosial.settings'; import django; django.setup()"
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "0", "SECRET_KEY": ""}
    hasil = subprocess.run([sys.executable, "-c", kode], env=env, capture_output=True, text=True, check=False)
    assert hasil.returncode != 0
    assert "SECRET_KEY is required" in hasil.stderr


def test_pengaturan_produksi_aman():
    kode = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='payakumbuh_sosial.settings'; import django; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.DEBUG,"
        " s.LANGUAGE_CODE, s.TIME_ZONE, s.ALLOWED_HOSTS)"
    )
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "0", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "a.go.id,b.go.id"}
    hasil = subprocess.run([sys.executable, "-c", kode], env=env, capture_output=True, text=True, check=True)
    assert hasil.stdout.split() == [
        "True",
        "True",
        "31536000",
        "True",
        "False",
        "id",
        "Asia/Jakarta",
        "['a.go.id',",
        "'b.go.id']",
    ]


def test_alamat_ip_dari_proxy_tepercaya(rf, settings):
    from akun.alamat_ip import alamat_ip_klien

    req = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 36.80.1.2")
    settings.TRUSTED_PROXY_COUNT = 0
    assert alamat_ip_klien(req) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert alamat_ip_klien(req) == "36.80.1.2"  # the entry nginx wrote, not what the client claimed
    assert alamat_ip_klien(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
    assert alamat_ip_klien(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="bukan-ip")) == "127.0.0.1"


def test_di_balik_proxy_kunci_tidak_mengenai_pengguna_dari_ip_lain(client, psm_a, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": psm_a.username, "password": "salah"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="10.9.9.9",
        )
    penyerang = client.post(
        reverse("login"), {"username": psm_a.username, "password": "demo12345"}, HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert penyerang.status_code == 429
    pemilik = client.post(
        reverse("login"), {"username": psm_a.username, "password": "demo12345"}, HTTP_X_FORWARDED_FOR="36.80.1.2"
    )
    assert pemilik.status_code == 302


def test_sesi_tidak_ditulis_setiap_permintaan(client, psm_a):
    from django.contrib.sessions.models import Session

    client.force_login(psm_a)
    client.get(reverse("penduduk:list"))
    sebelum = Session.objects.get().expire_date
    client.get(reverse("penduduk:list"))
    assert Session.objects.get().expire_date == sebelum


def test_manage_py_jalan_di_checkout_baru_tanpa_env():
    """A fresh checkout runs management commands without any environment (development default)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {"PATH": "/usr/bin:/bin"}
    hasil = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=root, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert hasil.returncode == 0, hasil.stderr
    assert "No changes detected" in hasil.stdout
