"""Code lists of the extreme-poverty list (DOMAIN.md, "Kemiskinan ekstrem")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SumberMasuk(models.TextChoices):
    """Where the finding that a household is extreme-poor came from."""

    P3KE = "p3ke", _("P3KE")
    DTSEN = "dtsen", _("DTKS/DTSEN")
    VERIFIKASI = "verifikasi", _("Verifikasi lapangan")
    PENGADUAN = "pengaduan", _("Pengaduan/laporan")


class AlasanKeluar(models.TextChoices):
    GRADUASI = "graduasi", _("Graduasi (pengeluaran per orang di atas garis)")
    PINDAH = "pindah", _("Pindah ke luar kota")
    MENINGGAL = "meninggal", _("Seluruh anggota meninggal")
    SALAH_DATA = "salah_data", _("Kesalahan data (tidak pernah miskin ekstrem)")
    GABUNG = "gabung", _("Bergabung dengan keluarga lain")


class StatusUsulan(models.TextChoices):
    DIUSULKAN = "diusulkan", _("Menunggu verifikasi")
    DISETUJUI = "disetujui", _("Disetujui")
    DITOLAK = "ditolak", _("Ditolak")


class Program(models.TextChoices):
    """What a household received. The first four are the gap view's programmes (issue 9)."""

    PBI_JK = "pbi_jk", _("PBI-JK")
    PKH = "pkh", _("PKH")
    BPNT = "bpnt", _("BPNT/Sembako")
    BANTUAN_USAHA = "bantuan_usaha", _("Bantuan usaha")
    LAINNYA = "lainnya", _("Lainnya")


# The gap view: an extreme-poor household without one of these.
PROGRAM_POKOK = (Program.PBI_JK, Program.PKH, Program.BPNT, Program.BANTUAN_USAHA)


class SumberDana(models.TextChoices):
    APBN = "apbn", _("APBN (Kemensos)")
    APBD_KOTA = "apbd_kota", _("APBD Kota")
    APBD_PROVINSI = "apbd_provinsi", _("APBD Provinsi")
    BAZNAS = "baznas", _("Baznas")
    CSR = "csr", _("CSR")
    LAINNYA = "lainnya", _("Lainnya")
