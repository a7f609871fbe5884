"""Running an import: the one entry point for the command, the upload page and a background task.

``impor_buat`` records the job; ``impor_jalankan`` runs it to the end and records what happened.
It never raises for a bad file or bad rows (the job says why); a failure while writing rolls back
everything (one transaction) and leaves the job "gagal" with the reason.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from impor.berkas import BerkasTidakSah, buka
from impor.hasil import Hasil
from impor.jenis import JENIS
from impor.models import StatusImpor, TugasImpor

log = logging.getLogger(__name__)


class JenisTidakDikenal(ValueError):
    pass


class JenisBelumTersedia(ValueError):
    pass


def pastikan_boleh_impor(oleh) -> None:
    """Only Admin and Staf import (a command run without a user is the server's operator)."""
    if oleh is not None and not (oleh.is_authenticated and oleh.is_active and oleh.pengelola):
        raise PermissionDenied(_("Hanya Admin dan Staf yang boleh mengimpor data."))


def periksa_jenis(jenis: str):
    if jenis not in JENIS:
        raise JenisTidakDikenal(
            _("Jenis impor “%(jenis)s” tidak dikenal. Pilihan: %(pilihan)s.")
            % {"jenis": jenis, "pilihan": ", ".join(JENIS)}
        )
    j = JENIS[jenis]
    if not j.tersedia:
        raise JenisBelumTersedia(
            _("Impor jenis “%(jenis)s” belum tersedia (baru terdaftar; pelaksananya belum dibuat).") % {"jenis": jenis}
        )
    return j


def impor_buat(
    *,
    oleh,
    nama_berkas: str,
    jenis: str,
    lembar: str = "",
    uji_coba: bool = False,
    lewati_galat: bool = False,
) -> TugasImpor:
    pastikan_boleh_impor(oleh)
    periksa_jenis(jenis)
    return TugasImpor.objects.create(
        jenis=jenis,
        nama_berkas=nama_berkas[:255],
        lembar=lembar[:100],
        uji_coba=uji_coba,
        lewati_galat=lewati_galat,
        dibuat_oleh=oleh if oleh is not None else None,
    )


def _perkiraan_baris(path: Path) -> int:
    try:
        ukuran = path.stat().st_size
    except OSError:
        return 0
    return max(1, ukuran // 120)  # about 120 bytes per row in DTKS-like files; only for the bar


def impor_jalankan(*, tugas: TugasImpor, path: str | Path, oleh=None, hapus_berkas: bool = False) -> Hasil | None:
    """Run ``tugas`` on the file at ``path``; returns the result (None when the whole file was
    refused or the write failed: ``tugas.pesan`` says why)."""
    path = Path(path)
    pastikan_boleh_impor(oleh)
    jenis = periksa_jenis(tugas.jenis)
    TugasImpor.objects.filter(pk=tugas.pk).update(status=StatusImpor.BERJALAN, mulai_pada=timezone.now(), progres=0)

    def progres(persen: int) -> None:
        TugasImpor.objects.filter(pk=tugas.pk).update(progres=persen)

    alasan = f"Impor {tugas.jenis} #{tugas.pk}: {tugas.nama_berkas}"
    hasil = None
    try:
        lembar = buka(path, lembar=tugas.lembar or None)
        hasil = jenis.pelaksana().impor(
            lembar,
            simpan=not tugas.uji_coba,
            lewati_galat=tugas.lewati_galat,
            oleh=oleh,
            alasan=alasan,
            progres=progres,
            perkiraan_baris=_perkiraan_baris(path),
        )
    except BerkasTidakSah as exc:
        tugas.status, tugas.pesan = StatusImpor.DITOLAK, exc.pesan
    except DatabaseError as exc:
        log.exception("Impor #%s gagal saat menulis", tugas.pk)
        tugas.status = StatusImpor.GAGAL
        tugas.pesan = _("Penyimpanan gagal dan dibatalkan seluruhnya; tidak ada yang tersimpan. (%(galat)s)") % {
            "galat": type(exc).__name__
        }
        hasil = None
    finally:
        if hapus_berkas:
            path.unlink(missing_ok=True)  # uploaded files hold personal data
    if hasil is not None:
        tugas.lembar = hasil.lembar[:100]
        tugas.jumlah_baris = hasil.jumlah_baris
        tugas.jumlah_baru, tugas.jumlah_diubah, tugas.jumlah_tetap = hasil.baru, hasil.diubah, hasil.tetap
        tugas.jumlah_galat, tugas.jumlah_peringatan = hasil.ditolak, hasil.berperingatan
        tugas.rincian = hasil.sebagai_dict()
        if hasil.ditolak and not tugas.lewati_galat and not tugas.uji_coba:
            tugas.status = StatusImpor.DITOLAK
            tugas.pesan = _(
                "%(n)d baris ditolak; tidak ada yang disimpan. Perbaiki berkasnya, atau simpan baris yang benar saja."
            ) % {"n": hasil.ditolak}
        else:
            tugas.status = StatusImpor.SELESAI
    tugas.progres = 100
    tugas.selesai_pada = timezone.now()
    tugas._history_user = oleh
    tugas.save()
    return hasil
