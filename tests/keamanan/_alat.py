"""Helpers of the security tests: the module-scoped world fixture, a recorder of database writes and
the case counter."""

from __future__ import annotations

import re
import sys
from collections import Counter
from contextlib import contextmanager

import pytest
from django.db import connection, transaction

from tests.keamanan._dunia import bangun_dunia

# Tables a request may write without changing any record: the session (login state, messages, the
# activity stamp), login throttling and the public pages' rate limit.
TABEL_BEBAS = ("django_session", "axes_", "pengaduan_permintaanpublik")
_TABEL = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)


def buat_fixture_dunia():
    """A module-scoped ``dunia`` fixture: the world built once, rolled back after the module."""

    @pytest.fixture(scope="module")
    def dunia(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            atom = transaction.atomic()
            atom.__enter__()
            try:
                yield bangun_dunia()
            finally:
                transaction.set_rollback(True)
                atom.__exit__(None, None, None)

    return dunia


class PencatatTulis:
    """Records the tables written by the SQL run inside ``with rekam() as tulis:``."""

    def __init__(self) -> None:
        self.tabel: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        cocok = _TABEL.match(sql)
        if cocok:
            self.tabel.append(cocok.group(1).lower())
        return execute(sql, params, many, context)

    @property
    def berarti(self) -> list[str]:
        """Written tables other than the session/throttling ones."""
        return sorted({t for t in self.tabel if not t.startswith(TABEL_BEBAS)})


@contextmanager
def rekam():
    pencatat = PencatatTulis()
    with connection.execute_wrapper(pencatat):
        yield pencatat


class Hitungan:
    """Cases checked and leaks found, printed at the end of the module."""

    def __init__(self) -> None:
        self.n = Counter()

    def tulis(self, config, judul: str) -> None:
        baris = f"[matriks] {judul}: " + ", ".join(f"{k}={v}" for k, v in sorted(self.n.items()))
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        capman = config.pluginmanager.get_plugin("capturemanager")
        if reporter is not None and capman is not None:
            with capman.global_and_fixture_disabled():  # past pytest's output capture
                reporter.write_line(baris)
        else:  # an xdist worker: no terminal of its own
            sys.stderr.write(baris + "\n")


def buat_fixture_hitungan(judul: str):
    @pytest.fixture(scope="module")
    def hitungan(request):
        h = Hitungan()
        yield h
        h.tulis(request.config, judul)

    return hitungan
