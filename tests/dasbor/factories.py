"""Factories of the models the dashboard reads from the bantuan and pengaduan apps (their own
factories arrive with their issue; these are the dashboard tests' own)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from akun.roles import Peran
from tests.factories import KeluargaFactory, UserFactory


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = "bantuan.Program"
        django_get_or_create = ("kode",)

    kode = "PKH"
    nama = "Program Keluarga Harapan"
    sumber_dana = "apbn"
    bentuk = "nontunai"
    nilai_standar = 750_000
    periode = "triwulan"


class PenyaluranFactory(DjangoModelFactory):
    """A distribution paid on ``tanggal`` (status disalurkan)."""

    class Meta:
        model = "bantuan.Penyaluran"

    program = factory.SubFactory(ProgramFactory)
    keluarga = factory.SubFactory(KeluargaFactory)
    kelurahan = factory.LazyAttribute(lambda o: o.keluarga.kelurahan)
    tanggal = factory.LazyFunction(timezone.localdate)
    periode = factory.LazyAttribute(lambda o: (o.tanggal or timezone.localdate()).replace(day=1))
    nilai = 750_000
    saluran = "bank"
    status = "disalurkan"
    dibuat_oleh = factory.SubFactory(UserFactory, peran=Peran.STAF)


class KonfirmasiFactory(DjangoModelFactory):
    class Meta:
        model = "bantuan.Konfirmasi"

    penyaluran = factory.SubFactory(PenyaluranFactory, status="dikonfirmasi")
    nilai_diterima = factory.LazyAttribute(lambda o: o.penyaluran.nilai)
    tanggal_terima = factory.LazyAttribute(lambda o: o.penyaluran.tanggal)
    nama_pengonfirmasi = "Siti Rahmah"
    dicatat_oleh = factory.SubFactory(UserFactory, peran=Peran.STAF)


class BenderaFactory(DjangoModelFactory):
    class Meta:
        model = "bantuan.Bendera"

    jenis = "kurang_terima"
    kunci = factory.Sequence(lambda n: f"uji-{n}")
    alasan = "Diterima kurang dari yang disalurkan"


class PengaduanFactory(DjangoModelFactory):
    class Meta:
        model = "pengaduan.Pengaduan"

    kode_lacak = factory.Sequence(lambda n: f"ADU-UJI-{n:05d}")
    kategori = "pungli"
    isi = "Ada potongan bantuan oleh oknum."
    status = "baru"
    diterima_pada = factory.LazyFunction(timezone.now)
    batas_waktu = factory.LazyAttribute(lambda o: o.diterima_pada + dt.timedelta(days=14))
