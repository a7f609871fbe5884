"""RingkasanBulanan equals a live aggregate of the distributions after every kind of write
(bantuan/ringkasan_sql.py triggers, on SQLite and on PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from bantuan.models import Penyaluran, RingkasanBulanan
from tests.bantuan.factories import PenyaluranFactory, program

pytestmark = pytest.mark.django_db


def _langsung() -> dict:
    """The live figures: distributed rows per (month, programme, kelurahan)."""
    return {
        (_tgl(b["bulan"]), b["program_id"], b["kelurahan_id"]): (b["n"], b["r"])
        for b in Penyaluran.objects.tersalur()
        .order_by()
        .annotate(bulan=TruncMonth("tanggal"))
        .values("bulan", "program_id", "kelurahan_id")
        .annotate(n=Count("pk"), r=Sum("nilai"))
    }


def _ringkasan() -> dict:
    return {
        (r.bulan, r.program_id, r.kelurahan_id): (r.jumlah, r.rupiah)
        for r in RingkasanBulanan.objects.exclude(jumlah=0)
    }


def _tgl(nilai) -> dt.date:
    return nilai.date() if isinstance(nilai, dt.datetime) else nilai


def _sama() -> None:
    assert _ringkasan() == _langsung()


def test_setiap_jenis_tulisan_menjaga_ringkasan_tepat(keluarga_a, keluarga_b):
    a = PenyaluranFactory(keluarga=keluarga_a, tanggal=dt.date(2026, 3, 5), nilai=600_000)
    b = PenyaluranFactory(keluarga=keluarga_a, tanggal=dt.date(2026, 3, 28), nilai=400_000)
    rencana = PenyaluranFactory(keluarga=keluarga_b, status="direncanakan", tanggal=None)
    _sama()
    assert _ringkasan() == {(dt.date(2026, 3, 1), program("BPNT").pk, keluarga_a.kelurahan_id): (2, 1_000_000)}

    # planned → distributed (save()), amount corrected, moved to another month and programme
    rencana.status, rencana.tanggal = "disalurkan", dt.date(2026, 4, 2)
    rencana.save()
    _sama()
    Penyaluran.objects.filter(pk=a.pk).update(nilai=550_000)
    _sama()
    b.tanggal, b.program = dt.date(2026, 2, 27), program("PKH")
    b.save()
    _sama()
    # confirmed still counts; failed no longer does
    Penyaluran.objects.filter(pk=a.pk).update(status="dikonfirmasi")
    _sama()
    Penyaluran.objects.filter(pk=rencana.pk).update(status="gagal", alasan_gagal="KKS terblokir")
    _sama()
    # another kelurahan; a delete; bulk_create; raw SQL
    Penyaluran.objects.filter(pk=b.pk).update(kelurahan=keluarga_b.kelurahan)
    _sama()
    a.delete()
    _sama()
    Penyaluran.objects.bulk_create(
        [PenyaluranFactory.build(keluarga=keluarga_b, dibuat_oleh=b.dibuat_oleh, nilai=n) for n in (1, 2, 3)]
    )
    _sama()
    with connection.cursor() as c:
        c.execute("UPDATE bantuan_penyaluran SET nilai = nilai + 10 WHERE nilai < 10")
    _sama()
    assert sum(r.jumlah for r in RingkasanBulanan.objects.all()) == Penyaluran.objects.tersalur().count()


def test_perubahan_kolom_lain_tidak_menyentuh_ringkasan(keluarga_a):
    p = PenyaluranFactory(keluarga=keluarga_a)
    sebelum = list(RingkasanBulanan.objects.values_list("pk", "jumlah", "rupiah"))
    Penyaluran.objects.filter(pk=p.pk).update(keterangan="diantar ke rumah")
    assert list(RingkasanBulanan.objects.values_list("pk", "jumlah", "rupiah")) == sebelum
    _sama()
