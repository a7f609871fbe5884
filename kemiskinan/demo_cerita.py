"""The timeline of the extreme-poverty demo (see ``kemiskinan/demo.py`` for the story): events with
dates, run in date order through ``kemiskinan.services`` on a simulated clock."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.utils import timezone

from akun.models import User
from kemiskinan import services
from kemiskinan.models import Intervensi, StatusMiskinEkstrem, UsulanKeluar
from penduduk.models import Keluarga

BASELINE = dt.date(2023, 6, 16)
TETAP = 4  # baseline households never leaving
TERAKHIR = (150, 40)  # the last two exits, days before today
ALASAN_LAIN = ("pindah", "pindah", "gabung", "gabung", "salah_data", "salah_data")
SUMBER_AWAL = (("p3ke", 60), ("dtsen", 25), ("verifikasi", 15))
RENTANG_MASUK = {
    "p3ke": (dt.date(2022, 10, 3), dt.date(2023, 2, 28)),
    "dtsen": (dt.date(2022, 12, 1), dt.date(2023, 5, 31)),
    "verifikasi": (dt.date(2023, 3, 1), BASELINE),
}
TUJUAN_PINDAH = ("Kab. Lima Puluh Kota", "Kota Pekanbaru", "Kab. Agam", "Kota Bukittinggi")
TOLAK = (
    "Hasil cek ulang staf: pengeluaran per orang Rp295.000; usaha belum berjalan tetap.",
    "Anak tertua yang bekerja sudah pindah KK; pengeluaran per orang kembali di bawah garis.",
    "Berita acara belum ditandatangani lurah; lengkapi bukti lalu usulkan lagi.",
)


@dataclass
class Rumah:
    keluarga: Keluarga
    jiwa: int
    status: StatusMiskinEkstrem | None = None
    usulan: UsulanKeluar | None = None


@contextmanager
def _jam(tanggal: dt.date, jam: int = 10):
    """Services, ``auto_now`` and simple-history see ``tanggal`` at ``jam`` WIB as the present."""
    waktu = timezone.make_aware(dt.datetime.combine(tanggal, dt.time(jam, 0)))
    asli = timezone.now
    timezone.now = lambda: waktu
    try:
        yield
    finally:
        timezone.now = asli


def _pilih(rng: random.Random, berbobot):
    nilai, bobot = zip(*berbobot, strict=True)
    return rng.choices(nilai, weights=bobot)[0]


def _tanggal_antara(rng: random.Random, awal: dt.date, akhir: dt.date) -> dt.date:
    return awal if akhir <= awal else dt.date.fromordinal(rng.randint(awal.toordinal(), akhir.toordinal()))


def _rupiah(rng: random.Random, dari: int, sampai: int) -> int:
    return rng.randrange(dari, sampai + 1, 5_000)


@dataclass
class Cerita:
    rng: random.Random
    hari_ini: dt.date
    staf: User
    admin: User
    psm: dict[int, User]
    terpakai: set[int] = field(default_factory=set)  # households of the story (never a merge target)
    acara: list[tuple[dt.date, int, int, Callable[[], None]]] = field(default_factory=list)
    nomor: int = 0

    # -- time ---------------------------------------------------------------------------------

    def tanggal(self, f: float) -> dt.date:
        """A date at fraction ``f`` of the time from the baseline to today."""
        return BASELINE + dt.timedelta(days=round(f * (self.hari_ini - BASELINE).days))

    def nanti(self, tanggal: dt.date, dari: int, sampai: int) -> dt.date:
        return min(tanggal + dt.timedelta(days=self.rng.randint(dari, sampai)), self.hari_ini)

    def jadwal(self, tanggal: dt.date, fungsi: Callable[[], None], urutan: int = 5) -> None:
        self.acara.append((tanggal, urutan, len(self.acara), fungsi))

    # -- events -------------------------------------------------------------------------------

    def masuk(self, r: Rumah, tanggal: dt.date, sumber: str, catatan: str = "") -> None:
        rng = self.rng
        desil = 1 if sumber in ("p3ke", "dtsen") else rng.choice((None, 1, 1))
        pengeluaran = _rupiah(rng, 170_000, 315_000) if rng.random() < 0.7 else None

        def jalan() -> None:
            with _jam(tanggal, 9):
                r.status = services.status_masuk(
                    status=StatusMiskinEkstrem(
                        keluarga=r.keluarga, sumber=sumber, tanggal_masuk=tanggal, desil=desil,
                        pengeluaran_per_kapita=pengeluaran, catatan=catatan,
                    ),
                    oleh=self.staf,
                )  # fmt: skip

        self.jadwal(tanggal, jalan, 0)

    def _pengusul(self, r: Rumah, alasan: str) -> tuple[User, User]:
        psm = self.psm.get(r.keluarga.kelurahan_id)
        if alasan == "salah_data" or psm is None:
            return self.staf, self.admin
        return psm, self.staf

    def _data_usulan(self, r: Rumah, alasan: str, tanggal: dt.date) -> dict:
        rng = self.rng
        self.nomor += 1
        kel = r.keluarga.kelurahan.nama
        data = {"tanggal_keluar": tanggal, "alasan": alasan, "bukti": "", "keterangan": ""}
        if alasan == "graduasi":
            data["pengeluaran_per_kapita"] = _rupiah(rng, 335_000, 640_000)
            data["bukti"] = f"Berita acara verifikasi lapangan No. {self.nomor:03d}/BA-PSM/{kel}/{tanggal.year}"
        elif alasan == "pindah":
            data["bukti"] = f"Surat keterangan pindah (SKPWNI) Disdukcapil No. 1376/{self.nomor:04d}/{tanggal.year}"
            data["keterangan"] = f"Seluruh anggota pindah ke {rng.choice(TUJUAN_PINDAH)}."
        elif alasan == "gabung":
            tujuan = (
                Keluarga.objects.filter(kelurahan=r.keluarga.kelurahan_id)
                .exclude(pk__in=self.terpakai)
                .order_by("pk")
                .first()
            )
            data["keluarga_tujuan"] = tujuan
            data["bukti"] = f"KK baru diterbitkan Disdukcapil ({tanggal:%d/%m/%Y})"
            data["keterangan"] = "Kepala keluarga lansia bergabung ke KK anaknya."
        else:  # salah_data
            data["bukti"] = f"Hasil pemadanan DTSEN triwulan {((tanggal.month - 1) // 3) + 1} {tanggal.year}"
            data["keterangan"] = "Kepala keluarga ternyata penerima pensiun; sejak awal bukan miskin ekstrem."
        return data

    def usul(
        self, r: Rumah, tanggal: dt.date, alasan: str, *, putusan: str | None = "setuju", catatan: str = ""
    ) -> None:
        """A proposal on ``tanggal + 0-6`` days, verified 2-14 days later (unless ``putusan`` is None)."""
        pengusul, pemeriksa = self._pengusul(r, alasan)
        diusulkan = self.nanti(tanggal, 0, 6)
        diputus = self.nanti(diusulkan, 2, 14)
        data = self._data_usulan(r, alasan, tanggal)

        def kirim() -> None:
            with _jam(diusulkan, 11):
                r.usulan = services.keluar_usulkan(usulan=UsulanKeluar(status_miskin=r.status, **data), oleh=pengusul)

        def putus() -> None:
            with _jam(diputus, 14):
                services.usulan_verifikasi(usulan=r.usulan, oleh=pemeriksa, setuju=putusan == "setuju", catatan=catatan)

        self.jadwal(diusulkan, kirim, 2)
        if putusan is not None:
            self.jadwal(diputus, putus, 3)

    def bantu(self, r: Rumah, tanggal: dt.date, program: str, sumber: str, nilai: int | None, keterangan: str = "",
              nama: str = "") -> None:  # fmt: skip
        tanggal = min(tanggal, self.hari_ini)

        def jalan() -> None:
            with _jam(tanggal, 13):
                services.intervensi_catat(
                    intervensi=Intervensi(
                        keluarga=r.keluarga, program=program, nama_program=nama, tanggal=tanggal, nilai=nilai,
                        sumber_dana=sumber, keterangan=keterangan,
                    ),
                    oleh=self.staf,
                )  # fmt: skip

        self.jadwal(tanggal, jalan, 1)

    def bantuan_rutin(self, r: Rumah, masuk: dt.date) -> None:
        rng = self.rng
        if rng.random() < 0.85:
            self.bantu(r, self.nanti(masuk, 10, 60), "pbi_jk", "apbn", None, "Iuran JKN dibayar pemerintah.")
        if rng.random() < 0.65:
            self.bantu(r, self.nanti(masuk, 30, 120), "bpnt", "apbn", 600_000, "Penyaluran triwulan (Rp200.000/bulan).")
        if rng.random() < 0.4:
            self.bantu(r, self.nanti(masuk, 45, 150), "pkh", "apbn", 750_000, "Komponen anak sekolah dan lansia.")
        if rng.random() < 0.08:
            self.bantu(r, self.nanti(masuk, 90, 300), "lainnya", "apbd_kota", 17_500_000, "Bedah rumah.", "RTLH")

    def bantuan_usaha(self, r: Rumah, keluar: dt.date) -> None:
        if self.rng.random() < 0.75:
            tanggal = max(keluar - dt.timedelta(days=self.rng.randint(60, 240)), BASELINE)
            sumber = self.rng.choice(("baznas", "apbd_kota"))
            ket = "Bantuan usaha ekonomi produktif (warung/ternak)." + (
                " Insentif fiskal." if sumber != "baznas" else ""
            )
            self.bantu(r, tanggal, "bantuan_usaha", sumber, 6_000_000, ket)

    # -- the story ----------------------------------------------------------------------------

    def jalankan(self, awal: list, sisa: list) -> dict[str, int]:
        rng = self.rng
        rumah = [Rumah(r.keluarga, r.jiwa) for r in awal]
        rng.shuffle(rumah)
        tetap, kembali = rumah[:TETAP], rumah[TETAP]
        terakhir, keluar_awal = rumah[TETAP + 1 : TETAP + 3], rumah[TETAP + 3 :]
        baru = [Rumah(r.keluarga, r.jiwa) for r in sisa[:4]]

        for r in rumah:
            sumber = _pilih(rng, SUMBER_AWAL)
            masuk = _tanggal_antara(rng, *RENTANG_MASUK[sumber])
            self.masuk(r, masuk, sumber)
            self.bantuan_rutin(r, masuk)

        periode = (self.hari_ini - BASELINE).days
        batas = min(0.8, (periode - 200) / periode)
        alasan = list(ALASAN_LAIN) + ["graduasi"] * (len(keluar_awal) - len(ALASAN_LAIN))
        rng.shuffle(alasan)
        f_keluar = sorted(max(0.02, rng.betavariate(2, 2.6) * batas) for _ in keluar_awal)
        for r, f, a in zip(keluar_awal, f_keluar, alasan, strict=True):
            self.usul(r, self.tanggal(f), a)
            if a == "graduasi":
                self.bantuan_usaha(r, self.tanggal(f))
        # One proposal rejected before the household really left.
        r_tolak = keluar_awal[-1]
        self.usul(r_tolak, self.tanggal(f_keluar[-1] - 0.12), "graduasi", putusan="tolak", catatan=TOLAK[2])

        # Graduated early, fell back and re-entered.
        self.usul(kembali, self.tanggal(0.12), "graduasi")
        self.bantuan_usaha(kembali, self.tanggal(0.12))
        self.masuk(kembali, self.tanggal(0.5), "verifikasi", "Usaha bangkrut; pengeluaran kembali di bawah garis.")

        for hari, r in zip(TERAKHIR, terakhir, strict=True):
            keluar = self.hari_ini - dt.timedelta(days=hari)
            self.usul(r, keluar, "graduasi")
            self.bantuan_usaha(r, keluar)

        # New households: two leave again, two stay.
        for r, (f_masuk, sumber, f_keluar_baru) in zip(
            baru,
            ((0.2, "pengaduan", 0.55), (0.33, "verifikasi", 0.7), (0.62, "pengaduan", None), (0.75, "dtsen", None)),
            strict=True,
        ):
            self.masuk(r, self.tanggal(f_masuk), sumber)
            self.bantuan_rutin(r, self.tanggal(f_masuk))
            if f_keluar_baru is not None:
                self.usul(r, self.tanggal(f_keluar_baru), "graduasi")
                self.bantuan_usaha(r, self.tanggal(f_keluar_baru))

        # The hard cases: two rejected proposals, one waiting for verification today.
        self.usul(tetap[0], self.tanggal(0.4), "graduasi", putusan="tolak", catatan=TOLAK[0])
        self.usul(tetap[1], self.tanggal(0.63), "graduasi", putusan="tolak", catatan=TOLAK[1])
        self.usul(tetap[2], self.hari_ini - dt.timedelta(days=7), "graduasi", putusan=None)

        for _, _, _, fungsi in sorted(self.acara, key=lambda a: a[:3]):
            fungsi()
        return {
            "KK miskin ekstrem": StatusMiskinEkstrem.objects.values("keluarga").distinct().count(),
            "masa di daftar": StatusMiskinEkstrem.objects.count(),
            "usulan keluar": UsulanKeluar.objects.count(),
            "intervensi": Intervensi.objects.count(),
        }
