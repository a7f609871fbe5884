"""The record of every import (``TugasImpor``, the "ImportJob"): who, which file, which type, how
far it is, what it did, and the rows it refused. The list of these records is the import history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from akun.scoping import ScopedQuerySet


class StatusImpor(models.TextChoices):
    MENUNGGU = "menunggu", _("Menunggu")
    BERJALAN = "berjalan", _("Berjalan")
    SELESAI = "selesai", _("Selesai")
    DITOLAK = "ditolak", _("Ditolak (tidak ada yang disimpan)")
    GAGAL = "gagal", _("Gagal (tidak ada yang disimpan)")


class TugasImporQuerySet(ScopedQuerySet):
    def for_user(self, user):
        """Imports are Admin and Staf work: other roles see none."""
        if user is not None and user.is_authenticated and user.is_active and user.pengelola:
            return self.all()
        return self.none()


class TugasImpor(models.Model):
    """One import of one file (preview/dry run or real), run by ``impor.layanan.impor_jalankan``."""

    jenis = models.CharField(_("jenis impor"), max_length=20)
    nama_berkas = models.CharField(_("nama berkas"), max_length=255)
    lembar = models.CharField(_("lembar"), max_length=100, blank=True)
    uji_coba = models.BooleanField(_("uji coba (tanpa menyimpan)"), default=False)
    lewati_galat = models.BooleanField(_("simpan baris yang benar saja"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=StatusImpor.choices, default=StatusImpor.MENUNGGU)
    progres = models.PositiveSmallIntegerField(_("progres (%)"), default=0)
    pesan = models.TextField(_("pesan"), blank=True, help_text=_("Alasan bila seluruh berkas ditolak atau gagal."))
    jumlah_baris = models.PositiveIntegerField(_("jumlah baris"), default=0)
    jumlah_baru = models.PositiveIntegerField(_("baru"), default=0)
    jumlah_diubah = models.PositiveIntegerField(_("diubah"), default=0)
    jumlah_tetap = models.PositiveIntegerField(_("tidak berubah"), default=0)
    jumlah_galat = models.PositiveIntegerField(_("baris ditolak"), default=0)
    jumlah_peringatan = models.PositiveIntegerField(_("baris dengan peringatan"), default=0)
    rincian = models.JSONField(
        _("rincian"),
        default=dict,
        blank=True,
        help_text=_("Galat per baris (baris, kolom, pesan), peringatan dan contoh perubahan; dibatasi."),
    )
    # Kept by the import pages (impor/views.py, impor/tasks.py): names inside the private import
    # storage (PRIVATE_MEDIA_ROOT/impor, no public URL), emptied when the file is deleted.
    berkas_simpan = models.CharField(_("berkas unggahan tersimpan"), max_length=255, blank=True, editable=False)
    berkas_ditolak = models.CharField(_("berkas baris ditolak"), max_length=255, blank=True, editable=False)
    asal = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dari pratinjau"),
        help_text=_("Pratinjau (uji coba) yang dikonfirmasi menjadi impor ini."),
    )
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    mulai_pada = models.DateTimeField(_("mulai"), null=True, blank=True)
    selesai_pada = models.DateTimeField(_("selesai"), null=True, blank=True)
    # The background worker's sign of life (impor/tasks.py): set when the worker claims the job and
    # then every IMPOR_DENYUT_DETIK seconds while it runs. A job "berjalan" whose heartbeat is older
    # than IMPOR_BATAS_DIAM_DETIK was left by a worker that died: ``impor_macet_tandai`` fails it.
    # Jobs run by ``manage.py import_data`` (no worker) have none and are never judged dead.
    denyut_pada = models.DateTimeField(_("denyut pekerja terakhir"), null=True, blank=True, editable=False)
    id_tugas_latar = models.CharField(
        _("id tugas latar"), max_length=64, blank=True, editable=False, help_text=_("django-tasks result id.")
    )

    # The heartbeat changes every few seconds: not worth a history row (and ``update()`` writes none).
    history = HistoricalRecords(excluded_fields=["denyut_pada"])
    objects = TugasImporQuerySet.as_manager()

    class Meta:
        ordering = ["-dibuat_pada", "-id"]
        verbose_name = _("impor data")
        verbose_name_plural = _("impor data")
        indexes = [models.Index(fields=["-dibuat_pada", "-id"], name="impor_urutan_idx")]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()}: {self.nama_berkas}"

    def get_jenis_display(self) -> str:
        from impor.jenis import JENIS

        jenis = JENIS.get(self.jenis)
        return str(jenis.judul) if jenis else self.jenis
