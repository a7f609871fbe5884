"""Import type ``p3ke-individu``: the P3KE individu sheet, one row per person.

The work and the decisions (households by ID keluarga P3KE, desil 1 proposed for the
extreme-poor list) are in ``impor.jenis._p3ke``.
"""

from __future__ import annotations

from collections.abc import Callable

from impor.berkas import Lembar
from impor.hasil import Hasil
from impor.jenis._p3ke import LABEL as _LABEL
from impor.jenis._p3ke import WAJIB, impor_p3ke
from impor.kepala import SINONIM_P3KE_INDIVIDU

SINONIM = SINONIM_P3KE_INDIVIDU
LABEL = {k: v for k, v in _LABEL.items() if k in SINONIM}
__all__ = ["LABEL", "SINONIM", "WAJIB", "impor"]


def impor(
    lembar: Lembar,
    *,
    simpan: bool,
    lewati_galat: bool = False,
    oleh=None,
    alasan: str = "Impor P3KE individu",
    progres: Callable[[int], None] = lambda persen: None,
    perkiraan_baris: int = 0,
) -> Hasil:
    return impor_p3ke(
        lembar,
        individu=True,
        simpan=simpan,
        lewati_galat=lewati_galat,
        oleh=oleh,
        alasan=alasan,
        progres=progres,
        perkiraan_baris=perkiraan_baris,
    )
