"""Ids from the query string or a form: the one place that turns untrusted text into a row id.

``str.isdigit()`` accepts "²" and "①", which ``int()`` refuses, and a 30-digit number overflows
the database's bigint: both were 500s. Every view that reads an id from ``request.GET`` (or a
hidden field outside a form) goes through :func:`id_dari`; the row it names is then fetched
through ``for_user`` like any other.
"""

from __future__ import annotations

import re

from django.http import Http404

_ANGKA_ASCII = re.compile(r"[0-9]{1,19}")
_BIGINT_MAKS = 2**63 - 1


def id_dari(nilai) -> int | None:
    """The id in ``nilai`` (a positive ASCII integer within bigint), or None."""
    if not isinstance(nilai, str) or not _ANGKA_ASCII.fullmatch(nilai):
        return None
    angka = int(nilai)
    return angka if 0 < angka <= _BIGINT_MAKS else None


def id_wajib(nilai) -> int:
    """:func:`id_dari`, answering 404 when the value is not an id (a link that cannot be right)."""
    angka = id_dari(nilai)
    if angka is None:
        raise Http404
    return angka
