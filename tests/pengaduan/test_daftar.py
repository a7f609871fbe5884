"""The staff list: filters, overdue flag, constant query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.pengaduan.factories import PengaduanFactory

pytestmark = pytest.mark.django_db
URL = reverse("pengaduan:list")


def test_filter_status_kategori_kelurahan_terlambat(client, user_staf, kelurahan_a, kelurahan_b):
    lambat = PengaduanFactory(kelurahan=kelurahan_a, diterima_pada=timezone.now() - dt.timedelta(days=20))
    salah = PengaduanFactory(kelurahan=kelurahan_b, kategori="salah_sasaran")
    tutup = PengaduanFactory(kelurahan=kelurahan_b, status="selesai", resolusi="ok", ditutup_pada=timezone.now())
    client.force_login(user_staf)

    def kode(params):
        return {p.kode_lacak for p in client.get(URL, params).context["daftar"]}

    assert kode({}) == {lambat.kode_lacak, salah.kode_lacak, tutup.kode_lacak}
    assert kode({"terlambat": "on"}) == {lambat.kode_lacak}
    assert kode({"kategori": "salah_sasaran"}) == {salah.kode_lacak}
    assert kode({"status": "terbuka"}) == {lambat.kode_lacak, salah.kode_lacak}
    assert kode({"status": "selesai"}) == {tutup.kode_lacak}
    assert kode({"kelurahan": kelurahan_a.pk}) == {lambat.kode_lacak}
    assert kode({"kecamatan": kelurahan_b.kecamatan_id}) >= {salah.kode_lacak, tutup.kode_lacak}
    assert kode({"kode": salah.kode_lacak.lower().replace("-", " ")}) == {salah.kode_lacak}
    # Nonsense in the query string is ignored, never a 500.
    assert client.get(URL, {"kelurahan": "x", "status": "??", "kecamatan": "9" * 30}).status_code == 200
    assert "terlambat" in client.get(URL).content.decode()


def _jumlah_query(client, n, user_staf, kelurahan_a) -> int:
    for _ in range(n):
        PengaduanFactory(kelurahan=kelurahan_a, petugas=user_staf)
    with CaptureQueriesContext(connection) as q:
        assert client.get(URL).status_code == 200
    return len(q)


def test_jumlah_query_tetap(client, user_staf, kelurahan_a):
    client.force_login(user_staf)
    client.get(URL)  # the first request of a session writes the session's timestamps
    tiga = _jumlah_query(client, 3, user_staf, kelurahan_a)
    tiga_puluh = _jumlah_query(client, 27, user_staf, kelurahan_a)
    assert tiga == tiga_puluh


def test_jumlah_dibatasi(client, user_staf, monkeypatch):
    monkeypatch.setattr("pengaduan.views_staf.BATAS_HASIL_CARI", 2)
    for _ in range(3):
        PengaduanFactory()
    client.force_login(user_staf)
    assert "Lebih dari 2 pengaduan" in client.get(URL).content.decode()
