"""Indexes for the registry lists at a million persons (issue 6).

Built with CREATE INDEX CONCURRENTLY on PostgreSQL (akun.migrasi), so the live registry keeps
taking writes while they build; hence ``atomic = False``.
"""

from django.db import migrations, models

from akun.migrasi import TambahIndeksSerentak, indeks_trigram


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("penduduk", "0002_satu_kepala_per_keluarga"),
        ("wilayah", "0002_muat_kode_wilayah"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="keluarga",
            options={"ordering": ["kelurahan", "alamat", "id"], "verbose_name": "keluarga", "verbose_name_plural": "keluarga"},
        ),
        migrations.AlterModelOptions(
            name="penduduk",
            options={"ordering": ["nama_normal", "id"], "verbose_name": "penduduk", "verbose_name_plural": "penduduk"},
        ),
        TambahIndeksSerentak(
            model_name="keluarga",
            index=models.Index(fields=["kelurahan", "alamat", "id"], name="keluarga_urutan_idx"),
        ),
        TambahIndeksSerentak(
            model_name="penduduk",
            index=models.Index(fields=["nama_normal", "id"], name="penduduk_urutan_idx"),
        ),
        TambahIndeksSerentak(
            model_name="penduduk",
            index=models.Index(fields=["kelurahan", "nama_normal", "id"], name="penduduk_kel_urutan_idx"),
        ),
        TambahIndeksSerentak(
            model_name="penduduk",
            index=models.Index(fields=["diubah_pada"], name="penduduk_diubah_idx"),
        ),
        TambahIndeksSerentak(
            model_name="penduduk",
            index=models.Index(fields=["kelurahan", "diubah_pada"], name="penduduk_kel_diubah_idx"),
        ),
        TambahIndeksSerentak(
            model_name="penduduk",
            index=models.Index(condition=models.Q(("status", "hidup")), fields=["kelurahan"], name="penduduk_kel_hidup_idx"),
        ),
        TambahIndeksSerentak(
            model_name="penduduk",
            index=models.Index(
                condition=models.Q(("nik__isnull", True), ("status", "hidup")),
                fields=["kelurahan"],
                name="penduduk_kel_tanpa_nik_idx",
            ),
        ),
        indeks_trigram(app_label="penduduk", model="penduduk", kolom="nama_normal", nama="penduduk_nama_trgm_idx"),
        # The plain nama_normal index is covered by (nama_normal, id) and (nama_normal, tanggal_lahir).
        migrations.AlterField(
            model_name="historicalpenduduk",
            name="nama_normal",
            field=models.CharField(editable=False, max_length=150),
        ),
        migrations.AlterField(
            model_name="penduduk",
            name="nama_normal",
            field=models.CharField(editable=False, max_length=150),
        ),
    ]
