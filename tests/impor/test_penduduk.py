"""The ``penduduk`` import end to end: messy real-world sheets, idempotence, history, all-or-nothing,
skip-errors, rollback, cross-row checks, access."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection

from impor import layanan
from impor.jenis import penduduk as jenis_penduduk
from impor.models import StatusImpor, TugasImpor
from penduduk.models import Keluarga, Penduduk
from tests.impor.conftest import (
    KK1,
    KK2,
    NIK_ANAK,
    NIK_ISTRI,
    NIK_LAIN,
    NIK_SUAMI,
    SIKS_NG,
    baris_siks,
    isi_dasar,
)

pytestmark = pytest.mark.django_db


def jalankan(path, oleh=None, **kw):
    tugas = layanan.impor_buat(oleh=oleh, nama_berkas=path.name, jenis="penduduk", **kw)
    hasil = layanan.impor_jalankan(tugas=tugas, path=path, oleh=oleh)
    tugas.refresh_from_db()
    return tugas, hasil


def test_siks_ng_csv_pipa_dengan_judul(berkas, user_staf):
    path = berkas("dtks.csv", isi_dasar(), pemisah="|", judul=[["DATA DTKS KOTA PAYAKUMBUH 2023"]])
    tugas, hasil = jalankan(path, user_staf)
    assert tugas.status == StatusImpor.SELESAI
    assert (hasil.baris_kepala, hasil.jumlah_baris, hasil.baru, hasil.ditolak) == (2, 4, 4, 0)
    assert (hasil.keluarga_baru, Keluarga.objects.count(), Penduduk.objects.count()) == (2, 2, 4)
    suami = Penduduk.objects.get(nik=NIK_SUAMI)
    assert (suami.hubungan, suami.keluarga.no_kk, suami.kelurahan.nama) == ("kepala", KK1, "Tanjuang Pauh")
    assert (suami.tanggal_lahir, suami.jenis_kelamin, suami.rt, suami.nama_normal) == (
        date(1975, 8, 12),
        "L",
        "001",
        "bujang sutan",
    )
    lain = Penduduk.objects.get(nik=NIK_LAIN)
    assert (lain.kelurahan.nama, lain.tanggal_lahir, lain.jenis_kelamin) == (
        "Padangdata Tanahmati",
        date(1960, 11, 30),
        "P",
    )
    assert lain.keluarga.kelurahan.nama == "Padangdata Tanahmati"
    # History: one "created" row per person and household, with the user and the reason.
    h = Penduduk.history.get(nik=NIK_SUAMI)
    assert (h.history_type, h.history_user, h.history_change_reason) == (
        "+",
        user_staf,
        f"Impor penduduk #{tugas.pk}: dtks.csv",
    )
    assert Keluarga.history.filter(history_type="+").count() == 2


def test_sheet_kantor_berantakan(berkas):
    """Title rows, a NO column, header variants, NIK with apostrophe / spaces / as a number,
    real Excel dates and text dates, L/P, 'Kel.' prefix in any case, numbered empty rows."""
    kepala = ["NO", "NO. KK", "NIK", "NAMA LENGKAP", "TGL LAHIR", "L/P", "KELURAHAN", "HUB. KELUARGA", "RT", "RW"]
    isi = [
        kepala,
        [1, f"'{KK1}", f"'{NIK_SUAMI}", "bujang sutan", date(1975, 8, 12), "L", "kel. tanjung pauh", "Kepala", 1, 2],
        [2, KK1, float(NIK_ISTRI), "SITI RAHMAH", "02/01/1980", "P", "TANJUANG PAUH", "Istri", "001", "002"],
        [3, KK1, f"{NIK_ANAK[:6]} {NIK_ANAK[6:]}", "Rizki", "07-06-2005", "L", "13.76.01.1022", "Anak", "1", "2"],
        [4], [5], [6],
    ]  # fmt: skip
    path = berkas("kantor.xlsx", isi, judul=[["DATA PENDUDUK MISKIN KELURAHAN TANJUANG PAUH"], ["TAHUN 2023"], []])
    tugas, hasil = jalankan(path)
    assert (hasil.baris_kepala, hasil.jumlah_baris, hasil.baru, hasil.ditolak) == (4, 3, 3, 0), hasil.galat
    assert Penduduk.objects.get(nik=NIK_ISTRI).tanggal_lahir == date(1980, 1, 2)
    assert Penduduk.objects.filter(keluarga__no_kk=KK1, kelurahan__nama="Tanjuang Pauh").count() == 3
    # The NIK that came as a number is flagged on its row.
    assert [p.baris for p in hasil.peringatan] == [6]
    assert "15 digit" in hasil.peringatan[0].pesan
    assert tugas.jumlah_peringatan == 1


def test_impor_ulang_tidak_mengubah_apa_pun(berkas):
    path = berkas("a.xlsx", isi_dasar())
    jalankan(path)
    riwayat = (Penduduk.history.count(), Keluarga.history.count())
    diubah = dict(Penduduk.objects.values_list("nik", "diubah_pada"))
    tugas, hasil = jalankan(path)
    assert (hasil.baru, hasil.diubah, hasil.tetap, hasil.keluarga_baru, hasil.keluarga_diubah) == (0, 0, 4, 0, 0)
    assert (Penduduk.history.count(), Keluarga.history.count()) == riwayat
    assert dict(Penduduk.objects.values_list("nik", "diubah_pada")) == diubah
    assert tugas.jumlah_tetap == 4


def test_perubahan_dicatat_dan_sel_kosong_tidak_menghapus(berkas):
    jalankan(berkas("a.xlsx", isi_dasar()))
    isi = isi_dasar()
    isi[1][11] = "Bujang Sutan Mangkuto"  # NAMA changed
    isi[2][15] = ""  # PEKERJAAN blank: keeps "Pedagang"
    isi[3][5] = "Jl. Baru No. 1"  # ALAMAT of a member
    tugas, hasil = jalankan(berkas("b.xlsx", isi))
    assert (hasil.baru, hasil.diubah, hasil.tetap) == (0, 2, 2)
    assert Penduduk.objects.get(nik=NIK_SUAMI).nama == "Bujang Sutan Mangkuto"
    assert Penduduk.objects.get(nik=NIK_ISTRI).pekerjaan == "Pedagang"
    contoh = {c["nik"]: c for c in hasil.contoh}
    assert contoh[NIK_SUAMI]["perubahan"]["Nama"] == ["Bujang Sutan", "Bujang Sutan Mangkuto"]
    h = Penduduk.history.filter(nik=NIK_SUAMI).order_by("history_date", "history_id").last()
    assert (h.history_type, h.nama) == ("~", "Bujang Sutan Mangkuto")
    # The household's address follows its head's row only.
    assert Keluarga.objects.get(no_kk=KK1).alamat == "Jl. Sudirman No. 5"


def test_semua_atau_tidak_sama_sekali(berkas):
    isi = isi_dasar()
    isi[3][10] = "1376"  # bad NIK
    isi[4][14] = "X"  # bad sex
    tugas, hasil = jalankan(berkas("a.xlsx", isi))
    assert tugas.status == StatusImpor.DITOLAK
    assert (Penduduk.objects.count(), Keluarga.objects.count()) == (0, 0)
    assert [(g.baris, g.kolom) for g in hasil.galat] == [(4, "NIK"), (5, "JENIS KELAMIN")]
    assert "16 digit" in hasil.galat[0].pesan
    assert tugas.rincian["galat"][0] == {"baris": 4, "kolom": "NIK", "pesan": hasil.galat[0].pesan}


def test_lewati_galat_menyimpan_yang_benar(berkas):
    isi = isi_dasar()
    isi[3][4] = "Kelurahan Antah Berantah"
    tugas, hasil = jalankan(berkas("a.xlsx", isi), lewati_galat=True)
    assert tugas.status == StatusImpor.SELESAI
    assert (hasil.baru, hasil.ditolak, Penduduk.objects.count()) == (3, 1, 3)
    assert hasil.galat[0].kolom == "DESA/KELUARAHAN"


def test_uji_coba_tidak_menyimpan(berkas):
    tugas, hasil = jalankan(berkas("a.xlsx", isi_dasar()), uji_coba=True)
    assert (hasil.baru, Penduduk.objects.count(), tugas.status) == (4, 0, StatusImpor.SELESAI)


def test_rollback_bila_penulisan_gagal(berkas, monkeypatch):
    """Households are written before persons: a failure on the persons undoes the households too."""
    if connection.vendor == "postgresql":
        asli = jenis_penduduk._upsert_pg

        def gagal(model, *a, **kw):
            if model is Penduduk:
                raise DatabaseError("simulasi")
            return asli(model, *a, **kw)

        monkeypatch.setattr(jenis_penduduk, "_upsert_pg", gagal)
    else:
        asli = jenis_penduduk.bulk_create_with_history

        def gagal(objek, model, *a, **kw):
            if model is Penduduk:
                raise DatabaseError("simulasi")
            return asli(objek, model, *a, **kw)

        monkeypatch.setattr(jenis_penduduk, "bulk_create_with_history", gagal)
    tugas, hasil = jalankan(berkas("a.xlsx", isi_dasar()))
    assert hasil is None
    assert tugas.status == StatusImpor.GAGAL
    assert "tidak ada yang tersimpan" in tugas.pesan
    assert (Keluarga.objects.count(), Penduduk.objects.count(), Keluarga.history.count()) == (0, 0, 0)


def test_nik_ganda_dan_dua_kepala_dalam_berkas(berkas):
    isi = isi_dasar()
    isi.append(baris_siks(KK1, NIK_SUAMI, "Bujang Lagi", "12/08/1975", "L", "ANAK"))
    isi.append(baris_siks(KK1, NIK_LAIN[:-1] + "9", "Kepala Kedua", "30/11/1960", "P", "KEPALA KELUARGA"))
    tugas, hasil = jalankan(berkas("a.xlsx", isi), lewati_galat=True)
    pesan = {g.baris: g.pesan for g in hasil.galat}
    assert "sudah ada di baris 2" in pesan[6]
    assert "sudah punya kepala keluarga di baris 2" in pesan[7]
    assert hasil.baru == 4


def test_kepala_lain_di_registri(berkas):
    jalankan(berkas("a.xlsx", isi_dasar()))
    nik_baru = NIK_LAIN[:-1] + "7"
    isi = [SIKS_NG, baris_siks(KK1, nik_baru, "Kepala Baru", "30/11/1960", "P", "KEPALA KELUARGA")]
    tugas, hasil = jalankan(berkas("b.xlsx", isi))
    assert "sudah punya kepala keluarga lain di registri" in hasil.galat[0].pesan
    # Swapping heads in one file works: the old head is in it with his new role.
    isi.append(baris_siks(KK1, NIK_SUAMI, "Bujang Sutan", "12/08/1975", "L", "SUAMI"))
    tugas, hasil = jalankan(berkas("c.xlsx", isi))
    assert (hasil.ditolak, hasil.baru, hasil.diubah) == (0, 1, 1)
    assert Penduduk.objects.get(keluarga__no_kk=KK1, hubungan="kepala").nik == nik_baru
    assert Penduduk.objects.get(nik=NIK_SUAMI).hubungan == "suami"


def test_pindah_kk(berkas):
    jalankan(berkas("a.xlsx", isi_dasar()))
    isi = [SIKS_NG, baris_siks(KK2, NIK_ANAK, "Rizki Pratama", "07/06/2005", "L", "CUCU")]
    tugas, hasil = jalankan(berkas("b.xlsx", isi))
    anak = Penduduk.objects.get(nik=NIK_ANAK)
    assert (hasil.diubah, anak.keluarga.no_kk, anak.hubungan) == (1, KK2, "cucu")


@pytest.mark.parametrize(
    ("isi", "pesan"),
    [
        ([["NAMA", "ALAMAT"], ["A", "B"]], "Kolom wajib tidak ada di baris judul (baris 1): NIK, Kelurahan"),
        ([["apa", "ini"], ["1", "2"]], "Baris judul kolom tidak ditemukan"),
        ([SIKS_NG], "Tidak ada baris data"),
    ],
)
def test_berkas_ditolak_seluruhnya(berkas, isi, pesan):
    tugas, hasil = jalankan(berkas("a.xlsx", isi))
    assert hasil is None
    assert tugas.status == StatusImpor.DITOLAK
    assert pesan in tugas.pesan
    assert Penduduk.objects.count() == 0


def test_sel_100000_karakter_dan_rumus(berkas):
    isi = isi_dasar()
    isi[1][5] = "x" * 100_000
    isi[2][11] = "=CONCAT(A1,B1)"  # a formula without a cached value: an empty NAMA
    isi[3][11] = "+62 Rizki"  # text that starts like a formula: plain text
    tugas, hasil = jalankan(berkas("a.xlsx", isi), lewati_galat=True)
    pesan = {(g.baris, g.kolom): g.pesan for g in hasil.galat}
    assert "terlalu panjang" in pesan[(2, "ALAMAT")]
    assert pesan[(3, "NAMA")] == "Wajib diisi."
    assert Penduduk.objects.get(nik=NIK_ANAK).nama == "+62 Rizki"


def test_laporan_baris_ditolak_meloloskan_rumus(berkas, tmp_path):
    from openpyxl import load_workbook

    from impor.laporan import tulis_baris_ditolak

    isi = isi_dasar()
    isi[1][10] = '=HYPERLINK("http://x")'
    isi[2][5] = "@SUM(1)"
    isi[2][10] = "123"
    tugas, hasil = jalankan(berkas("a.csv", isi))
    tulis_baris_ditolak(hasil, tmp_path / "tolak.xlsx")
    lembar = load_workbook(tmp_path / "tolak.xlsx").active
    baris = list(lembar.iter_rows(values_only=True))
    assert baris[0][:3] == ("Baris", "Alasan", "ID DTKS")
    assert baris[1][0] == 2 and baris[1][2 + 10] == '\'=HYPERLINK("http://x")'
    assert baris[2][2 + 5] == "'@SUM(1)"
    assert all(c.data_type != "f" for r in lembar.iter_rows() for c in r)


def test_hanya_admin_dan_staf_boleh_impor(cast, berkas):
    path = berkas("a.xlsx", isi_dasar())
    for nama in ("pimpinan", "psm_a"):
        with pytest.raises(PermissionDenied):
            layanan.impor_buat(oleh=cast[nama], nama_berkas="a.xlsx", jenis="penduduk")
    tugas = TugasImpor.objects.create(jenis="penduduk", nama_berkas="a.xlsx")
    with pytest.raises(PermissionDenied):
        layanan.impor_jalankan(tugas=tugas, path=path, oleh=cast["psm_a"])
    assert Penduduk.objects.count() == 0
    for nama in ("admin", "staf"):
        assert layanan.impor_buat(oleh=cast[nama], nama_berkas="a.xlsx", jenis="penduduk").pk
    assert TugasImpor.objects.for_user(cast["psm_a"]).count() == 0
    assert TugasImpor.objects.for_user(cast["staf"]).count() == 3


def test_jenis_belum_tersedia(monkeypatch):
    from impor.jenis import JENIS, JenisImpor

    assert all(j.tersedia for j in JENIS.values())  # every type of issue 11 is built
    monkeypatch.setitem(JENIS, "kelak", JenisImpor("kelak", "Kelak", "", None))
    with pytest.raises(layanan.JenisBelumTersedia, match="belum tersedia"):
        layanan.periksa_jenis("kelak")
    with pytest.raises(layanan.JenisTidakDikenal):
        layanan.periksa_jenis("entah")
