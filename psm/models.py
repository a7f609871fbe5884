"""PSM workers: profiles and trainings, the pledge (ikrar) and its acceptances, and visits.

A PSM's area is the user's kelurahan (``akun.User.kelurahan``), the one source: the profile only
marks which of them is the primary one.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from akun.scoping import ScopedQuerySet
from penduduk.nik import validate_nik
from psm.foto import penyimpanan_foto, validasi_foto

_PENGGUNA = settings.AUTH_USER_MODEL


class ProfilPSM(models.Model):
    user = models.OneToOneField(
        _PENGGUNA,
        on_delete=models.PROTECT,
        related_name="profil_psm",
        verbose_name=_("akun"),
        limit_choices_to={"peran": "psm"},
    )
    nik = models.CharField(_("NIK"), max_length=16, null=True, blank=True, unique=True, validators=[validate_nik])
    nama = models.CharField(_("nama lengkap"), max_length=150)
    telepon = models.CharField(
        _("nomor WhatsApp"), max_length=20, blank=True, help_text=_("Mis. 0812 3456 7890; dipakai untuk tautan wa.me.")
    )
    nomor_sk = models.CharField(_("nomor SK"), max_length=100, blank=True)
    tanggal_sk = models.DateField(_("tanggal SK"), null=True, blank=True)
    aktif_mulai = models.DateField(_("aktif sejak"), null=True, blank=True)
    aktif_sampai = models.DateField(_("aktif sampai"), null=True, blank=True)
    koordinator = models.BooleanField(_("koordinator PSM"), default=False)
    kelurahan_utama = models.ForeignKey(
        "wilayah.Kelurahan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kelurahan utama"),
        help_text=_("Salah satu kelurahan wilayah kerja akun ini."),
    )
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_kelurahan_field = "user__kelurahan"

    class Meta:
        ordering = ["nama", "id"]
        verbose_name = _("profil PSM")
        verbose_name_plural = _("profil PSM")
        indexes = [models.Index(fields=["nama", "id"], name="profil_psm_nama_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(aktif_sampai__isnull=True)
                | models.Q(aktif_mulai__isnull=True)
                | models.Q(aktif_sampai__gte=models.F("aktif_mulai")),
                name="profil_psm_periode_urut",
                violation_error_message=_("Tanggal akhir masa aktif tidak boleh sebelum tanggal mulai."),
            )
        ]

    def __str__(self) -> str:
        return self.nama

    def get_absolute_url(self) -> str:
        return reverse("psm:detail", args=[self.pk])

    @property
    def tautan_whatsapp(self) -> str:
        from ppks.whatsapp import nomor_wa

        nomor = nomor_wa(self.telepon)
        return f"https://wa.me/{nomor}" if nomor else ""


class Pelatihan(models.Model):
    """A training (bimtek) a PSM attended."""

    profil = models.ForeignKey(ProfilPSM, on_delete=models.CASCADE, related_name="pelatihan")
    nama = models.CharField(_("nama pelatihan"), max_length=200)
    penyelenggara = models.CharField(_("penyelenggara"), max_length=150, blank=True)
    tanggal = models.DateField(_("tanggal"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-tanggal", "id"]
        verbose_name = _("pelatihan (bimtek)")
        verbose_name_plural = _("pelatihan (bimtek)")

    def __str__(self) -> str:
        return self.nama


class Ikrar(models.Model):
    """A version of the PSM pledge. The newest version is the one every PSM must accept."""

    versi = models.PositiveIntegerField(_("versi"), unique=True)
    judul = models.CharField(_("judul"), max_length=150, default="Ikrar PSM Kota Payakumbuh")
    teks = models.TextField(_("teks ikrar"))
    berlaku_sejak = models.DateField(_("berlaku sejak"), default=timezone.localdate)
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-versi"]
        verbose_name = _("ikrar PSM")
        verbose_name_plural = _("ikrar PSM")

    def __str__(self) -> str:
        return f"{self.judul} v{self.versi}"

    @classmethod
    def terkini(cls) -> Ikrar | None:
        return cls.objects.order_by("-versi").first()


class PersetujuanIkrar(models.Model):
    user = models.ForeignKey(_PENGGUNA, on_delete=models.CASCADE, related_name="persetujuan_ikrar")
    ikrar = models.ForeignKey(Ikrar, on_delete=models.PROTECT, related_name="persetujuan")
    disetujui_pada = models.DateTimeField(_("disetujui pada"), default=timezone.now)

    class Meta:
        ordering = ["-disetujui_pada"]
        verbose_name = _("persetujuan ikrar")
        verbose_name_plural = _("persetujuan ikrar")
        constraints = [models.UniqueConstraint(fields=["user", "ikrar"], name="ikrar_sekali_per_versi")]

    def __str__(self) -> str:
        return f"{self.user} · {self.ikrar}"


class Kunjungan(models.Model):
    """A visit by a PSM (or staff) to a person, a household or a case."""

    oleh = models.ForeignKey(_PENGGUNA, on_delete=models.PROTECT, related_name="kunjungan", verbose_name=_("oleh"))
    tanggal = models.DateField(_("tanggal kunjungan"), default=timezone.localdate)
    penduduk = models.ForeignKey(
        "penduduk.Penduduk", on_delete=models.PROTECT, null=True, blank=True, related_name="kunjungan"
    )
    keluarga = models.ForeignKey(
        "penduduk.Keluarga", on_delete=models.PROTECT, null=True, blank=True, related_name="kunjungan"
    )
    kasus = models.ForeignKey("ppks.Kasus", on_delete=models.PROTECT, null=True, blank=True, related_name="kunjungan")
    # The subject's kelurahan when the visit was made: the scope of the record (a person may move).
    kelurahan = models.ForeignKey("wilayah.Kelurahan", on_delete=models.PROTECT, related_name="+", editable=False)
    temuan = models.TextField(_("temuan"), blank=True)
    kebutuhan = models.JSONField(_("kebutuhan yang dicatat"), default=list, blank=True)
    perlu_tindak_lanjut = models.BooleanField(_("perlu tindak lanjut"), default=False)
    tindak_lanjut = models.CharField(_("tindak lanjut"), max_length=255, blank=True)
    foto = models.ImageField(
        _("foto"),
        upload_to="kunjungan/%Y/%m/",
        storage=penyimpanan_foto,
        null=True,
        blank=True,
        validators=[validasi_foto],
    )
    dibuat_pada = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_kelurahan_field = "kelurahan"

    class Meta:
        ordering = ["-tanggal", "-id"]
        verbose_name = _("kunjungan")
        verbose_name_plural = _("kunjungan")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(penduduk__isnull=False, keluarga__isnull=True, kasus__isnull=True)
                    | models.Q(penduduk__isnull=True, keluarga__isnull=False, kasus__isnull=True)
                    | models.Q(penduduk__isnull=True, keluarga__isnull=True, kasus__isnull=False)
                ),
                name="kunjungan_satu_subjek",
            )
        ]
        indexes = [
            models.Index(fields=["kelurahan", "tanggal", "id"], name="kunjungan_kel_idx"),
            models.Index(fields=["tanggal", "id"], name="kunjungan_urutan_idx"),
            models.Index(fields=["oleh", "tanggal"], name="kunjungan_oleh_idx"),
            models.Index(fields=["penduduk", "tanggal"], name="kunjungan_penduduk_idx"),
            models.Index(fields=["keluarga", "tanggal"], name="kunjungan_keluarga_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subjek} · {self.tanggal:%d/%m/%Y}"

    @property
    def subjek(self):
        return self.penduduk or self.keluarga or self.kasus

    def clean(self) -> None:
        from ppks.choices import Kebutuhan

        if self.tanggal and self.tanggal > timezone.localdate():
            raise ValidationError({"tanggal": _("Tanggal kunjungan tidak boleh di masa depan.")})
        if self.tanggal and self.tanggal.year < 2000:
            raise ValidationError({"tanggal": _("Tanggal kunjungan sebelum tahun 2000 tidak mungkin; periksa lagi.")})
        if not isinstance(self.kebutuhan, list) or not set(self.kebutuhan) <= set(Kebutuhan.values):
            raise ValidationError({"kebutuhan": _("Pilihan kebutuhan tidak dikenal.")})


class PerubahanBeban(models.Model):
    """One write to what a kelurahan's caseload shows, appended by the database's triggers
    (psm/jurnal.py); NULL kelurahan: reference data every kelurahan shows. The PSM home's cache
    (psm/cache_beranda.py) is keyed on these rows; nothing else reads them."""

    id = models.BigAutoField(primary_key=True)
    kelurahan = models.ForeignKey(
        "wilayah.Kelurahan",
        on_delete=models.DO_NOTHING,
        null=True,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("jejak perubahan beban kerja")
        indexes = [models.Index(fields=["kelurahan", "id"], name="perubahan_beban_kel_idx")]

    def __str__(self) -> str:
        return f"{self.pk}: {self.kelurahan_id or '*'}"
