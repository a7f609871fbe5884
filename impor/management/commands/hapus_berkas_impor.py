"""``manage.py hapus_berkas_impor [--hari N]``: delete stored import files older than N days.

Uploaded files wait in the private import folder between the preview and the confirmation, and the
rejected-rows reports wait there to be downloaded; both hold personal data. This deletes those of
jobs created more than N days ago (``IMPOR_SIMPAN_HARI``, default 7), closes jobs of that age that
never finished (a worker killed mid-import) as "gagal", and any file in the folder
that no job names and is older than that (left behind by a crash). Run it daily from cron
(README, "Impor data").
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from impor.models import StatusImpor, TugasImpor
from impor.tasks import hapus, penyimpanan


class Command(BaseCommand):
    help = "Hapus berkas unggahan impor dan laporan baris ditolak yang lebih tua dari N hari."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--hari", type=int, default=None, help="umur berkas (bawaan: IMPOR_SIMPAN_HARI)")

    def handle(self, *args, **opsi) -> None:
        from impor.tasks import impor_macet_tandai

        # The daily cron also fails jobs whose worker died, even when nobody opens the import pages.
        impor_macet_tandai()
        hari = opsi["hari"] if opsi["hari"] is not None else getattr(settings, "IMPOR_SIMPAN_HARI", 7)
        batas = timezone.now() - timedelta(days=hari)
        lama = TugasImpor.objects.filter(dibuat_pada__lt=batas).filter(~Q(berkas_simpan="") | ~Q(berkas_ditolak=""))
        n = 0
        for pk, unggahan, ditolak in lama.values_list("pk", "berkas_simpan", "berkas_ditolak").iterator():
            for nama in (unggahan, ditolak):
                if nama:
                    hapus(nama)
                    n += 1
            TugasImpor.objects.filter(pk=pk).update(berkas_simpan="", berkas_ditolak="")
        # Jobs that never finished (the worker was killed mid-import: its transaction was rolled back).
        macet = TugasImpor.objects.filter(
            dibuat_pada__lt=batas, status__in=[StatusImpor.MENUNGGU, StatusImpor.BERJALAN]
        ).update(
            status=StatusImpor.GAGAL,
            progres=100,
            selesai_pada=timezone.now(),
            pesan=_("Impor tidak selesai (pekerja latar berhenti); tidak ada yang tersimpan. Unggah ulang berkasnya."),
        )
        # Files no job names any more (a crash between storing and recording), by their age.
        akar = Path(penyimpanan.location)
        dipakai = set()
        for a, b in TugasImpor.objects.filter(~Q(berkas_simpan="") | ~Q(berkas_ditolak="")).values_list(
            "berkas_simpan", "berkas_ditolak"
        ):
            dipakai.update({a, b})
        batas_detik = time.time() - hari * 86400
        if akar.exists():
            for path in akar.rglob("*"):
                nama = path.relative_to(akar).as_posix()
                if path.is_file() and nama not in dipakai and path.stat().st_mtime < batas_detik:
                    path.unlink(missing_ok=True)
                    n += 1
        self.stdout.write(f"{n} berkas impor dihapus (lebih tua dari {hari} hari); {macet} impor macet ditutup.")
