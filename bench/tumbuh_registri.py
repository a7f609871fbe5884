"""Grow the registry of a PostgreSQL database to N persons, fast, for benchmarks.

Rows are made in Python (so names, ``nama_normal``, NIK and No KK agree exactly with what the
application computes) and streamed with ``COPY`` in chunks of ``PER_POTONG`` persons; each chunk
commits, so an interrupted run resumes where it stopped. Serials continue the database's own (the
highest per 12-digit prefix), so NIK and No KK stay unique also next to ``seed_demo`` data.

The column lists come from the models: a column another engineer adds is filled with its model
default (or left to its ``db_default``), so the generator keeps working while the schema grows.
Every row also gets its "created" history row, as ``bulk_create_with_history`` would write.
"""

from __future__ import annotations

import functools
import io
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import accumulate

from django.db import connection, models, transaction
from django.utils import timezone

from penduduk import demo
from penduduk.choices import Hubungan, JenisKelamin, Pendidikan, StatusPenduduk
from penduduk.models import Keluarga, Penduduk
from penduduk.names import normalisasi_nama
from wilayah.models import Kelurahan

PER_POTONG = 50_000  # persons per COPY chunk and commit
ALASAN_RIWAYAT = "Data bench (bench/tumbuh_registri.py)"
TAHUN = 365.2425
_EPOCH = date(1970, 1, 1).toordinal()
L, P = JenisKelamin.LAKI_LAKI.value, JenisKelamin.PEREMPUAN.value
H = Hubungan

# Household sizes and weights: mean about 3.6 persons (BPS, Sumatera Barat).
UKURAN_RUMAH = ((1, 10), (2, 17), (3, 22), (4, 23), (5, 15), (6, 8), (7, 3), (8, 2))

# More given names on top of the demo lists, so that there are a few hundred in all.
PRIA_LAIN = (
    "Agus", "Ahmad", "Akmal", "Alimuddin", "Amirul", "Andri", "Aprizal", "Ardiansyah", "Armen", "Asrizal", "Azhar",
    "Bustami", "Dasrul", "Defri", "Deni", "Dodi", "Eri", "Erwin", "Fadhil", "Fauzan", "Firdaus", "Guswandi",
    "Hamdani", "Harmen", "Hasbi", "Herman", "Ikhwan", "Indra", "Irfan", "Jasril", "Joni", "Khairil", "Lukman",
    "Mahyudin", "Muhammad", "Mulyadi", "Nasrun", "Novrizal", "Refki", "Reza", "Ridwan", "Rifki", "Safrizal",
    "Sahrul", "Saiful", "Syahrul", "Teguh", "Wahyu", "Yasir", "Yohanda", "Yusman", "Zainuddin", "Zulhelmi",
    "Zulkarnain",
)  # fmt: skip
PEREMPUAN_LAIN = (
    "Afrida", "Anita", "Asmawati", "Betti", "Cici", "Darmawati", "Desmawati", "Dian", "Elmi", "Elsa", "Emi",
    "Endang", "Eva", "Fatimah", "Fauziah", "Febri", "Hartati", "Ida", "Indah", "Irma", "Jasmaniar", "Kartini",
    "Khadijah", "Lili", "Linda", "Maimunah", "Masni", "Mardiana", "Nelly", "Nina", "Nurjanah", "Oktavia", "Ratna",
    "Refni", "Rosmawati", "Sakdiah", "Sarah", "Sofia", "Suryani", "Syafrida", "Tati", "Wirda", "Yelvi", "Yusnita",
    "Zainab", "Zulaikha", "Nurhasanah", "Zubaidah", "Roslaini", "Asmah",
)  # fmt: skip
# Given names by generation (born before 1970, 1970-1994, from 1995) and sex.
DEPAN = {
    (0, L): demo.PRIA_TUA + PRIA_LAIN[:18], (1, L): demo.PRIA_TENGAH + PRIA_LAIN[18:40],
    (2, L): demo.PRIA_MUDA + PRIA_LAIN[40:],
    (0, P): demo.PEREMPUAN_TUA + PEREMPUAN_LAIN[:17], (1, P): demo.PEREMPUAN_TENGAH + PEREMPUAN_LAIN[17:34],
    (2, P): demo.PEREMPUAN_MUDA + PEREMPUAN_LAIN[34:],
}  # fmt: skip
BELAKANG = {
    (1, L): demo.PRIA_BELAKANG, (2, L): demo.PRIA_MUDA_BELAKANG,
    (0, P): demo.PEREMPUAN_BELAKANG, (1, P): demo.PEREMPUAN_BELAKANG, (2, P): demo.PEREMPUAN_MUDA_BELAKANG,
}  # fmt: skip


# A few thousand distinct names: normalise each once, exactly as the application does.
_normal = functools.lru_cache(maxsize=None)(normalisasi_nama)


@dataclass
class HasilTumbuh:
    penduduk: int
    keluarga: int
    baru: int  # persons added by this run
    detik: float


def _q(nama: str) -> str:
    return connection.ops.quote_name(nama)


def _nilai_db(field: models.Field, nilai: object) -> object:
    nilai = field.get_db_prep_save(nilai, connection)
    if hasattr(nilai, "adapted") and hasattr(nilai, "dumps"):  # psycopg2 Json adapter (JSONField)
        return nilai.dumps(nilai.adapted)
    return nilai


def _teks_copy(nilai: object) -> str:
    """A value in COPY's text format."""
    if nilai is None:
        return r"\N"
    if isinstance(nilai, bool):
        return "t" if nilai else "f"
    teks = str(nilai)
    return teks.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


@dataclass(frozen=True)
class _Kolom:
    """COPY plan of one table: the generated columns, then the others with their defaults."""

    sql: str  # COPY ... FROM STDIN statement
    sisa: str  # the COPY text of the defaulted columns, appended to every generated row


def _kolom(model: type[models.Model], dibuat: Sequence[str]) -> _Kolom:
    medan = {f.attname: f for f in model._meta.concrete_fields}
    hilang = [nama for nama in dibuat if nama not in medan]
    if hilang:
        raise RuntimeError(f"{model.__name__} has no field(s) {hilang}: update bench/tumbuh_registri.py")
    kolom, sisa = [medan[nama].column for nama in dibuat], []
    for f in model._meta.concrete_fields:
        if f.attname in dibuat or f.primary_key or f.db_default is not models.NOT_PROVIDED:
            continue
        if not f.null and not f.has_default() and f.is_relation:
            raise RuntimeError(f"{model.__name__}.{f.name} is a required relation: the generator must fill it")
        kolom.append(f.column)
        sisa.append(_teks_copy(_nilai_db(f, f.get_default())))
    daftar = ", ".join(_q(k) for k in kolom)
    return _Kolom(f"COPY {_q(model._meta.db_table)} ({daftar}) FROM STDIN", "".join("\t" + s for s in sisa))


def _sql_riwayat(model: type[models.Model]) -> tuple[str, list[object]]:
    """INSERT ... SELECT of one "created" history row per row with id > %s."""
    sumber = {f.attname: _q(f.column) for f in model._meta.concrete_fields}
    sumber["history_date"] = sumber["dibuat_pada"]
    riwayat = model.history.model  # type: ignore[attr-defined]
    tetap = {"history_type": "+", "history_change_reason": ALASAN_RIWAYAT}
    kolom, pilih, params = [], [], []
    for f in riwayat._meta.concrete_fields:
        if f.primary_key or (f.attname not in sumber and f.db_default is not models.NOT_PROVIDED):
            continue
        kolom.append(_q(f.column))
        pilih.append(sumber.get(f.attname, "%s"))
        if f.attname not in sumber:  # history_type, history_user_id, ... and columns only history has
            params.append(tetap.get(f.attname, _nilai_db(f, f.get_default())))
    sql = (
        f"INSERT INTO {_q(riwayat._meta.db_table)} ({', '.join(kolom)}) "  # noqa: S608 (names from _meta)
        f"SELECT {', '.join(pilih)} FROM {_q(model._meta.db_table)} WHERE {_q('id')} > %s"
    )
    return sql, params


class _Penomor:
    """Next free 4-digit serial per 12-digit prefix (region + date), after the database's own."""

    def __init__(self, model: type[models.Model], kolom: str, rng: random.Random):
        self.rng = rng
        k, tabel = _q(kolom), _q(model._meta.db_table)
        with connection.cursor() as c:
            c.execute(
                f"SELECT left({k}, 12), max(right({k}, 4)::int) FROM {tabel} "  # noqa: S608
                f"WHERE {k} ~ '^[0-9]{{16}}$' GROUP BY 1"
            )
            self.urut: Counter[str] = Counter(dict(c.fetchall()))

    def berikut(self, awalan: str) -> str | None:
        # Serials neither start at 0001 nor run without gaps: people move away, die, get a new KK.
        lama = self.urut[awalan]
        n = lama + (self.rng.randint(1, 3) if lama else self.rng.randint(1, 150))
        if n > 9999:  # a prefix is full: the caller leaves the number empty
            return None
        self.urut[awalan] = n
        return f"{awalan}{n:04d}"


def _kumulatif(pilihan: Sequence[tuple[object, float]]) -> tuple[list[object], list[float]]:
    return [n for n, _ in pilihan], list(accumulate(b for _, b in pilihan))


class _Pembangkit:
    """Households and their members as COPY text lines; deterministic for a seed."""

    def __init__(self, rng: random.Random, kelurahan: list[Kelurahan], id_keluarga: int):
        self.rng = rng
        self.hari_ini = timezone.localdate()
        self.sekarang = int(timezone.now().timestamp())
        self.id_keluarga = id_keluarga
        self.nik = _Penomor(Penduduk, "nik", rng)
        self.no_kk = _Penomor(Keluarga, "no_kk", rng)
        # Nobody older than demo.UMUR_MAKS: the two-digit year of a NIK must stay unambiguous.
        self.awal = demo._geser_tahun(self.hari_ini, -(demo.UMUR_MAKS + 1)).toordinal() + 1
        self.akhir = self.hari_ini.toordinal()
        tanggal = [date.fromordinal(o) for o in range(self.awal, self.akhir + 1)]
        self.iso = [d.isoformat() for d in tanggal]
        self.ddmmyy = {L: [f"{d:%d%m%y}" for d in tanggal], P: [f"{d.day + 40:02d}{d:%m%y}" for d in tanggal]}
        self.generasi = [0 if d.year < 1970 else 1 if d.year < 1995 else 2 for d in tanggal]
        self.kelurahan = kelurahan
        self.bobot_kel = list(accumulate(k.jumlah_kk or rng.uniform(0.5, 1.5) for k in kelurahan))
        self.kode = {k.pk: k.kecamatan.kode.replace(".", "") for k in kelurahan}
        self.kode_semua = sorted(set(self.kode.values()))
        self.tempat = {  # per kelurahan: streets and jorong, each with its RW
            k.pk: [(t, f"{rng.randint(1, 8):03d}") for t in rng.sample(demo.JALAN, 8) + rng.sample(demo.JORONG, 3)]
            for k in kelurahan
        }
        self.ukuran = _kumulatif(UKURAN_RUMAH)
        self.umur_kepala = _kumulatif(demo.UMUR_KEPALA)
        self.disabilitas = _kumulatif(demo.RAGAM_DISABILITAS)
        self.kerja = {L: _kumulatif(demo.PEKERJAAN_PRIA), P: _kumulatif(demo.PEKERJAAN_WANITA)}
        self.kerja_lansia = {jk: _kumulatif(v) for jk, v in demo.PEKERJAAN_LANSIA.items()}
        self.didik = [(tahun, _kumulatif(v)) for tahun, v in demo.PENDIDIKAN_DEWASA.items()]

    # -- small helpers ----------------------------------------------------------------------

    def _pilih(self, tabel: tuple[list[object], list[float]]) -> object:
        return self.rng.choices(tabel[0], cum_weights=tabel[1])[0]

    def _lahir(self, umur_min: float, umur_maks: float) -> int:
        """A birth date (ordinal) for an age between the two, within the allowed range."""
        return self._antara(self.akhir - int(umur_maks * TAHUN), self.akhir - int(umur_min * TAHUN))

    def _antara(self, awal: int, akhir: int) -> int:
        awal, akhir = max(awal, self.awal), min(akhir, self.akhir)
        return min(awal, self.akhir) if akhir <= awal else self.rng.randint(awal, akhir)

    def _waktu(self, detik: int) -> str:
        return datetime.fromtimestamp(detik, UTC).isoformat(sep=" ")

    def _nama(self, jk: str, lahir: int, ayah: str | None) -> str:
        rng, gen = self.rng, self.generasi[lahir - self.awal]
        depan = rng.choice(DEPAN[gen, jk])
        r = rng.random()
        if gen == 0 and jk == L:
            kedua = rng.choice(demo.GELAR) if r < 0.35 else rng.choice(DEPAN[0, L]) if r < 0.65 else None
        elif ayah and gen > 0 and r < 0.3:  # the father's first name as second name
            kedua = ayah
        else:
            kedua = rng.choice(BELAKANG[gen, jk]) if r < (0.45 if gen == 0 else 0.8) else None
        return depan if kedua in (None, depan) else f"{depan} {kedua}"

    def _pendidikan_pekerjaan(self, jk: str, lahir: int, umur: int) -> tuple[object, object]:
        if umur < 19:
            didik = (
                Pendidikan.TIDAK_SEKOLAH if umur < 7 else Pendidikan.BELUM_TAMAT_SD if umur < 13
                else Pendidikan.SD if umur < 16 else Pendidikan.SLTP
            )  # fmt: skip
            return didik, demo.BELUM_BEKERJA if umur < 5 else demo.PELAJAR
        tahun = date.fromordinal(lahir).year
        didik = self._pilih(next(t for batas, t in self.didik if tahun < batas))
        if umur < 23 and self.rng.random() < 0.4:
            return didik, demo.PELAJAR
        return didik, self._pilih(self.kerja_lansia[jk] if umur >= 58 else self.kerja[jk])

    # -- households --------------------------------------------------------------------------

    def _susunan(self) -> list[tuple[str, str, int]]:
        """(hubungan, sex, birth ordinal) of each member; the head first."""
        rng, ukuran = self.rng, self._pilih(self.ukuran)
        if ukuran == 1:
            if rng.random() < 0.6:
                return [(H.KEPALA, P if rng.random() < 0.65 else L, self._lahir(60, 90))]
            return [(H.KEPALA, rng.choice((L, P)), self._lahir(21, 40))]
        if rng.random() < 0.82:  # a couple
            kepala = self._lahir(*self._pilih(self.umur_kepala))  # type: ignore[misc]
            ibu = self._antara(kepala - 2 * 365, min(kepala + 9 * 365, self.akhir - 19 * 365))
            anggota = [(H.KEPALA, P, ibu), (H.SUAMI, L, kepala)] if rng.random() < 0.02 else []
            anggota = anggota or [(H.KEPALA, L, kepala), (H.ISTRI, P, ibu)]
        else:  # widow(er) or single parent
            jk = P if rng.random() < 0.78 else L
            kepala = self._lahir(30, 85)
            ibu = kepala if jk == P else self._antara(kepala, kepala + 6 * 365)
            anggota = [(H.KEPALA, jk, kepala)]
        umur_kepala = (self.akhir - kepala) / TAHUN
        anak = sorted(self._antara(ibu + 19 * 365, ibu + 43 * 365) for _ in range(ukuran - len(anggota)))
        for lahir in anak:  # mostly children; grandchildren and in-laws with older heads; a few others
            r, jk = rng.random(), rng.choice((L, P))
            if umur_kepala >= 55 and r < 0.3:
                anggota.append((H.CUCU, jk, self._antara(kepala + 42 * 365, kepala + 68 * 365)))
            elif umur_kepala >= 50 and r < 0.36:
                anggota.append((H.MENANTU, jk, self._lahir(20, 40)))
            elif r > 0.97 and umur_kepala < 60:
                ortu = rng.choice((H.ORANG_TUA, H.MERTUA))
                anggota.append((ortu, P, self._antara(kepala - 40 * 365, kepala - 20 * 365)))
            elif r > 0.955:
                anggota.append((rng.choice((H.FAMILI_LAIN, H.FAMILI_LAIN, H.LAINNYA)), jk, self._lahir(15, 60)))
            else:
                anggota.append((H.ANAK, jk, lahir))
        return anggota

    def rumah(self, batas: int) -> tuple[str, list[tuple]]:
        """One household (its COPY row) and up to ``batas`` members (field tuples)."""
        rng = self.rng
        kel = self.kelurahan[rng.choices(range(len(self.kelurahan)), cum_weights=self.bobot_kel)[0]]
        kode = self.kode[kel.pk]
        tempat, rw = rng.choice(self.tempat[kel.pk])
        alamat = f"{tempat} No. {rng.randint(1, 250)}" if tempat.startswith("Jl.") else tempat
        rt = f"{rng.randint(1, 10):03d}"
        dibuat = self.sekarang - rng.randint(0, 3 * 365 * 86400)
        self.id_keluarga += 1
        anggota = self._susunan()[:batas]
        # The KK is issued where the household lives, after the head turned 17, after the youngest
        # member was born (a birth means a new KK), within the last 20 years.
        paling_awal = max(anggota[0][2] + 17 * 366, max(a[2] for a in anggota) + 7, self.akhir - 20 * 365)
        terbit = self._antara(paling_awal, self.akhir)
        no_kk = self.no_kk.berikut(kode + self.ddmmyy[L][terbit - self.awal])
        diubah = dibuat if rng.random() < 0.7 else rng.randint(dibuat, self.sekarang)
        baris = (self.id_keluarga, no_kk, kel.pk, alamat, rt, rw, self._waktu(dibuat), self._waktu(diubah))
        ayah = None
        orang = []
        for hubungan, jk, lahir in anggota:
            nama = self._nama(jk, lahir, ayah if hubungan == H.ANAK else None)
            if hubungan in (H.KEPALA, H.SUAMI) and jk == L:
                ayah = nama.split()[0]
            orang.append(self._orang(hubungan, jk, lahir, nama, (kel.pk, kode, alamat, rt, rw), dibuat))
        if rng.random() < 0.01 and len(orang) < batas:  # a homeless person without NIK or KK
            orang.append(self._gelandangan(kel.pk, dibuat))
        return "\t".join(map(_teks_copy, baris)), orang

    def _orang(self, hubungan: str, jk: str, lahir: int, nama: str, tempat_tinggal: tuple, dibuat: int) -> tuple:
        """The field tuple of one member (KOLOM_PENDUDUK order); the registry row is not older than them."""
        rng = self.rng
        kel, kode, alamat, rt, rw = tempat_tinggal
        umur = int((self.akhir - lahir) / TAHUN)
        dibuat = min(max(dibuat, (lahir - _EPOCH + rng.randint(7, 60)) * 86400), self.sekarang)
        tanpa_nik = rng.random() < (0.4 if umur < 1 else 0.012)
        region = kode if rng.random() < 0.9 else rng.choice(self.kode_semua)
        nik = None if tanpa_nik else self.nik.berikut(region + self.ddmmyy[jk][lahir - self.awal])
        status = StatusPenduduk.HIDUP
        if hubungan != H.KEPALA:
            r = rng.random()
            if r < (0.06 if umur >= 65 else 0.003):
                status = StatusPenduduk.MENINGGAL
            elif 18 <= umur <= 40 and r > 0.96:
                status = StatusPenduduk.PINDAH
        didik, kerja = self._pendidikan_pekerjaan(jk, lahir, umur)
        telepon = ""
        if umur >= 17 and rng.random() < (0.7 if hubungan == H.KEPALA else 0.35):
            telepon = rng.choice(demo.PREFIKS_TELEPON) + str(rng.randrange(10**7, 10**8))
        disabilitas = self._pilih(self.disabilitas) if rng.random() < (0.05 if umur >= 60 else 0.015) else ""
        tempat = "Payakumbuh" if rng.random() < 0.88 else rng.choice(demo.TEMPAT_LAHIR_LAIN)
        diubah = dibuat if rng.random() < 0.7 else rng.randint(dibuat, self.sekarang)
        return (
            nik, nama, _normal(nama), jk, tempat, self.iso[lahir - self.awal], self.id_keluarga, hubungan,
            kel, alamat, rt, rw, telepon, status, kerja, didik, disabilitas, self._waktu(dibuat), self._waktu(diubah),
        )  # fmt: skip

    def _gelandangan(self, kel: int, dibuat: int) -> tuple:
        rng, jk = self.rng, L if self.rng.random() < 0.75 else P
        nama, waktu = rng.choice(demo.NAMA_GELANDANGAN[jk]), self._waktu(dibuat)
        lahir = self.iso[self._lahir(25, 70) - self.awal] if rng.random() < 0.6 else None  # an estimate, or none
        return (
            None, nama, _normal(nama), jk, "", lahir, None, "", kel, rng.choice(demo.LOKASI_GELANDANGAN), "", "", "",
            StatusPenduduk.HIDUP, demo.BELUM_BEKERJA, "", "", waktu, waktu,
        )  # fmt: skip


KOLOM_KELUARGA = ("id", "no_kk", "kelurahan_id", "alamat", "rt", "rw", "dibuat_pada", "diubah_pada")
KOLOM_PENDUDUK = (
    "nik", "nama", "nama_normal", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "keluarga_id", "hubungan",
    "kelurahan_id", "alamat", "rt", "rw", "telepon", "status", "pekerjaan", "pendidikan", "disabilitas",
    "dibuat_pada", "diubah_pada",
)  # fmt: skip
TABEL = (Penduduk, Keluarga, Penduduk.history.model, Keluarga.history.model)


def satu(sql: str, params: Sequence[object] = ()) -> int:
    with connection.cursor() as c:
        c.execute(sql, params)
        return c.fetchone()[0]


def kosongkan() -> None:
    """TRUNCATE the registry and its history (and, by CASCADE, whatever refers to it)."""
    with connection.cursor() as c:
        c.execute(f"TRUNCATE {', '.join(_q(m._meta.db_table) for m in TABEL)} RESTART IDENTITY CASCADE")


def tumbuh(target: int, *, seed: int = 2026, tulis: Callable[[str], None] = print) -> HasilTumbuh:
    """Add persons (in new households) until the registry holds ``target``; skip if it does."""
    mulai = time.perf_counter()
    t_penduduk, t_keluarga = _q(Penduduk._meta.db_table), _q(Keluarga._meta.db_table)
    ada = satu(f"SELECT count(*) FROM {t_penduduk}")  # noqa: S608
    if ada >= target:
        return HasilTumbuh(ada, Keluarga.objects.count(), 0, time.perf_counter() - mulai)
    kolom_k, kolom_p = _kolom(Keluarga, KOLOM_KELUARGA), _kolom(Penduduk, KOLOM_PENDUDUK)
    riwayat_k, riwayat_p = _sql_riwayat(Keluarga), _sql_riwayat(Penduduk)
    kelurahan = list(Kelurahan.objects.select_related("kecamatan").order_by("kode"))
    id_awal = satu(f"SELECT coalesce(max(id), 0) FROM {t_keluarga}")  # noqa: S608
    # A resumed run draws other numbers than the first, so the two do not repeat each other.
    gen = _Pembangkit(random.Random(f"{seed}:{ada}"), kelurahan, id_awal)
    jumlah = ada
    while jumlah < target:
        buf_k, buf_p, potong, n = io.StringIO(), io.StringIO(), min(PER_POTONG, target - jumlah), 0
        while n < potong:
            baris_k, orang = gen.rumah(potong - n)
            buf_k.write(baris_k + kolom_k.sisa + "\n")
            for o in orang:
                buf_p.write("\t".join(map(_teks_copy, o)) + kolom_p.sisa + "\n")
            n += len(orang)
        with transaction.atomic(), connection.cursor() as c:
            id_p = satu(f"SELECT coalesce(max(id), 0) FROM {t_penduduk}")  # noqa: S608
            buf_k.seek(0)
            buf_p.seek(0)
            c.copy_expert(kolom_k.sql, buf_k)
            c.copy_expert(kolom_p.sql, buf_p)
            c.execute(riwayat_k[0], [*riwayat_k[1], id_awal])
            c.execute(riwayat_p[0], [*riwayat_p[1], id_p])
            # Keluarga ids were given explicitly: move the identity past them.
            c.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [Keluarga._meta.db_table, gen.id_keluarga])
        id_awal = gen.id_keluarga
        jumlah += n
        tulis(f"  {jumlah:>9,} penduduk  ({time.perf_counter() - mulai:5.1f} s)")
    with connection.cursor() as c:
        for model in TABEL:  # outside a transaction; the visibility map helps index-only scans
            c.execute(f"VACUUM (ANALYZE) {_q(model._meta.db_table)}")
        c.execute("ANALYZE")
    return HasilTumbuh(jumlah, Keluarga.objects.count(), jumlah - ada, time.perf_counter() - mulai)


# --- the social data the dashboard reads (bench/dashboard_bench.py) --------------------------------
#
# Proportional to the registry and made set-based, in one INSERT ... SELECT per table from the rows
# already there (generate_series for the months), so 1,000,000 persons take seconds, not minutes.
# Each statement covers only persons/households above the highest one already covered, so a rerun
# after the registry grew adds the missing share and a rerun on the same registry adds nothing.
# No history rows: the dashboard never reads them (the registry part above writes them).

ALASAN_BENCH = "bench"
# Shares (by id modulo, deterministic): the demo's own proportions, rounded.
PPKS_SETIAP = 20  # every 20th living person is PPKS (5 %; the demo has 7 %)
KASUS_SETIAP = 80  # a case per 80 persons (1.25 %, as the demo's 60 for 5,000)
MISKIN_SETIAP = 37  # every 37th household on the extreme-poor list (2.7 %, as the demo's 41 of 1,500)
BANTUAN_SETIAP = 20  # every 20th household receives a programme each month (5 %), over 12 months
PENGADUAN_SETIAP = 1000  # a complaint per 1,000 persons
BULAN_BANTUAN = 12
# Kelurahan without an active PSM (coverage tile), by position in kode order.
TANPA_PSM = (5, 17, 33)
PROGRAM_BENCH = (  # kode, nama, bentuk, nilai
    ("PKH", "Program Keluarga Harapan", "nontunai", 750_000),
    ("BPNT", "Bantuan Pangan Non Tunai (Sembako)", "nontunai", 200_000),
    ("PBI-JK", "PBI Jaminan Kesehatan", "jasa", 42_000),
    ("BLT-KOTA", "BLT APBD Kota Payakumbuh", "tunai", 300_000),
)


@dataclass
class HasilSosial:
    baris: dict[str, int]  # rows per table after the run
    detik: float


def _sisipkan(model: type[models.Model], pilih: dict[str, str], dari: str, params: Sequence[object] = ()) -> int:
    """INSERT INTO <model> (<columns>) SELECT <expressions> <dari>: the given columns from SQL
    expressions, every other column its model default (cast to its type), as ``_kolom`` does for COPY."""
    medan = {f.attname: f for f in model._meta.concrete_fields}
    hilang = [nama for nama in pilih if nama not in medan]
    if hilang:
        raise RuntimeError(f"{model.__name__} has no field(s) {hilang}: update bench/tumbuh_registri.py")
    kolom, ekspresi, nilai = [], [], []
    for nama, sql in pilih.items():
        kolom.append(_q(medan[nama].column))
        ekspresi.append(sql)
    for f in model._meta.concrete_fields:
        if f.attname in pilih or f.primary_key or f.db_default is not models.NOT_PROVIDED:
            continue
        if not f.null and not f.has_default() and f.is_relation:
            raise RuntimeError(f"{model.__name__}.{f.name} is a required relation: the generator must fill it")
        kolom.append(_q(f.column))
        ekspresi.append(f"%s::{f.db_type(connection)}")
        nilai.append(_nilai_db(f, f.get_default()))
    # ``params`` fill the placeholders of the expressions, then those of ``dari``; the defaults sit between.
    n_pilih = sum(sql.count("%s") for sql in pilih.values())
    sql = f"INSERT INTO {_q(model._meta.db_table)} ({', '.join(kolom)}) SELECT {', '.join(ekspresi)} {dari}"
    sql = re.sub(r"%(?!s)", "%%", sql)  # the modulo operator, not a placeholder
    with connection.cursor() as c:
        c.execute(sql, [*params[:n_pilih], *nilai, *params[n_pilih:]])
        return c.rowcount


def _pengguna_bench() -> tuple[int, dict[int, int]]:
    """The staff user who records everything, and one active PSM per kelurahan (three without)."""
    from akun.models import User
    from akun.roles import Peran

    staf, _ = User.objects.get_or_create(username="staf", defaults={"peran": Peran.STAF, "is_staff": True})
    psm: dict[int, int] = {}
    for i, kel in enumerate(Kelurahan.objects.order_by("kode")):
        user, dibuat = User.objects.get_or_create(username=f"psm.{kel.slug}", defaults={"peran": Peran.PSM})
        if dibuat or not user.kelurahan.exists():
            user.kelurahan.set([kel])
        aktif = i not in TANPA_PSM
        if user.is_active != aktif:
            user.is_active = aktif
            user.save(update_fields=["is_active"])
        psm[kel.pk] = user.pk
    return staf.pk, psm


def _psm_sql(psm: dict[int, int]) -> str:
    """A VALUES table (kelurahan_id, user_id) to join on."""
    return "(VALUES " + ", ".join(f"({k}, {u})" for k, u in psm.items()) + ") AS psm(kelurahan_id, user_id)"


TABEL_SOSIAL = ("bantuan.Bendera", "bantuan.Konfirmasi", "bantuan.Penyaluran", "pengaduan.Pengaduan",
                "kemiskinan.StatusMiskinEkstrem", "ppks.Kasus", "ppks.PPKS")  # fmt: skip


def kosongkan_sosial() -> None:
    """TRUNCATE what ``tumbuh_sosial`` fills (with what refers to it), for ``--reset``."""
    from django.apps import apps

    tabel = ", ".join(_q(apps.get_model(nama)._meta.db_table) for nama in TABEL_SOSIAL)
    with connection.cursor() as c:
        c.execute(f"TRUNCATE {tabel} RESTART IDENTITY CASCADE")


def tumbuh_sosial(*, tulis: Callable[[str], None] = print) -> HasilSosial:
    """PPKS, cases, extreme-poor stays (and the active target), programmes, distributions with
    receipts and flags, and complaints, proportional to the registry (PostgreSQL)."""
    from bantuan.models import Bendera, Konfirmasi, Penyaluran, Program
    from kemiskinan.models import StatusMiskinEkstrem, Target
    from pengaduan.models import Pengaduan
    from ppks.models import PPKS, JenisPPKS, Kasus

    mulai = time.perf_counter()
    staf, psm = _pengguna_bench()
    t_pdd, t_kk = _q(Penduduk._meta.db_table), _q(Keluarga._meta.db_table)
    jenis = list(JenisPPKS.objects.order_by("nomor").values_list("pk", flat=True))
    hari_ini = timezone.localdate()
    sekarang = timezone.now()
    tabel_psm = _psm_sql(psm)

    def maks(model, kolom: str) -> int:
        return satu(f"SELECT coalesce(max({_q(kolom)}), 0) FROM {_q(model._meta.db_table)}")  # noqa: S608

    with transaction.atomic():
        # PPKS: a jenis by id, mostly active; 5 % no longer PPKS (dated, with a reason).
        n = _sisipkan(
            PPKS,
            {
                "penduduk_id": "p.id",
                "jenis_id": f"(ARRAY{jenis})[1 + (p.id / {PPKS_SETIAP}) % {len(jenis)}]",
                "status": "CASE WHEN p.id % 100 < 5 THEN 'bukan_ppks' WHEN p.id % 100 < 20 THEN 'dalam_penanganan' "
                "WHEN p.id % 100 < 30 THEN 'tertangani' ELSE 'aktif' END",
                "tanggal_selesai": "CASE WHEN p.id % 100 < 5 THEN %s::date - (p.id % 300)::int END",
                "alasan_selesai": "CASE WHEN p.id % 100 < 5 THEN 'Sudah mandiri' ELSE '' END",
                "kebutuhan": "'[\"pangan\"]'::jsonb",
                "sumber": "'psm'",
                "psm_pendamping_id": "psm.user_id",
                "terakhir_dikunjungi": "CASE WHEN p.id % 7 = 0 THEN NULL ELSE %s::date - (p.id % 200)::int END",
                "terdata_pada": "%s::date - (300 + p.id % 700)::int",
                "catatan": f"'{ALASAN_BENCH}'",
                "dibuat_pada": "%s::timestamptz",
                "diubah_pada": "%s::timestamptz",
            },
            f"FROM {t_pdd} p LEFT JOIN {tabel_psm} ON psm.kelurahan_id = p.kelurahan_id "  # noqa: S608
            f"WHERE p.id % {PPKS_SETIAP} = 0 AND p.status = 'hidup' AND p.id > %s",
            [hari_ini, hari_ini, hari_ini, sekarang, sekarang, maks(PPKS, "penduduk_id")],
        )
        tulis(f"  ppks: +{n:,}")
        # Cases over the last 400 days: 40 % still open, some of those overdue; the rest closed.
        n = _sisipkan(
            Kasus,
            {
                "nomor": "'BN-' || lpad(p.id::text, 12, '0')",
                "ringkasan": "'Kasus bench ' || p.id",
                "sumber": "(ARRAY['psm','warga','medsos','instansi'])[1 + p.id % 4]",
                "urgensi": "u.urgensi",
                "penduduk_id": "p.id",
                "kelurahan_id": "p.kelurahan_id",
                "jenis_id": f"(ARRAY{jenis})[1 + p.id % {len(jenis)}]",
                "psm_id": "psm.user_id",
                "status": "CASE WHEN p.id % 10 < 2 THEN 'baru' WHEN p.id % 10 < 3 THEN 'ditangani' "
                "WHEN p.id % 10 < 4 THEN 'dirujuk' WHEN p.id % 10 < 8 THEN 'selesai' ELSE 'ditutup' END",
                "batas_respons": "t.dibuat + u.jam * interval '1 hour'",
                "direspons_pada": "CASE WHEN p.id % 10 < 2 THEN NULL "
                "ELSE t.dibuat + (u.jam * (0.2 + (p.id % 13) / 10.0)) * interval '1 hour' END",
                "selesai_pada": "CASE WHEN p.id % 10 >= 4 THEN t.dibuat + interval '9 days' END",
                "alasan_tutup": "CASE WHEN p.id % 10 >= 8 THEN 'Tidak dapat ditemukan' ELSE '' END",
                "dibuat_oleh_id": str(staf),
                "dibuat_pada": "t.dibuat",
                "diubah_pada": "t.dibuat",
            },
            f"FROM {t_pdd} p LEFT JOIN {tabel_psm} ON psm.kelurahan_id = p.kelurahan_id "  # noqa: S608
            "CROSS JOIN LATERAL (SELECT CASE p.id % 5 WHEN 0 THEN 'darurat' WHEN 1 THEN 'tinggi' ELSE 'biasa' END "
            "AS urgensi) u0 "
            "CROSS JOIN LATERAL (SELECT u0.urgensi, CASE u0.urgensi WHEN 'darurat' THEN 24 WHEN 'tinggi' THEN 72 "
            "ELSE 168 END AS jam) u "
            "CROSS JOIN LATERAL (SELECT least(%s::timestamptz - (p.id % 400) * interval '1 day' "
            "- (p.id % 24) * interval '1 hour', %s::timestamptz) AS dibuat) t "
            f"WHERE p.id % {KASUS_SETIAP} = 1 AND p.id > %s",
            [sekarang, sekarang, maks(Kasus, "penduduk_id")],
        )
        tulis(f"  kasus: +{n:,}")
        # Extreme-poor stays: most from the baseline, some entered since; 60 % have left (graduasi).
        target = Target.objects.aktif()
        if target is None:
            target = Target.objects.create(
                nama="Nol kemiskinan ekstrem (bench)",
                tanggal_baseline=date(2023, 6, 16),
                kk_baseline=0,
                jiwa_baseline=0,
                tanggal_target=date(2024, 12, 31),
            )
        baseline = target.tanggal_baseline
        hari = (hari_ini - baseline).days
        n = _sisipkan(
            StatusMiskinEkstrem,
            {
                "keluarga_id": "k.id",
                "sumber": "'p3ke'",
                "tanggal_masuk": f"CASE WHEN k.id % 10 < 8 THEN %s::date ELSE %s::date + (k.id % {hari})::int END",
                "desil": "1",
                "jiwa_masuk": "1 + k.id % 6",
                "dicatat_oleh_id": str(staf),
                "tanggal_keluar": f"CASE WHEN k.id % 10 < 6 THEN %s::date + (1 + k.id % {hari})::int END",
                "alasan_keluar": "CASE WHEN k.id % 10 < 6 THEN 'graduasi' ELSE '' END",
                "pengeluaran_keluar": "CASE WHEN k.id % 10 < 6 THEN 450000 END",
                "catatan": f"'{ALASAN_BENCH}'",
                "dibuat_pada": "%s::timestamptz",
                "diubah_pada": "%s::timestamptz",
            },
            f"FROM {t_kk} k WHERE k.id % {MISKIN_SETIAP} = 0 AND k.id > %s",  # noqa: S608
            [baseline, baseline, baseline, sekarang, sekarang, maks(StatusMiskinEkstrem, "keluarga_id")],
        )
        tulis(f"  miskin ekstrem: +{n:,}")
        if n and target.kk_baseline == 0:  # the reported baseline: what the records hold on that day
            stok = StatusMiskinEkstrem.objects.terbuka_pada(baseline)
            target.kk_baseline = stok.count()
            target.jiwa_baseline = stok.aggregate(j=models.Sum("jiwa_masuk"))["j"] or 0
            target.save(update_fields=["kk_baseline", "jiwa_baseline"])
        program = []
        for kode, nama, bentuk, nilai in PROGRAM_BENCH:
            p, _ = Program.objects.get_or_create(
                kode=kode,
                defaults={"nama": nama, "sumber_dana": "apbn", "bentuk": bentuk, "nilai_standar": nilai,
                          "periode": "bulanan"},
            )  # fmt: skip
            program.append((p.pk, nilai))
        # Distributions: a programme per household (by id), every month of the last twelve; paid on a
        # day of the month (not in the future: this month's later ones are still planned).
        awal = date(hari_ini.year, hari_ini.month, 1)
        n = _sisipkan(
            Penyaluran,
            {
                "program_id": f"(ARRAY{[p for p, _ in program]})[1 + (k.id / {BANTUAN_SETIAP}) % {len(program)}]",
                "keluarga_id": "k.id",
                "kelurahan_id": "k.kelurahan_id",
                "periode": "b.periode",
                "nilai": f"(ARRAY{[v for _, v in program]})[1 + (k.id / {BANTUAN_SETIAP}) % {len(program)}]",
                "tanggal": "CASE WHEN b.tgl <= %s THEN b.tgl END",
                "saluran": "'bank'",
                "pendamping_id": "psm.user_id",
                "status": f"CASE WHEN b.tgl > %s THEN 'direncanakan' WHEN (k.id / {BANTUAN_SETIAP} + b.i) % 20 = 0 "
                f"THEN 'gagal' WHEN (k.id / {BANTUAN_SETIAP} + b.i) % 20 < 8 THEN 'disalurkan' ELSE 'dikonfirmasi' END",
                "alasan_gagal": f"CASE WHEN b.tgl <= %s AND (k.id / {BANTUAN_SETIAP} + b.i) % 20 = 0 "
                "THEN 'Rekening tidak aktif' "
                "ELSE '' END",
                "keterangan": f"'{ALASAN_BENCH}'",
                "dibuat_oleh_id": str(staf),
                "dibuat_pada": "%s::timestamptz",
                "diubah_pada": "%s::timestamptz",
            },
            f"FROM {t_kk} k LEFT JOIN {tabel_psm} ON psm.kelurahan_id = k.kelurahan_id "  # noqa: S608
            f"CROSS JOIN LATERAL (SELECT i, (%s::date - i * interval '1 month')::date AS periode, "
            f"((%s::date - i * interval '1 month')::date + (k.id % 25)::int) AS tgl "
            f"FROM generate_series(0, {BULAN_BANTUAN - 1}) AS i) b "
            f"WHERE k.id % {BANTUAN_SETIAP} = 0 AND k.id > %s",
            [hari_ini, hari_ini, hari_ini, sekarang, sekarang, awal, awal,
             satu(f"SELECT coalesce(max(keluarga_id), 0) FROM {_q(Penyaluran._meta.db_table)}")],  # noqa: S608
        )  # fmt: skip
        tulis(f"  penyaluran: +{n:,}")
        t_salur = _q(Penyaluran._meta.db_table)
        n = _sisipkan(
            Konfirmasi,
            {
                "penyaluran_id": "s.id",
                # one in 50 reached the family short: the integrity flag below
                "nilai_diterima": "CASE WHEN s.id % 50 = 0 THEN s.nilai * 4 / 5 ELSE s.nilai END",
                "tanggal_terima": "least(s.tanggal + 3, %s::date)",
                "nama_pengonfirmasi": "'Kepala keluarga'",
                "dicatat_oleh_id": str(staf),
                "dicatat_pada": "%s::timestamptz",
            },
            f"FROM {t_salur} s WHERE s.status = 'dikonfirmasi' AND s.id > %s",  # noqa: S608
            [hari_ini, sekarang, maks(Konfirmasi, "penyaluran_id")],
        )
        tulis(f"  konfirmasi: +{n:,}")
        n = _sisipkan(
            Bendera,
            {
                "jenis": "'kurang_terima'",
                "kunci": "'bench-kurang-' || s.id",
                "alasan": "'Diterima kurang dari yang disalurkan'",
                "penyaluran_id": "s.id",
                "pendamping_id": "s.pendamping_id",
                "kelurahan_id": "s.kelurahan_id",
                "dibuat_pada": "%s::timestamptz",
                "diselesaikan_pada": "CASE WHEN s.id % 3 = 0 THEN %s::timestamptz END",
                "diselesaikan_oleh_id": f"CASE WHEN s.id % 3 = 0 THEN {staf} END",
                "catatan_penyelesaian": "CASE WHEN s.id % 3 = 0 THEN 'Sudah diklarifikasi' ELSE '' END",
            },
            f"FROM {t_salur} s WHERE s.status = 'dikonfirmasi' AND s.id % 50 = 0 AND s.id > %s",  # noqa: S608
            [sekarang, sekarang, satu(f"SELECT coalesce(max(penyaluran_id), 0) FROM {_q(Bendera._meta.db_table)}")],  # noqa: S608
        )
        tulis(f"  bendera: +{n:,}")
        kode_terakhir = satu(
            f"SELECT coalesce(max(substr(kode_lacak, 3)::bigint), 0) FROM {_q(Pengaduan._meta.db_table)} "  # noqa: S608
            "WHERE kode_lacak ~ '^BN[0-9]{12}$'"
        )
        n = _sisipkan(
            Pengaduan,
            {
                "kode_lacak": "'BN' || lpad(p.id::text, 12, '0')",
                "kategori": "(ARRAY['pungli','salah_sasaran','butuh_bantuan','layanan'])[1 + p.id % 4]",
                "isi": "'Pengaduan bench'",
                "kelurahan_id": "p.kelurahan_id",
                "status": "CASE WHEN p.id % 10 < 3 THEN 'baru' WHEN p.id % 10 < 5 THEN 'ditelaah' "
                "WHEN p.id % 10 < 9 THEN 'selesai' ELSE 'ditolak' END",
                "batas_waktu": "t.diterima + interval '14 days'",
                "resolusi": "CASE WHEN p.id % 10 >= 5 THEN 'Ditindaklanjuti' ELSE '' END",
                "diterima_pada": "t.diterima",
                "ditutup_pada": "CASE WHEN p.id % 10 >= 5 THEN t.diterima + interval '10 days' END",
                "ditutup_oleh_id": f"CASE WHEN p.id % 10 >= 5 THEN {staf} END",
                "diubah_pada": "t.diterima",
            },
            f"FROM {t_pdd} p CROSS JOIN LATERAL (SELECT %s::timestamptz - (p.id % 400) * interval '1 day' "  # noqa: S608
            f"AS diterima) t WHERE p.id % {PENGADUAN_SETIAP} = 7 AND p.id > %s",
            [sekarang, kode_terakhir],
        )
        tulis(f"  pengaduan: +{n:,}")
    tabel = (PPKS, Kasus, StatusMiskinEkstrem, Penyaluran, Konfirmasi, Bendera, Pengaduan)
    with connection.cursor() as c:
        for model in tabel:
            c.execute(f"VACUUM (ANALYZE) {_q(model._meta.db_table)}")
    baris = {m._meta.model_name: m.objects.count() for m in tabel}
    return HasilSosial(baris, time.perf_counter() - mulai)
