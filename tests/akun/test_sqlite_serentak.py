"""Issue 5, point 4: parallel saves on SQLite wait for each other instead of 'database is locked'."""

import subprocess
import sys
from pathlib import Path

SKRIP = Path(__file__).resolve().parents[1] / "skrip" / "simpan_serentak.py"


def test_lima_simpan_serentak_di_sqlite_semuanya_berhasil():
    # A child process: its own SQLite file (the test database is in memory), real threads.
    hasil = subprocess.run([sys.executable, str(SKRIP)], capture_output=True, text=True, timeout=120, check=False)
    assert hasil.returncode == 0, hasil.stderr[-2000:]
    assert "ok=5 gagal=0" in hasil.stdout, hasil.stdout + hasil.stderr[-2000:]
