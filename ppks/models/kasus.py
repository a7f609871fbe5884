from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.lookups import IsNull
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from akun.scoping import ScopedQuerySet
from akun.versi import Berversi
from ppks.choices import (
    STATUS_TERBUKA,
    JenisLembaga,
    JenisNotifikasi,
    JenisTindakan,
    StatusKasus,
    StatusRujukan,
    SumberKasus,
    Urgensi,
)

_PENGGUNA = settings.AUTH_USER_MODEL


def syarat_terlambat(sekarang=None) -> models.Q:
    """Overdue: nobody has responded yet and the response deadline has passed (with ``terbuka``).

    The deadline is a response deadline: once somebody acts on the case its clock has stopped
    (met or missed, ``direspons_pada`` says which), so an answered case no longer pushes new
    darurat cases down the board.
    """
    return models.Q(direspons_pada__isnull=True, batas_respons__lt=sekarang or timezone.now())


class KasusQuerySet(ScopedQuerySet):
    def terbuka(self) -> KasusQuerySet:
        return self.filter(status__in=STATUS_TERBUKA)

    def terlambat(self, sekarang=None) -> KasusQuerySet:
        """Open cases past their response deadline with no response yet."""
        return self.terbuka().filter(syarat_terlambat(sekarang))

    def urut_papan(self) -> KasusQuerySet:
        """The board's order: cases still waiting for a response first, the nearest deadline (so the
        overdue ones) on top; then those already responded to, by deadline."""
        return self.order_by(IsNull(models.F("direspons_pada"), False).asc(), "batas_respons", "id")


class Kasus(Berversi):
    """A reported case needing a rapid response, with a deadline clock and a timeline."""

    nomor = models.CharField(_("nomor kasus"), max_length=20, unique=True, null=True, editable=False)
    ringkasan = models.CharField(_("ringkasan"), max_length=200, help_text=_("Satu kalimat: apa yang terjadi."))
    uraian = models.TextField(_("uraian"), blank=True)
    lokasi = models.CharField(_("lokasi ditemukan"), max_length=255, blank=True)
    sumber = models.CharField(_("sumber laporan"), max_length=10, choices=SumberKasus.choices)
    urgensi = models.CharField(_("urgensi"), max_length=10, choices=Urgensi.choices, default=Urgensi.BIASA)
    viral = models.BooleanField(
        _("viral di media sosial"), default=False, help_text=_("Kasus viral selalu berurgensi darurat.")
    )
    pelapor_nama = models.CharField(_("nama pelapor"), max_length=120, blank=True)
    pelapor_kontak = models.CharField(_("kontak pelapor"), max_length=60, blank=True)
    penduduk = models.ForeignKey(
        "penduduk.Penduduk",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kasus",
        verbose_name=_("penduduk"),
        help_text=_("Boleh kosong bila identitas belum diketahui; hubungkan nanti."),
    )
    kelurahan = models.ForeignKey(
        "wilayah.Kelurahan", on_delete=models.PROTECT, related_name="kasus", verbose_name=_("kelurahan")
    )
    jenis = models.ForeignKey(
        "ppks.JenisPPKS",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kasus",
        verbose_name=_("jenis PPKS"),
    )
    petugas = models.ForeignKey(
        _PENGGUNA,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kasus_ditugaskan",
        verbose_name=_("petugas Dinsos"),
    )
    psm = models.ForeignKey(
        _PENGGUNA,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kasus_psm",
        verbose_name=_("PSM"),
    )
    status = models.CharField(_("status"), max_length=15, choices=StatusKasus.choices, default=StatusKasus.BARU)
    batas_respons = models.DateTimeField(_("batas waktu respons"))
    direspons_pada = models.DateTimeField(_("respons pertama"), null=True, blank=True)
    selesai_pada = models.DateTimeField(_("selesai/ditutup pada"), null=True, blank=True)
    alasan_tutup = models.CharField(_("alasan ditutup"), max_length=255, blank=True)
    dibuat_oleh = models.ForeignKey(
        _PENGGUNA, on_delete=models.PROTECT, related_name="kasus_dibuat", verbose_name=_("dibuat oleh")
    )
    dibuat_pada = models.DateTimeField(_("dilaporkan pada"), default=timezone.now)
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["versi"])  # versi: akun/versi.py
    objects = KasusQuerySet.as_manager()
    scope_kelurahan_field = "kelurahan"

    class Meta:
        ordering = ["-dibuat_pada", "-id"]
        verbose_name = _("kasus")
        verbose_name_plural = _("kasus")
        indexes = [
            # The board: open cases by time left, city-wide and per kelurahan.
            models.Index(fields=["status", "batas_respons", "id"], name="kasus_papan_idx"),
            models.Index(
                fields=["batas_respons", "id"], condition=models.Q(status__in=STATUS_TERBUKA), name="kasus_terbuka_idx"
            ),
            models.Index(fields=["kelurahan", "status", "batas_respons"], name="kasus_kel_papan_idx"),
            models.Index(fields=["dibuat_pada", "id"], name="kasus_urutan_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.nomor or _('Kasus baru')} · {self.ringkasan}"

    def get_absolute_url(self) -> str:
        return reverse("ppks:kasus-detail", args=[self.pk])

    @property
    def terbuka(self) -> bool:
        return self.status in STATUS_TERBUKA

    @property
    def terlambat(self) -> bool:
        return self.terbuka and self.direspons_pada is None and self.batas_respons < timezone.now()

    @property
    def waktu_respons(self):
        """Time from the report to the first action (None while nobody has acted)."""
        return self.direspons_pada - self.dibuat_pada if self.direspons_pada else None


class Tindakan(models.Model):
    """One entry of a case's timeline."""

    kasus = models.ForeignKey(Kasus, on_delete=models.CASCADE, related_name="tindakan", verbose_name=_("kasus"))
    jenis = models.CharField(_("jenis tindakan"), max_length=10, choices=JenisTindakan.choices)
    waktu = models.DateTimeField(_("waktu"), default=timezone.now)
    uraian = models.TextField(_("uraian"))
    oleh = models.ForeignKey(_PENGGUNA, on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh"))
    dibuat_pada = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_kelurahan_field = "kasus__kelurahan"

    class Meta:
        ordering = ["waktu", "id"]
        verbose_name = _("tindakan")
        verbose_name_plural = _("tindakan")
        indexes = [models.Index(fields=["kasus", "waktu", "id"], name="tindakan_kasus_idx")]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} · {self.waktu:%d/%m/%Y %H:%M}"


class Rujukan(models.Model):
    """A referral of a case to another institution, with its own status."""

    kasus = models.ForeignKey(Kasus, on_delete=models.CASCADE, related_name="rujukan", verbose_name=_("kasus"))
    jenis_lembaga = models.CharField(_("jenis lembaga"), max_length=12, choices=JenisLembaga.choices)
    nama_lembaga = models.CharField(_("nama lembaga"), max_length=150)
    tanggal = models.DateField(_("tanggal rujukan"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=10, choices=StatusRujukan.choices, default=StatusRujukan.DIKIRIM)
    catatan = models.TextField(_("catatan"), blank=True)
    oleh = models.ForeignKey(_PENGGUNA, on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh"))
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_kelurahan_field = "kasus__kelurahan"

    class Meta:
        ordering = ["tanggal", "id"]
        verbose_name = _("rujukan")
        verbose_name_plural = _("rujukan")

    def __str__(self) -> str:
        return f"{self.nama_lembaga} ({self.get_status_display()})"


class Notifikasi(models.Model):
    """An alert for one user about one case, created once (unique) and e-mailed once."""

    pengguna = models.ForeignKey(_PENGGUNA, on_delete=models.CASCADE, related_name="notifikasi")
    kasus = models.ForeignKey(Kasus, on_delete=models.CASCADE, related_name="notifikasi")
    jenis = models.CharField(_("jenis"), max_length=10, choices=JenisNotifikasi.choices)
    dibuat_pada = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    email_terkirim_pada = models.DateTimeField(_("e-mail terkirim"), null=True, blank=True)
    dibaca_pada = models.DateTimeField(_("dibaca pada"), null=True, blank=True)

    class Meta:
        ordering = ["-dibuat_pada", "-id"]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        constraints = [
            models.UniqueConstraint(fields=["pengguna", "kasus", "jenis"], name="notifikasi_sekali"),
        ]
        indexes = [models.Index(fields=["pengguna", "dibaca_pada", "dibuat_pada"], name="notifikasi_pengguna_idx")]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()}: {self.kasus}"
