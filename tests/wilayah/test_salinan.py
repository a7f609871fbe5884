"""The kelurahan copied onto PPKS and extreme-poor stays stays exact on every write path
(wilayah/salinan.py: database triggers, on SQLite and PostgreSQL alike)."""

from __future__ import annotations

import pytest
from django.db import connection

from kemiskinan.models import StatusMiskinEkstrem
from penduduk.models import Keluarga, Penduduk
from ppks.models import PPKS
from tests.factories import KeluargaFactory, PendudukFactory, PPKSFactory, StatusMiskinEkstremFactory, jenis_ppks
from wilayah.models import Kelurahan

pytestmark = pytest.mark.django_db


@pytest.fixture
def dua_kelurahan():
    a, b = Kelurahan.objects.order_by("kode")[:2]
    return a, b


def _kel_ppks(pk: int) -> int | None:
    return PPKS.objects.filter(pk=pk).values_list("kelurahan_id", flat=True).get()


def _kel_sme(pk: int) -> int | None:
    return StatusMiskinEkstrem.objects.filter(pk=pk).values_list("kelurahan_id", flat=True).get()


def test_ppks_baru_mendapat_kelurahan_orangnya(dua_kelurahan):
    a, _ = dua_kelurahan
    ppks = PPKSFactory(penduduk=PendudukFactory(kelurahan=a))
    assert _kel_ppks(ppks.pk) == a.pk


def test_pindah_domisili_lewat_save_update_dan_sql_mentah_ikut_terbawa(dua_kelurahan):
    a, b = dua_kelurahan
    orang = PendudukFactory(kelurahan=a)
    satu = PPKSFactory(penduduk=orang)
    dua = PPKSFactory(penduduk=orang, jenis=jenis_ppks("ADK"))
    lain = PPKSFactory(penduduk=PendudukFactory(kelurahan=a))

    orang.kelurahan = b
    orang.save()
    assert (_kel_ppks(satu.pk), _kel_ppks(dua.pk), _kel_ppks(lain.pk)) == (b.pk, b.pk, a.pk)

    Penduduk.objects.filter(pk=orang.pk).update(kelurahan=a)  # e.g. an import's UPDATE
    assert _kel_ppks(satu.pk) == a.pk

    with connection.cursor() as c:
        c.execute(f"UPDATE {Penduduk._meta.db_table} SET kelurahan_id = %s WHERE id = %s", [b.pk, orang.pk])  # noqa: S608
    assert _kel_ppks(dua.pk) == b.pk


def test_salinan_tidak_bisa_ditulis_langsung_atau_basi_dari_memori(dua_kelurahan):
    a, b = dua_kelurahan
    ppks = PPKSFactory(penduduk=PendudukFactory(kelurahan=a))
    PPKS.objects.filter(pk=ppks.pk).update(kelurahan=b)
    assert _kel_ppks(ppks.pk) == a.pk
    # An instance loaded before the person moved, saved afterwards, does not write the old value.
    lama = PPKS.objects.get(pk=ppks.pk)
    Penduduk.objects.filter(pk=ppks.penduduk_id).update(kelurahan=b)
    lama.catatan = "kunjungan"
    lama.save()
    assert _kel_ppks(ppks.pk) == b.pk


def test_ppks_dipindah_ke_orang_lain_dan_bulk_create(dua_kelurahan):
    a, b = dua_kelurahan
    ppks = PPKSFactory(penduduk=PendudukFactory(kelurahan=a))
    ppks.penduduk = PendudukFactory(kelurahan=b)
    ppks.save()
    assert _kel_ppks(ppks.pk) == b.pk
    contoh = PPKSFactory.build(penduduk=PendudukFactory(kelurahan=a))
    (baru,) = PPKS.objects.bulk_create([contoh])
    assert _kel_ppks(baru.pk) == a.pk


def test_status_miskin_ekstrem_ikut_kelurahan_keluarga(dua_kelurahan):
    a, b = dua_kelurahan
    keluarga = KeluargaFactory(kelurahan=a)
    stay = StatusMiskinEkstremFactory(keluarga=keluarga)
    lain = StatusMiskinEkstremFactory(keluarga=KeluargaFactory(kelurahan=a))
    assert _kel_sme(stay.pk) == a.pk
    keluarga.kelurahan = b
    keluarga.save()
    assert (_kel_sme(stay.pk), _kel_sme(lain.pk)) == (b.pk, a.pk)
    Keluarga.objects.filter(pk=keluarga.pk).update(kelurahan=a)
    assert _kel_sme(stay.pk) == a.pk


def test_salinan_tidak_masuk_riwayat(dua_kelurahan):
    a, b = dua_kelurahan
    orang = PendudukFactory(kelurahan=a)
    ppks = PPKSFactory(penduduk=orang)
    sebelum = ppks.history.count()
    orang.kelurahan = b
    orang.save()
    assert ppks.history.count() == sebelum
    assert "kelurahan" not in {f.name for f in PPKS.history.model._meta.get_fields()}
