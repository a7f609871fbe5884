"""Each integrity rule raised and not raised (bantuan/integritas.py), idempotence, resolved flags."""

import datetime as dt

import pytest
from django.utils import timezone

from bantuan import integritas, services
from bantuan.models import Bendera, Penyaluran
from penduduk.services import penduduk_simpan
from tests.bantuan.factories import KonfirmasiFactory, PenyaluranFactory, program
from tests.factories import KeluargaFactory, PendudukFactory

pytestmark = pytest.mark.django_db


def _jenis(jenis):
    return list(Bendera.objects.filter(jenis=jenis).order_by("pk"))


# --- kurang_terima --------------------------------------------------------------------------------


@pytest.mark.parametrize(("diterima", "bendera"), [(500_000, 1), (600_000, 0), (650_000, 0)])
def test_kurang_terima_hanya_bila_kurang(keluarga_a, psm_a, diterima, bendera):
    k = KonfirmasiFactory(penyaluran__keluarga=keluarga_a, penyaluran__pendamping=psm_a, nilai_diterima=diterima)
    assert integritas.periksa_semua()["kurang_terima"] == bendera
    daftar = _jenis("kurang_terima")
    assert len(daftar) == bendera
    if bendera:
        b = daftar[0]
        assert (b.penyaluran, b.kelurahan, b.pendamping, b.kunci) == (
            k.penyaluran,
            keluarga_a.kelurahan,
            psm_a,
            f"kurang_terima:{k.penyaluran_id}",
        )
        assert "menerima Rp500.000 dari Rp600.000" in b.alasan and "kurang Rp100.000" in b.alasan
        assert psm_a.username in b.alasan or psm_a.get_full_name() in b.alasan
        assert b.history.count() == 1


def test_pemeriksaan_ulang_tidak_menggandakan_dan_yang_selesai_tidak_dimunculkan_lagi(keluarga_a, user_staf):
    KonfirmasiFactory(penyaluran__keluarga=keluarga_a, nilai_diterima=1)
    assert integritas.periksa_semua()["kurang_terima"] == 1
    assert integritas.periksa_semua()["kurang_terima"] == 0
    b = Bendera.objects.get()
    services.bendera_selesaikan(bendera=b, oleh=user_staf, catatan="Sudah dicek: salah tulis nominal.")
    assert sum(integritas.periksa_semua().values()) == 0
    assert Bendera.objects.count() == 1
    b.refresh_from_db()
    assert b.diselesaikan_pada is not None and b.diselesaikan_oleh == user_staf


# --- ganda --------------------------------------------------------------------------------------


def test_ganda_keluarga_program_periode_sama(keluarga_a):
    pertama = PenyaluranFactory(keluarga=keluarga_a)
    kedua = PenyaluranFactory(keluarga=keluarga_a, status="dikonfirmasi")
    assert integritas.periksa_semua()["ganda"] == 1
    b = Bendera.objects.get(jenis="ganda")
    assert b.penyaluran == kedua
    assert f"#{pertama.pk}" in b.alasan and "BPNT periode 01/2025" in b.alasan


@pytest.mark.parametrize(
    "lain",
    [
        {"periode": dt.date(2025, 4, 1)},  # another period
        {"program": "PKH"},  # another programme
        {"status": "gagal", "alasan_gagal": "KKS terblokir"},  # a failed one did not reach them
        {"status": "direncanakan", "tanggal": None},  # planned only
    ],
)
def test_ganda_tidak_muncul(keluarga_a, lain):
    PenyaluranFactory(keluarga=keluarga_a)
    if "program" in lain:
        lain = {**lain, "program": program(lain["program"])}
    PenyaluranFactory(keluarga=keluarga_a, **lain)
    assert integritas.periksa_semua()["ganda"] == 0


def test_ganda_perorangan_berbeda_dalam_satu_keluarga_tidak_ganda(keluarga_a, penduduk_a, kelurahan_a):
    """PBI-JK for two members of one household in the same month is not a double receipt."""
    kepala = keluarga_a.anggota.get(hubungan="kepala")
    pbi = program("PBI-JK")
    for orang in (kepala, penduduk_a):
        PenyaluranFactory(program=pbi, keluarga=keluarga_a, penduduk=orang, nilai=42_000)
    assert integritas.periksa_semua()["ganda"] == 0
    PenyaluranFactory(program=pbi, keluarga=keluarga_a, penduduk=penduduk_a, nilai=42_000)
    assert integritas.periksa_semua()["ganda"] == 1


def test_ganda_diperiksa_saat_disimpan(keluarga_a, user_staf):
    PenyaluranFactory(keluarga=keluarga_a, periode=dt.date(2025, 1, 1))
    p = Penyaluran(
        program=program("BPNT"),
        keluarga=keluarga_a,
        periode=dt.date(2025, 2, 15),
        nilai=600_000,
        tanggal=dt.date(2025, 2, 20),
        saluran="ewarong",
        status="disalurkan",
    )
    services.penyaluran_simpan(penyaluran=p, oleh=user_staf)
    assert p.periode == dt.date(2025, 1, 1)  # the first day of its quarter
    assert Bendera.objects.get(jenis="ganda").penyaluran == p


# --- penerima_tidak_layak -------------------------------------------------------------------------


def _meninggal(orang, oleh):
    orang.status = "meninggal"
    penduduk_simpan(penduduk=orang, oleh=oleh)


def test_penerima_meninggal_sebelum_tanggal_salur(keluarga_a, penduduk_a, user_staf):
    _meninggal(penduduk_a, user_staf)
    hari_ini = timezone.localdate()
    pbi = program("PBI-JK")
    sebelum = PenyaluranFactory(
        program=pbi,
        keluarga=keluarga_a,
        penduduk=penduduk_a,
        tanggal=hari_ini - dt.timedelta(days=5),
        periode=hari_ini.replace(day=1) - dt.timedelta(days=40),
    )
    assert integritas.periksa_semua()["penerima_tidak_layak"] == 0  # distributed before the change was recorded
    p = Penyaluran(
        program=pbi,
        keluarga=keluarga_a,
        penduduk=penduduk_a,
        periode=hari_ini,
        nilai=42_000,
        tanggal=hari_ini + dt.timedelta(days=1),
        saluran="langsung",
        status="direncanakan",
    )
    services.penyaluran_simpan(penyaluran=p, oleh=user_staf)
    assert not Bendera.objects.filter(jenis="penerima_tidak_layak").exists()  # planned: nothing reached anyone
    Penyaluran.objects.filter(pk=p.pk).update(status="disalurkan")
    assert integritas.periksa_semua()["penerima_tidak_layak"] == 1
    b = Bendera.objects.get(jenis="penerima_tidak_layak")
    assert b.penyaluran_id == p.pk and b.penyaluran_id != sebelum.pk
    assert "Siti Rahmah berstatus meninggal" in b.alasan


def test_penerima_hidup_kembali_tidak_berbendera(keluarga_a, penduduk_a, user_staf):
    """A status corrected back to hidup (a data error) ends the spell."""
    _meninggal(penduduk_a, user_staf)
    penduduk_a.status = "hidup"
    penduduk_simpan(penduduk=penduduk_a, oleh=user_staf)
    PenyaluranFactory(
        program=program("PBI-JK"),
        keluarga=keluarga_a,
        penduduk=penduduk_a,
        tanggal=timezone.localdate() + dt.timedelta(days=1),
    )
    assert integritas.periksa_semua()["penerima_tidak_layak"] == 0


def test_keluarga_tanpa_anggota_hidup(kelurahan_a, user_staf):
    keluarga = KeluargaFactory(kelurahan=kelurahan_a)
    satu = PendudukFactory(keluarga=keluarga, kelurahan=kelurahan_a, hubungan="kepala")
    dua = PendudukFactory(keluarga=keluarga, kelurahan=kelurahan_a, hubungan="istri", jenis_kelamin="P")
    besok = timezone.localdate() + dt.timedelta(days=1)
    PenyaluranFactory(keluarga=keluarga, tanggal=besok)
    _meninggal(satu, user_staf)
    assert integritas.periksa_semua()["penerima_tidak_layak"] == 0  # one member still alive
    dua.status = "pindah"
    penduduk_simpan(penduduk=dua, oleh=user_staf)
    assert integritas.periksa_semua()["penerima_tidak_layak"] == 1
    assert "Semua anggota keluarga" in Bendera.objects.get().alasan


# --- belum_dikonfirmasi ---------------------------------------------------------------------------


def test_belum_dikonfirmasi_lebih_dari_30_hari(keluarga_a, settings):
    hari_ini = timezone.localdate()
    lama = PenyaluranFactory(keluarga=keluarga_a, tanggal=hari_ini - dt.timedelta(days=31))
    PenyaluranFactory(keluarga=keluarga_a, periode=dt.date(2025, 4, 1), tanggal=hari_ini - dt.timedelta(days=30))
    KonfirmasiFactory(
        penyaluran__keluarga=keluarga_a,
        penyaluran__periode=dt.date(2025, 7, 1),
        penyaluran__tanggal=hari_ini - dt.timedelta(days=90),
    )
    PenyaluranFactory(
        keluarga=keluarga_a,
        periode=dt.date(2025, 10, 1),
        status="gagal",
        alasan_gagal="Pindah alamat",
        tanggal=hari_ini - dt.timedelta(days=90),
    )
    assert integritas.periksa_semua()["belum_dikonfirmasi"] == 1
    assert Bendera.objects.get(jenis="belum_dikonfirmasi").penyaluran == lama
    settings.BANTUAN_HARI_KONFIRMASI = 10
    assert integritas.periksa_semua()["belum_dikonfirmasi"] == 1  # the 30-day-old one now too


# --- pendamping_janggal ---------------------------------------------------------------------------


def _konfirmasi(pendamping, n, kurang, kelurahan):
    for i in range(n):
        KonfirmasiFactory(
            penyaluran__keluarga=KeluargaFactory(kelurahan=kelurahan),
            penyaluran__pendamping=pendamping,
            penyaluran__tanggal=timezone.localdate() - dt.timedelta(days=20),
            nilai_diterima=500_000 if i < kurang else 600_000,
        )


def test_pendamping_janggal(psm_a, psm_b, kelurahan_a, kelurahan_b, settings):
    settings.BANTUAN_PENDAMPING_MIN_KONFIRMASI = 5
    _konfirmasi(psm_a, 6, 3, kelurahan_a)  # 50%
    _konfirmasi(psm_b, 14, 1, kelurahan_b)  # 7%; city 4/20 = 20%: psm_a >= 2 x 20%
    hasil = integritas.periksa_semua()
    assert hasil["pendamping_janggal"] == 1
    b = Bendera.objects.get(jenis="pendamping_janggal")
    assert b.pendamping == psm_a and b.penyaluran is None
    assert "3 dari 6" in b.alasan and "(50,0%)" in b.alasan and "20,0%" in b.alasan
    assert integritas.periksa_semua()["pendamping_janggal"] == 0


def test_pendamping_tidak_janggal_bila_konfirmasi_sedikit_atau_porsi_biasa(
    psm_a, psm_b, kelurahan_a, kelurahan_b, settings
):
    settings.BANTUAN_PENDAMPING_MIN_KONFIRMASI = 10
    _konfirmasi(psm_a, 6, 3, kelurahan_a)  # too few confirmations
    _konfirmasi(psm_b, 14, 2, kelurahan_b)  # 14% < 2 x 25%
    assert integritas.periksa_semua()["pendamping_janggal"] == 0


def test_tanpa_kekurangan_di_kota_tidak_ada_pendamping_janggal(psm_a, kelurahan_a, settings):
    settings.BANTUAN_PENDAMPING_MIN_KONFIRMASI = 1
    _konfirmasi(psm_a, 5, 0, kelurahan_a)
    assert integritas.cek_pendamping_janggal() == []


def test_bendera_tidak_bisa_dihapus(keluarga_a):
    from django.db.models import ProtectedError

    b = Bendera.objects.create(
        jenis="ganda", kunci="x", alasan="uji", penyaluran=PenyaluranFactory(keluarga=keluarga_a)
    )
    with pytest.raises(ProtectedError):
        b.penyaluran.delete()
    assert Bendera.objects.filter(pk=b.pk).exists()
