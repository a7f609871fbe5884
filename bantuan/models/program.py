from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bantuan.choices import Bentuk, KelompokProgram, Periode, SumberDana


class Program(models.Model):
    """A social-assistance programme (PKH, BPNT/Sembako, ...): reference data, editable in admin,
    never deleted while a distribution names it (PROTECT)."""

    kode = models.CharField(_("kode"), max_length=20, unique=True, help_text=_("Mis. PKH, BPNT, PBI-JK."))
    nama = models.CharField(_("nama"), max_length=150)
    sumber_dana = models.CharField(_("sumber dana"), max_length=14, choices=SumberDana.choices)
    bentuk = models.CharField(_("bentuk"), max_length=12, choices=Bentuk.choices)
    nilai_standar = models.PositiveBigIntegerField(
        _("nilai standar (rupiah)"), null=True, blank=True, help_text=_("Per penerima per periode.")
    )
    periode = models.CharField(_("periode"), max_length=10, choices=Periode.choices, default=Periode.SEKALI)
    kelompok = models.CharField(
        _("kelompok untuk kemiskinan ekstrem"),
        max_length=14,
        choices=KelompokProgram.choices,
        default=KelompokProgram.LAINNYA,
        help_text=_("Program pokok yang dihitung pada daftar kesenjangan miskin ekstrem."),
    )
    aktif = models.BooleanField(_("aktif"), default=True)
    keterangan = models.TextField(_("keterangan"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kode"]
        verbose_name = _("program bantuan")
        verbose_name_plural = _("program bantuan")

    def __str__(self) -> str:
        return self.kode
