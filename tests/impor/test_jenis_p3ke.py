"""The P3KE imports (keluarga and individu sheets): households by ID keluarga P3KE, persons by NIK,
desil-1 households proposed for the extreme-poor list, idempotence, all-or-nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import DatabaseError

from impor import layanan
from impor.berkas import buka
from impor.jenis import _p3ke, p3ke_individu, p3ke_keluarga
from impor.models import StatusImpor
from kemiskinan.models import StatusMiskinEkstrem
from penduduk.models import Keluarga, Penduduk
from penduduk.nik import susun_nik
from tests.factories import StatusMiskinEkstremFactory
from tests.impor.conftest import KK1, NIK_ANAK, NIK_ISTRI, NIK_LAIN, NIK_SUAMI

pytestmark = pytest.mark.django_db

KELUARGA = [
    "id_keluarga_P3KE", "provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan", "kode_kemdagri",
    "desil_kesejahteraan", "alamat", "kepala_keluarga", "nik", "padan_dukcapil", "jenis_kelamin", "tanggal_lahir",
    "pekerjaan", "pendidikan", "penerima_pkh",
]  # fmt: skip
INDIVIDU = [
    "id_keluarga_p3ke", "id_individu", "kode_kemendagri", "desil_kesejahteraan", "alamat", "nama_lengkap", "nik",
    "padan_dukcapil", "jenis_kelamin", "hubungan_dengan_kepala_keluarga", "tanggal_lahir", "status_kawin",
    "pekerjaan",
]  # fmt: skip


def baris_kel(id_p3ke, desil, nama, nik, jk="Laki-laki", lahir="12/08/1975", kel="TANJUANG PAUH"):
    return [
        id_p3ke, "SUMATERA BARAT", "KOTA PAYAKUMBUH", "PAYAKUMBUH BARAT", kel, "1376011013", desil,
        "Jl. Soekarno Hatta", nama, nik, "Padan", jk, lahir, "Buruh", "SD", "Ya",
    ]  # fmt: skip


def jalankan(path, oleh=None, jenis="p3ke-keluarga", **kw):
    tugas = layanan.impor_buat(oleh=oleh, nama_berkas=path.name, jenis=jenis, **kw)
    hasil = layanan.impor_jalankan(tugas=tugas, path=path, oleh=oleh)
    tugas.refresh_from_db()
    return tugas, hasil


def test_keluarga_desil_1_diusulkan_dan_idempoten(berkas, user_staf):
    isi = [
        KELUARGA,
        baris_kel("P3KE-001", 1, "Bujang Sutan", NIK_SUAMI),
        baris_kel("P3KE-002", "Desil 3", "Yusnimar", NIK_LAIN, jk="P", lahir="30 November 1960", kel="Kel. Tanah Mati"),
    ]
    path = berkas("p3ke.xlsx", isi, judul=[["DATA P3KE KOTA PAYAKUMBUH"], ["Sumber: Kemenko PMK"]])
    tugas, hasil = jalankan(path, user_staf)
    assert tugas.status == StatusImpor.SELESAI, tugas.pesan
    assert (hasil.baris_kepala, hasil.baru, hasil.keluarga_baru, hasil.ditolak) == (3, 2, 2, 0)
    kk = Keluarga.objects.get(id_keluarga_p3ke="P3KE-001")
    kepala = Penduduk.objects.get(nik=NIK_SUAMI)
    assert (kepala.keluarga, kepala.hubungan, kepala.tanggal_lahir) == (kk, "kepala", date(1975, 8, 12))
    assert kk.no_kk is None and kk.kelurahan.nama == "Tanjuang Pauh"
    sme = StatusMiskinEkstrem.objects.get()
    assert (sme.keluarga, sme.sumber, sme.desil, sme.jiwa_masuk, sme.dicatat_oleh) == (kk, "p3ke", 1, 1, user_staf)
    assert sme.catatan == _p3ke.CATATAN_USULAN and sme.tanggal_keluar is None
    assert StatusMiskinEkstrem.history.get().history_user == user_staf
    # Again: nothing changes.
    _t, hasil = jalankan(path, user_staf)
    assert (hasil.baru, hasil.diubah, hasil.tetap) == (0, 0, 2)
    assert (Keluarga.objects.count(), Penduduk.objects.count(), StatusMiskinEkstrem.objects.count()) == (2, 2, 1)


def test_keluarga_lama_ditautkan_lewat_nik_kepala(berkas, user_staf, keluarga_a):
    kepala = keluarga_a.anggota.get(hubungan="kepala")
    path = berkas("p.csv", [KELUARGA, baris_kel("P3KE-9", "1", kepala.nama, kepala.nik)], pemisah=";")
    tugas, hasil = jalankan(path, user_staf)
    assert tugas.status == StatusImpor.SELESAI, tugas.pesan
    keluarga_a.refresh_from_db()
    assert keluarga_a.id_keluarga_p3ke == "P3KE-9" and hasil.keluarga_diubah == 1 and hasil.diubah == 1
    assert StatusMiskinEkstrem.objects.get().keluarga == keluarga_a
    assert Keluarga.history.filter(id=keluarga_a.pk, history_type="~").count() == 1


def test_pernah_keluar_tidak_dimasukkan_lagi(berkas, user_staf, keluarga_a):
    StatusMiskinEkstremFactory(
        keluarga=keluarga_a, tanggal_keluar=date(2024, 1, 1), alasan_keluar="salah_data", dicatat_oleh=user_staf
    )
    keluarga_a.id_keluarga_p3ke = "P3KE-9"
    keluarga_a.save()
    kepala = keluarga_a.anggota.get(hubungan="kepala")
    _t, hasil = jalankan(berkas("p.csv", [KELUARGA, baris_kel("P3KE-9", 1, kepala.nama, kepala.nik)]), user_staf)
    assert hasil.tetap == 1 and StatusMiskinEkstrem.objects.count() == 1
    assert any("pernah keluar" in c.pesan for c in hasil.peringatan) and hasil.berperingatan == 1


def test_tanpa_pengguna_ditolak_utuh(berkas):
    tugas, _h = jalankan(berkas("p.csv", [KELUARGA, baris_kel("P3KE-1", 1, "Bujang", NIK_SUAMI)]))
    assert tugas.status == StatusImpor.DITOLAK and "--user" in tugas.pesan
    assert Keluarga.objects.count() == 0 and Penduduk.objects.count() == 0


def test_galat_per_sel_dan_lewati(berkas, user_staf):
    isi = [
        KELUARGA,
        baris_kel("P3KE-1", 11, "Bujang", "13760112087500"),
        baris_kel("P3KE-2", 2, "Siti", NIK_ISTRI, jk="P", lahir="02/01/1980", kel="Atlantis"),
        baris_kel("P3KE-3", 2, "Yusnimar", NIK_LAIN, jk="P", lahir="30/11/1960"),
        baris_kel("P3KE-3", 2, "Dua Kali", NIK_ANAK),
    ]
    path = berkas("p.xlsx", isi)
    tugas, hasil = jalankan(path, user_staf)
    assert tugas.status == StatusImpor.DITOLAK and Penduduk.objects.count() == 0
    kolom = {(g.baris, g.kolom) for g in hasil.galat}
    assert {(2, "desil_kesejahteraan"), (2, "nik"), (3, "desa_kelurahan"), (5, "id_keluarga_P3KE")} <= kolom
    tugas, hasil = jalankan(path, user_staf, lewati_galat=True)
    assert tugas.status == StatusImpor.SELESAI and hasil.baru == 1
    assert list(Penduduk.objects.values_list("nik", flat=True)) == [NIK_LAIN]


def test_gagal_menulis_batal_semua(berkas, user_staf, monkeypatch):
    path = berkas("p.csv", [KELUARGA, baris_kel("P3KE-1", 1, "Bujang", NIK_SUAMI)])
    asli = _p3ke.sisipkan

    def rusak(model, *a, **kw):
        if model is StatusMiskinEkstrem:  # households and persons are written first
            raise DatabaseError("putus")
        return asli(model, *a, **kw)

    monkeypatch.setattr(_p3ke, "sisipkan", rusak)
    tugas, _h = jalankan(path, user_staf)
    assert tugas.status == StatusImpor.GAGAL
    assert Keluarga.objects.count() == 0 and Penduduk.objects.count() == 0


def test_individu(berkas, user_staf, penduduk_b):
    anak = susun_nik("137601", date(2010, 2, 3), "P", 7)
    isi = [
        INDIVIDU,
        ["K-1", "I-1", "13.76.01.1013", 1, "Jl. A", "Bujang Sutan", NIK_SUAMI, "", "L", "KK", "12/08/1975", "", ""],
        ["K-1", "I-2", "13.76.01.1013", 1, "Jl. A", "Siti", "'" + NIK_ISTRI, "", "P", "Istri", "02/01/1980", "", ""],
        ["K-1", "I-3", "13.76.01.1013", 1, "Jl. A", "Putri", anak, "", "2", "ANAK", "03-02-2010", "", ""],
        ["K-1", "I-4", "13.76.01.1013", 1, "Jl. A", penduduk_b.nama, penduduk_b.nik, "", "", "Famili Lain", "", "", ""],
        ["K-2", "I-5", "13.76.01.1013", 4, "Jl. B", "Dua Kepala", NIK_ANAK, "", "L", "Kepala Keluarga", "", "", ""],
        ["K-2", "I-6", "13.76.01.1013", 4, "Jl. B", "Kepala Lagi", NIK_LAIN, "", "P", "kepala keluarga", "", "", ""],
    ]  # fmt: skip
    path = berkas("ind.xlsx", isi)
    tugas, hasil = jalankan(path, user_staf, jenis="p3ke-individu", lewati_galat=True)
    assert tugas.status == StatusImpor.SELESAI, tugas.pesan
    assert hasil.ditolak == 1 and hasil.galat[0].baris == 7
    kk = Keluarga.objects.get(id_keluarga_p3ke="K-1")
    assert dict(kk.anggota.values_list("nik", "hubungan")) == {
        NIK_SUAMI: "kepala", NIK_ISTRI: "istri", anak: "anak", penduduk_b.nik: "famili_lain",
    }  # fmt: skip
    assert StatusMiskinEkstrem.objects.get().jiwa_masuk == 4
    _t, hasil = jalankan(path, user_staf, jenis="p3ke-individu", lewati_galat=True)
    assert (hasil.baru, hasil.diubah, hasil.tetap, hasil.ditolak) == (0, 0, 5, 1)


def test_uji_coba(berkas):
    path = berkas("p.csv", [KELUARGA, baris_kel("P3KE-1", 1, "Bujang", NIK_SUAMI)], encoding="cp1252")
    hasil = p3ke_keluarga.impor(buka(path), simpan=False)
    assert (hasil.baru, hasil.keluarga_baru) == (1, 1) and Penduduk.objects.count() == 0
    assert "Daftar miskin ekstrem" in hasil.contoh[0]["perubahan"]
    assert p3ke_individu.SINONIM["hubungan"]
    assert KK1


def test_anggota_keluarga_lain_tidak_dipindahkan(berkas, user_staf, keluarga_a):
    """The head is on record in another household (with another P3KE id): no empty household is
    made, the person stays, a warning says so, and the row counts as unchanged."""
    keluarga_a.id_keluarga_p3ke = "LAMA-1"
    keluarga_a.save()
    kepala = keluarga_a.anggota.get(hubungan="kepala")
    _t, hasil = jalankan(berkas("p.csv", [KELUARGA, baris_kel("BARU-2", 1, kepala.nama, kepala.nik)]), user_staf)
    assert (hasil.tetap, hasil.baru, hasil.diubah, Keluarga.objects.count()) == (1, 0, 0, 1)
    assert "keluarga lain" in hasil.peringatan[-1].pesan and StatusMiskinEkstrem.objects.count() == 0


def test_id_keluarga_dtsen_bukan_id_p3ke(berkas, user_staf):
    """A DTSEN sheet's id_keluarga is another register's id: not taken as the P3KE id."""
    isi = [
        ["id_keluarga", "nik", "nama_kepala_keluarga", "kelurahan", "desil_nasional"],
        ["D-1", NIK_SUAMI, "A", "Napar", 1],
    ]
    tugas, _h = jalankan(berkas("dtsen.csv", isi), user_staf)
    assert tugas.status == StatusImpor.DITOLAK and "ID keluarga P3KE" in tugas.pesan
