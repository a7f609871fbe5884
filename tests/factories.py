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


# --- kemiskinan -------------------------------------------------------------------------------


class TargetFactory(DjangoModelFactory):
    """The demo's target: 41 KK / 222 jiwa on 16/06/2023, zero by 31/12/2024."""

    class Meta:
        model = "kemiskinan.Target"

    nama = "Nol kemiskinan ekstrem 2024"
    tanggal_baseline = dt.date(2023, 6, 16)
    kk_baseline = 41
    jiwa_baseline = 222
    tanggal_target = dt.date(2024, 12, 31)
    aktif = True


class StatusMiskinEkstremFactory(DjangoModelFactory):
    """A stay on the list as ``status_masuk`` leaves it (jiwa given here, not counted)."""

    class Meta:
        model = "kemiskinan.StatusMiskinEkstrem"

    keluarga = factory.SubFactory(KeluargaFactory)
    sumber = "p3ke"
    tanggal_masuk = dt.date(2023, 1, 10)
    desil = 1
    jiwa_masuk = 4
    dicatat_oleh = factory.SubFactory(UserFactory, peran=Peran.STAF)


class UsulanKeluarFactory(DjangoModelFactory):
    class Meta:
        model = "kemiskinan.UsulanKeluar"

    status_miskin = factory.SubFactory(StatusMiskinEkstremFactory)
    tanggal_keluar = dt.date(2024, 3, 1)
    alasan = "graduasi"
    pengeluaran_per_kapita = 410_000
    bukti = "Berita acara verifikasi lapangan No. 12/BA/2024"
    status = "diusulkan"
    diusulkan_oleh = factory.SubFactory(UserFactory, peran=Peran.STAF)


class IntervensiFactory(DjangoModelFactory):
    class Meta:
        model = "kemiskinan.Intervensi"

    keluarga = factory.SubFactory(KeluargaFactory)
    program = "pbi_jk"
    tanggal = dt.date(2023, 8, 1)
    sumber_dana = "apbn"
    dicatat_oleh = factory.SubFactory(UserFactory, peran=Peran.STAF)


# --- psm --------------------------------------------------------------------------------------


class ProfilPSMFactory(DjangoModelFactory):
    """A profile for an existing PSM user (pass ``user=psm_a``)."""

    class Meta:
        model = "psm.ProfilPSM"

    nama = factory.LazyAttribute(lambda o: o.user.get_full_name() or o.user.username)
    telepon = "0812 6600 1234"
    nomor_sk = factory.Sequence(lambda n: f"400.9/{n + 1}/SK-DINSOS/2025")
    tanggal_sk = dt.date(2025, 1, 6)
    aktif_mulai = dt.date(2025, 1, 6)


class KunjunganFactory(DjangoModelFactory):
    """A visit to a person (pass ``penduduk=``); its kelurahan follows the person, as the service sets it."""

    class Meta:
        model = "psm.Kunjungan"

    oleh = factory.SubFactory(UserFactory, peran=Peran.STAF)
    penduduk = factory.SubFactory(PendudukFactory)
    kelurahan = factory.LazyAttribute(lambda o: (o.penduduk or o.keluarga or o.kasus).kelurahan)
    temuan = "Kondisi baik, kebutuhan pangan terpenuhi."
