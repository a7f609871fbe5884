"""Load the 26 jenis PPKS of Permensos 08/2012 (ppks/data_jenis.py). Reversible."""

from django.db import migrations

from ppks.data_jenis import JENIS_PPKS


def muat(apps, schema_editor):
    JenisPPKS = apps.get_model("ppks", "JenisPPKS")
    for nomor, nama, singkatan, kelompok, sensitif, alias in JENIS_PPKS:
        JenisPPKS.objects.update_or_create(
            nomor=nomor,
            defaults={
                "nama": nama,
                "singkatan": singkatan,
                "kelompok": kelompok,
                "sensitif": sensitif,
                "alias": "\n".join(alias),
            },
        )


def hapus(apps, schema_editor):
    JenisPPKS = apps.get_model("ppks", "JenisPPKS")
    JenisPPKS.objects.filter(nomor__in=[baris[0] for baris in JENIS_PPKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("ppks", "0001_awal")]

    operations = [migrations.RunPython(muat, hapus)]
