"""Import and export of distributions through the back office (django-import-export), for now.

- Rows without ``id_eksternal`` are refused (they could not be matched again, so a second
  import of the same file would record them twice).
- Programme by ``kode``, household by No KK, person by NIK; every lookup goes through
  ``for_user`` of the importing user (a household outside their area is "not found", never
  attached), and rows are matched on ``id_eksternal`` within the user's rows only.
- Each row is written through ``bantuan.services.penyaluran_simpan`` (area check, validation,
  the kelurahan taken from the recipient, history, the integrity checks): row by row, about 300
  rows/s (DESIGN.md, "Known traps"); the bulk import pipeline comes with the import issue.
- Only Admin and Staf import or export (``PenyaluranAdmin.akses``, ``akun.admin_iex``).
- The shared rules (formula escaping on export, scoping, skip unchanged rows) come from
  ``akun.resources.SumberDayaDasar``; the service validates (``clean_model_instances`` is off
  here because the kelurahan is taken from the recipient by the service, after the import).
- Program: import and export, matched by ``kode`` (reference data; Admin only).
- Konfirmasi and Bendera: **export only**. A confirmation is recorded on the site with its
  receipt photo (never exported); integrity flags are made by the checks in
  ``bantuan.integritas`` and resolved on the site with a note: a spreadsheet would skip both.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from import_export import fields
from import_export.widgets import ForeignKeyWidget

from akun.resources import SumberDayaDasar, baca
from bantuan import services
from bantuan.models import Bendera, Konfirmasi, Penyaluran, Program
from penduduk.models import Keluarga, Penduduk


class TerbatasWidget(ForeignKeyWidget):
    """A foreign key looked up among the rows the importing user may see."""

    def __init__(self, model, field, resource):
        super().__init__(model, field)
        self.resource = resource

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.for_user(self.resource.user)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"{self.model._meta.verbose_name} {value} tidak ada di wilayah Anda") from None


class ProgramResource(SumberDayaDasar):
    class Meta:
        model = Program
        fields = (
            "kode",
            "nama",
            "sumber_dana",
            "bentuk",
            "nilai_standar",
            "periode",
            "kelompok",
            "aktif",
            "keterangan",
        )
        export_order = fields
        import_id_fields = ("kode",)


class PenyaluranResource(SumberDayaDasar):
    program = fields.Field(attribute="program", column_name="program", widget=ForeignKeyWidget(Program, "kode"))
    no_kk = fields.Field(attribute="keluarga", column_name="no_kk")
    nik = fields.Field(attribute="penduduk", column_name="nik")
    kelurahan = fields.Field(attribute="kelurahan__nama", column_name="kelurahan", readonly=True)

    class Meta:
        model = Penyaluran
        fields = (
            "id_eksternal",
            "program",
            "no_kk",
            "nik",
            "periode",
            "nilai",
            "tanggal",
            "saluran",
            "status",
            "alasan_gagal",
            "keterangan",
            "kelurahan",
        )
        export_order = fields
        import_id_fields = ("id_eksternal",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False  # penyaluran_simpan runs full_clean once the kelurahan is set

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self.fields["no_kk"].widget = TerbatasWidget(Keluarga, "no_kk", self)
        self.fields["nik"].widget = TerbatasWidget(Penduduk, "nik", self)

    def init_instance(self, row=None):
        # A row without an external id could never be matched again: a second import of the
        # same file would record the distribution twice.
        if not str((row or {}).get("id_eksternal") or "").strip():
            raise ValidationError(
                {"id_eksternal": "id_eksternal wajib diisi agar impor ulang tidak menggandakan data."}
            )
        return super().init_instance(row)

    def get_queryset(self):
        return Penyaluran.objects.for_user(self.user).select_related("program", "keluarga", "penduduk", "kelurahan")

    def save_instance(self, instance, is_create, row, **kwargs):
        try:
            services.penyaluran_simpan(penyaluran=instance, oleh=self.user)
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from exc


class KonfirmasiResource(SumberDayaDasar):
    """Export only (see the module docstring); the receipt photo is left out."""

    id_eksternal = baca("penyaluran__id_eksternal", "id_eksternal")
    program = baca("penyaluran__program__kode", "program")
    no_kk = baca("penyaluran__keluarga__no_kk", "no_kk")
    nik = baca("penyaluran__penduduk__nik", "nik")
    dicatat_oleh = baca("dicatat_oleh__username", "dicatat_oleh")

    class Meta:
        model = Konfirmasi
        fields = (
            "id_eksternal", "program", "no_kk", "nik", "nilai_diterima", "tanggal_terima", "nama_pengonfirmasi",
            "catatan", "dicatat_oleh", "dicatat_pada",
        )  # fmt: skip
        export_order = fields


class BenderaResource(SumberDayaDasar):
    """Export only (see the module docstring)."""

    id_eksternal = baca("penyaluran__id_eksternal", "id_eksternal")
    pendamping = baca("pendamping__username", "pendamping")
    kelurahan = baca("kelurahan__nama", "kelurahan")
    diselesaikan_oleh = baca("diselesaikan_oleh__username", "diselesaikan_oleh")

    class Meta:
        model = Bendera
        fields = (
            "jenis", "alasan", "id_eksternal", "pendamping", "kelurahan", "dibuat_pada", "diselesaikan_pada",
            "diselesaikan_oleh", "catatan_penyelesaian",
        )  # fmt: skip
        export_order = fields
