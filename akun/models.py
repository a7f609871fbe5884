from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
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


class AksiAkses(models.TextChoices):
    """What an access-log row records (UU PDP 27/2022: who saw which personal data, and when)."""

    LIHAT_NIK = "lihat_nik", _("Melihat NIK lengkap")
    LIHAT_SENSITIF = "lihat_sensitif", _("Melihat data sensitif")
    EKSPOR = "ekspor", _("Mengunduh daftar")
    UNDUH_BERKAS = "unduh_berkas", _("Mengunduh berkas")


class LogAksesQuerySet(models.QuerySet):
    """Append-only: a queryset of log rows can be read and added to, never changed or deleted."""

    def update(self, **kwargs):
        raise PermissionError("LogAkses is append-only")

    def delete(self):
        raise PermissionError("LogAkses is append-only")

    def _raw_delete(self, using):
        raise PermissionError("LogAkses is append-only")


class LogAkses(models.Model):
    """One view of a person's full NIK or sensitive data, one export, one file download.

    Written by ``akun.akses.catat_akses`` (one ``bulk_create`` per request). Append-only: no
    change or delete path in code or admin. The links to the user and the person are kept without
    a database constraint (``db_constraint=False``, ``DO_NOTHING``): the log outlives a deleted
    account or record, and deleting one never rewrites or removes log rows. The account's username
    and role are copied into the row for the same reason.
    """

    user = models.ForeignKey(
        "akun.User",
        verbose_name=_("pengguna"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the composite indexes below start with it
        null=True,
        related_name="+",
    )
    nama_pengguna = models.CharField(_("nama pengguna"), max_length=150)
    peran = models.CharField(_("peran"), max_length=10, choices=Peran.choices)
    waktu = models.DateTimeField(_("waktu"), default=timezone.now)
    aksi = models.CharField(_("aksi"), max_length=20, choices=AksiAkses.choices)
    penduduk = models.ForeignKey(
        "penduduk.Penduduk",
        verbose_name=_("penduduk"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
    )
    jenis_objek = models.CharField(_("jenis objek"), max_length=50, blank=True)
    objek_id = models.BigIntegerField(_("id objek"), null=True, blank=True)
    nama_url = models.CharField(_("halaman"), max_length=80, blank=True)
    rincian = models.CharField(_("rincian"), max_length=255, blank=True)
    alamat_ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    objects = LogAksesQuerySet.as_manager()

    class Meta:
        verbose_name = _("log akses data pribadi")
        verbose_name_plural = _("log akses data pribadi")
        ordering = ["-waktu", "-id"]
        indexes = [
            # A person's log page and "who saw X" (newest first); a user's trail; the admin list.
            models.Index(fields=["penduduk", "-waktu", "-id"], name="logakses_penduduk_idx"),
            models.Index(fields=["user", "-waktu", "-id"], name="logakses_user_idx"),
            models.Index(fields=["-waktu", "-id"], name="logakses_waktu_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.nama_pengguna} {self.get_aksi_display()} {self.waktu:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("LogAkses is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("LogAkses is append-only")
