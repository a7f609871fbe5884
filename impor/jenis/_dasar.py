"""What every import type other than ``penduduk`` shares: finding the header, reading each row with
every cell error reported (row, column, Indonesian message), warnings, the row limit, the preview
rows, lookups in chunks, and the all-or-nothing write with history rows.

A type describes its columns (``SINONIM``, ``WAJIB``, ``LABEL``) and a ``periksa(baris)`` that
turns one row into a checked value (or leaves errors on ``baris``); the rest of its module
compares with the registry in a few set-based queries and writes in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from impor import nilai as N
from impor import pengaturan
from impor.berkas import BerkasTidakSah, Lembar
from impor.hasil import MAKS_CONTOH, Catatan, Hasil
from impor.kepala import cari_kepala

POTONG = 5000
BARIS_AWAL = 20


def potong(daftar: list, n: int = POTONG) -> Iterator[list]:
    for i in range(0, len(daftar), n):
        yield daftar[i : i + n]


def ambil(qs: models.QuerySet, kunci: str, nilai: Iterable, *kolom: str) -> Iterator[tuple]:
    """``values_list(*kolom)`` of the rows of ``qs`` whose ``kunci`` is in ``nilai``, 5,000 at a time."""
    daftar = list({v for v in nilai if v is not None})
    for bagian in potong(daftar):
        yield from qs.order_by().filter(**{f"{kunci}__in": bagian}).values_list(*kolom)


def tampil(v: object) -> str:
    if isinstance(v, date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, bool):
        return _("Ya") if v else _("Tidak")
    return "" if v is None else str(v)


class Baris:
    """One row being checked: its raw values by field and the errors and warnings found so far."""

    __slots__ = ("nomor", "sel", "mentah", "galat", "peringatan", "_pembaca")

    def __init__(self, pembaca: Pembaca, nomor: int, sel: list[object], mentah: dict[str, object]):
        self._pembaca = pembaca
        self.nomor = nomor
        self.sel = sel
        self.mentah = mentah
        self.galat: list[Catatan] | tuple = []
        self.peringatan: list[Catatan] | tuple = []

    def kolom(self, medan: str) -> str:
        return self._pembaca.kolom(medan)

    def ada(self, medan: str) -> bool:
        """Whether the cell of ``medan`` was filled (only while the row is being checked)."""
        return self.mentah.get(medan) is not None

    def salah(self, medan: str, pesan: str) -> None:
        self.galat.append(Catatan(self.nomor, self.kolom(medan), pesan))

    def awas(self, medan: str, pesan: str) -> None:
        self.peringatan.append(Catatan(self.nomor, self.kolom(medan), pesan))

    def ambil(self, medan: str, fungsi: Callable[..., Any] | None = None, *args, wajib: bool = False) -> Any:
        """The cell of ``medan`` read by ``fungsi`` (None when blank); an error is recorded, not raised."""
        isi = self.mentah.get(medan)
        if isi is None:
            if wajib:
                self.salah(medan, _("Wajib diisi."))
            return None
        if fungsi is None:
            return isi
        try:
            return fungsi(isi, *args)
        except N.GalatNilai as exc:
            self.salah(medan, str(exc))
            return None

    def nik(self, medan: str = "nik", wajib: bool = True, **kw) -> str | None:
        isi = self.mentah.get(medan)
        if isi is None:
            if wajib:
                self.salah(medan, _("Wajib diisi."))
            return None
        catatan: list[str] = []
        try:
            hasil = N.nik(isi, catatan, **kw)
        except N.GalatNilai as exc:
            self.salah(medan, str(exc))
            return None
        for c in catatan:
            self.awas(medan, c)
        return hasil.nilai

    def no_kk(self, medan: str = "no_kk") -> str | None:
        isi = self.mentah.get(medan)
        if isi is None:
            return None
        catatan: list[str] = []
        try:
            hasil = N.no_kk(isi, catatan)
        except N.GalatNilai as exc:
            self.salah(medan, str(exc))
            return None
        for c in catatan:
            self.awas(medan, c)
        return hasil


class Pembaca:
    """Reads the rows of a sheet for one import type (step 1 of every type)."""

    def __init__(
        self,
        lembar: Lembar,
        hasil: Hasil,
        sinonim: dict[str, tuple[str, ...]],
        wajib: tuple[str, ...],
        label: dict[str, object],
    ):
        self.lembar = lembar
        self.hasil = hasil
        self.label = {k: str(v) for k, v in label.items()}
        self.awal: list[tuple[int, list[object]]] = []
        for baris in lembar.baris:
            self.awal.append(baris)
            if len(self.awal) >= BARIS_AWAL:
                break
        peta = cari_kepala(self.awal, sinonim, wajib, self.label)
        self.peta = peta
        hasil.baris_kepala = peta.nomor_baris
        kepala = next(sel for nomor, sel in self.awal if nomor == peta.nomor_baris)
        hasil.kolom = [x[:200] if isinstance(x, str) else N.teks(x, maks=200) for x in kepala]
        self.posisi = list(peta.kolom.items())
        self.judul = peta.judul
        self.medan = tuple(sinonim)

    @property
    def baris_judul(self) -> list[list[object]]:
        """The rows above the header (a title like "DATA PPKS LANJUT USIA TELANTAR TAHUN 2023")."""
        return [sel for nomor, sel in self.awal if nomor < self.peta.nomor_baris]

    def kolom(self, medan: str) -> str:
        return self.judul.get(medan) or self.label.get(medan, medan)

    def _mentah(self, sel: list[object]) -> dict[str, object] | None:
        n = len(sel)
        mentah: dict[str, object] = {}
        for medan, i in self.posisi:
            if i < n:
                isi = sel[i]
                if isi is not None and isi != "" and not (isinstance(isi, str) and isi.isspace()):
                    mentah[medan] = isi
        return mentah or None

    def tolak(self, nomor: int, sel: list[object], galat: list[Catatan]) -> None:
        self.hasil.ditolak += 1
        self.hasil.galat.extend(galat)
        self.hasil.baris_ditolak.append((nomor, sel, "; ".join(f"{g.kolom}: {g.pesan}" for g in galat)))

    def tolak_baris(self, baris: Baris, medan: str, pesan: str) -> None:
        """Reject a row that passed its own checks (a check across rows or with the registry). The
        row's cells are rebuilt from the recognised columns (accepted rows do not keep every cell:
        memory at 100,000 rows)."""
        sel = baris.sel
        if sel is None:
            lebar = max((i for _m, i in self.posisi), default=-1) + 1
            sel = [None] * lebar
            for (_m, i), isi in zip(self.posisi, baris.mentah, strict=True):
                sel[i] = isi
        self.tolak(baris.nomor, sel, [Catatan(baris.nomor, self.kolom(medan), pesan)])

    def awas(self, baris: Baris, medan: str, pesan: str) -> None:
        """A warning found after the row's own checks (with the registry); counts the row once."""
        if not baris.peringatan:
            self.hasil.berperingatan += 1
        c = Catatan(baris.nomor, self.kolom(medan), pesan)
        baris.peringatan = [*(baris.peringatan or ()), c]
        self.hasil.peringatan.append(c)

    def baca(
        self,
        periksa: Callable[[Baris], Any],
        progres: Callable[[int], None] = lambda persen: None,
        perkiraan_baris: int = 0,
    ) -> Iterator[tuple[Baris, Any]]:
        """Yields (row, checked value) for every row ``periksa`` accepts; rejected rows are recorded."""
        maks = pengaturan.maks_baris()
        hasil = self.hasil
        kepala = self.peta.nomor_baris

        def semua():
            for nomor, sel in self.awal:
                if nomor > kepala:
                    yield nomor, sel
            self.awal = [(n, s) for n, s in self.awal if n <= kepala]
            yield from self.lembar.baris

        for nomor, sel in semua():
            mentah = self._mentah(sel)
            if mentah is None:
                continue  # an empty row, or a numbered but empty template row
            hasil.jumlah_baris += 1
            if hasil.jumlah_baris > maks:
                raise BerkasTidakSah(
                    _("Berkas berisi lebih dari %(n)d baris data; bagi menjadi beberapa berkas.") % {"n": maks}
                )
            if perkiraan_baris and hasil.jumlah_baris % 5000 == 0:
                progres(min(60, 60 * hasil.jumlah_baris // perkiraan_baris))
            b = Baris(self, nomor, sel, mentah)
            try:
                nilai = periksa(b)
            except N.GalatNilai as exc:  # a reader outside ``ambil``
                b.galat.append(Catatan(nomor, "", str(exc)))
                nilai = None
            if b.peringatan:
                hasil.berperingatan += 1
                hasil.peringatan.extend(b.peringatan)
            if b.galat or nilai is None:
                if not b.galat:
                    b.galat.append(Catatan(nomor, "", _("Baris tidak bisa dibaca.")))
                self.tolak(nomor, sel, b.galat)
                continue
            # Kept rows keep only their recognised cells, as a tuple (memory at 100,000 rows).
            b.sel = None
            b.mentah = tuple(mentah.get(m) for m, _i in self.posisi)
            b.galat, b.peringatan = (), tuple(b.peringatan)  # read-only now (an empty list costs memory)
            yield b, nilai
        if hasil.jumlah_baris == 0:
            raise BerkasTidakSah(_("Tidak ada baris data di bawah baris judul (baris %(n)d).") % {"n": kepala})
        progres(60)


def sisipkan(model, kolom: list[str], baris: Iterable[tuple], oleh, alasan: str, sekarang) -> None:
    """Insert new rows with one history row each. PostgreSQL: COPY into a staging table, then one
    INSERT whose RETURNING rows feed the history INSERT (``penduduk._upsert_pg``), the rows streamed
    to COPY; elsewhere ``bulk_create_with_history`` in chunks. ``kolom`` are attribute names."""
    from django.db import connection
    from simple_history.utils import bulk_create_with_history

    if connection.vendor == "postgresql":
        from impor.jenis.penduduk import _upsert_pg

        _upsert_pg(model, list(kolom), baris, None, [], oleh, alasan, sekarang, "count(*)")
        return
    bagian: list = []
    for r in baris:
        bagian.append(model(**dict(zip(kolom, r, strict=True))))
        if len(bagian) >= POTONG:
            bulk_create_with_history(bagian, model, batch_size=2000, **riwayat(oleh, alasan, sekarang))
            bagian = []
    if bagian:
        bulk_create_with_history(bagian, model, batch_size=2000, **riwayat(oleh, alasan, sekarang))


def perbarui(model, perubahan: list[tuple[int, dict]], medan: list[str], oleh, alasan: str, sekarang) -> None:
    """Update rows (pk, {field: value}) with their history rows, 5,000 at a time."""
    from simple_history.utils import bulk_update_with_history

    for bagian in potong(perubahan):
        objek = model.objects.in_bulk([pk for pk, _n in bagian])
        for pk, nilai in bagian:
            for m, v in nilai.items():
                setattr(objek[pk], m, v)
            objek[pk].diubah_pada = sekarang
        bulk_update_with_history(
            list(objek.values()), model, [*medan, "diubah_pada"], batch_size=2000, **riwayat(oleh, alasan, sekarang)
        )


def contoh(hasil: Hasil, nomor: int, status: str, nik: str, nama: str, perubahan: dict | None = None) -> None:
    """A preview row (the first ``MAKS_CONTOH`` new or changed rows)."""
    if len(hasil.contoh) < MAKS_CONTOH:
        hasil.contoh.append(
            {"baris": nomor, "status": status, "nik": nik or "", "nama": nama or "", "perubahan": perubahan or {}}
        )


def riwayat(oleh, alasan: str, sekarang) -> dict:
    return {"default_user": oleh, "default_change_reason": alasan[:100], "default_date": sekarang}


def perlu_pengguna(oleh, pesan: str) -> None:
    if oleh is None:
        raise BerkasTidakSah(pesan)
