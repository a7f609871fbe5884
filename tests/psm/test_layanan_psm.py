"""Issue 8: the PSM services: profiles, the pledge, visits moving "last visited", handover."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from akun.roles import Peran
from ppks.models import PPKS
from psm.jadwal import jatuh_tempo, terlambat
from psm.models import Ikrar, Kunjungan, PersetujuanIkrar, ProfilPSM
from psm.services import ikrar_setujui, kunjungan_catat, profil_simpan, psm_alihkan, sudah_ikrar
from tests.factories import KasusFactory, PendudukFactory, PPKSFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_profil_kelurahan_utama_harus_wilayah_akun(user_staf, psm_a, kelurahan_a, kelurahan_b):
    profil = ProfilPSM(user=psm_a, nama="Nurhayati", kelurahan_utama=kelurahan_b)
    with pytest.raises(ValidationError) as info:
        profil_simpan(profil=profil, oleh=user_staf)
    assert "kelurahan_utama" in info.value.message_dict
    profil.kelurahan_utama = kelurahan_a
    profil_simpan(profil=profil, oleh=user_staf)
    assert profil.history.first().history_user == user_staf


def test_profil_hanya_untuk_akun_psm_dan_diubah_staf(user_staf, psm_a):
    with pytest.raises(ValidationError):
        profil_simpan(profil=ProfilPSM(user=user_staf, nama="Staf"), oleh=user_staf)
    with pytest.raises(PermissionDenied):
        profil_simpan(profil=ProfilPSM(user=psm_a, nama="Sendiri"), oleh=psm_a)


def test_ikrar_versi_1_dimuat_dan_disetujui_sekali(psm_a, user_staf):
    ikrar = Ikrar.terkini()
    assert ikrar.versi == 1 and "pungutan liar" in ikrar.teks
    assert sudah_ikrar(user_staf) is True  # staff are not gated
    assert sudah_ikrar(psm_a) is False
    ikrar_setujui(user=psm_a, ikrar=ikrar)
    ikrar_setujui(user=psm_a, ikrar=ikrar)
    assert PersetujuanIkrar.objects.filter(user=psm_a).count() == 1
    # A new version gates again; the old version cannot be accepted any more.
    baru = Ikrar.objects.create(versi=2, teks="Ikrar baru")
    psm_a = type(psm_a).objects.get(pk=psm_a.pk)  # the next request's user (the answer is cached per request)
    assert sudah_ikrar(psm_a) is False
    with pytest.raises(ValidationError):
        ikrar_setujui(user=psm_a, ikrar=ikrar)
    ikrar_setujui(user=psm_a, ikrar=baru)


def test_ikrar_diperiksa_dengan_satu_query(psm_a, django_assert_num_queries):
    def baru():  # the next request's user (the answer is cached on the instance)
        return type(psm_a).objects.get(pk=psm_a.pk)

    with django_assert_num_queries(1):
        assert sudah_ikrar(psm_a) is False
    ikrar_setujui(user=baru(), ikrar=Ikrar.terkini())
    lagi = baru()
    with django_assert_num_queries(1):
        assert sudah_ikrar(lagi) is True
    PersetujuanIkrar.objects.all().delete()
    Ikrar.objects.all().delete()
    assert sudah_ikrar(baru()) is True  # no pledge published: nobody is gated


def test_kunjungan_memperbarui_kunjungan_terakhir_ppks(psm_a, kelurahan_a):
    orang = PendudukFactory(kelurahan=kelurahan_a)
    lama = PPKSFactory(penduduk=orang, terakhir_dikunjungi=dt.date(2026, 1, 5))
    selesai = PPKSFactory(
        penduduk=orang, status="bukan_ppks", tanggal_selesai=dt.date(2025, 1, 1), alasan_selesai="x",
        terakhir_dikunjungi=dt.date(2024, 1, 1),
    )  # fmt: skip
    hari = timezone.localdate() - dt.timedelta(days=1)
    k = kunjungan_catat(kunjungan=Kunjungan(penduduk=orang, tanggal=hari, temuan="Sehat"), oleh=psm_a)
    assert (k.kelurahan, k.oleh) == (kelurahan_a, psm_a)
    lama.refresh_from_db()
    selesai.refresh_from_db()
    assert lama.terakhir_dikunjungi == hari
    assert selesai.terakhir_dikunjungi == dt.date(2024, 1, 1)
    # An older visit entered late does not move "last visited" back.
    kunjungan_catat(kunjungan=Kunjungan(penduduk=orang, tanggal=dt.date(2025, 12, 1)), oleh=psm_a)
    lama.refresh_from_db()
    assert lama.terakhir_dikunjungi == hari


def test_kunjungan_ke_kasus_masuk_lini_masa(psm_a, kelurahan_a):
    kasus = KasusFactory(kelurahan=kelurahan_a)
    kunjungan_catat(kunjungan=Kunjungan(kasus=kasus, temuan="Anak sudah di rumah neneknya"), oleh=psm_a)
    tindakan = kasus.tindakan.get()
    assert (tindakan.jenis, tindakan.uraian) == ("kunjungan", "Anak sudah di rumah neneknya")
    kasus.refresh_from_db()
    assert kasus.direspons_pada is not None


def test_kunjungan_di_luar_wilayah_dan_tanpa_subjek_ditolak(psm_a, kelurahan_b):
    with pytest.raises(PermissionDenied):
        kunjungan_catat(kunjungan=Kunjungan(penduduk=PendudukFactory(kelurahan=kelurahan_b)), oleh=psm_a)
    with pytest.raises(ValidationError):
        kunjungan_catat(kunjungan=Kunjungan(), oleh=psm_a)
    besok = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        kunjungan_catat(
            kunjungan=Kunjungan(penduduk=PendudukFactory(kelurahan=psm_a.kelurahan.first()), tanggal=besok), oleh=psm_a
        )


def test_alihkan_memindahkan_semua_dengan_catatan_di_riwayat(user_staf, psm_a, kelurahan_a):
    pengganti = UserFactory(username="psm.baru", peran=Peran.PSM, kelurahan=[kelurahan_a])
    ppks = [PPKSFactory(penduduk=PendudukFactory(kelurahan=kelurahan_a), psm_pendamping=psm_a) for _ in range(3)]
    kasus = KasusFactory(kelurahan=kelurahan_a, psm=psm_a)
    ditutup = KasusFactory(kelurahan=kelurahan_a, psm=psm_a, status="selesai")
    jumlah = psm_alihkan(dari=psm_a, ke=pengganti, oleh=user_staf, catatan="Pindah tugas ke Padang")
    assert jumlah == {"ppks": 3, "kasus": 1}
    assert not PPKS.objects.filter(psm_pendamping=psm_a).exists()
    kasus.refresh_from_db()
    ditutup.refresh_from_db()
    assert kasus.psm == pengganti and ditutup.psm == psm_a  # a finished case keeps who handled it
    catatan = ppks[0].history.first()
    assert catatan.history_user == user_staf and "Pindah tugas ke Padang" in catatan.history_change_reason


def test_alihkan_ditolak_bila_penerima_tidak_memegang_wilayah(user_staf, psm_a, psm_b, kelurahan_a):
    PPKSFactory(penduduk=PendudukFactory(kelurahan=kelurahan_a), psm_pendamping=psm_a)
    with pytest.raises(ValidationError):
        psm_alihkan(dari=psm_a, ke=psm_b, oleh=user_staf, catatan="Serah terima")
    assert PPKS.objects.filter(psm_pendamping=psm_a).count() == 1  # nothing half-moved
    with pytest.raises(ValidationError):
        psm_alihkan(dari=psm_a, ke=psm_a, oleh=user_staf, catatan="x")
    with pytest.raises(ValidationError):
        psm_alihkan(dari=psm_a, ke=psm_b, oleh=user_staf, catatan="  ")


def test_jadwal_kunjungan():
    hari = dt.date(2026, 11, 28)
    assert jatuh_tempo(dt.date(2026, 9, 1), "ppks") == dt.date(2026, 11, 30)
    assert terlambat(None, "ppks", hari) is True
    assert terlambat(dt.date(2026, 9, 1), "ppks", hari) is False
    assert terlambat(dt.date(2026, 10, 28), "miskin_ekstrem", hari) is True
    assert terlambat(dt.date(2026, 11, 27), "kasus_darurat", hari) is False


def test_kunjungan_bertanggal_sebelum_2000_ditolak(psm_a, kelurahan_a):
    """Review: a visit dated 01/01/0001 made the Beranda say 'terlambat 739.000 hari'."""
    orang = PendudukFactory(kelurahan=kelurahan_a)
    ppks = PPKSFactory(penduduk=orang)
    with pytest.raises(ValidationError):
        kunjungan_catat(kunjungan=Kunjungan(penduduk=orang, tanggal=dt.date(1, 1, 1)), oleh=psm_a)
    ppks.refresh_from_db()
    assert ppks.terakhir_dikunjungi is None
