"""What an import found: counts, every row error (row, column, message), warnings, a sample of the
changes for the preview, and the rejected rows for the downloadable report."""

from __future__ import annotations

from dataclasses import dataclass, field

# Bounds of what is kept in memory and in the job record: the counts are always exact.
MAKS_CONTOH = 20  # changed/new rows shown in the preview (one page, also for 100,000 rows)
MAKS_CATATAN_DISIMPAN = 2000  # errors and warnings stored in TugasImpor.rincian


@dataclass(frozen=True)
class Catatan:
    """One message about one cell: row number as the spreadsheet shows it, column header, text."""

    baris: int
    kolom: str
    pesan: str

    def sebagai_dict(self) -> dict:
        return {"baris": self.baris, "kolom": self.kolom, "pesan": self.pesan}


@dataclass
class Hasil:
    jenis: str
    lembar: str = ""
    baris_kepala: int = 0
    kolom: list[str] = field(default_factory=list)  # the header as written in the file
    jumlah_baris: int = 0
    baru: int = 0
    diubah: int = 0
    tetap: int = 0
    ditolak: int = 0  # rows with at least one error
    berperingatan: int = 0  # rows with at least one warning
    keluarga_baru: int = 0
    keluarga_diubah: int = 0
    galat: list[Catatan] = field(default_factory=list)
    peringatan: list[Catatan] = field(default_factory=list)
    contoh: list[dict] = field(default_factory=list)
    baris_ditolak: list[tuple[int, list[object], str]] = field(default_factory=list)  # (row, cells, reasons)
    disimpan: bool = False

    def sebagai_dict(self) -> dict:
        return {
            "lembar": self.lembar,
            "baris_kepala": self.baris_kepala,
            "keluarga_baru": self.keluarga_baru,
            "keluarga_diubah": self.keluarga_diubah,
            "galat": [c.sebagai_dict() for c in self.galat[:MAKS_CATATAN_DISIMPAN]],
            "galat_lebih": max(0, len(self.galat) - MAKS_CATATAN_DISIMPAN),
            "peringatan": [c.sebagai_dict() for c in self.peringatan[:MAKS_CATATAN_DISIMPAN]],
            "peringatan_lebih": max(0, len(self.peringatan) - MAKS_CATATAN_DISIMPAN),
            "contoh": self.contoh,
        }
