"""Admin export of complaints (``akun.resources`` for the shared rules).

**Export only.** A complaint comes from the public form and is triaged on the site through
``pengaduan.services`` (allowed transitions, a resolution note to close, the public answer,
distributions linked within the user's area); rows written from a spreadsheet would skip all of
it. The attachment is a file served by a scoped view and is not exported.
"""

from __future__ import annotations

from akun.resources import SumberDayaDasar, baca
from pengaduan.models import Pengaduan


class PengaduanResource(SumberDayaDasar):
    kelurahan = baca("kelurahan__nama", "kelurahan")
    petugas = baca("petugas__username", "petugas")
    psm = baca("psm__username", "psm")
    kasus = baca("kasus__nomor", "kasus")
    ditutup_oleh = baca("ditutup_oleh__username", "ditutup_oleh")

    class Meta:
        model = Pengaduan
        fields = (
            "kode_lacak", "kategori", "isi", "lokasi", "kelurahan", "anonim", "pelapor_nama", "pelapor_kontak",
            "status", "batas_waktu", "petugas", "psm", "kasus", "tanggapan_publik", "resolusi", "diterima_pada",
            "ditutup_pada", "ditutup_oleh", "diubah_pada",
        )  # fmt: skip
        export_order = fields
