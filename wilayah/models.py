from django.db import models
from django.utils.translation import gettext_lazy as _

from akun.scoping import ScopedQuerySet
from wilayah.nama import normalisasi_nama_wilayah


class KecamatanQuerySet(ScopedQuerySet):
    def for_user(self, user):
        if user is not None and user.is_authenticated and user.is_active and not user.lihat_sekota:
            return self.filter(kelurahan__in=user.kelurahan_ids()).distinct()
        return super().for_user(user)


class Kecamatan(models.Model):
    kode = models.CharField(_("kode Kemendagri"), max_length=8, unique=True)
    nama = models.CharField(_("nama"), max_length=100, unique=True)
    kode_bps = models.CharField(_("kode BPS"), max_length=10, blank=True)

    objects = KecamatanQuerySet.as_manager()

    class Meta:
        ordering = ["kode"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self) -> str:
        return self.nama


class Kelurahan(models.Model):
    kode = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    nama = models.CharField(_("nama"), max_length=100, unique=True)
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="kelurahan", verbose_name=_("kecamatan")
    )
    kode_bps = models.CharField(
        _("kode BPS"),
        max_length=40,
        blank=True,
        help_text=_("BPS bisa mencatat lebih dari satu kode; dipisah titik koma."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    jumlah_penduduk = models.PositiveIntegerField(_("jumlah penduduk"), null=True, blank=True)
    jumlah_kk = models.PositiveIntegerField(_("jumlah KK"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_kelurahan_field = "pk"

    class Meta:
        ordering = ["kode"]
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")

    def __str__(self) -> str:
        return self.nama


class AliasWilayah(models.Model):
    """A pre-merger or variant name staff still use ("Tanah Mati", "Tanjung Pauh")."""

    alias = models.CharField(_("nama lain"), max_length=100)
    alias_normal = models.CharField(max_length=100, unique=True, editable=False)
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.CASCADE, null=True, blank=True, related_name="alias")
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.CASCADE, null=True, blank=True, related_name="alias")
    dasar = models.TextField(_("dasar"), blank=True)

    class Meta:
        ordering = ["alias"]
        verbose_name = _("nama lain wilayah")
        verbose_name_plural = _("nama lain wilayah")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kelurahan__isnull=False, kecamatan__isnull=True)
                    | models.Q(kelurahan__isnull=True, kecamatan__isnull=False)
                ),
                name="alias_tepat_satu_wilayah",
            )
        ]

    def __str__(self) -> str:
        return f"{self.alias} → {self.kelurahan or self.kecamatan}"

    def clean(self) -> None:
        self.alias_normal = normalisasi_nama_wilayah(self.alias)
