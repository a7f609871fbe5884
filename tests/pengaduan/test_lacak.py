"""Following a complaint by its code reveals nothing about other complaints."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pengaduan import kode as kode_lacak
from tests.pengaduan.factories import PengaduanFactory

pytestmark = pytest.mark.django_db

URL = reverse("pengaduan:lacak")
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _badan(resp) -> str:
    return _CSRF.sub("", resp.content.decode())


@pytest.fixture
def pengaduan():
    return PengaduanFactory(
        isi="Oknum RT memotong BLT Rp300.000 di rumah Pak Syamsul.",
        lokasi="Jl. Ahmad Yani RT 03",
        pelapor_nama="Rahmat Hidayat",
        pelapor_kontak="081299998888",
        tanggapan_publik="Sedang kami periksa bersama inspektorat.",
    )


def test_kode_benar_menampilkan_status_tanpa_isi_dan_identitas(client, pengaduan):
    resp = client.post(URL, {"kode": pengaduan.kode_lacak})
    teks = resp.content.decode()
    assert resp.status_code == 200
    assert pengaduan.kode_lacak in teks
    assert 'id="status-pengaduan">Diterima<' in teks
    assert "Sedang kami periksa bersama inspektorat." in teks
    for rahasia in ("Oknum RT", "Syamsul", "Ahmad Yani", "Rahmat", "081299998888", pengaduan.kelurahan.nama):
        assert rahasia not in teks, rahasia


@pytest.mark.parametrize(
    "ketik",
    [
        lambda k: k.lower(),
        lambda k: k.replace("-", " "),
        lambda k: k.replace("-", ""),
        lambda k: k.removeprefix("ADU-"),
        lambda k: f"  {k.lower().replace('-', '')}  ",
    ],
    ids=["huruf-kecil", "spasi", "tanpa-strip", "tanpa-awalan", "campur"],
)
def test_kode_toleran_huruf_kecil_spasi_strip(client, pengaduan, ketik):
    resp = client.post(URL, {"kode": ketik(pengaduan.kode_lacak)})
    assert 'id="status-pengaduan">' in resp.content.decode()


def _hampir(kode: str) -> str:
    """The same code with its last character changed to another valid one."""
    akhir = kode[-1]
    lain = next(c for c in kode_lacak.ALFABET if c != akhir)
    return kode[:-1] + lain


def test_kode_salah_dan_hampir_sama_tidak_ditemukan(client, pengaduan):
    tidak_ada = client.post(URL, {"kode": "ADU-222-333-444"})
    hampir = client.post(URL, {"kode": _hampir(pengaduan.kode_lacak)})
    rusak = client.post(URL, {"kode": "'; DROP TABLE --"})
    for resp in (tidak_ada, hampir, rusak):
        teks = resp.content.decode()
        assert resp.status_code == 200
        assert "Kode tidak ditemukan" in teks
        assert pengaduan.kode_lacak not in teks
    assert _badan(tidak_ada) == _badan(hampir) == _badan(rusak)


def test_tutup_lama_sama_persis_dengan_tidak_ada(client, settings):
    """A complaint closed long ago answers exactly like a code that never existed: same page,
    same status, same number of queries (no content or timing hint that the code exists)."""
    settings.PENGADUAN_LACAK_HARI_SETELAH_TUTUP = 30
    lama = PengaduanFactory(
        status="selesai",
        resolusi="Sudah diklarifikasi.",
        ditutup_pada=timezone.now() - dt.timedelta(days=31),
        tanggapan_publik="Terima kasih.",
    )
    kode_lain = "ADU-222-333-444"
    with CaptureQueriesContext(connection) as q_ada:
        resp_ada = client.post(URL, {"kode": lama.kode_lacak})
    with CaptureQueriesContext(connection) as q_tidak:
        resp_tidak = client.post(URL, {"kode": kode_lain})
    assert resp_ada.status_code == resp_tidak.status_code == 200
    assert _badan(resp_ada) == _badan(resp_tidak)
    assert len(q_ada) == len(q_tidak)
    sql = [q["sql"] for q in q_ada.captured_queries if "pengaduan_pengaduan" in q["sql"]]
    assert len(sql) == 1  # one lookup, the same shape for both


def test_tutup_baru_masih_bisa_dilacak(client):
    p = PengaduanFactory(status="ditolak", resolusi="Bukan kewenangan Dinsos.", ditutup_pada=timezone.now())
    teks = client.post(URL, {"kode": p.kode_lacak}).content.decode()
    assert "Tidak dapat ditindaklanjuti" in teks
    assert "Bukan kewenangan Dinsos." not in teks  # the internal note is never public


def test_pencarian_dibatasi_per_alamat(client, settings, pengaduan):
    """Enumeration is bounded: every lookup counts, found or not; past the limit even the right
    code gets no answer."""
    settings.PENGADUAN_LACAK_PER_JAM = 3
    for i in range(3):
        client.post(URL, {"kode": f"ADU-222-333-{44 + i:03d}"})
    resp = client.post(URL, {"kode": pengaduan.kode_lacak})
    assert resp.status_code == 429
    teks = resp.content.decode()
    assert "Terlalu banyak pencarian" in teks
    assert 'id="status-pengaduan"' not in teks


def test_lacak_get_tidak_menerima_kode(client, pengaduan):
    """The code is never read from the query string (it would land in logs and history)."""
    teks = client.get(URL, {"kode": pengaduan.kode_lacak}).content.decode()
    assert 'id="status-pengaduan"' not in teks


def test_kode_acak_format_dan_unik():
    kode = {kode_lacak.kode_acak() for _ in range(2000)}
    assert len(kode) == 2000
    for k in kode:
        assert re.fullmatch(r"ADU-[2-9A-HJKMNP-TW-Z]{3}-[2-9A-HJKMNP-TW-Z]{3}-[2-9A-HJKMNP-TW-Z]{3}", k)
        assert not set(k[4:]) & set("01ILOUV")
    assert kode_lacak.normalisasi("adu 7k3 m9x pq2") == "ADU-7K3-M9X-PQ2"
    assert kode_lacak.normalisasi("ADU-7K3-M9X-PQ0") is None  # 0 is not in the alphabet
    assert kode_lacak.normalisasi("x" * 500) is None
