"""Extreme poverty in the back office.

- Target and GarisKemiskinan: settings (the target date and the line are data). Admin adds and
  changes them; Staf looks them up. One active target at a time (a database constraint).
- Stays on the list, exit proposals and interventions: Admin and Staf look them up here; they are
  written only on the site, through ``kemiskinan.services``, so no admin form can skip the
  maker-checker rule (a different staff user verifies every exit) or the area checks.
- Import/export (xlsx, csv, ``kemiskinan.resources``): the poverty line is imported by Admin;
  everything else is export only, for the same reasons.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from akun.admin_base import HANYA_ADMIN, PENGELOLA, Akses, FilterRelasiTerbatas, RiwayatAdmin
from akun.admin_iex import EksporMixin, ImporEksporMixin
from kemiskinan.models import GarisKemiskinan, Intervensi, StatusMiskinEkstrem, Target, UsulanKeluar
from kemiskinan.resources import (
    GarisKemiskinanResource,
    IntervensiResource,
    StatusMiskinEkstremResource,
    TargetResource,
    UsulanKeluarResource,
)

TIDAK_ADA = frozenset()
AKSES_PENGATURAN = Akses(lihat=PENGELOLA, tambah=HANYA_ADMIN, ubah=HANYA_ADMIN, hapus=HANYA_ADMIN)
AKSES_BACA = Akses(lihat=PENGELOLA, tambah=TIDAK_ADA, ubah=TIDAK_ADA, hapus=TIDAK_ADA)


@admin.register(Target)
class TargetAdmin(EksporMixin, RiwayatAdmin):
    akses = AKSES_PENGATURAN
    resource_classes = [TargetResource]
    list_display = ["nama", "tanggal_baseline", "kk_baseline", "jiwa_baseline", "tanggal_target", "aktif"]
    list_filter = ["aktif"]
    fields = ["nama", "dasar", "tanggal_baseline", "kk_baseline", "jiwa_baseline", "tanggal_target", "aktif"]


@admin.register(GarisKemiskinan)
class GarisKemiskinanAdmin(ImporEksporMixin, RiwayatAdmin):
    akses = AKSES_PENGATURAN
    resource_classes = [GarisKemiskinanResource]
    list_display = ["berlaku_mulai", "rupiah_per_orang_per_bulan", "sumber"]
    fields = ["rupiah_per_orang_per_bulan", "berlaku_mulai", "sumber"]


class _BacaSajaAdmin(EksporMixin, RiwayatAdmin):
    akses = AKSES_BACA

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


@admin.register(StatusMiskinEkstrem)
class StatusMiskinEkstremAdmin(_BacaSajaAdmin):
    resource_classes = [StatusMiskinEkstremResource]
    list_display = ["keluarga", "kelurahan", "tanggal_masuk", "sumber", "jiwa_masuk", "tanggal_keluar", "alasan_keluar"]
    list_select_related = ["keluarga__kelurahan"]
    sortable_by = ["tanggal_masuk", "tanggal_keluar", "jiwa_masuk"]  # no join in an ORDER BY
    list_filter = ["sumber", "alasan_keluar", ("keluarga__kelurahan", FilterRelasiTerbatas)]

    @admin.display(description=_("kelurahan"))
    def kelurahan(self, obj: StatusMiskinEkstrem):
        return obj.keluarga.kelurahan


@admin.register(UsulanKeluar)
class UsulanKeluarAdmin(_BacaSajaAdmin):
    resource_classes = [UsulanKeluarResource]
    list_display = ["status_miskin", "alasan", "tanggal_keluar", "status", "diusulkan_oleh", "diverifikasi_oleh"]
    list_select_related = ["status_miskin", "diusulkan_oleh", "diverifikasi_oleh"]
    sortable_by = ["tanggal_keluar", "status"]
    list_filter = ["status", "alasan"]


@admin.register(Intervensi)
class IntervensiAdmin(_BacaSajaAdmin):
    resource_classes = [IntervensiResource]
    list_display = ["keluarga", "program", "nama_program", "tanggal", "nilai", "sumber_dana"]
    list_select_related = ["keluarga"]
    sortable_by = ["tanggal", "program"]
    list_filter = ["program", "sumber_dana"]
