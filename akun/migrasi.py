"""Migration operations for indexes on live tables (PostgreSQL in production, SQLite elsewhere).

- ``TambahIndeksSerentak``: ``AddIndex`` that builds with ``CREATE INDEX CONCURRENTLY`` on
  PostgreSQL, so a registry of a million rows keeps taking writes while the index builds, and as
  a plain ``CREATE INDEX`` on SQLite. The migration must say ``atomic = False``.
- ``indeks_postgres`` / ``indeks_trigram``: an index only PostgreSQL has (a pg_trgm GIN index for
  ``LIKE '%…%'`` name searches; an order with NULLS FIRST), unknown to the model state; SQLite
  keeps its plain scan, fine at its size.
"""

from __future__ import annotations

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations
from django.db.migrations.operations import AddIndex


def _postgres(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


class TambahIndeksSerentak(AddIndexConcurrently):
    def describe(self) -> str:
        return f"Create index {self.index.name} (concurrently on PostgreSQL) on {self.model_name}"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _postgres(schema_editor):
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if _postgres(schema_editor):
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


def indeks_postgres(
    *, app_label: str, model: str, nama: str, definisi: str, ekstensi: str = ""
) -> migrations.RunPython:
    """An index only PostgreSQL can build (``definisi`` follows ``ON <table>``: "USING gin (...)",
    "(col ASC NULLS FIRST, id)"), built concurrently; nothing on other databases."""

    def maju(apps, schema_editor):
        if not _postgres(schema_editor):
            return
        tabel = schema_editor.quote_name(apps.get_model(app_label, model)._meta.db_table)
        if ekstensi:
            schema_editor.execute(f"CREATE EXTENSION IF NOT EXISTS {ekstensi}")
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {schema_editor.quote_name(nama)} ON {tabel} {definisi}"
        )

    def mundur(apps, schema_editor):
        if _postgres(schema_editor):
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(nama)}")

    return migrations.RunPython(maju, mundur, atomic=False, elidable=False)


def indeks_trigram(*, app_label: str, model: str, kolom: str, nama: str) -> migrations.RunPython:
    """A GIN trigram index on one column for ``LIKE '%…%'``. pg_trgm is a trusted extension
    (PostgreSQL 13+): the database owner may create it."""
    return indeks_postgres(
        app_label=app_label, model=model, nama=nama, definisi=f'USING gin ("{kolom}" gin_trgm_ops)', ekstensi="pg_trgm"
    )
