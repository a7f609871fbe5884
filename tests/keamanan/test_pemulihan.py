"""A backup restores to the same data, history, schema and files (issue 13, point 6b).

The world of the security tests (``tests/keamanan/_dunia.py``: persons, households, PPKS, a case
with its timeline and referral, distributions with a confirmation and a flag, extreme-poor stays and
an exit proposal, complaints, visits with photos, imports, sessions), plus a few edits so the
history tables hold changes, is committed, backed up the way the README says, and restored into a
fresh database:

* PostgreSQL: ``pg_dump --format=custom`` of the test database, ``createdb`` + ``pg_restore
  --no-owner --exit-on-error --single-transaction`` into a temporary database;
* SQLite: the online backup API (what ``sqlite3 db.sqlite3 ".backup 'x'"`` uses) into a file,
  then from that file into a fresh file database (``.restore``);
* the private files: ``tar -C PRIVATE_MEDIA_ROOT -czf`` then ``tar -xzf`` into a new folder.

Then every table (model tables, history tables, django_* tables) has the same row count and the
same checksum over all its rows, the sequences and the schema objects (triggers, functions,
indexes, constraints) are the same, every file the database names is in the restored folder with
the same bytes, and the project's triggers (wilayah/salinan.py, bantuan/ringkasan_sql.py) work in
the restored database.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import F
from django.db.utils import load_backend

from akun.management.commands.cadangkan import berkas_tercatat
from bantuan.models import Penyaluran, RingkasanBulanan
from kemiskinan.models import StatusMiskinEkstrem
from penduduk.models import Keluarga, Penduduk
from ppks.models import PPKS, Kasus, Tindakan
from tests.keamanan._dunia import bangun_dunia

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ALIAS = "pulihan"
TABEL_BERISI = (
    "penduduk_penduduk", "penduduk_keluarga", "ppks_ppks", "ppks_kasus", "ppks_tindakan", "bantuan_penyaluran",
    "bantuan_ringkasanbulanan", "kemiskinan_statusmiskinekstrem", "penduduk_historicalpenduduk",
    "ppks_historicalkasus", "ppks_historicaltindakan", "bantuan_historicalpenyaluran",
    "kemiskinan_historicalstatusmiskinekstrem", "wilayah_kelurahan", "impor_tugasimpor",
)  # fmt: skip
PEMICU = {  # the project's triggers, by the name prefix each migration gives them
    "ppks_kel": "PPKS.kelurahan from Penduduk (wilayah/salinan.py)",
    "sme_kel": "StatusMiskinEkstrem.kelurahan from Keluarga (wilayah/salinan.py)",
    "bantuan_ringkasan": "RingkasanBulanan from Penyaluran (bantuan/ringkasan_sql.py)",
}


def _nilai(v):
    return bytes(v) if isinstance(v, memoryview) else v


def potret(conn) -> dict[str, tuple[int, str]]:
    """Every table: (row count, sha256 over all its rows, order-free)."""
    hasil = {}
    with conn.cursor() as c:
        for tabel in sorted(conn.introspection.table_names(c)):
            c.execute(f"SELECT * FROM {conn.ops.quote_name(tabel)}")  # noqa: S608
            baris = sorted(repr(tuple(_nilai(v) for v in r)) for r in c.fetchall())
            hasil[tabel] = (len(baris), hashlib.sha256("\n".join(baris).encode()).hexdigest())
    return hasil


def skema(conn) -> dict[str, list]:
    """Sequences and schema objects (triggers, functions, indexes, constraints, extensions). On
    PostgreSQL indexes and constraints by name and kind: a restore re-parses their expressions, so
    ``IN ('a', 'b')`` may come back with its casts written differently (same meaning)."""
    with conn.cursor() as c:

        def q(sql):
            c.execute(sql)
            return sorted(c.fetchall())

        if conn.vendor == "sqlite":
            return {
                "objek": q("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"),
                "urutan": q("SELECT name, seq FROM sqlite_sequence"),
            }
        return {
            "pemicu": q("SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                        "WHERE NOT tgisinternal"),
            "fungsi": q("SELECT p.proname, md5(pg_get_functiondef(p.oid)) FROM pg_proc p "
                        "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.prokind = 'f'"),
            "indeks": q("SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public'"),
            "batasan": q("SELECT conrelid::regclass::text, conname, contype FROM pg_constraint "
                         "WHERE connamespace = 'public'::regnamespace"),
            "ekstensi": q("SELECT extname FROM pg_extension"),
            "urutan": q("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"),
        }  # fmt: skip


def nama_pemicu(conn) -> set[str]:
    with conn.cursor() as c:
        if conn.vendor == "sqlite":
            c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            c.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {r[0] for r in c.fetchall()}


def sidik_berkas(akar: Path) -> dict[str, str]:
    return {
        str(p.relative_to(akar)): hashlib.sha256(p.read_bytes()).hexdigest() for p in akar.rglob("*") if p.is_file()
    }


def _env_pg() -> dict:
    s = connection.settings_dict
    env = {**os.environ, "PGHOST": s["HOST"] or "127.0.0.1", "PGPORT": str(s["PORT"] or 5432)}
    env["PGUSER"] = s["USER"] or "postgres"
    if s["PASSWORD"]:
        env["PGPASSWORD"] = s["PASSWORD"]
    return env


def _jalankan(cmd: list[str], env: dict) -> None:
    hasil = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert hasil.returncode == 0, f"{' '.join(cmd)}\n{hasil.stdout}\n{hasil.stderr}"


def cadangkan(tmp_path: Path) -> Path:
    """Back up the test database as the README says; returns the backup file."""
    if connection.vendor == "sqlite":
        cadangan = tmp_path / "payakumbuh-cadangan.sqlite3"
        tujuan = sqlite3.connect(cadangan)
        connection.connection.backup(tujuan)  # `.backup`: a consistent copy while the app runs
        tujuan.close()
        return cadangan
    cadangan = tmp_path / "payakumbuh.dump"
    _jalankan(["pg_dump", "--format=custom", "--no-owner", f"--file={cadangan}", connection.settings_dict["NAME"]],
              _env_pg())  # fmt: skip
    return cadangan


class Pemulih:
    """Restores backups into fresh databases and drops them afterwards."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.dibuat: list[str] = []

    def pulihkan(self, cadangan: Path) -> str:
        """A fresh database from ``cadangan``; returns its NAME (PostgreSQL) or path (SQLite)."""
        n = len(self.dibuat)
        if connection.vendor == "sqlite":
            pulih = self.tmp_path / f"payakumbuh-pulih-{n}.sqlite3"
            asal, baru = sqlite3.connect(cadangan), sqlite3.connect(pulih)
            asal.backup(baru)  # `.restore` into an empty database
            asal.close()
            baru.close()
            self.dibuat.append(str(pulih))
            return str(pulih)
        env = _env_pg()
        pulih = f"{connection.settings_dict['NAME']}_pulih{n}_{os.getpid()}"[:63]
        _jalankan(["dropdb", "--if-exists", pulih], env)
        _jalankan(["createdb", pulih], env)
        self.dibuat.append(pulih)
        _jalankan(["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", f"--dbname={pulih}",
                   str(cadangan)], env)  # fmt: skip
        return pulih

    def url(self, nama: str) -> str:
        if connection.vendor == "sqlite":
            return f"sqlite:///{nama}"
        s = connection.settings_dict
        kredensial = quote(s["USER"] or "postgres") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
        return f"postgres://{kredensial}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{nama}"

    def sambung(self, nama: str) -> str:
        """A connection to the restored database, usable as ``.using(ALIAS)``."""
        cfg = copy.deepcopy(connections["default"].settings_dict)
        cfg["NAME"] = nama
        # Made here, not a configured alias (the test case forbids unlisted aliases); registered
        # so that ``.using(ALIAS)`` finds it.
        connections[ALIAS] = load_backend(cfg["ENGINE"]).DatabaseWrapper(cfg, ALIAS)
        return ALIAS

    def bereskan(self) -> None:
        try:
            pulihan = connections[ALIAS]
        except Exception:  # noqa: BLE001 (never connected)
            pulihan = None
        if pulihan is not None:
            pulihan.close()
            del connections[ALIAS]
        if connection.vendor == "postgresql":
            for nama in self.dibuat:
                _jalankan(["dropdb", "--if-exists", "--force", nama], _env_pg())


@pytest.fixture
def pemulih(tmp_path):
    p = Pemulih(tmp_path)
    yield p
    p.bereskan()


def tar_berkas(akar: Path, arsip: Path, tujuan: Path) -> None:
    """The README's commands: ``tar -C PRIVATE_MEDIA_ROOT -czf ARSIP .``, then unpacked elsewhere."""
    subprocess.run(["tar", "-C", str(akar), "-czf", str(arsip), "."], check=True)  # noqa: S607
    tujuan.mkdir()
    with tarfile.open(arsip) as t:
        t.extractall(tujuan, filter="data")


def test_cadangan_dipulihkan_sama_persis_dan_pemicunya_bekerja(pemulih, tmp_path):
    d = bangun_dunia()
    # Changes, so the history tables hold more than the creations.
    orang = d.objek["penduduk", "a"]
    orang.nama, orang.pekerjaan = "Siti Rahmah Pulih", "Petani"
    orang.save()
    kasus = Kasus.objects.get(pk=d.pk("kasus", "a"))
    Tindakan.objects.create(kasus=kasus, jenis="kunjungan", uraian="Kunjungan kedua", oleh=d.pengguna["staf"])
    kasus.ringkasan += " (diperbarui)"
    kasus.save()

    sumber = potret(connection)
    skema_sumber = skema(connection)
    ada = {t: n for t, (n, _h) in sumber.items() if n}
    for tabel in TABEL_BERISI:
        assert tabel in ada, f"the world has no rows in {tabel}"
    assert sumber["penduduk_historicalpenduduk"][0] > sumber["penduduk_penduduk"][0]  # the edit left a row
    pemicu = nama_pemicu(connection)
    for awalan, arti in PEMICU.items():
        assert any(n.startswith(awalan) for n in pemicu), f"trigger {awalan}* missing: {arti}"

    # The private files: tar of PRIVATE_MEDIA_ROOT, unpacked into a new folder.
    akar = Path(settings.PRIVATE_MEDIA_ROOT)
    tercatat = berkas_tercatat()
    assert len(tercatat) >= 7  # visit photos, receipt photos, complaint attachments, import reports
    akar_baru = tmp_path / "media_privat_pulih"
    tar_berkas(akar, tmp_path / "media_privat.tar.gz", akar_baru)
    sidik_baru = sidik_berkas(akar_baru)
    assert sidik_baru == sidik_berkas(akar)
    assert tercatat <= set(sidik_baru), f"files the database names but the archive lacks: {tercatat - set(sidik_baru)}"

    alias = pemulih.sambung(pemulih.pulihkan(cadangkan(tmp_path)))
    pulihan = connections[alias]
    assert pulihan.settings_dict["NAME"] != connection.settings_dict["NAME"]

    # The same rows in every table (model, history and Django's own), the same schema.
    hasil = potret(pulihan)
    beda = {t: (sumber.get(t), hasil.get(t)) for t in set(sumber) | set(hasil) if sumber.get(t) != hasil.get(t)}
    assert not beda, f"tables that differ after restore (source, restored): {beda}"
    skema_hasil = skema(pulihan)
    for jenis, daftar in skema_sumber.items():
        hilang, lebih = set(daftar) - set(skema_hasil[jenis]), set(skema_hasil[jenis]) - set(daftar)
        assert not (hilang or lebih), f"{jenis} after restore: missing {sorted(hilang)}, extra {sorted(lebih)}"

    # The triggers work in the restored database, and only there (the source is untouched).
    kel_a, kel_b = d.kelurahan["a"], d.kelurahan["b"]
    ppks = d.objek["ppks", "a"]
    Penduduk.objects.using(alias).filter(pk=ppks.penduduk_id).update(kelurahan=kel_b)
    assert PPKS.objects.using(alias).values_list("kelurahan_id", flat=True).get(pk=ppks.pk) == kel_b.pk
    assert PPKS.objects.values_list("kelurahan_id", flat=True).get(pk=ppks.pk) == kel_a.pk

    stay = d.objek["status", "a"]
    Keluarga.objects.using(alias).filter(pk=stay.keluarga_id).update(kelurahan=kel_b)
    assert StatusMiskinEkstrem.objects.using(alias).values_list("kelurahan_id", flat=True).get(pk=stay.pk) == kel_b.pk

    salur = Penyaluran.objects.get(pk=d.pk("penyaluran", "a"))
    assert salur.status == "disalurkan"
    kunci = {"bulan": salur.tanggal.replace(day=1), "program_id": salur.program_id, "kelurahan_id": kel_a.pk}

    def ringkas(using):
        return RingkasanBulanan.objects.using(using).values_list("jumlah", "rupiah").get(**kunci)

    jumlah, rupiah = ringkas(alias)
    assert (jumlah, rupiah) == ringkas("default") and jumlah >= 1
    Penyaluran.objects.using(alias).filter(pk=salur.pk).update(nilai=F("nilai") + 1000)
    assert ringkas(alias) == (jumlah, rupiah + 1000)
    Penyaluran.objects.using(alias).filter(pk=salur.pk).update(status="gagal", alasan_gagal="Pindah")
    assert ringkas(alias) == (jumlah - 1, rupiah - salur.nilai)
    assert ringkas("default") == (jumlah, rupiah)


def _periksa(pemulih: Pemulih, nama: str, manifest: Path, akar: Path) -> subprocess.CompletedProcess:
    """``manage.py cadangkan --periksa`` as an operator runs it on the restored system."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "payakumbuh_sosial.settings",
        "DEBUG": "1",
        "DATABASE_URL": pemulih.url(nama),
        "PRIVATE_MEDIA_ROOT": str(akar),
    }
    cmd = [sys.executable, "manage.py", "cadangkan", "--periksa", str(manifest)]
    return subprocess.run(cmd, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False)  # noqa: S603


def test_perintah_cadangkan_dan_periksa_pemulihan(pemulih, tmp_path):
    """``manage.py cadangkan FOLDER`` writes the dump, the files' archive and a manifest that
    ``--periksa`` accepts on a faithful restore and refuses, naming what differs, on a bad one."""
    d = bangun_dunia()
    folder = tmp_path / "cadangan"
    keluaran = io.StringIO()
    call_command("cadangkan", str(folder), stdout=keluaran)
    (manifest,) = folder.glob("payakumbuh-*.json")
    isi = json.loads(manifest.read_text())
    assert isi["tabel"] == {t: n for t, (n, _h) in potret(connection).items()}
    assert isi["tabel"]["penduduk_historicalpenduduk"] > 0 and isi["tabel"]["wilayah_kelurahan"] == 47
    assert set(isi["berkas"]) >= berkas_tercatat() and len(isi["berkas"]) >= 7
    cadangan = folder / isi["cadangan"]
    assert cadangan.suffix == (".sqlite3" if connection.vendor == "sqlite" else ".dump")
    for berkas in folder.iterdir():  # personal data: for the service user only
        assert berkas.stat().st_mode & 0o077 == 0, f"{berkas.name} is readable by others"

    nama = pemulih.pulihkan(cadangan)
    akar = tmp_path / "media_privat_pulih"
    akar.mkdir()
    with tarfile.open(folder / isi["arsip_berkas"]) as t:
        t.extractall(akar, filter="data")
    hasil = _periksa(pemulih, nama, manifest, akar)
    assert hasil.returncode == 0, hasil.stderr
    assert "Cocok" in hasil.stdout

    # A restore that lost a timeline entry and a visit photo is refused, and says what is missing.
    kunjungan = d.objek["kunjungan", "a"]
    foto = Path(kunjungan.foto.path).resolve().relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve()).as_posix()
    (akar / foto).unlink()
    pemulih.sambung(nama)
    with connections[ALIAS].cursor() as c:  # raw: no signal writes a history row into the source
        c.execute("DELETE FROM ppks_tindakan WHERE id = %s", [Tindakan.objects.order_by("pk")[0].pk])
    connections[ALIAS].close()
    hasil = _periksa(pemulih, nama, manifest, akar)
    assert hasil.returncode == 1
    assert "tabel ppks_tindakan: " in hasil.stderr and f"berkas {foto}: tidak ada" in hasil.stderr
