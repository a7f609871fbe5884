"""Optimistic locking (akun/versi.py): a ``versi`` column on Keluarga and Penduduk, raised by a
trigger on every UPDATE of the row, whoever writes it."""

from django.db import migrations

from akun.versi import pasang_pemicu_versi, tambah_kolom_versi


class Migration(migrations.Migration):
    dependencies = [
        ("penduduk", "0003_indeks_daftar_sejuta_penduduk"),
    ]

    operations = [
        tambah_kolom_versi("penduduk", "Keluarga"),
        tambah_kolom_versi("penduduk", "Penduduk"),
        pasang_pemicu_versi("penduduk", "Keluarga", "keluarga"),
        pasang_pemicu_versi("penduduk", "Penduduk", "penduduk"),
    ]
