"""A background worker killed in the middle of an import (issue 13, point 6c).

The real thing: a ``manage.py db_worker`` subprocess on the test database (PostgreSQL: the test
database itself; SQLite: a file copy of the in-memory test database, copied back afterwards) runs a
confirmed import of a few thousand rows and is killed with SIGKILL while the import's write
transaction is open. Then: not one row of that import is in the database, the job is "berjalan"
until its heartbeat is older than ``IMPOR_BATAS_DIAM_DETIK``, then the import pages fail it with
"Pekerja berhenti sebelum impor selesai; ...", and "Jalankan lagi" imports the file once.

The unit tests below it pin the pieces: the heartbeat thread, the dead-job rule, the re-run claim.
"""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from akun.roles import Peran
from impor import tasks
from impor.models import StatusImpor, TugasImpor
from penduduk.models import Keluarga, Penduduk
from penduduk.nik import susun_nik, susun_no_kk
from tests.factories import UserFactory
from tests.impor.conftest import SIKS_NG, baris_siks

BASE_DIR = Path(settings.BASE_DIR)
# Rows of the import: its write takes a couple of seconds on SQLite, about one on PostgreSQL (time
# enough to kill it mid-write; the test polls every 10-30 ms).
N_BARIS = {"sqlite": 3000, "postgresql": 6000}
TASKS_DB = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TASKS_LANGSUNG = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PESAN = "Pekerja berhenti sebelum impor selesai; tidak ada data yang tersimpan. Jalankan lagi."


def tulis_berkas(path: Path, n: int) -> list[str]:
    """A SIKS-NG csv of ``n`` new residents in households of four; returns their NIKs."""
    nik_semua = []
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(SIKS_NG)
        for i in range(n):
            lahir = date(1950, 1, 1) + timedelta(days=i % 20000)
            jk = "L" if i % 2 else "P"
            kk = susun_no_kk("137601", date(2019, 3, 4), 1000 + i // 4)
            nik = susun_nik("137601", lahir, jk, 1 + i // 20000)
            hub = "KEPALA KELUARGA" if i % 4 == 0 else "ANAK"
            w.writerow(baris_siks(kk, nik, f"Warga Pulih {i}", lahir.strftime("%d/%m/%Y"), jk, hub))
            nik_semua.append(nik)
    return nik_semua


class BasisPekerja:
    """The database the worker subprocess uses, seen from the test."""

    def __init__(self, tmp_path: Path):
        self.vendor = connection.vendor
        connection.ensure_connection()
        if self.vendor == "sqlite":
            # The test database lives in memory: the worker gets a file copy (SQLite's online backup).
            self.berkas = tmp_path / "pekerja.sqlite3"
            tujuan = sqlite3.connect(self.berkas)
            connection.connection.backup(tujuan)
            tujuan.close()
            self.url = f"sqlite:///{self.berkas}"
        else:
            s = connection.settings_dict
            kredensial = quote(s["USER"] or "postgres") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
            self.url = f"postgres://{kredensial}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"

    def baca(self, sql: str, params=()) -> list[tuple]:
        if self.vendor == "sqlite":
            c = sqlite3.connect(self.berkas, timeout=5)
            try:
                return c.execute(sql, params).fetchall()
            finally:
                c.close()
        with connection.cursor() as c:
            c.execute(sql.replace("?", "%s"), params)
            return c.fetchall()

    def sedang_menulis(self) -> bool:
        """Is a write transaction on the registry open (uncommitted) right now?"""
        if self.vendor == "sqlite":
            c = sqlite3.connect(self.berkas, timeout=0, isolation_level=None)
            try:
                c.execute("BEGIN IMMEDIATE")  # refused while another connection holds the write lock
                c.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:
                return True
            finally:
                c.close()
        # The lock an INSERT takes on the table, held until COMMIT or ROLLBACK.
        return bool(
            self.baca(
                "SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                "AND c.relname IN ('penduduk_penduduk', 'penduduk_keluarga') AND l.mode = 'RowExclusiveLock' "
                "AND l.granted AND l.pid <> pg_backend_pid()"
            )
        )

    def kembalikan(self) -> None:
        """After the kill: make the test's connection see what the worker left."""
        if self.vendor == "sqlite":
            asal = sqlite3.connect(self.berkas)
            asal.backup(connection.connection)  # uncommitted WAL frames of the dead writer are ignored
            asal.close()
            return
        # The killed worker's server process only notices its client is gone when it next talks
        # to it; end it (aborting its transaction) so the test database can be flushed and dropped.
        pids = [r[0] for r in self.baca("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                         "AND pid <> pg_backend_pid()")]  # fmt: skip
        for pid in pids:
            self.baca("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(200):
            if not self.baca("SELECT 1 FROM pg_stat_activity WHERE pid = ANY(%s)", [pids]):
                break
            time.sleep(0.05)


def mulai_pekerja(basis: BasisPekerja, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "payakumbuh_sosial.settings",  # the real settings: the database task backend
        "DEBUG": "1",
        "DATABASE_URL": basis.url,
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "IMPOR_DENYUT_DETIK": "1",
        "CONN_MAX_AGE": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    cmd = [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.1", "--no-startup-delay"]
    return subprocess.Popen(cmd, cwd=BASE_DIR, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)  # noqa: S603


def tunggu_penulisan(basis: BasisPekerja, tugas_id: int, pekerja: subprocess.Popen, log: Path) -> tuple:
    """Poll until the import's write transaction is open; returns the job's (status, progres)."""
    batas = time.monotonic() + 120
    berturut = 0
    while time.monotonic() < batas:
        assert pekerja.poll() is None, f"db_worker berhenti sendiri:\n{log.read_text()[-3000:]}"
        (status, progres), *_ = basis.baca("SELECT status, progres FROM impor_tugasimpor WHERE id = ?", [tugas_id])
        assert status in ("menunggu", "berjalan"), f"impor selesai sebelum dibunuh ({status}); perbesar berkas"
        # 75 %: the rows are checked and compared; what follows is the write (one transaction).
        if status == "berjalan" and progres >= 75 and basis.sedang_menulis():
            berturut += 1
            if berturut >= (1 if basis.vendor == "postgresql" else 3):  # SQLite: not a short progress write
                return status, progres
        else:
            berturut = 0
        time.sleep(0.01 if basis.vendor == "postgresql" else 0.03)
    pytest.fail(f"penulisan impor tidak terlihat dalam 120 detik:\n{log.read_text()[-3000:]}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pekerja_dibunuh_saat_menulis_tidak_meninggalkan_apa_pun_lalu_bisa_dijalankan_lagi(client, settings, tmp_path):
    n_baris = N_BARIS[connection.vendor]
    staf = UserFactory(username="staf.pulih", peran=Peran.STAF)
    nama = f"unggahan/pulih-{os.getpid()}.csv"
    path = Path(tasks.penyimpanan.path(nama))
    path.parent.mkdir(parents=True, exist_ok=True)
    nik_berkas = tulis_berkas(path, n_baris)
    pratinjau = TugasImpor.objects.create(
        jenis="penduduk", nama_berkas="dtks-besar.csv", uji_coba=True, status=StatusImpor.SELESAI,
        jumlah_baris=n_baris, jumlah_baru=n_baris, berkas_simpan=nama, dibuat_oleh=staf, selesai_pada=timezone.now(),
    )  # fmt: skip
    penduduk_awal, keluarga_awal = Penduduk.objects.count(), Keluarga.objects.count()
    riwayat_awal = Penduduk.history.count()

    # Staff confirm; the job goes to the database queue (as in production), not run in the request.
    settings.TASKS = TASKS_DB
    client.force_login(staf)
    resp = client.post(reverse("impor:konfirmasi", args=[pratinjau.pk]), {"mode": "semua"})
    tugas = TugasImpor.objects.get(asal=pratinjau)
    assert resp.status_code == 302 and resp["Location"] == reverse("impor:progres", args=[tugas.pk])
    assert tugas.status == StatusImpor.MENUNGGU
    assert DBTaskResult.objects.get().status == "READY"
    settings.TASKS = TASKS_LANGSUNG

    basis = BasisPekerja(tmp_path)
    log = tmp_path / "db_worker.log"
    pekerja = mulai_pekerja(basis, log)
    try:
        status, progres = tunggu_penulisan(basis, tugas.pk, pekerja, log)
        os.kill(pekerja.pid, signal.SIGKILL)
        pekerja.wait(timeout=30)
    finally:
        if pekerja.poll() is None:
            os.kill(pekerja.pid, signal.SIGKILL)
            pekerja.wait(timeout=30)
    assert pekerja.returncode == -signal.SIGKILL
    basis.kembalikan()

    # Nothing of the import: no person, no household, no history row (one transaction, rolled back).
    assert not Penduduk.objects.filter(nik__in=nik_berkas[:500] + nik_berkas[-500:]).exists()
    assert (Penduduk.objects.count(), Keluarga.objects.count()) == (penduduk_awal, keluarga_awal)
    assert Penduduk.history.count() == riwayat_awal
    # The job as the dead worker left it: claimed by the worker (heartbeat and task id set), "berjalan".
    tugas.refresh_from_db()
    assert (tugas.status, tugas.progres) == (StatusImpor.BERJALAN, 75)
    assert tugas.denyut_pada is not None and tugas.mulai_pada is not None
    assert DBTaskResult.objects.get(pk=tugas.id_tugas_latar).status == "RUNNING"

    # Still within the threshold: the job may only be slow, so the pages leave it alone.
    settings.IMPOR_BATAS_DIAM_DETIK = 3600
    resp = client.get(reverse("impor:progres-bagian", args=[tugas.pk]))
    assert resp.status_code == 200 and 'data-status="berjalan"' in resp.content.decode()
    # Past the threshold without a heartbeat: the progress page (polled every second) fails it.
    settings.IMPOR_BATAS_DIAM_DETIK = 1
    while timezone.now() - tugas.denyut_pada <= timedelta(seconds=1):
        time.sleep(0.1)
    resp = client.get(reverse("impor:progres-bagian", args=[tugas.pk]) + "?lanjut=1")
    assert resp.status_code == 302 and resp["Location"] == reverse("impor:hasil", args=[tugas.pk])
    tugas.refresh_from_db()
    assert (tugas.status, tugas.pesan) == (StatusImpor.GAGAL, PESAN)
    assert tugas.berkas_simpan == nama and path.exists()  # kept for "Jalankan lagi"
    assert tugas.history.first().status == StatusImpor.GAGAL
    assert DBTaskResult.objects.get(pk=tugas.id_tugas_latar).status == "FAILED"
    halaman = client.get(reverse("impor:hasil", args=[tugas.pk])).content.decode()
    assert PESAN in halaman and 'data-testid="jalankan-lagi"' in halaman

    # "Jalankan lagi": the same file once more, whole (immediate backend: runs in the request).
    resp = client.post(reverse("impor:konfirmasi", args=[tugas.pk]), {"mode": "ulang"})
    ulang = TugasImpor.objects.exclude(pk__in=[pratinjau.pk, tugas.pk]).get()
    assert resp["Location"] == reverse("impor:progres", args=[ulang.pk])
    assert (ulang.status, ulang.jumlah_baru, ulang.uji_coba, ulang.asal_id) == (
        StatusImpor.SELESAI, n_baris, False, pratinjau.pk,
    )  # fmt: skip
    assert Penduduk.objects.filter(nik__in=nik_berkas).count() == n_baris
    assert Penduduk.objects.count() == penduduk_awal + n_baris
    # A second click does not import again.
    resp = client.post(reverse("impor:konfirmasi", args=[tugas.pk]), {"mode": "ulang"}, follow=True)
    assert "tidak bisa dijalankan lagi" in resp.content.decode()
    assert TugasImpor.objects.count() == 3


# --- the pieces, in-process ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_denyut_terus_berjalan_selama_impor(settings, monkeypatch, user_staf):
    """The heartbeat thread writes on its own connection while the import runs (and stops after)."""
    settings.IMPOR_DENYUT_DETIK = 1
    nama = tasks.penyimpanan.save("unggahan/denyut.csv", ContentFile(b"NIK,NAMA\n"))
    tugas = TugasImpor.objects.create(jenis="penduduk", nama_berkas="x.csv", berkas_simpan=nama, dibuat_oleh=user_staf)
    terlihat = []

    def impor_lambat(*, tugas, path, oleh):
        for _ in range(6):
            time.sleep(0.5)
            terlihat.append(TugasImpor.objects.values_list("denyut_pada", flat=True).get(pk=tugas.pk))
        tugas.status = StatusImpor.SELESAI
        tugas.save()

    monkeypatch.setattr(tasks, "impor_jalankan", impor_lambat)
    assert tasks.jalankan(tugas.pk, id_latar="abc") == StatusImpor.SELESAI
    berbeda = sorted(set(terlihat))
    assert len(berbeda) >= 2, terlihat  # the claim's value, then at least one beat
    assert berbeda[-1] - berbeda[0] >= timedelta(seconds=0.9)
    akhir = TugasImpor.objects.get(pk=tugas.pk)
    assert akhir.id_tugas_latar == "abc"
    time.sleep(1.3)
    assert TugasImpor.objects.get(pk=tugas.pk).denyut_pada == akhir.denyut_pada  # the thread stopped


@pytest.mark.django_db
def test_hanya_tugas_tanpa_denyut_lewat_batas_yang_ditandai_gagal(settings, user_staf):
    settings.IMPOR_BATAS_DIAM_DETIK = 600
    sekarang = timezone.now()

    def buat(**kw):
        return TugasImpor.objects.create(jenis="penduduk", nama_berkas="x.csv", dibuat_oleh=user_staf, **kw)

    mati = buat(status=StatusImpor.BERJALAN, denyut_pada=sekarang - timedelta(seconds=601), berkas_simpan="a.csv")
    lambat = buat(status=StatusImpor.BERJALAN, denyut_pada=sekarang - timedelta(seconds=500))
    perintah = buat(status=StatusImpor.BERJALAN, mulai_pada=sekarang - timedelta(days=1))  # import_data: no worker
    selesai = buat(status=StatusImpor.SELESAI, denyut_pada=sekarang - timedelta(days=1))
    menunggu = buat(status=StatusImpor.MENUNGGU)

    assert tasks.impor_macet_tandai() == [mati.pk]
    assert tasks.impor_macet_tandai() == []  # once
    status = dict(TugasImpor.objects.values_list("pk", "status"))
    assert status == {
        mati.pk: StatusImpor.GAGAL, lambat.pk: StatusImpor.BERJALAN, perintah.pk: StatusImpor.BERJALAN,
        selesai.pk: StatusImpor.SELESAI, menunggu.pk: StatusImpor.MENUNGGU,
    }  # fmt: skip
    mati.refresh_from_db()
    assert mati.pesan == PESAN and mati.selesai_pada is not None and mati.berkas_simpan == "a.csv"
    assert tasks.bisa_diulang(mati)


@pytest.mark.django_db
def test_jalankan_lagi_hanya_untuk_tugas_yang_pekerjanya_berhenti(client, user_staf):
    """A job that failed for another reason (its file already deleted) is not re-run; a preview
    still being used is not either."""
    client.force_login(user_staf)
    gagal_biasa = TugasImpor.objects.create(
        jenis="penduduk",
        nama_berkas="x.csv",
        status=StatusImpor.GAGAL,
        pesan="Penyimpanan gagal",
        dibuat_oleh=user_staf,
    )
    pratinjau = TugasImpor.objects.create(
        jenis="penduduk", nama_berkas="y.csv", uji_coba=True, status=StatusImpor.SELESAI, berkas_simpan="y.csv",
        dibuat_oleh=user_staf,
    )  # fmt: skip
    for t in (gagal_biasa, pratinjau):
        resp = client.post(reverse("impor:konfirmasi", args=[t.pk]), {"mode": "ulang"}, follow=True)
        assert "tidak bisa dijalankan lagi" in resp.content.decode()
    assert TugasImpor.objects.count() == 2
    assert (
        'data-testid="jalankan-lagi"' not in client.get(reverse("impor:hasil", args=[gagal_biasa.pk])).content.decode()
    )


@pytest.mark.django_db
def test_tugas_yang_dikira_mati_tidak_menghapus_berkas_tugas_ulangnya(monkeypatch, user_staf):
    """A job judged dead while it was only slow finishes after its re-run took the file: the file
    stays for the re-run, and goes when the re-run has finished."""
    nama = tasks.penyimpanan.save("unggahan/lambat.csv", ContentFile(b"NIK,NAMA\n"))

    def buat():
        return TugasImpor.objects.create(
            jenis="penduduk", nama_berkas="x.csv", berkas_simpan=nama, dibuat_oleh=user_staf
        )

    lambat, ulang = buat(), buat()

    def impor_selesai(*, tugas, path, oleh):
        tugas.status = StatusImpor.SELESAI
        tugas.save()

    monkeypatch.setattr(tasks, "impor_jalankan", impor_selesai)
    assert tasks.jalankan(lambat.pk) == StatusImpor.SELESAI
    assert tasks.penyimpanan.exists(nama)
    assert TugasImpor.objects.get(pk=lambat.pk).berkas_simpan == ""
    assert tasks.jalankan(ulang.pk) == StatusImpor.SELESAI
    assert not tasks.penyimpanan.exists(nama)


@pytest.mark.django_db
def test_halaman_progres_memberi_tahu_bila_pekerja_lama_diam(client, settings, user_staf):
    """Before the threshold the job stays "berjalan", but its progress page says the worker has been
    silent (a big write on SQLite, or a dead worker), and what will happen."""
    settings.IMPOR_BATAS_DIAM_DETIK = 600
    settings.IMPOR_DENYUT_DETIK = 15
    client.force_login(user_staf)
    sekarang = timezone.now()

    def halaman(denyut):
        t = TugasImpor.objects.create(
            jenis="penduduk",
            nama_berkas="x.csv",
            status=StatusImpor.BERJALAN,
            denyut_pada=denyut,
            dibuat_oleh=user_staf,
        )
        return client.get(reverse("impor:progres", args=[t.pk])).content.decode(), t

    diam, tugas = halaman(sekarang - timedelta(minutes=5))
    assert 'data-testid="pekerja-diam"' in diam and "setelah 10 menit tanpa tanda" in diam
    assert TugasImpor.objects.get(pk=tugas.pk).status == StatusImpor.BERJALAN
    hidup, _t = halaman(sekarang - timedelta(seconds=10))
    assert 'data-testid="pekerja-diam"' not in hidup and 'data-status="berjalan"' in hidup
