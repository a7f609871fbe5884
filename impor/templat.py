"""Blank import templates: one xlsx per import type, with the expected header, an example row and
a "Petunjuk" sheet (each column, required or not, accepted formats, the other names recognised).

``templat_xlsx(kode)`` returns the bytes of the workbook; the web page serves it as a download.
NIK, No KK and ID columns are formatted as text ('@') so that Excel keeps all 16 digits.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from impor.jenis import JENIS

TEKS = "@"
_NIK = "Teks 16 angka (kolom ini sudah berformat teks). Boleh diawali apostrof atau berspasi."
_KK = "Teks 16 angka (kolom ini sudah berformat teks)."
_TGL = "Tanggal Excel, dd/mm/yyyy, dd-mm-yyyy, yyyy-mm-dd atau “12 Agustus 1975”."
_KEL = "Nama kelurahan (boleh nama lama, huruf besar/kecil, awalan “Kel.”) atau kode Kemendagri."
_JK = "L/P, Laki-laki/Perempuan, atau 1/2."
_ANGKA = "Bilangan bulat; titik ribuan boleh (1.234)."


@dataclass(frozen=True)
class Kolom:
    medan: str
    judul: str
    wajib: str  # "Ya", "Tidak", or when
    format: str
    contoh: object
    teks: bool = False


NIK_CONTOH = "1376011208750001"
KK_CONTOH = "1376010403190011"

KOLOM: dict[str, list[Kolom]] = {
    "penduduk": [
        Kolom("nik", "NIK", "Ya", _NIK, NIK_CONTOH, True),
        Kolom("no_kk", "NO KK", "Tidak (tanpa No KK: penduduk tanpa keluarga)", _KK, KK_CONTOH, True),
        Kolom("nama", "NAMA", "Ya", "Teks, paling banyak 150 karakter.", "Bujang Sutan"),
        Kolom("tanggal_lahir", "TANGGAL LAHIR", "Tidak (diambil dari NIK bila kosong)", _TGL, "12/08/1975"),
        Kolom("tempat_lahir", "TEMPAT LAHIR", "Tidak", "Teks.", "Payakumbuh"),
        Kolom("jenis_kelamin", "JENIS KELAMIN", "Tidak (diambil dari NIK bila kosong)", _JK, "L"),
        Kolom("kelurahan", "KELURAHAN", "Ya", _KEL, "Tanjuang Pauh"),
        Kolom("alamat", "ALAMAT", "Tidak", "Teks.", "Jl. Sudirman No. 5"),
        Kolom("rt", "RT", "Tidak", "Angka, paling banyak 3 digit.", "001", True),
        Kolom("rw", "RW", "Tidak", "Angka, paling banyak 3 digit.", "002", True),
        Kolom("pekerjaan", "PEKERJAAN", "Tidak", "Teks.", "Pedagang"),
        Kolom(
            "hubungan", "HUB KELUARGA", "Tidak", "Kepala keluarga, Istri, Anak, ... atau kode 1-8.", "Kepala Keluarga"
        ),
    ],
    "ppks": [
        Kolom("nik", "NIK", "Ya", _NIK, NIK_CONTOH, True),
        Kolom(
            "jenis",
            "JENIS PPKS",
            "Ya, kecuali baris judul di atas tabel menyebut satu jenis",
            "Nama jenis PPKS, singkatan (LUT, PD, ABH, ...) atau nama lain yang dikenal (“Lansia Terlantar”).",
            "Lanjut Usia Telantar",
        ),
        Kolom("nama", "NAMA", "Ya bila NIK belum ada di registri", "Teks.", "Bujang Sutan"),
        Kolom("kelurahan", "KELURAHAN", "Ya bila NIK belum ada di registri", _KEL, "Tanjuang Pauh"),
        Kolom("tanggal_lahir", "TANGGAL LAHIR", "Tidak", _TGL, "12/08/1975"),
        Kolom("jenis_kelamin", "JENIS KELAMIN", "Tidak", _JK, "L"),
        Kolom("alamat", "ALAMAT", "Tidak", "Teks.", "Jl. Sudirman No. 5"),
        Kolom("status", "STATUS", "Tidak (baru: aktif)", "Aktif, Dalam penanganan, Tertangani.", "Aktif"),
        Kolom("sumber", "SUMBER DATA", "Tidak", "DTKS, PSM, Laporan, Instansi.", "PSM"),
        Kolom("terdata_pada", "TANGGAL TERDATA", "Tidak (baru: hari impor)", _TGL, "01/03/2024"),
        Kolom("catatan", "CATATAN", "Tidak", "Teks.", ""),
    ],
    "p3ke-keluarga": [
        Kolom("id_p3ke", "id_keluarga_P3KE", "Ya", "Teks (ID keluarga dari P3KE).", "P3KE-1376-000123", True),
        Kolom("kelurahan", "desa_kelurahan", "Ya", _KEL, "Tanjuang Pauh"),
        Kolom("desil", "desil_kesejahteraan", "Tidak", "Angka 1-10. Desil 1 diusulkan masuk daftar miskin ekstrem.", 1),
        Kolom("alamat", "alamat", "Tidak", "Teks.", "Jl. Soekarno Hatta"),
        Kolom("nama", "kepala_keluarga", "Ya bila NIK belum ada di registri", "Teks.", "Bujang Sutan"),
        Kolom("nik", "nik", "Ya", _NIK, NIK_CONTOH, True),
        Kolom("no_kk", "no_kk", "Tidak", _KK, "", True),
        Kolom("jenis_kelamin", "jenis_kelamin", "Tidak", _JK, "Laki-laki"),
        Kolom("tanggal_lahir", "tanggal_lahir", "Tidak", _TGL, "12/08/1975"),
        Kolom("pekerjaan", "pekerjaan", "Tidak", "Teks.", "Buruh"),
    ],
    "p3ke-individu": [
        Kolom("id_p3ke", "id_keluarga_p3ke", "Ya", "Teks (ID keluarga dari P3KE).", "P3KE-1376-000123", True),
        Kolom("id_individu", "id_individu", "Tidak (tidak disimpan)", "Teks.", "P3KE-I-1", True),
        Kolom("kelurahan", "kode_kemendagri", "Ya", _KEL, "13.76.01.1013"),
        Kolom("desil", "desil_kesejahteraan", "Tidak", "Angka 1-10. Desil 1 diusulkan masuk daftar miskin ekstrem.", 1),
        Kolom("alamat", "alamat", "Tidak", "Teks.", "Jl. Soekarno Hatta"),
        Kolom("nama", "nama_lengkap", "Ya", "Teks.", "Bujang Sutan"),
        Kolom("nik", "nik", "Ya", _NIK, NIK_CONTOH, True),
        Kolom("jenis_kelamin", "jenis_kelamin", "Tidak", _JK, "L"),
        Kolom(
            "hubungan",
            "hubungan_dengan_kepala_keluarga",
            "Tidak (kosong: lainnya)",
            "Kepala keluarga, Istri, Anak, ...",
            "Kepala Keluarga",
        ),
        Kolom("tanggal_lahir", "tanggal_lahir", "Tidak", _TGL, "12/08/1975"),
        Kolom("pekerjaan", "pekerjaan", "Tidak", "Teks.", "Buruh"),
    ],
    "penyaluran": [
        Kolom(
            "id_eksternal",
            "ID EKSTERNAL",
            "Tidak (tanpa ID: dicocokkan menurut program, penerima, periode)",
            "Teks, paling banyak 64 karakter.",
            "SALUR-2024-0001",
            True,
        ),
        Kolom("program", "PROGRAM", "Ya", "Kode program (PKH, BPNT, ...) atau namanya.", "PKH"),
        Kolom("nik", "NIK", "NIK atau No KK", _NIK + " Penerima perorangan.", NIK_CONTOH, True),
        Kolom("no_kk", "NO KK", "NIK atau No KK", _KK + " Keluarga penerima.", "", True),
        Kolom(
            "periode",
            "PERIODE",
            "Ya bila tanggal kosong",
            "Bulan (03/2024, 2024-03, Maret 2024) atau tanggal; digeser ke awal periode program.",
            "03/2024",
        ),
        Kolom("nilai", "NILAI", "Ya", "Rupiah, bilangan bulat (750000, 750.000, Rp 750.000).", 750000),
        Kolom("tanggal", "TANGGAL SALUR", "Ya bila status disalurkan", _TGL, "15/03/2024"),
        Kolom("saluran", "SALURAN", "Ya untuk penyaluran baru", "Bank/KKS, Pos, Langsung, E-warong.", "Bank/KKS"),
        Kolom(
            "status",
            "STATUS",
            "Tidak (ada tanggal: disalurkan; tanpa: direncanakan)",
            "Direncanakan, Disalurkan, Gagal.",
            "Disalurkan",
        ),
        Kolom("alasan_gagal", "ALASAN GAGAL", "Ya bila status gagal", "Teks.", ""),
        Kolom("keterangan", "KETERANGAN", "Tidak", "Teks.", ""),
    ],
    "psm": [
        Kolom("nik", "NIK", "Ya", _NIK, NIK_CONTOH, True),
        Kolom("nama", "NAMA", "Ya", "Teks.", "Bujang Sutan"),
        Kolom("kelurahan", "KELURAHAN", "Ya untuk PSM baru", _KEL, "Tanjuang Pauh"),
        Kolom("telepon", "NO HP", "Tidak", "8-15 angka (nomor WhatsApp).", "081266001234", True),
        Kolom("nomor_sk", "NOMOR SK", "Tidak", "Teks.", "400.9/12/SK-DINSOS/2025"),
        Kolom("tanggal_sk", "TANGGAL SK", "Tidak", _TGL, "06/01/2025"),
        Kolom("aktif_mulai", "AKTIF SEJAK", "Tidak", _TGL, "06/01/2025"),
        Kolom("aktif_sampai", "AKTIF SAMPAI", "Tidak", _TGL, ""),
        Kolom("koordinator", "KOORDINATOR", "Tidak", "Ya/Tidak (atau “Koordinator”/“Anggota”).", "Tidak"),
    ],
    "populasi": [
        Kolom("kelurahan", "KELURAHAN", "Ya", _KEL + " Kode BPS juga dikenali.", "Tanjuang Pauh"),
        Kolom("jumlah_penduduk", "JUMLAH PENDUDUK", "Salah satu dari keduanya", _ANGKA, 3120),
        Kolom("jumlah_kk", "JUMLAH KK", "Salah satu dari keduanya", _ANGKA, 910),
    ],
}

CATATAN_UMUM = (
    "Baris judul di atas tabel boleh ada; baris judul kolom dicari otomatis di 20 baris pertama.",
    "Nama kolom boleh ditulis dengan huruf besar/kecil, spasi atau tanda baca apa pun;"
    " nama lain di tabel juga dikenali.",
    "Kolom lain yang tidak dikenal diabaikan. Baris kosong diabaikan.",
    "Impor menyimpan semua baris atau tidak sama sekali; pilih “simpan baris yang benar saja”"
    " untuk melewati baris salah.",
    "Mengimpor berkas yang sama dua kali tidak mengubah apa pun untuk kedua kalinya.",
    "Sel kosong tidak menghapus data yang sudah tercatat.",
)


def nama_berkas_templat(kode: str) -> str:
    """The download's file name, e.g. ``templat-impor-p3ke-keluarga.xlsx``."""
    return f"templat-impor-{kode}.xlsx"


def templat_xlsx(kode: str) -> bytes:
    """The blank template of import type ``kode`` as xlsx bytes (KeyError for an unknown type)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    jenis = JENIS[kode]
    kolom = KOLOM[kode]
    sinonim = getattr(jenis.pelaksana(), "SINONIM", {}) if jenis.tersedia else {}
    buku = Workbook()
    data = buku.active
    data.title = "Data"
    tebal = Font(bold=True)
    for i, k in enumerate(kolom, start=1):
        sel = data.cell(row=1, column=i, value=k.judul)
        sel.font = tebal
        contoh = data.cell(row=2, column=i, value=(str(k.contoh) if k.teks and k.contoh != "" else k.contoh) or None)
        huruf = get_column_letter(i)
        data.column_dimensions[huruf].width = max(14, len(k.judul) + 4)
        if k.teks:
            contoh.number_format = TEKS
            for baris in range(3, 1002):  # the rows staff will fill keep all 16 digits
                data.cell(row=baris, column=i).number_format = TEKS
    data.freeze_panes = "A2"

    petunjuk = buku.create_sheet("Petunjuk")
    petunjuk.append([_("Templat impor: %(judul)s") % {"judul": jenis.judul}])
    petunjuk["A1"].font = Font(bold=True, size=13)
    petunjuk.append([str(jenis.keterangan)])
    petunjuk.append([_("Isi lembar “Data” mulai baris 2; baris 2 adalah contoh, hapus sebelum mengimpor.")])
    for c in CATATAN_UMUM:
        petunjuk.append([c])
    petunjuk.append([])
    petunjuk.append([_("Kolom"), _("Wajib"), _("Format yang diterima"), _("Nama lain yang dikenali")])
    for sel in petunjuk[petunjuk.max_row]:
        sel.font = tebal
    for k in kolom:
        lain = [n for n in sinonim.get(k.medan, ()) if n.strip().lower() != k.judul.lower()]
        petunjuk.append([k.judul, k.wajib, k.format, ", ".join(lain)])
    for huruf, lebar in zip("ABCD", (28, 40, 70, 70), strict=True):
        petunjuk.column_dimensions[huruf].width = lebar
    for baris in petunjuk.iter_rows(min_row=2):
        for sel in baris:
            sel.alignment = Alignment(wrap_text=True, vertical="top")
    keluaran = io.BytesIO()
    buku.save(keluaran)
    return keluaran.getvalue()
