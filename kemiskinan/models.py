"""Extreme poverty: the target, the poverty line, each household's time on the list, exits and help.

Decisions (issue 9):

- **A stay on the list is a row** (``StatusMiskinEkstrem``): entry date, source, desil, the jiwa
  at entry; it is closed by an exit date and reason. A household that comes back gets a new row
  (a new entry in the flows). At most one open row per household is a database constraint.
- **jiwa at entry** is the number of living members of the household in the registry when the
  entry is recorded (``kemiskinan.services.status_masuk`` counts them); it is not typed in, so
  the jiwa figures are computed from the records like every other figure. A later change in the
  household does not change the jiwa of that stay.
- **Exits are maker-checker** (``UsulanKeluar``): a PSM (in their kelurahan) or staff proposes,
  a *different* Staf/Admin user verifies; only an approved proposal closes the stay (its date is
  the exit date of the stay, the date the situation changed, not the date of verification). The
  verifier differing from the proposer is a database constraint as well as a service rule. A
  rejected proposal leaves the stay open and keeps its reason (shown on the list).
- **Interventions** (``Intervensi``) belong to the household, not to a stay, so help received
  before a re-entry stays visible; they are recorded here until the bantuan app exists.
- **The target and the line are data**: ``Target`` (one active at a time) and
  ``GarisKemiskinan`` (a dated value; Rp322.170 from 2021 by data migration).
- Scoping: every row reaches its kelurahan through the household (``keluarga__kelurahan``), the
  household's current kelurahan.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from akun.scoping import ScopedQuerySet
from kemiskinan.choices import AlasanKeluar, Program, StatusUsulan, SumberDana, SumberMasuk

_PENGGUNA = settings.AUTH_USER_MODEL


# Records of this programme start with Inpres 4/2022; an earlier date is a typing error (01/01/0001).
TANGGAL_PALING_AWAL = dt.date(2000, 1, 1)


def _bukan_masa_depan(galat: dict, nama: str, tanggal: dt.date | None) -> None:
    """Neither in the future nor before 2000 (a year-1 date made overdue counts absurd)."""
    if tanggal and tanggal > timezone.localdate():
        galat[nama] = _("Tanggal tidak boleh di masa depan.")
    elif tanggal and tanggal < TANGGAL_PALING_AWAL:
        galat[nama] = _("Tanggal sebelum tahun 2000 tidak mungkin; periksa lagi.")


class TargetQuerySet(models.QuerySet):
    def aktif(self) -> Target | None:
        return self.filter(aktif=True).first()


class Target(models.Model):
    """The commitment the progress page measures against (city-wide)."""

    nama = models.CharField(_("nama"), max_length=150)
    dasar = models.CharField(
        _("dasar"), max_length=255, blank=True, help_text=_("Mis. Rakor percepatan penghapusan kemiskinan ekstrem.")
    )
    tanggal_baseline = models.DateField(_("tanggal baseline"))
    kk_baseline = models.PositiveIntegerField(_("KK pada baseline"), help_text=_("Sebagaimana dilaporkan."))
    jiwa_baseline = models.PositiveIntegerField(_("jiwa pada baseline"), help_text=_("Sebagaimana dilaporkan."))
    tanggal_target = models.DateField(_("tanggal target nol"))
    aktif = models.BooleanField(_("aktif"), default=True, help_text=_("Hanya satu target yang aktif."))

    history = HistoricalRecords()
    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["-aktif", "-tanggal_baseline", "-id"]
        verbose_name = _("target")
        verbose_name_plural = _("target")
        constraints = [
            models.UniqueConstraint(
                fields=["aktif"],
                condition=Q(aktif=True),
                name="target_satu_aktif",
                violation_error_message=_("Sudah ada target lain yang aktif; nonaktifkan dulu."),
            ),
            models.CheckConstraint(
                condition=Q(tanggal_target__gt=F("tanggal_baseline")),
                name="target_setelah_baseline",
                violation_error_message=_("Tanggal target harus sesudah tanggal baseline."),
            ),
        ]

    def __str__(self) -> str:
        return self.nama


class GarisKemiskinanQuerySet(models.QuerySet):
    def pada(self, tanggal: dt.date) -> GarisKemiskinan | None:
        """The line in force on ``tanggal`` (the newest that started on or before it)."""
        return self.filter(berlaku_mulai__lte=tanggal).order_by("-berlaku_mulai").first()


class GarisKemiskinan(models.Model):
    """The extreme-poverty line in rupiah per person per month, from a date on."""

    rupiah_per_orang_per_bulan = models.PositiveIntegerField(_("rupiah per orang per bulan"))
    berlaku_mulai = models.DateField(_("berlaku mulai"), unique=True)
    sumber = models.CharField(_("sumber"), max_length=255, blank=True)

    history = HistoricalRecords()
    objects = GarisKemiskinanQuerySet.as_manager()

    class Meta:
        ordering = ["-berlaku_mulai"]
        verbose_name = _("garis kemiskinan ekstrem")
        verbose_name_plural = _("garis kemiskinan ekstrem")

    def __str__(self) -> str:
        rupiah = f"{self.rupiah_per_orang_per_bulan:,}".replace(",", ".")
        return f"Rp{rupiah} ({self.berlaku_mulai:%d/%m/%Y})"


class StatusQuerySet(ScopedQuerySet):
    def terbuka_pada(self, tanggal: dt.date) -> StatusQuerySet:
        """Stays on the list on ``tanggal``: entered on or before it, not left by then."""
        return self.filter(tanggal_masuk__lte=tanggal).filter(
            Q(tanggal_keluar__isnull=True) | Q(tanggal_keluar__gt=tanggal)
        )

    def terbuka(self) -> StatusQuerySet:
        return self.filter(tanggal_keluar__isnull=True)


class StatusMiskinEkstrem(models.Model):
    """One stay of a household on the extreme-poor list, from its entry to its verified exit."""

    keluarga = models.ForeignKey(
        "penduduk.Keluarga", on_delete=models.PROTECT, related_name="status_miskin_ekstrem", verbose_name=_("keluarga")
    )
    sumber = models.CharField(_("sumber"), max_length=12, choices=SumberMasuk.choices)
    tanggal_masuk = models.DateField(_("tanggal masuk daftar"))
    desil = models.PositiveSmallIntegerField(
        _("desil"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    jiwa_masuk = models.PositiveSmallIntegerField(
        _("jiwa saat masuk"), help_text=_("Anggota keluarga yang hidup di registri saat dicatat masuk.")
    )
    pengeluaran_per_kapita = models.PositiveIntegerField(
        _("pengeluaran per orang per bulan saat masuk"), null=True, blank=True, help_text=_("Rupiah; bila diketahui.")
    )
    catatan = models.TextField(_("catatan"), blank=True)
    dicatat_oleh = models.ForeignKey(
        _PENGGUNA, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh")
    )
    tanggal_keluar = models.DateField(_("tanggal keluar daftar"), null=True, blank=True)
    alasan_keluar = models.CharField(_("alasan keluar"), max_length=12, choices=AlasanKeluar.choices, blank=True)
    pengeluaran_keluar = models.PositiveIntegerField(
        _("pengeluaran per orang per bulan saat keluar"), null=True, blank=True
    )
    bukti_keluar = models.TextField(_("bukti keluar"), blank=True)
    keluarga_tujuan = models.ForeignKey(
        "penduduk.Keluarga",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bergabung ke keluarga"),
    )
    # The household's kelurahan, copied and kept exact by the database (wilayah/salinan.py): the
    # progress page and the dashboard count per kelurahan without reading the registry.
    kelurahan = models.ForeignKey(
        "wilayah.Kelurahan",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("kelurahan (salinan)"),
    )
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["kelurahan"])
    objects = StatusQuerySet.as_manager()
    # The household's kelurahan through this row's copy (kept exact by triggers, wilayah/salinan.py).
    scope_kelurahan_field = "kelurahan"

    class Meta:
        # Longest on the list first (they need attention most); a total order an index serves.
        ordering = ["tanggal_masuk", "id"]
        verbose_name = _("status miskin ekstrem")
        verbose_name_plural = _("status miskin ekstrem")
        indexes = [
            models.Index(fields=["tanggal_masuk", "id"], name="sme_urutan_idx"),
            models.Index(
                fields=["tanggal_masuk", "id"], condition=Q(tanggal_keluar__isnull=True), name="sme_terbuka_idx"
            ),
            models.Index(fields=["tanggal_keluar", "tanggal_masuk"], name="sme_keluar_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["keluarga"],
                condition=Q(tanggal_keluar__isnull=True),
                name="sme_satu_terbuka_per_keluarga",
                violation_error_message=_("Keluarga ini masih tercatat di daftar miskin ekstrem."),
            ),
            models.CheckConstraint(
                condition=Q(tanggal_keluar__isnull=True) | Q(tanggal_keluar__gte=F("tanggal_masuk")),
                name="sme_keluar_setelah_masuk",
                violation_error_message=_("Tanggal keluar tidak boleh sebelum tanggal masuk."),
            ),
            models.CheckConstraint(
                condition=Q(tanggal_keluar__isnull=True, alasan_keluar="")
                | (Q(tanggal_keluar__isnull=False) & ~Q(alasan_keluar="")),
                name="sme_keluar_beralasan",
            ),
            models.CheckConstraint(
                condition=~Q(alasan_keluar=AlasanKeluar.GRADUASI) | Q(pengeluaran_keluar__isnull=False),
                name="sme_graduasi_berangka",
            ),
            models.CheckConstraint(
                condition=Q(desil__isnull=True) | Q(desil__gte=1, desil__lte=10), name="sme_desil_1_10"
            ),
            models.CheckConstraint(condition=Q(jiwa_masuk__gte=1), name="sme_jiwa_minimal_1"),
        ]

    def __str__(self) -> str:
        return _("Miskin ekstrem sejak %(tgl)s") % {"tgl": f"{self.tanggal_masuk:%d/%m/%Y}"}

    def get_absolute_url(self) -> str:
        return reverse("kemiskinan:detail", args=[self.keluarga_id])

    @property
    def terbuka(self) -> bool:
        return self.tanggal_keluar is None

    def clean(self) -> None:
        galat: dict = {}
        _bukan_masa_depan(galat, "tanggal_masuk", self.tanggal_masuk)
        _bukan_masa_depan(galat, "tanggal_keluar", self.tanggal_keluar)
        if self.tanggal_keluar:
            if self.tanggal_masuk and self.tanggal_keluar < self.tanggal_masuk:
                galat["tanggal_keluar"] = _("Tanggal keluar tidak boleh sebelum tanggal masuk.")
            if not self.alasan_keluar:
                galat["alasan_keluar"] = _("Isi alasan keluar.")
        elif self.alasan_keluar:
            galat["tanggal_keluar"] = _("Isi tanggal keluar.")
        if self.alasan_keluar == AlasanKeluar.GRADUASI and self.pengeluaran_keluar is None:
            galat["pengeluaran_keluar"] = _("Graduasi perlu angka pengeluaran per orang per bulan.")
        if galat:
            raise ValidationError(galat)


class UsulanQuerySet(ScopedQuerySet):
    def menunggu(self) -> UsulanQuerySet:
        return self.filter(status=StatusUsulan.DIUSULKAN)


class UsulanKeluar(models.Model):
    """A proposal to take a household off the list; it takes effect once another staff user approves."""

    status_miskin = models.ForeignKey(
        StatusMiskinEkstrem, on_delete=models.PROTECT, related_name="usulan", verbose_name=_("status miskin ekstrem")
    )
    tanggal_keluar = models.DateField(
        _("tanggal keluar"), help_text=_("Tanggal keadaan berubah (mis. tanggal verifikasi lapangan).")
    )
    alasan = models.CharField(_("alasan"), max_length=12, choices=AlasanKeluar.choices)
    pengeluaran_per_kapita = models.PositiveIntegerField(
        _("pengeluaran per orang per bulan"), null=True, blank=True, help_text=_("Wajib untuk graduasi; rupiah.")
    )
    bukti = models.TextField(
        _("bukti"),
        blank=True,
        help_text=_("Dokumen dan nomornya, mis. berita acara verifikasi lapangan, surat pindah."),
    )
    keluarga_tujuan = models.ForeignKey(
        "penduduk.Keluarga",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bergabung ke keluarga"),
    )
    keterangan = models.TextField(_("keterangan"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=StatusUsulan.choices, default=StatusUsulan.DIUSULKAN)
    diusulkan_oleh = models.ForeignKey(
        _PENGGUNA, on_delete=models.PROTECT, related_name="+", verbose_name=_("diusulkan oleh")
    )
    diusulkan_pada = models.DateTimeField(_("diusulkan pada"), default=timezone.now)
    diverifikasi_oleh = models.ForeignKey(
        _PENGGUNA,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diverifikasi oleh"),
    )
    diverifikasi_pada = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    catatan_verifikasi = models.TextField(_("catatan verifikasi"), blank=True)

    history = HistoricalRecords()
    objects = UsulanQuerySet.as_manager()
    scope_kelurahan_field = "status_miskin__keluarga__kelurahan"

    class Meta:
        ordering = ["-diusulkan_pada", "-id"]
        verbose_name = _("usulan keluar")
        verbose_name_plural = _("usulan keluar")
        indexes = [
            models.Index(fields=["status_miskin", "diusulkan_pada"], name="usulan_status_idx"),
            models.Index(fields=["status", "diusulkan_pada"], name="usulan_menunggu_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(diverifikasi_oleh__isnull=True) | ~Q(diverifikasi_oleh=F("diusulkan_oleh")),
                name="usulan_pemeriksa_bukan_pengusul",
                violation_error_message=_("Usulan tidak boleh diverifikasi oleh pengusulnya sendiri."),
            ),
            models.CheckConstraint(
                condition=Q(status=StatusUsulan.DIUSULKAN, diverifikasi_oleh__isnull=True)
                | (~Q(status=StatusUsulan.DIUSULKAN) & Q(diverifikasi_oleh__isnull=False)),
                name="usulan_diverifikasi_bila_diputus",
            ),
            models.CheckConstraint(
                condition=~Q(status=StatusUsulan.DITOLAK) | ~Q(catatan_verifikasi=""),
                name="usulan_ditolak_beralasan",
            ),
            models.UniqueConstraint(
                fields=["status_miskin"],
                condition=Q(status=StatusUsulan.DIUSULKAN),
                name="usulan_satu_menunggu",
                violation_error_message=_("Sudah ada usulan keluar yang menunggu verifikasi untuk keluarga ini."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_alasan_display()} · {self.get_status_display()}"

    def clean(self) -> None:
        galat: dict = {}
        _bukan_masa_depan(galat, "tanggal_keluar", self.tanggal_keluar)
        if self.alasan == AlasanKeluar.GRADUASI:
            if self.pengeluaran_per_kapita is None:
                galat["pengeluaran_per_kapita"] = _("Isi pengeluaran per orang per bulan hasil verifikasi.")
            elif self.tanggal_keluar:
                garis = GarisKemiskinan.objects.pada(self.tanggal_keluar)
                if garis is not None and self.pengeluaran_per_kapita <= garis.rupiah_per_orang_per_bulan:
                    galat["pengeluaran_per_kapita"] = _(
                        "Masih di bawah atau sama dengan garis kemiskinan ekstrem (%(garis)s): belum graduasi."
                    ) % {"garis": str(garis)}
            if not (self.bukti or "").strip():
                galat["bukti"] = _("Graduasi perlu bukti (mis. berita acara verifikasi lapangan).")
        else:
            self.pengeluaran_per_kapita = None
        if self.alasan == AlasanKeluar.GABUNG:
            if self.keluarga_tujuan_id is None:
                galat["keluarga_tujuan"] = _("Pilih keluarga tempat bergabung.")
        else:
            self.keluarga_tujuan = None
        if self.alasan == AlasanKeluar.SALAH_DATA and not (self.keterangan or "").strip():
            galat["keterangan"] = _("Jelaskan mengapa keluarga ini sejak awal bukan miskin ekstrem.")
        if galat:
            raise ValidationError(galat)


class Intervensi(models.Model):
    """Help a household received (until the bantuan app records distributions)."""

    keluarga = models.ForeignKey(
        "penduduk.Keluarga", on_delete=models.PROTECT, related_name="intervensi_kemiskinan", verbose_name=_("keluarga")
    )
    program = models.CharField(_("program"), max_length=14, choices=Program.choices)
    nama_program = models.CharField(
        _("nama program"), max_length=150, blank=True, help_text=_("Wajib bila programnya “Lainnya”.")
    )
    tanggal = models.DateField(_("tanggal"))
    nilai = models.PositiveBigIntegerField(_("nilai (rupiah)"), null=True, blank=True)
    sumber_dana = models.CharField(_("sumber dana"), max_length=14, choices=SumberDana.choices)
    keterangan = models.TextField(_("keterangan"), blank=True)
    dicatat_oleh = models.ForeignKey(
        _PENGGUNA, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh")
    )
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_kelurahan_field = "keluarga__kelurahan"

    class Meta:
        ordering = ["-tanggal", "-id"]
        verbose_name = _("intervensi")
        verbose_name_plural = _("intervensi")
        indexes = [models.Index(fields=["keluarga", "program"], name="intervensi_program_idx")]

    def __str__(self) -> str:
        return f"{self.nama_tampil} · {self.tanggal:%d/%m/%Y}"

    @property
    def nama_tampil(self) -> str:
        if self.program == Program.LAINNYA and self.nama_program:
            return self.nama_program
        return str(self.get_program_display())

    def clean(self) -> None:
        galat: dict = {}
        _bukan_masa_depan(galat, "tanggal", self.tanggal)
        if self.program == Program.LAINNYA and not (self.nama_program or "").strip():
            galat["nama_program"] = _("Tulis nama programnya.")
        if galat:
            raise ValidationError(galat)
