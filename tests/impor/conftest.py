"""Small fixture files made by the tests: xlsx (openpyxl), csv in several dialects and encodings."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from penduduk.nik import susun_nik, susun_no_kk

SIKS_NG = [
    "ID DTKS", "PROVINSI", "KABUPATEN/KOTA", "KECAMATAN", "DESA/KELUARAHAN", "ALAMAT", "DUSUN", "RT", "RW",
    "NOKK", "NIK", "NAMA", "TANGGAL LAHIR", "TEMPAT LAHIR", "JENIS KELAMIN", "PEKERJAAN", "NAMA IBU KANDUNG",
    "HUB KELUARGA", "KETERANGAN PADAN", "BANSOS BPNT", "BANSOS PKH", "BANSOS BPNT-PPKM", "PBI JKN",
]  # fmt: skip

KK1 = susun_no_kk("137601", date(2019, 3, 4), 11)
KK2 = susun_no_kk("137602", date(2020, 5, 6), 12)
NIK_SUAMI = susun_nik("137601", date(1975, 8, 12), "L", 1)
NIK_ISTRI = susun_nik("137601", date(1980, 1, 2), "P", 2)
NIK_ANAK = susun_nik("137601", date(2005, 6, 7), "L", 3)
NIK_LAIN = susun_nik("137602", date(1960, 11, 30), "P", 4)


def baris_siks(no_kk, nik, nama, lahir, jk, hub, kel="Tanjuang Pauh", rt="1", rw="2"):
    return [
        "DTKS-1", "SUMATERA BARAT", "KOTA PAYAKUMBUH", "PAYAKUMBUH BARAT", kel, "Jl. Sudirman No. 5", "",
        rt, rw, no_kk, nik, nama, lahir, "Payakumbuh", jk, "Pedagang", "Upik", hub, "PADAN", "Ya", "Tidak", "", "Ya",
    ]  # fmt: skip


def isi_dasar():
    return [
        SIKS_NG,
        baris_siks(KK1, NIK_SUAMI, "Bujang Sutan", "12/08/1975", "L", "KEPALA KELUARGA"),
        baris_siks(KK1, NIK_ISTRI, "Siti Rahmah", "02-01-1980", "P", "ISTRI"),
        baris_siks(KK1, NIK_ANAK, "Rizki Pratama", "2005-06-07", "Laki-laki", "ANAK"),
        baris_siks(KK2, NIK_LAIN, "Yusnimar", "30 November 1960", "2", "Kepala Keluarga", kel="KEL. TANAH MATI"),
    ]


def tulis_xlsx(path: Path, baris, judul=(), nama_lembar="Data") -> Path:
    from openpyxl import Workbook

    buku = Workbook()
    lembar = buku.active
    lembar.title = nama_lembar
    for j in judul:
        lembar.append(j)
    for b in baris:
        lembar.append(list(b))
    buku.save(path)
    return path


def tulis_csv(path: Path, baris, pemisah=",", encoding="utf-8", judul=()) -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f, delimiter=pemisah)
        for j in judul:
            w.writerow(j)
        for b in baris:
            w.writerow(b)
    return path


@pytest.fixture
def berkas(tmp_path):
    """berkas("nama.xlsx", rows) -> path; the format follows the extension."""

    def buat(nama: str, baris, **kw) -> Path:
        path = tmp_path / nama
        if nama.endswith(".xlsx"):
            return tulis_xlsx(path, baris, **kw)
        return tulis_csv(path, baris, **kw)

    return buat
