"""StatusMiskinEkstrem.kelurahan: the household's kelurahan, copied and kept exact by triggers
(wilayah/salinan.py); with the index the grouped counts read."""

import django.db.models.deletion
from django.db import migrations, models

from wilayah.salinan import salin_kelurahan


class Migration(migrations.Migration):
    dependencies = [
        ("kemiskinan", "0002_garis_kemiskinan_2021"),
        ("penduduk", "0003_indeks_daftar_sejuta_penduduk"),
        ("wilayah", "0002_muat_kode_wilayah"),
    ]

    operations = [
        migrations.AddField(
            model_name="statusmiskinekstrem",
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
        salin_kelurahan(
            anak=("kemiskinan", "StatusMiskinEkstrem"), fk="keluarga_id", induk=("penduduk", "Keluarga"), nama="sme_kel"
        ),
    ]
