from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from akun.roles import PERAN_PENGELOLA, PERAN_SEKOTA, Peran


class User(AbstractUser):
    """A staff account. The role decides what it may do; a PSM's kelurahan decide where."""

    peran = models.CharField(
        _("peran"),
        max_length=10,
        choices=Peran.choices,
        default=Peran.PSM,
        help_text=_("PSM hanya melihat kelurahan wilayah kerjanya."),
    )
    kelurahan = models.ManyToManyField(
        "wilayah.Kelurahan",
        blank=True,
        related_name="pengguna",
        verbose_name=_("kelurahan wilayah kerja"),
        help_text=_("Wajib untuk PSM; diabaikan untuk peran yang melihat seluruh kota."),
    )
    telepon = models.CharField(_("telepon"), max_length=20, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    @property
    def peran_efektif(self) -> str:
        """A superuser is an Admin whatever the field says."""
        return Peran.ADMIN if self.is_superuser else self.peran

    @property
    def lihat_sekota(self) -> bool:
        return self.peran_efektif in PERAN_SEKOTA

    @property
    def pengelola(self) -> bool:
        return self.peran_efektif in PERAN_PENGELOLA

    @property
    def is_psm(self) -> bool:
        return self.peran_efektif == Peran.PSM

    @property
    def is_pimpinan(self) -> bool:
        return self.peran_efektif == Peran.PIMPINAN

    def kelurahan_ids(self) -> list[int]:
        """The PSM's kelurahan ids, read once per request (cached on the instance)."""
        if not hasattr(self, "_kelurahan_ids"):
            self._kelurahan_ids = list(self.kelurahan.values_list("pk", flat=True)) if self.pk else []
        return self._kelurahan_ids

    def validate_wilayah(self, kelurahan_terpilih) -> None:
        """A PSM must have at least one kelurahan (checked by the forms that set both)."""
        if self.peran == Peran.PSM and not self.is_superuser and not kelurahan_terpilih:
            raise ValidationError({"kelurahan": _("PSM harus memiliki minimal satu kelurahan wilayah kerja.")})
