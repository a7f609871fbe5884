"""The pure helpers of the load bench (bench/load.py): the role split, the Lua data file, reading
wrk's result line and turning it into the reported figures (errors counted once, ms, ratio); and
the think time between two clicks of a user (``--think-ms``), checked through wrk itself when wrk
is installed (REQUIRE_WRK=1 makes a missing wrk an error instead of a skip)."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import threading

import pytest

from bench import load


def _hasil(*, permintaan=1000, durasi_us=10_000_000, p95_us=250_000, per_langkah=None, **galat):
    return {
        "durasi_us": durasi_us,
        "permintaan": permintaan,
        "byte": 123,
        "galat": {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0, **galat},
        "lat_us": {"p50": 40_000, "p90": 200_000, "p95": p95_us, "p99": 900_000, "maks": 1_500_000, "rata": 60_000},
        "per_langkah": per_langkah or {"ringan": {"n": permintaan, "gagal": 0, "p50_ms": 40.0, "p95_ms": 250.0}},
        "kirim_post": 0,
        "contoh_gagal": "",
    }


def test_bagi_peran_mostly_psm_with_staf_and_pimpinan():
    peran = load.bagi_peran(50)
    assert len(peran) == 50
    assert (peran.count("psm"), peran.count("staf"), peran.count("pimpinan")) == (40, 6, 4)
    kecil = load.bagi_peran(3)
    assert sorted(kecil) == ["pimpinan", "psm", "staf"]
    assert load.bagi_peran(2) == ["psm", "psm"]


def test_lua_literal_escapes_strings_and_drops_nil_fields():
    teks = load.lua({"a": 'x"y\\z\nw', "n": 3, "b": True, "kosong": None, "daftar": [1, "dua"]})
    assert teks == '{["a"] = "x\\"y\\\\z\\nw", ["n"] = 3, ["b"] = true, ["daftar"] = {1, "dua"}}'
    with pytest.raises(TypeError):
        load.lua(object())


def test_data_lua_carries_cookie_steps_and_post_body():
    p = load.Pengguna(
        "psm",
        "sessionid=abc; csrftoken=def",
        [
            load.Langkah("psm_beranda", "/psm/"),
            load.Langkah("kunjungan_post", "/kunjungan/baru/?penduduk=7", harap=302, body="a=1&b=2"),
        ],
    )
    anonim = load.Pengguna("anonim", None, [load.Langkah("ringan", "/bench/ringan/")])
    teks = load.data_lua([p, anonim], host="127.0.0.1:8123", login="/masuk/")
    assert teks.startswith("return {")
    assert '["asal"] = "https://127.0.0.1:8123"' in teks
    assert '["cookie"] = "sessionid=abc; csrftoken=def"' in teks
    assert '["harap"] = 302, ["body"] = "a=1&b=2"' in teks
    # A GET has no body field at all, and the anonymous user no cookie (Lua: nil, not "None").
    assert '{["nama"] = "psm_beranda", ["path"] = "/psm/", ["harap"] = 200}' in teks
    assert "None" not in teks
    assert teks.count('["cookie"]') == 1
    # No think time unless asked (the saturation test); the bench passes --think-ms through.
    assert '["jeda_min"] = 0, ["jeda_maks"] = 0' in teks
    teks = load.data_lua([p], host="127.0.0.1:8123", login="/masuk/", jeda_ms=(500, 2000))
    assert '["jeda_min"] = 500, ["jeda_maks"] = 2000' in teks


def test_think_ms_defaults_to_people_clicking_and_parses_min_max():
    parser = load.buat_parser()
    assert parser.parse_args([]).think_ms == (500, 2000) == load.JEDA_BAWAAN
    assert parser.parse_args(["--think-ms", "0,0"]).think_ms == (0, 0)
    assert parser.parse_args(["--think-ms", "100, 300"]).think_ms == (100, 300)
    for salah in ("2000,500", "500", "a,b", "-1,5", "1,2,3"):
        with pytest.raises(SystemExit):
            parser.parse_args(["--think-ms", salah])


def test_baca_wrk_takes_the_marked_line():
    isi = _hasil()
    keluaran = "Running 10s test @ http://127.0.0.1:1/\n  50 threads\n" + load.PENANDA + json.dumps(isi) + "\n"
    assert load.baca_wrk(keluaran) == isi
    with pytest.raises(ValueError, match="no result line"):
        load.baca_wrk("Running 10s test\nPANIC: unprotected error in call to Lua API\n")


def test_ringkas_counts_failed_steps_socket_errors_and_timeouts_once():
    per = {
        "psm_beranda": {"n": 600, "gagal": 2, "p50_ms": 50.0, "p95_ms": 300.0},
        "kunjungan_post": {"n": 400, "gagal": 1, "p50_ms": 60.0, "p95_ms": 320.0},
    }
    # status=3: wrk's non-2xx/3xx, the same responses the steps already counted as failed.
    r = load.ringkas(_hasil(per_langkah=per, connect=1, read=2, write=0, status=3, timeout=4))
    assert r["errors"] == 3 + 1 + 2 + 4
    assert r["timeouts"] == 4
    assert r["socket_errors"] == 3
    assert r["rps"] == 100.0
    assert (r["p50_ms"], r["p95_ms"], r["p99_ms"]) == (40.0, 250.0, 900.0)


def test_hasil_akhir_reports_the_required_keys_and_the_ratio():
    campur = _hasil(
        permintaan=500, per_langkah={"psm_beranda": {"n": 500, "gagal": 0, "p50_ms": 80.0, "p95_ms": 400.0}}
    )
    plafon = _hasil(permintaan=8000, p95_us=100_000)
    beranda = _hasil(permintaan=600, p95_us=700_000)
    akhir = load.hasil_akhir(campur, plafon, beranda, users=50)
    wajib = {"rps", "p50_ms", "p95_ms", "p99_ms", "errors", "ceiling_rps", "ceiling_p95_ms", "psm_home_p95_ms"}
    assert wajib <= akhir.keys()
    assert akhir["rps"] == 50.0
    assert akhir["ceiling_rps"] == 800.0
    assert akhir["ceiling_p95_ms"] == 100.0
    assert akhir["psm_home_p95_ms"] == 700.0
    assert akhir["ratio_psm_home_p95_to_ceiling_p95"] == 7.0
    assert akhir["pages"]["psm_beranda"]["p95_ms"] == 400.0
    assert akhir["users"] == 50
    json.dumps(akhir)  # one JSON line


def test_contoh_unik_dedupes_the_failure_samples_of_the_runs():
    campur = "psm_beranda 302 /masuk/?next=/psm/; psm_beranda 302 /masuk/?next=/psm/; kunjungan_post 200 ; "
    plafon = "ringan 500 ; "
    assert load.contoh_unik(campur, "", plafon) == [
        "psm_beranda 302 /masuk/?next=/psm/",
        "kunjungan_post 200",
        "ringan 500",
    ]
    assert load.contoh_unik(campur, batas=1) == ["psm_beranda 302 /masuk/?next=/psm/"]


def test_antrean_terima_reads_the_accept_queue_of_the_listening_port(tmp_path):
    tabel = tmp_path / "tcp"
    tabel.write_text(
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000007 00:00000000 00000000  0 0 1 1\n"
        "   1: 0100007F:1F90 0100007F:D431 01 00000000:00000005 00:00000000 00000000  0 0 2 1\n"
        "   2: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0 0 3 1\n"
    )
    assert load.antrean_terima(8080, str(tabel)) == 7  # the LISTEN row of port 0x1F90, not the connection
    assert load.antrean_terima(8081, str(tabel)) == 0
    assert load.antrean_terima(9999, str(tabel)) is None
    assert load.antrean_terima(8080, str(tmp_path / "tidak-ada")) is None


def test_waktu_server_names_access_log_lines_by_step():
    pengguna = [
        load.Pengguna(
            "psm",
            "x",
            [
                load.Langkah("psm_beranda", "/psm/"),
                load.Langkah("kasus_detail", "/kasus/12/"),
                load.Langkah("kunjungan_form", "/kunjungan/baru/?penduduk=7"),
                load.Langkah("kunjungan_post", "/kunjungan/baru/?penduduk=7", harap=302, body="a=1"),
            ],
        )
    ]
    peta = load.peta_langkah(pengguna)
    assert peta[("GET", "/kunjungan/baru/")] == "kunjungan_form"
    assert peta[("POST", "/kunjungan/baru/")] == "kunjungan_post"
    baris = [
        *(f"GET /psm/ 200 {us}" for us in (100_000, 200_000, 300_000, 400_000)),
        "GET /kasus/99/ 200 50000",  # another case than the step's: named by its first segment
        "POST /kunjungan/baru/ 302 80000",
        "GET /kunjungan/baru/ 200 30000",
        "GET /healthz 200 1000",  # no step: left out
        "garbage line",
    ]
    hasil = load.waktu_server(baris, peta)
    assert hasil["psm_beranda"] == {"n": 4, "p50_ms": 200.0, "p95_ms": 400.0}
    assert hasil["kasus_detail"]["n"] == 1
    assert hasil["kunjungan_post"]["p50_ms"] == 80.0
    assert hasil["kunjungan_form"]["p50_ms"] == 30.0
    assert set(hasil) == {"psm_beranda", "kasus_detail", "kunjungan_post", "kunjungan_form"}
    assert load.persentil([], 95) == 0.0


def test_hasil_akhir_adds_the_server_side_times_and_their_ratio():
    campur = _hasil(per_langkah={"psm_beranda": {"n": 5, "gagal": 0, "p50_ms": 80.0, "p95_ms": 400.0}})
    server = {
        "campur": {"psm_beranda": {"n": 5, "p50_ms": 150.0, "p95_ms": 250.0}},
        "plafon": {"ringan": {"n": 100, "p50_ms": 2.0, "p95_ms": 5.0}},
        "beranda": {"psm_beranda": {"n": 50, "p50_ms": 120.0, "p95_ms": 200.0}},
    }
    akhir = load.hasil_akhir(campur, _hasil(), _hasil(), server)
    assert akhir["pages"]["psm_beranda"]["server_p95_ms"] == 250.0
    assert akhir["ceiling_server_p95_ms"] == 5.0
    assert akhir["psm_home_server_p95_ms"] == 200.0
    assert akhir["ratio_psm_home_to_ceiling_server_p95"] == 40.0


def test_hitung_akses_counts_one_method_path_and_status():
    baris = [
        "POST /kunjungan/baru/ 302 80000",
        "POST /kunjungan/baru/ 302 90000",
        "POST /kunjungan/baru/ 200 70000",  # an invalid form: no visit
        "GET /kunjungan/baru/ 200 30000",
        "POST /kunjungan/baru/x 302 1",
    ]
    assert load.hitung_akses(baris, "POST", "/kunjungan/baru/", 302) == 2
    assert load.hitung_akses(baris, "POST", "/kunjungan/baru/", 200) == 1
    assert load.hitung_akses([], "POST", "/kunjungan/baru/", 302) == 0


# --- the think time, through wrk ------------------------------------------------------------------


@pytest.fixture
def wrk():
    path = shutil.which("wrk")
    if path is None:
        if os.environ.get("REQUIRE_WRK") == "1":
            pytest.fail("REQUIRE_WRK=1 but wrk is not installed (apt-get install -y wrk)")
        pytest.skip("wrk is not installed (apt-get install -y wrk); REQUIRE_WRK=1 makes this an error")
    return path


class _Hitung(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once (no 40 ms delayed ACK)
    jumlah = 0

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).jumlah += 1
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def _wrk_satu_pengguna(wrk, tmp_path, jeda_ms: tuple[int, int], detik: int = 2) -> tuple[dict, int]:
    """One user for ``detik`` s on a local server answering 200 at once: wrk's result and the
    requests the server saw."""
    _Hitung.jumlah = 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hitung)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        host = f"127.0.0.1:{server.server_port}"
        data = tmp_path / "data.lua"
        pengguna = load.Pengguna("anonim", None, [load.Langkah("ringan", "/r/")])
        data.write_text(load.data_lua([pengguna], host=host, login="/masuk/", jeda_ms=jeda_ms))
        keluar = subprocess.run(  # noqa: S603 (our own command line)
            [wrk, "-t1", "-c1", f"-d{detik}s", "-s", str(load.SKRIP_LUA), f"http://{host}/", "--", str(data)],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    finally:
        server.shutdown()
        server.server_close()
    return load.baca_wrk(keluar.stdout), _Hitung.jumlah


def test_think_time_spaces_one_users_requests(wrk, tmp_path):
    """400-600 ms of thinking: one user sends at most 2 s / 0.4 s = 5 requests (plus the first
    wait), where the closed loop sends hundreds; the wait is in no latency."""
    berpikir, dilayani = _wrk_satu_pengguna(wrk, tmp_path, (400, 600))
    assert 2 <= berpikir["permintaan"] <= 5, berpikir["permintaan"]
    assert dilayani <= 6
    langkah = berpikir["per_langkah"]["ringan"]
    assert langkah["gagal"] == 0 and langkah["p95_ms"] < 400, langkah
    assert berpikir["lat_us"]["p95"] < 400_000
    loop, _ = _wrk_satu_pengguna(wrk, tmp_path, (0, 0))
    assert loop["permintaan"] > 100, loop["permintaan"]
