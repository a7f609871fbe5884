# ruff: noqa: S608  (the SQL is built from model table names and the status constants; no user input)
"""Triggers that keep ``RingkasanBulanan`` exact (bantuan/models/ringkasan.py), SQLite and PostgreSQL.

On ``Penyaluran``: an insert that is distributed adds one and its amount to its month, programme
and kelurahan; a delete subtracts; an update that changes the status, date, amount, programme or
kelurahan subtracts the old row and adds the new one. ``isi_ulang`` rebuilds the table from the
distributions (the migration's backfill; also for a repair after a restore).
"""

from __future__ import annotations

from django.db import migrations

from bantuan.choices import StatusPenyaluran

TERSALUR = f"('{StatusPenyaluran.DISALURKAN.value}', '{StatusPenyaluran.DIKONFIRMASI.value}')"
SALUR = "bantuan_penyaluran"
RINGKAS = "bantuan_ringkasanbulanan"
BERUBAH = (
    "OLD.status IS DISTINCT FROM NEW.status OR OLD.tanggal IS DISTINCT FROM NEW.tanggal "
    "OR OLD.nilai IS DISTINCT FROM NEW.nilai OR OLD.program_id IS DISTINCT FROM NEW.program_id "
    "OR OLD.kelurahan_id IS DISTINCT FROM NEW.kelurahan_id"
)


def _bulan(vendor: str, kolom: str) -> str:
    if vendor == "postgresql":
        return f"date_trunc('month', {kolom})::date"
    return f"date({kolom}, 'start of month')"


def _tambah(vendor: str, syarat: str) -> str:
    return (
        f"INSERT INTO {RINGKAS} (bulan, program_id, kelurahan_id, jumlah, rupiah) "
        f"SELECT {_bulan(vendor, 'NEW.tanggal')}, NEW.program_id, NEW.kelurahan_id, 1, NEW.nilai WHERE {syarat} "
        "ON CONFLICT (bulan, program_id, kelurahan_id) DO UPDATE "
        f"SET jumlah = {RINGKAS}.jumlah + 1, rupiah = {RINGKAS}.rupiah + excluded.rupiah"
    )


def _kurang(vendor: str, syarat: str) -> str:
    return (
        f"UPDATE {RINGKAS} SET jumlah = jumlah - 1, rupiah = rupiah - OLD.nilai "
        f"WHERE {syarat} AND bulan = {_bulan(vendor, 'OLD.tanggal')} "
        "AND program_id = OLD.program_id AND kelurahan_id = OLD.kelurahan_id"
    )


def isi_ulang(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    schema_editor.execute(f"DELETE FROM {RINGKAS}")
    schema_editor.execute(
        f"INSERT INTO {RINGKAS} (bulan, program_id, kelurahan_id, jumlah, rupiah) "
        f"SELECT {_bulan(vendor, 'tanggal')}, program_id, kelurahan_id, count(*), sum(nilai) "
        f"FROM {SALUR} WHERE status IN {TERSALUR} GROUP BY 1, 2, 3"
    )


def _maju(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    jalankan = schema_editor.execute
    isi_ulang(schema_editor)
    if vendor == "postgresql":
        for nama, langkah in (
            ("tambah", _tambah(vendor, f"NEW.status IN {TERSALUR}")),
            ("kurang", _kurang(vendor, f"OLD.status IN {TERSALUR}")),
            (
                "ubah",
                _kurang(vendor, f"OLD.status IN {TERSALUR}") + "; " + _tambah(vendor, f"NEW.status IN {TERSALUR}"),
            ),
        ):
            jalankan(
                f"CREATE OR REPLACE FUNCTION bantuan_ringkasan_{nama}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {langkah}; RETURN NULL; END $$"
            )
        jalankan(
            f"CREATE TRIGGER bantuan_ringkasan_tambah AFTER INSERT ON {SALUR} FOR EACH ROW "
            "EXECUTE FUNCTION bantuan_ringkasan_tambah()"
        )
        jalankan(
            f"CREATE TRIGGER bantuan_ringkasan_kurang AFTER DELETE ON {SALUR} FOR EACH ROW "
            "EXECUTE FUNCTION bantuan_ringkasan_kurang()"
        )
        jalankan(
            f"CREATE TRIGGER bantuan_ringkasan_ubah AFTER UPDATE ON {SALUR} FOR EACH ROW WHEN ({BERUBAH}) "
            "EXECUTE FUNCTION bantuan_ringkasan_ubah()"
        )
        return
    berubah = BERUBAH.replace("IS DISTINCT FROM", "IS NOT")
    jalankan(
        f"CREATE TRIGGER bantuan_ringkasan_tambah AFTER INSERT ON {SALUR} FOR EACH ROW "
        f"BEGIN {_tambah(vendor, f'NEW.status IN {TERSALUR}')}; END"
    )
    jalankan(
        f"CREATE TRIGGER bantuan_ringkasan_kurang AFTER DELETE ON {SALUR} FOR EACH ROW "
        f"BEGIN {_kurang(vendor, f'OLD.status IN {TERSALUR}')}; END"
    )
    jalankan(
        f"CREATE TRIGGER bantuan_ringkasan_ubah AFTER UPDATE ON {SALUR} FOR EACH ROW WHEN {berubah} "
        f"BEGIN {_kurang(vendor, f'OLD.status IN {TERSALUR}')}; {_tambah(vendor, f'NEW.status IN {TERSALUR}')}; END"
    )


def _mundur(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for nama in ("tambah", "kurang", "ubah"):
        if postgres:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS bantuan_ringkasan_{nama} ON {SALUR}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS bantuan_ringkasan_{nama}()")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS bantuan_ringkasan_{nama}")


def operasi() -> migrations.RunPython:
    return migrations.RunPython(_maju, _mundur, elidable=False)
