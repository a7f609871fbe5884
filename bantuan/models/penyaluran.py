"""A distribution of a programme to a household or a person, and the family's confirmation of it.

The recipient's kelurahan is kept on the distribution (``kelurahan``): it scopes the row for a PSM,
and a household that moves later does not carry its past aid into another kelurahan's lists.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from akun.scoping import ScopedQuerySet
from bantuan.choices import Saluran, StatusPenyaluran
from psm.foto import penyimpanan_foto, validasi_foto

_PENGGUNA = settings.AUTH_USER_MODEL


class PenyaluranQuerySet(ScopedQuerySet):
    def tersalur(self) -> PenyaluranQuerySet:
        """Distributed, confirmed or not (what the family should have in hand)."""
        return self.filter(status__in=[StatusPenyaluran.DISALURKAN, StatusPenyaluran.DIKONFIRMASI])


class Penyaluran(models.Model):
    program = models.ForeignKey(
        "bantuan.Program", on_delete=models.PROTECT, related_name="penyaluran", verbose_name=_("program")
    )
    keluarga = models.ForeignKey(
        "penduduk.Keluarga",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="penyaluran",
        verbose_name=_("keluarga penerima"),
    )
    penduduk = models.ForeignKey(
        "penduduk.Penduduk",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="penyaluran",
        verbose_name=_("penerima perorangan"),
        help_text=_("Untuk bantuan perorangan (mis. PBI-JK, ATENSI); keluarganya dicatat juga."),
    )
    kelurahan = models.ForeignKey(
        "wilayah.Kelurahan", on_delete=models.PROTECT, related_name="penyaluran", verbose_name=_("kelurahan")
    )
    periode = models.DateField(_("periode"), help_text=_("Hari pertama periode (bulan, triwulan, ...)."))
    nilai = models.PositiveBigIntegerField(_("nilai (rupiah)"))
    tanggal = models.DateField(_("tanggal salur"), null=True, blank=True)
    saluran = models.CharField(_("saluran"), max_length=10, choices=Saluran.choices)
    pendamping = models.ForeignKey(
        _PENGGUNA,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="penyaluran_didampingi",
        verbose_name=_("pendamping"),
    )
    status = models.CharField(
        _("status"), max_length=14, choices=StatusPenyaluran.choices, default=StatusPenyaluran.DIRENCANAKAN
    )
    alasan_gagal = models.CharField(_("alasan gagal"), max_length=255, blank=True)
    keterangan = models.TextField(_("keterangan"), blank=True)
    id_eksternal = models.CharField(
        _("ID eksternal"), max_length=64, null=True, blank=True, unique=True, help_text=_("ID dari berkas impor.")
    )
    dibuat_oleh = models.ForeignKey(
        _PENGGUNA, on_delete=models.PROTECT, related_name="penyaluran_dibuat", verbose_name=_("dicatat oleh")
    )
    dibuat_pada = models.DateTimeField(_("dicatat pada"), auto_now_add=True)
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)

    history = HistoricalRecords()
    objects = PenyaluranQuerySet.as_manager()
    scope_kelurahan_field = "kelurahan"

    class Meta:
        ordering = ["-periode", "-id"]
        verbose_name = _("penyaluran")
        verbose_name_plural = _("penyaluran")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(keluarga__isnull=False) | models.Q(penduduk__isnull=False),
                name="penyaluran_ada_penerima",
                violation_error_message=_("Pilih keluarga atau orang penerima."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=StatusPenyaluran.GAGAL) | ~models.Q(alasan_gagal=""),
                name="penyaluran_gagal_beralasan",
                violation_error_message=_("Penyaluran gagal perlu alasan."),
            ),
            models.CheckConstraint(
                condition=models.Q(status=StatusPenyaluran.DIRENCANAKAN)
                | models.Q(status=StatusPenyaluran.GAGAL)
                | models.Q(tanggal__isnull=False),
                name="penyaluran_tersalur_bertanggal",
                violation_error_message=_("Penyaluran yang sudah disalurkan perlu tanggal salur."),
            ),
        ]
        indexes = [
            # the double-receipt check and a household's aid
            models.Index(fields=["keluarga", "program", "periode"], name="penyaluran_ganda_idx"),
            models.Index(fields=["penduduk", "program", "periode"], name="penyaluran_orang_idx"),
            # lists: newest period first, filtered by kelurahan / status / programme
            models.Index(fields=["kelurahan", "-periode", "-id"], name="penyaluran_kel_idx"),
            models.Index(fields=["status", "tanggal"], name="penyaluran_status_idx"),
            models.Index(fields=["program", "-periode", "-id"], name="penyaluran_program_idx"),
            models.Index(fields=["pendamping", "status"], name="penyaluran_pendamping_idx"),
            models.Index(fields=["-periode", "-id"], name="penyaluran_urut_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.program} · {self.periode:%m/%Y} · Rp{self.nilai:,}".replace(",", ".")

    def get_absolute_url(self) -> str:
        return reverse("bantuan:penyaluran-detail", args=[self.pk])


class Konfirmasi(models.Model):
    """The family's word on what reached them, recorded by a PSM or staff (often at a visit)."""

    penyaluran = models.OneToOneField(
        Penyaluran, on_delete=models.PROTECT, related_name="konfirmasi", verbose_name=_("penyaluran")
    )
    nilai_diterima = models.PositiveBigIntegerField(_("nilai yang benar-benar diterima (rupiah)"))
    tanggal_terima = models.DateField(_("tanggal diterima"))
    nama_pengonfirmasi = models.CharField(
        _("dikonfirmasi oleh (anggota keluarga)"), max_length=150, help_text=_("Nama yang menyatakan penerimaan.")
    )
    kunjungan = models.ForeignKey(
        "psm.Kunjungan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="konfirmasi_bantuan",
        verbose_name=_("kunjungan"),
    )
    foto_bukti = models.ImageField(
        _("foto bukti terima"),
        upload_to="bantuan/bukti/%Y/%m/",
        storage=penyimpanan_foto,
        validators=[validasi_foto],
        blank=True,
    )
    catatan = models.TextField(_("catatan"), blank=True)
    dicatat_oleh = models.ForeignKey(
        _PENGGUNA, on_delete=models.PROTECT, related_name="konfirmasi_dicatat", verbose_name=_("dicatat oleh")
    )
    dicatat_pada = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_kelurahan_field = "penyaluran__kelurahan"

    class Meta:
        verbose_name = _("konfirmasi penerimaan")
        verbose_name_plural = _("konfirmasi penerimaan")

    def __str__(self) -> str:
        return f"{self.penyaluran} · diterima Rp{self.nilai_diterima:,}".replace(",", ".")

    @property
    def selisih(self) -> int:
        """How much less than distributed reached the family (0 when all of it did, or more)."""
        return max(0, self.penyaluran.nilai - self.nilai_diterima)
