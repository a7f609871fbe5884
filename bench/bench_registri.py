"""Benchmark: registry pages on the demo data set (about 5,400 residents, 1,500 households).

Usage:  .venv/bin/python bench/bench_registri.py [--ulang 20]
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_payakumbuh .venv/bin/python bench/bench_registri.py

Without DATABASE_URL it builds a throwaway SQLite database in a temporary folder. It prints, per
page and role, the median and 95th-percentile server time and the number of queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ulang", type=int, default=20, help="requests per page")
    args = parser.parse_args()

    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payakumbuh_sosial.settings_test")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from akun.models import User
    from penduduk.models import Keluarga, Penduduk

    setup_test_environment()
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    call_command("seed_demo", "--if-empty", "--izinkan-tanpa-debug", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"database: {connection.vendor}; seed_demo: {time.perf_counter() - t0:.1f} s")
    print(f"rows: {Penduduk.objects.count()} penduduk, {Keluarga.objects.count()} keluarga\n")

    staf = User.objects.get(username="staf")
    psm = User.objects.get(username="psm.tanjuang-pauh")
    orang = Penduduk.objects.filter(kelurahan__slug="tanjuang-pauh", keluarga__isnull=False).first()
    halaman = [
        ("beranda", reverse("home"), {}),
        ("daftar penduduk", reverse("penduduk:list"), {}),
        ("daftar hal. terakhir", reverse("penduduk:list"), {"page": "last"}),
        ("cari nama", reverse("penduduk:list"), {"q": "siti"}),
        ("cari NIK", reverse("penduduk:list"), {"q": orang.nik}),
        ("detail penduduk", reverse("penduduk:detail", args=[orang.pk]), {}),
        ("form ubah penduduk", reverse("penduduk:update", args=[orang.pk]), {}),
        ("daftar keluarga", reverse("penduduk:keluarga-list"), {}),
        ("detail keluarga", reverse("penduduk:keluarga-detail", args=[orang.keluarga_id]), {}),
    ]
    print(f"{'page':<22}{'role':<8}{'median ms':>10}{'p95 ms':>9}{'queries':>9}")
    for user in (staf, psm):
        client = Client()
        client.force_login(user)
        for nama, url, params in halaman:
            waktu = []
            for _ in range(args.ulang):
                with CaptureQueriesContext(connection) as q:
                    t = time.perf_counter()
                    resp = client.get(url, params)
                    waktu.append((time.perf_counter() - t) * 1000)
                if resp.status_code not in (200, 404):
                    raise SystemExit(f"{nama}: HTTP {resp.status_code}")
            waktu.sort()
            p95 = waktu[max(0, int(len(waktu) * 0.95) - 1)]
            peran = user.peran
            print(f"{nama:<22}{peran:<8}{statistics.median(waktu):>10.1f}{p95:>9.1f}{len(q):>9}")


if __name__ == "__main__":
    main()
