"""The ``penyaluran`` import: programme by code or name, recipient by NIK or No KK, the rules of
bantuan.services, matching by external id or (programme, recipient, period), idempotence."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import DatabaseError

from bantuan.models import Penyaluran, Program
from impor import layanan
from impor.berkas import buka
from impor.jenis import penyaluran as jenis_penyaluran
from impor.models import StatusImpor

pytestmark = pytest.mark.django_db

KEPALA = [
    "ID TRANSAKSI",
    "PROGRAM",
    "NIK PENERIMA",
    "NO. KK",
    "BULAN",
    "NOMINAL (RP)",
    "TGL SALUR",
    "MEKANISME",
    "STATUS",
]


@pytest.fixture
def program(db):
    return Program.objects.create(
        kode="BTK", nama="Bantuan Tunai Kota", sumber_dana="apbd_kota", bentuk="tunai", periode="bulanan"
    )


def jalankan(path, oleh=None, **kw):
    tugas = layanan.impor_buat(oleh=oleh, nama_berkas=path.name, jenis="penyaluran", **kw)
    hasil = layanan.impor_jalankan(tugas=tugas, path=path, oleh=oleh)
    tugas.refresh_from_db()
    return tugas, hasil


def test_impor_dan_idempoten(berkas, user_staf, program, penduduk_a, keluarga_a):
    isi = [
        KEPALA,
        ["T-1", "btk", "'" + penduduk_a.nik, "", "03/2024", "Rp 750.000", "15/03/2024", "Bank/KKS", "Tersalur"],
        [
            "",
            "BPNT / Program Sembako",
            "",
            keluarga_a.no_kk,
            "Februari 2024",
            600000,
            date(2024, 2, 20),
            "e-warong",
            "",
        ],
    ]
    path = berkas("salur.xlsx", isi, judul=[["REKAP PENYALURAN 2024"]])
    tugas, hasil = jalankan(path, user_staf)
    assert tugas.status == StatusImpor.SELESAI, (tugas.pesan, hasil and hasil.galat)
    assert (hasil.baris_kepala, hasil.baru, hasil.ditolak) == (2, 2, 0)
    p = Penyaluran.objects.get(id_eksternal="T-1")
    assert (p.program, p.penduduk, p.keluarga, p.kelurahan) == (program, penduduk_a, keluarga_a, keluarga_a.kelurahan)
    assert (p.periode, p.nilai, p.tanggal, p.saluran, p.status, p.dibuat_oleh) == (
        date(2024, 3, 1), 750_000, date(2024, 3, 15), "bank", "disalurkan", user_staf,
    )  # fmt: skip
    kk = Penyaluran.objects.get(id_eksternal__isnull=True)
    assert (kk.program.kode, kk.penduduk, kk.periode, kk.status) == ("BPNT", None, date(2024, 1, 1), "disalurkan")
    assert Penyaluran.history.filter(history_user=user_staf).count() == 2
    _t, hasil = jalankan(path, user_staf)
    assert (hasil.baru, hasil.diubah, hasil.tetap) == (0, 0, 2) and Penyaluran.objects.count() == 2
    # A change of amount by the same external id updates that row, with history.
    isi[1][5] = "800.000"
    _t, hasil = jalankan(berkas("b.xlsx", isi), user_staf)
    assert (hasil.diubah, hasil.tetap) == (1, 1) and Penyaluran.objects.get(id_eksternal="T-1").nilai == 800_000
    assert hasil.contoh[0]["perubahan"]["Nilai (Rp)"] == ["750000", "800000"]


def test_aturan_layanan_dan_galat_per_sel(berkas, user_staf, program, penduduk_a):
    isi = [
        KEPALA,
        ["A", "BTK", penduduk_a.nik, "", "03/2024", "0", "15/03/2024", "bank", ""],
        ["B", "BTK", penduduk_a.nik, "", "04/2024", "100000", "", "bank", "gagal"],
        ["C", "BTK", penduduk_a.nik, "", "05/2024", "100000", "", "bank", "diterima"],
        ["D", "ENTAH", "1234", "", "", "12,5", "", "drone", "hilang"],
        ["E", "BTK", "3201010101900001", "", "06/2024", "100000", "01/06/2024", "bank", ""],
    ]
    tugas, hasil = jalankan(berkas("a.csv", isi, pemisah="|", encoding="cp1252"), user_staf)
    assert tugas.status == StatusImpor.DITOLAK and hasil.ditolak == 5 and Penyaluran.objects.count() == 0
    kolom = {(g.baris, g.kolom) for g in hasil.galat}
    assert {(2, "NOMINAL (RP)"), (3, "STATUS"), (4, "STATUS"), (5, "PROGRAM"), (5, "NIK PENERIMA")} <= kolom
    assert {(5, "NOMINAL (RP)"), (5, "MEKANISME"), (6, "NIK PENERIMA")} <= kolom
    assert any("konfirmasi" in g.pesan for g in hasil.galat if g.baris == 4)


def test_tanpa_pengguna_dan_rollback(berkas, user_staf, program, penduduk_a, monkeypatch):
    path = berkas("a.csv", [KEPALA, ["A", "BTK", penduduk_a.nik, "", "03/2024", "1000", "01/03/2024", "pos", ""]])
    tugas, _h = jalankan(path)
    assert tugas.status == StatusImpor.DITOLAK and "--user" in tugas.pesan
    hasil = jenis_penyaluran.impor(buka(path), simpan=False)
    assert hasil.baru == 1 and Penyaluran.objects.count() == 0

    def rusak(*a, **kw):
        raise DatabaseError("putus")

    monkeypatch.setattr(jenis_penyaluran.integritas, "periksa_setelah_simpan", rusak)
    tugas, _h = jalankan(path, user_staf)
    assert tugas.status == StatusImpor.GAGAL and Penyaluran.objects.count() == 0


def test_ganda_dalam_berkas_dan_lewati(berkas, user_staf, program, penduduk_a):
    isi = [
        ["PROGRAM", "NIK", "PERIODE", "NILAI", "SALURAN"],
        ["BTK", penduduk_a.nik, "2024-03", "100000", "langsung"],
        ["BTK", penduduk_a.nik, "2024-03-20", "100000", "langsung"],
    ]
    tugas, hasil = jalankan(berkas("a.csv", isi), user_staf, lewati_galat=True)
    assert tugas.status == StatusImpor.SELESAI and (hasil.baru, hasil.ditolak) == (1, 1)
    assert "sudah menerima" in hasil.galat[0].pesan
    p = Penyaluran.objects.get()
    assert (p.status, p.tanggal, p.periode) == ("direncanakan", None, date(2024, 3, 1))
