# ruff: noqa: S608  (the SQL is built from model table and column names, quoted; no user input)
"""The caseload journal: which kelurahan's caseload changed, written by the database itself.

Why: the PSM home (``psm.views_lapangan.BerandaPSMView``) renders the same 30 subjects and 20 cases
on every visit, ~25 ms of Python at 1,000,000 persons, and a PSM opens it dozens of times a day
(issue 13 point 5: PSM home p95 at most 10 times a trivial page's). ``psm.cache_beranda`` keeps the
rendered lists and serves them again while nothing they show has changed. "Nothing has changed"
must hold for every write path: the services, the admin, the import's COPY and bulk UPDATE,
``QuerySet.update()``, the kelurahan-copy triggers, a psql session. Signals see only some of them;
triggers see them all.

So every write to a table the caseload reads appends a row (``PerubahanBeban``: an id and the
kelurahan it touched, NULL for reference data that every kelurahan shows) inside the writer's own
transaction. Appending never takes a lock another writer waits for (a counter row per kelurahan
would serialise an import and every visit of that kelurahan). The reader's version of a set of
kelurahan is ``(count, max id)`` of their rows and of the NULL rows:

* a committed write adds a row, so the count grows (a transaction that took its id earlier and
  commits later still changes the count even when the max stays);
* ``rapikan`` (run by the reader when a kelurahan has too many rows) deletes a kelurahan's older
  rows and appends a fresh one in the same transaction, so the max grows past every earlier key:
  for one max the count only ever grows, and no two states share a version.

PostgreSQL: ``AFTER ... FOR EACH STATEMENT`` triggers with transition tables, one INSERT of the
distinct kelurahan per statement (a 100,000-row import COPY adds at most 47 rows).
SQLite: ``AFTER ... FOR EACH ROW`` triggers with the same conditions.

Tables and what counts as a change (``SUMBER``): PPKS rows, cases, extreme-poor stays and visits,
any write; persons, a new head of household, a change of name, address, relation, household,
kelurahan or status, a deletion; households, a change of address or kelurahan; jenis PPKS, any
write (NULL: every kelurahan); distributions, a new one waiting for confirmation, a change of
status or kelurahan, a deletion; alerts, any write (the kelurahan of their case); kelurahan names,
any write (NULL). ``tests/psm/test_beranda_cache.py`` checks each path on both
databases.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, migrations, transaction

BATAS_BARIS = 200  # rows per kelurahan before the reader tidies them (rapikan)


@dataclass(frozen=True)
class Sumber:
    """One table the caseload reads. ``ubah``: the columns whose change matters on UPDATE (empty:
    any UPDATE); ``sisip``: SQL on the new row ``{r}`` that makes an INSERT matter, None for no
    INSERT trigger; ``kelurahan``: SQL giving the row's kelurahan; ``semua``: a write touches every
    kelurahan (a NULL row)."""

    app: str
    model: str
    nama: str  # short prefix of the trigger and function names
    ubah: tuple[str, ...] = ()
    sisip: str | None = "TRUE"
    kelurahan: str = "{r}.kelurahan_id"
    semua: bool = False

    def kel(self, r: str) -> str:
        return "NULL" if self.semua else self.kelurahan.format(r=r)


SUMBER = (
    Sumber("ppks", "PPKS", "bbn_ppks"),
    Sumber("ppks", "Kasus", "bbn_kasus"),
    Sumber("kemiskinan", "StatusMiskinEkstrem", "bbn_sme"),
    Sumber("psm", "Kunjungan", "bbn_kunj"),
    Sumber(
        "penduduk",
        "Penduduk",
        "bbn_pdd",
        ubah=("nama", "alamat", "hubungan", "keluarga_id", "kelurahan_id", "status"),
        sisip="{r}.hubungan = 'kepala'",
    ),
    Sumber("penduduk", "Keluarga", "bbn_kk", ubah=("alamat", "kelurahan_id"), sisip=None),
    Sumber("ppks", "JenisPPKS", "bbn_jenis", semua=True),
    # The home's "Bantuan menunggu konfirmasi" count: distributed, not yet confirmed.
    Sumber("bantuan", "Penyaluran", "bbn_salur", ubah=("status", "kelurahan_id"), sisip="{r}.status = 'disalurkan'"),
    # The home's unread alerts: the kelurahan of their case.
    Sumber(
        "ppks",
        "Notifikasi",
        "bbn_notif",
        kelurahan="(SELECT k.kelurahan_id FROM ppks_kasus k WHERE k.id = {r}.kasus_id)",
    ),
    # The home's "Wilayah kerja Anda" names.
    Sumber("wilayah", "Kelurahan", "bbn_kel", semua=True),
)

TABEL = "psm_perubahanbeban"


def _pg(s: Sumber, tabel: str, q) -> list[str]:
    """The statement-level triggers of one source table on PostgreSQL."""
    sql = []
    tulis = f"INSERT INTO {TABEL} (kelurahan_id)"

    def fungsi(acara: str, badan: str) -> None:
        nama = f"{s.nama}_{acara[0].lower()}"
        sql.append(
            f"CREATE OR REPLACE FUNCTION {nama}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {badan}; "
            "RETURN NULL; END $$"
        )
        rujukan = {
            "INSERT": "NEW TABLE AS baru",
            "DELETE": "OLD TABLE AS lama",
            "UPDATE": "OLD TABLE AS lama NEW TABLE AS baru",
        }
        sql.append(
            f"CREATE TRIGGER {nama} AFTER {acara} ON {tabel} REFERENCING {rujukan[acara]} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {nama}()"
        )

    if s.semua:
        for acara, transisi in (("INSERT", "baru"), ("UPDATE", "baru"), ("DELETE", "lama")):
            fungsi(acara, f"{tulis} SELECT NULL WHERE EXISTS (SELECT 1 FROM {transisi})")
        return sql
    if s.sisip is not None:
        fungsi(
            "INSERT",
            f"{tulis} SELECT k FROM (SELECT {s.kel('r')} AS k FROM baru r WHERE {s.sisip.format(r='r')}) v "
            "WHERE k IS NOT NULL GROUP BY k",
        )
    berubah = "TRUE"
    if s.ubah:
        lama, baru = (", ".join(f"{a}.{q(k)}" for k in s.ubah) for a in ("o", "n"))
        berubah = f"ROW({baru}) IS DISTINCT FROM ROW({lama})"
    fungsi(
        "UPDATE",
        f"{tulis} SELECT k FROM (SELECT {s.kel('n')} AS kb, {s.kel('o')} AS kl FROM baru n "
        f"JOIN lama o ON o.id = n.id WHERE {berubah}) u, LATERAL (VALUES (u.kb), (u.kl)) v(k) "
        "WHERE k IS NOT NULL GROUP BY k",
    )
    fungsi("DELETE", f"{tulis} SELECT k FROM (SELECT {s.kel('r')} AS k FROM lama r) v WHERE k IS NOT NULL GROUP BY k")
    return sql


def _sqlite(s: Sumber, tabel: str, q) -> list[str]:
    """The row-level triggers of one source table on SQLite (same conditions, one row at a time)."""
    sql = []
    tulis = f"INSERT INTO {TABEL} (kelurahan_id)"

    def pemicu(acara: str, kapan: str, badan: str) -> None:
        nama = f"{s.nama}_{acara[0].lower()}"
        sql.append(f"CREATE TRIGGER {nama} AFTER {acara} ON {tabel} FOR EACH ROW WHEN {kapan} BEGIN {badan}; END")

    if s.semua:
        for acara in ("INSERT", "UPDATE", "DELETE"):
            pemicu(acara, "1", f"{tulis} VALUES (NULL)")
        return sql
    baru, lama = s.kel("NEW"), s.kel("OLD")
    if s.sisip is not None:
        pemicu("INSERT", f"{baru} IS NOT NULL AND ({s.sisip.format(r='NEW')})", f"{tulis} VALUES ({baru})")
    berubah = " OR ".join(f"NEW.{q(k)} IS NOT OLD.{q(k)}" for k in s.ubah) if s.ubah else "1"
    pemicu(
        "UPDATE",
        berubah,
        f"{tulis} SELECT {baru} WHERE {baru} IS NOT NULL UNION SELECT {lama} WHERE {lama} IS NOT NULL",
    )
    pemicu("DELETE", f"{lama} IS NOT NULL", f"{tulis} VALUES ({lama})")
    return sql


def pasang_pemicu(sumber: tuple[Sumber, ...]) -> migrations.RunPython:
    """The migration operation installing the triggers of these tables (and removing them). A table
    added to ``SUMBER`` later gets a migration of its own passing only its ``Sumber``."""

    def maju(apps, schema_editor):
        q = schema_editor.quote_name
        buat = _pg if schema_editor.connection.vendor == "postgresql" else _sqlite
        for s in sumber:
            for perintah in buat(s, q(apps.get_model(s.app, s.model)._meta.db_table), q):
                schema_editor.execute(perintah)

    def mundur(apps, schema_editor):
        q = schema_editor.quote_name
        pg = schema_editor.connection.vendor == "postgresql"
        for s in sumber:
            tabel = q(apps.get_model(s.app, s.model)._meta.db_table)
            for acara in "iud":
                if pg:
                    schema_editor.execute(f"DROP TRIGGER IF EXISTS {s.nama}_{acara} ON {tabel}")
                    schema_editor.execute(f"DROP FUNCTION IF EXISTS {s.nama}_{acara}()")
                else:
                    schema_editor.execute(f"DROP TRIGGER IF EXISTS {s.nama}_{acara}")

    return migrations.RunPython(maju, mundur, elidable=False)


def sql_versi(kelurahan: str) -> str:
    """The version query over the kelurahan SQL ``kelurahan`` gives (a list of placeholders, or a
    subquery): (rows, max id) of theirs and of the NULL rows, one index-only scan."""
    return (
        f"SELECT COUNT(*), COALESCE(MAX(id), 0) FROM {TABEL} "
        f"WHERE kelurahan_id IN ({kelurahan}) OR kelurahan_id IS NULL"
    )


def versi(kelurahan_ids: list[int], terbaca: tuple[int, int] | None = None) -> tuple[int, int]:
    """The caseload version of these kelurahan (``terbaca``: already read with ``sql_versi``).
    Tidies the kelurahan's rows first when they have grown past BATAS_BARIS."""
    ids = sorted(set(kelurahan_ids))
    if terbaca is None:
        with connection.cursor() as cur:
            cur.execute(sql_versi(", ".join(["%s"] * len(ids)) or "NULL"), ids)
            terbaca = cur.fetchone()
    n, puncak = terbaca
    if n > BATAS_BARIS * (len(ids) + 1):
        rapikan(ids)
        return versi(ids)
    return int(n), int(puncak)


def rapikan(kelurahan_ids: list[int]) -> None:
    """Keep one row per kelurahan (and one NULL row): delete the older rows and append a fresh one,
    in one transaction, so that the version's max id grows past every key given out before."""
    with transaction.atomic(), connection.cursor() as cur:
        for k in [*kelurahan_ids, None]:
            sama = "kelurahan_id = %s" if k is not None else "kelurahan_id IS NULL"
            arg = [k] if k is not None else []
            cur.execute(f"SELECT COUNT(*) FROM {TABEL} WHERE {sama}", arg)
            if cur.fetchone()[0] <= 1:
                continue
            cur.execute(f"DELETE FROM {TABEL} WHERE {sama}", arg)
            cur.execute(f"INSERT INTO {TABEL} (kelurahan_id) VALUES (%s)", [k])
