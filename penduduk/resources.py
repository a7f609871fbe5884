"""Admin import/export of the registry (``akun.resources`` for the shared rules).

- Penduduk: matched by NIK (a row without a NIK is refused: it could not be matched again, so a
  second import would duplicate the person; people without a NIK are added through the form).
  Household by No KK, kelurahan by code, name or alias, all among what the importing user may
  see. Saved through ``penduduk.services.penduduk_simpan`` (area checks, validation, history).
- Keluarga: matched by No KK; saved through ``keluarga_simpan``. Members are imported as
  Penduduk rows with a ``no_kk`` column.
- NIK and No KK are exported as text (an xlsx keeps the 16 digits).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from import_export import fields

from akun.resources import NomorTeksWidget, SumberDayaDasar, TeksNullWidget, TerbatasFKWidget
from penduduk.models import Keluarga, Penduduk
from penduduk.services import keluarga_simpan, penduduk_simpan
from wilayah.resources import KelurahanWidget


class PendudukResource(SumberDayaDasar):
    nik = fields.Field(attribute="nik", column_name="nik", widget=NomorTeksWidget())
    no_kk = fields.Field(attribute="keluarga", column_name="no_kk", widget=TerbatasFKWidget(Keluarga, "no_kk"))
    kelurahan = fields.Field(attribute="kelurahan", column_name="kelurahan", widget=KelurahanWidget())

    class Meta:
        model = Penduduk
        fields = (
            "nik", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "no_kk", "hubungan", "kelurahan",
            "alamat", "rt", "rw", "telepon", "status", "pekerjaan", "pendidikan", "disabilitas",
        )  # fmt: skip
        export_order = fields
        import_id_fields = ("nik",)

    def init_instance(self, row=None):
        nik = NomorTeksWidget().clean((row or {}).get("nik"))
        if not nik:
            raise ValidationError(
                {"nik": "NIK wajib diisi untuk impor lewat back office (penduduk tanpa NIK: formulir)."}
            )
        return super().init_instance(row)

    def simpan(self, instance, is_create):
        penduduk_simpan(penduduk=instance, oleh=self.user)


class KeluargaResource(SumberDayaDasar):
    no_kk = fields.Field(attribute="no_kk", column_name="no_kk", widget=NomorTeksWidget())
    kelurahan = fields.Field(attribute="kelurahan", column_name="kelurahan", widget=KelurahanWidget())
    id_keluarga_p3ke = fields.Field(
        attribute="id_keluarga_p3ke", column_name="id_keluarga_p3ke", widget=TeksNullWidget()
    )
    id_keluarga_dtsen = fields.Field(
        attribute="id_keluarga_dtsen", column_name="id_keluarga_dtsen", widget=TeksNullWidget()
    )

    class Meta:
        model = Keluarga
        fields = ("no_kk", "kelurahan", "alamat", "rt", "rw", "id_keluarga_p3ke", "id_keluarga_dtsen")
        export_order = fields
        import_id_fields = ("no_kk",)

    def init_instance(self, row=None):
        if not NomorTeksWidget().clean((row or {}).get("no_kk")):
            raise ValidationError({"no_kk": "Nomor KK wajib diisi untuk impor lewat back office."})
        return super().init_instance(row)

    def simpan(self, instance, is_create):
        keluarga_simpan(keluarga=instance, oleh=self.user)
