"""Background work of the import pages: one task that runs ``impor_jalankan`` on a stored upload.

django-tasks with its database backend (DESIGN.md, "Background work"): ``enqueue`` writes a row,
``manage.py db_worker`` picks it up (``make run`` starts one beside the server). The test settings
use the immediate backend, so there the task runs inside the request.

The uploaded file and the rejected-rows report hold personal data: they live in a private folder
(``PRIVATE_MEDIA_ROOT/impor``, no public URL; served only by ``impor:ditolak-xlsx`` to Admin/Staf).
The upload is kept after a successful preview (the confirmed import reads the same file) and
deleted when the real import has run, or when the preview refused the file, or after
``IMPOR_SIMPAN_HARI`` days (``manage.py hapus_berkas_impor``).
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django.utils.functional import LazyObject
from django.utils.translation import gettext as _
from django_tasks import task

from impor.layanan import impor_jalankan
from impor.models import StatusImpor, TugasImpor

log = logging.getLogger(__name__)

AKHIRAN = {"xlsx", "xls", "csv", "txt"}


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


def jalankan(tugas_id: int) -> str:
    """Run job ``tugas_id`` once (a second delivery of the same task does nothing); returns its status."""
    if not TugasImpor.objects.filter(pk=tugas_id, status=StatusImpor.MENUNGGU).update(status=StatusImpor.BERJALAN):
        return "lewat"
    tugas = TugasImpor.objects.select_related("dibuat_oleh").get(pk=tugas_id)
    nama = tugas.berkas_simpan
    if not nama or not penyimpanan.exists(nama):
        _tandai(tugas.pk, StatusImpor.DITOLAK, _("Berkas unggahan sudah tidak ada (dihapus); unggah ulang berkasnya."))
        return StatusImpor.DITOLAK
    hasil = None
    try:
        hasil = impor_jalankan(tugas=tugas, path=penyimpanan.path(nama), oleh=tugas.dibuat_oleh)
    except PermissionDenied as exc:
        hapus(nama)
        _tandai(tugas.pk, StatusImpor.DITOLAK, str(exc))
        return StatusImpor.DITOLAK
    except Exception:
        # A bug in a type's reader must not leave the job "berjalan" forever. The write is one
        # transaction, so an exception means nothing was saved.
        log.exception("Impor #%s berhenti karena galat tak terduga", tugas.pk)
        hapus(nama)
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
        hapus(nama)
        ubah["berkas_simpan"] = ""
    if ubah:
        TugasImpor.objects.filter(pk=tugas.pk).update(**ubah)
    return tugas.status


@task()
def jalankan_tugas_impor(tugas_id: int) -> str:
    """The queued form of :func:`jalankan` (``jalankan_tugas_impor.enqueue(tugas.pk)``)."""
    return jalankan(tugas_id)
