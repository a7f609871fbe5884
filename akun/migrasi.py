"""Migration operations for indexes on live tables (PostgreSQL in production, SQLite elsewhere).

- ``TambahIndeksSerentak``: ``AddIndex`` that builds with ``CREATE INDEX CONCURRENTLY`` on
  PostgreSQL, so a registry of a million rows keeps taking writes while the index builds, and as
  a plain ``CREATE INDEX`` on SQLite. The migration must say ``atomic = False``.
- ``indeks_trigram``: a pg_trgm GIN index for ``LIKE '%…%'`` name searches, PostgreSQL only (the
  model state does not know it; SQLite keeps its plain scan, fine at its size).
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


def indeks_trigram(*, app_label: str, model: str, kolom: str, nama: str) -> migrations.RunPython:
    """A GIN trigram index on one column, built concurrently; nothing on other databases."""

    def maju(apps, schema_editor):
        if not _postgres(schema_editor):
            return
        tabel = schema_editor.quote_name(apps.get_model(app_label, model)._meta.db_table)
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {schema_editor.quote_name(nama)} "
            f"ON {tabel} USING gin ({schema_editor.quote_name(kolom)} gin_trgm_ops)"
        )

    def mundur(apps, schema_editor):
        if _postgres(schema_editor):
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(nama)}")

    return migrations.RunPython(maju, mundur, atomic=False, elidable=False)
