"""The PPKS part of ``seed_demo`` (called after the registry, see ``penduduk/demo.py``).

Two steps, each idempotent on its own (``sudah_ada``: any PPKS row, any Kasus row):

* ``ppks``: about 6.5% of the living residents (about 350 at the default 1,500 households) are
  registered as PPKS, weighted the way a Dinsos list looks (many lansia telantar, penyandang
  disabilitas, fakir miskin, anak telantar; few of the sensitive jenis; no Komunitas Adat
  Terpencil in a city), every kelurahan first gets one, and a person only gets a jenis their
  age, sex and situation fit. The pendamping is the demo PSM of the person's kelurahan. Written
  in bulk with one history row each (``bulk_create_with_history``).
* ``kasus``: about one case per 90 residents (60 at the default size, at least 14), in every
  state, through ``ppks.services`` as the demo users would (staf takes reports in, the PSM of the
  kelurahan visits), on a simulated clock (``_jam``) so that report times, deadlines, the first
  response, the timeline and the change history all carry their past times.

Randomness comes from ``konteks.rng("ppks")`` / ``("kasus")``; times count back from the start of
``konteks.hari_ini`` (local midnight), so the same seed on the same day gives the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from akun.models import User
from penduduk.choices import Hubungan, StatusPenduduk
from penduduk.demo import ALASAN_RIWAYAT, UKURAN_BATCH, Konteks, Langkah
from penduduk.models import Penduduk
from ppks import services
from ppks.alur import batas_jam
from ppks.choices import STATUS_TERBUKA, JenisTindakan, StatusPPKS, SumberData
from ppks.choices import StatusKasus as S
from ppks.demo_data import (
    ALASAN_BUKAN,
    ALASAN_TUTUP,
    CATATAN,
    JENIS_UMUM,
    KEBUTUHAN_LAIN,
    LAYANAN,
    PELAPOR,
    PROFIL,
    TEMPAT_UMUM,
    TEMPLAT_KASUS,
    Profil,
)
from ppks.models import PPKS, JenisPPKS, Kasus, Rujukan
from wilayah.models import Kelurahan

TANPA_NIK, DISABILITAS, KEPALA, PEREMPUAN, LAKI = "tanpa_nik", "dis", "kepala", "P", "L"
STATUS_PPKS = ((StatusPPKS.AKTIF, 72), (StatusPPKS.DALAM_PENANGANAN, 13), (StatusPPKS.TERTANGANI, 9),
               (StatusPPKS.BUKAN_PPKS, 6))  # fmt: skip
SUMBER_PPKS = ((SumberData.PSM, 50), (SumberData.DTKS, 30), (SumberData.LAPORAN, 12), (SumberData.INSTANSI, 8))
# Share of each case status (at least one case each).
STATUS_KASUS = ((S.BARU, 12), (S.DIVERIFIKASI, 12), (S.DITANGANI, 22), (S.DIRUJUK, 13), (S.SELESAI, 26),
                (S.DITUTUP, 15))  # fmt: skip


def _pilih(rng: random.Random, berbobot):
    nilai, bobot = zip(*berbobot, strict=True)
    return rng.choices(nilai, weights=bobot)[0]


def _umur(lahir: dt.date, hari: dt.date) -> int:
    return hari.year - lahir.year - ((hari.month, hari.day) < (lahir.month, lahir.day))


def _tanggal(rng: random.Random, awal: dt.date, akhir: dt.date) -> dt.date:
    return akhir if akhir <= awal else dt.date.fromordinal(rng.randint(awal.toordinal(), akhir.toordinal()))


@dataclass(frozen=True)
class Orang:
    pk: int
    kelurahan_id: int
    lahir: dt.date | None
    jk: str
    disabilitas: str
    hubungan: str
    nik: str | None
    alamat: str


def cocok(profil: Profil, orang: Orang, hari: dt.date) -> bool:
    """Whether a person fits a jenis: age (known), sex, disability, head of household, no NIK."""
    s = profil.syarat
    if TANPA_NIK in s:
        return orang.nik is None and (orang.lahir is None or _umur(orang.lahir, hari) >= profil.umur[0])
    if orang.lahir is None or orang.nik is None or not profil.umur[0] <= _umur(orang.lahir, hari) <= profil.umur[1]:
        return False
    if (PEREMPUAN in s and orang.jk != PEREMPUAN) or (LAKI in s and orang.jk != LAKI):
        return False
    if DISABILITAS in s and not orang.disabilitas:
        return False
    return not (KEPALA in s and orang.hubungan != Hubungan.KEPALA)


def _warga() -> list[Orang]:
    kolom = ("pk", "kelurahan_id", "tanggal_lahir", "jenis_kelamin", "disabilitas", "hubungan", "nik", "alamat")
    baris = Penduduk.objects.filter(status=StatusPenduduk.HIDUP).order_by("pk").values_list(*kolom)
    return [Orang(*b) for b in baris]


def _psm_per_kelurahan() -> dict[int, User]:
    kelurahan = dict(Kelurahan.objects.values_list("slug", "pk"))
    psm = User.objects.filter(username__in=[f"psm.{s}" for s in kelurahan], is_active=True)
    return {kelurahan[u.username.removeprefix("psm.")]: u for u in psm}


# --------------------------------------------------------------------------------------------
# PPKS registrations
# --------------------------------------------------------------------------------------------


def ppks_sudah_ada() -> bool:
    return PPKS.objects.exists()


def _pendaftaran(rng: random.Random, orang: Orang, jenis: JenisPPKS, hari: dt.date, psm: User | None, staf) -> PPKS:
    profil = PROFIL[jenis.singkatan]
    status = _pilih(rng, STATUS_PPKS)
    sumber = _pilih(rng, SUMBER_PPKS)
    lama = (200, 1100) if sumber == SumberData.DTKS else (14, 900)
    terdata = hari - dt.timedelta(days=rng.randint(*lama))
    r = rng.random()
    if r < 0.12:  # never visited yet
        kunjungan = None
    elif r < 0.35 and terdata < hari - dt.timedelta(days=91):  # long ago
        kunjungan = _tanggal(rng, terdata, hari - dt.timedelta(days=91))
    else:
        kunjungan = _tanggal(rng, max(terdata, hari - dt.timedelta(days=90)), hari)
    ppks = PPKS(
        penduduk_id=orang.pk,
        jenis=jenis,
        status=status,
        kebutuhan=sorted(rng.sample(profil.kebutuhan, min(len(profil.kebutuhan), rng.randint(1, 3)))),
        kebutuhan_lain=rng.choice(KEBUTUHAN_LAIN) if rng.random() < 0.1 else "",
        sumber=sumber,
        psm_pendamping=psm,
        terakhir_dikunjungi=kunjungan,
        terdata_pada=terdata,
        catatan=rng.choice(CATATAN.get(jenis.kelompok, ("",))) if rng.random() < 0.3 else "",
    )
    if status == StatusPPKS.BUKAN_PPKS:
        ppks.tanggal_selesai = _tanggal(rng, terdata + dt.timedelta(days=30), hari - dt.timedelta(days=1))
        ppks.alasan_selesai = rng.choice(ALASAN_BUKAN.get(jenis.kelompok, ()) + ALASAN_BUKAN["umum"])
    ppks.clean()  # the model's own rules (needs, dates, reason), without a query per row
    # Registered by the PSM who found them, else by the office.
    ppks._history_user = psm if sumber == SumberData.PSM and psm else staf
    return ppks


def buat_ppks(konteks: Konteks) -> dict[str, int]:
    rng = konteks.rng("ppks")
    hari = konteks.hari_ini
    semua_jenis = {j.singkatan: j for j in JenisPPKS.objects.filter(aktif=True)}
    warga = _warga()
    per_pk = {o.pk: o for o in warga}
    psm = _psm_per_kelurahan()
    staf = User.objects.filter(username="staf").first()
    # A jenis added later by Admin has no profile: the demo leaves it empty.
    calon = {s: [o for o in warga if cocok(PROFIL[s], o, hari)] for s in semua_jenis if s in PROFIL and PROFIL[s].bobot}
    terpakai: set[tuple[int, str]] = set()
    hasil: list[PPKS] = []

    def daftar(orang: Orang, singkatan: str) -> None:
        terpakai.add((orang.pk, singkatan))
        hasil.append(_pendaftaran(rng, orang, semua_jenis[singkatan], hari, psm.get(orang.kelurahan_id), staf))

    per_kelurahan: dict[int, dict[str, list[Orang]]] = {}
    for singkatan in JENIS_UMUM:
        for o in calon.get(singkatan, []):
            per_kelurahan.setdefault(o.kelurahan_id, {}).setdefault(singkatan, []).append(o)
    for kel_id in sorted(per_kelurahan):
        pilihan = per_kelurahan[kel_id]
        singkatan = _pilih(rng, [(s, PROFIL[s].bobot) for s in JENIS_UMUM if s in pilihan])
        daftar(rng.choice(pilihan[singkatan]), singkatan)

    target = max(round(len(warga) * 0.065), len(hasil))
    bobot = [(s, PROFIL[s].bobot) for s in calon if calon[s]]
    for _ in range(target * 3):
        if len(hasil) >= target or not bobot:
            break
        singkatan = _pilih(rng, bobot)
        orang = rng.choice(calon[singkatan])
        if (orang.pk, singkatan) not in terpakai:
            daftar(orang, singkatan)
    bulk_create_with_history(hasil, PPKS, batch_size=UKURAN_BATCH, default_change_reason=ALASAN_RIWAYAT)
    return {
        "PPKS": len(hasil),
        "jenis": len({p.jenis_id for p in hasil}),
        "kelurahan": len({per_pk[p.penduduk_id].kelurahan_id for p in hasil}),
        "bukan PPKS lagi": sum(p.status == StatusPPKS.BUKAN_PPKS for p in hasil),
    }


# --------------------------------------------------------------------------------------------
# Cases, through the services, on a simulated clock
# --------------------------------------------------------------------------------------------


@contextmanager
def _jam(waktu: dt.datetime):
    """Let the services, ``auto_now`` fields and simple-history see ``waktu`` as the present, so a
    case made for the demo carries its past times everywhere (one thread: a management command)."""
    asli = timezone.now
    timezone.now = lambda: waktu
    try:
        yield
    finally:
        timezone.now = asli


def kasus_sudah_ada() -> bool:
    return Kasus.objects.exists()


def _jumlah_per_status(n: int) -> list[str]:
    total = sum(b for _, b in STATUS_KASUS)
    kuota = {s: max(1, n * b // total) for s, b in STATUS_KASUS}
    urutan = [s for s, _ in sorted(STATUS_KASUS, key=lambda x: -x[1])]
    i = 0
    while sum(kuota.values()) < n:
        kuota[urutan[i % len(urutan)]] += 1
        i += 1
    return [s for s, _ in STATUS_KASUS for _ in range(kuota[s])]


class _Penulis:
    """Walks one case from the report to its target status, as the demo users would."""

    def __init__(self, rng: random.Random, staf: User, admin: User | None):
        self.rng, self.staf, self.admin = rng, staf, admin
        self.tindakan = self.rujukan = 0

    def catat(self, kasus: Kasus, waktu, oleh: User, jenis: str, uraian: str) -> None:
        with _jam(waktu):
            services.tindakan_catat(kasus=kasus, oleh=oleh, jenis=jenis, uraian=uraian, waktu=waktu)
        self.tindakan += 1

    def status(self, kasus: Kasus, waktu, oleh: User, status: str, alasan: str = "") -> Kasus:
        with _jam(waktu):
            kasus = services.kasus_ubah_status(kasus=kasus, oleh=oleh, status=status, alasan=alasan)
        self.tindakan += 1
        return kasus

    def jalankan(self, kasus: Kasus, tujuan: str, jadwal: list[dt.datetime], psm: User, t) -> None:
        rng, staf = self.rng, self.staf
        petugas = self.admin if self.admin and rng.random() < 0.15 else staf
        langkah = iter(jadwal)
        if tujuan == S.BARU:
            if rng.random() < 0.5:
                self.catat(kasus, next(langkah), staf, JenisTindakan.CATATAN, t["catatan"])
            return
        if tujuan == S.DITUTUP and rng.random() < 0.3:
            self.status(kasus, next(langkah), petugas, S.DITUTUP, rng.choice(ALASAN_TUTUP))
            return
        self.catat(kasus, next(langkah), psm, JenisTindakan.KUNJUNGAN, t["kunjungan"])
        kasus = self.status(kasus, next(langkah), petugas, S.DIVERIFIKASI)
        if tujuan == S.DIVERIFIKASI:
            return
        if tujuan == S.DITUTUP and rng.random() < 0.5:
            self.status(kasus, next(langkah), petugas, S.DITUTUP, rng.choice(ALASAN_TUTUP))
            return
        self.catat(kasus, next(langkah), petugas, JenisTindakan.ASESMEN, t["asesmen"])
        kasus = self.status(kasus, next(langkah), petugas, S.DITANGANI)
        self.catat(kasus, next(langkah), petugas, JenisTindakan.LAYANAN, t["layanan"])
        if tujuan == S.DITANGANI:
            return
        if tujuan == S.DITUTUP:
            self.status(kasus, next(langkah), petugas, S.DITUTUP, rng.choice(ALASAN_TUTUP))
            return
        dirujuk = tujuan == S.DIRUJUK or rng.random() < 0.5
        if dirujuk:
            waktu = next(langkah)
            jenis_lembaga, nama = t["lembaga"]
            rujukan = Rujukan(kasus=kasus, jenis_lembaga=jenis_lembaga, nama_lembaga=nama,
                              tanggal=timezone.localdate(waktu))  # fmt: skip
            with _jam(waktu):
                rujukan = services.rujukan_buat(rujukan=rujukan, oleh=petugas)
            self.rujukan += 1
            self.tindakan += 1
            kasus = self.status(kasus, next(langkah), petugas, S.DIRUJUK)
            if tujuan == S.DIRUJUK:
                return
            with _jam(next(langkah)):
                services.rujukan_ubah_status(rujukan=rujukan, oleh=petugas, status="selesai", catatan=t["balasan"])
            self.tindakan += 1
        self.catat(kasus, next(langkah), psm, JenisTindakan.KUNJUNGAN, t["pantau"])
        self.status(kasus, next(langkah), petugas, S.SELESAI)


def _jam_kerja(rng: random.Random, jadwal: list[dt.datetime], batas: dt.datetime) -> list[dt.datetime]:
    """Office and visiting hours (07:30-17:30 WIB): a step that would fall at night moves to the
    next morning, unless that passes the demo's present; the order is kept."""
    hasil: list[dt.datetime] = []
    for waktu in jadwal:
        lokal = timezone.localtime(waktu)
        jam = lokal.hour + lokal.minute / 60
        if not 7.5 <= jam < 17.5:
            pagi = lokal.replace(hour=7, minute=30) + dt.timedelta(minutes=rng.randint(0, 150))
            geser = pagi if jam < 7.5 else pagi + dt.timedelta(days=1)
            waktu = geser if geser < batas else waktu
        if hasil and waktu <= hasil[-1]:
            waktu = hasil[-1] + dt.timedelta(minutes=rng.randint(5, 40))
        hasil.append(min(waktu, batas - dt.timedelta(minutes=1)))
    return hasil


def _usia_kasus(rng: random.Random, tujuan: str, jam_batas: float, terlambat: bool) -> float:
    """Hours between the report and the demo's present."""
    if tujuan == S.BARU:
        return rng.uniform(1.2, 3) * jam_batas if terlambat else rng.uniform(0.05, 0.6) * jam_batas
    rentang = {S.DIVERIFIKASI: (24, 120), S.DITANGANI: (36, 240), S.DIRUJUK: (72, 400)}
    return rng.uniform(*rentang.get(tujuan, (150, 3600)))


def _orang_kasus(rng, t: dict, terdaftar, per_pk, warga, dipakai, hari) -> Orang | None:
    """The person a case is about: preferably one registered as PPKS of that jenis."""
    if not t["orang"]:
        return None
    calon = [per_pk[pk] for pk in terdaftar.get(t["jenis"], []) if pk in per_pk and pk not in dipakai]
    calon = calon or [o for o in warga if o.pk not in dipakai and cocok(PROFIL[t["jenis"]], o, hari)]
    return rng.choice(calon) if calon else None


def buat_kasus(konteks: Konteks) -> dict[str, int]:
    rng = konteks.rng("kasus")
    hari = konteks.hari_ini
    sekarang = timezone.make_aware(dt.datetime.combine(hari, dt.time()))  # the demo's "now": midnight
    warga = _warga()
    psm = _psm_per_kelurahan()
    staf = User.objects.get(username="staf")
    admin = User.objects.filter(username="admin").first()
    jenis = {j.singkatan: j for j in JenisPPKS.objects.all()}
    kelurahan = dict(Kelurahan.objects.values_list("slug", "pk"))
    terdaftar: dict[str, list[int]] = {}
    for pk, singkatan in PPKS.objects.aktif().order_by("pk").values_list("penduduk_id", "jenis__singkatan"):
        terdaftar.setdefault(singkatan, []).append(pk)
    per_pk = {o.pk: o for o in warga}
    penulis = _Penulis(rng, staf, admin)

    n = min(60, max(14, round(len(warga) / 90)))
    tujuan_semua = _jumlah_per_status(n)
    rng.shuffle(tujuan_semua)
    templat = [t for t in TEMPLAT_KASUS for _ in range(t["kali"])]
    # About one in eight cases is about somebody nobody knows yet; the viral reports always come.
    k = max(2, n // 8)
    dengan_orang = [t for t in templat if t["orang"]]
    rng.shuffle(dengan_orang)
    pilihan = [t for t in templat if not t["orang"]][:k] + dengan_orang[: n - k]
    rng.shuffle(pilihan)
    pilihan.sort(key=lambda t: t["viral"])
    antrean = dengan_orang[n - k :] + pilihan  # popped from the end: viral first, the spare ones last
    dipakai: set[int] = set()
    baru_ke = 0
    for tujuan in tujuan_semua:
        while antrean:
            t = antrean.pop()
            orang = _orang_kasus(rng, t, terdaftar, per_pk, warga, dipakai, hari)
            if orang is not None or not t["orang"]:
                break
        else:
            break
        if orang is not None:
            dipakai.add(orang.pk)
            kel_id, lokasi = orang.kelurahan_id, orang.alamat
        else:
            tempat, slug = rng.choice(TEMPAT_UMUM)
            kel_id, lokasi = kelurahan[slug], tempat
        urgensi = "darurat" if t["viral"] else t["urgensi"]
        jam_batas = batas_jam(urgensi)
        # Three in five new cases (always the first) wait past their deadline with nobody acting.
        terlambat = tujuan == S.BARU and baru_ke % 5 in (0, 1, 3)
        baru_ke += tujuan == S.BARU
        dibuat = sekarang - dt.timedelta(hours=_usia_kasus(rng, tujuan, jam_batas, terlambat))
        pelapor = t["sumber"] in ("warga", "pengaduan") and rng.random() < 0.8
        kasus = Kasus(
            ringkasan=t["ringkasan"].format(tempat=lokasi), uraian=t["uraian"], lokasi=lokasi,
            sumber=t["sumber"], urgensi=urgensi, viral=t["viral"], penduduk_id=orang.pk if orang else None,
            kelurahan_id=kel_id, jenis=jenis.get(t["jenis"]), dibuat_pada=dibuat,
            petugas=staf if tujuan != S.BARU or rng.random() < 0.4 else None,
            psm=psm.get(kel_id) if tujuan != S.BARU or rng.random() < 0.6 else None,
            pelapor_nama=rng.choice(PELAPOR) if pelapor else "",
            pelapor_kontak=f"08{rng.randint(11, 59)}{rng.randint(10**7, 10**8 - 1)}" if pelapor else "",
        )  # fmt: skip
        kasus._change_reason = ALASAN_RIWAYAT
        psm_kel = psm.get(kel_id)
        with _jam(dibuat):
            services.kasus_buat(kasus=kasus, oleh=psm_kel if t["sumber"] == "psm" and psm_kel else staf)
        if terlambat:  # nobody has acted yet: the board shows it red
            continue
        # The first response: mostly well within the deadline, sometimes late.
        respons = jam_batas * (rng.uniform(1.1, 1.8) if rng.random() < 0.15 else rng.uniform(0.05, 0.7))
        sisa = (sekarang - dibuat).total_seconds() / 3600
        jadwal_jam = [min(respons, sisa * 0.3)]
        for _ in range(10):
            jadwal_jam.append(jadwal_jam[-1] + rng.uniform(0.3, 40))
        skala = min(1.0, sisa * 0.95 / jadwal_jam[-1])
        jadwal = _jam_kerja(rng, [dibuat + dt.timedelta(hours=j * skala) for j in jadwal_jam], sekarang)
        teks = {**LAYANAN.get(t["jenis"], LAYANAN[None]), **t}
        penulis.jalankan(kasus, tujuan, jadwal, psm_kel or staf, teks)

    semua = Kasus.objects.all()
    return {
        "kasus": semua.count(),
        "terbuka": semua.filter(status__in=STATUS_TERBUKA).count(),
        "lewat batas waktu": semua.terlambat().count(),
        "tanpa identitas": semua.filter(penduduk__isnull=True).count(),
        "tindakan": penulis.tindakan,
        "rujukan": penulis.rujukan,
    }


LANGKAH = [
    Langkah("ppks", "PPKS", ppks_sudah_ada, buat_ppks),
    Langkah("kasus", "Kasus respons cepat", kasus_sudah_ada, buat_kasus),
]
