"""Assistance in the back office.

- Program: reference data as data; Admin adds and changes (and deletes one no distribution names:
  PROTECT), Staf looks up.
- Penyaluran: Admin and Staf look up, import and export (``bantuan.resources``); recorded and
  changed on the site, through ``bantuan.services`` (area, recipient's kelurahan, checks).
- Konfirmasi: read only (recorded on the site); the receipt photo is served by a scoped view only.
- Bendera: read only, never deleted by anyone; resolved on the site with a note.
- Import/export (xlsx, csv, ``bantuan.resources``): Program (Admin imports) and Penyaluran
  (Admin and Staf import, through the service); Konfirmasi and Bendera are export only.
"""

from __future__ import annotations

from django.contrib import admin

from akun.admin_base import AKSES_REFERENSI, PENGELOLA, Akses, FilterRelasiTerbatas, RiwayatAdmin
from akun.admin_iex import EksporMixin, ImporEksporMixin
from bantuan.models import Bendera, Konfirmasi, Penyaluran, Program
from bantuan.resources import BenderaResource, KonfirmasiResource, PenyaluranResource, ProgramResource

TIDAK_ADA = frozenset()
AKSES_BACA = Akses(lihat=PENGELOLA, tambah=TIDAK_ADA, ubah=TIDAK_ADA, hapus=TIDAK_ADA)


class _BacaSajaAdmin(EksporMixin, RiwayatAdmin):
    akses = AKSES_BACA

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in (self.exclude or [])]


@admin.register(Program)
class ProgramAdmin(ImporEksporMixin, RiwayatAdmin):
    akses = AKSES_REFERENSI
    resource_classes = [ProgramResource]
    list_display = ["kode", "nama", "sumber_dana", "bentuk", "nilai_standar", "periode", "kelompok", "aktif"]
    list_filter = ["aktif", "sumber_dana", "bentuk", "kelompok"]
    search_fields = ["kode", "nama"]
    fields = ["kode", "nama", "sumber_dana", "bentuk", "nilai_standar", "periode", "kelompok", "aktif", "keterangan"]


@admin.register(Penyaluran)
class PenyaluranAdmin(ImporEksporMixin, _BacaSajaAdmin):
    # The form is read-only (writes go through bantuan.services); the import writes through the
    # same service, so Admin and Staf import.
    akses = Akses(lihat=PENGELOLA, tambah=TIDAK_ADA, ubah=TIDAK_ADA, hapus=TIDAK_ADA, impor=PENGELOLA)
    resource_classes = [PenyaluranResource]
    list_display = ["__str__", "kelurahan", "status", "tanggal", "pendamping"]
    list_select_related = ["program", "kelurahan", "pendamping"]
    sortable_by = ["status", "tanggal"]  # no join in an ORDER BY
    list_filter = ["status", ("program", FilterRelasiTerbatas), ("kelurahan", FilterRelasiTerbatas)]
    raw_id_fields = ["keluarga", "penduduk"]


@admin.register(Konfirmasi)
class KonfirmasiAdmin(_BacaSajaAdmin):
    resource_classes = [KonfirmasiResource]
    exclude = ["foto_bukti"]
    list_display = ["penyaluran", "nilai_diterima", "tanggal_terima", "dicatat_oleh"]
    list_select_related = ["penyaluran__program", "dicatat_oleh"]
    sortable_by = ["tanggal_terima"]


@admin.register(Bendera)
class BenderaAdmin(_BacaSajaAdmin):
    resource_classes = [BenderaResource]
    list_display = ["__str__", "jenis", "kelurahan", "dibuat_pada", "diselesaikan_pada"]
    list_select_related = ["kelurahan"]
    sortable_by = ["dibuat_pada", "diselesaikan_pada"]
    list_filter = ["jenis", ("kelurahan", FilterRelasiTerbatas)]
