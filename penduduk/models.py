from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from akun.daftar import HasilBertingkat
from akun.scoping import ScopedQuerySet
from akun.versi import Berversi
from penduduk.choices import Disabilitas, Hubungan, JenisKelamin, Pendidikan, StatusPenduduk
from penduduk.names import normalisasi_nama
from penduduk.nik import normalisasi, periksa_nik, validate_nik, validate_no_kk
from penduduk.umur import umur_pada

models.CharField.register_lookup(Length)

_rt_rw = {"max_length": 3, "blank": True}
LAHIR_PALING_AWAL = dt.date(1900, 1, 1)


class KeluargaQuerySet(ScopedQuerySet):
    pass


def ringkas_keluarga(daftar: Iterable[Keluarga], user) -> None:
    """Set ``nama_kepala`` and ``jumlah_anggota`` on the households of one page, in one query.

    The members counted and named are those the viewer may see (``for_user``): a PSM is never
    told the name of a head who lives outside their area, and the count matches the members the
    household page shows them. Only the rows on the page are summarised, never the whole list.
    """
    daftar = list(daftar)
    if not daftar:
        return
    ringkasan = {
        baris["keluarga_id"]: baris
        for baris in Penduduk.objects.for_user(user)
        .filter(keluarga_id__in=[k.pk for k in daftar])
        .order_by()
        .values("keluarga_id")
        .annotate(n=models.Count("*"), kepala=models.Max("nama", filter=models.Q(hubungan=Hubungan.KEPALA)))
    }
    for k in daftar:
        baris = ringkasan.get(k.pk, {})
        k.nama_kepala = baris.get("kepala")
        k.jumlah_anggota = baris.get("n", 0)


class Keluarga(Berversi):
    """A household. Our own id is the key: the Nomor KK changes (pecah KK, moving, death)."""

    no_kk = models.CharField(
        _("nomor KK"),
        max_length=16,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_no_kk],
        help_text=_("16 digit. Nomor KK bisa berubah; riwayatnya tersimpan."),
    )
    kelurahan = models.ForeignKey(
        "wilayah.Kelurahan", on_delete=models.PROTECT, related_name="keluarga", verbose_name=_("kelurahan")
    )
    alamat = models.CharField(_("alamat"), max_length=255, blank=True)
    rt = models.CharField(_("RT"), **_rt_rw)
    rw = models.CharField(_("RW"), **_rt_rw)
    id_keluarga_p3ke = models.CharField(_("ID keluarga P3KE"), max_length=40, null=True, blank=True, unique=True)
    id_keluarga_dtsen = models.CharField(_("ID keluarga DTSEN"), max_length=40, null=True, blank=True, unique=True)
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["versi"])  # versi: akun/versi.py
    objects = KeluargaQuerySet.as_manager()
    scope_kelurahan_field = "kelurahan"

    class Meta:
        # Kelurahan ids follow their Kemendagri codes (data migration); a join to sort by the code
        # would sort the whole table on every page.
        ordering = ["kelurahan", "alamat", "id"]
        verbose_name = _("keluarga")
        verbose_name_plural = _("keluarga")
        indexes = [models.Index(fields=["kelurahan", "alamat", "id"], name="keluarga_urutan_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(no_kk__isnull=True) | models.Q(no_kk__length=16),
                name="keluarga_no_kk_16_digit",
            )
        ]

    def __str__(self) -> str:
        return self.no_kk or _("Keluarga #%(id)s") % {"id": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("penduduk:keluarga-detail", args=[self.pk])

    @property
    def kepala(self) -> Penduduk | None:
        return next((a for a in self.anggota.all() if a.hubungan == Hubungan.KEPALA), None)


def cari_nomor(teks: str) -> str | None:
    """The digits of a NIK/No KK search ("'1376 0115-0685", as the NIK field accepts), or None
    when the text is a name."""
    nomor = normalisasi(teks)
    return nomor if len(nomor) >= 4 and nomor.isascii() and nomor.isdigit() else None


# A name search counts its matches up to here; past it the list says "more than" and asks to narrow.
BATAS_HASIL_CARI = 1000


def _batas_atas(awalan: str) -> str | None:
    """The smallest string above every string that starts with ``awalan`` ('siti' -> 'sitj'),
    for a normalised name (a-z, 0-9, space); None where the last character has no simple next."""
    akhir = awalan[-1]
    if "a" <= akhir < "z" or "0" <= akhir < "9":
        return awalan[:-1] + chr(ord(akhir) + 1)
    return None


class PendudukQuerySet(ScopedQuerySet):
    def cari(self, teks: str, *, boleh_nomor: bool = True) -> PendudukQuerySet:
        """Search by NIK (prefix of 4+ digits, typed any way the NIK field accepts) or by name
        (a part of the normalised name), as one filter.

        ``boleh_nomor=False`` (roles that see NIKs masked): a number finds nothing, so that no
        search confirms a guess of the hidden digits; the filter form says why.
        """
        teks = (teks or "").strip()
        if not teks:
            return self
        nomor = cari_nomor(teks)
        if nomor is not None:
            return self.filter(nik__startswith=nomor) if boleh_nomor else self.none()
        nama = normalisasi_nama(teks)
        return self.filter(nama_normal__contains=nama) if nama else self.none()

    def cari_berurut(self, teks: str, *, boleh_nomor: bool = True) -> PendudukQuerySet | HasilBertingkat:
        """``cari`` for a list: names that start with the text first, then the other matches,
        each part in list order (nama_normal, id) and read through its own index.

        The prefix part also gets an explicit range on ``nama_normal``: PostgreSQL turns
        ``LIKE 'siti%'`` into an index range by itself only under the C collation.
        """
        nama = normalisasi_nama(teks or "")
        if not nama or cari_nomor(teks) is not None:
            return self.cari(teks, boleh_nomor=boleh_nomor)
        awal = self.filter(nama_normal__startswith=nama)
        batas = _batas_atas(nama)
        if batas is not None:
            awal = awal.filter(nama_normal__gte=nama, nama_normal__lt=batas)
        lain = self.filter(nama_normal__contains=nama).exclude(nama_normal__startswith=nama)
        return HasilBertingkat(awal, lain, batas=BATAS_HASIL_CARI)

    def kemungkinan_ganda(self, *, nama: str, tanggal_lahir, kecuali_pk=None) -> PendudukQuerySet:
        """People with the same normalised name and birth date (possible duplicates)."""
        qs = self.filter(nama_normal=normalisasi_nama(nama), tanggal_lahir=tanggal_lahir)
        return qs.exclude(pk=kecuali_pk) if kecuali_pk else qs


class Penduduk(Berversi):
    """A person. One registry for every programme: a PPKS and a household member are one row."""

    nik = models.CharField(
        _("NIK"),
        max_length=16,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_nik],
        help_text=_("16 digit. Kosongkan bila tidak punya (mis. gelandangan tanpa KTP)."),
    )
    nama = models.CharField(_("nama lengkap"), max_length=150)
    nama_normal = models.CharField(max_length=150, editable=False)
    jenis_kelamin = models.CharField(_("jenis kelamin"), max_length=1, choices=JenisKelamin.choices, blank=True)
    tempat_lahir = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    tanggal_lahir = models.DateField(_("tanggal lahir"), null=True, blank=True)
    keluarga = models.ForeignKey(
        Keluarga,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="anggota",
        verbose_name=_("keluarga"),
    )
    hubungan = models.CharField(_("hubungan dalam keluarga"), max_length=20, choices=Hubungan.choices, blank=True)
    kelurahan = models.ForeignKey(
        "wilayah.Kelurahan",
        on_delete=models.PROTECT,
        related_name="penduduk",
        verbose_name=_("kelurahan domisili"),
    )
    alamat = models.CharField(_("alamat domisili"), max_length=255, blank=True)
    rt = models.CharField(_("RT"), **_rt_rw)
    rw = models.CharField(_("RW"), **_rt_rw)
    telepon = models.CharField(_("telepon"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=StatusPenduduk.choices, default=StatusPenduduk.HIDUP)
    pekerjaan = models.CharField(_("pekerjaan"), max_length=100, blank=True)
    pendidikan = models.CharField(_("pendidikan"), max_length=20, choices=Pendidikan.choices, blank=True)
    disabilitas = models.CharField(
        _("disabilitas"), max_length=12, choices=Disabilitas.choices, blank=True, default=Disabilitas.TIDAK
    )
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["versi"])  # versi: akun/versi.py
    objects = PendudukQuerySet.as_manager()
    scope_kelurahan_field = "kelurahan"

    class Meta:
        # Sorted by the normalised name ("Hj. Siti" under S, any case), then id: a total order that
        # an index serves, for the city-wide list and per kelurahan.
        ordering = ["nama_normal", "id"]
        verbose_name = _("penduduk")
        verbose_name_plural = _("penduduk")
        indexes = [
            models.Index(fields=["nama_normal", "tanggal_lahir"], name="penduduk_nama_tgl_idx"),
            models.Index(fields=["nama_normal", "id"], name="penduduk_urutan_idx"),
            models.Index(fields=["kelurahan", "nama_normal", "id"], name="penduduk_kel_urutan_idx"),
            models.Index(fields=["diubah_pada"], name="penduduk_diubah_idx"),
            models.Index(fields=["kelurahan", "diubah_pada"], name="penduduk_kel_diubah_idx"),
            # Home page counts: the living per kelurahan, and those without NIK.
            models.Index(fields=["kelurahan"], condition=models.Q(status="hidup"), name="penduduk_kel_hidup_idx"),
            models.Index(
                fields=["kelurahan"],
                condition=models.Q(status="hidup", nik__isnull=True),
                name="penduduk_kel_tanpa_nik_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nik__isnull=True) | models.Q(nik__length=16),
                name="penduduk_nik_16_digit",
            ),
            models.CheckConstraint(
                condition=models.Q(keluarga__isnull=False) | models.Q(hubungan=""),
                name="penduduk_hubungan_butuh_keluarga",
            ),
            models.UniqueConstraint(
                fields=["keluarga"],
                condition=models.Q(hubungan=Hubungan.KEPALA),
                name="satu_kepala_per_keluarga",
                violation_error_message=_("Keluarga ini sudah memiliki kepala keluarga."),
            ),
        ]

    def __str__(self) -> str:
        return self.nama

    def get_absolute_url(self) -> str:
        return reverse("penduduk:detail", args=[self.pk])

    def clean(self) -> None:
        """Derive what the NIK and name give, so forms, admin and imports agree."""
        self.nama = " ".join((self.nama or "").split())
        self.nama_normal = normalisasi_nama(self.nama)
        if not self.nik:
            self.nik = None
        else:
            info = periksa_nik(self.nik).info
            if info is not None:
                self.tanggal_lahir = self.tanggal_lahir or info.tanggal_lahir
                self.jenis_kelamin = self.jenis_kelamin or info.jenis_kelamin
        galat = {}
        if self.nama and not any(huruf.isalpha() for huruf in self.nama):
            galat["nama"] = _("Nama harus memuat huruf.")
        if self.tanggal_lahir and self.tanggal_lahir > timezone.localdate():
            galat["tanggal_lahir"] = _("Tanggal lahir tidak boleh di masa depan.")
        elif self.tanggal_lahir and self.tanggal_lahir < LAHIR_PALING_AWAL:
            galat["tanggal_lahir"] = _("Tanggal lahir sebelum tahun 1900 tidak mungkin; periksa lagi.")
        if galat:
            raise ValidationError(galat)

    @property
    def umur(self) -> int | None:
        return umur_pada(self.tanggal_lahir) if self.tanggal_lahir else None
