"""``manage.py cadangkan FOLDER``: a consistent backup of the database and of the private files, with
a manifest; ``manage.py cadangkan --periksa MANIFEST`` checks a restored system against it (README,
"Backup and restore").

* PostgreSQL: ``pg_dump --format=custom --no-owner`` on a snapshot exported from a REPEATABLE READ
  transaction in which the rows of every table are counted too, so the manifest's counts are exactly
  those of the dump while the app keeps writing. Needs the PostgreSQL client tools (``pg_dump``) of
  the server's major version or newer.
* SQLite: the online backup API (what ``sqlite3 db.sqlite3 ".backup 'x'"`` uses) into a file; the
  rows are counted in the copy.
* Files: ``PRIVATE_MEDIA_ROOT`` (visit photos, receipt photos, complaint attachments, import
  uploads and reports) as a tar.gz; each file's sha256 goes into the manifest.

``--periksa`` compares the current database (row count of every table) and ``PRIVATE_MEDIA_ROOT``
(every file of the manifest with the same bytes, and every file the database names) with the
manifest; run it after a restore, before the app and the worker start writing. Exit status 1 and
the differences when they do not match.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

VERSI_MANIFEST = 1


def hitung_baris(cursor, tabel: list[str], quote) -> dict[str, int]:
    hasil = {}
    for t in sorted(tabel):
        cursor.execute(f"SELECT count(*) FROM {quote(t)}")  # noqa: S608 (table names from introspection)
        hasil[t] = cursor.fetchone()[0]
    return hasil


def env_pg(s: dict) -> dict:
    env = {**os.environ, "PGHOST": s["HOST"] or "127.0.0.1", "PGPORT": str(s["PORT"] or 5432)}
    if s["USER"]:
        env["PGUSER"] = s["USER"]
    if s["PASSWORD"]:
        env["PGPASSWORD"] = s["PASSWORD"]
    return env


def cadangkan_pg(tujuan: Path) -> dict[str, int]:
    """pg_dump on an exported snapshot; the counts from the same snapshot."""
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        c.execute("SELECT pg_export_snapshot()")
        snapshot = c.fetchone()[0]
        cmd = ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={tujuan}"]
        hasil = subprocess.run(  # noqa: S603
            [*cmd, connection.settings_dict["NAME"]],
            env=env_pg(connection.settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
        if hasil.returncode:
            raise CommandError(f"pg_dump gagal: {hasil.stderr.strip()}")
        return hitung_baris(c, connection.introspection.table_names(c), connection.ops.quote_name)


def cadangkan_sqlite(tujuan: Path) -> dict[str, int]:
    connection.ensure_connection()
    salinan = sqlite3.connect(tujuan)
    try:
        connection.connection.backup(salinan)
        c = salinan.cursor()
        tabel = [
            r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        return hitung_baris(c, tabel, connection.ops.quote_name)
    finally:
        salinan.close()


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for blok in iter(lambda: f.read(1 << 20), b""):
            h.update(blok)
    return h.hexdigest()


def arsipkan_berkas(akar: Path, tujuan: Path) -> dict[str, str]:
    """PRIVATE_MEDIA_ROOT into a tar.gz (paths relative to it); returns {path: sha256}."""
    sidik = {}
    with tarfile.open(tujuan, "w:gz") as arsip:
        if akar.is_dir():
            for p in sorted(akar.rglob("*")):
                if p.is_file():
                    rel = p.relative_to(akar).as_posix()
                    sidik[rel] = sha256(p)
                    arsip.add(p, arcname=rel, recursive=False)
    return sidik


def berkas_tercatat() -> set[str]:
    """Every private file the database names, relative to PRIVATE_MEDIA_ROOT (file fields stored
    there, and the import's stored upload and report names)."""
    akar = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    hasil = set()
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.FileField):
                continue
            for nama in model._default_manager.exclude(**{f.name: ""}).values_list(f.name, flat=True).iterator():
                path = Path(f.storage.path(nama)).resolve()
                if path.is_relative_to(akar):
                    hasil.add(path.relative_to(akar).as_posix())
    from impor.models import TugasImpor

    for kolom in ("berkas_simpan", "berkas_ditolak"):
        for nama in TugasImpor.objects.exclude(**{kolom: ""}).values_list(kolom, flat=True):
            hasil.add(f"impor/{nama}")
    return hasil


def periksa(manifest: dict) -> list[str]:
    """The differences between the current system and ``manifest`` (empty when they match)."""
    masalah = []
    with connection.cursor() as c:
        sekarang = hitung_baris(c, connection.introspection.table_names(c), connection.ops.quote_name)
    tercatat = manifest["tabel"]
    for t in sorted(set(tercatat) | set(sekarang)):
        if t not in sekarang:
            masalah.append(f"tabel {t}: tidak ada (cadangan: {tercatat[t]} baris)")
        elif t not in tercatat:
            masalah.append(f"tabel {t}: tidak ada di cadangan ({sekarang[t]} baris sekarang)")
        elif sekarang[t] != tercatat[t]:
            masalah.append(f"tabel {t}: {sekarang[t]} baris, cadangan {tercatat[t]}")
    akar = Path(settings.PRIVATE_MEDIA_ROOT)
    for rel, sidik in sorted(manifest.get("berkas", {}).items()):
        p = akar / rel
        if not p.is_file():
            masalah.append(f"berkas {rel}: tidak ada")
        elif sha256(p) != sidik:
            masalah.append(f"berkas {rel}: isinya berbeda dari cadangan")
    for rel in sorted(berkas_tercatat()):
        if not (akar / rel).is_file() and rel not in manifest.get("berkas", {}):
            masalah.append(f"berkas {rel}: disebut basis data, tidak ada")
    return masalah


class Command(BaseCommand):
    help = (
        "Cadangkan basis data (pg_dump format custom, atau salinan SQLite) dan berkas privat ke FOLDER, "
        "dengan manifest; atau --periksa MANIFEST setelah pemulihan."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", help="Folder tujuan cadangan (dibuat bila belum ada).")
        parser.add_argument("--periksa", metavar="MANIFEST", help="Periksa sistem yang dipulihkan terhadap manifest.")
        parser.add_argument("--tanpa-berkas", action="store_true", help="Hanya basis data, tanpa PRIVATE_MEDIA_ROOT.")

    def handle(self, *args, folder=None, periksa=None, tanpa_berkas=False, **options):
        if periksa:
            return self._periksa(Path(periksa))
        if not folder:
            raise CommandError("Sebutkan folder tujuan, atau --periksa MANIFEST.")
        lama = os.umask(0o077)  # the backup holds personal data: readable by the service user only
        try:
            self._cadangkan(Path(folder), tanpa_berkas)
        finally:
            os.umask(lama)

    def _cadangkan(self, tujuan: Path, tanpa_berkas: bool) -> None:
        tujuan.mkdir(parents=True, exist_ok=True)
        cap = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        if connection.vendor == "postgresql":
            basis = tujuan / f"payakumbuh-{cap}.dump"
            tabel = cadangkan_pg(basis)
        elif connection.vendor == "sqlite":
            basis = tujuan / f"payakumbuh-{cap}.sqlite3"
            tabel = cadangkan_sqlite(basis)
        else:
            raise CommandError(f"Basis data {connection.vendor} tidak didukung.")
        manifest = {
            "versi": VERSI_MANIFEST,
            "dibuat": timezone.now().isoformat(),
            "basis_data": connection.vendor,
            "cadangan": basis.name,
            "tabel": tabel,
        }
        if not tanpa_berkas:
            arsip = tujuan / f"media_privat-{cap}.tar.gz"
            manifest["arsip_berkas"] = arsip.name
            manifest["berkas"] = arsipkan_berkas(Path(settings.PRIVATE_MEDIA_ROOT), arsip)
        path_manifest = tujuan / f"payakumbuh-{cap}.json"
        path_manifest.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        self.stdout.write(f"Basis data: {basis} ({len(tabel)} tabel, {sum(tabel.values())} baris)")
        if not tanpa_berkas:
            self.stdout.write(f"Berkas privat: {arsip} ({len(manifest['berkas'])} berkas)")
        self.stdout.write(self.style.SUCCESS(f"Manifest: {path_manifest}"))

    def _periksa(self, path: Path) -> None:
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Manifest tidak bisa dibaca: {exc}") from exc
        if not isinstance(manifest, dict) or not isinstance(manifest.get("tabel"), dict):
            raise CommandError(f"{path} bukan manifest dari `manage.py cadangkan`.")
        masalah = periksa(manifest)
        if masalah:
            for m in masalah:
                self.stderr.write(m)
            raise CommandError(f"Pemulihan tidak cocok dengan cadangan: {len(masalah)} perbedaan.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Cocok: {len(manifest['tabel'])} tabel, {sum(manifest['tabel'].values())} baris, "
                f"{len(manifest.get('berkas', {}))} berkas."
            )
        )
