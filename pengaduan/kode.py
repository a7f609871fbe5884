"""Tracking codes: ``ADU-7K3-M9X-PQ2``.

Nine characters drawn with ``secrets`` from 29 symbols that cannot be misread for each other (no
0/O, 1/I/L, U/V pairs): 29**9 ≈ 1.5·10**13, about 44 bits. At the lookup limit (20 per hour per
address) an attacker trying codes at random needs about 10**11 hours per hit even when
thousands of complaints exist. Reading back is case-insensitive and ignores spaces, dashes and
the "ADU" prefix, so a code read out over the phone or copied from a note still works.
"""

from __future__ import annotations

import re
import secrets

ALFABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"  # 29: digits without 0/1, letters without I, L, O, U, V
PANJANG = 9
AWALAN = "ADU"
_BUKAN_ALNUM = re.compile(r"[^0-9A-Z]")


def kode_acak() -> str:
    isi = "".join(secrets.choice(ALFABET) for _ in range(PANJANG))
    return f"{AWALAN}-{isi[:3]}-{isi[3:6]}-{isi[6:]}"


def normalisasi(teks: str) -> str | None:
    """The canonical form of a code as typed, or None when it cannot be a code."""
    if not isinstance(teks, str) or len(teks) > 40:
        return None
    polos = _BUKAN_ALNUM.sub("", teks.upper())
    if len(polos) == PANJANG + len(AWALAN) and polos.startswith(AWALAN):
        polos = polos[len(AWALAN) :]
    if len(polos) != PANJANG or any(c not in ALFABET for c in polos):
        return None
    return f"{AWALAN}-{polos[:3]}-{polos[3:6]}-{polos[6:]}"
