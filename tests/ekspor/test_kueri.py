"""Constant queries: the export of 30 rows costs what the export of 3 rows does (summaries are
computed per chunk of 2,000 rows, never per row)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.ekspor.alat import isi, unduh
from tests.ekspor.conftest import DAFTAR


def _kueri(client, nama_url, fmt) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        resp = unduh(client, nama_url, fmt)
        data = isi(resp)  # a streamed csv reads its rows only now
    assert resp.status_code == 200
    return len(ctx.captured_queries), len(data)


@pytest.mark.django_db
@pytest.mark.parametrize("nama_url", sorted(DAFTAR))
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_jumlah_kueri_tetap(staf, kelurahan_a, kelurahan_b, nama_url, fmt):
    buat, kolom = DAFTAR[nama_url]
    for i in range(3):
        buat(kelurahan_a if i % 2 else kelurahan_b, f"Warga {i}")
    _kueri(staf, nama_url, fmt)  # warms the per-process caches (session, content types)
    sedikit, ukuran_sedikit = _kueri(staf, nama_url, fmt)
    for i in range(3, 30):
        buat(kelurahan_a if i % 2 else kelurahan_b, f"Warga {i}")
    banyak, ukuran_banyak = _kueri(staf, nama_url, fmt)
    assert ukuran_banyak > ukuran_sedikit  # the rows really are in the second file
    assert banyak == sedikit
