"""The ``psm`` import: new PSM get an inactive account without password and a profile; known PSM
(by NIK) get their profile updated; idempotence; row errors."""

from __future__ import annotations

from datetime import date

import pytest

from akun.models import User
from impor import layanan
from impor.models import StatusImpor
from psm.models import ProfilPSM
from tests.factories import ProfilPSMFactory
from tests.impor.conftest import NIK_ISTRI, NIK_LAIN, NIK_SUAMI

pytestmark = pytest.mark.django_db

KEPALA = ["NO", "NAMA PSM", "NIK", "KELURAHAN", "NO. HP", "NOMOR SK", "TGL SK", "JABATAN"]


def jalankan(path, oleh=None, **kw):
    tugas = layanan.impor_buat(oleh=oleh, nama_berkas=path.name, jenis="psm", **kw)
    hasil = layanan.impor_jalankan(tugas=tugas, path=path, oleh=oleh)
    tugas.refresh_from_db()
    return tugas, hasil


def test_psm_baru_dan_lama(berkas, user_staf, psm_a, kelurahan_a, kelurahan_b):
    ProfilPSMFactory(user=psm_a, nik=NIK_ISTRI, nama="Siti", kelurahan_utama=kelurahan_a)
    isi = [
        KEPALA,
        [1, "Bujang Sutan", NIK_SUAMI, "Kel. Tanjuang Pauh", 81266001234, "400/1/SK/2025", "06/01/2025", "Koordinator"],
        [2, "Siti Rahmah", NIK_ISTRI, "Napar", "", "", "", "Anggota"],
    ]
    path = berkas("psm.xlsx", isi, judul=[["DAFTAR PSM KOTA PAYAKUMBUH 2025"]])
    tugas, hasil = jalankan(path, user_staf)
    assert tugas.status == StatusImpor.SELESAI, tugas.pesan
    assert (hasil.baru, hasil.diubah) == (1, 1)
    baru = ProfilPSM.objects.get(nik=NIK_SUAMI)
    u = baru.user
    assert (u.username, u.peran, u.is_active, u.has_usable_password()) == (f"psm{NIK_SUAMI}", "psm", False, False)
    assert list(u.kelurahan.all()) == [kelurahan_a]
    assert (baru.telepon, baru.nomor_sk, baru.tanggal_sk, baru.koordinator) == (
        "081266001234", "400/1/SK/2025", date(2025, 1, 6), True,
    )  # fmt: skip
    lama = ProfilPSM.objects.get(nik=NIK_ISTRI)
    assert (lama.nama, lama.kelurahan_utama, lama.user) == ("Siti Rahmah", kelurahan_b, psm_a)
    assert set(psm_a.kelurahan.all()) == {kelurahan_a, kelurahan_b}
    assert psm_a.is_active  # never changed by the import
    assert ProfilPSM.history.filter(nik=NIK_ISTRI, history_type="~", history_user=user_staf).count() == 1
    _t, hasil = jalankan(path, user_staf)
    assert (hasil.baru, hasil.diubah, hasil.tetap) == (0, 0, 2)
    assert User.objects.filter(username__startswith="psm1").count() == 1


def test_galat(berkas, user_staf):
    isi = [
        ["NAMA", "NIK", "KELURAHAN", "TELEPON", "AKTIF SEJAK", "AKTIF SAMPAI"],
        ["A", NIK_SUAMI, "", "", "", ""],
        ["B", NIK_LAIN, "Napar", "12ab", "01/01/2025", "01/01/2024"],
        ["C", NIK_SUAMI, "Napar", "", "", ""],
    ]
    tugas, hasil = jalankan(berkas("a.csv", isi), user_staf)
    assert tugas.status == StatusImpor.DITOLAK and hasil.ditolak == 3 and ProfilPSM.objects.count() == 0
    kolom = {(g.baris, g.kolom) for g in hasil.galat}
    assert {(2, "KELURAHAN"), (3, "TELEPON"), (3, "AKTIF SAMPAI"), (4, "NIK")} <= kolom
