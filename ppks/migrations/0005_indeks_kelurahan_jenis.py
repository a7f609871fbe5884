"""The dashboard's PPKS counts per (kelurahan, jenis), built without locking a live table."""

from django.db import migrations, models

from akun.migrasi import TambahIndeksSerentak


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("ppks", "0004_kelurahan_salinan")]

    operations = [
        TambahIndeksSerentak(
            model_name="ppks",
            index=models.Index(fields=["kelurahan", "jenis"], name="ppks_kelurahan_jenis_idx"),
        ),
    ]
