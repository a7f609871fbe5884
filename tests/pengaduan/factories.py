"""Factories of complaints (and the minimum of a distribution to link one to)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from akun.roles import Peran
from pengaduan import kode
from tests.factories import KeluargaFactory, UserFactory, kelurahan_default


class PengaduanFactory(DjangoModelFactory):
    """A complaint as ``pengaduan_ajukan`` leaves it (code, 14-day deadline), without the Kasus."""

    class Meta:
        model = "pengaduan.Pengaduan"

    kode_lacak = factory.LazyFunction(kode.kode_acak)
    kategori = "pungli"
    isi = factory.Sequence(lambda n: f"Bantuan PKH dipotong Rp200.000 oleh oknum, laporan ke-{n}.")
    kelurahan = factory.LazyFunction(kelurahan_default)
    pelapor_nama = "Rahmat Hidayat"
    pelapor_kontak = "081234567890"
    diterima_pada = factory.LazyFunction(timezone.now)
    batas_waktu = factory.LazyAttribute(lambda o: o.diterima_pada + dt.timedelta(days=14))


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = "bantuan.Program"
        django_get_or_create = ("kode",)

    kode = "PKH"
    nama = "Program Keluarga Harapan"
    sumber_dana = "apbn"
    bentuk = "tunai"


class PenyaluranFactory(DjangoModelFactory):
    class Meta:
        model = "bantuan.Penyaluran"

    program = factory.SubFactory(ProgramFactory)
    keluarga = factory.SubFactory(KeluargaFactory)
    kelurahan = factory.LazyAttribute(lambda o: o.keluarga.kelurahan)
    periode = dt.date(2026, 1, 1)
    nilai = 750_000
    tanggal = dt.date(2026, 1, 15)
    saluran = "bank"
    status = "disalurkan"
    dibuat_oleh = factory.SubFactory(UserFactory, peran=Peran.STAF)
