"""The dashboard runs a constant number of queries: the same with the small world and with many
more rows in every table (the bench measures it at 1,000,000 persons)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dasbor.conftest import tgl
from tests.dasbor.factories import BenderaFactory, PengaduanFactory, PenyaluranFactory, ProgramFactory
from tests.factories import KasusFactory, KeluargaFactory, PendudukFactory, PPKSFactory, StatusMiskinEkstremFactory
from wilayah.models import Kelurahan

pytestmark = pytest.mark.django_db
BATAS = 20  # the ceiling


def _tambah(n: int, user) -> None:
    kelurahan = list(Kelurahan.objects.order_by("kode")[:6])
    program = [ProgramFactory(), ProgramFactory(kode="ATENSI", nama="Atensi")]
    for i in range(n):
        kel = kelurahan[i % len(kelurahan)]
        PPKSFactory(penduduk=PendudukFactory(kelurahan=kel))
        KasusFactory(kelurahan=kel, dibuat_oleh=user)
        k = KeluargaFactory(kelurahan=kel)
        StatusMiskinEkstremFactory(keluarga=k, dicatat_oleh=user)
        PenyaluranFactory(keluarga=k, program=program[i % 2], tanggal=tgl(1 + i % 20), dibuat_oleh=user)
        BenderaFactory(kelurahan=kel)
        PengaduanFactory(kelurahan=kel)


def _hitung(client, user, url, **params) -> int:
    client.force_login(user)
    client.get(url, params)  # warm up (session, caches)
    with CaptureQueriesContext(connection) as q:
        assert client.get(url, params).status_code == 200
    return len(q)


@pytest.mark.parametrize("nama", ["dasbor:index", "dasbor:laporan", "dasbor:laporan-xlsx"])
@pytest.mark.parametrize("peran", ["staf", "pimpinan", "psm_a"])
def test_kueri_tetap_dari_sedikit_ke_banyak(client, dunia, cast, periode, user_staf, nama, peran):
    url = reverse(nama)
    sedikit = _hitung(client, cast[peran], url, periode=periode.kode)
    _tambah(30, user_staf)
    banyak = _hitung(client, cast[peran], url, periode=periode.kode)
    assert sedikit == banyak
    assert banyak <= BATAS


def test_kueri_dipatok(client, dunia, user_staf, psm_a, periode, django_assert_num_queries):
    """Pinned: session + user, the area, PPKS, the 26 jenis, cases, cases per month, median,
    target, progress (4), unvisited households, distributions of the period, distributions per
    month (the summary), flags, complaints, PSM accounts."""
    client.force_login(user_staf)
    client.get(reverse("dasbor:index"))
    with django_assert_num_queries(19):
        client.get(reverse("dasbor:index"), {"periode": periode.kode})
    client.force_login(psm_a)
    client.get(reverse("dasbor:index"))
    with django_assert_num_queries(18):  # no flags, no complaints; the PSM's kelurahan
        client.get(reverse("dasbor:index"), {"periode": periode.kode})
