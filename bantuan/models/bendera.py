"""Integrity flags: each names its rule, its reason and what it is about. Never deleted: staff
resolve a flag with a note, and the flag stays as the record that the question was asked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from akun.scoping import ScopedQuerySet
from bantuan.choices import JenisBendera

_PENGGUNA = settings.AUTH_USER_MODEL


class BenderaQuerySet(ScopedQuerySet):
    def terbuka(self) -> BenderaQuerySet:
        return self.filter(diselesaikan_pada__isnull=True)


class Bendera(models.Model):
    jenis = models.CharField(_("jenis"), max_length=24, choices=JenisBendera.choices)
    kunci = models.CharField(
        _("kunci"),
        max_length=120,
        unique=True,
        editable=False,
        help_text=_("Satu bendera per temuan: pemeriksaan ulang tidak menggandakannya."),
    )
    alasan = models.TextField(_("alasan"))
    penyaluran = models.ForeignKey(
        "bantuan.Penyaluran",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bendera",
        verbose_name=_("penyaluran"),
    )
    pendamping = models.ForeignKey(
        _PENGGUNA,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bendera_pendamping",
        verbose_name=_("pendamping"),
    )
    kelurahan = models.ForeignKey(
        "wilayah.Kelurahan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bendera_bantuan",
        verbose_name=_("kelurahan"),
    )
    dibuat_pada = models.DateTimeField(_("ditemukan pada"), auto_now_add=True)
    diselesaikan_pada = models.DateTimeField(_("diselesaikan pada"), null=True, blank=True)
    diselesaikan_oleh = models.ForeignKey(
        _PENGGUNA,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bendera_diselesaikan",
        verbose_name=_("diselesaikan oleh"),
    )
    catatan_penyelesaian = models.TextField(_("catatan penyelesaian"), blank=True)

    history = HistoricalRecords()
    objects = BenderaQuerySet.as_manager()
    scope_kelurahan_field = "kelurahan"

    class Meta:
        ordering = ["-dibuat_pada", "-id"]
        verbose_name = _("bendera integritas")
        verbose_name_plural = _("bendera integritas")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(diselesaikan_pada__isnull=True) | ~models.Q(catatan_penyelesaian=""),
                name="bendera_selesai_bercatatan",
                violation_error_message=_("Bendera diselesaikan dengan catatan."),
            ),
        ]
        indexes = [
            models.Index(fields=["diselesaikan_pada", "-dibuat_pada", "-id"], name="bendera_terbuka_idx"),
            models.Index(fields=["jenis", "diselesaikan_pada"], name="bendera_jenis_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("bantuan:bendera-detail", args=[self.pk])
