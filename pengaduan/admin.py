"""Complaints in the back office: looked up, never edited there.

Every change goes through ``pengaduan.services`` on the site (allowed transitions, a resolution
note to close, distributions linked through ``for_user``), so the admin form is read-only for
everyone. Admin may delete a complaint (spam, unlawful content; the history keeps a "deleted"
row); Staf may not. Export only (xlsx, csv, ``pengaduan.resources``); never imported.
"""

from __future__ import annotations

from django.contrib import admin

from akun.admin_base import HANYA_ADMIN, PENGELOLA, Akses, RiwayatAdmin
from akun.admin_iex import EksporMixin
from pengaduan.models import Pengaduan
from pengaduan.resources import PengaduanResource


@admin.register(Pengaduan)
class PengaduanAdmin(EksporMixin, RiwayatAdmin):
    resource_classes = [PengaduanResource]
    akses = Akses(lihat=PENGELOLA, tambah=frozenset(), ubah=frozenset(), hapus=HANYA_ADMIN)
    list_display = ["kode_lacak", "kategori", "status", "kelurahan", "diterima_pada", "batas_waktu", "petugas"]
    list_select_related = ["kelurahan", "petugas"]
    list_filter = ["status", "kategori"]
    sortable_by = ["diterima_pada", "batas_waktu"]
    search_fields = ["=kode_lacak"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + ["penyaluran"]
