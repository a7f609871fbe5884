"""``manage.py import_data FILE --type TYPE [--dry-run] [--sheet NAME] [--skip-errors]``

Prints the counts and every rejected row (row, column, message). Exit status: 0 all rows fine,
1 rows were rejected (with --skip-errors the good ones were saved; without it nothing was),
2 the file as a whole was refused (bad file, unknown or unavailable type), 3 the write failed
and was rolled back.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from akun.models import User
from impor.jenis import JENIS
from impor.layanan import JenisBelumTersedia, JenisTidakDikenal, impor_buat, impor_jalankan, periksa_jenis
from impor.models import StatusImpor


class Command(BaseCommand):
    help = "Impor berkas xlsx/xls/csv ke registri (penduduk, ppks, p3ke-keluarga, ...)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="berkas xlsx, xls atau csv")
        parser.add_argument("--type", required=True, dest="jenis", help="jenis impor: " + ", ".join(JENIS))
        parser.add_argument("--dry-run", action="store_true", help="periksa dan hitung saja; tidak menyimpan")
        parser.add_argument("--sheet", default="", help="nama lembar (bawaan: lembar pertama)")
        parser.add_argument("--skip-errors", action="store_true", help="simpan baris yang benar, laporkan sisanya")
        parser.add_argument("--user", default="", help="nama pengguna yang tercatat di riwayat (Admin/Staf)")
        parser.add_argument("--rejected-xlsx", default="", help="tulis baris yang ditolak ke berkas xlsx ini")

    def handle(self, *args, **opsi) -> None:
        path = Path(opsi["file"])
        try:
            periksa_jenis(opsi["jenis"])
        except (JenisTidakDikenal, JenisBelumTersedia) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}", returncode=2)
        oleh = None
        if opsi["user"]:
            oleh = User.objects.filter(username=opsi["user"], is_active=True).first()
            if oleh is None or not oleh.pengelola:
                raise CommandError("Pengguna tidak ada atau bukan Admin/Staf.", returncode=2)
        tugas = impor_buat(
            oleh=oleh,
            nama_berkas=path.name,
            jenis=opsi["jenis"],
            lembar=opsi["sheet"],
            uji_coba=opsi["dry_run"],
            lewati_galat=opsi["skip_errors"],
        )
        hasil = impor_jalankan(tugas=tugas, path=path, oleh=oleh)
        tulis = self.stdout.write
        if hasil is None:
            kode = 3 if tugas.status == StatusImpor.GAGAL else 2
            raise CommandError(f"{path.name}: {tugas.pesan}", returncode=kode)
        lembar = f', lembar "{hasil.lembar}"' if hasil.lembar else ""
        tulis(f"Berkas {path.name}{lembar}, judul kolom di baris {hasil.baris_kepala}; impor #{tugas.pk}.")
        tulis(
            f"Baris data: {hasil.jumlah_baris}; baru: {hasil.baru}; diubah: {hasil.diubah}; "
            f"tidak berubah: {hasil.tetap}; ditolak: {hasil.ditolak}; berperingatan: {hasil.berperingatan}."
        )
        if hasil.keluarga_baru or hasil.keluarga_diubah:
            tulis(f"Keluarga baru: {hasil.keluarga_baru}; keluarga diubah: {hasil.keluarga_diubah}.")
        if hasil.galat:
            tulis("Galat:")
            for g in hasil.galat:
                tulis(f"  baris {g.baris}, kolom {g.kolom}: {g.pesan}")
        if hasil.peringatan:
            tulis("Peringatan:")
            for p in hasil.peringatan:
                tulis(f"  baris {p.baris}, kolom {p.kolom}: {p.pesan}")
        if opsi["rejected_xlsx"] and hasil.baris_ditolak:
            from impor.laporan import tulis_baris_ditolak

            tulis_baris_ditolak(hasil, opsi["rejected_xlsx"])
            tulis(f"Baris yang ditolak ditulis ke {opsi['rejected_xlsx']}.")
        if opsi["dry_run"]:
            tulis("Uji coba: tidak ada yang disimpan.")
        elif hasil.disimpan:
            tulis("Tersimpan.")
        elif hasil.ditolak and not opsi["skip_errors"]:
            tulis("Tidak ada yang disimpan: ada baris yang ditolak (pakai --skip-errors untuk menyimpan yang benar).")
        else:
            tulis("Tidak ada perubahan untuk disimpan.")
        if hasil.ditolak:
            raise CommandError(f"{hasil.ditolak} baris ditolak.", returncode=1)
