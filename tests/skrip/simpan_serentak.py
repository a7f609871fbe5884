"""Five people save five different persons at the same moment on one SQLite file.

Run by tests/akun/test_sqlite_serentak.py in a child process (its own settings and database
file). Prints "ok=N gagal=M" and the first error.
"""

import os
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/serentak.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payakumbuh_sosial.settings_test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from akun.models import User  # noqa: E402
from penduduk.models import Penduduk  # noqa: E402
from penduduk.services import penduduk_simpan  # noqa: E402
from wilayah.models import Kelurahan  # noqa: E402

call_command("migrate", verbosity=0)
kelurahan = Kelurahan.objects.first()
staf = User.objects.create(username="staf", peran="staf")
orang = [Penduduk.objects.create(nama=f"Orang {i}", kelurahan=kelurahan) for i in range(5)]
connection.close()

hasil: list[str] = []
mulai = threading.Barrier(len(orang))


def ubah(pk: int) -> None:
    try:
        mulai.wait()
        for putaran in range(5):
            p = Penduduk.objects.get(pk=pk)
            p.pekerjaan = f"Petani {putaran}"
            penduduk_simpan(penduduk=p, oleh=User.objects.get(username="staf"))
        hasil.append("ok")
    except Exception as exc:  # noqa: BLE001 - the child reports every failure to the test
        hasil.append(f"{type(exc).__name__}: {exc}")
    finally:
        connections.close_all()


utas = [threading.Thread(target=ubah, args=(p.pk,)) for p in orang]
for u in utas:
    u.start()
for u in utas:
    u.join()
gagal = [h for h in hasil if h != "ok"]
print(f"ok={hasil.count('ok')} gagal={len(gagal)} {gagal[:1]}")
