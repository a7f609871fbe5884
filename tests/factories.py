"""factory-boy factories for every model; later issues add theirs here or beside their app."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from akun.models import User
from akun.roles import Peran
from penduduk.choices import Hubungan, JenisKelamin
from penduduk.models import Keluarga, Penduduk
from penduduk.names import normalisasi_nama
from penduduk.nik import susun_nik, susun_no_kk
from ppks.alur import batas_respons
from wilayah.models import Kelurahan

PASSWORD = "demo12345"
_urut = itertools.count(1)


def kelurahan_default() -> Kelurahan:
    return Kelurahan.objects.select_related("kecamatan").order_by("kode").first()


def _kode_wilayah(kelurahan: Kelurahan) -> str:
    return kelurahan.kecamatan.kode.replace(".", "")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    peran = Peran.STAF
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def kelurahan(self, create, extracted, **kwargs):
        if create and extracted:
            self.kelurahan.set(extracted if isinstance(extracted, (list, tuple)) else [extracted])
        self.save()


class KeluargaFactory(DjangoModelFactory):
    class Meta:
        model = Keluarga

    kelurahan = factory.LazyFunction(kelurahan_default)
    alamat = factory.Sequence(lambda n: f"Jl. Soekarno Hatta No. {n}")
    rt = "001"
    rw = "002"
    no_kk = factory.LazyAttribute(
        lambda o: susun_no_kk(_kode_wilayah(o.kelurahan), dt.date(2015, 3, 14), next(_urut) % 9999 + 1)
    )


class PendudukFactory(DjangoModelFactory):
    class Meta:
        model = Penduduk

    nama = factory.Sequence(lambda n: f"Penduduk Uji {n}")
    jenis_kelamin = JenisKelamin.LAKI_LAKI
    tanggal_lahir = dt.date(1985, 6, 15)
    tempat_lahir = "Payakumbuh"
    kelurahan = factory.LazyFunction(kelurahan_default)
    alamat = "Jl. Ahmad Yani"
    nik = factory.LazyAttribute(
        lambda o: susun_nik(_kode_wilayah(o.kelurahan), o.tanggal_lahir, o.jenis_kelamin, next(_urut) % 9999 + 1)
    )
    nama_normal = factory.LazyAttribute(lambda o: normalisasi_nama(o.nama))

    class Params:
        kepala = factory.Trait(hubungan=Hubungan.KEPALA)


def data_form_penduduk(kelurahan: Kelurahan, /, **ubah) -> dict:
    """POST data of the person form (site and back office alike): every field, blank but the essentials."""
    data = {
        "nik": "", "nama": "Yusnimar", "jenis_kelamin": "", "tempat_lahir": "Payakumbuh", "tanggal_lahir": "",
        "keluarga": "", "hubungan": "", "kelurahan": kelurahan.pk, "alamat": "Jl. Soekarno Hatta", "rt": "001",
        "rw": "002", "telepon": "", "status": "hidup", "pekerjaan": "", "pendidikan": "", "disabilitas": "",
    }  # fmt: skip
    data.update(ubah)
    return data


# --- ppks -------------------------------------------------------------------------------------


def jenis_ppks(singkatan: str):
    """A jenis PPKS loaded by the data migration (e.g. "LUT", "ODHA", "AJ")."""
    from ppks.models import JenisPPKS

    return JenisPPKS.objects.get(singkatan=singkatan)


class PPKSFactory(DjangoModelFactory):
    class Meta:
        model = "ppks.PPKS"

    penduduk = factory.SubFactory(PendudukFactory)
    jenis = factory.LazyFunction(lambda: jenis_ppks("LUT"))
    status = "aktif"
    sumber = "psm"
    kebutuhan = factory.LazyFunction(lambda: ["pangan"])


class KasusFactory(DjangoModelFactory):
    """A case as ``kasus_buat`` would leave it (deadline from the urgency, a number)."""

    class Meta:
        model = "ppks.Kasus"

    ringkasan = factory.Sequence(lambda n: f"Anak mengemis di simpang {n}")
    sumber = "warga"
    urgensi = "biasa"
    kelurahan = factory.LazyFunction(kelurahan_default)
    dibuat_oleh = factory.SubFactory(UserFactory, peran=Peran.STAF)
    dibuat_pada = factory.LazyFunction(timezone.now)
    batas_respons = factory.LazyAttribute(lambda o: batas_respons(o.dibuat_pada, o.urgensi))
    nomor = factory.Sequence(lambda n: f"KS-2026-{n + 1:06d}")
