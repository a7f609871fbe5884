"""Staff triage: transitions, closing with a resolution note, reopening, links, history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from pengaduan import services
from pengaduan.models import Pengaduan
from tests.pengaduan.factories import PengaduanFactory, PenyaluranFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pengaduan(kelurahan_a):
    return PengaduanFactory(kelurahan=kelurahan_a)


def test_transisi_status_yang_diizinkan(pengaduan, user_staf):
    services.pengaduan_ubah_status(pengaduan=pengaduan, status="ditelaah", oleh=user_staf)
    services.pengaduan_ubah_status(pengaduan=pengaduan, status="ditindaklanjuti", oleh=user_staf)
    pengaduan.refresh_from_db()
    assert pengaduan.status == "ditindaklanjuti"
    with pytest.raises(ValidationError):
        services.pengaduan_ubah_status(pengaduan=pengaduan, status="baru", oleh=user_staf)
    with pytest.raises(ValidationError):  # closing has its own service (needs a note)
        services.pengaduan_ubah_status(pengaduan=pengaduan, status="selesai", oleh=user_staf)


def test_tutup_wajib_catatan_penyelesaian(pengaduan, user_staf):
    with pytest.raises(ValidationError) as galat:
        services.pengaduan_tutup(pengaduan=pengaduan, status="selesai", resolusi="   ", oleh=user_staf)
    assert "catatan penyelesaian" in str(galat.value)
    pengaduan.refresh_from_db()
    assert pengaduan.status == "baru" and pengaduan.ditutup_pada is None


def test_tutup_tanpa_catatan_ditolak_database(pengaduan):
    with pytest.raises(IntegrityError), transaction.atomic():
        Pengaduan.objects.filter(pk=pengaduan.pk).update(status="selesai", resolusi="")


def test_tutup_lewat_halaman_tanpa_catatan_pesan_jelas(client, user_staf, pengaduan):
    client.force_login(user_staf)
    resp = client.post(
        reverse("pengaduan:tutup", args=[pengaduan.pk]), {"status": "selesai", "resolusi": ""}, follow=True
    )
    assert "wajib" in resp.content.decode().lower()
    pengaduan.refresh_from_db()
    assert pengaduan.status == "baru"


def test_tutup_dan_buka_kembali(client, user_staf, pengaduan):
    client.force_login(user_staf)
    client.post(
        reverse("pengaduan:tutup", args=[pengaduan.pk]),
        {"status": "selesai", "resolusi": "Potongan dikembalikan ke KPM.", "tanggapan_publik": "Sudah ditangani."},
    )
    pengaduan.refresh_from_db()
    assert pengaduan.status == "selesai"
    assert pengaduan.ditutup_oleh == user_staf and pengaduan.ditutup_pada is not None
    assert pengaduan.tanggapan_publik == "Sudah ditangani."
    assert not Pengaduan.objects.terbuka().filter(pk=pengaduan.pk).exists()
    # A closed complaint changes only by reopening.
    with pytest.raises(ValidationError):
        services.pengaduan_tugaskan(pengaduan=pengaduan, petugas=user_staf, oleh=user_staf)
    client.post(reverse("pengaduan:buka", args=[pengaduan.pk]), {"alasan": "Pelapor memberi bukti baru."})
    pengaduan.refresh_from_db()
    assert pengaduan.status == "ditelaah" and pengaduan.ditutup_pada is None
    assert pengaduan.batas_waktu > timezone.now() + dt.timedelta(days=13)
    halaman = client.get(pengaduan.get_absolute_url()).content.decode()
    assert "Pelapor memberi bukti baru." in halaman  # the reason, in the history


def test_terlambat_queryset(user_staf):
    lewat = PengaduanFactory(diterima_pada=timezone.now() - dt.timedelta(days=15))
    PengaduanFactory()
    PengaduanFactory(
        diterima_pada=timezone.now() - dt.timedelta(days=20),
        status="selesai",
        resolusi="ok",
        ditutup_pada=timezone.now(),
    )
    assert list(Pengaduan.objects.terlambat()) == [lewat]
    assert lewat.terlambat


def test_pimpinan_dan_psm_tidak_boleh_menulis_di_layanan(pengaduan, user_pimpinan, psm_a):
    for user in (user_pimpinan, psm_a):
        with pytest.raises(PermissionDenied):
            services.pengaduan_tanggapi(pengaduan=pengaduan, tanggapan_publik="x", oleh=user)


def test_tugaskan_hanya_staf_aktif(pengaduan, user_staf, psm_a):
    with pytest.raises(ValidationError):
        services.pengaduan_tugaskan(pengaduan=pengaduan, petugas=psm_a, oleh=user_staf)
    services.pengaduan_tugaskan(pengaduan=pengaduan, petugas=user_staf, oleh=user_staf)
    pengaduan.refresh_from_db()
    assert pengaduan.petugas == user_staf


def test_tautkan_psm(pengaduan, user_staf, psm_a):
    with pytest.raises(ValidationError):
        services.pengaduan_tautkan_psm(pengaduan=pengaduan, psm=user_staf, oleh=user_staf)
    services.pengaduan_tautkan_psm(pengaduan=pengaduan, psm=psm_a, oleh=user_staf)
    pengaduan.refresh_from_db()
    assert pengaduan.psm == psm_a


# --- linking distributions ------------------------------------------------------------------


def test_tautkan_dan_lepas_penyaluran_tercatat_di_riwayat(client, user_staf, pengaduan, keluarga_a):
    penyaluran = PenyaluranFactory(keluarga=keluarga_a)
    client.force_login(user_staf)
    url = reverse("pengaduan:penyaluran-tautkan", args=[pengaduan.pk])
    resp = client.post(url, {"penyaluran": str(penyaluran.pk)}, follow=True)
    assert "Penyaluran ditautkan" in resp.content.decode()
    assert list(pengaduan.penyaluran.all()) == [penyaluran]
    halaman = client.get(pengaduan.get_absolute_url()).content.decode()
    assert f"ditautkan #{penyaluran.pk}" in halaman  # the history names the link
    client.post(reverse("pengaduan:penyaluran-lepas", args=[pengaduan.pk]), {"penyaluran": str(penyaluran.pk)})
    assert not pengaduan.penyaluran.exists()
    halaman = client.get(pengaduan.get_absolute_url()).content.decode()
    assert "dilepas" in halaman
    assert pengaduan.history.count() == 3


@pytest.mark.parametrize(
    "nilai", ["999999999", "-1", "abc", "1e3", "²", "9" * 30, "", "1 OR 1=1"], ids=lambda v: repr(v)[:12]
)
def test_tautkan_penyaluran_id_dimanipulasi_pesan_bukan_500(client, user_staf, pengaduan, nilai):
    client.force_login(user_staf)
    resp = client.post(reverse("pengaduan:penyaluran-tautkan", args=[pengaduan.pk]), {"penyaluran": nilai}, follow=True)
    assert resp.status_code == 200
    teks = resp.content.decode()
    pesan = ("Penyaluran dengan ID itu tidak ditemukan", "Isi dengan ID penyaluran (angka)", "tidak boleh kosong",
             "paling banyak 25 karakter")  # fmt: skip
    assert any(p in teks for p in pesan), teks[teks.find("alert") - 200 : teks.find("alert") + 400]
    assert "Penyaluran ditautkan" not in teks
    assert not pengaduan.penyaluran.exists()


def test_tautkan_penyaluran_id_tidak_ada_ditolak_layanan(pengaduan, user_staf):
    with pytest.raises(ValidationError, match="tidak ditemukan"):
        services.pengaduan_tautkan_penyaluran(pengaduan=pengaduan, penyaluran_id=987654, oleh=user_staf)


def test_lepas_penyaluran_yang_tidak_ditautkan(pengaduan, user_staf, keluarga_a):
    lain = PenyaluranFactory(keluarga=keluarga_a)
    with pytest.raises(ValidationError):
        services.pengaduan_lepas_penyaluran(pengaduan=pengaduan, penyaluran_id=lain.pk, oleh=user_staf)


def test_riwayat_di_halaman_detail(client, user_staf, pengaduan):
    services.pengaduan_ubah_status(pengaduan=pengaduan, status="ditelaah", oleh=user_staf)
    client.force_login(user_staf)
    teks = client.get(pengaduan.get_absolute_url()).content.decode()
    assert "Riwayat perubahan" in teks
    assert "Sedang ditelaah" in teks
