"""Code lists of public complaints."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kategori(models.TextChoices):
    PUNGLI = "pungli", _("Pungli atau korupsi bantuan")
    SALAH_SASARAN = "salah_sasaran", _("Bantuan salah sasaran")
    BUTUH_BANTUAN = "butuh_bantuan", _("Ada warga yang butuh pertolongan")
    LAYANAN = "layanan", _("Keluhan pelayanan")


class StatusPengaduan(models.TextChoices):
    BARU = "baru", _("Diterima")
    DITELAAH = "ditelaah", _("Sedang ditelaah")
    DITINDAKLANJUTI = "ditindaklanjuti", _("Sedang ditindaklanjuti")
    SELESAI = "selesai", _("Selesai")
    DITOLAK = "ditolak", _("Tidak dapat ditindaklanjuti")


STATUS_TERBUKA = (StatusPengaduan.BARU, StatusPengaduan.DITELAAH, StatusPengaduan.DITINDAKLANJUTI)
STATUS_TUTUP = (StatusPengaduan.SELESAI, StatusPengaduan.DITOLAK)

# Moves between the open states (pengaduan.services.pengaduan_ubah_status). Closing (selesai or
# ditolak, with a resolution note) and reopening have their own services.
TRANSISI: dict[str, frozenset[str]] = {
    StatusPengaduan.BARU: frozenset({StatusPengaduan.DITELAAH, StatusPengaduan.DITINDAKLANJUTI}),
    StatusPengaduan.DITELAAH: frozenset({StatusPengaduan.DITINDAKLANJUTI}),
    StatusPengaduan.DITINDAKLANJUTI: frozenset({StatusPengaduan.DITELAAH}),
}


class JenisPermintaan(models.TextChoices):
    """What a rate-limited public request does (``pengaduan.pembatasan``)."""

    KIRIM = "kirim", _("Kirim pengaduan")
    LACAK = "lacak", _("Lacak pengaduan")
