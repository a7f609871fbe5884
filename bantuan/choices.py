"""Code lists of social assistance (DOMAIN.md, "Social-assistance programmes")."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Funding sources are the same list the extreme-poverty interventions use: one list, not two.
from kemiskinan.choices import Program as KelompokProgram  # noqa: F401  (re-exported)
from kemiskinan.choices import SumberDana  # noqa: F401  (re-exported)


class Bentuk(models.TextChoices):
    TUNAI = "tunai", _("Tunai")
    NONTUNAI = "nontunai", _("Nontunai (KKS/e-warong)")
    BARANG = "barang", _("Barang")
    JASA = "jasa", _("Jasa/layanan")
    HIBAH_USAHA = "hibah_usaha", _("Hibah usaha")


class Periode(models.TextChoices):
    """How often a programme pays. A distribution's ``periode`` is the first day of its period."""

    BULANAN = "bulanan", _("Bulanan")
    TRIWULAN = "triwulan", _("Triwulanan")
    SEMESTER = "semester", _("Semesteran")
    TAHUNAN = "tahunan", _("Tahunan")
    SEKALI = "sekali", _("Sekali salur")


class Saluran(models.TextChoices):
    BANK = "bank", _("Bank/KKS")
    POS = "pos", _("PT Pos")
    LANGSUNG = "langsung", _("Langsung")
    EWARONG = "ewarong", _("E-warong")


class StatusPenyaluran(models.TextChoices):
    DIRENCANAKAN = "direncanakan", _("Direncanakan")
    DISALURKAN = "disalurkan", _("Disalurkan")
    DIKONFIRMASI = "dikonfirmasi", _("Diterima (dikonfirmasi keluarga)")
    GAGAL = "gagal", _("Gagal")


class JenisBendera(models.TextChoices):
    """The integrity checks. Each raised flag names its reason and links to what it is about."""

    KURANG_TERIMA = "kurang_terima", _("Diterima kurang dari yang disalurkan")
    GANDA = "ganda", _("Penerimaan ganda (program dan periode sama)")
    PENERIMA_TIDAK_LAYAK = "penerima_tidak_layak", _("Penerima meninggal/pindah sebelum tanggal salur")
    BELUM_DIKONFIRMASI = "belum_dikonfirmasi", _("Belum dikonfirmasi lebih dari 30 hari")
    PENDAMPING_JANGGAL = "pendamping_janggal", _("Pendamping dengan porsi kekurangan tidak wajar")
