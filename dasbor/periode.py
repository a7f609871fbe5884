"""The period of the dashboard and the monthly report: one calendar month (WIB).

``?periode=2025-11`` names a month; anything else (a tampered value, a month in the future, a year
before 2000) is ignored and the current month is used: a bad link shows today's dashboard, never a 500.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

from kemiskinan.progres import akhir_bulan, tambah_bulan

_POLA = re.compile(r"([0-9]{4})-([0-9]{2})")
TAHUN_PALING_AWAL = 2000
NAMA_BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


@dataclass(frozen=True)
class Periode:
    awal: dt.date  # first day of the month
    hari_ini: dt.date

    @property
    def akhir(self) -> dt.date:
        """The last day of the month, or today in the current month (stocks are read on this day)."""
        return min(akhir_bulan(self.awal), self.hari_ini)

    @property
    def berjalan(self) -> bool:
        return self.awal == self.hari_ini.replace(day=1)

    @property
    def kode(self) -> str:
        return f"{self.awal:%Y-%m}"

    @property
    def nama(self) -> str:
        return f"{NAMA_BULAN[self.awal.month - 1]} {self.awal.year}"

    @property
    def mulai_waktu(self) -> dt.datetime:
        """Midnight WIB at the start of the month (for datetime columns)."""
        return timezone.make_aware(dt.datetime.combine(self.awal, dt.time.min))

    @property
    def selesai_waktu(self) -> dt.datetime:
        """Midnight WIB at the start of the next month (exclusive bound)."""
        return timezone.make_aware(dt.datetime.combine(tambah_bulan(self.awal, 1), dt.time.min))

    def bulan_sebelumnya(self, n: int) -> list[dt.date]:
        """The first days of the ``n`` months ending with this one, oldest first."""
        return [tambah_bulan(self.awal, -i) for i in range(n - 1, -1, -1)]


def periode_dari(nilai, hari_ini: dt.date | None = None) -> tuple[Periode, bool]:
    """The month named by ``nilai`` ("YYYY-MM") and whether it was valid; else the current month."""
    hari_ini = hari_ini or timezone.localdate()
    kini = Periode(hari_ini.replace(day=1), hari_ini)
    if not isinstance(nilai, str) or not (m := _POLA.fullmatch(nilai)):
        return kini, False
    tahun, bulan = int(m.group(1)), int(m.group(2))
    if not 1 <= bulan <= 12 or tahun < TAHUN_PALING_AWAL:
        return kini, False
    awal = dt.date(tahun, bulan, 1)
    if awal > kini.awal:
        return kini, False
    return Periode(awal, hari_ini), True


def pilihan_periode(hari_ini: dt.date | None = None, jumlah: int = 24) -> list[tuple[str, str]]:
    """The last ``jumlah`` months for the period menu, newest first."""
    kini = (hari_ini or timezone.localdate()).replace(day=1)
    hasil = []
    for i in range(jumlah):
        b = tambah_bulan(kini, -i)
        hasil.append((f"{b:%Y-%m}", f"{NAMA_BULAN[b.month - 1]} {b.year}"))
    return hasil
