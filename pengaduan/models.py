"""Public complaints: filed without login, followed by a tracking code, triaged by staff.

Not scoped by ``for_user`` for a PSM: a PSM never sees complaints (they may be about the PSM);
the permission map keeps PSM out of every complaint URL and ``PengaduanQuerySet.for_user``
answers nothing for them as a second wall.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pengaduan.choices import STATUS_TERBUKA, JenisPermintaan, Kategori, StatusPengaduan
from psm.foto import penyimpanan_foto

_PENGGUNA = settings.AUTH_USER_MODEL


class PengaduanQuerySet(models.QuerySet):
    def for_user(self, user) -> PengaduanQuerySet:
        if user is None or not user.is_authenticated or not user.is_active or not user.lihat_sekota:
            return self.none()
        return self

    def terbuka(self) -> PengaduanQuerySet:
        return self.filter(status__in=STATUS_TERBUKA)

    def terlambat(self, sekarang=None) -> PengaduanQuerySet:
        return self.terbuka().filter(batas_waktu__lt=sekarang or timezone.now())


class Pengaduan(models.Model):
    kode_lacak = models.CharField(_("kode lacak"), max_length=20, unique=True, editable=False)
    kategori = models.CharField(_("kategori"), max_length=14, choices=Kategori.choices)
    isi = models.TextField(_("isi pengaduan"))
    lokasi = models.CharField(_("lokasi/alamat"), max_length=255, blank=True)
    kelurahan = models.ForeignKey(
        "wilayah.Kelurahan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pengaduan",
        verbose_name=_("kelurahan"),
    )
    anonim = models.BooleanField(_("tanpa nama"), default=False)
    pelapor_nama = models.CharField(_("nama pelapor"), max_length=120, blank=True)
    pelapor_kontak = models.CharField(_("kontak pelapor"), max_length=60, blank=True)
    lampiran = models.FileField(_("lampiran"), upload_to="pengaduan/%Y/%m/", storage=penyimpanan_foto, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=StatusPengaduan.choices, default=StatusPengaduan.BARU)
    batas_waktu = models.DateTimeField(_("batas waktu penanganan"))
    petugas = models.ForeignKey(
        _PENGGUNA,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pengaduan_ditangani",
        verbose_name=_("petugas"),
    )
    penyaluran = models.ManyToManyField(
        "bantuan.Penyaluran", blank=True, related_name="pengaduan", verbose_name=_("penyaluran terkait")
    )
    psm = models.ForeignKey(
        _PENGGUNA,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pengaduan_tentang",
        verbose_name=_("PSM terkait"),
        limit_choices_to={"peran": "psm"},
    )
    kasus = models.ForeignKey(
        "ppks.Kasus",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pengaduan",
        verbose_name=_("kasus"),
    )
    tanggapan_publik = models.TextField(
        _("tanggapan untuk pelapor"), blank=True, help_text=_("Tampil pada halaman lacak; jangan memuat data pribadi.")
    )
    resolusi = models.TextField(_("catatan penyelesaian"), blank=True)
    diterima_pada = models.DateTimeField(_("diterima pada"), default=timezone.now)
    ditutup_pada = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    ditutup_oleh = models.ForeignKey(
        _PENGGUNA,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pengaduan_ditutup",
        verbose_name=_("ditutup oleh"),
    )
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[penyaluran])
    objects = PengaduanQuerySet.as_manager()

    class Meta:
        ordering = ["-diterima_pada", "-id"]
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=STATUS_TERBUKA) | ~models.Q(resolusi=""),
                name="pengaduan_tutup_bercatatan",
                violation_error_message=_("Pengaduan ditutup dengan catatan penyelesaian."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "batas_waktu"], name="pengaduan_status_idx"),
            models.Index(fields=["-diterima_pada", "-id"], name="pengaduan_urut_idx"),
            models.Index(fields=["kategori", "status"], name="pengaduan_kategori_idx"),
            models.Index(fields=["kelurahan", "status"], name="pengaduan_kel_idx"),
        ]

    def __str__(self) -> str:
        return self.kode_lacak

    def get_absolute_url(self) -> str:
        return reverse("pengaduan:detail", args=[self.pk])

    @property
    def terbuka(self) -> bool:
        return self.status in STATUS_TERBUKA

    @property
    def terlambat(self) -> bool:
        return self.terbuka and self.batas_waktu < timezone.now()


class PermintaanPublik(models.Model):
    """One rate-limited public request (a complaint filed, a tracking lookup), for the limits in
    ``pengaduan.pembatasan``.

    In the database, not in Django's cache: the cache is a LocMemCache per gunicorn worker (not
    shared between workers or machines), so a limit there would be multiplied by the number of
    workers. The client address is never stored: ``kunci`` is an HMAC of it keyed with SECRET_KEY,
    enough to count requests from one address and useless for finding out who filed a complaint.
    Rows older than the window are deleted as new ones come in.
    """

    jenis = models.CharField(max_length=5, choices=JenisPermintaan.choices)
    kunci = models.CharField(max_length=64)
    waktu = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("permintaan publik")
        verbose_name_plural = _("permintaan publik")
        indexes = [
            models.Index(fields=["jenis", "kunci", "waktu"], name="pengaduan_batas_idx"),
            models.Index(fields=["waktu"], name="pengaduan_batas_waktu_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.jenis} {self.waktu:%Y-%m-%d %H:%M}"
