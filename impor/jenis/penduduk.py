"""Import type ``penduduk``: residents and households from DTKS/SIKS-NG, DTSEN and office sheets.

One row is one person. Persons are matched by NIK (required), households by No KK (optional: a
row without it is a person without household). The head of household is the row whose HUB
KELUARGA says so; a household's kelurahan, address, RT and RW come from its head's row (else its
first row).

The work is in four steps, and only the last one writes:

1. read and check every row (``_Pembaca``): every cell error is reported with its row and
   column, not only the first of a row;
2. checks across rows: a NIK twice in the file, two heads in one KK, a head where the registry
   already has another one who is not in the file;
3. compare with the registry (a few queries of 5,000 numbers each): each row is new, changed or
   unchanged. A blank cell never erases a value already in the registry. Unchanged rows are not
   written at all, so importing the same file again writes nothing;
4. write new and changed rows, with their history rows, in one transaction. On PostgreSQL:
   COPY into a temporary staging table, then one ``INSERT ... ON CONFLICT DO UPDATE`` whose
   ``RETURNING`` rows feed the history ``INSERT`` in the same statement (DESIGN.md: bulk writes
   skip django-simple-history, so the history is written here). Elsewhere (SQLite) the same
   result through ``bulk_create_with_history`` / ``bulk_update_with_history``.

All or nothing by default: one rejected row and nothing is written. With ``lewati_galat`` the
good rows are written and the rejected ones reported.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from operator import attrgetter

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from impor import nilai as N
from impor import pengaturan
from impor.berkas import Lembar
from impor.hasil import MAKS_CONTOH, Catatan, Hasil
from impor.kepala import SINONIM_PENDUDUK, cari_kepala
from penduduk.choices import Hubungan
from penduduk.models import Keluarga, Penduduk
from penduduk.names import normalisasi_nama

KEPALA = Hubungan.KEPALA.value
LAINNYA = Hubungan.LAINNYA.value
SINONIM = SINONIM_PENDUDUK
WAJIB = ("nik", "nama", "kelurahan")
LABEL = {
    "nik": gettext_lazy("NIK"),
    "no_kk": gettext_lazy("No KK"),
    "nama": gettext_lazy("Nama"),
    "tanggal_lahir": gettext_lazy("Tanggal lahir"),
    "tempat_lahir": gettext_lazy("Tempat lahir"),
    "jenis_kelamin": gettext_lazy("Jenis kelamin"),
    "kelurahan": gettext_lazy("Kelurahan"),
    "alamat": gettext_lazy("Alamat"),
    "rt": gettext_lazy("RT"),
    "rw": gettext_lazy("RW"),
    "pekerjaan": gettext_lazy("Pekerjaan"),
    "hubungan": gettext_lazy("Hubungan keluarga"),
}
# Person fields this import sets, in the order of _Baris / the staging table.
MEDAN = (
    "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "kelurahan_id", "alamat", "rt", "rw", "pekerjaan",
)  # fmt: skip
MEDAN_KELUARGA = ("kelurahan_id", "alamat", "rt", "rw")
POTONG_CARI = 5000
_NILAI = attrgetter(*MEDAN)
# A letter in any script (a word character that is not a digit or "_"): a name must hold one.
_HURUF = re.compile(r"[^\W\d_]")


def _ada_huruf(teks: str) -> bool:
    """Whether ``teks`` holds a letter (``str.isalpha``), by a regex first: a Python loop over the
    characters of 100,000 names cost 0.3 s."""
    m = _HURUF.search(teks)
    return m is not None and (m.group().isalpha() or any(c.isalpha() for c in teks))


class _Baris:
    """One checked row. A field left None was blank in the file (keeps the registry's value)."""

    __slots__ = ("nomor", "nik", "no_kk", "hubungan", *MEDAN)

    def __init__(self, nomor: int):
        self.nomor = nomor

    def nilai(self) -> tuple:
        return _NILAI(self)


class _Pembaca:
    """Checks rows one by one (step 1).

    Most columns repeat a lot (sex, kelurahan, relation, birth date, place, occupation, RT/RW, the
    household's address and No KK): each distinct cell value is checked once and its result (or
    its error) remembered, so 100,000 rows cost a dictionary lookup per repeated cell."""

    _MEMO_MAKS = 50_000

    def __init__(self, hasil: Hasil, peta: dict[str, int], judul: dict[str, str]):
        self.hasil = hasil
        self.posisi = list(peta.items())
        self.judul = judul
        self.kelurahan = N.PencariKelurahan()
        self.hari_ini = timezone.localdate()
        sel_maks = pengaturan.maks_panjang_sel()
        maks = {
            m: min(n, sel_maks) for m, n in (("nama", 150), ("tempat_lahir", 100), ("alamat", 255), ("pekerjaan", 100))
        }
        # (column, attribute of _Baris, check, extra arguments, memo or None), in the order the
        # errors of a row are reported. Name and NIK are unique per row: no memo.
        self.urutan = [
            ("jenis_kelamin", "jenis_kelamin", N.jenis_kelamin, (), {}),
            ("tanggal_lahir", "tanggal_lahir", N.tanggal_lahir, (self.hari_ini,), {}),
            ("nama", "nama", N.teks, (maks["nama"],), None),
            ("tempat_lahir", "tempat_lahir", N.teks, (maks["tempat_lahir"],), {}),
            ("kelurahan", "kelurahan_id", self.kelurahan, (), {}),
            ("alamat", "alamat", N.teks, (maks["alamat"],), {}),
            ("rt", "rt", N.rt_rw, ("RT",), {}),
            ("rw", "rw", N.rt_rw, ("RW",), {}),
            ("pekerjaan", "pekerjaan", N.teks, (maks["pekerjaan"],), {}),
            ("hubungan", "hubungan", N.hubungan, (), {}),
        ]
        self.kk_cache: dict[object, tuple[str, list[str]]] = {}

    def _no_kk(self, isi: object, peringatan: list[str]) -> str:
        """No KK repeat on every member's row: checked once per distinct value."""
        kunci = (type(isi), isi)
        if kunci not in self.kk_cache:
            catatan: list[str] = []
            try:
                self.kk_cache[kunci] = (N.no_kk(isi, catatan), catatan)
            except N.GalatNilai as exc:
                self.kk_cache[kunci] = (None, [str(exc)])
        nilai, catatan = self.kk_cache[kunci]
        if nilai is None:
            raise N.GalatNilai(catatan[0])
        peringatan.extend(catatan)
        return nilai

    def _galat(self, nomor: int, medan: str, pesan: str) -> Catatan:
        return Catatan(nomor, self.judul.get(medan, str(LABEL[medan])), pesan)

    def baca(self, nomor: int, sel: list[object]) -> _Baris | None | bool:
        """The checked row, None for a row without data, False for a rejected row."""
        n = len(sel)
        mentah: dict[str, object] = {}
        for medan, i in self.posisi:
            if i < n:
                isi = sel[i]
                if isi is not None and isi != "" and not (isi.__class__ is str and isi.isspace()):
                    mentah[medan] = isi
        if not mentah:
            return None  # a numbered but empty template row, or a note below the table
        b = _Baris(nomor)
        galat: list[Catatan] = [self._galat(nomor, m, _("Wajib diisi.")) for m in WAJIB if m not in mentah]
        peringatan: list[str] = []
        ambil = mentah.get
        for medan, atribut, fungsi, args, memo in self.urutan:
            isi = ambil(medan)
            if isi is None:
                setattr(b, atribut, None)
                continue
            if memo is None:
                hasil = None
            else:
                kunci = (isi.__class__, isi)
                hasil = memo.get(kunci)
            if hasil is None:
                try:
                    hasil = (fungsi(isi, *args), None)
                except N.GalatNilai as exc:
                    hasil = (None, str(exc))
                if memo is not None and len(memo) < self._MEMO_MAKS:
                    memo[kunci] = hasil
            setattr(b, atribut, hasil[0])
            if hasil[1] is not None:
                galat.append(self._galat(nomor, medan, hasil[1]))
            elif atribut == "nama" and not _ada_huruf(hasil[0]):
                galat.append(Catatan(nomor, self.judul["nama"], _("Nama harus memuat huruf.")))
        b.no_kk = None
        if (isi := ambil("no_kk")) is not None:
            try:
                b.no_kk = self._no_kk(isi, peringatan)
            except N.GalatNilai as exc:
                galat.append(self._galat(nomor, "no_kk", str(exc)))
        b.nik = None
        info = None
        if (isi := ambil("nik")) is not None:
            try:
                info = N.nik(
                    isi,
                    peringatan,
                    jenis_kelamin=b.jenis_kelamin,
                    tanggal_lahir=b.tanggal_lahir,
                    hari_ini=self.hari_ini,
                )
                b.nik = info.nilai
            except N.GalatNilai as exc:
                galat.append(Catatan(nomor, self.judul["nik"], str(exc)))
        if info is not None and info.info is not None:  # as Penduduk.clean(): the NIK fills the blanks
            if b.tanggal_lahir is None and "tanggal_lahir" not in mentah:
                b.tanggal_lahir = info.info.tanggal_lahir
            if b.jenis_kelamin is None and "jenis_kelamin" not in mentah:
                b.jenis_kelamin = info.info.jenis_kelamin
        if b.hubungan is not None and b.no_kk is None and "no_kk" not in mentah:
            peringatan.append(_("Hubungan keluarga diabaikan: baris ini tanpa No KK."))
            b.hubungan = None
        if peringatan:
            self.hasil.berperingatan += 1
            kolom = self.judul.get("nik", "NIK")
            self.hasil.peringatan.extend(Catatan(nomor, kolom, p) for p in peringatan)
        if galat:
            self._tolak(nomor, sel, galat)
            return False
        return b

    def _tolak(self, nomor: int, sel: list[object], galat: list[Catatan]) -> None:
        self.hasil.ditolak += 1
        self.hasil.galat.extend(galat)
        self.hasil.baris_ditolak.append((nomor, sel, "; ".join(f"{g.kolom}: {g.pesan}" for g in galat)))


def _potong(daftar: list, n: int = POTONG_CARI):
    for i in range(0, len(daftar), n):
        yield daftar[i : i + n]


def _ambil(qs: models.QuerySet, kunci: str, nilai: list, *kolom: str):
    """Rows of ``qs`` whose ``kunci`` is in ``nilai``, in chunks. On PostgreSQL the chunk is one
    array parameter (``= ANY(%s)``): building an IN list of 5,000 literals costs more than the query."""
    for bagian in _potong(nilai, 50_000 if connection.vendor == "postgresql" else POTONG_CARI):
        if connection.vendor == "postgresql":
            sql, params = qs.values_list(*kolom).query.sql_with_params()
            medan = qs.model._meta.get_field(kunci)
            kolom_kunci = f"{_q(qs.model._meta.db_table)}.{_q(medan.column)}"
            syarat = f"{kolom_kunci} = ANY(%s)"
            if " WHERE " in sql:
                sql = sql.replace(" WHERE ", f" WHERE {syarat} AND ", 1)
            else:
                sql = (
                    f"{sql} WHERE {syarat}"
                    if " ORDER BY " not in sql
                    else sql.replace(" ORDER BY ", f" WHERE {syarat} ORDER BY ", 1)
                )
            with connection.cursor() as c:
                c.execute(sql, [bagian, *params])
                yield from c.fetchall()
        else:
            yield from qs.filter(**{f"{kunci}__in": bagian}).values_list(*kolom)


def impor(
    lembar: Lembar,
    *,
    simpan: bool,
    lewati_galat: bool = False,
    oleh=None,
    alasan: str = "Impor penduduk",
    progres: Callable[[int], None] = lambda persen: None,
    perkiraan_baris: int = 0,
) -> Hasil:
    hasil = Hasil(jenis="penduduk", lembar=lembar.nama)
    awal: list[tuple[int, list[object]]] = []
    for baris in lembar.baris:
        awal.append(baris)
        if len(awal) >= 20:
            break
    peta = cari_kepala(awal, SINONIM, WAJIB, {k: str(v) for k, v in LABEL.items()})
    hasil.baris_kepala = peta.nomor_baris
    judul_baris = next(sel for nomor, sel in awal if nomor == peta.nomor_baris)
    hasil.kolom = [N.teks(x, maks=200) if not isinstance(x, str) else x[:200] for x in judul_baris]
    pembaca = _Pembaca(hasil, peta.kolom, peta.judul)

    # Step 1: every row, with the checks that need only earlier rows (a NIK twice, two heads).
    sah: list[_Baris] = []
    per_nik: dict[str, int] = {}
    kepala_kk: dict[str, _Baris] = {}
    judul = peta.judul

    def proses(nomor: int, sel: list[object]) -> None:
        b = pembaca.baca(nomor, sel)
        if b is None:
            return
        hasil.jumlah_baris += 1
        if hasil.jumlah_baris % 5000 == 0 and perkiraan_baris:
            progres(min(60, 60 * hasil.jumlah_baris // perkiraan_baris))
        if b is False:
            return
        if b.nik in per_nik:
            pesan = _("NIK %(nik)s sudah ada di baris %(n)d berkas ini.") % {"nik": b.nik, "n": per_nik[b.nik]}
            pembaca._tolak(nomor, sel, [Catatan(nomor, judul["nik"], pesan)])
            return
        if b.hubungan == KEPALA and b.no_kk is not None:
            if b.no_kk in kepala_kk:
                pesan = _("KK %(kk)s sudah punya kepala keluarga di baris %(n)d berkas ini.") % {
                    "kk": b.no_kk,
                    "n": kepala_kk[b.no_kk].nomor,
                }
                pembaca._tolak(nomor, sel, [Catatan(nomor, judul.get("hubungan", ""), pesan)])
                return
            kepala_kk[b.no_kk] = b
        per_nik[b.nik] = nomor
        sah.append(b)

    from impor.berkas import BerkasTidakSah

    maks_baris = pengaturan.maks_baris()
    for nomor, sel in awal:
        if nomor > peta.nomor_baris:
            proses(nomor, sel)
    for nomor, sel in lembar.baris:
        proses(nomor, sel)
        if hasil.jumlah_baris > maks_baris:
            raise BerkasTidakSah(
                _("Berkas berisi lebih dari %(n)d baris data; bagi menjadi beberapa berkas.") % {"n": maks_baris}
            )
    if hasil.jumlah_baris == 0:
        raise BerkasTidakSah(_("Tidak ada baris data di bawah baris judul (baris %(n)d).") % {"n": peta.nomor_baris})
    progres(60)

    # Step 3: compare with the registry.
    ada_orang = {
        r[0]: r[1:]
        for r in _ambil(
            Penduduk.objects.order_by(), "nik", list(per_nik), "nik", "id", *MEDAN, "keluarga__no_kk", "keluarga_id",
            "hubungan",
        )
    }  # fmt: skip
    semua_kk = list({b.no_kk for b in sah if b.no_kk is not None})
    ada_kk = {
        r[0]: r[1:] for r in _ambil(Keluarga.objects.order_by(), "no_kk", semua_kk, "no_kk", "id", *MEDAN_KELUARGA)
    }
    # Heads on record of the households in the file, and whether the file moves them.
    kepala_lama: dict[int, tuple[int, str]] = {
        kid: (pid, pnik)
        for kid, pid, pnik in _ambil(
            Penduduk.objects.filter(hubungan=KEPALA).order_by(),
            "keluarga_id",
            [v[0] for v in ada_kk.values()],
            "keluarga_id",
            "id",
            "nik",
        )
    }
    per_nik_baris = {b.nik: b for b in sah}
    for no_kk, b in list(kepala_kk.items()):
        lama = ada_kk.get(no_kk)
        if lama is None:
            continue
        pemegang = kepala_lama.get(lama[0])
        if pemegang is None or pemegang[1] == b.nik:
            continue
        penggantinya = per_nik_baris.get(pemegang[1])
        dilepas = penggantinya is not None and (
            (penggantinya.hubungan not in (None, KEPALA)) or (penggantinya.no_kk not in (None, no_kk))
        )
        if not dilepas:
            sah.remove(b)
            pembaca._tolak(
                b.nomor,
                [b.nik, b.nama],
                [
                    Catatan(
                        b.nomor,
                        judul.get("hubungan", ""),
                        _(
                            "KK %(kk)s sudah punya kepala keluarga lain di registri (NIK %(nik)s). Sertakan "
                            "dia di berkas dengan hubungan barunya, atau ubah dulu di registri."
                        )
                        % {"kk": no_kk, "nik": pemegang[1] or "-"},
                    )
                ],
            )

    # Households: values from the head's row, else the first row of the KK.
    wakil: dict[str, _Baris] = {}
    for b in sah:
        if b.no_kk is not None and (b.no_kk not in wakil or b.hubungan == KEPALA):
            wakil[b.no_kk] = b
    kk_baru: list[tuple] = []  # (no_kk, kelurahan_id, alamat, rt, rw)
    kk_ubah: list[tuple] = []  # (id, no_kk, kelurahan_id, alamat, rt, rw)
    for no_kk, b in wakil.items():
        lama = ada_kk.get(no_kk)
        baru = tuple(getattr(b, m) for m in MEDAN_KELUARGA)
        if lama is None:
            kk_baru.append((no_kk, baru[0], baru[1] or "", baru[2] or "", baru[3] or ""))
            continue
        gabung = tuple(n if n is not None else o for n, o in zip(baru, lama[1:], strict=True))
        if gabung != lama[1:]:
            kk_ubah.append((lama[0], no_kk, *gabung))
    hasil.keluarga_baru, hasil.keluarga_diubah = len(kk_baru), len(kk_ubah)

    # Persons.
    orang_baru: list[tuple] = []  # (nik, *MEDAN, no_kk, hubungan)
    orang_ubah: list[tuple] = []  # (id, nik, *MEDAN, no_kk, hubungan, lama_kepala)
    for b in sah:
        nilai = b.nilai()
        lama = ada_orang.get(b.nik)
        if lama is None:
            hub = (b.hubungan or LAINNYA) if b.no_kk is not None else ""
            gabung = tuple("" if v is None and m != "tanggal_lahir" else v for m, v in zip(MEDAN, nilai, strict=True))
            orang_baru.append((b.nik, *gabung, b.no_kk, hub))
            hasil.baru += 1
            _contoh(hasil, b, "baru", {})
            continue
        lama_medan, lama_kk, lama_hub = lama[1 : 1 + len(MEDAN)], lama[-3], lama[-1]
        gabung = tuple(n if n is not None else o for n, o in zip(nilai, lama_medan, strict=True))
        if b.no_kk is None:
            kk, hub = lama_kk, lama_hub
        else:
            kk = b.no_kk
            hub = b.hubungan or (lama_hub if lama_kk == b.no_kk and lama_hub else LAINNYA)
        if gabung == tuple(lama_medan) and kk == lama_kk and hub == lama_hub:
            hasil.tetap += 1
            continue
        hasil.diubah += 1
        perubahan = {
            str(LABEL[m.removesuffix("_id")]): [_tampil(o), _tampil(n)]
            for m, o, n in zip(MEDAN, lama_medan, gabung, strict=True)
            if o != n
        }
        if kk != lama_kk:
            perubahan[str(LABEL["no_kk"])] = [lama_kk or "", kk or ""]
        if hub != lama_hub:
            perubahan[str(LABEL["hubungan"])] = [lama_hub, hub]
        _contoh(hasil, b, "diubah", perubahan)
        orang_ubah.append((lama[0], b.nik, *gabung, kk, hub, lama_hub == KEPALA))
    progres(75)
    # What the write does not need goes before it (the write is the peak of the import's memory).
    for besar in (sah, per_nik, per_nik_baris, kepala_kk, wakil, ada_orang, kepala_lama, pembaca.kk_cache):
        besar.clear()

    if not simpan or (hasil.ditolak and not lewati_galat) or not (kk_baru or kk_ubah or orang_baru or orang_ubah):
        progres(100)
        return hasil

    # Step 4: write.
    sekarang = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _tulis_pg(kk_baru, kk_ubah, ada_kk, orang_baru, orang_ubah, oleh, alasan, sekarang)
        else:
            _tulis_orm(kk_baru, kk_ubah, ada_kk, orang_baru, orang_ubah, oleh, alasan, sekarang)
    hasil.disimpan = True
    progres(100)
    return hasil


def _tampil(v: object) -> str:
    if isinstance(v, date):
        return v.strftime("%d/%m/%Y")
    return "" if v is None else str(v)


def _contoh(hasil: Hasil, b: _Baris, status: str, perubahan: dict) -> None:
    if len(hasil.contoh) < MAKS_CONTOH:
        hasil.contoh.append({"baris": b.nomor, "status": status, "nik": b.nik, "nama": b.nama, "perubahan": perubahan})


# ---------------------------------------------------------------------------------------------
# Writing: PostgreSQL
# ---------------------------------------------------------------------------------------------


def _q(nama: str) -> str:
    return connection.ops.quote_name(nama)


def _copy(nilai: object) -> str:
    if nilai.__class__ is str:  # most cells: checked for the four characters COPY escapes, no copy
        if "\\" in nilai or "\t" in nilai or "\n" in nilai or "\r" in nilai:
            return nilai.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return nilai
    if nilai is None:
        return r"\N"
    if isinstance(nilai, bool):
        return "t" if nilai else "f"
    teks = nilai.isoformat() if isinstance(nilai, date) else str(nilai)
    return teks.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _lain(model: type[models.Model], diatur: set[str]) -> list[tuple[str, object]]:
    """Columns this import does not set, with their defaults (a column added later keeps working)."""
    hasil = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in diatur or f.db_default is not models.NOT_PROVIDED:
            continue
        hasil.append((f.column, f.get_db_prep_save(f.get_default(), connection)))
    return hasil


def _baris_copy(r, akhir: str = "\n") -> str:
    """One row as a COPY text line. Cells are mostly text already cleaned by ``impor.nilai.teks``
    (whitespace collapsed: no tab or newline), so the line is joined first and only a line with a
    character COPY escapes (a backslash, or a tab/newline that came from elsewhere) is redone cell
    by cell."""
    bagian = [v if v.__class__ is str else _copy(v) for v in r]
    baris = "\t".join(bagian)
    # Each None became one ``\N``: any other backslash, a newline or an extra tab needs escaping.
    if baris.count("\\") != r.count(None) or "\n" in baris or "\r" in baris or baris.count("\t") != len(r) - 1:
        baris = "\t".join(map(_copy, r))
    return baris + akhir


class _AliranCopy(io.RawIOBase):
    """The rows as COPY text, produced while psycopg2 reads them (a whole-file buffer of 100,000
    rows held some 50 MB at the peak of the import). ``akhir`` ends every line: the tab-joined
    text of columns that are the same on every row, then the newline."""

    def __init__(self, baris, akhir: str = "\n"):
        self._baris = iter(baris)
        self._akhir = akhir
        self._sisa = b""

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        potongan = [self._sisa]
        ukuran = len(self._sisa)
        batas = n if n and n > 0 else 1 << 20
        akhir = self._akhir
        while ukuran < batas:
            r = next(self._baris, None)
            if r is None:
                break
            teks = _baris_copy(r, akhir).encode()
            potongan.append(teks)
            ukuran += len(teks)
        data = b"".join(potongan)
        self._sisa = data[batas:]
        return data[:batas]


def _upsert_pg(
    model: type[models.Model],
    kolom: list[str],
    baris,
    kunci: str | None,
    diperbarui: list[str],
    oleh,
    alasan: str,
    sekarang,
    kembali: str,
) -> list[tuple]:
    """COPY rows into a staging table, upsert them on ``kunci`` (None: insert only) and write one
    history row each, in one statement; returns ``kembali`` columns of the written rows."""
    tabel = model._meta.db_table
    riwayat = model.history.model  # type: ignore[attr-defined]
    if kunci is None and kembali == "count(*)":
        return _sisip_langsung_pg(model, riwayat, kolom, baris, oleh, alasan, sekarang)
    stg = f"_impor_{tabel}"
    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {_q(stg)}")
        c.execute(
            f"CREATE TEMP TABLE {_q(stg)} ON COMMIT DROP AS SELECT {', '.join(_q(k) for k in kolom)} "  # noqa: S608
            f"FROM {_q(tabel)} WITH NO DATA"
        )
        c.copy_expert(f"COPY {_q(stg)} ({', '.join(_q(k) for k in kolom)}) FROM STDIN", _AliranCopy(baris), 1 << 20)
        lain = _lain(model, set(kolom) | {"dibuat_pada", "diubah_pada"})
        sisip = [*kolom, "dibuat_pada", "diubah_pada", *(k for k, _v in lain)]
        pilih = [f"s.{_q(k)}" for k in kolom] + ["%s", "%s"] + ["%s"] * len(lain)
        params: list[object] = [sekarang, sekarang, *(v for _k, v in lain)]
        set_ = ", ".join(f"{_q(k)} = EXCLUDED.{_q(k)}" for k in [*diperbarui, "diubah_pada"])
        kolom_tabel = [f.column for f in model._meta.concrete_fields]
        kolom_riwayat = [f.column for f in riwayat._meta.concrete_fields if f.column in kolom_tabel]
        sql = (
            f"WITH up AS (INSERT INTO {_q(tabel)} ({', '.join(_q(k) for k in sisip)}) "  # noqa: S608
            f"SELECT {', '.join(pilih)} FROM {_q(stg)} s "
            f"{f'ON CONFLICT ({_q(kunci)}) DO UPDATE SET {set_} ' if kunci else ''}"
            f"RETURNING {_q(tabel)}.*, ({_q(tabel)}.xmax = 0) AS _baru), "
            f"h AS (INSERT INTO {_q(riwayat._meta.db_table)} "
            f"({', '.join(_q(k) for k in kolom_riwayat)}, history_date, history_change_reason, history_type, "
            f"history_user_id) SELECT {', '.join('up.' + _q(k) for k in kolom_riwayat)}, %s, %s, "
            f"CASE WHEN up._baru THEN '+' ELSE '~' END, %s FROM up) "
            f"SELECT {kembali} FROM up"
        )
        c.execute(sql, [*params, sekarang, alasan[:100], getattr(oleh, "pk", None)])
        return c.fetchall()


def _sisip_langsung_pg(
    model, riwayat, kolom: list[str], baris, oleh, alasan: str, sekarang, kunci: str | None = None
) -> list[tuple]:
    """New rows only (the compare step found them absent): COPY straight into the table, as fast as
    the floor, then one history row each by an INSERT ... SELECT of the rows this import made.
    Returns ``(id, kunci)`` of each row written (``kunci`` given), else ``[(count,)]``.

    Those rows are the ones with an id above the largest before the COPY *and* the import's own
    ``dibuat_pada`` (a row another user inserts meanwhile has another timestamp). A key inserted
    meanwhile by someone else fails the COPY and the whole import rolls back."""
    tabel = _q(model._meta.db_table)
    lain = _lain(model, set(kolom) | {"dibuat_pada", "diubah_pada"})
    kolom_copy = [*kolom, "dibuat_pada", "diubah_pada", *(k for k, _v in lain)]
    kolom_tabel = [f.column for f in model._meta.concrete_fields]
    kolom_riwayat = [f.column for f in riwayat._meta.concrete_fields if f.column in kolom_tabel]
    with connection.cursor() as c:
        # The defaults of the other columns as PostgreSQL writes them in text (JSON, booleans, ...).
        c.execute(f"SELECT {', '.join(['%s::text'] * (len(lain) + 1))}", [sekarang, *(v for _k, v in lain)])
        teks_sekarang, *teks_lain = c.fetchone()
        akhir = "".join("\t" + _copy(t) for t in (teks_sekarang, teks_sekarang, *teks_lain)) + "\n"
        c.execute(f"SELECT coalesce(max(id), 0) FROM {tabel}")  # noqa: S608
        batas = c.fetchone()[0]
        retur = f" RETURNING id, {_q(kunci)}" if kunci else ""
        c.copy_expert(
            f"COPY {tabel} ({', '.join(_q(k) for k in kolom_copy)}) FROM STDIN", _AliranCopy(baris, akhir), 1 << 20
        )
        c.execute(
            f"INSERT INTO {_q(riwayat._meta.db_table)} "  # noqa: S608
            f"({', '.join(_q(k) for k in kolom_riwayat)}, history_date, history_change_reason, history_type, "
            f"history_user_id) SELECT {', '.join('t.' + _q(k) for k in kolom_riwayat)}, %s, %s, '+', %s "
            f"FROM {tabel} t WHERE t.id > %s AND t.dibuat_pada = %s{retur}",
            [sekarang, alasan[:100], getattr(oleh, "pk", None), batas, sekarang],
        )
        return c.fetchall() if kunci else [(c.rowcount,)]


def _tulis_pg(kk_baru, kk_ubah, ada_kk, orang_baru, orang_ubah, oleh, alasan, sekarang) -> None:
    id_per_kk = {no_kk: v[0] for no_kk, v in ada_kk.items()}
    kolom_kk = ["no_kk", *MEDAN_KELUARGA]
    if kk_baru:  # absent at the compare step: straight in, as the new persons below
        riwayat_kk = Keluarga.history.model  # type: ignore[attr-defined]
        id_per_kk.update(
            (no_kk, pk)
            for pk, no_kk in _sisip_langsung_pg(
                Keluarga, riwayat_kk, kolom_kk, kk_baru, oleh, alasan, sekarang, kunci="no_kk"
            )
        )
    if kk_ubah:
        for pk, no_kk in _upsert_pg(
            Keluarga, kolom_kk, [r[1:] for r in kk_ubah], "no_kk", list(MEDAN_KELUARGA), oleh, alasan, sekarang,
            "id, no_kk",
        ):  # fmt: skip
            id_per_kk[no_kk] = pk
    kolom = ["nik", *MEDAN, "nama_normal", "keluarga_id", "hubungan"]

    # Names repeat: normalised once each, in a cache that lives as long as this write (a module-level
    # cache of 100,000 names stayed in memory after the import).
    _nama_normal = lru_cache(maxsize=None)(normalisasi_nama)

    # Rows made while COPY reads them: no second list of 100,000 tuples.
    def baris_baru():
        for r in orang_baru:
            yield (*r[:-2], _nama_normal(r[1]), id_per_kk.get(r[-2]), r[-1])

    def baris_ubah():
        for r in orang_ubah:
            yield (*r[1:-3], _nama_normal(r[2]), id_per_kk.get(r[-3]), r[-2])

    lepas_kepala = [r[0] for r in orang_ubah if r[-1]]
    if lepas_kepala:
        # A head who stops being one (or moves) first lets go, so that a swap of heads in one file
        # never meets the one-head-per-household index half way (the upsert sets the final value).
        with connection.cursor() as c:
            c.execute(
                f"UPDATE {_q(Penduduk._meta.db_table)} SET hubungan = '' WHERE id = ANY(%s)",  # noqa: S608
                [lepas_kepala],
            )
    # New persons by a plain INSERT (no speculative insertion per row: the compare step found
    # them absent; a NIK inserted meanwhile by someone else fails the whole import, rolled back),
    # changed ones by the upsert on NIK.
    if orang_baru:
        _upsert_pg(Penduduk, kolom, baris_baru(), None, [], oleh, alasan, sekarang, "count(*)")
    if orang_ubah:
        _upsert_pg(
            Penduduk, kolom, baris_ubah(), "nik", [k for k in kolom if k != "nik"], oleh, alasan, sekarang, "count(*)"
        )


# ---------------------------------------------------------------------------------------------
# Writing: other databases (SQLite: development and tests), same result through the ORM
# ---------------------------------------------------------------------------------------------


def _tulis_orm(kk_baru, kk_ubah, ada_kk, orang_baru, orang_ubah, oleh, alasan, sekarang) -> None:
    _nama_normal = lru_cache(maxsize=None)(normalisasi_nama)
    riwayat = {"default_user": oleh, "default_change_reason": alasan[:100], "default_date": sekarang}
    id_per_kk = {no_kk: v[0] for no_kk, v in ada_kk.items()}
    if kk_baru:
        objek = [Keluarga(no_kk=r[0], **dict(zip(MEDAN_KELUARGA, r[1:], strict=True))) for r in kk_baru]
        bulk_create_with_history(objek, Keluarga, batch_size=500, **riwayat)
        id_per_kk.update(Keluarga.objects.filter(no_kk__in=[r[0] for r in kk_baru]).values_list("no_kk", "id"))
    if kk_ubah:
        objek = Keluarga.objects.in_bulk([r[0] for r in kk_ubah])
        for r in kk_ubah:
            k = objek[r[0]]
            for m, v in zip(MEDAN_KELUARGA, r[2:], strict=True):
                setattr(k, m, v)
            k.diubah_pada = sekarang
        bulk_update_with_history(
            list(objek.values()), Keluarga, [*MEDAN_KELUARGA, "diubah_pada"], batch_size=500, **riwayat
        )
    if orang_ubah:
        lepas = [r[0] for r in orang_ubah if r[-1]]
        if lepas:
            Penduduk.objects.filter(pk__in=lepas).update(hubungan="")
        objek = Penduduk.objects.in_bulk([r[0] for r in orang_ubah])
        for r in orang_ubah:
            p = objek[r[0]]
            for m, v in zip(MEDAN, r[2:-3], strict=True):
                setattr(p, m, v)
            p.nama_normal = _nama_normal(p.nama)
            p.keluarga_id = id_per_kk.get(r[-3])
            p.hubungan = r[-2]
            p.diubah_pada = sekarang
        medan = [*MEDAN, "nama_normal", "keluarga_id", "hubungan", "diubah_pada"]
        bulk_update_with_history(list(objek.values()), Penduduk, medan, batch_size=500, **riwayat)
    if orang_baru:
        objek = []
        for r in orang_baru:
            p = Penduduk(nik=r[0], **dict(zip(MEDAN, r[1:-2], strict=True)))
            p.nama_normal = _nama_normal(p.nama)
            p.keluarga_id = id_per_kk.get(r[-2])
            p.hubungan = r[-1]
            objek.append(p)
        bulk_create_with_history(objek, Penduduk, batch_size=500, **riwayat)
