"""Optimistic locking (akun/versi.py): a ``versi`` column on Kasus, raised by a trigger on every
UPDATE of the row (the workflow actions, the admin, a bulk update)."""

from django.db import migrations

from akun.versi import pasang_pemicu_versi, tambah_kolom_versi


class Migration(migrations.Migration):
    dependencies = [
        ("ppks", "0005_indeks_kelurahan_jenis"),
    ]

    operations = [
        tambah_kolom_versi("ppks", "Kasus"),
        pasang_pemicu_versi("ppks", "Kasus", "kasus"),
    ]
