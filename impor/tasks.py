"""Background work of the import pages: one task that runs ``impor_jalankan`` on a stored upload.

django-tasks with its database backend (DESIGN.md, "Background work"): ``enqueue`` writes a row,
``manage.py db_worker`` picks it up (``make run`` starts one beside the server). The test settings
use the immediate backend, so there the task runs inside the request.

The uploaded file and the rejected-rows report hold personal data: they live in a private folder
(``PRIVATE_MEDIA_ROOT/impor``, no public URL; served only by ``impor:ditolak-xlsx`` to Admin/Staf).
The upload is kept after a successful preview (the confirmed import reads the same file) and
deleted when the real import has run, or when the preview refused the file, or after
``IMPOR_SIMPAN_HARI`` days (``manage.py hapus_berkas_impor``).

A worker that dies (SIGKILL, the OOM killer, a power cut) cannot record anything. The write is one
transaction, so nothing of the import is saved; what is left is a job row "berjalan" forever. So
the worker keeps a heartbeat on the job (``denyut_pada``, from a small thread with its own
connection, every ``IMPOR_DENYUT_DETIK`` seconds), and ``impor_macet_tandai`` (run by the import
pages) fails a job whose heartbeat is older than ``IMPOR_BATAS_DIAM_DETIK`` with
``PESAN_PEKERJA_BERHENTI``. Such a job keeps its stored upload, so staff re-run it with one click
("Jalankan lagi", ``impor:konfirmasi`` with ``mode=ulang``). It is not re-queued automatically: a
kill is most often the OOM killer or an operator stopping a job, and running it again by itself
would repeat the kill in a loop (README, "Background work").
"""

from __future__ import annotations

import logging
import secrets
import threading
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import FileSystemStorage
from django.db import DatabaseError, connections
from django.utils import timezone
from django.utils.functional import LazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from impor.layanan import impor_jalankan
from impor.models import StatusImpor, TugasImpor
from payakumbuh_sosial.env import env_int

log = logging.getLogger(__name__)

AKHIRAN = {"xlsx", "xls", "csv", "txt"}
PESAN_PEKERJA_BERHENTI = gettext_noop(
    "Pekerja berhenti sebelum impor selesai; tidak ada data yang tersimpan. Jalankan lagi."
)


def _detik(nama: str, bawaan: int) -> int:
    # A project setting of the same name wins, then the environment variable (impor/pengaturan.py).
    nilai = getattr(settings, nama, None)
    return int(nilai) if nilai is not None else env_int(nama, bawaan)


def denyut_detik() -> int:
    """Seconds between two heartbeats of a running job (IMPOR_DENYUT_DETIK, default 15)."""
    return max(1, _detik("IMPOR_DENYUT_DETIK", 15))


def batas_diam_detik() -> int:
    """Seconds without a heartbeat after which a running job counts as dead (IMPOR_BATAS_DIAM_DETIK,
    default 600). On SQLite the heartbeat waits while the import's write transaction holds the
    database (minutes at 300,000 rows), so keep this well above the longest write."""
    return max(1, _detik("IMPOR_BATAS_DIAM_DETIK", 600))


class _Penyimpanan(LazyObject):
    def _setup(self):
        # No base_url: nothing here has a public URL.
        self._wrapped = FileSystemStorage(location=Path(settings.PRIVATE_MEDIA_ROOT) / "impor", base_url=None)


penyimpanan = _Penyimpanan()


def simpan_unggahan(berkas) -> str:
    """Store an uploaded file under a random name (never the uploaded one); returns its name."""
    akhiran = Path(berkas.name or "").suffix.lower().lstrip(".")
    akhiran = akhiran if akhiran in AKHIRAN else "bin"  # the real type comes from the bytes anyway
    return penyimpanan.save(f"unggahan/{secrets.token_hex(16)}.{akhiran}", berkas)


def hapus(nama: str) -> None:
    if nama:
        try:
            penyimpanan.delete(nama)
        except OSError:  # already gone, or a folder problem: nothing to keep anyway
            log.warning("Berkas impor %s tidak bisa dihapus", nama)


def _tandai(tugas_id: int, status: str, pesan: str) -> None:
    TugasImpor.objects.filter(pk=tugas_id).update(
        status=status, pesan=pesan, progres=100, selesai_pada=timezone.now(), berkas_simpan=""
    )


class _Denyut:
    """The heartbeat of one running job: a daemon thread that touches ``denyut_pada`` every
    ``denyut_detik()`` seconds on its own database connection (outside the import's transaction,
    so it is seen while the import writes). Stops with the ``with`` block."""

    def __init__(self, tugas_id: int):
        self.tugas_id = tugas_id
        self.berhenti = threading.Event()
        self.utas = threading.Thread(target=self._jalan, name=f"denyut-impor-{tugas_id}", daemon=True)

    def __enter__(self):
        self.utas.start()
        return self

    def __exit__(self, *exc):
        self.berhenti.set()
        self.utas.join(timeout=30)

    def _jalan(self) -> None:
        try:
            while not self.berhenti.wait(denyut_detik()):
                try:
                    TugasImpor.objects.filter(pk=self.tugas_id, status=StatusImpor.BERJALAN).update(
                        denyut_pada=timezone.now()
                    )
                except DatabaseError:  # SQLite busy with the import's write: try again next beat
                    log.info("Denyut impor #%s tertunda", self.tugas_id)
        finally:
            connections.close_all()  # this thread's connections only


def _hapus_upload(nama: str, tugas_id: int) -> None:
    """Delete the upload of a finished job, unless another job holds it: a job judged dead while
    it was only slow may have been run again meanwhile (``impor_ulang`` moved the file to it)."""
    if not TugasImpor.objects.filter(berkas_simpan=nama).exclude(pk=tugas_id).exists():
        hapus(nama)


def jalankan(tugas_id: int, id_latar: str = "") -> str:
    """Run job ``tugas_id`` once (a second delivery of the same task does nothing); returns its status."""
    diambil = TugasImpor.objects.filter(pk=tugas_id, status=StatusImpor.MENUNGGU).update(
        status=StatusImpor.BERJALAN, denyut_pada=timezone.now(), id_tugas_latar=id_latar[:64]
    )
    if not diambil:
        return "lewat"
    tugas = TugasImpor.objects.select_related("dibuat_oleh").get(pk=tugas_id)
    nama = tugas.berkas_simpan
    if not nama or not penyimpanan.exists(nama):
        _tandai(tugas.pk, StatusImpor.DITOLAK, _("Berkas unggahan sudah tidak ada (dihapus); unggah ulang berkasnya."))
        return StatusImpor.DITOLAK
    hasil = None
    try:
        with _Denyut(tugas.pk):
            hasil = impor_jalankan(tugas=tugas, path=penyimpanan.path(nama), oleh=tugas.dibuat_oleh)
    except PermissionDenied as exc:
        _hapus_upload(nama, tugas.pk)
        _tandai(tugas.pk, StatusImpor.DITOLAK, str(exc))
        return StatusImpor.DITOLAK
    except Exception:
        # A bug in a type's reader must not leave the job "berjalan" forever. The write is one
        # transaction, so an exception means nothing was saved.
        log.exception("Impor #%s berhenti karena galat tak terduga", tugas.pk)
        _hapus_upload(nama, tugas.pk)
        _tandai(
            tugas.pk,
            StatusImpor.GAGAL,
            _("Impor berhenti karena galat tak terduga; tidak ada yang tersimpan. Laporkan ke admin (impor #%(id)s).")
            % {"id": tugas.pk},
        )
        return StatusImpor.GAGAL
    ubah: dict[str, str] = {}
    if hasil is not None and hasil.baris_ditolak:
        from impor.laporan import tulis_baris_ditolak

        laporan = f"ditolak/{tugas.pk}-{secrets.token_hex(8)}.xlsx"
        tujuan = Path(penyimpanan.path(laporan))
        tujuan.parent.mkdir(parents=True, exist_ok=True)
        tulis_baris_ditolak(hasil, tujuan)
        ubah["berkas_ditolak"] = laporan
    # The upload stays only for a preview that can still be confirmed.
    if not (tugas.uji_coba and tugas.status == StatusImpor.SELESAI):
        _hapus_upload(nama, tugas.pk)
        ubah["berkas_simpan"] = ""
    if ubah:
        TugasImpor.objects.filter(pk=tugas.pk).update(**ubah)
    return tugas.status


def impor_macet_tandai() -> list[int]:
    """Fail every job "berjalan" whose worker stopped giving signs of life (no heartbeat for
    ``batas_diam_detik()``); returns their ids. Nothing of such a job was saved (the write is one
    transaction, rolled back when the worker's connection died). The stored upload is kept, so the
    job can be run again (``impor_ulang``); its django-tasks result is marked failed too."""
    sekarang = timezone.now()
    batas = sekarang - timedelta(seconds=batas_diam_detik())
    macet = list(
        TugasImpor.objects.filter(status=StatusImpor.BERJALAN, denyut_pada__lt=batas).values_list(
            "pk", "id_tugas_latar"
        )
    )
    ditandai = []
    for pk, id_latar in macet:
        # Conditional: a heartbeat that arrives meanwhile keeps the job alive.
        if not TugasImpor.objects.filter(pk=pk, status=StatusImpor.BERJALAN, denyut_pada__lt=batas).update(
            status=StatusImpor.GAGAL, pesan=_(PESAN_PEKERJA_BERHENTI), selesai_pada=sekarang
        ):
            continue
        ditandai.append(pk)
        log.warning("Impor #%s: pekerja latar berhenti (tanpa denyut sejak %s); ditandai gagal", pk, batas)
        tugas = TugasImpor.objects.get(pk=pk)
        tugas._change_reason = "Pekerja latar berhenti"
        tugas.save(update_fields=["status"])  # a history row: berjalan -> gagal, by nobody (the system)
        if id_latar:
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.filter(pk=id_latar, status="RUNNING").update(
                status="FAILED",
                finished_at=sekarang,
                exception_class_path="impor.tasks.PekerjaBerhenti",
                traceback=PESAN_PEKERJA_BERHENTI,
            )
    return ditandai


def bisa_diulang(tugas: TugasImpor) -> bool:
    """Only a job failed because its worker stopped keeps its upload (every other end deletes it)."""
    return tugas.status == StatusImpor.GAGAL and bool(tugas.berkas_simpan)


def impor_ulang(*, tugas: TugasImpor, oleh) -> TugasImpor | None:
    """A new job for the same file and choices as ``tugas`` (a job whose worker stopped), queued.
    The file is claimed atomically: a second click gets None, not a second run."""
    from django.db import transaction

    from impor.layanan import impor_buat

    nama = tugas.berkas_simpan
    if not bisa_diulang(tugas):
        return None
    with transaction.atomic():
        if not TugasImpor.objects.filter(pk=tugas.pk, status=StatusImpor.GAGAL, berkas_simpan=nama).update(
            berkas_simpan=""
        ):
            return None
        baru = impor_buat(
            oleh=oleh,
            nama_berkas=tugas.nama_berkas,
            jenis=tugas.jenis,
            lembar=tugas.lembar,
            uji_coba=tugas.uji_coba,
            lewati_galat=tugas.lewati_galat,
        )
        TugasImpor.objects.filter(pk=baru.pk).update(berkas_simpan=nama, asal=tugas.asal_id)
    jalankan_tugas_impor.enqueue(baru.pk)
    baru.refresh_from_db()
    return baru


@task(takes_context=True)
def jalankan_tugas_impor(context, tugas_id: int) -> str:
    """The queued form of :func:`jalankan` (``jalankan_tugas_impor.enqueue(tugas.pk)``)."""
    return jalankan(tugas_id, id_latar=str(context.task_result.id))
