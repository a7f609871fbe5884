"""Code lists of the registry, as Dukcapil and DTKS use them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JenisKelamin(models.TextChoices):
    LAKI_LAKI = "L", _("Laki-laki")
    PEREMPUAN = "P", _("Perempuan")


class Hubungan(models.TextChoices):
    """Status hubungan dalam keluarga (SHDK) as on the Kartu Keluarga."""

    KEPALA = "kepala", _("Kepala Keluarga")
    SUAMI = "suami", _("Suami")
    ISTRI = "istri", _("Istri")
    ANAK = "anak", _("Anak")
    MENANTU = "menantu", _("Menantu")
    CUCU = "cucu", _("Cucu")
    ORANG_TUA = "orang_tua", _("Orang Tua")
    MERTUA = "mertua", _("Mertua")
    FAMILI_LAIN = "famili_lain", _("Famili Lain")
    PEMBANTU = "pembantu", _("Pembantu")
    LAINNYA = "lainnya", _("Lainnya")


class StatusPenduduk(models.TextChoices):
    HIDUP = "hidup", _("Hidup")
    MENINGGAL = "meninggal", _("Meninggal")
    PINDAH = "pindah", _("Pindah")


class Pendidikan(models.TextChoices):
    TIDAK_SEKOLAH = "tidak_sekolah", _("Tidak/Belum Sekolah")
    BELUM_TAMAT_SD = "belum_tamat_sd", _("Belum Tamat SD/Sederajat")
    SD = "sd", _("Tamat SD/Sederajat")
    SLTP = "sltp", _("SLTP/Sederajat")
    SLTA = "slta", _("SLTA/Sederajat")
    D1_D2 = "d1_d2", _("Diploma I/II")
    D3 = "d3", _("Akademi/Diploma III/Sarjana Muda")
    D4_S1 = "d4_s1", _("Diploma IV/Strata I")
    S2 = "s2", _("Strata II")
    S3 = "s3", _("Strata III")


class Disabilitas(models.TextChoices):
    """Ragam penyandang disabilitas, UU No. 8 Tahun 2016 Pasal 4."""

    TIDAK = "", _("Tidak ada")
    FISIK = "fisik", _("Fisik")
    INTELEKTUAL = "intelektual", _("Intelektual")
    MENTAL = "mental", _("Mental")
    SENSORIK = "sensorik", _("Sensorik")
    GANDA = "ganda", _("Ganda/multi")
