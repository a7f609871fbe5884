"""kemiskinan.services: entry, exit proposals with maker-checker verification, interventions; and the
database constraints under them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from kemiskinan import services
from kemiskinan.models import GarisKemiskinan, Intervensi, StatusMiskinEkstrem, UsulanKeluar
from tests.factories import KeluargaFactory, PendudukFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date
MASUK = D(2023, 2, 1)


def _masuk(keluarga, oleh, tanggal=MASUK, **lain):
    return services.status_masuk(
        status=StatusMiskinEkstrem(keluarga=keluarga, sumber="p3ke", tanggal_masuk=tanggal, desil=1, **lain), oleh=oleh
    )


def _usul(status, oleh, **lain):
    data = {"tanggal_keluar": D(2024, 3, 1), "alasan": "graduasi", "pengeluaran_per_kapita": 410_000,
            "bukti": "BA verifikasi lapangan No. 7/2024"}  # fmt: skip
    data.update(lain)
    return services.keluar_usulkan(usulan=UsulanKeluar(status_miskin=status, **data), oleh=oleh)


# --- entering the list ------------------------------------------------------------------------------


def test_masuk_menghitung_jiwa_dari_anggota_hidup_di_registri(keluarga_miskin, kelurahan_a, user_staf):
    PendudukFactory(keluarga=keluarga_miskin, kelurahan=kelurahan_a, hubungan="anak", status="meninggal")
    status = _masuk(keluarga_miskin, user_staf, jiwa_masuk=99)
    assert status.jiwa_masuk == 3  # three living members; a typed-in figure is ignored
    assert status.dicatat_oleh == user_staf
    assert status.history.get().history_user == user_staf


@pytest.mark.parametrize("peran", ["pimpinan", "psm_a", "psm_b"])
def test_hanya_staf_dan_admin_mencatat_masuk(cast, keluarga_miskin, peran):
    with pytest.raises(PermissionDenied):
        _masuk(keluarga_miskin, cast[peran])
    assert not StatusMiskinEkstrem.objects.exists()


def test_satu_status_terbuka_per_keluarga(keluarga_miskin, user_staf):
    _masuk(keluarga_miskin, user_staf)
    with pytest.raises(ValidationError, match="masih tercatat"):
        _masuk(keluarga_miskin, user_staf, tanggal=D(2023, 5, 1))
    # The database refuses it too (two saves at once, or a write that skips the service).
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusMiskinEkstrem.objects.create(
            keluarga=keluarga_miskin, sumber="dtsen", tanggal_masuk=D(2023, 5, 1), jiwa_masuk=3, dicatat_oleh=user_staf
        )
    assert StatusMiskinEkstrem.objects.filter(keluarga=keluarga_miskin).count() == 1


def test_masuk_lagi_setelah_keluar_adalah_masuk_baru(keluarga_miskin, user_staf, user_admin):
    status = _masuk(keluarga_miskin, user_staf)
    usulan = _usul(status, user_staf)
    services.usulan_verifikasi(usulan=usulan, oleh=user_admin, setuju=True)
    with pytest.raises(ValidationError, match="01/03/2024"):
        _masuk(keluarga_miskin, user_staf, tanggal=D(2024, 2, 1))
    kembali = _masuk(keluarga_miskin, user_staf, tanggal=D(2025, 1, 15))
    assert kembali.pk != status.pk
    assert StatusMiskinEkstrem.objects.filter(keluarga=keluarga_miskin).count() == 2


def test_masuk_ditolak_tanpa_anggota_atau_di_masa_depan(kelurahan_a, keluarga_miskin, user_staf):
    with pytest.raises(ValidationError, match="belum punya anggota"):
        _masuk(KeluargaFactory(kelurahan=kelurahan_a), user_staf)
    with pytest.raises(ValidationError) as galat:
        _masuk(keluarga_miskin, user_staf, tanggal=dt.date.today() + dt.timedelta(days=3))
    assert "tanggal_masuk" in galat.value.message_dict


# --- proposing an exit ---------------------------------------------------------------------------------


def test_psm_mengusulkan_keluar_di_kelurahannya_saja(status_a, psm_a, psm_b, user_pimpinan):
    with pytest.raises(PermissionDenied):
        _usul(status_a, psm_b)
    with pytest.raises(PermissionDenied):
        _usul(status_a, user_pimpinan)
    usulan = _usul(status_a, psm_a)
    assert usulan.status == "diusulkan" and usulan.diusulkan_oleh == psm_a
    status_a.refresh_from_db()
    assert status_a.terbuka  # nothing changes before verification
    with pytest.raises(ValidationError, match="menunggu verifikasi"):
        _usul(status_a, psm_a)


@pytest.mark.parametrize(
    ("lain", "kolom"),
    [
        ({"pengeluaran_per_kapita": 322_170}, "pengeluaran_per_kapita"),  # on the line is not above it
        ({"pengeluaran_per_kapita": None}, "pengeluaran_per_kapita"),
        ({"bukti": "  "}, "bukti"),
        ({"alasan": "gabung"}, "keluarga_tujuan"),
        ({"alasan": "salah_data", "keterangan": ""}, "keterangan"),
        ({"tanggal_keluar": D(2022, 12, 31)}, "tanggal_keluar"),  # before the entry (10/01/2023)
    ],
)
def test_usulan_tidak_lengkap_ditolak(status_a, psm_a, lain, kolom):
    with pytest.raises(ValidationError) as galat:
        _usul(status_a, psm_a, **lain)
    assert kolom in galat.value.message_dict
    assert not UsulanKeluar.objects.exists()


def test_graduasi_memakai_garis_yang_berlaku_pada_tanggal_keluar(status_a, psm_a):
    GarisKemiskinan.objects.create(rupiah_per_orang_per_bulan=400_000, berlaku_mulai=D(2024, 1, 1))
    with pytest.raises(ValidationError, match="Rp400.000"):
        _usul(status_a, psm_a, pengeluaran_per_kapita=390_000, tanggal_keluar=D(2024, 3, 1))
    assert _usul(status_a, psm_a, pengeluaran_per_kapita=390_000, tanggal_keluar=D(2023, 11, 1)).pk


def test_gabung_ke_keluarga_lain_di_wilayah(status_a, psm_a, kelurahan_a, kelurahan_b):
    with pytest.raises(PermissionDenied):
        _usul(status_a, psm_a, alasan="gabung", keluarga_tujuan=KeluargaFactory(kelurahan=kelurahan_b))
    with pytest.raises(ValidationError):
        _usul(status_a, psm_a, alasan="gabung", keluarga_tujuan=status_a.keluarga)
    tujuan = KeluargaFactory(kelurahan=kelurahan_a)
    usulan = _usul(status_a, psm_a, alasan="gabung", keluarga_tujuan=tujuan, pengeluaran_per_kapita=500_000)
    assert usulan.keluarga_tujuan == tujuan and usulan.pengeluaran_per_kapita is None


# --- maker-checker ------------------------------------------------------------------------------------


def test_pengusul_tidak_bisa_memverifikasi(status_a, user_staf):
    usulan = _usul(status_a, user_staf)
    with pytest.raises(PermissionDenied, match="staf lain"):
        services.usulan_verifikasi(usulan=usulan, oleh=user_staf, setuju=True)
    usulan.refresh_from_db()
    status_a.refresh_from_db()
    assert usulan.status == "diusulkan" and status_a.terbuka


@pytest.mark.parametrize("peran", ["psm_a", "psm_b", "pimpinan"])
def test_psm_dan_pimpinan_tidak_bisa_memverifikasi(cast, usulan_a, peran):
    with pytest.raises(PermissionDenied):
        services.usulan_verifikasi(usulan=usulan_a, oleh=cast[peran], setuju=True)
    usulan_a.refresh_from_db()
    assert usulan_a.status == "diusulkan"


def test_disetujui_staf_lain_keluarga_keluar(usulan_a, status_a, user_staf):
    services.usulan_verifikasi(usulan=usulan_a, oleh=user_staf, setuju=True, catatan="Sesuai BA.")
    usulan_a.refresh_from_db()
    status_a.refresh_from_db()
    assert (usulan_a.status, usulan_a.diverifikasi_oleh, usulan_a.catatan_verifikasi) == (
        "disetujui",
        user_staf,
        "Sesuai BA.",
    )
    assert status_a.tanggal_keluar == usulan_a.tanggal_keluar == D(2024, 3, 1)
    assert (status_a.alasan_keluar, status_a.pengeluaran_keluar) == ("graduasi", 410_000)
    assert status_a.bukti_keluar == usulan_a.bukti
    assert status_a.history.first().history_user == user_staf
    with pytest.raises(ValidationError, match="sudah diverifikasi"):
        services.usulan_verifikasi(usulan=usulan_a, oleh=user_staf, setuju=False, catatan="x")


def test_ditolak_tetap_di_daftar_dengan_alasan(usulan_a, status_a, user_staf, psm_a):
    with pytest.raises(ValidationError):
        services.usulan_verifikasi(usulan=usulan_a, oleh=user_staf, setuju=False, catatan=" ")
    services.usulan_verifikasi(usulan=usulan_a, oleh=user_staf, setuju=False, catatan="Usaha belum berjalan.")
    usulan_a.refresh_from_db()
    status_a.refresh_from_db()
    assert usulan_a.status == "ditolak" and usulan_a.catatan_verifikasi == "Usaha belum berjalan."
    assert status_a.terbuka and status_a in StatusMiskinEkstrem.objects.terbuka()
    # A new proposal may follow.
    assert _usul(status_a, psm_a, tanggal_keluar=D(2024, 6, 1)).status == "diusulkan"


def test_database_menolak_pemeriksa_sama_dengan_pengusul(usulan_a, psm_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        UsulanKeluar.objects.filter(pk=usulan_a.pk).update(status="disetujui", diverifikasi_oleh=psm_a)


def test_database_menolak_keputusan_tanpa_pemeriksa_dan_penolakan_tanpa_alasan(usulan_a, user_staf):
    with pytest.raises(IntegrityError), transaction.atomic():
        UsulanKeluar.objects.filter(pk=usulan_a.pk).update(status="disetujui")
    with pytest.raises(IntegrityError), transaction.atomic():
        UsulanKeluar.objects.filter(pk=usulan_a.pk).update(status="ditolak", diverifikasi_oleh=user_staf)


def test_database_menolak_keluar_sebelum_masuk_dan_graduasi_tanpa_angka(status_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusMiskinEkstrem.objects.filter(pk=status_a.pk).update(tanggal_keluar=D(2022, 1, 1), alasan_keluar="pindah")
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusMiskinEkstrem.objects.filter(pk=status_a.pk).update(
            tanggal_keluar=D(2024, 1, 1), alasan_keluar="graduasi"
        )


# --- interventions ------------------------------------------------------------------------------------


def test_intervensi_oleh_staf_saja_dan_lainnya_bernama(keluarga_miskin, user_staf, psm_a):
    def catat(oleh, **lain):
        data = {"program": "bantuan_usaha", "tanggal": D(2024, 2, 1), "nilai": 6_000_000, "sumber_dana": "baznas"}
        data.update(lain)
        return services.intervensi_catat(intervensi=Intervensi(keluarga=keluarga_miskin, **data), oleh=oleh)

    with pytest.raises(PermissionDenied):
        catat(psm_a)
    with pytest.raises(ValidationError):
        catat(user_staf, program="lainnya")
    intervensi = catat(user_staf)
    assert intervensi.dicatat_oleh == user_staf and intervensi.history.get().history_user == user_staf


def test_pengguna_nonaktif_tidak_bisa_menulis(status_a):
    staf = UserFactory(username="staf.lama", peran="staf", is_active=False)
    with pytest.raises(PermissionDenied):
        _usul(status_a, staf)
