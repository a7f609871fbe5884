"""Finding the header row and matching its column names to fields, by synonyms.

Office sheets carry a title row or two above the header ("DATA PPKS KELURAHAN ... TAHUN 2023"),
a "NO" column and names written every way ("NO. KK", "NOMOR KK", "NOKK"). Names are compared
after ``normalisasi_kepala``: lower case, letters and digits only, so case, spaces and
punctuation never matter. The header is the row among the first ``BARIS_CARI`` that matches the
most fields of the import type.

The SIKS-NG (DTKS) header, verbatim from DOMAIN.md, is matched in full, including its
misspelling "DESA/KELUARAHAN":
``ID DTKS | PROVINSI | KABUPATEN/KOTA | KECAMATAN | DESA/KELUARAHAN | ALAMAT | DUSUN | RT | RW |
NOKK | NIK | NAMA | TANGGAL LAHIR | TEMPAT LAHIR | JENIS KELAMIN | PEKERJAAN | NAMA IBU KANDUNG |
HUB KELUARGA | KETERANGAN PADAN | BANSOS BPNT | BANSOS PKH | BANSOS BPNT-PPKM | PBI JKN``
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from impor.berkas import BerkasTidakSah

BARIS_CARI = 20

SIKS_NG = (
    "ID DTKS", "PROVINSI", "KABUPATEN/KOTA", "KECAMATAN", "DESA/KELUARAHAN", "ALAMAT", "DUSUN", "RT", "RW",
    "NOKK", "NIK", "NAMA", "TANGGAL LAHIR", "TEMPAT LAHIR", "JENIS KELAMIN", "PEKERJAAN", "NAMA IBU KANDUNG",
    "HUB KELUARGA", "KETERANGAN PADAN", "BANSOS BPNT", "BANSOS PKH", "BANSOS BPNT-PPKM", "PBI JKN",
)  # fmt: skip


def normalisasi_kepala(teks: object) -> str:
    """'NO. KK' -> 'nokk'; 'Tgl_Lahir' -> 'tgllahir'; 'L/P' -> 'lp'."""
    teks = unicodedata.normalize("NFKD", str(teks or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", teks.lower())


# field -> names as sources write them (normalised at import time, so write them readably here)
SINONIM_PENDUDUK: dict[str, tuple[str, ...]] = {
    "nik": ("NIK", "NO NIK", "NOMOR NIK", "NO KTP", "NOMOR KTP", "NIK KTP", "NOMOR INDUK KEPENDUDUKAN", "NIK ART"),
    "no_kk": ("NOKK", "NO. KK", "NO KK", "NOMOR KK", "NO KARTU KELUARGA", "NOMOR KARTU KELUARGA", "KK", "NO_KK"),
    "nama": ("NAMA", "NAMA LENGKAP", "NAMA PENDUDUK", "NAMA ART", "NAMA ANGGOTA", "NAMA ANGGOTA KELUARGA"),
    "tanggal_lahir": ("TANGGAL LAHIR", "TGL LAHIR", "TGL. LAHIR", "TGL LHR", "TANGGAL LHR", "TGL_LAHIR"),
    "tempat_lahir": ("TEMPAT LAHIR", "TMP LAHIR", "TMPT LAHIR", "TEMPAT LHR"),
    "jenis_kelamin": ("JENIS KELAMIN", "JK", "L/P", "KELAMIN", "JNS KELAMIN", "SEX"),
    "kelurahan": (
        "DESA/KELUARAHAN",
        "DESA/KELURAHAN",
        "KELURAHAN",
        "KEL",
        "KEL.",
        "DESA",
        "KELURAHAN/DESA",
        "NAMA KELURAHAN",
        "DESA_KELURAHAN",
        "KODE KELURAHAN",
        "KODE WILAYAH",
    ),  # fmt: skip
    "alamat": ("ALAMAT", "ALAMAT LENGKAP", "ALAMAT DOMISILI", "JALAN"),
    "rt": ("RT",),
    "rw": ("RW",),
    "pekerjaan": ("PEKERJAAN", "PEKERJAAN UTAMA", "JENIS PEKERJAAN"),
    "hubungan": (
        "HUB KELUARGA",
        "HUBUNGAN KELUARGA",
        "HUBUNGAN DENGAN KEPALA KELUARGA",
        "HUB KEPALA KELUARGA",
        "HUB_KEPALA_KELUARGA",
        "SHDK",
        "STATUS HUBUNGAN",
        "HUBUNGAN",
        "STATUS DALAM KELUARGA",
        "HUB. KELUARGA",
    ),  # fmt: skip
}


@dataclass(frozen=True)
class PetaKolom:
    """Where the header is and which column holds which field."""

    nomor_baris: int  # spreadsheet row number of the header
    kolom: dict[str, int]  # field -> 0-based column index
    judul: dict[str, str]  # field -> the header text as written in the file


def _indeks_sinonim(sinonim: Mapping[str, Iterable[str]]) -> dict[str, str]:
    indeks: dict[str, str] = {}
    for medan, nama in sinonim.items():
        for n in (medan, *nama):
            indeks.setdefault(normalisasi_kepala(n), medan)
    return indeks


def cocokkan(sel: list[object], indeks: Mapping[str, str]) -> tuple[dict[str, int], dict[str, str]]:
    kolom: dict[str, int] = {}
    judul: dict[str, str] = {}
    for i, isi in enumerate(sel):
        medan = indeks.get(normalisasi_kepala(isi))
        if medan and medan not in kolom:
            kolom[medan] = i
            judul[medan] = str(isi).strip()
    return kolom, judul


def cari_kepala(
    baris_awal: list[tuple[int, list[object]]],
    sinonim: Mapping[str, Iterable[str]],
    wajib: Iterable[str],
    label: Mapping[str, str],
) -> PetaKolom:
    """The header among the first rows; refuses a file without one or missing required columns."""
    indeks = _indeks_sinonim(sinonim)
    terbaik: PetaKolom | None = None
    for nomor, sel in baris_awal[:BARIS_CARI]:
        kolom, judul = cocokkan(sel, indeks)
        if len(kolom) >= 2 and (terbaik is None or len(kolom) > len(terbaik.kolom)):
            terbaik = PetaKolom(nomor, kolom, judul)
    if terbaik is None:
        raise BerkasTidakSah(
            _("Baris judul kolom tidak ditemukan di %(n)d baris pertama. Kolom yang dikenali antara lain: %(contoh)s.")
            % {"n": BARIS_CARI, "contoh": ", ".join(label[m] for m in wajib)}
        )
    hilang = [label[m] for m in wajib if m not in terbaik.kolom]
    if hilang:
        raise BerkasTidakSah(
            _("Kolom wajib tidak ada di baris judul (baris %(baris)d): %(kolom)s.")
            % {"baris": terbaik.nomor_baris, "kolom": ", ".join(hilang)}
        )
    return terbaik


_P = SINONIM_PENDUDUK
_KELURAHAN_P3KE = (
    *_P["kelurahan"],
    "DESA_KELURAHAN",
    "KODE KEMDAGRI",
    "KODE_KEMDAGRI",
    "KODE KEMENDAGRI",
    "KODE_KEMENDAGRI",
)

SINONIM_PPKS: dict[str, tuple[str, ...]] = {
    "nik": _P["nik"],
    "jenis": (
        "JENIS",
        "JENIS PPKS",
        "JENIS PMKS",
        "PPKS",
        "PMKS",
        "KATEGORI",
        "KATEGORI PPKS",
        "JENIS_PPKS",
        "KLASIFIKASI",
        "JENIS MASALAH",
        "JENIS MASALAH SOSIAL",
    ),
    "nama": _P["nama"],
    "no_kk": _P["no_kk"],
    "tanggal_lahir": _P["tanggal_lahir"],
    "tempat_lahir": _P["tempat_lahir"],
    "jenis_kelamin": _P["jenis_kelamin"],
    "kelurahan": _P["kelurahan"],
    "alamat": _P["alamat"],
    "rt": _P["rt"],
    "rw": _P["rw"],
    "status": ("STATUS", "STATUS PPKS", "STATUS PENANGANAN"),
    "sumber": ("SUMBER", "SUMBER DATA"),
    "terdata_pada": (
        "TERDATA PADA",
        "TANGGAL TERDATA",
        "TGL TERDATA",
        "TANGGAL PENDATAAN",
        "TGL PENDATAAN",
        "TAHUN DATA",
    ),
    "catatan": ("CATATAN", "KETERANGAN", "KET", "KET."),
    "id_dtks": ("ID DTKS", "IDDTKS", "ID_DTKS"),
    "padan": ("KETERANGAN PADAN", "PADAN DUKCAPIL", "PADAN_DUKCAPIL"),
}

# P3KE's own household id only: DTSEN's "id_keluarga" is another register's id (id_keluarga_dtsen).
SINONIM_P3KE_KELUARGA: dict[str, tuple[str, ...]] = {
    "id_p3ke": ("ID KELUARGA P3KE", "ID_KELUARGA_P3KE", "IDKELUARGAP3KE", "ID P3KE"),
    "kelurahan": _KELURAHAN_P3KE,
    "desil": (
        "DESIL",
        "DESIL KESEJAHTERAAN",
        "DESIL_KESEJAHTERAAN",
        "DESIL NASIONAL",
        "DESIL_NASIONAL",
        "PERINGKAT DESIL",
    ),
    "alamat": _P["alamat"],
    "nama": (
        *_P["nama"],
        "KEPALA KELUARGA",
        "KEPALA_KELUARGA",
        "NAMA KEPALA KELUARGA",
        "NAMA_KEPALA_KELUARGA",
        "NAMA KK",
    ),
    "nik": (*_P["nik"], "NIK KEPALA KELUARGA", "NIK KEPALA", "NIK_KEPALA_KELUARGA", "NIK KK"),
    "no_kk": _P["no_kk"],
    "jenis_kelamin": _P["jenis_kelamin"],
    "tanggal_lahir": _P["tanggal_lahir"],
    "pekerjaan": _P["pekerjaan"],
    "rt": _P["rt"],
    "rw": _P["rw"],
}

SINONIM_P3KE_INDIVIDU: dict[str, tuple[str, ...]] = {
    "id_p3ke": SINONIM_P3KE_KELUARGA["id_p3ke"],
    "id_individu": ("ID INDIVIDU", "ID_INDIVIDU", "IDSEMESTA", "ID SEMESTA", "ID ART", "ID ANGGOTA"),
    "kelurahan": _KELURAHAN_P3KE,
    "desil": SINONIM_P3KE_KELUARGA["desil"],
    "alamat": _P["alamat"],
    "nama": _P["nama"],
    "nik": _P["nik"],
    "no_kk": _P["no_kk"],
    "jenis_kelamin": _P["jenis_kelamin"],
    "hubungan": (*_P["hubungan"], "HUBUNGAN_DENGAN_KEPALA_KELUARGA", "HUB_KEPALA_KELUARGA"),
    "tanggal_lahir": _P["tanggal_lahir"],
    "tempat_lahir": _P["tempat_lahir"],
    "pekerjaan": _P["pekerjaan"],
    "rt": _P["rt"],
    "rw": _P["rw"],
}

SINONIM_PENYALURAN: dict[str, tuple[str, ...]] = {
    "id_eksternal": ("ID EKSTERNAL", "ID_EKSTERNAL", "ID PENYALURAN", "ID TRANSAKSI", "NO TRANSAKSI", "ID SALUR"),
    "program": ("PROGRAM", "KODE PROGRAM", "NAMA PROGRAM", "JENIS BANTUAN", "BANTUAN", "PROGRAM BANTUAN"),
    "no_kk": _P["no_kk"],
    "nik": (*_P["nik"], "NIK PENERIMA", "NIK KPM"),
    "nama": (*_P["nama"], "NAMA PENERIMA", "NAMA KPM"),
    "periode": ("PERIODE", "BULAN", "PERIODE SALUR", "TAHAP", "BULAN SALUR"),
    "nilai": ("NILAI", "NOMINAL", "JUMLAH", "JUMLAH BANTUAN", "NILAI BANTUAN", "NILAI (RP)", "NOMINAL (RP)", "RUPIAH"),
    "tanggal": ("TANGGAL", "TANGGAL SALUR", "TGL SALUR", "TANGGAL PENYALURAN", "TGL PENYALURAN", "TGL"),
    "saluran": ("SALURAN", "MEKANISME", "CARA SALUR", "MEDIA SALUR", "LEMBAGA PENYALUR", "PENYALUR"),
    "status": ("STATUS", "STATUS SALUR", "STATUS PENYALURAN"),
    "alasan_gagal": ("ALASAN GAGAL", "ALASAN", "KETERANGAN GAGAL"),
    "keterangan": ("KETERANGAN", "KET", "CATATAN"),
}

SINONIM_PSM: dict[str, tuple[str, ...]] = {
    "nik": _P["nik"],
    "nama": (*_P["nama"], "NAMA PSM"),
    "kelurahan": _P["kelurahan"],
    "telepon": (
        "TELEPON",
        "NO HP",
        "NO. HP",
        "NOMOR HP",
        "HP",
        "NO TELP",
        "NO. TELP",
        "TELP",
        "WA",
        "NO WA",
        "WHATSAPP",
        "KONTAK",
    ),
    "nomor_sk": ("NOMOR SK", "NO SK", "NO. SK", "SK", "NOMOR SURAT KEPUTUSAN"),
    "tanggal_sk": ("TANGGAL SK", "TGL SK", "TGL. SK"),
    "aktif_mulai": ("AKTIF SEJAK", "AKTIF MULAI", "MULAI AKTIF", "TMT", "TANGGAL MULAI"),
    "aktif_sampai": ("AKTIF SAMPAI", "BERAKHIR", "SAMPAI", "TANGGAL BERAKHIR", "MASA BERLAKU"),
    "koordinator": ("KOORDINATOR", "KOORDINATOR PSM", "JABATAN", "KORDINATOR"),
}

SINONIM_POPULASI: dict[str, tuple[str, ...]] = {
    "kelurahan": (*_P["kelurahan"], "KODE BPS", "WILAYAH", "NAMA WILAYAH"),
    "jumlah_penduduk": (
        "JUMLAH PENDUDUK",
        "PENDUDUK",
        "JUMLAH JIWA",
        "JIWA",
        "JML PENDUDUK",
        "JML JIWA",
        "POPULASI",
        "TOTAL PENDUDUK",
        "JUMLAH PENDUDUK (JIWA)",
        "PENDUDUK (JIWA)",
    ),
    "jumlah_kk": (
        "JUMLAH KK",
        "KK",
        "JML KK",
        "JUMLAH KELUARGA",
        "JUMLAH KEPALA KELUARGA",
        "JUMLAH RUMAH TANGGA",
        "KELUARGA",
    ),
}
