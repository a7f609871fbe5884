"""The extreme-poverty line Dinsos Payakumbuh uses: USD 1.9 PPP per person per day = Rp10.739 per
day = Rp322.170 per person per month (BPS 2021; DOMAIN.md). Later values are added as new rows
(back office), each from its own date."""

import datetime as dt

from django.db import migrations

BERLAKU_MULAI = dt.date(2021, 1, 1)


def maju(apps, schema_editor):
    Garis = apps.get_model("kemiskinan", "GarisKemiskinan")
    Garis.objects.get_or_create(
        berlaku_mulai=BERLAKU_MULAI,
        defaults={
            "rupiah_per_orang_per_bulan": 322_170,
            "sumber": "BPS 2021: USD 1,9 PPP per orang per hari (Rp10.739/hari)",
        },
    )


def mundur(apps, schema_editor):
    apps.get_model("kemiskinan", "GarisKemiskinan").objects.filter(
        berlaku_mulai=BERLAKU_MULAI, rupiah_per_orang_per_bulan=322_170
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("kemiskinan", "0001_awal")]

    operations = [migrations.RunPython(maju, mundur)]
