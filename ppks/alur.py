"""The case workflow: which status may follow which, and the response deadline of an urgency.

baru → diverifikasi → ditangani → dirujuk → selesai (ditangani may also finish without a
referral, and a referral that comes back goes on as ditangani); ditutup, with a reason, from any
open state; a finished or closed case is reopened, with a reason, through
``kasus_buka_kembali``. Everything else is refused.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from ppks.choices import StatusKasus as S
from ppks.choices import Urgensi

TRANSISI: dict[str, frozenset[str]] = {
    S.BARU: frozenset({S.DIVERIFIKASI, S.DITUTUP}),
    S.DIVERIFIKASI: frozenset({S.DITANGANI, S.DITUTUP}),
    S.DITANGANI: frozenset({S.DIRUJUK, S.SELESAI, S.DITUTUP}),
    S.DIRUJUK: frozenset({S.DITANGANI, S.SELESAI, S.DITUTUP}),
    S.SELESAI: frozenset(),
    S.DITUTUP: frozenset(),
}
# Statuses a case is reopened from (kasus_buka_kembali), and the transitions that need a reason.
BISA_DIBUKA_KEMBALI = frozenset({S.SELESAI, S.DITUTUP})
BUTUH_ALASAN = frozenset({S.DITUTUP})

BATAS_JAM_BAWAAN = {Urgensi.DARURAT: 24, Urgensi.TINGGI: 72, Urgensi.BIASA: 168}


def boleh_pindah(dari: str, ke: str) -> bool:
    return ke in TRANSISI.get(dari, frozenset())


def batas_jam(urgensi: str) -> int:
    """Hours to respond for an urgency (settings.KASUS_BATAS_JAM overrides the 24/72/168 default)."""
    jam = {**BATAS_JAM_BAWAAN, **getattr(settings, "KASUS_BATAS_JAM", {})}
    return int(jam[urgensi])


def batas_respons(dari: dt.datetime, urgensi: str) -> dt.datetime:
    return dari + dt.timedelta(hours=batas_jam(urgensi))
