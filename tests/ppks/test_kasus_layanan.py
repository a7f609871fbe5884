"""The case services (ppks/services.py) against the workflow of ppks/alur.py: every allowed and
refused transition, reasons, the first-response time, deadlines per urgency in WIB, area refusals."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from akun.roles import Peran
from ppks.alur import BISA_DIBUKA_KEMBALI, TRANSISI
from ppks.choices import StatusKasus as S
from ppks.models import Kasus, Rujukan, Tindakan
from ppks.services import (
    kasus_buat,
    kasus_buka_kembali,
    kasus_ubah,
    kasus_ubah_status,
    rujukan_buat,
    rujukan_ubah_status,
    tindakan_catat,
)
from ppks.templatetags.kasus import format_wib
from tests.factories import KasusFactory, UserFactory

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
SEMUA_STATUS = list(S.values)
PASANGAN = list(itertools.product(SEMUA_STATUS, SEMUA_STATUS))


def _baru(oleh, kelurahan, **kw) -> Kasus:
    data = {"ringkasan": "Lansia sakit sendirian", "sumber": "warga", "urgensi": "biasa", "kelurahan": kelurahan}
    data.update(kw)
    return kasus_buat(kasus=Kasus(**data), oleh=oleh)


def _dengan_status(kelurahan, status) -> Kasus:
    selesai = timezone.now() if status in (S.SELESAI, S.DITUTUP) else None
    return KasusFactory(kelurahan=kelurahan, status=status, selesai_pada=selesai)


# --- the workflow --------------------------------------------------------------------------------


def test_tabel_transisi_sesuai_alur_yang_disepakati():
    """A change to the workflow is deliberate: this table is the documentation of ppks/alur.py."""
    disepakati = {
        S.BARU: {S.DIVERIFIKASI, S.DITUTUP},
        S.DIVERIFIKASI: {S.DITANGANI, S.DITUTUP},
        S.DITANGANI: {S.DIRUJUK, S.SELESAI, S.DITUTUP},
        S.DIRUJUK: {S.DITANGANI, S.SELESAI, S.DITUTUP},
        S.SELESAI: set(),
        S.DITUTUP: set(),
    }
    assert disepakati == TRANSISI
    assert set(TRANSISI) == set(SEMUA_STATUS)


@pytest.mark.parametrize(("dari", "ke"), PASANGAN)
def test_setiap_transisi_diizinkan_atau_ditolak(user_staf, kelurahan_a, dari, ke):
    kasus = _dengan_status(kelurahan_a, dari)
    riwayat_sebelum = kasus.history.count()
    if ke in TRANSISI[dari]:
        hasil = kasus_ubah_status(kasus=kasus, oleh=user_staf, status=ke, alasan="Alasan uji")
        hasil.refresh_from_db()
        assert hasil.status == ke
        entri = Tindakan.objects.get(kasus=kasus)
        assert entri.jenis == "status" and entri.oleh == user_staf
        assert str(S(dari).label) in entri.uraian and str(S(ke).label) in entri.uraian
        if ke in (S.SELESAI, S.DITUTUP):
            assert hasil.selesai_pada is not None
        assert hasil.alasan_tutup == ("Alasan uji" if ke == S.DITUTUP else "")
    else:
        with pytest.raises(ValidationError):
            kasus_ubah_status(kasus=kasus, oleh=user_staf, status=ke, alasan="Alasan uji")
        kasus.refresh_from_db()
        assert kasus.status == dari
        assert not Tindakan.objects.filter(kasus=kasus).exists()
        assert kasus.history.count() == riwayat_sebelum


@pytest.mark.parametrize("dari", [s for s in SEMUA_STATUS if S.DITUTUP in TRANSISI[s]])
@pytest.mark.parametrize("alasan", ["", "   ", "\n"])
def test_menutup_kasus_butuh_alasan(user_staf, kelurahan_a, dari, alasan):
    kasus = _dengan_status(kelurahan_a, dari)
    with pytest.raises(ValidationError) as galat:
        kasus_ubah_status(kasus=kasus, oleh=user_staf, status=S.DITUTUP, alasan=alasan)
    assert "alasan" in galat.value.message_dict
    kasus.refresh_from_db()
    assert kasus.status == dari and kasus.selesai_pada is None


def test_alur_lengkap_sampai_selesai(user_staf, kelurahan_a):
    kasus = _baru(user_staf, kelurahan_a)
    for ke in (S.DIVERIFIKASI, S.DITANGANI, S.DIRUJUK, S.DITANGANI, S.SELESAI):
        kasus = kasus_ubah_status(kasus=kasus, oleh=user_staf, status=ke)
    kasus.refresh_from_db()
    assert kasus.status == S.SELESAI and not kasus.terbuka
    assert Tindakan.objects.filter(kasus=kasus, jenis="status").count() == 5


@pytest.mark.parametrize("dari", SEMUA_STATUS)
def test_buka_kembali_hanya_dari_selesai_atau_ditutup(user_staf, kelurahan_a, dari):
    kasus = _dengan_status(kelurahan_a, dari)
    if dari in BISA_DIBUKA_KEMBALI:
        hasil = kasus_buka_kembali(kasus=kasus, oleh=user_staf, alasan="Laporan baru dari warga")
        hasil.refresh_from_db()
        assert hasil.status == S.BARU  # nobody had verified it
        assert hasil.selesai_pada is None and hasil.alasan_tutup == ""
        assert "Laporan baru dari warga" in Tindakan.objects.get(kasus=kasus).uraian
    else:
        with pytest.raises(ValidationError):
            kasus_buka_kembali(kasus=kasus, oleh=user_staf, alasan="Laporan baru dari warga")
        kasus.refresh_from_db()
        assert kasus.status == dari


@pytest.mark.parametrize("alasan", ["", "  "])
def test_buka_kembali_butuh_alasan(user_staf, kelurahan_a, alasan):
    kasus = _dengan_status(kelurahan_a, S.SELESAI)
    with pytest.raises(ValidationError) as galat:
        kasus_buka_kembali(kasus=kasus, oleh=user_staf, alasan=alasan)
    assert "alasan" in galat.value.message_dict
    kasus.refresh_from_db()
    assert kasus.status == S.SELESAI


def test_buka_kembali_ke_diverifikasi_bila_pernah_diverifikasi_dengan_batas_baru(user_staf, kelurahan_a, monkeypatch):
    kasus = _baru(user_staf, kelurahan_a, urgensi="tinggi")
    kasus = kasus_ubah_status(kasus=kasus, oleh=user_staf, status=S.DIVERIFIKASI)
    kasus = kasus_ubah_status(kasus=kasus, oleh=user_staf, status=S.DITUTUP, alasan="Tidak ditemukan")
    nanti = timezone.now() + dt.timedelta(days=30)
    monkeypatch.setattr(timezone, "now", lambda: nanti)
    kasus = kasus_buka_kembali(kasus=kasus, oleh=user_staf, alasan="Ditemukan lagi di pasar")
    kasus.refresh_from_db()
    assert kasus.status == S.DIVERIFIKASI
    assert kasus.batas_respons == nanti + dt.timedelta(hours=72)


# --- first response --------------------------------------------------------------------------------


def test_waktu_respons_pertama_adalah_tindakan_pertama_setelah_laporan(user_staf, psm_a, kelurahan_a):
    dilaporkan = timezone.now() - dt.timedelta(hours=5)
    kasus = _baru(user_staf, kelurahan_a, dibuat_pada=dilaporkan)
    assert kasus.direspons_pada is None and kasus.waktu_respons is None
    pertama = dilaporkan + dt.timedelta(hours=2, minutes=15)
    tindakan_catat(kasus=kasus, oleh=psm_a, jenis="kunjungan", uraian="Dikunjungi", waktu=pertama)
    tindakan_catat(
        kasus=kasus, oleh=user_staf, jenis="catatan", uraian="Ditelepon", waktu=dilaporkan + dt.timedelta(hours=1)
    )
    kasus.refresh_from_db()
    # The second entry is earlier, but the response was already recorded: it does not move.
    assert kasus.direspons_pada == pertama
    assert kasus.waktu_respons == dt.timedelta(hours=2, minutes=15)


@pytest.mark.parametrize("waktu", [dt.timedelta(hours=-3), dt.timedelta(days=-365 * 2026)])
def test_tindakan_bertanggal_sebelum_laporan_ditolak(user_staf, kelurahan_a, waktu):
    """Review: a backdated entry faked an on-time response, and a year-1 time broke the case page."""
    dilaporkan = timezone.now() - dt.timedelta(hours=1)
    kasus = _baru(user_staf, kelurahan_a, dibuat_pada=dilaporkan)
    with pytest.raises(ValidationError) as info:
        tindakan_catat(kasus=kasus, oleh=user_staf, jenis="catatan", uraian="x", waktu=dilaporkan + waktu)
    assert "sebelum kasus dilaporkan" in str(info.value)
    kasus.refresh_from_db()
    assert kasus.direspons_pada is None and not kasus.tindakan.exists()


def test_perubahan_status_dan_rujukan_juga_respons_pertama(user_staf, kelurahan_a):
    kasus = _baru(user_staf, kelurahan_a)
    kasus_ubah_status(kasus=kasus, oleh=user_staf, status=S.DIVERIFIKASI)
    kasus.refresh_from_db()
    assert kasus.direspons_pada is not None
    lain = _baru(user_staf, kelurahan_a)
    rujukan_buat(rujukan=Rujukan(kasus=lain, jenis_lembaga="kesehatan", nama_lembaga="Puskesmas"), oleh=user_staf)
    lain.refresh_from_db()
    assert lain.direspons_pada is not None


def test_tindakan_masa_depan_dan_jenis_status_ditolak(user_staf, kelurahan_a):
    kasus = _baru(user_staf, kelurahan_a)
    with pytest.raises(ValidationError):
        tindakan_catat(
            kasus=kasus, oleh=user_staf, jenis="kunjungan", uraian="x", waktu=timezone.now() + dt.timedelta(hours=1)
        )
    with pytest.raises(ValidationError):
        tindakan_catat(kasus=kasus, oleh=user_staf, jenis="status", uraian="Status: Selesai")
    with pytest.raises(ValidationError):
        tindakan_catat(kasus=kasus, oleh=user_staf, jenis="kunjungan", uraian="")
    kasus.refresh_from_db()
    assert kasus.direspons_pada is None and not kasus.tindakan.exists()


# --- deadlines ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("urgensi", "jam"), [("darurat", 24), ("tinggi", 72), ("biasa", 168)])
def test_batas_respons_per_urgensi(user_staf, kelurahan_a, urgensi, jam):
    dilaporkan = timezone.now() - dt.timedelta(minutes=10)
    kasus = _baru(user_staf, kelurahan_a, urgensi=urgensi, dibuat_pada=dilaporkan)
    assert kasus.batas_respons == dilaporkan + dt.timedelta(hours=jam)
    assert kasus.status == S.BARU and kasus.dibuat_oleh == user_staf


@pytest.mark.parametrize("urgensi", ["biasa", "tinggi", "darurat"])
def test_kasus_viral_selalu_darurat(user_staf, kelurahan_a, urgensi):
    dilaporkan = timezone.now()
    kasus = _baru(user_staf, kelurahan_a, urgensi=urgensi, viral=True, dibuat_pada=dilaporkan)
    assert kasus.urgensi == "darurat"
    assert kasus.batas_respons == dilaporkan + dt.timedelta(hours=24)


def test_batas_jam_bisa_diatur(user_staf, kelurahan_a, settings):
    settings.KASUS_BATAS_JAM = {"darurat": 6, "tinggi": 48, "biasa": 120}
    dilaporkan = timezone.now()
    kasus = _baru(user_staf, kelurahan_a, urgensi="darurat", dibuat_pada=dilaporkan)
    assert kasus.batas_respons == dilaporkan + dt.timedelta(hours=6)


@pytest.mark.parametrize(
    ("dilaporkan", "urgensi", "batas_wib"),
    [
        # Reported 23:30 WIB (16:30 UTC, same UTC day): due 23:30 WIB the next day, not 16:30.
        (dt.datetime(2026, 3, 10, 23, 30, tzinfo=WIB), "darurat", "11/03/2026 23:30 WIB"),
        # 00:15 WIB is still the previous day in UTC.
        (dt.datetime(2026, 3, 10, 0, 15, tzinfo=WIB), "darurat", "11/03/2026 00:15 WIB"),
        (dt.datetime(2025, 12, 31, 22, 0, tzinfo=WIB), "tinggi", "03/01/2026 22:00 WIB"),
        (dt.datetime(2026, 2, 26, 7, 45, tzinfo=WIB), "biasa", "05/03/2026 07:45 WIB"),
    ],
)
def test_batas_respons_melewati_pergantian_hari_dalam_wib(user_staf, kelurahan_a, dilaporkan, urgensi, batas_wib):
    kasus = _baru(user_staf, kelurahan_a, urgensi=urgensi, dibuat_pada=dilaporkan)
    kasus.refresh_from_db()
    assert format_wib(kasus.batas_respons) == batas_wib


@pytest.mark.parametrize(
    ("dilaporkan", "tahun"),
    [
        (dt.datetime(2025, 12, 31, 23, 30, tzinfo=WIB), "2025"),
        # 1 January 00:30 WIB is 31 December 17:30 UTC: the number follows the local year.
        (dt.datetime(2026, 1, 1, 0, 30, tzinfo=WIB), "2026"),
    ],
)
def test_nomor_kasus_memakai_tahun_wib(user_staf, kelurahan_a, dilaporkan, tahun):
    kasus = _baru(user_staf, kelurahan_a, dibuat_pada=dilaporkan)
    assert kasus.nomor == f"KS-{tahun}-{kasus.pk:06d}"


def test_ubah_urgensi_memindahkan_batas_dari_waktu_laporan_sebelum_respons(user_staf, kelurahan_a):
    dilaporkan = timezone.now() - dt.timedelta(hours=3)
    kasus = _baru(user_staf, kelurahan_a, urgensi="biasa", dibuat_pada=dilaporkan)
    kasus.urgensi = "darurat"
    kasus = kasus_ubah(kasus=kasus, oleh=user_staf)
    assert kasus.batas_respons == dilaporkan + dt.timedelta(hours=24)
    tindakan_catat(kasus=kasus, oleh=user_staf, jenis="asesmen", uraian="Asesmen awal")
    kasus.refresh_from_db()
    batas = kasus.batas_respons
    kasus.urgensi = "biasa"
    kasus = kasus_ubah(kasus=kasus, oleh=user_staf)
    assert kasus.batas_respons == batas  # already responded: the clock has done its job


def test_viral_saat_diubah_menjadi_darurat(user_staf, kelurahan_a):
    kasus = _baru(user_staf, kelurahan_a, urgensi="biasa")
    kasus.viral = True
    kasus = kasus_ubah(kasus=kasus, oleh=user_staf)
    kasus.refresh_from_db()
    assert kasus.urgensi == "darurat"
    assert kasus.batas_respons == kasus.dibuat_pada + dt.timedelta(hours=24)


# --- area and role refusals --------------------------------------------------------------------------


def test_psm_tidak_bisa_membuat_kasus_di_luar_wilayah_dan_pimpinan_tidak_menulis(psm_b, user_pimpinan, kelurahan_a):
    for oleh in (psm_b, user_pimpinan):
        with pytest.raises(PermissionDenied):
            _baru(oleh, kelurahan_a)
    assert not Kasus.objects.exists()


def test_psm_lain_ditolak_pada_setiap_tulis(psm_b, user_staf, kelurahan_a):
    kasus = _baru(user_staf, kelurahan_a)
    rujukan = rujukan_buat(rujukan=Rujukan(kasus=kasus, jenis_lembaga="lks", nama_lembaga="LKS"), oleh=user_staf)
    jumlah = (Tindakan.objects.count(), kasus.history.count())
    panggilan = [
        lambda: kasus_ubah_status(kasus=kasus, oleh=psm_b, status=S.DIVERIFIKASI),
        lambda: tindakan_catat(kasus=kasus, oleh=psm_b, jenis="kunjungan", uraian="x"),
        lambda: rujukan_buat(rujukan=Rujukan(kasus=kasus, jenis_lembaga="lks", nama_lembaga="LKS"), oleh=psm_b),
        lambda: rujukan_ubah_status(rujukan=rujukan, oleh=psm_b, status="ditolak"),
        lambda: kasus_ubah(kasus=kasus, oleh=psm_b),
    ]
    for panggil in panggilan:
        with pytest.raises(PermissionDenied):
            panggil()
    kasus_ubah_status(kasus=kasus, oleh=user_staf, status=S.DITUTUP, alasan="Uji")
    with pytest.raises(PermissionDenied):
        kasus_buka_kembali(kasus=kasus, oleh=psm_b, alasan="x")
    assert Tindakan.objects.filter(oleh=psm_b).count() == 0
    assert jumlah[0] + 1 == Tindakan.objects.count()


def test_psm_tidak_bisa_memindahkan_kasus_keluar_wilayah(psm_a, kelurahan_a, kelurahan_b):
    kasus = _baru(psm_a, kelurahan_a)
    kasus.kelurahan = kelurahan_b
    with pytest.raises(PermissionDenied):
        kasus_ubah(kasus=kasus, oleh=psm_a)
    assert Kasus.objects.get(pk=kasus.pk).kelurahan_id == kelurahan_a.pk


def test_psm_tidak_bisa_menarik_kasus_dari_luar_wilayah(psm_a, user_staf, kelurahan_a, kelurahan_b):
    kasus = _baru(user_staf, kelurahan_b)
    kasus.kelurahan = kelurahan_a
    with pytest.raises(PermissionDenied):
        kasus_ubah(kasus=kasus, oleh=psm_a)


def test_penduduk_luar_wilayah_ditolak(psm_a, kelurahan_a, penduduk_b):
    with pytest.raises(PermissionDenied):
        _baru(psm_a, kelurahan_a, penduduk=penduduk_b)
    assert not Kasus.objects.exists()


def test_psm_dan_petugas_yang_ditugaskan_harus_cocok(user_staf, psm_a, psm_b, kelurahan_a):
    with pytest.raises(ValidationError) as galat:
        _baru(user_staf, kelurahan_a, psm=psm_b)
    assert "psm" in galat.value.message_dict
    with pytest.raises(ValidationError):
        _baru(user_staf, kelurahan_a, psm=user_staf)
    with pytest.raises(ValidationError) as galat:
        _baru(user_staf, kelurahan_a, petugas=psm_a)
    assert "petugas" in galat.value.message_dict
    nonaktif = UserFactory(username="psm.lama", peran=Peran.PSM, kelurahan=[kelurahan_a], is_active=False)
    with pytest.raises(ValidationError):
        _baru(user_staf, kelurahan_a, psm=nonaktif)
    assert not Kasus.objects.exists()
    kasus = _baru(user_staf, kelurahan_a, psm=psm_a, petugas=user_staf)
    assert (kasus.psm, kasus.petugas) == (psm_a, user_staf)


def test_kasus_tertutup_tidak_bisa_dirujuk(user_staf, kelurahan_a):
    kasus = _dengan_status(kelurahan_a, S.SELESAI)
    with pytest.raises(ValidationError):
        rujukan_buat(rujukan=Rujukan(kasus=kasus, jenis_lembaga="lks", nama_lembaga="LKS"), oleh=user_staf)
    assert not Rujukan.objects.exists()


def test_status_rujukan_tercatat_di_lini_masa(user_staf, kelurahan_a):
    kasus = _baru(user_staf, kelurahan_a)
    rujukan = rujukan_buat(
        rujukan=Rujukan(kasus=kasus, jenis_lembaga="kesehatan", nama_lembaga="RSUD Adnaan WD"), oleh=user_staf
    )
    rujukan_ubah_status(rujukan=rujukan, oleh=user_staf, status="diterima", catatan="Dirawat inap")
    rujukan.refresh_from_db()
    assert rujukan.status == "diterima" and "Dirawat inap" in rujukan.catatan
    assert [t.jenis for t in kasus.tindakan.all()] == ["rujukan", "rujukan"]
    with pytest.raises(ValidationError):
        rujukan_ubah_status(rujukan=rujukan, oleh=user_staf, status="hilang")
