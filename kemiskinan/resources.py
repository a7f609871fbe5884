"""Admin import/export of the extreme-poverty data (``akun.resources`` for the shared rules).

- Garis kemiskinan: import and export, matched by ``berlaku_mulai`` (one line per start date).
- Target: **export only**. It has no natural key to match a row on (a second import would add a
  second target) and only one may be active; it is set once per plan through the form.
- Stays on the list, exit proposals and interventions: **export only**. They are written on the
  site through ``kemiskinan.services``: a verified exit needs a second staff user
  (maker-checker), entries check the area and the household; a spreadsheet would skip both.
"""

from __future__ import annotations

from akun.resources import SumberDayaDasar, baca
from kemiskinan.models import GarisKemiskinan, Intervensi, StatusMiskinEkstrem, Target, UsulanKeluar


class GarisKemiskinanResource(SumberDayaDasar):
    class Meta:
        model = GarisKemiskinan
        fields = ("berlaku_mulai", "rupiah_per_orang_per_bulan", "sumber")
        export_order = fields
        import_id_fields = ("berlaku_mulai",)


class TargetResource(SumberDayaDasar):
    """Export only (see the module docstring)."""

    class Meta:
        model = Target
        fields = ("nama", "dasar", "tanggal_baseline", "kk_baseline", "jiwa_baseline", "tanggal_target", "aktif")
        export_order = fields


class StatusMiskinEkstremResource(SumberDayaDasar):
    """Export only (see the module docstring)."""

    no_kk = baca("keluarga__no_kk", "no_kk")
    kelurahan = baca("keluarga__kelurahan__nama", "kelurahan")
    dicatat_oleh = baca("dicatat_oleh__username", "dicatat_oleh")
    no_kk_tujuan = baca("keluarga_tujuan__no_kk", "no_kk_tujuan")

    class Meta:
        model = StatusMiskinEkstrem
        fields = (
            "no_kk", "kelurahan", "sumber", "tanggal_masuk", "desil", "jiwa_masuk", "pengeluaran_per_kapita",
            "catatan", "dicatat_oleh", "tanggal_keluar", "alasan_keluar", "pengeluaran_keluar", "bukti_keluar",
            "no_kk_tujuan", "dibuat_pada", "diubah_pada",
        )  # fmt: skip
        export_order = fields


class UsulanKeluarResource(SumberDayaDasar):
    """Export only (see the module docstring)."""

    no_kk = baca("status_miskin__keluarga__no_kk", "no_kk")
    no_kk_tujuan = baca("keluarga_tujuan__no_kk", "no_kk_tujuan")
    diusulkan_oleh = baca("diusulkan_oleh__username", "diusulkan_oleh")
    diverifikasi_oleh = baca("diverifikasi_oleh__username", "diverifikasi_oleh")

    class Meta:
        model = UsulanKeluar
        fields = (
            "no_kk", "tanggal_keluar", "alasan", "pengeluaran_per_kapita", "bukti", "no_kk_tujuan", "keterangan",
            "status", "diusulkan_oleh", "diusulkan_pada", "diverifikasi_oleh", "diverifikasi_pada",
            "catatan_verifikasi",
        )  # fmt: skip
        export_order = fields


class IntervensiResource(SumberDayaDasar):
    """Export only (see the module docstring)."""

    no_kk = baca("keluarga__no_kk", "no_kk")
    dicatat_oleh = baca("dicatat_oleh__username", "dicatat_oleh")

    class Meta:
        model = Intervensi
        fields = (
            "no_kk", "program", "nama_program", "tanggal", "nilai", "sumber_dana", "keterangan", "dicatat_oleh",
            "dibuat_pada",
        )  # fmt: skip
        export_order = fields
