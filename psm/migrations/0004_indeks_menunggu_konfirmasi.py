"""The PSM home's "Bantuan menunggu konfirmasi" count (psm.views_lapangan.BerandaPSMView, through
bantuan.views_konfirmasi.menunggu_konfirmasi): a kelurahan's distributions still waiting for the
family's confirmation. A partial index on those rows only, in the list's order (tanggal, id), turns
the count into an index-only scan (about 1,500 entries in a big kelurahan, instead of reading
2,400 pages of the table at 1,000,000 persons). Here, not in bantuan, because the PSM home is
what needs it. Built concurrently on PostgreSQL; SQLite keeps its plain scan."""

from django.db import migrations

from akun.migrasi import indeks_postgres


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("psm", "0003_indeks_kunjungan_kota"), ("bantuan", "0003_ringkasan_bulanan")]

    operations = [
        indeks_postgres(
            app_label="bantuan",
            model="penyaluran",
            nama="penyaluran_menunggu_idx",
            definisi='("kelurahan_id", "tanggal", "id") WHERE "status" = \'disalurkan\'',
        ),
    ]
