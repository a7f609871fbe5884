"""Issue 7, points 1-2: the 26 jenis as reference data; PPKS registration rules in the model, database and service."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

from ppks.models import PPKS, JenisPPKS
from ppks.services import ppks_simpan
from tests.factories import PendudukFactory, PPKSFactory, jenis_ppks

pytestmark = pytest.mark.django_db


def test_26_jenis_dimuat_dengan_kelompok_dan_sensitif():
    assert JenisPPKS.objects.count() == 26
    assert list(JenisPPKS.objects.values_list("nomor", flat=True)) == list(range(1, 27))
    sensitif = set(JenisPPKS.objects.filter(sensitif=True).values_list("singkatan", flat=True))
    assert {"ODHA", "KTK", "KTR", "ABH", "TS", "NAPZA"} <= sensitif
    assert "LUT" not in sensitif and "FM" not in sensitif
    assert JenisPPKS.objects.get(singkatan="LUT").kelompok == "lanjut_usia"
    assert JenisPPKS.objects.get(singkatan="FM").kelompok == "kemiskinan"


def test_jenis_yang_dipakai_tidak_bisa_dihapus():
    ppks = PPKSFactory()
    with pytest.raises(ProtectedError):
        ppks.jenis.delete()


def test_satu_jenis_aktif_per_orang_di_database(kelurahan_a):
    orang = PendudukFactory(kelurahan=kelurahan_a)
    PPKSFactory(penduduk=orang, jenis=jenis_ppks("PD"))
    with pytest.raises(IntegrityError), transaction.atomic():
        PPKSFactory(penduduk=orang, jenis=jenis_ppks("PD"), status="tertangani")
    # A registration that ended does not block a new one, and another jenis is fine.
    PPKS.objects.update(status="bukan_ppks", tanggal_selesai=dt.date(2025, 1, 2), alasan_selesai="pulih")
    PPKSFactory(penduduk=orang, jenis=jenis_ppks("PD"))
    PPKSFactory(penduduk=orang, jenis=jenis_ppks("FM"))
    assert orang.ppks.count() == 3


def test_layanan_menolak_ganda_dengan_pesan(user_staf, kelurahan_a):
    orang = PendudukFactory(kelurahan=kelurahan_a)
    ppks_simpan(ppks=PPKS(penduduk=orang, jenis=jenis_ppks("LUT")), oleh=user_staf)
    with pytest.raises(ValidationError) as info:
        ppks_simpan(ppks=PPKS(penduduk=orang, jenis=jenis_ppks("LUT")), oleh=user_staf)
    assert "sudah terdaftar aktif" in str(info.value)


def test_bukan_ppks_lagi_butuh_tanggal_dan_alasan(user_staf, kelurahan_a):
    ppks = PPKS(penduduk=PendudukFactory(kelurahan=kelurahan_a), jenis=jenis_ppks("AT"), status="bukan_ppks")
    with pytest.raises(ValidationError) as info:
        ppks_simpan(ppks=ppks, oleh=user_staf)
    assert {"tanggal_selesai", "alasan_selesai"} <= set(info.value.message_dict)
    ppks.tanggal_selesai, ppks.alasan_selesai = dt.date(2026, 1, 5), "Sudah diadopsi keluarga"
    ppks_simpan(ppks=ppks, oleh=user_staf)
    assert ppks.history.first().history_user == user_staf


def test_kebutuhan_hanya_pilihan_yang_dikenal(user_staf, kelurahan_a):
    ppks = PPKS(penduduk=PendudukFactory(kelurahan=kelurahan_a), jenis=jenis_ppks("PD"), kebutuhan=["pangan", "x"])
    with pytest.raises(ValidationError) as info:
        ppks_simpan(ppks=ppks, oleh=user_staf)
    assert "kebutuhan" in info.value.message_dict


def test_psm_hanya_mendaftarkan_warga_wilayahnya_dengan_pendamping_wilayahnya(psm_a, psm_b, kelurahan_a, kelurahan_b):
    warga_b = PendudukFactory(kelurahan=kelurahan_b)
    with pytest.raises(PermissionDenied):
        ppks_simpan(ppks=PPKS(penduduk=warga_b, jenis=jenis_ppks("LUT")), oleh=psm_a)
    warga_a = PendudukFactory(kelurahan=kelurahan_a)
    with pytest.raises(ValidationError) as info:
        ppks_simpan(ppks=PPKS(penduduk=warga_a, jenis=jenis_ppks("LUT"), psm_pendamping=psm_b), oleh=psm_a)
    assert "psm_pendamping" in info.value.message_dict
    ppks_simpan(ppks=PPKS(penduduk=warga_a, jenis=jenis_ppks("LUT"), psm_pendamping=psm_a), oleh=psm_a)


def test_pimpinan_tidak_bisa_menulis(user_pimpinan, kelurahan_a):
    with pytest.raises(PermissionDenied):
        ppks_simpan(
            ppks=PPKS(penduduk=PendudukFactory(kelurahan=kelurahan_a), jenis=jenis_ppks("FM")), oleh=user_pimpinan
        )


def test_terlihat_oleh_pimpinan_tanpa_jenis_sensitif(user_pimpinan, user_staf, kelurahan_a):
    PPKSFactory(jenis=jenis_ppks("ODHA"), penduduk=PendudukFactory(kelurahan=kelurahan_a))
    biasa = PPKSFactory(jenis=jenis_ppks("LUT"), penduduk=PendudukFactory(kelurahan=kelurahan_a))
    assert list(PPKS.objects.terlihat_oleh(user_pimpinan)) == [biasa]
    assert PPKS.objects.terlihat_oleh(user_staf).count() == 2
    assert PPKS.objects.for_user(user_pimpinan).count() == 2  # counts still include them
