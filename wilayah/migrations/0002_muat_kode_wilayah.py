"""Load the 5 kecamatan and 47 kelurahan of Kota Payakumbuh (Kepmendagri codes), their BPS
codes and the old or variant names staff still use. Source files: wilayah/data/*.csv, copied
from the project's shared reference data."""

import csv
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

DATA = Path(__file__).resolve().parent.parent / "data"


def _baca(nama):
    with open(DATA / nama, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def muat(apps, schema_editor):
    from wilayah.nama import normalisasi_nama_wilayah

    Kecamatan = apps.get_model("wilayah", "Kecamatan")
    Kelurahan = apps.get_model("wilayah", "Kelurahan")
    AliasWilayah = apps.get_model("wilayah", "AliasWilayah")
    bps = {r["kode_kemendagri"]: r["kode_bps"] for r in _baca("payakumbuh_kemendagri_bps_crosswalk.csv")}

    baris = _baca("payakumbuh_wilayah.csv")
    kecamatan = {}
    for r in baris:
        if r["tingkat"] == "kecamatan":
            kecamatan[r["kode"]], _ = Kecamatan.objects.update_or_create(
                kode=r["kode"], defaults={"nama": r["nama"], "kode_bps": bps.get(r["kode"], "")}
            )
    for r in baris:
        if r["tingkat"] == "kelurahan":
            Kelurahan.objects.update_or_create(
                kode=r["kode"],
                defaults={
                    "nama": r["nama"],
                    "kecamatan": kecamatan[r["kode_induk"]],
                    "slug": slugify(r["nama"]),
                    "kode_bps": bps.get(r["kode"], ""),
                },
            )

    for r in _baca("payakumbuh_kelurahan_alias.csv"):
        kode = r["kode_kemendagri"]
        target = (
            {"kecamatan": Kecamatan.objects.get(kode=kode)}
            if kode.count(".") == 2
            else {"kelurahan": Kelurahan.objects.get(kode=kode)}
        )
        AliasWilayah.objects.update_or_create(
            alias_normal=normalisasi_nama_wilayah(r["alias"]),
            defaults={"alias": r["alias"], "dasar": r["dasar"], **target},
        )


def hapus(apps, schema_editor):
    apps.get_model("wilayah", "AliasWilayah").objects.all().delete()
    apps.get_model("wilayah", "Kelurahan").objects.all().delete()
    apps.get_model("wilayah", "Kecamatan").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("wilayah", "0001_initial")]

    operations = [migrations.RunPython(muat, hapus)]
