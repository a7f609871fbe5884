"""Benchmark: the leadership dashboard (dasbor:index) at N persons, against the floor.

Usage:
    .venv/bin/python bench/dashboard_bench.py --penduduk 100000    # PostgreSQL bench_dasbor_100k
    .venv/bin/python bench/dashboard_bench.py --penduduk 1000000   # PostgreSQL bench_dasbor_1m

Grows the registry with ``bench/tumbuh_registri.tumbuh`` (COPY) and the social data the dashboard
reads with ``tumbuh_registri.tumbuh_sosial`` (set-based INSERT ... SELECT: PPKS, cases, extreme-poor
stays, distributions with receipts and flags, complaints, one PSM per kelurahan but three), or reuses
a database that already holds them (``--reset`` empties both first). DATABASE_URL overrides the
database (created when missing and migrated, as ``bench/bench_registri.py`` does).

Then requests the dashboard ``--ulang`` times (default 10) per role after a warm-up, server time
around ``Client.get``, and times the floor, ``SELECT kelurahan_id, count(*) FROM penduduk_penduduk
GROUP BY 1`` (median of the same count). The last line is one JSON object: ``penduduk``,
``dashboard_ms`` (the slowest role's median), ``queries`` (the most of any role), ``floor_ms``,
``ratio_to_floor``, plus ``per_peran``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_registri import Halaman, jelaskan, lantai, pastikan_pengguna, siapkan_database, ukur  # noqa: E402


def nama_database(penduduk: int) -> str:
    label = {100_000: "100k", 1_000_000: "1m"}.get(penduduk, str(penduduk))
    return f"postgres://postgres@127.0.0.1:5432/bench_dasbor_{label}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--penduduk", type=int, required=True, help="grow the registry to N persons (PostgreSQL)")
    parser.add_argument("--reset", action="store_true", help="empty the registry and the social tables first")
    parser.add_argument("--ulang", type=int, default=10, help="timed requests per role (median)")
    parser.add_argument("--explain", type=int, default=0, metavar="K", help="EXPLAIN ANALYZE the slowest query")
    parser.add_argument("--json-only", action="store_true", help="print only the JSON line")
    args = parser.parse_args()

    def tulis(teks: str) -> None:
        if not args.json_only:
            print(teks, flush=True)

    os.environ.setdefault("DATABASE_URL", nama_database(args.penduduk))
    siapkan_database(args.penduduk)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payakumbuh_sosial.settings_test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from bench import tumbuh_registri
    from penduduk.models import Penduduk

    setup_test_environment()
    call_command("migrate", verbosity=0)
    if args.reset:
        tumbuh_registri.kosongkan_sosial()
        tumbuh_registri.kosongkan()
        tulis("registry and social tables emptied (--reset)")
    tulis(f"database: {connection.settings_dict['NAME']}; growing to {args.penduduk:,} persons")
    hasil = tumbuh_registri.tumbuh(args.penduduk, tulis=tulis)
    tulis(f"registry: {hasil.penduduk:,} persons, {hasil.keluarga:,} households ({hasil.detik:.1f} s)")
    sosial = tumbuh_registri.tumbuh_sosial(tulis=tulis)
    tulis(f"social data: {sosial.baris} ({sosial.detik:.1f} s)")
    tulis("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))

    pengguna = pastikan_pengguna()
    halaman = Halaman("dasbor", reverse("dasbor:index"), {}, "dasbor:index")
    floor_ms = lantai(args.ulang)
    tulis(f"{'floor (GROUP BY)':<20}{floor_ms:>10.1f} ms")
    semua = []
    for peran in ("staf", "pimpinan", "psm"):
        client = Client()
        client.force_login(pengguna[peran])
        h = ukur(client, halaman, peran, args.ulang)
        semua.append(h)
        tulis(f"{'dasbor/' + peran:<20}{h.median_ms:>10.1f} ms{h.queries:>5} queries")
    if args.explain:
        jelaskan(semua, 1, tulis)
    terburuk = max(semua, key=lambda h: h.median_ms)
    print(
        json.dumps(
            {
                "penduduk": Penduduk.objects.count(),
                "dashboard_ms": round(terburuk.median_ms, 1),
                "queries": max(h.queries for h in semua),
                "floor_ms": round(floor_ms, 2),
                "ratio_to_floor": round(terburuk.median_ms / floor_ms, 2),
                "per_peran": {h.peran: round(h.median_ms, 1) for h in semua},
            }
        )
    )


if __name__ == "__main__":
    main()
