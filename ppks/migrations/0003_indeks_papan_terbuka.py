"""Indexes for the case board and the PPKS list order, built concurrently on PostgreSQL."""

from django.db import migrations, models

from akun.migrasi import TambahIndeksSerentak, indeks_postgres


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("ppks", "0002_muat_jenis_ppks")]

    operations = [
        # The board and the alerts read only the open cases, by deadline.
        TambahIndeksSerentak(
            model_name="kasus",
            index=models.Index(
                condition=models.Q(("status__in", ("baru", "diverifikasi", "ditangani", "dirujuk"))),
                fields=["batas_respons", "id"],
                name="kasus_terbuka_idx",
            ),
        ),
        # The PPKS list's order, "never visited first": PostgreSQL sorts NULL last in a plain
        # ascending index, so it needs one declared NULLS FIRST (SQLite sorts NULL first anyway).
        indeks_postgres(
            app_label="ppks",
            model="ppks",
            nama="ppks_urut_kunjungan_idx",
            definisi='("terakhir_dikunjungi" ASC NULLS FIRST, "id")',
        ),
    ]
