"""Services of bantuan: who may write where, the recipient's kelurahan, confirmation arithmetic,
bulk distributions, resolving flags, the programme data migration."""

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bantuan import services
from bantuan.models import Bendera, Konfirmasi, Penyaluran, Program
from tests.bantuan.factories import BenderaFactory, PenyaluranFactory, program

pytestmark = pytest.mark.django_db


def _baru(**ubah) -> Penyaluran:
    data = {
        "program": program("BPNT"),
        "periode": dt.date(2025, 2, 1),
        "nilai": 600_000,
        "tanggal": dt.date(2025, 2, 20),
        "saluran": "ewarong",
        "status": "disalurkan",
    }
    data.update(ubah)
    return Penyaluran(**data)


def _konfirmasi(p, **ubah) -> Konfirmasi:
    data = {
        "penyaluran": p,
        "nilai_diterima": p.nilai,
        "tanggal_terima": p.tanggal + dt.timedelta(days=2),
        "nama_pengonfirmasi": "Bujang Sutan",
    }
    data.update(ubah)
    return Konfirmasi(**data)


# --- recording ----------------------------------------------------------------------------------


def test_kelurahan_dari_penerima_bukan_masukan(keluarga_a, kelurahan_b, user_staf):
    p = _baru(keluarga=keluarga_a, kelurahan=kelurahan_b)
    services.penyaluran_simpan(penyaluran=p, oleh=user_staf)
    p.refresh_from_db()
    assert p.kelurahan == keluarga_a.kelurahan
    assert p.dibuat_oleh == user_staf
    assert p.history.get().history_user == user_staf


def test_penerima_perorangan_mencatat_keluarganya(penduduk_a, keluarga_a, user_staf):
    p = _baru(program=program("PBI-JK"), penduduk=penduduk_a, nilai=42_000)
    services.penyaluran_simpan(penyaluran=p, oleh=user_staf)
    assert (p.keluarga, p.kelurahan) == (keluarga_a, penduduk_a.kelurahan)


@pytest.mark.parametrize("peran", ["psm_a", "pimpinan"])
def test_psm_dan_pimpinan_tidak_mencatat_penyaluran(cast, keluarga_a, peran):
    with pytest.raises(PermissionDenied):
        services.penyaluran_simpan(penyaluran=_baru(keluarga=keluarga_a), oleh=cast[peran])
    assert not Penyaluran.objects.exists()


@pytest.mark.parametrize(
    ("ubah", "kolom"),
    [
        ({"nilai": 0}, "nilai"),
        ({"status": "dikonfirmasi"}, "status"),
        ({"status": "gagal", "alasan_gagal": " "}, "alasan_gagal"),
        ({"tanggal": None}, "tanggal"),
        ({"tanggal": dt.date.today() + dt.timedelta(days=3)}, "tanggal"),
    ],
)
def test_isian_salah_ditolak(keluarga_a, user_staf, ubah, kolom):
    with pytest.raises(ValidationError) as exc:
        services.penyaluran_simpan(penyaluran=_baru(keluarga=keluarga_a, **ubah), oleh=user_staf)
    assert kolom in exc.value.message_dict
    assert not Penyaluran.objects.exists()


def test_yang_sudah_dikonfirmasi_tidak_diubah_nilainya(penyaluran_a, user_staf):
    services.konfirmasi_catat(konfirmasi=_konfirmasi(penyaluran_a), oleh=user_staf)
    p = Penyaluran.objects.get(pk=penyaluran_a.pk)
    p.nilai = 1
    with pytest.raises(ValidationError, match="sudah dikonfirmasi"):
        services.penyaluran_simpan(penyaluran=p, oleh=user_staf)
    p = Penyaluran.objects.get(pk=penyaluran_a.pk)
    p.keterangan = "Catatan tambahan"
    services.penyaluran_simpan(penyaluran=p, oleh=user_staf)
    assert Penyaluran.objects.get(pk=p.pk).keterangan == "Catatan tambahan"


@pytest.mark.parametrize(
    ("tanggal", "jenis", "awal"),
    [
        (dt.date(2025, 5, 17), "bulanan", dt.date(2025, 5, 1)),
        (dt.date(2025, 5, 17), "triwulan", dt.date(2025, 4, 1)),
        (dt.date(2025, 12, 31), "triwulan", dt.date(2025, 10, 1)),
        (dt.date(2025, 7, 2), "semester", dt.date(2025, 7, 1)),
        (dt.date(2025, 7, 2), "tahunan", dt.date(2025, 1, 1)),
        (dt.date(2025, 7, 2), "sekali", dt.date(2025, 7, 1)),
    ],
)
def test_awal_periode(tanggal, jenis, awal):
    assert services.awal_periode(tanggal, jenis) == awal


# --- bulk -----------------------------------------------------------------------------------------


def test_massal_melewati_yang_sudah_menerima_dan_memakai_psm_kelurahan(keluarga_a, keluarga_b, psm_a, psm_b, user_staf):
    PenyaluranFactory(keluarga=keluarga_a, periode=dt.date(2025, 1, 1))
    contoh = _baru(periode=dt.date(2025, 3, 3), status="direncanakan", tanggal=None)
    baru, dilewati = services.penyaluran_massal(
        contoh=contoh, keluarga_ids=[keluarga_a.pk, keluarga_b.pk], oleh=user_staf, pendamping_psm=True
    )
    assert (len(baru), dilewati) == (1, 1)
    p = Penyaluran.objects.get(keluarga=keluarga_b)
    assert (p.kelurahan, p.pendamping, p.periode, p.dibuat_oleh) == (
        keluarga_b.kelurahan,
        psm_b,
        dt.date(2025, 1, 1),
        user_staf,
    )
    assert p.history.count() == 1
    assert not Bendera.objects.exists()


def test_massal_menolak_keluarga_di_luar_wilayah_dan_peran_lain(keluarga_a, keluarga_b, psm_a, user_pimpinan):
    contoh = _baru()
    with pytest.raises(PermissionDenied):
        services.penyaluran_massal(contoh=contoh, keluarga_ids=[keluarga_a.pk], oleh=psm_a)
    with pytest.raises(PermissionDenied):
        services.penyaluran_massal(contoh=contoh, keluarga_ids=[keluarga_a.pk], oleh=user_pimpinan)
    assert not Penyaluran.objects.exists()


# --- confirmation -------------------------------------------------------------------------------


@pytest.mark.parametrize(("diterima", "selisih", "bendera"), [(450_000, 150_000, 1), (600_000, 0, 0), (700_000, 0, 0)])
def test_aritmetika_konfirmasi(penyaluran_a, psm_a, diterima, selisih, bendera):
    from tests.psm import berikrar

    berikrar(psm_a)
    k = services.konfirmasi_catat(konfirmasi=_konfirmasi(penyaluran_a, nilai_diterima=diterima), oleh=psm_a)
    assert k.selisih == selisih
    penyaluran_a.refresh_from_db()
    assert penyaluran_a.status == "dikonfirmasi"
    assert k.dicatat_oleh == psm_a
    assert Bendera.objects.filter(jenis="kurang_terima", penyaluran=penyaluran_a).count() == bendera
    assert penyaluran_a.history.first().history_user == psm_a


def test_psm_tidak_mengonfirmasi_kelurahan_lain(penyaluran_b, psm_a, user_pimpinan):
    for oleh in (psm_a, user_pimpinan):
        with pytest.raises(PermissionDenied):
            services.konfirmasi_catat(konfirmasi=_konfirmasi(penyaluran_b), oleh=oleh)
    assert not Konfirmasi.objects.exists()


@pytest.mark.parametrize(
    ("status", "pesan"),
    [("direncanakan", "sudah disalurkan"), ("gagal", "sudah disalurkan"), ("dikonfirmasi", "sudah dikonfirmasi")],
)
def test_konfirmasi_hanya_untuk_yang_disalurkan(keluarga_a, user_staf, status, pesan):
    p = PenyaluranFactory(keluarga=keluarga_a, status=status, alasan_gagal="x" if status == "gagal" else "")
    with pytest.raises(ValidationError, match=pesan):
        services.konfirmasi_catat(konfirmasi=_konfirmasi(p), oleh=user_staf)


def test_konfirmasi_dua_kali_ditolak(penyaluran_a, user_staf):
    services.konfirmasi_catat(konfirmasi=_konfirmasi(penyaluran_a), oleh=user_staf)
    with pytest.raises(ValidationError):
        services.konfirmasi_catat(konfirmasi=_konfirmasi(Penyaluran.objects.get(pk=penyaluran_a.pk)), oleh=user_staf)
    assert Konfirmasi.objects.count() == 1


@pytest.mark.parametrize("hari", [-1, 400])
def test_tanggal_terima_sebelum_salur_atau_masa_depan_ditolak(penyaluran_a, user_staf, hari):
    tanggal = (
        penyaluran_a.tanggal + dt.timedelta(days=hari) if hari < 0 else timezone.localdate() + dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as exc:
        services.konfirmasi_catat(konfirmasi=_konfirmasi(penyaluran_a, tanggal_terima=tanggal), oleh=user_staf)
    assert "tanggal_terima" in exc.value.message_dict


# --- flags --------------------------------------------------------------------------------------


def test_selesaikan_bendera(keluarga_a, user_staf, user_pimpinan, psm_a):
    b = BenderaFactory(penyaluran=PenyaluranFactory(keluarga=keluarga_a))
    for oleh in (user_pimpinan, psm_a):
        with pytest.raises(PermissionDenied):
            services.bendera_selesaikan(bendera=b, oleh=oleh, catatan="x")
    with pytest.raises(ValidationError):
        services.bendera_selesaikan(bendera=b, oleh=user_staf, catatan="  ")
    services.bendera_selesaikan(bendera=b, oleh=user_staf, catatan="Uang sudah dikembalikan ke KPM.")
    with pytest.raises(ValidationError, match="sudah diselesaikan"):
        services.bendera_selesaikan(bendera=b, oleh=user_staf, catatan="lagi")
    b.refresh_from_db()
    assert b.catatan_penyelesaian == "Uang sudah dikembalikan ke KPM."
    assert b.history.first().history_user == user_staf


# --- data migration ---------------------------------------------------------------------------------


def test_migrasi_program_awal_dan_kebalikannya():
    assert Program.objects.count() == 12
    kelompok = dict(Program.objects.values_list("kode", "kelompok"))
    assert kelompok == {
        "PKH": "pkh",
        "BPNT": "bpnt",
        "PBI-JK": "pbi_jk",
        "KUBE-UEP": "bantuan_usaha",
        "BLT": "lainnya",
        "ATENSI": "lainnya",
        "RTLH": "lainnya",
        "PERMAKANAN": "lainnya",
        "YAPI": "lainnya",
        "APBD": "lainnya",
        "BAZNAS": "lainnya",
        "CSR": "lainnya",
    }
    bpnt = Program.objects.get(kode="BPNT")
    assert (bpnt.nilai_standar, bpnt.periode, bpnt.bentuk) == (600_000, "triwulan", "nontunai")
    migrasi = import_module("bantuan.migrations.0002_program_awal")
    migrasi.hapus(django_apps, None)
    assert Program.objects.count() == 0
    migrasi.buat(django_apps, None)
    migrasi.buat(django_apps, None)  # re-running changes nothing
    assert Program.objects.count() == 12


def test_penyaluran_tanpa_penerima_ditolak(user_staf):
    with pytest.raises(ValidationError):
        services.penyaluran_simpan(penyaluran=_baru(), oleh=user_staf)
