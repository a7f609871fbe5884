"""Issue 7, point 8: alerts for darurat and overdue cases, created and e-mailed once; on the home page."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from akun.roles import Peran
from ppks.models import Notifikasi
from ppks.notifikasi import periksa_batas_waktu
from tests.factories import KasusFactory, UserFactory
from tests.psm import berikrar

pytestmark = pytest.mark.django_db


@pytest.fixture
def staf_bertugas(db):
    return UserFactory(username="staf.rr", peran=Peran.STAF, email="rr@dinsos.example")


def test_kasus_darurat_baru_memberi_tahu_petugas_dan_psm_sekali(staf_bertugas, psm_a, kelurahan_a):
    psm_a.email = "psm@example.org"
    psm_a.save()
    kasus = KasusFactory(urgensi="darurat", kelurahan=kelurahan_a, petugas=staf_bertugas, psm=psm_a)
    hasil = periksa_batas_waktu()
    assert hasil.notifikasi_baru == 2 and hasil.email_terkirim == 2
    assert {m.to[0] for m in mail.outbox} == {"rr@dinsos.example", "psm@example.org"}
    assert kasus.nomor in mail.outbox[0].subject and "DARURAT" in mail.outbox[0].subject
    assert kasus.get_absolute_url() in mail.outbox[0].body
    # Cron runs again: nothing new, nothing sent twice.
    hasil = periksa_batas_waktu()
    assert (hasil.notifikasi_baru, hasil.email_terkirim, len(mail.outbox)) == (0, 0, 2)


def test_kasus_terlambat_memberi_tahu_sekali_dan_tidak_untuk_yang_selesai(staf_bertugas, kelurahan_a):
    lalu = timezone.now() - dt.timedelta(days=8)
    terlambat = KasusFactory(urgensi="biasa", kelurahan=kelurahan_a, petugas=staf_bertugas, dibuat_pada=lalu)
    KasusFactory(urgensi="biasa", kelurahan=kelurahan_a, petugas=staf_bertugas, dibuat_pada=lalu, status="selesai")
    KasusFactory(urgensi="biasa", kelurahan=kelurahan_a, petugas=staf_bertugas)  # not yet due
    call_command("check_deadlines", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(Notifikasi.objects.values_list("kasus", "jenis", "pengguna")) == [
        (terlambat.pk, "terlambat", staf_bertugas.pk)
    ]
    assert len(mail.outbox) == 1 and "TERLAMBAT" in mail.outbox[0].subject


def test_kasus_tanpa_petugas_memberi_tahu_psm_kelurahan_dan_semua_staf(staf_bertugas, psm_a, psm_b, kelurahan_a):
    KasusFactory(urgensi="darurat", kelurahan=kelurahan_a)
    periksa_batas_waktu()
    penerima = set(Notifikasi.objects.values_list("pengguna__username", flat=True))
    # The reporter (a Staf made by the factory) is a Staf too; the PSM of the other kelurahan is not told.
    assert {"staf.rr", "psm.tanjuang-pauh"} <= penerima
    assert "psm.napar" not in penerima


def test_pengguna_tanpa_email_tetap_melihat_di_beranda(client, psm_a, kelurahan_a):
    kasus = KasusFactory(urgensi="darurat", kelurahan=kelurahan_a, psm=psm_a, ringkasan="Anak lumpuh mengemis")
    hasil = periksa_batas_waktu()
    assert hasil.notifikasi_baru >= 1
    assert hasil.email_terkirim == 0 and mail.outbox == []  # nobody here has an e-mail address
    berikrar(psm_a)
    client.force_login(psm_a)
    html = client.get(reverse("home"), follow=True).content.decode()  # a PSM's home: psm:beranda
    assert "Perlu perhatian Anda" in html and kasus.nomor in html and "Anak lumpuh mengemis" in html


def test_beranda_menghitung_kasus_terbuka_dan_terlambat_di_wilayah(client, psm_a, kelurahan_a, kelurahan_b):
    lalu = timezone.now() - dt.timedelta(days=10)
    KasusFactory(kelurahan=kelurahan_a)
    KasusFactory(kelurahan=kelurahan_a, dibuat_pada=lalu)
    KasusFactory(kelurahan=kelurahan_b, dibuat_pada=lalu)
    KasusFactory(kelurahan=kelurahan_a, status="selesai")
    berikrar(psm_a)
    client.force_login(psm_a)
    resp = client.get(reverse("home"), follow=True)
    assert (resp.context["kasus_terbuka"], resp.context["kasus_terlambat"]) == (2, 1)


def test_alamat_yang_ditolak_server_tidak_menghentikan_yang_lain(staf_bertugas, psm_a, kelurahan_a, monkeypatch):
    """Review: one refused address rolled back every 'sent' mark, so each cron run resent all."""
    import smtplib

    from ppks import notifikasi

    psm_a.email = "ditolak@example.org"
    psm_a.save()
    KasusFactory(urgensi="darurat", kelurahan=kelurahan_a, petugas=staf_bertugas, psm=psm_a)
    kirim_asli = notifikasi.send_mail

    def kirim(judul, isi, dari, kepada):
        if kepada == ["ditolak@example.org"]:
            raise smtplib.SMTPRecipientsRefused({kepada[0]: (550, b"no such user")})
        return kirim_asli(judul, isi, dari, kepada)

    monkeypatch.setattr(notifikasi, "send_mail", kirim)
    assert periksa_batas_waktu().email_terkirim == 1
    assert periksa_batas_waktu().email_terkirim == 0
    assert [m.to for m in mail.outbox] == [["rr@dinsos.example"]]  # sent once, never again


def test_kasus_dibuka_kembali_bisa_memberi_tahu_lagi(staf_bertugas, kelurahan_a):
    from ppks.services import kasus_buka_kembali, kasus_ubah_status

    lalu = timezone.now() - dt.timedelta(days=8)
    kasus = KasusFactory(urgensi="biasa", kelurahan=kelurahan_a, petugas=staf_bertugas, dibuat_pada=lalu)
    assert periksa_batas_waktu().notifikasi_baru == 1
    kasus_ubah_status(kasus=kasus, oleh=staf_bertugas, status="ditutup", alasan="Laporan ganda")
    kasus_buka_kembali(kasus=kasus, oleh=staf_bertugas, alasan="Ternyata bukan ganda")
    Kasus = type(kasus)
    Kasus.objects.filter(pk=kasus.pk).update(batas_respons=timezone.now() - dt.timedelta(hours=1))
    assert periksa_batas_waktu().notifikasi_baru == 1
