"""The arithmetic of the progress page against hand-computed cases (kemiskinan/progres.py)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kemiskinan import progres as p
from kemiskinan.models import StatusMiskinEkstrem, Target
from tests.factories import KeluargaFactory, StatusMiskinEkstremFactory, TargetFactory, UsulanKeluarFactory
from wilayah.models import Kelurahan

D = dt.date
BASELINE, TARGET = D(2023, 6, 16), D(2024, 12, 31)


# --- pure functions ------------------------------------------------------------------------------

BARIS = [
    (D(2023, 1, 10), None, 3),  # A: open
    (D(2023, 6, 16), D(2023, 9, 1), 5),  # B: entered on the baseline day, left 01/09
    (D(2023, 7, 1), None, 2),  # C: entered after the baseline
    (D(2023, 3, 1), D(2023, 6, 16), 4),  # D: left on the baseline day (not in its stock)
]


@pytest.mark.parametrize(
    ("tanggal", "kk", "jiwa"),
    [
        (D(2023, 6, 15), 2, 7),  # A, D
        (D(2023, 6, 16), 2, 8),  # A, B
        (D(2023, 8, 31), 3, 10),  # A, B, C
        (D(2023, 9, 1), 2, 5),  # A, C: an exit counts from its own day
        (D(2022, 12, 31), 0, 0),
    ],
)
def test_stok_pada_tanggal(tanggal, kk, jiwa):
    assert p.stok_pada(BARIS, tanggal) == p.Angka(kk, jiwa)


def test_garis_target_lurus_dari_baseline_ke_nol():
    # 564 days from 16/06/2023 to 31/12/2024; 282 days is half way.
    assert p.garis_target(41, BASELINE, TARGET, BASELINE) == 41
    assert p.garis_target(41, BASELINE, TARGET, D(2023, 1, 1)) == 41
    assert p.garis_target(41, BASELINE, TARGET, BASELINE + dt.timedelta(days=282)) == pytest.approx(20.5)
    assert p.garis_target(41, BASELINE, TARGET, TARGET) == 0
    assert p.garis_target(41, BASELINE, TARGET, D(2026, 1, 1)) == 0


def test_persen_penduduk():
    assert p.persen(222, 149_077) == Decimal("0.149")  # 0,1489…%
    assert p.persen(5, 149_077) == Decimal("0.003")
    assert p.persen(3, 3000) == Decimal("0.100")
    assert p.persen(3, None) is None
    assert p.persen(3, 0) is None


def test_tambah_bulan_dan_terlambat_bulan():
    assert p.tambah_bulan(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert p.tambah_bulan(D(2024, 12, 31), -6) == D(2024, 6, 30)
    assert p.tambah_bulan(D(2023, 11, 15), 3) == D(2024, 2, 15)
    assert p.terlambat_bulan(TARGET, TARGET) == 0
    assert p.terlambat_bulan(TARGET, D(2025, 1, 1)) == 1
    assert p.terlambat_bulan(TARGET, D(2025, 1, 31)) == 1
    assert p.terlambat_bulan(TARGET, D(2025, 2, 1)) == 2
    assert p.daftar_bulan(D(2023, 6, 16), D(2023, 9, 1)) == [D(2023, 6, 1), D(2023, 7, 1), D(2023, 8, 1), D(2023, 9, 1)]


def test_proyeksi_sesuai_target():
    # 10 KK; 6 net exits in the 182 days from 01/01/2024 to 01/07/2024: zero after 10 × 182 / 6 =
    # 303,3 → 304 days, on 01/05/2025.
    hasil = p.proyeksikan(stok=10, keluar_bersih=6, hari_jendela=182, per=D(2024, 7, 1), target=D(2025, 6, 30))
    assert hasil.status == p.SESUAI
    assert hasil.tanggal_nol == D(2024, 7, 1) + dt.timedelta(days=304) == D(2025, 5, 1)
    assert hasil.laju_per_bulan == pytest.approx(6 / (182 / p.HARI_PER_BULAN))
    assert hasil.terlambat_bulan is None


def test_proyeksi_terlambat_dibulatkan_ke_atas():
    hasil = p.proyeksikan(stok=10, keluar_bersih=6, hari_jendela=182, per=D(2024, 7, 1), target=TARGET)
    assert hasil.status == p.TERLAMBAT
    assert hasil.tanggal_nol == D(2025, 5, 1)
    assert hasil.terlambat_bulan == 5  # 31/12/2024 + 4 months = 30/04/2025, one day short


@pytest.mark.parametrize("bersih", [0, -2])
def test_tanpa_keluar_bersih_tidak_ada_tanggal_proyeksi(bersih):
    hasil = p.proyeksikan(stok=7, keluar_bersih=bersih, hari_jendela=183, per=D(2026, 11, 28), target=TARGET)
    assert hasil.status == p.TANPA_PROYEKSI
    assert hasil.tanggal_nol is None and hasil.terlambat_bulan is None


def test_proyeksi_stok_nol_dan_data_kurang():
    assert p.proyeksikan(stok=0, keluar_bersih=0, hari_jendela=183, per=TARGET, target=TARGET).status == p.TERCAPAI
    kurang = p.proyeksikan(stok=5, keluar_bersih=2, hari_jendela=20, per=D(2023, 7, 6), target=TARGET)
    assert kurang.status == p.KURANG_DATA and kurang.tanggal_nol is None


def test_laju_yang_terlalu_kecil_tidak_diproyeksikan():
    # 1 net exit in six months for 500 KK: 3,000 months, no projection.
    hasil = p.proyeksikan(stok=500, keluar_bersih=1, hari_jendela=183, per=D(2026, 1, 1), target=TARGET)
    assert hasil.status == p.TANPA_PROYEKSI


# --- from the records ------------------------------------------------------------------------------


@pytest.fixture
def skenario(db, kelurahan_a, kelurahan_b, user_staf):
    """Seven stays over two kelurahan (see the comments); baseline 16/06/2023."""

    def stay(kel, masuk, keluar=None, jiwa=1, alasan=""):
        pengeluaran = 400_000 if alasan == "graduasi" else None
        return StatusMiskinEkstremFactory(
            keluarga=KeluargaFactory(kelurahan=kel),
            tanggal_masuk=masuk,
            tanggal_keluar=keluar,
            alasan_keluar=alasan,
            pengeluaran_keluar=pengeluaran,
            jiwa_masuk=jiwa,
            dicatat_oleh=user_staf,
        )

    a, b = kelurahan_a, kelurahan_b
    hasil = {
        "A": stay(a, D(2023, 1, 10), jiwa=3),
        "B": stay(a, D(2023, 2, 1), D(2023, 9, 15), 5, "graduasi"),
        "C": stay(b, D(2023, 3, 1), D(2024, 2, 10), 4, "pindah"),
        "D": stay(b, D(2023, 11, 20), jiwa=2),  # entered after the baseline
        "E": stay(a, D(2023, 5, 1), D(2024, 5, 5), 6, "graduasi"),
        "F": stay(b, D(2024, 7, 10), jiwa=9),  # after ``per``
        "G": stay(a, D(2022, 5, 1), D(2023, 6, 16), 7, "salah_data"),  # left on the baseline day
    }
    return hasil


def _hitung(per, *, kelurahan=None, seluruh_kota=True, target=None):
    qs = StatusMiskinEkstrem.objects.all()
    kel = Kelurahan.objects.select_related("kecamatan")
    if kelurahan is not None:
        qs, kel = qs.filter(keluarga__kelurahan=kelurahan), kel.filter(pk=kelurahan.pk)
    return p.hitung(
        qs=qs,
        kelurahan=list(kel),
        per=per,
        target=target or Target.objects.aktif() or TargetFactory(),
        seluruh_kota=seluruh_kota,
    )


def test_hitung_stok_arus_dan_proyeksi_dari_catatan(skenario, kelurahan_a, kelurahan_b):
    diusulkan = timezone.make_aware(dt.datetime(2024, 6, 1, 10))
    UsulanKeluarFactory(status_miskin=skenario["A"], diusulkan_pada=diusulkan)
    hasil = _hitung(D(2024, 6, 30))
    assert hasil.baseline_tercatat == p.Angka(4, 18)  # A, B, C, E
    assert hasil.baseline_garis == p.Angka(41, 222)  # the reported figures (whole city)
    assert hasil.masuk == p.Angka(1, 2)  # D
    assert hasil.keluar == p.Angka(3, 15)  # B, C, E
    assert hasil.kini == p.Angka(2, 5)  # A, D = 4 + 1 - 3
    assert hasil.kini == p.stok_semua(StatusMiskinEkstrem.objects.all(), D(2024, 6, 30))
    assert hasil.penduduk == p.PENDUDUK_KOTA and hasil.sumber_penduduk == "kota"
    assert hasil.persen == Decimal("0.003")
    assert hasil.menunggu_verifikasi == 1
    assert hasil.keluar_per_alasan == [
        ("Graduasi (pengeluaran per orang di atas garis)", p.Angka(2, 11)),
        ("Pindah ke luar kota", p.Angka(1, 4)),
    ]
    # Window 30/12/2023–30/06/2024 (183 days): exits C and E, no entries: 2 KK → 2 × 183 / 2 days.
    assert hasil.jendela_awal == D(2023, 12, 30)
    assert hasil.proyeksi.tanggal_nol == D(2024, 12, 30)
    assert hasil.proyeksi.status == p.SESUAI
    # Month-end stock: 4 at the baseline, B out in 09/2023, D in 11/2023, C out 02/2024, E out 05/2024.
    assert [(b.bulan.strftime("%m/%Y"), b.stok_akhir.kk) for b in hasil.bulanan] == [
        ("06/2023", 4), ("07/2023", 4), ("08/2023", 4), ("09/2023", 3), ("10/2023", 3), ("11/2023", 4),
        ("12/2023", 4), ("01/2024", 4), ("02/2024", 3), ("03/2024", 3), ("04/2024", 3), ("05/2024", 2),
        ("06/2024", 2),
    ]  # fmt: skip
    assert hasil.bulanan[-1].tanggal_akhir == D(2024, 6, 30)
    assert hasil.bulanan[3].keluar == p.Angka(1, 5)
    # Per kelurahan (and their kecamatan), from the same grouped query.
    baris = {k.kelurahan_id: k for w in hasil.wilayah for k in w.anak}
    a, b = baris[kelurahan_a.pk], baris[kelurahan_b.pk]
    assert (a.baseline, a.kini, a.masuk, a.keluar) == (p.Angka(3, 14), p.Angka(1, 3), p.Angka(), p.Angka(2, 11))
    assert (b.baseline, b.kini, b.masuk, b.keluar) == (p.Angka(1, 4), p.Angka(1, 2), p.Angka(1, 2), p.Angka(1, 4))
    assert sum((w.kini for w in hasil.wilayah), p.Angka()) == hasil.kini


def test_hitung_per_tanggal_lampau(skenario):
    hasil = _hitung(D(2023, 10, 1))
    assert hasil.kini == p.Angka(3, 13)  # A, C, E (B left 15/09/2023)
    assert hasil.keluar == p.Angka(1, 5)
    assert hasil.bulanan[-1].tanggal_akhir == D(2023, 10, 1)
    # Window from the baseline (less than six months): B out, nothing in; 107 days.
    assert hasil.jendela_awal == BASELINE
    assert hasil.proyeksi.tanggal_nol == D(2023, 10, 1) + dt.timedelta(days=3 * 107)


def test_persen_dari_penduduk_kelurahan_bila_diketahui(skenario, kelurahan_a):
    hasil = _hitung(D(2024, 6, 30), kelurahan=kelurahan_a, seluruh_kota=False)
    assert hasil.penduduk is None and hasil.persen is None  # unknown, and not the whole city
    assert hasil.baseline_garis == hasil.baseline_tercatat == p.Angka(3, 14)  # recorded, not reported
    Kelurahan.objects.filter(pk=kelurahan_a.pk).update(jumlah_penduduk=3000)
    hasil = _hitung(D(2024, 6, 30), kelurahan=Kelurahan.objects.get(pk=kelurahan_a.pk), seluruh_kota=False)
    assert hasil.sumber_penduduk == "kelurahan"
    assert hasil.persen == Decimal("0.100")  # 3 jiwa of 3,000


def test_tanpa_keluar_enam_bulan_terakhir_tanpa_tanggal_nol(skenario):
    hasil = _hitung(D(2025, 6, 30))  # last exit 05/05/2024; F entered 10/07/2024
    assert hasil.kini == p.Angka(3, 14)
    assert hasil.proyeksi.status == p.TANPA_PROYEKSI
    assert hasil.proyeksi.tanggal_nol is None


def test_usulan_menunggu_dihitung_per_tanggal(skenario, user_staf):
    """Pending on a date: proposed by then, not decided by then (WIB dates)."""
    UsulanKeluarFactory(
        status_miskin=skenario["A"],
        diusulkan_pada=timezone.make_aware(dt.datetime(2024, 3, 1, 23, 30)),
        status="ditolak",
        diverifikasi_oleh=user_staf,
        diverifikasi_pada=timezone.make_aware(dt.datetime(2024, 3, 10, 8)),
        catatan_verifikasi="Belum graduasi.",
    )
    assert [
        _hitung(D(2024, 2, 29)).menunggu_verifikasi,
        _hitung(D(2024, 3, 1)).menunggu_verifikasi,
        _hitung(D(2024, 3, 9)).menunggu_verifikasi,
        _hitung(D(2024, 3, 10)).menunggu_verifikasi,
    ] == [0, 1, 1, 0]
