"""The PSM home's PPKS list (psm/beban.py): a kelurahan's active PPKS rows with each person's
last visit, read from the index alone (an index-only scan of about 1,500 entries in a big kelurahan
at 1,000,000 persons, instead of joining the kelurahan's 30,000 persons). Built concurrently on
PostgreSQL; SQLite keeps its plain scan, fine at its size."""

from django.db import migrations

from akun.migrasi import indeks_postgres


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("ppks", "0006_versi_penguncian_kasus")]

    operations = [
        indeks_postgres(
            app_label="ppks",
            model="ppks",
            nama="ppks_wilayah_kunjungan_idx",
            definisi='("kelurahan_id", "penduduk_id", "terakhir_dikunjungi") WHERE NOT "status" = \'bukan_ppks\'',
        ),
    ]
