"""Import and export of distributions through the back office (django-import-export), for now.

- Programme by ``kode``, household by No KK, person by NIK; every lookup goes through
  ``for_user`` of the importing user (a household outside their area is "not found", never
  attached), and rows are matched on ``id_eksternal`` within the user's rows only.
- Each row is written through ``bantuan.services.penyaluran_simpan`` (area check, validation,
  the kelurahan taken from the recipient, history, the integrity checks): row by row, about 300
  rows/s (DESIGN.md, "Known traps"); the bulk import pipeline comes with the import issue.
- Only Admin and Staf import or export (``PenyaluranAdmin.has_import_permission``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from bantuan import services
from bantuan.models import Penyaluran, Program
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


class PenyaluranResource(resources.ModelResource):
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

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.fields["no_kk"].widget = TerbatasWidget(Keluarga, "no_kk", self)
        self.fields["nik"].widget = TerbatasWidget(Penduduk, "nik", self)

    def get_queryset(self):
        return Penyaluran.objects.for_user(self.user).select_related("program", "keluarga", "penduduk", "kelurahan")

    def save_instance(self, instance, is_create, row, **kwargs):
        try:
            services.penyaluran_simpan(penyaluran=instance, oleh=self.user)
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from exc
