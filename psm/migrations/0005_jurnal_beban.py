"""The caseload journal (psm/jurnal.py): a row per write to what a kelurahan's caseload shows,
appended by triggers on PPKS, cases, extreme-poor stays, visits, persons, households, jenis PPKS
and distributions.
The PSM home's cache is keyed on it (issue 13 point 5)."""

import django.db.models.deletion
from django.db import migrations, models

from psm.jurnal import SUMBER, pasang_pemicu


class Migration(migrations.Migration):
    dependencies = [
        ("psm", "0004_indeks_menunggu_konfirmasi"),
        ("wilayah", "0002_muat_kode_wilayah"),
        ("ppks", "0007_indeks_wilayah_kunjungan"),
        ("penduduk", "0004_versi_penguncian"),
        ("kemiskinan", "0003_kelurahan_salinan"),
        ("bantuan", "0003_ringkasan_bulanan"),
    ]

    operations = [
        migrations.CreateModel(
            name="PerubahanBeban",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "kelurahan",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="wilayah.kelurahan",
                    ),
                ),
            ],
            options={
                "verbose_name": "jejak perubahan beban kerja",
                "indexes": [models.Index(fields=["kelurahan", "id"], name="perubahan_beban_kel_idx")],
            },
        ),
        pasang_pemicu(SUMBER),
    ]
