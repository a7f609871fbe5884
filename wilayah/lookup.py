"""Find a kelurahan or kecamatan by the name staff write, whatever its case, spacing or prefix.

"KEL. TANAH MATI" finds Padangdata Tanahmati; "Tanjung Pauh" finds Tanjuang Pauh. Official
names and the aliases in ``AliasWilayah`` are compared after normalisation; a miss returns
None (imports then report the row), and ``saran_kelurahan`` offers close names for the message.
"""

from __future__ import annotations

import difflib

from wilayah.models import AliasWilayah, Kecamatan, Kelurahan
from wilayah.nama import normalisasi_nama_wilayah


def _indeks_kelurahan() -> dict[str, int]:
    indeks = {normalisasi_nama_wilayah(n): pk for pk, n in Kelurahan.objects.values_list("pk", "nama")}
    for alias_normal, pk in AliasWilayah.objects.filter(kelurahan__isnull=False).values_list(
        "alias_normal", "kelurahan_id"
    ):
        indeks.setdefault(alias_normal, pk)
    return indeks


class PencariWilayah:
    """Looks names up against an index built once: use one instance for a whole import."""

    def __init__(self) -> None:
        self._kelurahan = _indeks_kelurahan()
        self._kecamatan = {normalisasi_nama_wilayah(n): pk for pk, n in Kecamatan.objects.values_list("pk", "nama")}
        for alias_normal, pk in AliasWilayah.objects.filter(kecamatan__isnull=False).values_list(
            "alias_normal", "kecamatan_id"
        ):
            self._kecamatan.setdefault(alias_normal, pk)
        self._kode = dict(Kelurahan.objects.values_list("kode", "pk"))

    def kelurahan_id(self, nama_atau_kode: str) -> int | None:
        teks = str(nama_atau_kode or "").strip()
        if teks in self._kode:
            return self._kode[teks]
        return self._kelurahan.get(normalisasi_nama_wilayah(teks))

    def kecamatan_id(self, nama: str) -> int | None:
        return self._kecamatan.get(normalisasi_nama_wilayah(nama))

    def saran(self, nama: str, n: int = 3) -> list[str]:
        kunci = normalisasi_nama_wilayah(nama)
        cocok = difflib.get_close_matches(kunci, self._kelurahan.keys(), n=n * 2, cutoff=0.7)
        ids = list(dict.fromkeys(self._kelurahan[k] for k in cocok))[:n]
        nama_per_id = dict(Kelurahan.objects.filter(pk__in=ids).values_list("pk", "nama"))
        return [nama_per_id[i] for i in ids]


def cari_kelurahan(nama_atau_kode: str) -> Kelurahan | None:
    """The kelurahan a name (official, variant or alias) or Kemendagri code refers to."""
    pk = PencariWilayah().kelurahan_id(nama_atau_kode)
    return Kelurahan.objects.select_related("kecamatan").get(pk=pk) if pk else None


def cari_kecamatan(nama: str) -> Kecamatan | None:
    pk = PencariWilayah().kecamatan_id(nama)
    return Kecamatan.objects.get(pk=pk) if pk else None


def saran_kelurahan(nama: str, n: int = 3) -> list[str]:
    """Close official names for an unknown one, for the error message."""
    return PencariWilayah().saran(nama, n)
