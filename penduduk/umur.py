"""Age in whole years (shown instead of the birth date to roles that see NIKs masked)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def umur_pada(lahir: dt.date, hari: dt.date | None = None) -> int:
    hari = hari or timezone.localdate()
    return hari.year - lahir.year - ((hari.month, hari.day) < (lahir.month, lahir.day))
