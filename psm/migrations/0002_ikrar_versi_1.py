"""The pledge read at the coordination meeting, version 1 (later versions are added in admin)."""

import datetime as dt

from django.db import migrations

TEKS = """Kami, Pekerja Sosial Masyarakat Kota Payakumbuh, berikrar:
1. Siap melayani dan mendampingi setiap Pemerlu Pelayanan Kesejahteraan Sosial (PPKS) di kelurahan kami: mengenal siapa mereka, apa kebutuhannya, dan mengunjunginya secara berkala.
2. Bergerak cepat menanggapi setiap kasus yang kami temukan atau dilaporkan warga, dan segera melaporkannya kepada Dinas Sosial.
3. Ikut menuntaskan kemiskinan ekstrem di kelurahan kami sampai tidak ada lagi keluarga miskin ekstrem.
4. Mendampingi keluarga penerima manfaat dengan ikhlas, tanpa mengharapkan imbalan apa pun.
5. Tidak akan melakukan pungutan liar (pungli), memotong, atau menyalahgunakan bantuan sosial dalam bentuk apa pun, dan siap menanggung akibat hukumnya bila melanggar.
6. Menjaga kerahasiaan data pribadi warga yang kami dampingi sesuai UU Pelindungan Data Pribadi."""


def muat(apps, schema_editor):
    Ikrar = apps.get_model("psm", "Ikrar")
    Ikrar.objects.update_or_create(
        versi=1,
        defaults={"judul": "Ikrar PSM Kota Payakumbuh", "teks": TEKS, "berlaku_sejak": dt.date(2023, 6, 16)},
    )


def hapus(apps, schema_editor):
    apps.get_model("psm", "Ikrar").objects.filter(versi=1, persetujuan__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("psm", "0001_awal")]

    operations = [migrations.RunPython(muat, hapus)]
