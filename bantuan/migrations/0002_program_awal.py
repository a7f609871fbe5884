"""The twelve programmes a Dinsos Kota tracks (DOMAIN.md, "Social-assistance programmes"), as data.

Values are starting points, editable in the back office:
- BPNT/Sembako: Rp200.000 per KPM per month, paid quarterly: Rp600.000 per triwulan.
- PBI-JK: the state pays the JKN premium for class III, Rp42.000 per person per month (Perpres
  64/2020; not in DOMAIN.md, confirm before relying on it).
- KUBE/UEP: the Rp6 juta business grant per extreme-poor household used in Payakumbuh (insentif
  fiskal + Baznas, DOMAIN.md), one-off.
- The others vary per component or per case (PKH components, RTLH per house, ...): no standard
  amount; the amount is entered with each distribution.
Reversible: the reverse removes these twelve (refused while a distribution names one, PROTECT).
"""

from django.db import migrations

PROGRAM = [
    # kode, nama, sumber_dana, bentuk, nilai_standar, periode, kelompok
    ("PKH", "Program Keluarga Harapan", "apbn", "tunai", None, "triwulan", "pkh"),
    ("BPNT", "BPNT/Program Sembako", "apbn", "nontunai", 600_000, "triwulan", "bpnt"),
    ("BLT", "Bantuan Langsung Tunai (BST, BLT BBM, ...)", "apbn", "tunai", None, "sekali", "lainnya"),
    ("PBI-JK", "Penerima Bantuan Iuran Jaminan Kesehatan", "apbn", "jasa", 42_000, "bulanan", "pbi_jk"),
    ("ATENSI", "Asistensi Rehabilitasi Sosial", "apbn", "jasa", None, "sekali", "lainnya"),
    ("RTLH", "Rehabilitasi Sosial Rumah Tidak Layak Huni", "apbn", "barang", None, "sekali", "lainnya"),
    ("KUBE-UEP", "KUBE/Usaha Ekonomi Produktif (bantuan usaha)", "apbd_kota", "hibah_usaha", 6_000_000, "sekali",
     "bantuan_usaha"),
    ("PERMAKANAN", "Permakanan lansia/disabilitas tunggal", "apbn", "barang", None, "bulanan", "lainnya"),
    ("YAPI", "Bantuan Yatim Piatu", "apbn", "tunai", None, "bulanan", "lainnya"),
    ("APBD", "Bantuan sosial APBD Kota", "apbd_kota", "barang", None, "sekali", "lainnya"),
    ("BAZNAS", "Bantuan Baznas (zakat)", "baznas", "tunai", None, "sekali", "lainnya"),
    ("CSR", "Bantuan CSR perusahaan", "csr", "barang", None, "sekali", "lainnya"),
]  # fmt: skip

KETERANGAN = {
    "PKH": "Nilai menurut komponen keluarga (ibu hamil, anak usia dini, sekolah, lansia, disabilitas berat).",
    "BPNT": "Rp200.000 per KPM per bulan, disalurkan per triwulan ke kartu KKS.",
    "PBI-JK": "Iuran JKN kelas III yang dibayar negara, per orang per bulan.",
    "KUBE-UEP": "Hibah usaha ekonomi produktif; Rp6 juta per KK miskin ekstrem (Rp3,5 juta per KK miskin).",
}


def buat(apps, schema_editor):
    Program = apps.get_model("bantuan", "Program")
    for kode, nama, sumber, bentuk, nilai, periode, kelompok in PROGRAM:
        Program.objects.update_or_create(
            kode=kode,
            defaults={
                "nama": nama, "sumber_dana": sumber, "bentuk": bentuk, "nilai_standar": nilai, "periode": periode,
                "kelompok": kelompok, "aktif": True, "keterangan": KETERANGAN.get(kode, ""),
            },
        )  # fmt: skip


def hapus(apps, schema_editor):
    apps.get_model("bantuan", "Program").objects.filter(kode__in=[p[0] for p in PROGRAM]).delete()


class Migration(migrations.Migration):
    dependencies = [("bantuan", "0001_program_penyaluran_bendera")]

    operations = [migrations.RunPython(buat, hapus)]
