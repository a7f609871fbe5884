"""Factories of the bantuan app (programmes come from migration 0002: ``program("BPNT")``)."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from akun.roles import Peran
from bantuan.models import Bendera, Konfirmasi, Penyaluran, Program
from tests.factories import KeluargaFactory, UserFactory


def program(kode: str = "BPNT") -> Program:
    return Program.objects.get(kode=kode)


class PenyaluranFactory(DjangoModelFactory):
    """A household distribution, distributed (pass ``keluarga=``); kelurahan follows the household."""

    class Meta:
        model = Penyaluran

    program = factory.LazyFunction(lambda: program("BPNT"))
    keluarga = factory.SubFactory(KeluargaFactory)
    penduduk = None
    kelurahan = factory.LazyAttribute(lambda o: o.penduduk.kelurahan if o.penduduk else o.keluarga.kelurahan)
    periode = dt.date(2025, 1, 1)
    nilai = 600_000
    tanggal = dt.date(2025, 2, 10)
    saluran = "ewarong"
    status = "disalurkan"
    dibuat_oleh = factory.SubFactory(UserFactory, peran=Peran.STAF)


class KonfirmasiFactory(DjangoModelFactory):
    class Meta:
        model = Konfirmasi

    penyaluran = factory.SubFactory(PenyaluranFactory, status="dikonfirmasi")
    nilai_diterima = factory.LazyAttribute(lambda o: o.penyaluran.nilai)
    tanggal_terima = factory.LazyAttribute(lambda o: o.penyaluran.tanggal + dt.timedelta(days=3))
    nama_pengonfirmasi = "Bujang Sutan"
    dicatat_oleh = factory.SubFactory(UserFactory, peran=Peran.STAF)


class BenderaFactory(DjangoModelFactory):
    class Meta:
        model = Bendera

    jenis = "kurang_terima"
    kunci = factory.Sequence(lambda n: f"uji:{n}")
    alasan = "Keluarga menyatakan menerima kurang."
    penyaluran = factory.SubFactory(PenyaluranFactory)
    kelurahan = factory.LazyAttribute(lambda o: o.penyaluran.kelurahan if o.penyaluran else None)
