"""When a subject is due for a visit: intervals from settings.KUNJUNGAN_INTERVAL_HARI
(PPKS every 90 days, extreme-poor households every 30, open cases by urgency: 1, 3, 7)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

BAWAAN = {"ppks": 90, "miskin_ekstrem": 30, "kasus_darurat": 1, "kasus_tinggi": 3, "kasus_biasa": 7}


def interval_hari(jenis: str) -> int:
    return int({**BAWAAN, **getattr(settings, "KUNJUNGAN_INTERVAL_HARI", {})}[jenis])


def jatuh_tempo(terakhir: dt.date | None, jenis: str, *, sejak: dt.date | None = None) -> dt.date | None:
    """The date the next visit is due; None when never visited and nothing to count from (due now)."""
    dasar = terakhir or sejak
    return dasar + dt.timedelta(days=interval_hari(jenis)) if dasar else None


def terlambat(terakhir: dt.date | None, jenis: str, hari_ini: dt.date) -> bool:
    """Overdue: never visited, or the interval has passed."""
    tempo = jatuh_tempo(terakhir, jenis)
    return tempo is None or tempo < hari_ini
