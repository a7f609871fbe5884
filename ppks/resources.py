"""Admin import/export of PPKS (``akun.resources`` for the shared rules).

- Jenis PPKS: import and export, matched by ``nomor`` (the Permensos numbering).
- PPKS: import and export. A row is one person (by NIK) with one jenis (by singkatan, e.g. LUT):
  it updates that person's registration of that jenis (the open one, else the latest), or
  registers it. Saved through ``ppks.services.ppks_simpan`` (area, PSM of the person's kelurahan,
  validation, history).
- Kasus: **export only**. Its status moves through a workflow on the site (reasons, timeline
  entries, deadlines, notifications: ``ppks.services``); rows written from a spreadsheet would
  skip all of it, and a case number is given by the service.
- Notifikasi: **export only** (made by ``check_deadlines``; an audit of who was told what).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from import_export import fields, widgets

from akun.models import User
from akun.resources import PilihanDaftarWidget, SumberDayaDasar, TerbatasFKWidget, baca
from akun.roles import Peran
from penduduk.models import Penduduk
from ppks import services
from ppks.choices import StatusPPKS
from ppks.models import PPKS, JenisPPKS, Kasus, Notifikasi


class PSMWidget(widgets.ForeignKeyWidget):
    """A PSM account by username (the service then checks the PSM's kelurahan)."""

    def __init__(self):
        super().__init__(User, "username")

    def get_queryset(self, value, row, *args, **kwargs):
        return User.objects.filter(peran=Peran.PSM)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(str(value).strip() if value is not None else value, row, **kwargs)
        except User.DoesNotExist:
            raise ValueError(f"Akun PSM “{value}” tidak ditemukan.") from None


class JenisPPKSResource(SumberDayaDasar):
    class Meta:
        model = JenisPPKS
        fields = ("nomor", "nama", "singkatan", "kelompok", "sensitif", "alias", "aktif")
        export_order = fields
        import_id_fields = ("nomor",)


class PPKSResource(SumberDayaDasar):
    nik = fields.Field(attribute="penduduk", column_name="nik", widget=TerbatasFKWidget(Penduduk, "nik"))
    nama = baca("penduduk__nama", "nama")
    jenis = fields.Field(
        attribute="jenis", column_name="jenis", widget=widgets.ForeignKeyWidget(JenisPPKS, "singkatan")
    )
    kebutuhan = fields.Field(attribute="kebutuhan", column_name="kebutuhan", widget=PilihanDaftarWidget())
    psm_pendamping = fields.Field(attribute="psm_pendamping", column_name="psm_pendamping", widget=PSMWidget())

    class Meta:
        model = PPKS
        fields = (
            "nik", "nama", "jenis", "status", "tanggal_selesai", "alasan_selesai", "kebutuhan", "kebutuhan_lain",
            "sumber", "psm_pendamping", "terdata_pada", "terakhir_dikunjungi", "catatan",
        )  # fmt: skip
        export_order = fields
        import_id_fields = ("nik", "jenis")

    def get_instance(self, instance_loader, row):
        try:
            penduduk = self.fields["nik"].clean(row)
            jenis = self.fields["jenis"].clean(row)
        except (ValueError, JenisPPKS.DoesNotExist) as exc:
            raise ValidationError(str(exc) or "Jenis PPKS tidak dikenal.") from None
        if penduduk is None or jenis is None:
            raise ValidationError("NIK dan jenis PPKS wajib diisi.")
        tutup = Case(When(status=StatusPPKS.BUKAN_PPKS, then=Value(1)), default=Value(0), output_field=IntegerField())
        return (
            self.get_queryset()
            .filter(penduduk=penduduk, jenis=jenis)
            .annotate(_tutup=tutup)
            .order_by("_tutup", "-pk")
            .first()
        )

    def simpan(self, instance, is_create):
        services.ppks_simpan(ppks=instance, oleh=self.user)


class KasusResource(SumberDayaDasar):
    """Export only (see the module docstring)."""

    kelurahan = baca("kelurahan__nama", "kelurahan")
    nik = baca("penduduk__nik", "nik")
    penduduk = baca("penduduk__nama", "penduduk")
    jenis = baca("jenis__singkatan", "jenis")
    petugas = baca("petugas__username", "petugas")
    psm = baca("psm__username", "psm")
    dibuat_oleh = baca("dibuat_oleh__username", "dibuat_oleh")

    class Meta:
        model = Kasus
        fields = (
            "nomor", "ringkasan", "uraian", "lokasi", "sumber", "urgensi", "viral", "pelapor_nama", "pelapor_kontak",
            "nik", "penduduk", "kelurahan", "jenis", "petugas", "psm", "status", "batas_respons", "direspons_pada",
            "selesai_pada", "alasan_tutup", "dibuat_oleh", "dibuat_pada", "diubah_pada",
        )  # fmt: skip
        export_order = fields
        import_id_fields = ("nomor",)


class NotifikasiResource(SumberDayaDasar):
    """Export only (see the module docstring)."""

    pengguna = baca("pengguna__username", "pengguna")
    kasus = baca("kasus__nomor", "kasus")

    class Meta:
        model = Notifikasi
        fields = ("pengguna", "kasus", "jenis", "dibuat_pada", "email_terkirim_pada", "dibaca_pada")
        export_order = fields
