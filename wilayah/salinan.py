# ruff: noqa: S608  (the SQL is built from model table names, quoted; no user input)
"""A copy of the parent's kelurahan on a child row, kept exact by the database (triggers).

Why: the dashboard counts PPKS per kelurahan and extreme-poor stays per kelurahan. The kelurahan
lives on the person (``Penduduk.kelurahan``) or the household (``Keluarga.kelurahan``); grouping
through that join makes PostgreSQL read the whole registry (a million persons: 150-300 ms for
50,000 PPKS rows). A copy on the child row turns it into a scan of the child table alone.

A copy drifts unless every write path keeps it: the services, the admin, the import's COPY and
``INSERT ... ON CONFLICT``, ``QuerySet.update()``, a psql session. Triggers see them all:

* inserting or re-pointing a child row (or writing its copy directly) sets the copy from the parent
  (PostgreSQL: ``BEFORE INSERT OR UPDATE OF <fk>, kelurahan_id``; SQLite: the same ``AFTER``,
  as an ``UPDATE`` of the new row);
* moving the parent to another kelurahan updates its child rows (``AFTER UPDATE OF kelurahan_id``
  on the parent, only when the value changed).

The Django field is ``editable=False`` and left out of the change history (it is derived, not
entered). The value on an instance in memory is whatever was loaded: code that needs it reads it
from the database (the dashboard's grouped queries do). ``tests/wilayah/test_salinan.py`` checks
every path on both databases.
"""

from __future__ import annotations

from django.db import migrations


def _nama(apps, app_label: str, model: str) -> str:
    return apps.get_model(app_label, model)._meta.db_table


def salin_kelurahan(*, anak: tuple[str, str], fk: str, induk: tuple[str, str], nama: str) -> migrations.RunPython:
    """Backfill ``kelurahan_id`` of the child table ``anak`` (app_label, model) from ``induk``
    through the column ``fk`` and install the triggers that keep it exact (``nama``: a short,
    unique prefix for the trigger and function names)."""

    def maju(apps, schema_editor):
        q = schema_editor.quote_name
        t_anak, t_induk = q(_nama(apps, *anak)), q(_nama(apps, *induk))
        k = q(fk)
        jalankan = schema_editor.execute
        jalankan(
            f"UPDATE {t_anak} SET kelurahan_id = (SELECT i.kelurahan_id FROM {t_induk} i WHERE i.id = {t_anak}.{k})"
        )
        if schema_editor.connection.vendor == "postgresql":
            jalankan(
                f"CREATE OR REPLACE FUNCTION {nama}_isi() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN SELECT i.kelurahan_id INTO NEW.kelurahan_id FROM {t_induk} i WHERE i.id = NEW.{k}; "
                "RETURN NEW; END $$"
            )
            jalankan(
                f"CREATE TRIGGER {nama}_isi BEFORE INSERT OR UPDATE OF {k}, kelurahan_id ON {t_anak} "
                f"FOR EACH ROW EXECUTE FUNCTION {nama}_isi()"
            )
            jalankan(
                f"CREATE OR REPLACE FUNCTION {nama}_ikut() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN UPDATE {t_anak} SET kelurahan_id = NEW.kelurahan_id WHERE {k} = NEW.id; "
                "RETURN NULL; END $$"
            )
            jalankan(
                f"CREATE TRIGGER {nama}_ikut AFTER UPDATE OF kelurahan_id ON {t_induk} FOR EACH ROW "
                f"WHEN (OLD.kelurahan_id IS DISTINCT FROM NEW.kelurahan_id) EXECUTE FUNCTION {nama}_ikut()"
            )
            return
        dari_induk = f"(SELECT i.kelurahan_id FROM {t_induk} i WHERE i.id = NEW.{k})"
        jalankan(
            f"CREATE TRIGGER {nama}_isi_baru AFTER INSERT ON {t_anak} FOR EACH ROW "
            f"BEGIN UPDATE {t_anak} SET kelurahan_id = {dari_induk} WHERE id = NEW.id; END"
        )
        jalankan(
            f"CREATE TRIGGER {nama}_isi_ubah AFTER UPDATE OF {k}, kelurahan_id ON {t_anak} FOR EACH ROW "
            f"WHEN NEW.kelurahan_id IS NOT {dari_induk} "
            f"BEGIN UPDATE {t_anak} SET kelurahan_id = {dari_induk} WHERE id = NEW.id; END"
        )
        jalankan(
            f"CREATE TRIGGER {nama}_ikut AFTER UPDATE OF kelurahan_id ON {t_induk} FOR EACH ROW "
            "WHEN NEW.kelurahan_id IS NOT OLD.kelurahan_id "
            f"BEGIN UPDATE {t_anak} SET kelurahan_id = NEW.kelurahan_id WHERE {k} = NEW.id; END"
        )

    def mundur(apps, schema_editor):
        q = schema_editor.quote_name
        t_anak, t_induk = q(_nama(apps, *anak)), q(_nama(apps, *induk))
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {nama}_isi ON {t_anak}")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {nama}_ikut ON {t_induk}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {nama}_isi()")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {nama}_ikut()")
            return
        for pemicu in ("isi_baru", "isi_ubah", "ikut"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {nama}_{pemicu}")

    return migrations.RunPython(maju, mundur, elidable=False)
