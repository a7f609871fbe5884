"""Limits of the import, from Django settings or the environment (settings.py is not ours to edit:
a project setting of the same name wins, then the environment variable, then the default)."""

from __future__ import annotations

from django.conf import settings

from payakumbuh_sosial.env import env_int


def _batas(nama: str, bawaan: int) -> int:
    return int(getattr(settings, nama, None) or env_int(nama, bawaan))


def maks_berkas_byte() -> int:
    """Largest upload or file accepted (IMPOR_MAKS_MB, default 50 MB). The reverse proxy's
    ``client_max_body_size`` must be at least this (README, "Impor data")."""
    return _batas("IMPOR_MAKS_MB", 50) * 1024 * 1024


def maks_tak_terkompresi_byte() -> int:
    """Largest total uncompressed size of an xlsx (IMPOR_MAKS_TAK_TERKOMPRESI_MB, default 1000)."""
    return _batas("IMPOR_MAKS_TAK_TERKOMPRESI_MB", 1000) * 1024 * 1024


def maks_rasio_zip() -> int:
    """Largest compression ratio of one zip entry (IMPOR_MAKS_RASIO_ZIP, default 100:1)."""
    return _batas("IMPOR_MAKS_RASIO_ZIP", 100)


def maks_entri_zip() -> int:
    return _batas("IMPOR_MAKS_ENTRI_ZIP", 1000)


def maks_panjang_sel() -> int:
    """Longest text accepted in one cell (IMPOR_MAKS_PANJANG_SEL, default 1000 characters)."""
    return _batas("IMPOR_MAKS_PANJANG_SEL", 1000)


def maks_baris() -> int:
    """Most data rows in one file (IMPOR_MAKS_BARIS, default 300,000)."""
    return _batas("IMPOR_MAKS_BARIS", 300_000)
