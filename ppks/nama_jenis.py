"""Find a jenis PPKS by any name staff write: official name, abbreviation or a known variant.

"Lansia Terlantar", "LANSIA TELANTAR", "lut", "Anak Terlantar" and "Gepeng" (which names two
jenis, Gelandangan and Pengemis) all resolve. Used by imports and by the case intake.
"""

from __future__ import annotations

import re

from ppks.models import JenisPPKS


def normalisasi_jenis(teks: str) -> str:
    teks = (teks or "").lower().replace("terlantar", "telantar")
    teks = re.sub(r"[^a-z0-9]+", " ", teks)
    return " ".join(teks.split())


def peta_nama_jenis() -> dict[str, list[JenisPPKS]]:
    """Every normalised name, abbreviation and alias → the jenis it names (one query)."""
    peta: dict[str, list[JenisPPKS]] = {}
    for jenis in JenisPPKS.objects.all():
        nama = [jenis.nama, jenis.singkatan, *jenis.alias.splitlines()]
        for kunci in {normalisasi_jenis(n) for n in nama if n.strip()}:
            peta.setdefault(kunci, []).append(jenis)
    return peta


def cari_jenis(teks: str, peta: dict[str, list[JenisPPKS]] | None = None) -> list[JenisPPKS]:
    """The jenis ``teks`` names: usually one, two for "Gepeng", none when unknown."""
    peta = peta if peta is not None else peta_nama_jenis()
    return list(peta.get(normalisasi_jenis(teks), []))
