"""Admin import/export of PSM data (``akun.resources`` for the shared rules).

- Profil PSM: import and export, matched by the account's username (``user``). The PSM account
  itself is made by Admin in the user admin (password, role, kelurahan): an import never makes
  accounts. Saved through ``psm.services.profil_simpan`` (a PSM account, the primary kelurahan
  one of the account's, validation, history).
- Ikrar: **export only**. A version somebody has accepted is the text they agreed to and is
  never changed; the admin checks that per version, an import would not.
- Persetujuan ikrar: **export only** (made by the PSM on their pledge page: their own act).
- Kunjungan: **export only** (recorded in the field on the site; the photo is personal data
  served by a scoped view and never exported).
"""

from __future__ import annotations

from import_export import fields, widgets

from akun.models import User
from akun.resources import NomorTeksWidget, PilihanDaftarWidget, SumberDayaDasar, baca
from psm import services
from psm.models import Ikrar, Kunjungan, PersetujuanIkrar, ProfilPSM
from wilayah.resources import KelurahanWidget


class AkunWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(User, "username")

    def clean(self, value, row=None, **kwargs):
        teks = str(value).strip() if value is not None else ""
        try:
            return super().clean(teks, row, **kwargs)
        except User.DoesNotExist:
            raise ValueError(f"Akun “{teks}” tidak ditemukan; buat akun PSM-nya dulu di menu Pengguna.") from None


class ProfilPSMResource(SumberDayaDasar):
    user = fields.Field(attribute="user", column_name="user", widget=AkunWidget())
    nik = fields.Field(attribute="nik", column_name="nik", widget=NomorTeksWidget())
    kelurahan_utama = fields.Field(attribute="kelurahan_utama", column_name="kelurahan_utama", widget=KelurahanWidget())

    class Meta:
        model = ProfilPSM
        fields = (
            "user", "nik", "nama", "telepon", "nomor_sk", "tanggal_sk", "aktif_mulai", "aktif_sampai", "koordinator",
            "kelurahan_utama",
        )  # fmt: skip
        export_order = fields
        import_id_fields = ("user",)

    def simpan(self, instance, is_create):
        services.profil_simpan(profil=instance, oleh=self.user)


class IkrarResource(SumberDayaDasar):
    """Export only (see the module docstring)."""

    class Meta:
        model = Ikrar
        fields = ("versi", "judul", "teks", "berlaku_sejak", "dibuat_pada")
        export_order = fields
        import_id_fields = ("versi",)


class PersetujuanIkrarResource(SumberDayaDasar):
    """Export only (see the module docstring)."""

    user = baca("user__username", "user")
    ikrar = baca("ikrar__versi", "ikrar")

    class Meta:
        model = PersetujuanIkrar
        fields = ("user", "ikrar", "disetujui_pada")
        export_order = fields


class KunjunganResource(SumberDayaDasar):
    """Export only (see the module docstring); the photo is left out."""

    oleh = baca("oleh__username", "oleh")
    nik = baca("penduduk__nik", "nik")
    penduduk = baca("penduduk__nama", "penduduk")
    no_kk = baca("keluarga__no_kk", "no_kk")
    kasus = baca("kasus__nomor", "kasus")
    kelurahan = baca("kelurahan__nama", "kelurahan")
    kebutuhan = baca("kebutuhan", widget=PilihanDaftarWidget())

    class Meta:
        model = Kunjungan
        fields = (
            "tanggal", "oleh", "nik", "penduduk", "no_kk", "kasus", "kelurahan", "temuan", "kebutuhan",
            "perlu_tindak_lanjut", "tindak_lanjut", "dibuat_pada",
        )  # fmt: skip
        export_order = fields
