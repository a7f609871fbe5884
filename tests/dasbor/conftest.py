"""A small world with hand-computed figures (see ``ANGKA``): kelurahan A (Tanjuang Pauh, psm_a) and
B (Napar, psm_b), records of last month (the period tested) and of now.

Flows are dated inside last month (the 10th-20th, 10:00 WIB); "now" records are at least 70 days old
or made now, so no record of "now" falls in last month whatever day the suite runs.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dasbor.periode import Periode
from kemiskinan.progres import tambah_bulan
from tests.dasbor.factories import (
    BenderaFactory,
    KonfirmasiFactory,
    PengaduanFactory,
    PenyaluranFactory,
    ProgramFactory,
)
from tests.factories import (
    KasusFactory,
    KeluargaFactory,
    PendudukFactory,
    PPKSFactory,
    StatusMiskinEkstremFactory,
    TargetFactory,
    jenis_ppks,
)


def bulan_lalu() -> Periode:
    hari_ini = timezone.localdate()
    return Periode(tambah_bulan(hari_ini.replace(day=1), -1), hari_ini)


def tgl(hari: int) -> dt.date:
    return bulan_lalu().awal.replace(day=hari)


def waktu(hari: int, jam: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(tgl(hari), dt.time(jam)))


# The figures of the world below, by hand.
ANGKA = {
    "kota": {
        "ppks": 5, "ppks_aktif": 3, "ppks_penanganan": 1, "ppks_tertangani": 1, "ppks_baru": 1, "ppks_selesai": 1,
        "ppks_belum_dikunjungi": 4,
        "kasus_terbuka": 3, "kasus_darurat": 1, "kasus_tinggi": 0, "kasus_biasa": 2, "kasus_terlambat": 1,
        "kasus_masuk": 2, "kasus_selesai": 1, "kasus_direspons": 2, "kasus_tepat_waktu": 1,
        "miskin_kk": 2, "miskin_jiwa": 5, "miskin_tanpa_kunjungan": 2,
        "salur_jumlah": 3, "salur_rupiah": 1_700_000, "salur_dikonfirmasi": 1, "salur_diterima_rupiah": 700_000,
        "bendera_terbuka": 2,
        "aduan_masuk": 3, "aduan_selesai": 1, "aduan_terbuka": 2, "aduan_terlambat": 1,
        "psm_aktif": 2, "tanpa_psm": 45,
    },
    "a": {
        "ppks": 3, "ppks_aktif": 2, "ppks_penanganan": 1, "ppks_tertangani": 0, "ppks_baru": 1, "ppks_selesai": 1,
        "ppks_belum_dikunjungi": 2,
        "kasus_terbuka": 2, "kasus_darurat": 1, "kasus_tinggi": 0, "kasus_biasa": 1, "kasus_terlambat": 1,
        "kasus_masuk": 1, "kasus_selesai": 1, "kasus_direspons": 1, "kasus_tepat_waktu": 1,
        "miskin_kk": 2, "miskin_jiwa": 5, "miskin_tanpa_kunjungan": 2,
        "salur_jumlah": 2, "salur_rupiah": 1_500_000, "salur_dikonfirmasi": 1, "salur_diterima_rupiah": 700_000,
        "bendera_terbuka": 1,
        "aduan_masuk": 1, "aduan_selesai": 0, "aduan_terbuka": 1, "aduan_terlambat": 1,
        "psm_aktif": 1, "tanpa_psm": 0,
    },
}  # fmt: skip
# Median time to first response last month: (4 h + 216 h) / 2.
MEDIAN = dt.timedelta(hours=110)


@pytest.fixture
def periode() -> Periode:
    return bulan_lalu()


@pytest.fixture
def dunia(cast, kelurahan_a, kelurahan_b, user_staf):
    a, b = kelurahan_a, kelurahan_b
    sekarang = timezone.now()
    TargetFactory()
    # PPKS: A has two old ones (one visited yesterday), one registered last month, one that ended
    # last month; B a sensitive one and a handled one.
    lama = dt.date(2024, 1, 15)
    PPKSFactory(penduduk=PendudukFactory(kelurahan=a), terdata_pada=lama)
    PPKSFactory(
        penduduk=PendudukFactory(kelurahan=a),
        jenis=jenis_ppks("AT"),
        status="dalam_penanganan",
        terdata_pada=lama,
        terakhir_dikunjungi=timezone.localdate() - dt.timedelta(days=1),
    )
    PPKSFactory(penduduk=PendudukFactory(kelurahan=a), jenis=jenis_ppks("AT"), terdata_pada=tgl(10))
    PPKSFactory(
        penduduk=PendudukFactory(kelurahan=a),
        status="bukan_ppks",
        terdata_pada=lama,
        tanggal_selesai=tgl(5),
        alasan_selesai="Pindah ke panti",
    )
    PPKSFactory(penduduk=PendudukFactory(kelurahan=b), jenis=jenis_ppks("ODHA"), terdata_pada=lama)
    PPKSFactory(penduduk=PendudukFactory(kelurahan=b), status="tertangani", terdata_pada=lama)
    # Cases now: A a darurat one just reported, a biasa one 70 days old and never answered (overdue).
    KasusFactory(kelurahan=a, urgensi="darurat", dibuat_oleh=user_staf)
    KasusFactory(kelurahan=a, urgensi="biasa", dibuat_pada=sekarang - dt.timedelta(days=70), dibuat_oleh=user_staf)
    # Last month: A darurat answered in 4 h and closed; B biasa answered after 9 days, still open.
    KasusFactory(
        kelurahan=a,
        urgensi="darurat",
        dibuat_pada=waktu(10),
        direspons_pada=waktu(10, 14),
        status="selesai",
        selesai_pada=waktu(12),
        dibuat_oleh=user_staf,
    )
    KasusFactory(
        kelurahan=b,
        urgensi="biasa",
        dibuat_pada=waktu(11),
        direspons_pada=waktu(20),
        status="ditangani",
        dibuat_oleh=user_staf,
    )
    # Extreme poverty on the last day of last month: A two households (3 + 2 jiwa); B's left in 2024.
    StatusMiskinEkstremFactory(keluarga=KeluargaFactory(kelurahan=a), jiwa_masuk=3, dicatat_oleh=user_staf)
    StatusMiskinEkstremFactory(
        keluarga=KeluargaFactory(kelurahan=a), jiwa_masuk=2, tanggal_masuk=tgl(10), dicatat_oleh=user_staf
    )
    StatusMiskinEkstremFactory(
        keluarga=KeluargaFactory(kelurahan=b),
        tanggal_keluar=dt.date(2024, 3, 1),
        alasan_keluar="pindah",
        dicatat_oleh=user_staf,
    )
    # Assistance last month: A two paid (one confirmed at Rp700.000 of Rp750.000), one failed, one
    # planned; B one; A one this month (not last month's).
    pkh, bpnt = ProgramFactory(), ProgramFactory(kode="BPNT", nama="Sembako", nilai_standar=200_000)
    ka = KeluargaFactory(kelurahan=a)
    salur = PenyaluranFactory(keluarga=ka, program=pkh, tanggal=tgl(10), status="dikonfirmasi", dibuat_oleh=user_staf)
    KonfirmasiFactory(penyaluran=salur, nilai_diterima=700_000, dicatat_oleh=user_staf)
    PenyaluranFactory(keluarga=ka, program=pkh, tanggal=tgl(11), dibuat_oleh=user_staf)
    PenyaluranFactory(
        keluarga=ka, program=pkh, tanggal=None, status="gagal", alasan_gagal="Rekening tutup", dibuat_oleh=user_staf
    )
    PenyaluranFactory(keluarga=ka, program=pkh, tanggal=None, status="direncanakan", dibuat_oleh=user_staf)
    PenyaluranFactory(
        keluarga=KeluargaFactory(kelurahan=b), program=bpnt, nilai=200_000, tanggal=tgl(12), dibuat_oleh=user_staf
    )
    PenyaluranFactory(keluarga=ka, program=pkh, tanggal=timezone.localdate(), dibuat_oleh=user_staf)
    # Flags: A one open and one resolved, B one open.
    BenderaFactory(kelurahan=a, penyaluran=salur)
    BenderaFactory(
        kelurahan=a, diselesaikan_pada=sekarang, diselesaikan_oleh=user_staf, catatan_penyelesaian="Sudah diklarifikasi"
    )
    BenderaFactory(kelurahan=b)
    # Complaints last month: A open and past its deadline; B closed; one without kelurahan, open, due later.
    PengaduanFactory(kelurahan=a, diterima_pada=waktu(10))
    PengaduanFactory(
        kelurahan=b,
        diterima_pada=waktu(11),
        status="selesai",
        ditutup_pada=waktu(15),
        ditutup_oleh=user_staf,
        resolusi="Dana dikembalikan",
    )
    PengaduanFactory(diterima_pada=waktu(12), batas_waktu=sekarang + dt.timedelta(days=5))
    return {"a": a, "b": b}
