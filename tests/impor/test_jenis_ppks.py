"""The ``ppks`` import: jenis from a column or from the title rows, persons made from the row when
new, idempotent re-import, all-or-nothing, skip-errors, messy values."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import DatabaseError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impor import layanan
from impor.berkas import BerkasTidakSah, Lembar, buka
from impor.jenis import ppks as jenis_ppks
from impor.models import StatusImpor
from penduduk.models import Penduduk
from penduduk.nik import susun_nik
from ppks.choices import StatusPPKS, SumberData
from ppks.models import PPKS
from tests.impor.conftest import NIK_ISTRI, NIK_LAIN, NIK_SUAMI, SIKS_NG, baris_siks

pytestmark = pytest.mark.django_db


def jalankan(path, oleh=None, jenis="ppks", **kw):
    tugas = layanan.impor_buat(oleh=oleh, nama_berkas=path.name, jenis=jenis, **kw)
    hasil = layanan.impor_jalankan(tugas=tugas, path=path, oleh=oleh)
    tugas.refresh_from_db()
    return tugas, hasil


def siks_ng():
    return [
        SIKS_NG,
        baris_siks("", NIK_SUAMI, "Bujang Sutan", "12/08/1975", "L", "KEPALA KELUARGA"),
        baris_siks("", NIK_ISTRI, "Siti Rahmah", "02-01-1980", "P", "ISTRI"),
    ]


def test_siks_ng_pipa_jenis_dari_judul(berkas, user_staf):
    path = berkas(
        "lut.csv", siks_ng(), pemisah="|", encoding="cp1252", judul=[["DATA PPKS LANSIA TERLANTAR TAHUN 2023"]]
    )
    tugas, hasil = jalankan(path, user_staf)
    assert tugas.status == StatusImpor.SELESAI, tugas.pesan
    assert (hasil.baris_kepala, hasil.baru, hasil.ditolak) == (2, 2, 0)
    p = PPKS.objects.get(penduduk__nik=NIK_SUAMI)
    assert (p.jenis.singkatan, p.sumber, p.status) == ("LUT", SumberData.DTKS, StatusPPKS.AKTIF)
    assert p.penduduk.kelurahan.nama == "Tanjuang Pauh" and p.penduduk.tanggal_lahir == date(1975, 8, 12)
    h = PPKS.history.get(penduduk__nik=NIK_SUAMI)
    assert (h.history_type, h.history_user, h.history_change_reason.startswith("Impor ppks")) == ("+", user_staf, True)
    # The same file again changes nothing.
    tugas2, hasil2 = jalankan(path, user_staf)
    assert (hasil2.baru, hasil2.diubah, hasil2.tetap) == (0, 0, 2)
    assert PPKS.objects.count() == 2 and PPKS.history.count() == 2 and Penduduk.objects.count() == 2


def test_kolom_jenis_sinonim_dan_nilai_berantakan(berkas, user_staf, penduduk_a):
    baris = [
        ["NO", "NIK KTP", "NAMA LENGKAP", "Kategori PPKS", "Kel.", "L/P", "TGL LAHIR", "KET"],
        [1, "'" + NIK_SUAMI, "Bujang", "lut", "KEL. TANAH MATI", "L", date(1975, 8, 12), "rumah bocor"],
        [2, penduduk_a.nik, "", "Penyandang Disabilitas", "", "", "", ""],
        [3, NIK_LAIN, "Yusnimar", "Gepeng", "Tanah Mati", "P", "30/11/1960", ""],
        [4, "123", "X", "Entah", "Kota Lain", "Q", "31/02/2000", ""],
        [],
    ]
    path = berkas("kantor.xlsx", baris, judul=[["DATA PPKS KELURAHAN"], []])
    tugas, hasil = jalankan(path, user_staf)
    assert tugas.status == StatusImpor.DITOLAK and PPKS.objects.count() == 0
    assert hasil.jumlah_baris == 4 and hasil.ditolak == 2
    pesan = {(g.baris, g.kolom) for g in hasil.galat}
    assert (6, "Kategori PPKS") in pesan  # Gepeng names two jenis
    assert {(7, "NIK KTP"), (7, "Kategori PPKS"), (7, "Kel."), (7, "L/P"), (7, "TGL LAHIR")} <= pesan
    # skip errors: the good rows are written
    tugas, hasil = jalankan(path, user_staf, lewati_galat=True)
    assert tugas.status == StatusImpor.SELESAI and hasil.baru == 2
    assert set(PPKS.objects.values_list("jenis__singkatan", flat=True)) == {"LUT", "PD"}
    assert PPKS.objects.get(jenis__singkatan="LUT").catatan == "rumah bocor"
    assert Penduduk.objects.get(pk=penduduk_a.pk).nama == penduduk_a.nama  # not changed


def test_tanpa_kolom_jenis_dan_judul_ditolak(berkas, user_staf):
    path = berkas("a.csv", siks_ng())
    tugas, _hasil = jalankan(path, user_staf)
    assert tugas.status == StatusImpor.DITOLAK and "JENIS" in tugas.pesan


def test_nik_baru_tanpa_nama_ditolak_dan_status(berkas, user_staf, penduduk_a):
    baris = [["NIK", "JENIS", "STATUS"], [susun_nik("137601", date(1990, 1, 1), "L", 9), "LUT", ""]]
    tugas, hasil = jalankan(berkas("a.csv", baris, encoding="utf-8-sig"), user_staf)
    assert hasil.ditolak == 1 and "belum ada di registri" in hasil.galat[0].pesan
    jalankan(berkas("b.csv", [["NIK", "JENIS"], [penduduk_a.nik, "LUT"]]), user_staf)
    assert PPKS.objects.get().status == StatusPPKS.AKTIF
    _t, hasil = jalankan(
        berkas("c.csv", [["NIK", "JENIS", "STATUS"], [penduduk_a.nik, "LUT", "Tertangani"]]), user_staf
    )
    assert (hasil.diubah, PPKS.objects.get().status) == (1, StatusPPKS.TERTANGANI)
    assert hasil.contoh[0]["perubahan"]["Status"] == ["aktif", "tertangani"]
    _t, hasil = jalankan(
        berkas("d.csv", [["NIK", "JENIS", "STATUS"], [penduduk_a.nik, "LUT", "bukan ppks"]]), user_staf
    )
    assert hasil.ditolak == 1 and "halaman PPKS" in hasil.galat[0].pesan


def test_uji_coba_tidak_menulis(berkas, penduduk_a):
    path = berkas("a.csv", [["NIK", "JENIS"], [penduduk_a.nik, "ODHA"]])
    hasil = jenis_ppks.impor(buka(path), simpan=False)
    assert hasil.baru == 1 and hasil.contoh[0]["nik"] == penduduk_a.nik and PPKS.objects.count() == 0


def test_gagal_menulis_batal_semua(berkas, user_staf, monkeypatch):
    path = berkas("a.csv", siks_ng(), judul=[["PPKS: LANJUT USIA TELANTAR"]])

    asli = jenis_ppks.sisipkan

    def rusak(model, *a, **kw):
        if model is PPKS:  # the persons are written first, then this fails
            raise DatabaseError("disk penuh")
        return asli(model, *a, **kw)

    monkeypatch.setattr(jenis_ppks, "sisipkan", rusak)
    tugas, _h = jalankan(path, user_staf)
    assert tugas.status == StatusImpor.GAGAL and Penduduk.objects.count() == 0 and PPKS.objects.count() == 0


def test_jenis_dari_judul():
    cari = jenis_ppks.PencariJenis()
    assert cari.dalam_judul(["DATA PPKS LANJUT USIA TELANTAR KELURAHAN X TAHUN 2023"]).singkatan == "LUT"
    assert cari.dalam_judul(["Data Gepeng 2023"]) is None
    assert cari.dalam_judul(["REKAP DATA"]) is None
    with pytest.raises(BerkasTidakSah):
        raise BerkasTidakSah("x")


def test_jenis_dari_nama_lembar(berkas, user_staf, penduduk_a):
    path = berkas("a.xlsx", [["NIK", "NAMA"], [penduduk_a.nik, penduduk_a.nama]], nama_lembar="Lansia Terlantar")
    tugas, hasil = jalankan(path, user_staf)
    assert tugas.status == StatusImpor.SELESAI and PPKS.objects.get().jenis.singkatan == "LUT"


sel_acak = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from([NIK_SUAMI, "LUT", "Gepeng", "PD", "Tanjuang Pauh", "L", "12/08/1975", "aktif", "bukan ppks"]),
    st.integers(min_value=-(10**17), max_value=10**17),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=date(1, 1, 1)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(isi=st.lists(st.lists(sel_acak, max_size=8), min_size=1, max_size=8))
def test_properti_baris_acak_hanya_galat_baris(isi):
    """Random rows under a valid header: row errors only, and every data row counted once."""
    kepala = ["NIK", "JENIS PPKS", "NAMA", "KELURAHAN", "JENIS KELAMIN", "TANGGAL LAHIR", "STATUS", "CATATAN"]
    rows = [(1, kepala)] + [(i + 2, r) for i, r in enumerate(isi)]
    lembar = Lembar(format="xlsx", nama="x", baris=iter(rows), semua_lembar=["x"])
    sebelum = PPKS.objects.count()  # examples share one test transaction
    try:
        hasil = jenis_ppks.impor(lembar, simpan=True, lewati_galat=True)
    except BerkasTidakSah as exc:
        assert "Tidak ada baris data" in exc.pesan
        return
    assert hasil.jumlah_baris == hasil.baru + hasil.diubah + hasil.tetap + hasil.ditolak
    assert PPKS.objects.count() - sebelum == hasil.baru
