from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from akun.scoping import ScopedQuerySet
from ppks.choices import Kebutuhan, StatusPPKS, SumberData


class PPKSQuerySet(ScopedQuerySet):
    def terlihat_oleh(self, user) -> PPKSQuerySet:
        """``for_user`` plus the sensitive-jenis rule: Pimpinan sees a sensitive jenis only as a
        count, so its rows never appear in a list or a page beside a name."""
        qs = self.for_user(user)
        if user is not None and getattr(user, "is_pimpinan", False):
            qs = qs.filter(jenis__sensitif=False)
        return qs

    def aktif(self) -> PPKSQuerySet:
        return self.exclude(status=StatusPPKS.BUKAN_PPKS)

    def tanpa_kunjungan_sejak(self, hari: int) -> PPKSQuerySet:
        batas = timezone.localdate() - dt.timedelta(days=hari)
        return self.filter(models.Q(terakhir_dikunjungi__isnull=True) | models.Q(terakhir_dikunjungi__lt=batas))


class PPKS(models.Model):
    """A resident registered as PPKS of one jenis. A person may hold several jenis (one row each)."""

    penduduk = models.ForeignKey(
        "penduduk.Penduduk", on_delete=models.PROTECT, related_name="ppks", verbose_name=_("penduduk")
    )
    jenis = models.ForeignKey("ppks.JenisPPKS", on_delete=models.PROTECT, related_name="ppks", verbose_name=_("jenis"))
    status = models.CharField(_("status"), max_length=20, choices=StatusPPKS.choices, default=StatusPPKS.AKTIF)
    tanggal_selesai = models.DateField(_("tanggal bukan PPKS lagi"), null=True, blank=True)
    alasan_selesai = models.CharField(_("alasan bukan PPKS lagi"), max_length=255, blank=True)
    kebutuhan = models.JSONField(_("kebutuhan"), default=list, blank=True)
    kebutuhan_lain = models.TextField(_("kebutuhan lain"), blank=True)
    sumber = models.CharField(_("sumber data"), max_length=10, choices=SumberData.choices, default=SumberData.PSM)
    psm_pendamping = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ppks_didampingi",
        verbose_name=_("PSM pendamping"),
        limit_choices_to={"peran": "psm"},
    )
    terakhir_dikunjungi = models.DateField(_("kunjungan terakhir"), null=True, blank=True)
    # The person's kelurahan, copied and kept exact by the database (wilayah/salinan.py): the
    # dashboard counts per kelurahan without reading the registry. Never written by the app.
    kelurahan = models.ForeignKey(
        "wilayah.Kelurahan",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # ppks_kelurahan_jenis_idx leads with it
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("kelurahan (salinan)"),
    )
    terdata_pada = models.DateField(_("terdata pada"), default=timezone.localdate)
    catatan = models.TextField(_("catatan"), blank=True)
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["kelurahan"])
    objects = PPKSQuerySet.as_manager()
    # Scoped through the row's own copy of the person's domicile kelurahan (kept exact by database
    # triggers on every write path, wilayah/salinan.py): the same rows as ``penduduk__kelurahan``,
    # read from an index on this table instead of a join to the kelurahan's persons.
    scope_kelurahan_field = "kelurahan"

    class Meta:
        # Who needs a visit most first: never visited, then longest since the last visit.
        ordering = [models.F("terakhir_dikunjungi").asc(nulls_first=True), "id"]
        verbose_name = _("PPKS")
        verbose_name_plural = _("PPKS")
        constraints = [
            models.UniqueConstraint(
                fields=["penduduk", "jenis"],
                condition=~models.Q(status=StatusPPKS.BUKAN_PPKS),
                name="ppks_satu_jenis_aktif_per_orang",
                violation_error_message=_("Orang ini sudah terdaftar aktif sebagai PPKS jenis ini."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=StatusPPKS.BUKAN_PPKS) | models.Q(tanggal_selesai__isnull=False),
                name="ppks_selesai_bertanggal",
            ),
        ]
        indexes = [
            models.Index(fields=["jenis", "status"], name="ppks_jenis_status_idx"),
            models.Index(fields=["terakhir_dikunjungi", "id"], name="ppks_kunjungan_idx"),
            models.Index(fields=["psm_pendamping", "status"], name="ppks_psm_idx"),
            models.Index(fields=["kelurahan", "jenis"], name="ppks_kelurahan_jenis_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.penduduk} · {self.jenis}"

    def get_absolute_url(self) -> str:
        return reverse("ppks:detail", args=[self.pk])

    def clean(self) -> None:
        galat = {}
        nilai_sah = set(Kebutuhan.values)
        if not isinstance(self.kebutuhan, list) or not set(self.kebutuhan) <= nilai_sah:
            galat["kebutuhan"] = _("Pilihan kebutuhan tidak dikenal.")
        if self.status == StatusPPKS.BUKAN_PPKS:
            if not self.tanggal_selesai:
                galat["tanggal_selesai"] = _("Isi tanggal sejak kapan bukan PPKS lagi.")
            if not (self.alasan_selesai or "").strip():
                galat["alasan_selesai"] = _("Isi alasan mengapa bukan PPKS lagi.")
        else:
            self.tanggal_selesai = None
            self.alasan_selesai = ""
        if self.tanggal_selesai and self.tanggal_selesai > timezone.localdate():
            galat["tanggal_selesai"] = _("Tanggal tidak boleh di masa depan.")
        if galat:
            raise ValidationError(galat)

    def get_kebutuhan_display(self) -> list[str]:
        label = dict(Kebutuhan.choices)
        return [str(label.get(k, k)) for k in self.kebutuhan]
