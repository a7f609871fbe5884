"""Demo data for ``manage.py seed_demo``: accounts and a realistic registry of Kota Payakumbuh.

The command is thin; everything it writes is made here.

How it is organised
-------------------
``jalankan`` runs, in one transaction:

1. ``pastikan_pengguna``: the demo accounts (``admin``, ``staf``, ``pimpinan`` and one PSM per
   kelurahan, ``psm.<slug>``). Always runs; idempotent (get or create, then correct role, flags,
   kelurahan and password).
2. The data steps of ``semua_langkah()`` (this module's ``LANGKAH``, then each later app's), in
   order. Each ``Langkah`` has a name, a title, a
   ``sudah_ada()`` check and a ``buat(konteks)`` function that returns counts for the report.
   A step whose data is already there is skipped and reported as such.

When the data steps run (``status_registri``; demo rows carry the history change reason
``ALASAN_RIWAYAT``, which is how demo data is recognised):

* empty registry: every step runs;
* registry holding this demo data: with ``--if-empty`` no step runs; without it, each step runs
  unless its own data is there (so a step added later fills in an older demo database);
* registry holding other data: never mixed with demo data. ``--if-empty`` skips every step;
  without it the command refuses (``RegistriBukanDemo``) before writing anything.

The same seed on the same day gives the same data (ages are counted back from today, so that
toddlers and elderly stay toddlers and elderly in the demo).

Adding a step (PPKS, kasus, kunjungan, ...) in a later issue
-----------------------------------------------------------
* Write ``buat_<bagian>(konteks: Konteks) -> dict[str, int]``. Read what it builds on (people,
  households, PSM users) **from the database**, not from an earlier step's memory, so the step
  also works on a database seeded before the step existed.
* Draw randomness only from ``konteks.rng("<bagian>")``: every step has its own generator
  derived from the seed, so adding a step never changes what the earlier steps produce.
* Write with ``bulk_create_with_history(..., default_change_reason=ALASAN_RIWAYAT)`` (or
  ``_simpan``) for models with ``HistoricalRecords``: bulk writes must not leave a hole in the
  audit trail.
* In the app's own ``demo.py`` (``ppks/demo.py`` is the example), list
  ``Langkah("<bagian>", "<judul>", <sudah_ada>, buat_<bagian>)`` in its ``LANGKAH``, and add that
  list to ``semua_langkah()`` after the apps it depends on.

Realism rules of the registry step (DOMAIN.md, "NIK and Nomor KK"): NIK = kecamatan code of
first registration (mostly the household's kecamatan, some from another Payakumbuh kecamatan or
elsewhere in West Sumatra) + birth date (DD + 40 for women) + a serial unique per prefix;
No KK = kecamatan of the household + issue date (after the head's 17th birthday and after the
youngest member's birth) + serial. Nobody is older than ``UMUR_MAKS`` so the two-digit year of
a NIK is never ambiguous.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from akun.models import User
from akun.roles import Peran
from penduduk.choices import Disabilitas, Hubungan, JenisKelamin, Pendidikan, StatusPenduduk
from penduduk.models import Keluarga, Penduduk
from penduduk.names import normalisasi_nama
from penduduk.nik import susun_nik, susun_no_kk
from wilayah.models import Kelurahan

SEED_BAWAAN = 2026
KATA_SANDI_BAWAAN = "demo12345"
JUMLAH_KELUARGA_BAWAAN = 1500
ALASAN_RIWAYAT = "Data demo (seed_demo)"
UKURAN_BATCH = 500
# Oldest age generated: a NIK holds a two-digit year, and 20YY must be in the future for 19YY.
UMUR_MAKS = 94

L = JenisKelamin.LAKI_LAKI.value
P = JenisKelamin.PEREMPUAN.value

# --------------------------------------------------------------------------------------------
# Name lists
# --------------------------------------------------------------------------------------------

# Given names by generation: born before 1970, 1970-1994, from 1995.
PRIA_TUA = (
    "Bujang", "Syamsul", "Zulkifli", "Syahrial", "Amri", "Darmawan", "Jasman", "Nasrul", "Kamaruddin",
    "Yulizar", "Asril", "Basri", "Marzuki", "Rusli", "Ismail", "Jamaris", "Nurdin", "Zainal", "Usman",
    "Hasan", "Anwar", "Mukhtar", "Bahar", "Effendi", "Yusrizal", "Syafri", "Erizal", "Afrizal", "Alfian",
    "Khairul", "Rasyid", "Jufri", "Arifin", "Dahlan", "Zulhendri", "Syamsuddin", "Masrul", "Azwar",
)  # fmt: skip
PRIA_TENGAH = (
    "Hendra", "Fauzi", "Arif", "Yusuf", "Rizal", "Dedi", "Jon", "Yon", "Riko", "Andika", "Fadli", "Heru",
    "Wendi", "Roni", "Doni", "Ferdian", "Irwan", "Budi", "Zulfahmi", "Afdal", "Yudi", "Rahmat", "Ikhsan",
    "Fitra", "Edo", "Rio", "Syafrizal", "Nofrizal", "Gusman", "Deki", "Taufik", "Hafizul", "Rendi",
)  # fmt: skip
PRIA_MUDA = (
    "Rizki", "Fajar", "Raffi", "Alif", "Aditya", "Fikri", "Farhan", "Rafa", "Hafiz", "Nabil", "Zaki", "Azka",
    "Habibi", "Arkan", "Dafa", "Ilham", "Rehan", "Bima", "Fathan", "Alvaro", "Gibran", "Kenzo", "Abdillah",
)  # fmt: skip
PEREMPUAN_TUA = (
    "Siti", "Rahmah", "Yusnimar", "Nurhayati", "Rosmaniar", "Upik", "Jusni", "Nurlela", "Asnimar",
    "Yulinar", "Syamsiar", "Rosna", "Zuraida", "Nurbaiti", "Murni", "Mariana", "Darni", "Ernawati",
    "Yasni", "Lismar", "Ramaini", "Nurmaini", "Yuliarni", "Gusniar", "Hamidah", "Salmah", "Nurani",
)  # fmt: skip
PEREMPUAN_TENGAH = (
    "Erni", "Desi", "Fitri", "Yelni", "Yenni", "Rina", "Vivi", "Yuli", "Elvi", "Santi", "Mira", "Rini",
    "Susi", "Sri", "Wita", "Eliza", "Novi", "Dewi", "Rika", "Suci", "Yusra", "Mega", "Welni", "Afni",
    "Reni", "Weni", "Fera", "Lusi", "Yolanda", "Rahmi", "Elfi",
)  # fmt: skip
PEREMPUAN_MUDA = (
    "Aisyah", "Nabila", "Zahra", "Salsabila", "Putri", "Aulia", "Annisa", "Rahma", "Keisya", "Nayla",
    "Azizah", "Khanza", "Fadhilah", "Shofia", "Humaira", "Syifa", "Alya", "Naura", "Zaskia", "Kirana",
)  # fmt: skip
# Second names. Minang families carry no surname (the suku comes from the mother and is not
# part of the name); men of the older generation often use their gelar (Sutan, Rajo, Datuak).
GELAR = (
    "Sutan Mangkuto", "Sutan Marajo", "Sutan Pamenan", "Sutan Kayo", "Rajo Bujang", "Rajo Mudo", "Malin Kayo",
    "Malin Sati", "Bagindo Sati", "Datuak Rajo Lelo", "Datuak Bandaro", "Datuak Paduko Rajo", "Sutan Rangkayo",
)  # fmt: skip
PRIA_BELAKANG = (
    "Putra", "Saputra", "Syahputra", "Effendi", "Hidayat", "Rahman", "Irawan", "Syafrizal", "Gusman",
    "Wardi", "Nofrizal", "Yusra", "Eka Putra", "Fernando", "Afrianto", "Ardi", "Mardianto", "Sastra",
)  # fmt: skip
PEREMPUAN_BELAKANG = (
    "Yeni", "Wati", "Erita", "Nengsih", "Hayati", "Rosna", "Murni", "Yanti", "Susanti", "Marlina",
    "Novita", "Rahmi", "Elida", "Yusneli", "Yarni", "Fitriani", "Agustina", "Sari",
)  # fmt: skip
PRIA_MUDA_BELAKANG = ("Pratama", "Ramadhan", "Alfarizi", "Al Fatih", "Maulana", "Akbar", "Putra", "Hidayatullah")
PEREMPUAN_MUDA_BELAKANG = ("Putri", "Aulia", "Ramadhani", "Azzahra", "Safitri", "Oktaviani", "Maharani", "Rahmadani")

# Addresses. Streets of the city and jorong/kampuang names of the older settlements.
JALAN = (
    "Jl. Soekarno Hatta", "Jl. Sudirman", "Jl. Ahmad Yani", "Jl. Tan Malaka", "Jl. Sutan Usman", "Jl. Imam Bonjol",
    "Jl. Diponegoro", "Jl. Veteran", "Jl. Rasuna Said", "Jl. Gatot Subroto", "Jl. Prof. M. Yamin",
    "Jl. Khatib Sulaiman", "Jl. Pahlawan", "Jl. Ade Irma Suryani", "Jl. Sultan Syahrir", "Jl. Bundo Kanduang",
    "Jl. Pacuan Kuda", "Jl. Ngalau", "Jl. Lingkar Utara", "Jl. H. Agus Salim", "Jl. Ahmad Dahlan",
    "Jl. Kapten Tantawi", "Jl. Datuak Perpatiah Nan Sabatang", "Jl. Cindua Mato",
)  # fmt: skip
JORONG = (
    "Jorong Koto Tuo", "Jorong Koto Kaciak", "Jorong Padang Laweh", "Jorong Sawah Laweh", "Jorong Balai Baru",
    "Jorong Tabek Panjang", "Jorong Ladang Laweh", "Jorong Bukik Sibaluik", "Jorong Aia Tabik",
    "Kampuang Baru", "Kampuang Tangah", "Kampuang Dalam", "Kampuang Subarang", "Kampuang Pisang",
)  # fmt: skip
LOKASI_GELANDANGAN = (
    "Sekitar Pasar Ibuah", "Emperan pertokoan Jl. Sudirman", "Sekitar Terminal Koto Nan Ampek",
    "Bawah jembatan Batang Agam", "Sekitar Masjid Raya Payakumbuh", "Sekitar Pasar Payakumbuh",
)  # fmt: skip
NAMA_GELANDANGAN = {
    L: ("Buyuang", "Ujang", "Bujang", "Acin", "Nurdin", "Pak Dayat", "Tanpa Nama"),
    P: ("Upiak", "Mak Itam", "Ani", "Mak Ijah", "Tanpa Nama"),
}

PREFIKS_TELEPON = (
    "0811", "0812", "0813", "0821", "0822", "0823", "0852", "0853", "0815", "0816", "0856", "0857",
    "0858", "0817", "0818", "0819", "0859", "0877", "0878", "0895", "0896", "0897", "0898", "0831",
)  # fmt: skip

# NIK prefixes (6-digit kecamatan code of first registration) outside Payakumbuh, West Sumatra,
# with a matching place of birth.
KODE_LUAR = (
    ("137101", "Padang"),
    ("137501", "Bukittinggi"),
    ("130701", "Lima Puluh Kota"),
    ("130401", "Tanah Datar"),
    ("130601", "Agam"),
    ("137401", "Padang Panjang"),
    ("137201", "Solok"),
)
TEMPAT_LAHIR_LAIN = ("Lima Puluh Kota", "Bukittinggi", "Padang", "Pekanbaru", "Jakarta", "Batusangkar")

# Dukcapil job names (as they appear on KTP and in DTKS exports).
BELUM_BEKERJA = "Belum/Tidak Bekerja"
PELAJAR = "Pelajar/Mahasiswa"
URT = "Mengurus Rumah Tangga"
PNS = "Pegawai Negeri Sipil (PNS)"
PEKERJAAN_FORMAL = frozenset({PNS, "Guru", "Perawat", "Bidan", "Kepolisian RI (POLRI)", "Tentara Nasional Indonesia"})
PEKERJAAN_PRIA = (
    ("Petani/Pekebun", 16), ("Pedagang", 16), ("Wiraswasta", 16), ("Buruh Harian Lepas", 14),
    ("Karyawan Swasta", 9), ("Sopir", 6), ("Tukang Batu", 4), ("Tukang Kayu", 3), ("Peternak", 2),
    ("Montir", 2), (BELUM_BEKERJA, 5), (PNS, 5), ("Guru", 2), ("Kepolisian RI (POLRI)", 1),
    ("Tentara Nasional Indonesia", 1),
)  # fmt: skip
PEKERJAAN_WANITA = (
    (URT, 45), ("Pedagang", 14), ("Petani/Pekebun", 8), ("Wiraswasta", 7), ("Karyawan Swasta", 5), (PNS, 5),
    ("Guru", 5), ("Buruh Harian Lepas", 4), ("Penjahit", 3), ("Perawat", 1), ("Bidan", 1), (BELUM_BEKERJA, 3),
)  # fmt: skip
PEKERJAAN_LANSIA = {
    L: (("Petani/Pekebun", 35), ("Pedagang", 15), ("Wiraswasta", 10), (BELUM_BEKERJA, 35), ("Buruh Harian Lepas", 5)),
    P: ((URT, 55), ("Petani/Pekebun", 15), ("Pedagang", 10), (BELUM_BEKERJA, 20)),
}
PEKERJAAN_GELANDANGAN = ((BELUM_BEKERJA, 3), ("Pemulung", 2))

_PD = Pendidikan
PENDIDIKAN_DEWASA = {  # by birth year
    1960: ((_PD.TIDAK_SEKOLAH, 10), (_PD.BELUM_TAMAT_SD, 15), (_PD.SD, 40), (_PD.SLTP, 18), (_PD.SLTA, 12),
           (_PD.D1_D2, 2), (_PD.D3, 1), (_PD.D4_S1, 2)),
    1980: ((_PD.TIDAK_SEKOLAH, 3), (_PD.BELUM_TAMAT_SD, 6), (_PD.SD, 25), (_PD.SLTP, 22), (_PD.SLTA, 28),
           (_PD.D1_D2, 4), (_PD.D3, 4), (_PD.D4_S1, 8)),
    9999: ((_PD.TIDAK_SEKOLAH, 1), (_PD.BELUM_TAMAT_SD, 2), (_PD.SD, 9), (_PD.SLTP, 14), (_PD.SLTA, 45),
           (_PD.D1_D2, 4), (_PD.D3, 8), (_PD.D4_S1, 16), (_PD.S2, 1)),
}  # fmt: skip
PENDIDIKAN_TINGGI = frozenset({_PD.D3, _PD.D4_S1, _PD.S2, _PD.S3})
RAGAM_DISABILITAS = (
    (Disabilitas.FISIK, 40),
    (Disabilitas.SENSORIK, 25),
    (Disabilitas.INTELEKTUAL, 15),
    (Disabilitas.MENTAL, 12),
    (Disabilitas.GANDA, 8),
)

# Age bands of the head of a couple household.
UMUR_KEPALA = (((23, 29), 12), ((30, 39), 26), ((40, 49), 26), ((50, 59), 20), ((60, 69), 11), ((70, 82), 5))
# Household types and their weights (what a KK in Payakumbuh typically looks like).
TIPE_KELUARGA = (
    ("pasangan", 62),  # husband (head), wife, children
    ("pasangan_ortu", 9),  # ... with the head's parent or a parent-in-law
    ("pasangan_cucu", 7),  # older couple with grandchildren (their parents merantau)
    ("janda", 11),  # woman head, children, sometimes grandchildren
    ("duda", 3),
    ("lansia", 4),  # elderly living alone, sometimes with a grandchild
    ("lajang", 3),  # young single head, sometimes with a relative
    ("istri_kepala", 1),  # woman head with husband (suami)
)


# --------------------------------------------------------------------------------------------
# Context, steps and the runner
# --------------------------------------------------------------------------------------------


@dataclass
class Konteks:
    """What every step gets: the seed, the size and the reference date."""

    seed: int = SEED_BAWAAN
    jumlah_keluarga: int = JUMLAH_KELUARGA_BAWAAN
    hari_ini: date = field(default_factory=timezone.localdate)

    def rng(self, bagian: str) -> random.Random:
        """A generator of its own per step, so steps do not shift each other's output."""
        return random.Random(f"{self.seed}:{bagian}")


@dataclass(frozen=True)
class Langkah:
    nama: str
    judul: str
    sudah_ada: Callable[[], bool]
    buat: Callable[[Konteks], dict[str, int]]


@dataclass(frozen=True)
class AkunDemo:
    user: User
    kelurahan: Kelurahan | None  # the PSM's kelurahan; None for the city-wide roles


@dataclass
class Laporan:
    akun: list[AkunDemo]
    baris: list[str]
    detik: float


KOSONG, DEMO, LAIN = "kosong", "demo", "lain"


class DemoTidakDibuat(Exception):
    """The demo data cannot be made; the message says why (shown to the user as is)."""


class RegistriBukanDemo(DemoTidakDibuat):
    """The registry holds data that is not demo data: demo data is not mixed in."""


def status_registri() -> str:
    """``KOSONG`` (no households or people), ``DEMO`` (holds this demo data) or ``LAIN``."""
    if not Penduduk.objects.exists() and not Keluarga.objects.exists():
        return KOSONG
    if Penduduk.history.filter(history_change_reason=ALASAN_RIWAYAT).exists():
        return DEMO
    return LAIN


def jalankan(
    konteks: Konteks,
    *,
    kata_sandi: str = KATA_SANDI_BAWAAN,
    jika_kosong: bool = False,
    tulis: Callable[[str], None] = lambda teks: None,
) -> Laporan:
    """Ensure the demo users, then run the data steps that apply. One transaction."""
    mulai = time.perf_counter()
    baris: list[str] = []

    def catat(teks: str) -> None:
        baris.append(teks)
        tulis(teks)

    if not Kelurahan.objects.exists():
        raise DemoTidakDibuat("Data wilayah (kelurahan) belum dimuat; jalankan dulu: manage.py migrate")
    status = status_registri()
    if status == LAIN and not jika_kosong:
        raise RegistriBukanDemo(
            f"Registri sudah berisi {Penduduk.objects.count()} penduduk dan {Keluarga.objects.count()} keluarga "
            "yang bukan data demo; data demo hanya dibuat pada registri kosong. "
            "Pakai --if-empty untuk hanya memastikan akun demo."
        )
    with transaction.atomic():
        akun = pastikan_pengguna(kata_sandi, konteks)
        catat(f"Akun demo siap: {len(akun)} pengguna.")
        if status != KOSONG and jika_kosong:
            catat(
                f"Registri sudah berisi data ({Penduduk.objects.count()} penduduk, "
                f"{Keluarga.objects.count()} keluarga); data demo tidak dibuat (--if-empty)."
            )
        else:
            for langkah in semua_langkah():
                if langkah.sudah_ada():
                    catat(f"{langkah.judul}: data sudah ada, tidak dibuat ulang.")
                    continue
                hasil = langkah.buat(konteks)
                rincian = ", ".join(f"{jumlah} {nama}" for nama, jumlah in hasil.items())
                catat(f"{langkah.judul}: dibuat {rincian}.")
    return Laporan(akun=akun, baris=baris, detik=time.perf_counter() - mulai)


def _simpan(model, objek: list, batch_size: int = UKURAN_BATCH) -> list:
    """bulk_create with one history row per object (the audit trail has no hole)."""
    return bulk_create_with_history(
        objek, model, batch_size=batch_size, default_change_reason=ALASAN_RIWAYAT, default_date=timezone.now()
    )


# --------------------------------------------------------------------------------------------
# Step 0: users
# --------------------------------------------------------------------------------------------


def _nama_orang(rng: random.Random, jk: str) -> tuple[str, str]:
    if jk == L:
        return rng.choice(PRIA_TENGAH + PRIA_TUA), rng.choice(PRIA_BELAKANG)
    return rng.choice(PEREMPUAN_TENGAH), rng.choice(PEREMPUAN_BELAKANG)


def _hash_kata_sandi(kata_sandi: str, nama_pengguna: list[str]) -> str:
    """One hash for all demo accounts: hashing 50 passwords would take ~30 s with PBKDF2.

    A second run reuses the stored hash when it still matches, so nothing is rewritten.
    """
    tersimpan = set(User.objects.filter(username__in=nama_pengguna).values_list("password", flat=True))
    if len(tersimpan) == 1:
        (hash_lama,) = tersimpan
        if check_password(kata_sandi, hash_lama):
            return hash_lama
    return make_password(kata_sandi)


def pastikan_pengguna(kata_sandi: str, konteks: Konteks) -> list[AkunDemo]:
    """admin, staf, pimpinan and psm.<slug> for every kelurahan, with ``kata_sandi``."""
    rng = konteks.rng("pengguna")
    kelurahan = list(Kelurahan.objects.order_by("kode"))
    rencana: list[tuple[str, str, Kelurahan | None]] = [
        ("admin", Peran.ADMIN, None),
        ("staf", Peran.STAF, None),
        ("pimpinan", Peran.PIMPINAN, None),
    ] + [(f"psm.{kel.slug}", Peran.PSM, kel) for kel in kelurahan]
    hash_sandi = _hash_kata_sandi(kata_sandi, [r[0] for r in rencana])
    # A PSM account staff ended (psm.services.psm_nonaktifkan: its profile's period is over) stays
    # inactive: the demo's coverage gap must survive ``seed_demo --if-empty``.
    from psm.models import ProfilPSM

    berhenti = set(
        ProfilPSM.objects.filter(aktif_sampai__lte=konteks.hari_ini).values_list("user__username", flat=True)
    )

    hasil = []
    for username, peran, kel in rencana:
        depan, belakang = _nama_orang(rng, rng.choice((L, P)))
        seharusnya = {
            "peran": peran,
            "is_superuser": peran == Peran.ADMIN,
            "is_staff": peran in (Peran.ADMIN, Peran.STAF),
            "is_active": username not in berhenti,
            "password": hash_sandi,
        }
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                **seharusnya,
                "first_name": depan,
                "last_name": belakang,
                "telepon": _telepon(rng) if kel else "",
            },
        )
        berubah = {k: v for k, v in seharusnya.items() if getattr(user, k) != v}
        if berubah:
            for nama_field, nilai in berubah.items():
                setattr(user, nama_field, nilai)
            user._change_reason = ALASAN_RIWAYAT
            user.save(update_fields=list(berubah))
        if kel is not None and user.kelurahan_ids() != [kel.pk]:
            user.kelurahan.set([kel])
        hasil.append(AkunDemo(user=user, kelurahan=kel))
    return hasil


def tabel_login(akun: list[AkunDemo], kata_sandi: str) -> str:
    """The logins as a small table in Bahasa Indonesia."""
    lebar = max(len("Nama pengguna"), *(len(a.user.username) for a in akun))
    baris = [
        f"Akun demo (kata sandi semua akun: {kata_sandi})",
        f"  {'Nama pengguna':<{lebar}}  {'Peran':<12}  Kelurahan",
        f"  {'-' * lebar}  {'-' * 12}  {'-' * 28}",
    ]
    for a in akun:
        wilayah = a.kelurahan.nama if a.kelurahan else "(seluruh kota)"
        baris.append(f"  {a.user.username:<{lebar}}  {str(Peran(a.user.peran).label):<12}  {wilayah}")
    return "\n".join(baris)


# --------------------------------------------------------------------------------------------
# Step 1: the registry (households and people)
# --------------------------------------------------------------------------------------------


def _geser_tahun(tanggal: date, tahun: int) -> date:
    try:
        return tanggal.replace(year=tanggal.year + tahun)
    except ValueError:  # 29 February
        return tanggal.replace(year=tanggal.year + tahun, day=28)


def _umur(lahir: date, hari_ini: date) -> int:
    return hari_ini.year - lahir.year - ((hari_ini.month, hari_ini.day) < (lahir.month, lahir.day))


def _pilih(rng: random.Random, pilihan_berbobot):
    """One value of ``((value, weight), ...)``."""
    nilai, bobot = zip(*pilihan_berbobot, strict=True)
    return rng.choices(nilai, weights=bobot)[0]


def _telepon(rng: random.Random) -> str:
    return rng.choice(PREFIKS_TELEPON) + "".join(str(rng.randrange(10)) for _ in range(rng.choice((7, 8))))


@dataclass
class _Rumah:
    keluarga: Keluarga
    kode_kecamatan: str
    anggota: list[Penduduk] = field(default_factory=list)


class _Pembangkit:
    """Builds unsaved Keluarga and Penduduk objects; deterministic for a seed and a date."""

    def __init__(self, konteks: Konteks, kelurahan: list[Kelurahan]):
        self.rng = konteks.rng("registri")
        self.hari_ini = konteks.hari_ini
        self.kelurahan = kelurahan
        self.kode_payakumbuh = sorted({k.kecamatan.kode.replace(".", "") for k in kelurahan})
        self.urut_nik: Counter[str] = Counter()
        self.urut_kk: Counter[str] = Counter()
        self.nomor_rumah: Counter[str] = Counter()
        self.lokasi: dict[int, list[tuple[str, str]]] = {}
        self.lahir_paling_awal = _geser_tahun(self.hari_ini, -(UMUR_MAKS + 1)) + timedelta(days=1)

    # -- helpers ---------------------------------------------------------------------------

    def _tanggal_antara(self, awal: date, akhir: date) -> date:
        if akhir < awal:
            return akhir
        return date.fromordinal(self.rng.randint(awal.toordinal(), akhir.toordinal()))

    def _lahir_umur(self, umur_min: int, umur_maks: int) -> date:
        awal = _geser_tahun(self.hari_ini, -(min(umur_maks, UMUR_MAKS) + 1)) + timedelta(days=1)
        return self._tanggal_antara(awal, _geser_tahun(self.hari_ini, -umur_min))

    def _lahir_dari_orang_tua(self, lahir_ortu: date, usia_min: int, usia_maks: int) -> date | None:
        """A child's birth date when the parent was usia_min..usia_maks; None if in the future."""
        lahir = self._tanggal_antara(_geser_tahun(lahir_ortu, usia_min), _geser_tahun(lahir_ortu, usia_maks))
        return lahir if lahir <= self.hari_ini else None

    def _anak_anak(self, lahir_ortu: date, jumlah: int) -> list[date]:
        """Birth dates of up to ``jumlah`` children, the first at 19-30, spaced 1.5-5 years."""
        hasil: list[date] = []
        lahir = self._lahir_dari_orang_tua(lahir_ortu, 19, 30)
        batas = _geser_tahun(lahir_ortu, 43)
        while lahir is not None and len(hasil) < jumlah and lahir <= batas:
            hasil.append(lahir)
            lahir = lahir + timedelta(days=self.rng.randint(550, 1800))
            if lahir > self.hari_ini:
                break
        return hasil

    def _nama(self, jk: str, lahir: date | None, ayah: str | None = None) -> str:
        rng = self.rng
        tahun = lahir.year if lahir else 1975
        if tahun < 1970:
            depan = rng.choice(PRIA_TUA if jk == L else PEREMPUAN_TUA)
            if jk == L:
                gaya = rng.random()
                if gaya < 0.35:
                    return f"{depan} {rng.choice(GELAR)}"
                if gaya < 0.65:
                    return f"{depan} {rng.choice(PRIA_TUA)}"
                return depan
            return depan if rng.random() < 0.55 else f"{depan} {rng.choice(PEREMPUAN_BELAKANG)}"
        if tahun < 1995:
            depan = rng.choice(PRIA_TENGAH if jk == L else PEREMPUAN_TENGAH)
            belakang = PRIA_BELAKANG if jk == L else PEREMPUAN_BELAKANG
        else:
            depan = rng.choice(PRIA_MUDA if jk == L else PEREMPUAN_MUDA)
            belakang = PRIA_MUDA_BELAKANG if jk == L else PEREMPUAN_MUDA_BELAKANG
        gaya = rng.random()
        if ayah and gaya < 0.3:  # the father's first name as second name
            return f"{depan} {ayah}"
        if gaya < 0.8:
            kedua = rng.choice(belakang)
            return depan if kedua == depan else f"{depan} {kedua}"
        return depan

    def _kode_nik(self, kode_kecamatan: str, anak: bool) -> tuple[str, str]:
        """NIK prefix and place of birth: mostly the household's kecamatan."""
        r = self.rng.random()
        luar, lain = (0.04, 0.08) if anak else (0.10, 0.18)
        if r < luar:
            return self.rng.choice(KODE_LUAR)
        kode = self.rng.choice(self.kode_payakumbuh) if r < lain else kode_kecamatan
        tempat = "Payakumbuh" if self.rng.random() < 0.88 else self.rng.choice(TEMPAT_LAHIR_LAIN)
        return kode, tempat

    def _nik(self, kode: str, lahir: date, jk: str) -> str:
        """The next free serial for this prefix (region + birth date + sex): NIKs are unique."""
        kunci = susun_nik(kode, lahir, jk, 0)[:12]
        self.urut_nik[kunci] += 1
        return f"{kunci}{self.urut_nik[kunci]:04d}"

    def _no_kk(self, kode: str, terbit: date) -> str:
        kunci = susun_no_kk(kode, terbit, 0)[:12]
        self.urut_kk[kunci] += 1
        return f"{kunci}{self.urut_kk[kunci]:04d}"

    def _pendidikan(self, lahir: date) -> str:
        umur = _umur(lahir, self.hari_ini)
        if umur < 7:
            return Pendidikan.TIDAK_SEKOLAH
        if umur < 13:
            return Pendidikan.BELUM_TAMAT_SD
        if umur < 16:
            return Pendidikan.SD
        if umur < 19:
            return Pendidikan.SLTP
        if umur < 22:
            return Pendidikan.SLTA if self.rng.random() < 0.85 else Pendidikan.SLTP
        for tahun, sebaran in PENDIDIKAN_DEWASA.items():
            if lahir.year < tahun:
                return _pilih(self.rng, sebaran)
        raise AssertionError("unreachable")

    def _pekerjaan(self, jk: str, lahir: date, pendidikan: str) -> str:
        umur = _umur(lahir, self.hari_ini)
        if umur < 5:
            return BELUM_BEKERJA
        if umur < 19:
            return PELAJAR
        if umur < 23 and self.rng.random() < (0.6 if pendidikan == Pendidikan.SLTA else 0.2):
            return PELAJAR
        if umur >= 58:
            if pendidikan in PENDIDIKAN_TINGGI and self.rng.random() < 0.5:
                return "Pensiunan"
            return _pilih(self.rng, PEKERJAAN_LANSIA[jk])
        for _ in range(5):
            kerja = _pilih(self.rng, PEKERJAAN_PRIA if jk == L else PEKERJAAN_WANITA)
            if kerja not in PEKERJAAN_FORMAL or pendidikan in PENDIDIKAN_TINGGI | {Pendidikan.SLTA}:
                return kerja
        return BELUM_BEKERJA

    def _alamat(self, kel: Kelurahan) -> tuple[str, str, str]:
        """Street (or jorong) with a house number, RT and RW (001-010)."""
        if kel.pk not in self.lokasi:
            jumlah_rw = self.rng.randint(3, 8)
            tempat = self.rng.sample(JALAN, 4) + self.rng.sample(JORONG, 2)
            self.lokasi[kel.pk] = [(t, f"{self.rng.randint(1, jumlah_rw):03d}") for t in tempat]
        tempat, rw = self.rng.choice(self.lokasi[kel.pk])
        rt = f"{self.rng.randint(1, 10):03d}"
        if tempat.startswith("Jl."):
            kunci = f"{kel.pk}:{tempat}"
            self.nomor_rumah[kunci] += self.rng.randint(1, 6)
            return f"{tempat} No. {self.nomor_rumah[kunci]}", rt, rw
        return tempat, rt, rw

    # -- people and households ---------------------------------------------------------------

    def _orang(self, rumah: _Rumah, hubungan: str, jk: str, lahir: date, *, ayah: str | None = None) -> Penduduk:
        rng = self.rng
        keluarga = rumah.keluarga
        anak = hubungan in (Hubungan.ANAK, Hubungan.CUCU)
        kode, tempat = self._kode_nik(rumah.kode_kecamatan, anak)
        nama = self._nama(jk, lahir, ayah)
        pendidikan = self._pendidikan(lahir)
        umur = _umur(lahir, self.hari_ini)
        peluang_telepon = 0.7 if hubungan == Hubungan.KEPALA else 0.4
        peluang_disabilitas = 0.05 if umur >= 60 else 0.015
        orang = Penduduk(
            nik=self._nik(kode, lahir, jk),
            nama=nama,
            nama_normal=normalisasi_nama(nama),
            jenis_kelamin=jk,
            tempat_lahir=tempat,
            tanggal_lahir=lahir,
            keluarga=keluarga,
            hubungan=hubungan,
            kelurahan=keluarga.kelurahan,
            alamat=keluarga.alamat,
            rt=keluarga.rt,
            rw=keluarga.rw,
            telepon=_telepon(rng) if umur >= 17 and rng.random() < peluang_telepon else "",
            pendidikan=pendidikan,
            pekerjaan=self._pekerjaan(jk, lahir, pendidikan),
            disabilitas=_pilih(rng, RAGAM_DISABILITAS) if rng.random() < peluang_disabilitas else Disabilitas.TIDAK,
        )
        rumah.anggota.append(orang)
        return orang

    def _tambah_anak(self, rumah: _Rumah, ibu_lahir: date, ayah: Penduduk | None, jumlah: int) -> None:
        for lahir in self._anak_anak(ibu_lahir, jumlah):
            umur = _umur(lahir, self.hari_ini)
            # Grown children marry or merantau; some stay on the KK.
            if umur >= 30 and self.rng.random() < 0.8 or 23 <= umur < 30 and self.rng.random() < 0.45:
                continue
            depan_ayah = ayah.nama.split()[0] if ayah else None
            self._orang(rumah, Hubungan.ANAK, self.rng.choice((L, P)), lahir, ayah=depan_ayah)

    def _tambah_cucu(self, rumah: _Rumah, lahir_kepala: date, jumlah: int) -> None:
        for _ in range(jumlah):
            lahir = self._lahir_dari_orang_tua(lahir_kepala, 42, 68)
            if lahir is not None:
                self._orang(rumah, Hubungan.CUCU, self.rng.choice((L, P)), lahir)

    def _jumlah_anak(self) -> int:
        return _pilih(self.rng, ((0, 5), (1, 12), (2, 26), (3, 27), (4, 17), (5, 8), (6, 4), (7, 1)))

    def rumah_tangga(self, kel: Kelurahan) -> _Rumah:
        rng = self.rng
        alamat, rt, rw = self._alamat(kel)
        keluarga = Keluarga(kelurahan=kel, alamat=alamat, rt=rt, rw=rw)
        rumah = _Rumah(keluarga=keluarga, kode_kecamatan=kel.kecamatan.kode.replace(".", ""))
        tipe = _pilih(rng, TIPE_KELUARGA)

        if tipe in ("pasangan", "pasangan_ortu", "pasangan_cucu", "istri_kepala"):
            if tipe == "pasangan_cucu":
                lahir_suami = self._lahir_umur(55, 80)
            elif tipe == "pasangan_ortu":
                lahir_suami = self._lahir_umur(26, 52)
            else:
                lahir_suami = self._lahir_umur(*_pilih(rng, UMUR_KEPALA))
            lahir_istri = self._tanggal_antara(
                max(_geser_tahun(lahir_suami, -2), self.lahir_paling_awal),
                min(_geser_tahun(lahir_suami, 9), _geser_tahun(self.hari_ini, -19)),
            )
            if tipe == "istri_kepala":
                istri = self._orang(rumah, Hubungan.KEPALA, P, lahir_istri)
                suami = self._orang(rumah, Hubungan.SUAMI, L, lahir_suami)
            else:
                suami = self._orang(rumah, Hubungan.KEPALA, L, lahir_suami)
                istri = self._orang(rumah, Hubungan.ISTRI, P, lahir_istri)
            if tipe == "pasangan_cucu":
                self._tambah_anak(rumah, istri.tanggal_lahir, suami, rng.choice((0, 0, 1, 2)))
                self._tambah_cucu(rumah, suami.tanggal_lahir, rng.choice((1, 1, 2, 3)))
            else:
                self._tambah_anak(rumah, istri.tanggal_lahir, suami, self._jumlah_anak())
            if tipe == "pasangan_ortu":
                hubungan, dasar = rng.choice(((Hubungan.ORANG_TUA, suami), (Hubungan.MERTUA, istri)))
                lahir_ortu = self._tanggal_antara(
                    max(_geser_tahun(dasar.tanggal_lahir, -40), self.lahir_paling_awal),
                    _geser_tahun(dasar.tanggal_lahir, -20),
                )
                self._orang(rumah, hubungan, P if rng.random() < 0.75 else L, lahir_ortu)
        elif tipe in ("janda", "duda"):
            jk = P if tipe == "janda" else L
            kepala = self._orang(rumah, Hubungan.KEPALA, jk, self._lahir_umur(30, 82))
            lahir_ibu = kepala.tanggal_lahir if jk == P else _geser_tahun(kepala.tanggal_lahir, rng.randint(0, 6))
            self._tambah_anak(rumah, lahir_ibu, kepala if jk == L else None, self._jumlah_anak())
            if _umur(kepala.tanggal_lahir, self.hari_ini) >= 55 and rng.random() < 0.3:
                self._tambah_cucu(rumah, kepala.tanggal_lahir, rng.choice((1, 2)))
        elif tipe == "lansia":
            kepala = self._orang(rumah, Hubungan.KEPALA, P if rng.random() < 0.65 else L, self._lahir_umur(65, 90))
            if rng.random() < 0.3:
                self._tambah_cucu(rumah, kepala.tanggal_lahir, 1)
        else:  # lajang
            kepala = self._orang(rumah, Hubungan.KEPALA, rng.choice((L, P)), self._lahir_umur(21, 35))
            if rng.random() < 0.25:
                self._orang(rumah, Hubungan.FAMILI_LAIN, rng.choice((L, P)), self._lahir_umur(17, 30))

        # The KK is issued where the household lives, after the head turned 17 and after the
        # youngest member was born (each birth means a new KK), within the last 20 years.
        kepala = rumah.anggota[0]
        awal = max(
            _geser_tahun(kepala.tanggal_lahir, 17) + timedelta(days=1),
            max(o.tanggal_lahir for o in rumah.anggota) + timedelta(days=7),
            _geser_tahun(self.hari_ini, -20),
        )
        terbit = self._tanggal_antara(min(awal, self.hari_ini), self.hari_ini)
        keluarga.no_kk = self._no_kk(rumah.kode_kecamatan, terbit)
        return rumah

    def gelandangan(self, kel: Kelurahan) -> Penduduk:
        """A person without NIK and without household (found on the street)."""
        rng = self.rng
        jk = L if rng.random() < 0.75 else P
        nama = rng.choice(NAMA_GELANDANGAN[jk])
        lahir = None
        if rng.random() < 0.6:  # an estimated age: 1 July of the year
            lahir = date(self.hari_ini.year - rng.randint(25, 70), 7, 1)
        return Penduduk(
            nik=None,
            nama=nama,
            nama_normal=normalisasi_nama(nama),
            jenis_kelamin=jk,
            tanggal_lahir=lahir,
            kelurahan=kel,
            alamat=rng.choice(LOKASI_GELANDANGAN),
            pekerjaan=_pilih(rng, PEKERJAAN_GELANDANGAN),
            disabilitas=_pilih(rng, RAGAM_DISABILITAS) if rng.random() < 0.1 else Disabilitas.TIDAK,
        )

    def sebaran_keluarga(self, jumlah: int) -> list[Kelurahan]:
        """One kelurahan per household: every kelurahan gets some when there are enough."""
        bobot = [k.jumlah_kk or self.rng.uniform(0.5, 1.5) for k in self.kelurahan]
        total = sum(bobot)
        dasar = 1 if jumlah >= len(self.kelurahan) else 0
        sisa = jumlah - dasar * len(self.kelurahan)
        kuota = [dasar + int(sisa * b / total) for b in bobot]
        urutan = sorted(range(len(bobot)), key=lambda i: sisa * bobot[i] / total % 1, reverse=True)
        for i in urutan[: jumlah - sum(kuota)]:
            kuota[i] += 1
        return [kel for kel, n in zip(self.kelurahan, kuota, strict=True) for _ in range(n)]

    def tandai_status(self, penduduk: list[Penduduk]) -> None:
        """About 1%: deceased (mostly elderly) or moved away (mostly young adults); never the head."""
        bukan_kepala = [o for o in penduduk if o.hubungan != Hubungan.KEPALA]
        k = max(1, round(len(penduduk) * 0.005))
        tua = [o for o in bukan_kepala if _umur(o.tanggal_lahir, self.hari_ini) >= 60] or bukan_kepala
        for o in self.rng.sample(tua, min(k, len(tua))):
            o.status = StatusPenduduk.MENINGGAL
        muda = [
            o
            for o in bukan_kepala
            if 18 <= _umur(o.tanggal_lahir, self.hari_ini) <= 40 and o.status == StatusPenduduk.HIDUP
        ]
        for o in self.rng.sample(muda, min(k, len(muda))):
            o.status = StatusPenduduk.PINDAH


def bangkitkan_registri(konteks: Konteks) -> tuple[list[Keluarga], list[Penduduk]]:
    """The unsaved households and people of the registry step (no writes)."""
    kelurahan = list(Kelurahan.objects.select_related("kecamatan").order_by("kode"))
    pembangkit = _Pembangkit(konteks, kelurahan)
    rumah = [pembangkit.rumah_tangga(kel) for kel in pembangkit.sebaran_keluarga(konteks.jumlah_keluarga)]
    penduduk = [orang for r in rumah for orang in r.anggota]
    pembangkit.tandai_status(penduduk)

    # About 20 people without NIK (gelandangan) at 1500 households, in a few central kelurahan.
    jumlah_gelandangan = max(3, round(konteks.jumlah_keluarga / 75))
    pusat = [k for k in kelurahan if k.kecamatan.kode == "13.76.01"] or kelurahan
    tempat = pembangkit.rng.sample(pusat, min(4, len(pusat)))
    penduduk += [pembangkit.gelandangan(tempat[i % len(tempat)]) for i in range(jumlah_gelandangan)]
    return [r.keluarga for r in rumah], penduduk


def registri_sudah_ada() -> bool:
    return Penduduk.objects.exists() or Keluarga.objects.exists()


def buat_registri(konteks: Konteks) -> dict[str, int]:
    keluarga, penduduk = bangkitkan_registri(konteks)
    _simpan(Keluarga, keluarga)
    for orang in penduduk:  # the households have their ids now
        if orang.keluarga is not None:
            orang.keluarga_id = orang.keluarga.pk
    _simpan(Penduduk, penduduk)
    per_status = Counter(orang.status for orang in penduduk)
    return {
        "keluarga": len(keluarga),
        "penduduk": len(penduduk),
        "tanpa NIK": sum(1 for o in penduduk if not o.nik),
        "meninggal": per_status[StatusPenduduk.MENINGGAL],
        "pindah": per_status[StatusPenduduk.PINDAH],
    }


LANGKAH: list[Langkah] = [
    Langkah("registri", "Registri penduduk dan keluarga", registri_sudah_ada, buat_registri),
]


def semua_langkah() -> list[Langkah]:
    """Every app's part of the demo, in dependency order. The later apps' modules build on this
    one (Konteks, Langkah), so they are imported here rather than at the top."""
    from bantuan.demo import LANGKAH as LANGKAH_BANTUAN
    from kemiskinan.demo import LANGKAH as LANGKAH_KEMISKINAN
    from pengaduan.demo import LANGKAH as LANGKAH_PENGADUAN
    from ppks.demo import LANGKAH as LANGKAH_PPKS
    from psm.demo import LANGKAH as LANGKAH_PSM

    # psm after kemiskinan: its visits reach the extreme-poor households kemiskinan lists;
    # bantuan after psm (receipts are confirmed at visits); pengaduan last (it links distributions).
    return [*LANGKAH, *LANGKAH_PPKS, *LANGKAH_KEMISKINAN, *LANGKAH_PSM, *LANGKAH_BANTUAN, *LANGKAH_PENGADUAN]
