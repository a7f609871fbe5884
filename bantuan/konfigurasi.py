"""Thresholds of the integrity checks: Django settings when defined there, else the environment,
else the defaults below (README, "Bantuan"). Read at call time, so tests can override them."""

from __future__ import annotations

from django.conf import settings

from payakumbuh_sosial.env import env_int

BAWAAN = {
    # A distribution still unconfirmed this many days after its date is flagged.
    "BANTUAN_HARI_KONFIRMASI": 30,
    # A pendamping is flagged when, over the last BANTUAN_PENDAMPING_HARI days, they have at least
    # BANTUAN_PENDAMPING_MIN_KONFIRMASI confirmed distributions and their share of shortfalls is at
    # least BANTUAN_PENDAMPING_KALI times the city-wide share (and at least two shortfalls).
    "BANTUAN_PENDAMPING_HARI": 365,
    "BANTUAN_PENDAMPING_MIN_KONFIRMASI": 10,
    "BANTUAN_PENDAMPING_KALI": 2,
    "BANTUAN_PENDAMPING_MIN_KURANG": 2,
}


def nilai(nama: str) -> int:
    if hasattr(settings, nama):
        return int(getattr(settings, nama))
    return env_int(nama, BAWAAN[nama])
