"""``manage.py import_data``: output and exit codes."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from penduduk.models import Penduduk
from tests.impor.conftest import isi_dasar

pytestmark = pytest.mark.django_db


def perintah(*args):
    try:
        call_command("import_data", *map(str, args))
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, ""


def test_berhasil_lalu_ulang(berkas, capsys):
    path = berkas("a.xlsx", isi_dasar())
    assert perintah(path, "--type", "penduduk") == (0, "")
    keluar = capsys.readouterr().out
    assert "baru: 4" in keluar and "Keluarga baru: 2" in keluar and "Tersimpan." in keluar
    assert perintah(path, "--type", "penduduk")[0] == 0
    assert "tidak berubah: 4" in capsys.readouterr().out


def test_baris_ditolak_kode_1(berkas, capsys, tmp_path):
    isi = isi_dasar()
    isi[2][13 - 1] = "31/02/1980"
    path = berkas("a.csv", isi, pemisah=";")
    kode, pesan = perintah(path, "--type", "penduduk", "--rejected-xlsx", tmp_path / "t.xlsx")
    keluar = capsys.readouterr().out
    assert (kode, pesan) == (1, "1 baris ditolak.")
    assert "baris 3, kolom TANGGAL LAHIR: Tanggal 31/02/1980 tidak ada di kalender." in keluar
    assert "Tidak ada yang disimpan" in keluar
    assert Penduduk.objects.count() == 0
    assert (tmp_path / "t.xlsx").exists()
    kode, _ = perintah(path, "--type", "penduduk", "--skip-errors")
    assert kode == 1 and Penduduk.objects.count() == 3


def test_uji_coba(berkas, capsys):
    assert perintah(berkas("a.xlsx", isi_dasar()), "--type", "penduduk", "--dry-run")[0] == 0
    assert "Uji coba" in capsys.readouterr().out
    assert Penduduk.objects.count() == 0


def test_lembar(berkas, capsys):
    path = berkas("a.xlsx", isi_dasar(), nama_lembar="DTKS 2023")
    assert perintah(path, "--type", "penduduk", "--sheet", "dtks 2023")[0] == 0
    assert perintah(path, "--type", "penduduk", "--sheet", "Lain")[0] == 2


@pytest.mark.parametrize(
    ("args", "potongan"),
    [
        (["--type", "ppks"], "JENIS PPKS"),  # a DTKS sheet without a jenis column or title
        (["--type", "p3ke-keluarga"], "ID keluarga P3KE"),  # a required column is missing
        (["--type", "entah"], "tidak dikenal"),
    ],
)
def test_jenis_tidak_tersedia_kode_2(berkas, args, potongan):
    kode, pesan = perintah(berkas("a.xlsx", isi_dasar()), *args)
    assert kode == 2 and potongan in pesan


def test_berkas_buruk_kode_2(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"%PDF-1.7 bukan excel")
    kode, pesan = perintah(path, "--type", "penduduk")
    assert kode == 2 and "bukan spreadsheet" in pesan
    assert perintah(tmp_path / "tidak-ada.xlsx", "--type", "penduduk")[0] == 2


def test_pengguna_psm_ditolak(berkas, psm_a):
    kode, _ = perintah(berkas("a.xlsx", isi_dasar()), "--type", "penduduk", "--user", psm_a.username)
    assert kode == 2 and Penduduk.objects.count() == 0
