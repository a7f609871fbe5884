"""Load bench: concurrent users against gunicorn on a registry of 1,000,000 persons (issue 13).

Usage:
    .venv/bin/python bench/load.py                      # 50 users, 120 s per run (three runs)
    .venv/bin/python bench/load.py --duration 20 --users 20
    .venv/bin/python bench/load.py --think-ms 0,0         # no think time: the old saturation test
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/other .venv/bin/python bench/load.py

Needs PostgreSQL and wrk (``apt-get install -y wrk``). Steps:

1. The database (DATABASE_URL, default ``postgres://postgres@127.0.0.1:5432/bench_load``) is created
   when missing, migrated and grown to ``--penduduk`` persons (default 1,000,000) with the registry
   bench's grower (``bench/tumbuh_registri.py``: ``tumbuh`` for persons and households, then
   ``tumbuh_sosial`` for PPKS, cases, distributions... and one PSM account per kelurahan). A database
   already grown is reused: a second run starts in seconds.
2. Every active PSM has accepted the pledge; staf and pimpinan exist. Each simulated user gets a
   session made directly with Django's session engine (no login request, no password) and a CSRF
   cookie/token pair; the sessions are deleted at the end.
3. gunicorn serves the application on loopback with the production settings read from the
   environment (DEBUG=0, a fresh SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, DATABASE_URL,
   SECURE_PROXY_SSL_HEADER=1: requests carry ``X-Forwarded-Proto: https`` as behind nginx), through
   ``bench/load_settings.py``, which only adds the trivial page ``/bench/ringan/`` and a static root of
   its own (collectstatic runs there: DEBUG=0 needs the manifest).
4. wrk (``bench/load_mix.lua``) runs, each run ``--duration`` seconds with ``--users`` connections,
   one wrk thread per user so that each response is checked against its own request. Each user
   thinks between two clicks (``--think-ms``, below), the same in every run:
   - the mix: 80 % PSM (each a different PSM account while there are enough, cycling over: their
     home psm:beranda 3 times, the person, PPKS and case lists, a case of their kelurahan, the visit
     form of a PPKS resident of their kelurahan, then POST of that form with the CSRF token),
     12 % Staf and 8 % Pimpinan (dashboard, the three lists, a case);
   - the ceiling: the same number of users on ``/bench/ringan/`` (no cookie, no database);
   - PSM home alone: every user a PSM requesting psm:beranda only.
   A short warm-up (``--warmup`` seconds of the mix) precedes the runs and is not counted; after
   each run the bench waits until the requests still queued when wrk stopped have been served.
   gunicorn's access log (method, path, status, microseconds) gives the time of each request inside
   gunicorn, without the queue in front of it.

Errors: any GET answering other than 200 (so a redirect to the login page is one), any POST not
answering 302 to a page other than the login page (an invalid form answers 200), socket errors and
timeouts (``--timeout``, default 30 s). The visits are counted before and after the mix run: there
must be exactly one new visit per visit POST the server answered 302 (its access log, which also
holds the POSTs served after wrk stopped), and wrk must have seen no more than those.

The last line of output is one JSON object: ``rps``, ``p50_ms``, ``p95_ms``, ``p99_ms``, ``errors``
(mix run), ``ceiling_rps``, ``ceiling_p95_ms``, ``psm_home_p95_ms``,
``ratio_psm_home_p95_to_ceiling_p95`` (target: at most 10), the same at the server
(``ceiling_server_p95_ms``, ``psm_home_server_p95_ms``, ``ratio_psm_home_to_ceiling_server_p95``),
``pages`` (per step of the mix: requests, failures, p50/p95 at the client and inside gunicorn),
``users``, ``think_ms``, ``duration_s``, ``persons``, ``workers``, ``threads``, ``visits_created``,
``visits_match``, ``load_avg_before``/``after``. Exit status 1 on any error or visit mismatch.

Think time (decision, issue 13 point 5): "50 concurrent users" are 50 people clicking, not 50
request loops. After each answer a user waits a time drawn uniformly from ``--think-ms MIN,MAX``
(default 500,2000 ms: reading a page on a phone, then tapping) before the next request, through
wrk's ``delay()``; the wait is not part of any latency. The same think time applies to the mix,
the ceiling and the PSM-home run, so that their ratio compares like with like. ``--think-ms 0,0``
gives the old saturation test: a closed loop where each user sends the next request as soon as the
last one is answered, so the latency at the client is mostly the queue in front of the workers
(users / throughput) and the p95 ratio of two runs is close to the ratio of their throughputs. With
think time the offered load is at most users / mean think time (50 / 1.25 s = 40 requests/s), and
the latency shows what a request costs while others are served; the server-side figures show that
cost without any queue.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

AKAR = Path(__file__).resolve().parent.parent
PG_BAWAAN = "postgres://postgres@127.0.0.1:5432/bench_load"
SKRIP_LUA = Path(__file__).resolve().parent / "load_mix.lua"
PENANDA = "BEBAN-JSON "
# Share of the users per role in the mix (the rest are PSM): a city has ~47 PSM and a small office.
BAGIAN_STAF, BAGIAN_PIMPINAN = 0.12, 0.08
# gunicorn on 2 cores: 3 processes x 4 threads (the gthread worker, keep-alive 5 s). Users think
# between clicks, and a sync worker that accepts a connection blocks on it until the request comes:
# with wrk reconnecting right after each answer and then thinking for 0.5-2 s, five sync workers
# spent most of the run waiting on idle sockets (the trivial page took 1.6 ms inside gunicorn and
# 874 ms at the client). In production nginx buffers whole requests in front of gunicorn, so a sync
# worker never waits on a client; gthread is what reproduces that here: idle keep-alive connections
# wait in a poller, not in a worker. One process more than cores: part of a request's time is
# spent waiting for PostgreSQL on the same cores.
WORKERS, THREADS = 3, 4


@dataclass
class Langkah:
    """One request of a user's cycle."""

    nama: str
    path: str
    harap: int = 200  # expected status
    body: str | None = None  # a POST when set


@dataclass
class Pengguna:
    peran: str
    cookie: str | None
    langkah: list[Langkah] = field(default_factory=list)


# --- pure helpers (tests/keamanan/test_load_bench.py) -------------------------------------------


def bagi_peran(jumlah: int) -> list[str]:
    """The role of each of ``jumlah`` users: at least one Staf and one Pimpinan from 3 users on."""
    if jumlah < 3:
        return ["psm"] * jumlah
    pimpinan = max(1, round(jumlah * BAGIAN_PIMPINAN))
    staf = max(1, round(jumlah * BAGIAN_STAF))
    return ["psm"] * (jumlah - staf - pimpinan) + ["staf"] * staf + ["pimpinan"] * pimpinan


def lua(nilai: object) -> str:
    """A Python value (dict, list, str, int, float, bool, None) as a Lua literal."""
    if nilai is None:
        return "nil"
    if isinstance(nilai, bool):
        return "true" if nilai else "false"
    if isinstance(nilai, int | float):
        return repr(nilai)
    if isinstance(nilai, str):
        ganti = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\0": "\\0"}
        return '"' + "".join(ganti.get(c, c) for c in nilai) + '"'
    if isinstance(nilai, dict):
        return "{" + ", ".join(f"[{lua(str(k))}] = {lua(v)}" for k, v in nilai.items() if v is not None) + "}"
    if isinstance(nilai, list | tuple):
        return "{" + ", ".join(lua(v) for v in nilai) + "}"
    raise TypeError(f"no Lua literal for {type(nilai).__name__}")


def data_lua(pengguna: list[Pengguna], *, host: str, login: str, jeda_ms: tuple[int, int] = (0, 0)) -> str:
    """The data file of bench/load_mix.lua; ``jeda_ms``: the think time (min, max) in ms."""
    data = {
        "host": host,
        "asal": f"https://{host}",
        "login": login,
        "jeda_min": jeda_ms[0],
        "jeda_maks": jeda_ms[1],
        "pengguna": [
            {
                "cookie": p.cookie,
                "langkah": [{"nama": s.nama, "path": s.path, "harap": s.harap, "body": s.body} for s in p.langkah],
            }
            for p in pengguna
        ],
    }
    return "return " + lua(data) + "\n"


JEDA_BAWAAN = (500, 2000)  # think time between two clicks of one user, ms (see the docstring)


def baca_jeda(teks: str) -> tuple[int, int]:
    """``--think-ms MIN,MAX`` (whole ms, 0 <= MIN <= MAX) as a pair; argparse reports a ValueError."""
    bagian = teks.replace(" ", "").split(",")
    if len(bagian) != 2 or not all(b.isdigit() for b in bagian):
        raise argparse.ArgumentTypeError(f"expected MIN,MAX in whole milliseconds, got {teks!r}")
    bawah, atas = int(bagian[0]), int(bagian[1])
    if bawah > atas:
        raise argparse.ArgumentTypeError(f"MIN ({bawah}) is above MAX ({atas})")
    return bawah, atas


def baca_wrk(keluaran: str) -> dict:
    """The JSON object load_mix.lua's done() prints after the marker (the last one wins)."""
    baris = [b for b in keluaran.splitlines() if b.startswith(PENANDA)]
    if not baris:
        raise ValueError("wrk printed no result line (did the Lua script fail?):\n" + keluaran[-2000:])
    return json.loads(baris[-1][len(PENANDA) :])


def ringkas(hasil: dict) -> dict:
    """rps, latency percentiles in ms and the error count of one wrk run (from ``baca_wrk``)."""
    detik = hasil["durasi_us"] / 1e6
    galat = hasil["galat"]
    gagal = sum(x["gagal"] for x in hasil["per_langkah"].values())
    # wrk's "status" errors (non-2xx/3xx) are among the failures counted per step: not added twice.
    soket = galat["connect"] + galat["read"] + galat["write"] + galat["timeout"]
    return {
        "rps": round(hasil["permintaan"] / detik, 1) if detik else 0.0,
        "p50_ms": round(hasil["lat_us"]["p50"] / 1000, 1),
        "p95_ms": round(hasil["lat_us"]["p95"] / 1000, 1),
        "p99_ms": round(hasil["lat_us"]["p99"] / 1000, 1),
        "errors": gagal + soket,
        "timeouts": galat["timeout"],
        "socket_errors": soket - galat["timeout"],
        "requests": hasil["permintaan"],
    }


def contoh_unik(*teks: str, batas: int = 10) -> list[str]:
    """The distinct failure samples ("step status location") of the runs, first seen first."""
    unik: dict[str, None] = {}
    for t in teks:
        for contoh in t.split(";"):
            if contoh.strip():
                unik.setdefault(contoh.strip(), None)
    return list(unik)[:batas]


FORMAT_AKSES = "%(m)s %(U)s %(s)s %(D)s"  # gunicorn access log: method, path, status, microseconds


def peta_langkah(pengguna: list[Pengguna]) -> dict[tuple[str, str], str]:
    """(method, path without query) -> step name, to name the lines of the access log."""
    return {("POST" if s.body else "GET", s.path.split("?")[0]): s.nama for p in pengguna for s in p.langkah}


def persentil(urut: list[float], p: float) -> float:
    """The nearest-rank percentile of a sorted list (as load_mix.lua computes it); 0 when empty."""
    if not urut:
        return 0.0
    return urut[max(1, math.ceil(p / 100 * len(urut))) - 1]


def waktu_server(baris: list[str], peta: dict[tuple[str, str], str]) -> dict[str, dict[str, float]]:
    """Per step: requests and p50/p95 ms of the time inside gunicorn (no queue, no network), from
    access-log lines in FORMAT_AKSES. A path of no step (kasus/<id>/) is named by its first segment
    and the step that starts with it; lines of no step at all are left out."""
    waktu: dict[str, list[float]] = {}
    awalan = {(m, "/".join(path.split("/")[:2])): nama for (m, path), nama in peta.items()}
    for b in baris:
        kolom = b.split()
        if len(kolom) != 4 or not kolom[3].isdigit():
            continue
        metode, path = kolom[0], kolom[1]
        nama = peta.get((metode, path)) or awalan.get((metode, "/".join(path.split("/")[:2])))
        if nama:
            waktu.setdefault(nama, []).append(int(kolom[3]) / 1000)
    hasil = {}
    for nama, x in waktu.items():
        x.sort()
        hasil[nama] = {"n": len(x), "p50_ms": round(persentil(x, 50), 1), "p95_ms": round(persentil(x, 95), 1)}
    return hasil


def hitung_akses(baris: list[str], metode: str, path: str, status: int) -> int:
    """Access-log lines (FORMAT_AKSES) of ``metode path`` answered ``status``."""
    return sum(1 for b in baris if b.split()[:3] == [metode, path, str(status)])


def hasil_akhir(
    campur: dict, plafon: dict, beranda: dict, server: dict[str, dict[str, dict]] | None = None, **lain: object
) -> dict:
    """The final JSON object from the three runs (each from ``baca_wrk``); ``server`` holds the
    server-side times of each run (from ``waktu_server``), keyed "campur", "plafon", "beranda"."""
    c, p, b = ringkas(campur), ringkas(plafon), ringkas(beranda)
    server = server or {}
    halaman = {nama: {k: x[k] for k in ("n", "gagal", "p50_ms", "p95_ms")} for nama, x in campur["per_langkah"].items()}
    for nama, x in server.get("campur", {}).items():
        if nama in halaman:
            halaman[nama] |= {"server_p50_ms": x["p50_ms"], "server_p95_ms": x["p95_ms"]}
    server_plafon = server.get("plafon", {}).get("ringan", {}).get("p95_ms")
    server_beranda = server.get("beranda", {}).get("psm_beranda", {}).get("p95_ms")
    return {
        "rps": c["rps"],
        "p50_ms": c["p50_ms"],
        "p95_ms": c["p95_ms"],
        "p99_ms": c["p99_ms"],
        "errors": c["errors"],
        "ceiling_rps": p["rps"],
        "ceiling_p95_ms": p["p95_ms"],
        "psm_home_p95_ms": b["p95_ms"],
        "ratio_psm_home_p95_to_ceiling_p95": round(b["p95_ms"] / p["p95_ms"], 2) if p["p95_ms"] else None,
        "ceiling_errors": p["errors"],
        "psm_home_rps": b["rps"],
        "psm_home_errors": b["errors"],
        "timeouts": c["timeouts"] + p["timeouts"] + b["timeouts"],
        "requests": c["requests"],
        "ratio_ceiling_rps_to_psm_home_rps": round(p["rps"] / b["rps"], 1) if b["rps"] else None,
        # Inside gunicorn (no queue): what one request costs under this load.
        "ceiling_server_p95_ms": server_plafon,
        "psm_home_server_p95_ms": server_beranda,
        "ratio_psm_home_to_ceiling_server_p95": (
            round(server_beranda / server_plafon, 1) if server_plafon and server_beranda else None
        ),
        "pages": halaman,
        **lain,
    }


# --- the database and the users ------------------------------------------------------------------


def siapkan_lingkungan(database_url: str) -> dict[str, str]:
    """The environment of the bench process and of gunicorn: production settings, as deployed."""
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "SECURE_PROXY_SSL_HEADER": "1",  # requests say X-Forwarded-Proto: https, as nginx would
        "TRUSTED_PROXY_COUNT": "0",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    return env


def siapkan_data(penduduk: int, tulis) -> dict[str, int]:
    """Migrate, grow the registry and the social data (or reuse them), collectstatic."""
    from django.core.management import call_command
    from django.db import connection

    from bench import tumbuh_registri
    from penduduk.models import Keluarga, Penduduk

    try:
        call_command("migrate", verbosity=0)
    except Exception as exc:  # e.g. another process migrating the same database right now
        raise SystemExit(f"ABORT: migrate failed on {connection.settings_dict['NAME']}: {exc!r}") from exc
    tulis(f"database: {connection.settings_dict['NAME']}; registry to {penduduk:,} persons")
    hasil = tumbuh_registri.tumbuh(penduduk, tulis=tulis)
    if hasil.baru:
        tulis(f"registry grown: +{hasil.baru:,} persons ({hasil.detik:.1f} s)")
    sosial = tumbuh_registri.tumbuh_sosial(tulis=lambda _teks: None)
    tulis(f"social data: {sosial.baris} ({sosial.detik:.1f} s)")
    mulai = time.perf_counter()
    with open(os.devnull, "w") as diam:
        call_command("collectstatic", "--noinput", verbosity=0, stdout=diam)
    tulis(f"collectstatic: {time.perf_counter() - mulai:.1f} s")
    return {"persons": Penduduk.objects.count(), "households": Keluarga.objects.count()}


def buat_sesi(user) -> str:
    """A logged-in session for ``user``, made with the session engine (as login() would)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from akun.middleware import SessionTimeoutMiddleware

    sesi = import_module(settings.SESSION_ENGINE).SessionStore()
    sesi[SESSION_KEY] = user._meta.pk.value_to_string(user)
    sesi[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    sesi[HASH_SESSION_KEY] = user.get_session_auth_hash()
    sekarang = int(time.time())
    sesi[SessionTimeoutMiddleware.KEY_MULAI] = sekarang
    sesi[SessionTimeoutMiddleware.KEY_AKTIF] = sekarang
    sesi.create()
    return sesi.session_key


def pasangan_csrf() -> tuple[str, str]:
    """(cookie secret, masked form token) of one CSRF pair, as a rendered form would carry."""
    from django.http import HttpRequest
    from django.middleware.csrf import get_token

    req = HttpRequest()
    token = get_token(req)
    return req.META["CSRF_COOKIE"], token


def siapkan_pengguna(jumlah: int, tulis) -> tuple[list[Pengguna], list[Pengguna], list[str]]:
    """The users of the mix and of the PSM-home run (with their sessions) and the session keys."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import timezone

    from akun.models import User
    from akun.roles import Peran
    from bench.bench_registri import pastikan_pengguna
    from penduduk.choices import StatusPenduduk
    from ppks.choices import STATUS_TERBUKA, StatusPPKS
    from ppks.models import PPKS, Kasus
    from psm.models import Ikrar, PersetujuanIkrar

    akun = pastikan_pengguna()  # staf, pimpinan, admin, one PSM (pledged)
    psm = list(
        User.objects.filter(peran=Peran.PSM, is_active=True, kelurahan__isnull=False).distinct().order_by("username")
    )
    if not psm:
        raise SystemExit("ABORT: no active PSM account (tumbuh_sosial makes one per kelurahan)")
    ikrar = Ikrar.terkini()
    if ikrar is not None:
        sudah = set(PersetujuanIkrar.objects.filter(ikrar=ikrar).values_list("user_id", flat=True))
        PersetujuanIkrar.objects.bulk_create([PersetujuanIkrar(user=u, ikrar=ikrar) for u in psm if u.pk not in sudah])

    kunci: list[str] = []
    hari_ini = timezone.localdate().strftime("%d/%m/%Y")
    daftar = {
        "penduduk_list": reverse("penduduk:list"),
        "ppks_list": reverse("ppks:list"),
        "kasus_list": reverse("ppks:kasus-list"),
    }
    beranda, dasbor = reverse("psm:beranda"), reverse("dasbor:index")
    kasus_kota = list(Kasus.objects.filter(status__in=STATUS_TERBUKA).order_by("?").values_list("pk", flat=True)[:50])
    cache_psm: dict[int, tuple[list[int], list[int]]] = {}

    def subjek_psm(user) -> tuple[list[int], list[int]]:
        """PPKS residents and open cases of the PSM's kelurahan (ten of each)."""
        if user.pk not in cache_psm:
            kel = user.kelurahan_ids()
            orang = (
                PPKS.objects.filter(penduduk__kelurahan_id__in=kel, penduduk__status=StatusPenduduk.HIDUP)
                .exclude(status=StatusPPKS.BUKAN_PPKS)
                .order_by("?")
                .values_list("penduduk_id", flat=True)[:10]
            )
            kasus = Kasus.objects.filter(kelurahan_id__in=kel, status__in=STATUS_TERBUKA).order_by("?")
            cache_psm[user.pk] = (list(orang), list(kasus.values_list("pk", flat=True)[:10]))
        return cache_psm[user.pk]

    def cookie(user) -> tuple[str, str]:
        sesi = buat_sesi(user)
        kunci.append(sesi)
        rahasia, token = pasangan_csrf()
        return f"{settings.SESSION_COOKIE_NAME}={sesi}; {settings.CSRF_COOKIE_NAME}={rahasia}", token

    campur, hanya_beranda = [], []
    for i, peran in enumerate(bagi_peran(jumlah)):
        if peran == "psm":
            user = psm[i % len(psm)]
            kue, token = cookie(user)
            orang, kasus = subjek_psm(user)
            p = Pengguna("psm", kue)
            for r in range(max(len(orang), len(kasus), 1)):
                p.langkah += [Langkah("psm_beranda", beranda), *(Langkah(n, u) for n, u in daftar.items())]
                if kasus:
                    p.langkah.append(
                        Langkah("kasus_detail", reverse("ppks:kasus-detail", args=[kasus[r % len(kasus)]]))
                    )
                p.langkah.append(Langkah("psm_beranda", beranda))
                if orang:
                    form = f"{reverse('psm:kunjungan-create')}?{urlencode({'penduduk': orang[r % len(orang)]})}"
                    isian = {"csrfmiddlewaretoken": token, "tanggal": hari_ini, "temuan": "Kunjungan rutin (uji beban)"}
                    p.langkah += [
                        Langkah("kunjungan_form", form),
                        Langkah("kunjungan_post", form, harap=302, body=urlencode(isian)),
                        Langkah("psm_beranda", beranda),  # where the POST redirects
                    ]
            campur.append(p)
            # The PSM-home run: the same account, a session of its own.
            hanya_beranda.append(Pengguna("psm", cookie(user)[0], [Langkah("psm_beranda", beranda)]))
        else:
            kue, _token = cookie(akun[peran])
            p = Pengguna(peran, kue)
            for r in range(10):
                p.langkah += [Langkah("dasbor", dasbor), *(Langkah(n, u) for n, u in daftar.items())]
                if kasus_kota:
                    p.langkah.append(Langkah("kasus_detail", reverse("ppks:kasus-detail", args=[kasus_kota[r]])))
            campur.append(p)
    jumlah_psm = sum(1 for p in campur if p.peran == "psm")
    tulis(
        f"users: {jumlah_psm} PSM ({min(jumlah_psm, len(psm))} different accounts), "
        f"{sum(p.peran == 'staf' for p in campur)} Staf, {sum(p.peran == 'pimpinan' for p in campur)} Pimpinan"
    )
    return campur, hanya_beranda, kunci


def hapus_sesi(kunci: list[str]) -> None:
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=kunci).delete()


# --- gunicorn and wrk -------------------------------------------------------------------------


def port_bebas() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn on loopback, started and stopped by this process only (by its own pid)."""

    def __init__(self, env: dict[str, str], port: int, workers: int, threads: int, log: Path):
        self.port, self.log, self.akses = port, log, log.with_name("akses.log")
        gunicorn = Path(sys.executable).with_name("gunicorn")
        perintah = [
            str(gunicorn) if gunicorn.exists() else "gunicorn",
            "payakumbuh_sosial.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--keep-alive",
            "5",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            "--access-logfile",
            str(self.akses),
            "--access-logformat",
            FORMAT_AKSES,
        ]
        self._log = open(log, "w")  # noqa: SIM115 (closed in stop)
        self.proses = subprocess.Popen(  # noqa: S603 (our own command line)
            perintah, cwd=AKAR, env={**os.environ, **env}, stdout=self._log, stderr=subprocess.STDOUT
        )

    def tunggu_siap(self, batas: float = 60) -> None:
        akhir = time.monotonic() + batas
        while time.monotonic() < akhir:
            if self.proses.poll() is not None:
                raise SystemExit(f"ABORT: gunicorn exited ({self.proses.returncode}):\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5) as r:  # noqa: S310
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        raise SystemExit("ABORT: gunicorn did not answer /healthz")

    def posisi(self) -> int:
        """The size of the access log now (a run's lines are those after it)."""
        return self.akses.stat().st_size if self.akses.exists() else 0

    def akses_sejak(self, posisi: int) -> list[str]:
        with open(self.akses, encoding="utf-8", errors="replace") as f:
            f.seek(posisi)
            return f.read().splitlines()

    def berhenti(self) -> None:
        if self.proses.poll() is None:
            self.proses.send_signal(signal.SIGTERM)
            try:
                self.proses.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proses.kill()
                self.proses.wait()
        self._log.close()


def jalankan_wrk(port: int, data: Path, *, users: int, detik: int, batas_waktu: int) -> dict:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("ABORT: wrk not found (apt-get install -y wrk)")
    perintah = [
        wrk,
        f"-t{users}",
        f"-c{users}",
        f"-d{detik}s",
        f"--timeout={batas_waktu}s",
        "-s",
        str(SKRIP_LUA),
        f"http://127.0.0.1:{port}/",
        "--",
        str(data),
    ]
    hasil = subprocess.run(perintah, capture_output=True, text=True, check=False)  # noqa: S603
    if hasil.returncode != 0:
        raise SystemExit(f"ABORT: wrk failed ({hasil.returncode}):\n{hasil.stdout[-2000:]}\n{hasil.stderr[-2000:]}")
    return baca_wrk(hasil.stdout)


def antrean_terima(port: int, tabel: str = "/proc/net/tcp") -> int | None:
    """Connections waiting in the accept queue of the listening socket on ``port`` (Linux: the
    rx_queue of its LISTEN row), None when there is no such row."""
    try:
        baris = Path(tabel).read_text().splitlines()[1:]
    except OSError:
        return None
    for b in baris:
        kolom = b.split()
        if len(kolom) > 4 and kolom[3] == "0A" and int(kolom[1].rsplit(":", 1)[1], 16) == port:
            return int(kolom[4].split(":")[1], 16)
    return None


def tunggu_reda(port: int, hitung, tenang: float = 3.0, batas: float = 120.0) -> int:
    """Wait until the requests still queued when wrk stopped are served: the accept queue is empty
    and ``hitung()`` (the visit count) has not changed for ``tenang`` seconds. Returns the count."""
    akhir = time.monotonic() + batas
    while (antrean_terima(port) or 0) and time.monotonic() < akhir:
        time.sleep(0.2)
    nilai, sejak = hitung(), time.monotonic()
    while time.monotonic() - sejak < tenang and time.monotonic() < akhir:
        time.sleep(0.5)
        baru = hitung()
        if baru != nilai:
            nilai, sejak = baru, time.monotonic()
    return nilai


def galat_server(log: Path) -> int:
    """Tracebacks gunicorn logged (a 500 is also a failed step; this says where to look)."""
    return log.read_text(errors="replace").count("Traceback (most recent call last)")


def buat_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--penduduk", type=int, default=1_000_000, help="persons in the registry")
    parser.add_argument("--users", type=int, default=50, help="concurrent users (wrk connections)")
    parser.add_argument("--duration", type=int, default=120, help="seconds of each of the three runs")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of mix before the runs (not counted)")
    parser.add_argument("--timeout", type=int, default=30, help="seconds before a request counts as an error")
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=THREADS, help="gunicorn threads per worker")
    parser.add_argument(
        "--think-ms",
        type=baca_jeda,
        default=JEDA_BAWAAN,
        metavar="MIN,MAX",
        help="each user's think time between two requests, uniform in ms, in every run "
        f"(default {JEDA_BAWAAN[0]},{JEDA_BAWAAN[1]}; 0,0 = no think time, the saturation test)",
    )
    parser.add_argument("--prepare-only", action="store_true", help="grow the database, then stop")
    parser.add_argument("--json-only", action="store_true", help="print only the JSON line")
    return parser


def main() -> None:
    parser = buat_parser()
    args = parser.parse_args()

    def tulis(teks: str) -> None:
        if not args.json_only:
            print(teks, flush=True)

    from bench.bench_registri import siapkan_database

    database_url = os.environ.get("DATABASE_URL", PG_BAWAAN)
    os.environ["DATABASE_URL"] = database_url
    siapkan_database(args.penduduk)
    env = siapkan_lingkungan(database_url)
    import django

    django.setup()
    from django.db import connection
    from django.urls import reverse

    from psm.models import Kunjungan

    if connection.vendor != "postgresql":
        raise SystemExit("ABORT: the load bench needs PostgreSQL")
    ukuran = siapkan_data(args.penduduk, tulis)
    tulis(f"rows: {ukuran['persons']:,} persons, {ukuran['households']:,} households")
    if args.prepare_only:
        return
    campur, hanya_beranda, kunci = siapkan_pengguna(args.users, tulis)
    connection.close()  # the bench holds no connection while gunicorn works

    folder = Path(tempfile.mkdtemp(prefix="payakumbuh-beban-"))
    port = port_bebas()
    host = f"127.0.0.1:{port}"
    login = reverse("login")
    berkas = {
        "campur": (folder / "campur.lua", campur),
        "plafon": (folder / "plafon.lua", [Pengguna("anonim", None, [Langkah("ringan", "/bench/ringan/")])]),
        "beranda": (folder / "beranda.lua", hanya_beranda),
    }
    for path, pengguna in berkas.values():
        path.write_text(data_lua(pengguna, host=host, login=login, jeda_ms=args.think_ms))

    server = Gunicorn(env, port, args.workers, args.threads, folder / "gunicorn.log")
    beban_awal = os.getloadavg()
    try:
        server.tunggu_siap()
        tulis(f"gunicorn: {args.workers} workers x {args.threads} threads on {host} (log {server.log})")
        tulis(f"think time per user: {args.think_ms[0]}-{args.think_ms[1]} ms between two requests")
        opsi = {"users": args.users, "batas_waktu": args.timeout}
        if args.warmup:
            jalankan_wrk(port, berkas["campur"][0], detik=args.warmup, **opsi)
        hitung = Kunjungan.objects.count
        sebelum = tunggu_reda(port, hitung)  # the warm-up's last POSTs land first
        hasil, server_ms, jumlah, akses = {}, {}, {}, {}
        judul = {"campur": "mix", "plafon": "ceiling (/bench/ringan/)", "beranda": "PSM home alone"}
        for nama, (data, pengguna) in berkas.items():
            tulis(f"{judul[nama]}: {args.users} users, {args.duration} s")
            posisi = server.posisi()
            hasil[nama] = jalankan_wrk(port, data, detik=args.duration, **opsi)
            jumlah[nama] = tunggu_reda(port, hitung)  # the requests still queued at the end are served
            akses[nama] = server.akses_sejak(posisi)
            server_ms[nama] = waktu_server(akses[nama], peta_langkah(pengguna))
        dibuat = jumlah["campur"] - sebelum
        connection.close()
    finally:
        server.berhenti()
        hapus_sesi(kunci)
    hasil_campur, hasil_plafon, hasil_beranda = hasil["campur"], hasil["plafon"], hasil["beranda"]
    post = hasil_campur["per_langkah"].get("kunjungan_post", {"n": 0, "gagal": 0})
    post_ok = post["n"] - post["gagal"]
    # Exactly one visit per visit POST the server answered 302 (also those still queued when wrk
    # stopped, served afterwards: wrk did not see their answer, so the client count may be lower).
    post_server = hitung_akses(akses["campur"], "POST", reverse("psm:kunjungan-create"), 302)
    kunjungan_cocok = dibuat == post_server and post_ok <= post_server
    akhir = hasil_akhir(
        hasil_campur,
        hasil_plafon,
        hasil_beranda,
        server_ms,
        users=args.users,
        think_ms=list(args.think_ms),
        duration_s=args.duration,
        persons=ukuran["persons"],
        workers=args.workers,
        threads=args.threads,
        visits_created=dibuat,
        visit_posts_ok=post_ok,
        visit_posts_302_server=post_server,
        visits_match=kunjungan_cocok,
        server_tracebacks=galat_server(server.log),
        failure_samples=contoh_unik(
            hasil_campur["contoh_gagal"], hasil_plafon["contoh_gagal"], hasil_beranda["contoh_gagal"]
        ),
        load_avg_before=[round(x, 2) for x in beban_awal],
        load_avg_after=[round(x, 2) for x in os.getloadavg()],
        cores=os.cpu_count(),
    )
    tulis("per step of the mix: requests, failed, p50 and p95 ms at the client, p50 and p95 ms inside gunicorn")
    for nama, x in akhir["pages"].items():
        dalam = f"{x.get('server_p50_ms', 0):>9.1f}{x.get('server_p95_ms', 0):>9.1f}"
        tulis(f"  {nama:<16}{x['n']:>7}{x['gagal']:>5}{x['p50_ms']:>9.1f}{x['p95_ms']:>9.1f}{dalam}")
    if not kunjungan_cocok:
        tulis(f"VISITS DO NOT MATCH: {post_server} POSTs answered 302 ({post_ok} seen by wrk), {dibuat} visits")
    print(json.dumps(akhir))
    if akhir["errors"] or akhir["ceiling_errors"] or akhir["psm_home_errors"] or not kunjungan_cocok:
        sys.exit(1)


if __name__ == "__main__":
    main()
