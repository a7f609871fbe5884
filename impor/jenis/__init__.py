"""The import types, by the names used on the command line and in the upload form.

``modul`` names the module whose ``impor(lembar, ...)`` does the work; a type whose module is
None is registered (so ``--type`` knows it) but not built yet: it is refused with "belum tersedia".
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class JenisImpor:
    kode: str
    judul: str
    keterangan: str
    modul: str | None

    @property
    def tersedia(self) -> bool:
        return self.modul is not None

    def pelaksana(self):
        if self.modul is None:
            raise LookupError(self.kode)
        return importlib.import_module(self.modul)


JENIS: dict[str, JenisImpor] = {
    j.kode: j
    for j in (
        JenisImpor(
            "penduduk",
            _("Penduduk dan keluarga"),
            _("DTKS/SIKS-NG, DTSEN dan sheet kantor: keluarga menurut No KK, penduduk menurut NIK."),
            "impor.jenis.penduduk",
        ),
        JenisImpor("ppks", _("PPKS"), _("Satu jenis PPKS per berkas, atau kolom jenis."), "impor.jenis.ppks"),
        JenisImpor(
            "p3ke-keluarga",
            _("P3KE keluarga"),
            _("Sheet keluarga P3KE; desil 1 diusulkan."),
            "impor.jenis.p3ke_keluarga",
        ),
        JenisImpor("p3ke-individu", _("P3KE individu"), _("Sheet individu P3KE."), "impor.jenis.p3ke_individu"),
        JenisImpor(
            "penyaluran", _("Penyaluran bantuan"), _("Daftar penerima dan penyaluran."), "impor.jenis.penyaluran"
        ),
        JenisImpor("psm", _("PSM"), _("Daftar Pekerja Sosial Masyarakat."), "impor.jenis.psm"),
        JenisImpor(
            "populasi", _("Populasi kelurahan"), _("Jumlah penduduk dan KK per kelurahan."), "impor.jenis.populasi"
        ),
    )
}
