from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ppks.choices import Kelompok


class JenisPPKSQuerySet(models.QuerySet):
    def terlihat_oleh(self, user) -> JenisPPKSQuerySet:
        """The jenis a role may see next to a person's name: Pimpinan never sees a sensitive one."""
        if user is not None and getattr(user, "is_pimpinan", False):
            return self.filter(sensitif=False)
        return self


class JenisPPKS(models.Model):
    """One of the 26 jenis PPKS of Permensos 08/2012 (reference data, loaded by migration)."""

    nomor = models.PositiveSmallIntegerField(_("nomor"), unique=True, help_text=_("Urutan dalam lampiran Permensos."))
    nama = models.CharField(_("nama"), max_length=120, unique=True)
    singkatan = models.CharField(_("singkatan"), max_length=12, unique=True)
    kelompok = models.CharField(_("kelompok"), max_length=20, choices=Kelompok.choices)
    sensitif = models.BooleanField(
        _("sensitif"),
        default=False,
        help_text=_("Data sensitif (UU PDP): Pimpinan hanya melihatnya sebagai jumlah, tidak di samping nama."),
    )
    alias = models.TextField(
        _("nama lain"),
        blank=True,
        help_text=_("Satu nama per baris, untuk impor dan pencarian (mis. Lansia Terlantar, Gepeng)."),
    )
    aktif = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()
    objects = JenisPPKSQuerySet.as_manager()

    class Meta:
        ordering = ["nomor"]
        verbose_name = _("jenis PPKS")
        verbose_name_plural = _("jenis PPKS")

    def __str__(self) -> str:
        return self.nama
