"""Import jobs in the back office: read only, export only.

TugasImpor is the record of who imported what: an audit table, so it is never imported (an
import through the admin would also bypass impor.layanan). ``rincian`` (row errors quoting the
file's cells: personal data) and the stored file names are not exported.
"""

from __future__ import annotations

from django.contrib import admin

from akun.admin_base import PENGELOLA, Akses, RiwayatAdmin
from akun.admin_iex import EksporMixin
from akun.resources import SumberDayaDasar, baca
from impor.models import TugasImpor

TIDAK_ADA = frozenset()


class TugasImporResource(SumberDayaDasar):
    """Export only (see the module docstring)."""

    dibuat_oleh = baca("dibuat_oleh__username", "dibuat_oleh")

    class Meta:
        model = TugasImpor
        fields = (
            "id", "jenis", "nama_berkas", "lembar", "uji_coba", "lewati_galat", "status", "progres", "pesan",
            "jumlah_baris", "jumlah_baru", "jumlah_diubah", "jumlah_tetap", "jumlah_galat", "jumlah_peringatan",
            "dibuat_oleh", "dibuat_pada", "mulai_pada", "selesai_pada",
        )  # fmt: skip
        export_order = fields


@admin.register(TugasImpor)
class TugasImporAdmin(EksporMixin, RiwayatAdmin):
    akses = Akses(lihat=PENGELOLA, tambah=TIDAK_ADA, ubah=TIDAK_ADA, hapus=TIDAK_ADA)
    resource_classes = [TugasImporResource]
    list_display = [
        "dibuat_pada",
        "jenis",
        "nama_berkas",
        "status",
        "uji_coba",
        "jumlah_baris",
        "jumlah_galat",
        "dibuat_oleh",
    ]
    list_select_related = ["dibuat_oleh"]
    list_filter = ["status", "jenis", "uji_coba"]
    sortable_by = ["dibuat_pada"]
    exclude = ["rincian"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "rincian"]
