"""``manage.py periksa_integritas``: every integrity check over every distribution (for cron).

Idempotent: a finding already flagged (open or resolved) is not flagged again, so it is safe to
run as often as wanted and concurrently (``Bendera.kunci`` is unique).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from bantuan import integritas
from bantuan.choices import JenisBendera


class Command(BaseCommand):
    help = "Jalankan semua pemeriksaan integritas penyaluran bantuan dan catat bendera baru."

    def handle(self, *args, **options):
        mulai = time.monotonic()
        hasil = integritas.periksa_semua()
        label = dict(JenisBendera.choices)
        for jenis, n in hasil.items():
            self.stdout.write(f"{label[jenis]}: {n} bendera baru")
        self.stdout.write(self.style.SUCCESS(f"Selesai dalam {time.monotonic() - mulai:.1f} detik."))
