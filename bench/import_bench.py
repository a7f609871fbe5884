"""Benchmark of the spreadsheet import (issue 11, point 8), on PostgreSQL.

Usage:
    .venv/bin/python bench/import_bench.py --rows 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_impor .venv/bin/python bench/import_bench.py --rows 10000

A DTKS-like xlsx of 23 columns (the SIKS-NG header, DOMAIN.md) is generated with openpyxl
write_only from the registry generator of ``bench/tumbuh_registri.py`` (valid NIK and No KK as
``penduduk.nik`` checks them, households with one head, real kelurahan names). Then, each in its
own process (so that peak memory is that stage's own, measured as the process's peak RSS, VmHWM
from /proc, which also counts calamine's memory outside Python):

(c) the floor: read the file with python-calamine and COPY the parsed rows into the same table
    (``penduduk_penduduk`` with all its indexes), no checks, no households, no history;
(b) the same rows through a plain django-import-export ``ModelResource`` (``import_id_fields =
    ["nik"]``, one confirmed ``import_data`` call, the row-by-row default path of the admin, with
    simple-history's per-row signals) on the first ``--iex-rows`` rows (default min(rows, 20000)),
    on an empty registry; reading the file into the Dataset is *not* timed (in its favour), and
    it writes persons only (no households: in its favour too);
(a) this project's confirmed import (``impor.layanan``: read, check, compare, COPY + upsert +
    history) on an empty registry;
(d) the same file again: every row unchanged, nothing written.

The last line printed is one JSON object with the keys of the issue: rows, project_s,
project_peak_mb, iex_rows, iex_s, floor_s, reimport_s, ratio_to_floor, reimport_ratio_to_floor,
iex_slowdown_per_row (plus a few more for context). The database (default
``postgres://postgres@127.0.0.1:5432/bench_impor``) is created and migrated when missing; its
registry is emptied (TRUNCATE) before each stage.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AKAR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(AKAR))
PG_BAWAAN = "postgres://postgres@127.0.0.1:5432/bench_impor"

SIKS_NG = [
    "ID DTKS", "PROVINSI", "KABUPATEN/KOTA", "KECAMATAN", "DESA/KELUARAHAN", "ALAMAT", "DUSUN", "RT", "RW",
    "NOKK", "NIK", "NAMA", "TANGGAL LAHIR", "TEMPAT LAHIR", "JENIS KELAMIN", "PEKERJAAN", "NAMA IBU KANDUNG",
    "HUB KELUARGA", "KETERANGAN PADAN", "BANSOS BPNT", "BANSOS PKH", "BANSOS BPNT-PPKM", "PBI JKN",
]  # fmt: skip
HUB_TEKS = {
    "kepala": "KEPALA KELUARGA", "suami": "SUAMI", "istri": "ISTRI", "anak": "ANAK", "menantu": "MENANTU",
    "cucu": "CUCU", "orang_tua": "ORANG TUA", "mertua": "MERTUA", "famili_lain": "FAMILI LAIN",
    "pembantu": "PEMBANTU", "lainnya": "LAINNYA",
}  # fmt: skip


def siapkan_database() -> None:
    import dj_database_url

    os.environ.setdefault("DATABASE_URL", PG_BAWAAN)
    conf = dj_database_url.parse(os.environ["DATABASE_URL"])
    if "postgresql" not in conf["ENGINE"]:
        raise SystemExit("import_bench needs PostgreSQL (DATABASE_URL=postgres://...)")
    import psycopg2
    from psycopg2 import sql

    koneksi = psycopg2.connect(
        dbname="postgres",
        host=conf["HOST"] or None,
        port=conf["PORT"] or None,
        user=conf["USER"] or None,
        password=conf["PASSWORD"] or None,
    )
    koneksi.autocommit = True
    with koneksi.cursor() as c:
        c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [conf["NAME"]])
        if c.fetchone() is None:
            c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(conf["NAME"])))
    koneksi.close()


def django_siap() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payakumbuh_sosial.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DATABASE_URL", PG_BAWAAN)
    import django

    django.setup()


def kosongkan() -> None:
    from bench.tumbuh_registri import kosongkan as truncate

    truncate()


def puncak_mb() -> float:
    """Peak RSS of this process (VmHWM: reset by execve, unlike ru_maxrss, which a stage would
    inherit from the parent that generated the file)."""
    try:
        for baris in Path("/proc/self/status").read_text().splitlines():
            if baris.startswith("VmHWM:"):
                return int(baris.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------------------------
# The file
# ---------------------------------------------------------------------------------------------


def buat_berkas(path: Path, jumlah: int, seed: int = 2026) -> None:
    """A DTKS-like xlsx of ``jumlah`` person rows (23 columns, NIK/No KK as text)."""
    from openpyxl import Workbook

    from bench.tumbuh_registri import _Pembangkit
    from wilayah.models import Kelurahan

    kelurahan = list(Kelurahan.objects.select_related("kecamatan").order_by("kode"))
    nama_kel = {k.pk: k for k in kelurahan}
    rng = random.Random(seed)
    gen = _Pembangkit(rng, kelurahan, 0)
    buku = Workbook(write_only=True)
    lembar = buku.create_sheet("DTKS")
    lembar.append(["DATA TERPADU KESEJAHTERAAN SOSIAL KOTA PAYAKUMBUH"])
    lembar.append(SIKS_NG)
    n = 0
    while n < jumlah:
        baris_k, orang = gen.rumah(jumlah - n)
        no_kk = baris_k.split("\t")[1]
        for o in orang:
            nik, nama, _normal, jk, tempat, lahir, _kid, hub, kel, alamat, rt, rw = o[:12]
            if not nik or no_kk == r"\N" or not hub:
                continue
            k = nama_kel[kel]
            t = lahir.split("-")
            lembar.append(
                [
                    f"DTKS-{n + 1:07d}", "SUMATERA BARAT", "KOTA PAYAKUMBUH", k.kecamatan.nama.upper(), k.nama.upper(),
                    alamat, "", rt, rw, no_kk, nik, nama.upper(), f"{t[2]}-{t[1]}-{t[0]}", tempat.upper(),
                    "LAKI-LAKI" if jk == "L" else "PEREMPUAN", o[14], "", HUB_TEKS[hub], "PADAN DUKCAPIL",
                    rng.choice(("YA", "TIDAK")), rng.choice(("YA", "TIDAK")), "", rng.choice(("YA", "TIDAK")),
                ]
            )  # fmt: skip
            n += 1
            if n >= jumlah:
                break
    buku.save(str(path))


# ---------------------------------------------------------------------------------------------
# Stages (each runs in its own process)
# ---------------------------------------------------------------------------------------------


def tahap_floor(path: Path) -> dict:
    """Read with calamine, COPY the parsed rows into penduduk_penduduk."""
    import io

    from django.db import connection, transaction
    from python_calamine import CalamineWorkbook

    from wilayah.models import Kelurahan

    kosongkan()
    kel = {k.nama.upper(): k.pk for k in Kelurahan.objects.all()}
    mulai = time.perf_counter()
    lembar = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    buf = io.StringIO()
    for i, r in enumerate(lembar.iter_rows()):
        if i < 2:
            continue
        d = r[12].split("-")
        buf.write(
            "\t".join(
                (
                    r[10],
                    r[11],
                    r[11].lower(),
                    "L" if r[14].startswith("L") else "P",
                    r[13],
                    f"{d[2]}-{d[1]}-{d[0]}",
                    str(kel[r[4]]),
                    r[5],
                    r[7],
                    r[8],
                    r[15],
                    "",
                    "hidup",
                    "",
                    "",
                    "",
                    "now()",
                    "now()",
                )
            )  # fmt: skip
            + "\n"
        )
    buf.seek(0)
    kolom = (
        "nik, nama, nama_normal, jenis_kelamin, tempat_lahir, tanggal_lahir, kelurahan_id, alamat, rt, rw, "
        "pekerjaan, hubungan, status, telepon, pendidikan, disabilitas, dibuat_pada, diubah_pada"
    )
    with transaction.atomic(), connection.cursor() as c:
        c.copy_expert(f"COPY penduduk_penduduk ({kolom}) FROM STDIN", buf)
    detik = time.perf_counter() - mulai
    kosongkan()
    return {"s": detik, "peak_mb": puncak_mb()}


def tahap_iex(path: Path, jumlah: int) -> dict:
    import tablib
    from import_export import fields, resources, widgets
    from python_calamine import CalamineWorkbook

    from penduduk.models import Penduduk
    from wilayah.models import Kelurahan

    class PendudukResource(resources.ModelResource):
        kelurahan = fields.Field(
            attribute="kelurahan", column_name="kelurahan", widget=widgets.ForeignKeyWidget(Kelurahan, "nama")
        )

        class Meta:
            model = Penduduk
            import_id_fields = ("nik",)
            fields = (
                "nik", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "kelurahan", "alamat", "rt", "rw",
                "pekerjaan",
            )  # fmt: skip

    kosongkan()
    nama_kel = {k.nama.upper(): k.nama for k in Kelurahan.objects.all()}
    data = tablib.Dataset(
        headers=[
            "nik",
            "nama",
            "jenis_kelamin",
            "tempat_lahir",
            "tanggal_lahir",
            "kelurahan",
            "alamat",
            "rt",
            "rw",
            "pekerjaan",
        ]  # fmt: skip
    )
    for i, r in enumerate(CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows()):
        if i < 2:
            continue
        if len(data) >= jumlah:
            break
        d = r[12].split("-")
        data.append(
            (
                r[10],
                r[11],
                "L" if r[14].startswith("L") else "P",
                r[13],
                f"{d[2]}-{d[1]}-{d[0]}",
                nama_kel[r[4]],
                r[5],
                r[7],
                r[8],
                r[15],
            )  # fmt: skip
        )
    mulai = time.perf_counter()
    hasil = PendudukResource().import_data(data, dry_run=False, use_transactions=True, raise_errors=True)
    detik = time.perf_counter() - mulai
    if hasil.has_errors() or hasil.has_validation_errors():
        raise SystemExit("django-import-export reported errors")
    n = Penduduk.objects.count()
    kosongkan()
    return {"s": detik, "rows": n, "peak_mb": puncak_mb()}


def tahap_proyek(path: Path, kosong: bool) -> dict:
    from impor.layanan import impor_buat, impor_jalankan
    from penduduk.models import Keluarga, Penduduk

    if kosong:
        kosongkan()
    mulai = time.perf_counter()
    tugas = impor_buat(oleh=None, nama_berkas=path.name, jenis="penduduk")
    hasil = impor_jalankan(tugas=tugas, path=path)
    detik = time.perf_counter() - mulai
    if hasil is None or hasil.ditolak:
        raise SystemExit(f"import refused: {tugas.pesan} {hasil and hasil.galat[:5]}")
    return {
        "s": detik,
        "peak_mb": puncak_mb(),
        "baru": hasil.baru,
        "diubah": hasil.diubah,
        "tetap": hasil.tetap,
        "penduduk": Penduduk.objects.count(),
        "keluarga": Keluarga.objects.count(),
        "riwayat": Penduduk.history.count(),
    }


def jalankan_tahap(argumen: list[str]) -> dict:
    proses = subprocess.run(  # noqa: S603
        [sys.executable, __file__, *argumen], capture_output=True, text=True, check=False, env=os.environ.copy()
    )
    if proses.returncode != 0:
        sys.stderr.write(proses.stdout + proses.stderr)
        raise SystemExit(f"stage {argumen[:2]} failed")
    return json.loads(proses.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--iex-rows", type=int, default=None, help="rows for django-import-export (default ≤ 20000)")
    parser.add_argument("--file", default="", help="reuse this xlsx instead of generating one")
    parser.add_argument("--tahap", choices=("floor", "iex", "proyek", "ulang"), help=argparse.SUPPRESS)
    a = parser.parse_args()
    siapkan_database()
    django_siap()
    if a.tahap:
        path = Path(a.file)
        if a.tahap == "floor":
            hasil = tahap_floor(path)
        elif a.tahap == "iex":
            hasil = tahap_iex(path, a.iex_rows)
        else:
            hasil = tahap_proyek(path, kosong=a.tahap == "proyek")
        print(json.dumps(hasil))
        return

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    iex_rows = a.iex_rows or min(a.rows, 20_000)
    folder = Path(tempfile.mkdtemp(prefix="import-bench-"))
    path = Path(a.file) if a.file else folder / f"dtks_{a.rows}.xlsx"
    if not a.file:
        kosongkan()
        mulai = time.perf_counter()
        buat_berkas(path, a.rows)
        print(f"generated {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - mulai:.1f} s")
    berkas = ["--file", str(path), "--rows", str(a.rows)]
    floor = jalankan_tahap(["--tahap", "floor", *berkas])
    print(f"floor: {floor}")
    iex = jalankan_tahap(["--tahap", "iex", *berkas, "--iex-rows", str(iex_rows)])
    print(f"iex: {iex}")
    proyek = jalankan_tahap(["--tahap", "proyek", *berkas])
    print(f"project: {proyek}")
    ulang = jalankan_tahap(["--tahap", "ulang", *berkas])
    print(f"reimport: {ulang}")
    if ulang["tetap"] != a.rows or ulang["riwayat"] != proyek["riwayat"]:
        raise SystemExit("re-import was not a no-op")
    print(
        json.dumps(
            {
                "rows": a.rows,
                "project_s": round(proyek["s"], 2),
                "project_peak_mb": round(proyek["peak_mb"], 1),
                "iex_rows": iex["rows"],
                "iex_s": round(iex["s"], 2),
                "floor_s": round(floor["s"], 2),
                "reimport_s": round(ulang["s"], 2),
                "ratio_to_floor": round(proyek["s"] / floor["s"], 2),
                "reimport_ratio_to_floor": round(ulang["s"] / floor["s"], 2),
                "iex_slowdown_per_row": round((iex["s"] / iex["rows"]) / (proyek["s"] / a.rows), 1),
                "reimport_peak_mb": round(ulang["peak_mb"], 1),
                "floor_peak_mb": round(floor["peak_mb"], 1),
                "keluarga": proyek["keluarga"],
                "file_mb": round(path.stat().st_size / 1e6, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
