"""PPKS.kelurahan: the person's kelurahan, copied and kept exact by triggers (wilayah/salinan.py)."""

import django.db.models.deletion
from django.db import migrations, models

from wilayah.salinan import salin_kelurahan


class Migration(migrations.Migration):
    dependencies = [
        ("penduduk", "0003_indeks_daftar_sejuta_penduduk"),
        ("ppks", "0003_indeks_papan_terbuka"),
        ("wilayah", "0002_muat_kode_wilayah"),
    ]

    operations = [
        migrations.AddField(
            model_name="ppks",
            name="kelurahan",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="wilayah.kelurahan",
                verbose_name="kelurahan (salinan)",
            ),
        ),
        salin_kelurahan(anak=("ppks", "PPKS"), fk="penduduk_id", induk=("penduduk", "Penduduk"), nama="ppks_kel"),
    ]
