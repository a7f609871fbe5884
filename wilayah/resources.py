"""Admin import/export of the areas (``akun.resources`` for the shared rules).

- Kecamatan: import and export, matched by ``kode`` (Kemendagri).
- Kelurahan: export; import **updates** the official figures (``jumlah_penduduk``,
  ``jumlah_kk``) and the BPS code of a kelurahan matched by ``kode``. The name, slug and
  kecamatan are read-only here, and a row with an unknown code is refused: the 76 kelurahan
  are fixed, a new one (a split) is added through the form.
- Nama lain (alias): import and export, matched by the normalised alias (what lookups use).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from import_export import fields

from akun.admin_base import batasi
from akun.resources import SumberDayaDasar, TerbatasFKWidget
from wilayah.lookup import PencariWilayah
from wilayah.models import AliasWilayah, Kecamatan, Kelurahan
from wilayah.nama import normalisasi_nama_wilayah


class KelurahanWidget(TerbatasFKWidget):
    """A kelurahan by its Kemendagri code, official name or alias (any case); exported by name."""

    def __init__(self, resource=None, **kwargs):
        super().__init__(Kelurahan, "nama", resource, **kwargs)
        self._pencari = None

    def clean(self, value, row=None, **kwargs):
        teks = str(value if value is not None else "").strip()
        if not teks:
            return None
        if self._pencari is None:
            self._pencari = PencariWilayah()
        pk = self._pencari.kelurahan_id(teks)
        user = getattr(self.resource, "user", None)
        kelurahan = batasi(Kelurahan.objects.all(), user).filter(pk=pk).first() if pk else None
        if kelurahan is None:
            raise ValueError(f"Kelurahan “{teks}” tidak dikenal (atau di luar wilayah Anda).")
        return kelurahan


class KecamatanWidget(TerbatasFKWidget):
    """A kecamatan by its code or name (any case); exported by name."""

    def __init__(self, resource=None, **kwargs):
        super().__init__(Kecamatan, "nama", resource, **kwargs)

    def clean(self, value, row=None, **kwargs):
        teks = str(value if value is not None else "").strip()
        if not teks:
            return None
        kecamatan = Kecamatan.objects.filter(kode=teks).first()
        if kecamatan is None:
            pk = PencariWilayah().kecamatan_id(teks)
            kecamatan = Kecamatan.objects.filter(pk=pk).first() if pk else None
        if kecamatan is None:
            raise ValueError(f"Kecamatan “{teks}” tidak dikenal.")
        return kecamatan


class KecamatanResource(SumberDayaDasar):
    class Meta:
        model = Kecamatan
        fields = ("kode", "nama", "kode_bps")
        import_id_fields = ("kode",)


class KelurahanResource(SumberDayaDasar):
    nama = fields.Field(attribute="nama", column_name="nama", readonly=True)
    kecamatan = fields.Field(attribute="kecamatan__nama", column_name="kecamatan", readonly=True)

    class Meta:
        model = Kelurahan
        fields = ("kode", "nama", "kecamatan", "kode_bps", "jumlah_penduduk", "jumlah_kk")
        export_order = fields
        import_id_fields = ("kode",)

    def init_instance(self, row=None):
        kode = (row or {}).get("kode")
        raise ValidationError(
            f"Kelurahan dengan kode “{kode}” tidak dikenal. Impor ini hanya memperbarui kelurahan yang ada; "
            "kelurahan baru ditambahkan lewat formulir."
        )


class AliasWilayahResource(SumberDayaDasar):
    kelurahan = fields.Field(attribute="kelurahan", column_name="kelurahan", widget=KelurahanWidget())
    kecamatan = fields.Field(attribute="kecamatan", column_name="kecamatan", widget=KecamatanWidget())

    class Meta:
        model = AliasWilayah
        fields = ("alias", "kelurahan", "kecamatan", "dasar")
        export_order = fields
        import_id_fields = ("alias",)

    def get_instance(self, instance_loader, row):
        alias = str(row.get("alias") or "").strip()
        if not alias:
            return None
        return self.get_queryset().filter(alias_normal=normalisasi_nama_wilayah(alias)).first()
