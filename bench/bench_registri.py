"""Benchmark: every registry page for every role, on the demo data or on a registry of N persons.

Usage:
    .venv/bin/python bench/bench_registri.py                     # demo data (seed_demo), throwaway SQLite
    .venv/bin/python bench/bench_registri.py --penduduk 1000000  # PostgreSQL bench_payakumbuh, grown by COPY
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_payakumbuh_100k \\
        .venv/bin/python bench/bench_registri.py --penduduk 100000

``--penduduk N`` grows the registry to N persons (``bench/tumbuh_registri.py``), or reuses a
database that already holds N or more; ``--reset`` empties the registry first. The database in
DATABASE_URL (default ``postgres://postgres@127.0.0.1:5432/bench_payakumbuh`` with ``--penduduk``)
is created when missing and migrated.

Each page is requested once to warm up and check the status, then ``--ulang`` times (default 10)
with the server time measured around ``Client.get``. A role that a page refuses by design (403,
e.g. Pimpinan on the edit form) is reported as skipped; any other unexpected status aborts. The
floor is a plain ``SELECT kelurahan_id, count(*) ... GROUP BY 1`` over the residents, the least
any page that counts them per kelurahan must cost. The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test import Client

    from akun.models import User

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PG_BAWAAN = "postgres://postgres@127.0.0.1:5432/bench_payakumbuh"
KATA_SANDI = "demo12345"  # the demo password (README), so the bench database can be used by hand


@dataclass
class Halaman:
    nama: str
    url: str
    params: dict[str, str]
    url_name: str | None  # permission-map name; None for the admin (it guards itself)


@dataclass
class Hasil:
    halaman: str
    peran: str
    median_ms: float | None = None  # None: skipped
    queries: int = 0
    catatan: str = ""
    query_terlama: str = ""  # the slowest SQL of the last request (for --explain)
    waktu: list[float] = field(default_factory=list)


def siapkan_database(penduduk: int | None) -> None:
    """Pick the database (DATABASE_URL, else PostgreSQL or SQLite) and create it when missing."""
    import dj_database_url

    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = PG_BAWAAN if penduduk else f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    conf = dj_database_url.parse(os.environ["DATABASE_URL"])
    if "postgresql" not in conf["ENGINE"]:
        if penduduk:
            raise SystemExit("--penduduk needs PostgreSQL (the registry is grown with COPY)")
        return
    import psycopg2
    from psycopg2 import sql

    alamat = {"host": conf["HOST"] or None, "port": conf["PORT"] or None, "user": conf["USER"] or None}
    koneksi = psycopg2.connect(dbname="postgres", password=conf["PASSWORD"] or None, **alamat)
    koneksi.autocommit = True  # CREATE DATABASE cannot run in a transaction
    with koneksi.cursor() as c:
        c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [conf["NAME"]])
        if c.fetchone() is None:
            c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(conf["NAME"])))
    koneksi.close()


def pastikan_pengguna() -> dict[str, User]:
    """staf, pimpinan, admin and the PSM of one kelurahan (get or create, then correct)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from akun.models import User
    from akun.roles import Peran
    from wilayah.models import Kelurahan

    kel = Kelurahan.objects.filter(slug="tanjuang-pauh").first() or Kelurahan.objects.order_by("kode").first()
    if kel is None:
        raise SystemExit("no kelurahan: the wilayah data migration did not run")
    rencana = [("staf", Peran.STAF, None), ("pimpinan", Peran.PIMPINAN, None), ("admin", Peran.ADMIN, None)]
    pengguna = {}
    for username, peran, wilayah in [*rencana, (f"psm.{kel.slug}", Peran.PSM, kel)]:
        seharusnya = {
            "peran": peran,
            "is_superuser": peran == Peran.ADMIN,
            "is_staff": peran in (Peran.ADMIN, Peran.STAF),
            "is_active": True,
        }
        user, dibuat = User.objects.get_or_create(username=username, defaults=seharusnya)
        if dibuat:
            # Hashed with the production hasher: the test settings' fast MD5 would not log in elsewhere.
            hasher = PBKDF2PasswordHasher()
            user.password = hasher.encode(KATA_SANDI, hasher.salt())
        berubah = dibuat or any(getattr(user, nama) != nilai for nama, nilai in seharusnya.items())
        for nama, nilai in seharusnya.items():
            setattr(user, nama, nilai)
        if berubah:
            user.save()
        if wilayah is not None and user.kelurahan_ids() != [wilayah.pk]:
            user.kelurahan.set([wilayah])
            del user._kelurahan_ids  # cached by kelurahan_ids() before the set
        pengguna[peran.value] = user
    # The PSM has read the pledge (else every caseload page shows it first).
    from psm.models import Ikrar, PersetujuanIkrar

    terkini = Ikrar.terkini()
    if terkini is not None:
        PersetujuanIkrar.objects.get_or_create(user=pengguna[Peran.PSM.value], ikrar=terkini)
    return pengguna


def daftar_halaman(psm: User) -> list[Halaman]:
    """The pages, on a household (4+ members) and its head in the PSM's kelurahan."""
    from django.db.models import Count
    from django.urls import reverse

    from penduduk.choices import Hubungan
    from penduduk.models import Keluarga, Penduduk

    kel_id = psm.kelurahan_ids()[0]
    keluarga = (
        Keluarga.objects.filter(kelurahan_id=kel_id)
        .annotate(n=Count("anggota"))
        .filter(
            n__gte=4, pk__in=Penduduk.objects.filter(hubungan=Hubungan.KEPALA, nik__isnull=False).values("keluarga")
        )
        .order_by("pk")
        .first()
    )
    if keluarga is None:
        raise SystemExit(f"no household with 4+ members in kelurahan {kel_id}")
    orang = Penduduk.objects.get(keluarga=keluarga, hubungan=Hubungan.KEPALA)
    daftar, keluarga_list = reverse("penduduk:list"), reverse("penduduk:keluarga-list")
    return [
        Halaman("home", reverse("home"), {}, "home"),
        Halaman("penduduk_list", daftar, {}, "penduduk:list"),
        Halaman("penduduk_list_last", daftar, {"page": "last"}, "penduduk:list"),
        Halaman("cari_nik", daftar, {"q": orang.nik}, "penduduk:list"),
        Halaman("cari_nama", daftar, {"q": "Siti"}, "penduduk:list"),
        Halaman("cari_ah", daftar, {"q": "ah"}, "penduduk:list"),
        Halaman("cari_nihil", daftar, {"q": "zzqx"}, "penduduk:list"),
        Halaman("filter_kelurahan", daftar, {"kelurahan": str(kel_id)}, "penduduk:list"),
        Halaman("keluarga_list", keluarga_list, {}, "penduduk:keluarga-list"),
        Halaman("keluarga_list_last", keluarga_list, {"page": "last"}, "penduduk:keluarga-list"),
        Halaman("penduduk_detail", reverse("penduduk:detail", args=[orang.pk]), {}, "penduduk:detail"),
        Halaman(
            "keluarga_detail", reverse("penduduk:keluarga-detail", args=[keluarga.pk]), {}, "penduduk:keluarga-detail"
        ),
        Halaman("penduduk_ubah", reverse("penduduk:update", args=[orang.pk]), {}, "penduduk:update"),
        Halaman("admin_penduduk", reverse("admin:penduduk_penduduk_changelist"), {}, None),
        Halaman("admin_keluarga", reverse("admin:penduduk_keluarga_changelist"), {}, None),
    ]


def ukur(client: Client, halaman: Halaman, peran: str, ulang: int) -> Hasil:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from akun.permissions import peran_boleh
    from akun.roles import PERAN_PENGELOLA

    hasil = Hasil(halaman.nama, peran)
    if halaman.url_name is None and peran not in PERAN_PENGELOLA:
        hasil.catatan = "skipped (no back office)"
        return hasil
    boleh = halaman.url_name is None or peran_boleh(peran, halaman.url_name)
    diharapkan = 200 if boleh else 403
    url = halaman.url
    if halaman.url_name == "home" and peran == "psm":
        url = reverse("psm:beranda")  # a PSM's home redirects to their caseload (akun/views.py)
    for i in range(ulang + 1):  # request 0 warms up (templates, caches) and is not counted
        with CaptureQueriesContext(connection) as q:
            mulai = time.perf_counter()
            resp = client.get(url, halaman.params)
            ms = (time.perf_counter() - mulai) * 1000
        if resp.status_code != diharapkan:
            raise SystemExit(
                f"ABORT: {halaman.nama} as {peran}: HTTP {resp.status_code}, expected {diharapkan} "
                f"(GET {halaman.url} {halaman.params})"
            )
        if not boleh:
            hasil.catatan = "skipped (403 by design)"
            return hasil
        if i:
            hasil.waktu.append(ms)
            hasil.queries = max(hasil.queries, len(q))
    hasil.median_ms = statistics.median(hasil.waktu)
    if q.captured_queries:
        hasil.query_terlama = max(q.captured_queries, key=lambda x: float(x["time"] or 0))["sql"]
    return hasil


def lantai(ulang: int) -> float:
    """Median ms of the raw GROUP BY over the residents, through Django's connection."""
    from django.db import connection

    from penduduk.models import Penduduk

    tabel = connection.ops.quote_name(Penduduk._meta.db_table)
    waktu = []
    with connection.cursor() as c:
        for i in range(ulang + 1):
            mulai = time.perf_counter()
            c.execute(f"SELECT kelurahan_id, count(*) FROM {tabel} GROUP BY 1")  # noqa: S608 (name from _meta)
            c.fetchall()
            if i:
                waktu.append((time.perf_counter() - mulai) * 1000)
    return statistics.median(waktu)


def jelaskan(hasil: list[Hasil], jumlah: int, tulis: Callable[[str], None]) -> None:
    """EXPLAIN ANALYZE of the slowest query of the ``jumlah`` slowest pages (PostgreSQL)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    terlambat: dict[str, Hasil] = {}  # the slowest role of each page, slowest pages first
    for h in sorted((h for h in hasil if h.median_ms is not None), key=lambda h: -h.median_ms):
        terlambat.setdefault(h.halaman, h)
    for h in list(terlambat.values())[:jumlah]:
        if not h.query_terlama.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as c:
            c.execute(f"EXPLAIN (ANALYZE, BUFFERS) {h.query_terlama}")
            rencana = "\n".join(f"    {baris}" for (baris,) in c.fetchall())
        tulis(f"\n== {h.halaman}/{h.peran} ({h.median_ms:.1f} ms): slowest query\n    {h.query_terlama}\n{rencana}")


def periksa_registri() -> dict[str, object]:
    """What is wrong with the grown registry (empty when nothing): uniqueness of NIK and No KK
    (count(distinct)), one head per household, members living in their household's kelurahan,
    and a sample of 2,000 NIKs read back through ``penduduk.nik`` (no error, no warning)."""
    from django.db import connection

    from bench.tumbuh_registri import satu
    from penduduk.models import Keluarga, Penduduk
    from penduduk.nik import periksa_nik

    pdd, kk = (connection.ops.quote_name(m._meta.db_table) for m in (Penduduk, Keluarga))
    cek = {  # table names from _meta (S608 is about user input)
        "duplicate NIK": f"SELECT count(nik) - count(DISTINCT nik) FROM {pdd}",  # noqa: S608
        "duplicate No KK": f"SELECT count(no_kk) - count(DISTINCT no_kk) FROM {kk}",  # noqa: S608
        "households without exactly one head": (
            f"SELECT count(*) FROM {kk} k WHERE 1 <> (SELECT count(*) FROM {pdd} p "  # noqa: S608
            "WHERE p.keluarga_id = k.id AND p.hubungan = 'kepala')"
        ),
        "persons outside their household's kelurahan": (
            f"SELECT count(*) FROM {pdd} p JOIN {kk} k ON k.id = p.keluarga_id "  # noqa: S608
            "WHERE p.kelurahan_id <> k.kelurahan_id"
        ),
    }
    salah: dict[str, object] = {nama: n for nama, sql in cek.items() if (n := satu(sql))}
    sampel = Penduduk.objects.filter(nik__isnull=False).order_by("?")[:2000]
    for nik, jk, lahir in sampel.values_list("nik", "jenis_kelamin", "tanggal_lahir"):
        hasil = periksa_nik(nik, jenis_kelamin=jk, tanggal_lahir=lahir)
        if hasil.galat or hasil.peringatan:
            salah[f"NIK {nik}"] = [*hasil.galat, *hasil.peringatan]
    return salah


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--penduduk", type=int, help="grow the registry to N persons (PostgreSQL)")
    parser.add_argument("--reset", action="store_true", help="empty the registry tables first")
    parser.add_argument("--ulang", type=int, default=10, help="timed requests per page and role (median)")
    parser.add_argument("--explain", type=int, default=0, metavar="K", help="EXPLAIN ANALYZE the K slowest pages")
    parser.add_argument("--json-only", action="store_true", help="print only the JSON line")
    args = parser.parse_args()

    def tulis(teks: str) -> None:
        if not args.json_only:
            print(teks, flush=True)

    siapkan_database(args.penduduk)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payakumbuh_sosial.settings_test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from penduduk.models import Keluarga, Penduduk

    setup_test_environment()
    try:
        call_command("migrate", verbosity=0)
    except Exception as exc:  # e.g. another process migrating the same database right now
        raise SystemExit(f"ABORT: migrate failed on {connection.settings_dict['NAME']}: {exc!r}; retry later") from exc
    db = connection.settings_dict["NAME"]
    if args.penduduk:
        from bench import tumbuh_registri

        if args.reset:
            tumbuh_registri.kosongkan()
            tulis("registry emptied (--reset)")
        tulis(f"database: {connection.vendor} {db}; growing the registry to {args.penduduk:,} persons")
        tumbuh = tumbuh_registri.tumbuh(args.penduduk, tulis=tulis)
        if tumbuh.baru:
            tulis(f"growth: {tumbuh.detik:.1f} s, {tumbuh.baru:,} persons added (COPY, history rows, VACUUM ANALYZE)")
            mulai = time.perf_counter()
            salah = periksa_registri()
            if salah:
                raise SystemExit(f"ABORT: the grown registry is not valid: {salah}")
            detik = time.perf_counter() - mulai
            tulis(f"check: NIK and No KK unique, one head per household, NIK sample valid ({detik:.1f} s)")
        else:
            tulis(f"growth: skipped, the database already holds {tumbuh.penduduk:,} persons")
    else:
        mulai = time.perf_counter()
        with open(os.devnull, "w") as diam:
            call_command("seed_demo", "--if-empty", "--izinkan-tanpa-debug", stdout=diam)
        tulis(f"database: {connection.vendor} {db}; seed_demo: {time.perf_counter() - mulai:.1f} s")
    jumlah = Penduduk.objects.count()
    tulis(f"rows: {jumlah:,} penduduk, {Keluarga.objects.count():,} keluarga\n")

    # The machine is shared: the load average says how far to trust the figures.
    tulis("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    pengguna = pastikan_pengguna()
    halaman = daftar_halaman(pengguna["psm"])
    floor_ms = lantai(args.ulang)
    semua: list[Hasil] = []
    tulis(f"{'page':<20}{'role':<10}{'median ms':>10}{'queries':>9}  ({args.ulang} requests each)")
    tulis(f"{'floor (GROUP BY)':<20}{'-':<10}{floor_ms:>10.1f}{1:>9}")
    for peran in ("staf", "pimpinan", "psm", "admin"):
        client = Client()
        client.force_login(pengguna[peran])
        for h in halaman:
            hasil = ukur(client, h, peran, args.ulang)
            semua.append(hasil)
            if hasil.median_ms is None:
                tulis(f"{h.nama:<20}{peran:<10}{'-':>10}{'-':>9}  {hasil.catatan}")
            else:
                tulis(f"{h.nama:<20}{peran:<10}{hasil.median_ms:>10.1f}{hasil.queries:>9}")
    tulis("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    diukur = [h for h in semua if h.median_ms is not None]
    terburuk = max(diukur, key=lambda h: h.median_ms)
    if args.explain:
        jelaskan(semua, args.explain, tulis)
    print(
        json.dumps(
            {
                "penduduk": jumlah,
                "floor_ms": round(floor_ms, 2),
                "pages": {f"{h.halaman}/{h.peran}": round(h.median_ms, 1) for h in diukur},
                "queries_max": max(h.queries for h in diukur),
                "worst_page": f"{terburuk.halaman}/{terburuk.peran}",
                "worst_ratio": round(terburuk.median_ms / floor_ms, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
