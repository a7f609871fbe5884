"""Issue 7: a PSM reports a darurat case from a phone; a staff user sees it at the top of the board.

The scenario the head of Dinas Sosial named: a paralysed child taken begging, seen by a PSM, who
reports it in seconds from a 390x844 phone (only the first section of the form), and the office
sees it first on the rapid-response board, above older cases, with its deadline clock.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ppks.models import Kasus
from tests.factories import KasusFactory
from tests.psm import berikrar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RINGKASAN = "Anak lumpuh dibawa ayahnya mengemis di simpang Ampangan"


@pytest.fixture
def kasus_lama(kelurahan_a, kelurahan_b, user_staf):
    """Older open cases: one biasa due in five days, one tinggi due tomorrow (responded to)."""
    sekarang = timezone.now()
    KasusFactory(ringkasan="Lansia tinggal sendiri", kelurahan=kelurahan_b, urgensi="biasa", dibuat_oleh=user_staf)
    KasusFactory(
        ringkasan="Rumah roboh, keluarga mengungsi",
        kelurahan=kelurahan_b,
        urgensi="tinggi",
        dibuat_pada=sekarang - dt.timedelta(hours=50),
        direspons_pada=sekarang - dt.timedelta(hours=49),
        status="diverifikasi",
        dibuat_oleh=user_staf,
    )


def test_psm_melaporkan_kasus_darurat_dari_ponsel_staf_melihatnya_paling_atas(
    buat_sesi, psm_a, user_staf, kelurahan_a, kasus_lama
):
    # 1. The PSM on a phone: home → "Laporkan kasus".
    berikrar(psm_a)  # the pledge page comes first otherwise (tests/e2e/test_psm_kunjungan.py)
    s = buat_sesi("ponsel", "kasus-psm")
    s.masuk(psm_a.username)
    with s.page.expect_navigation():
        s.tekan(s.page.get_by_role("link", name="Laporkan kasus"))
    s.cek_halaman(judul="Laporkan kasus", h1="Laporkan kasus")
    # Only the first section: what happened, urgency (the kelurahan is preselected), where.
    expect(s.page.get_by_label("Kelurahan")).to_have_value(str(kelurahan_a.pk))
    s.page.get_by_label("Ringkasan").fill(RINGKASAN)
    s.page.get_by_label("Viral di media sosial").check()
    s.page.get_by_label("Lokasi ditemukan").fill("Simpang Ampangan, depan minimarket")
    s.cek_tidak_meluber()
    s.foto("01-form")
    with s.page.expect_navigation():
        s.tekan(s.page.get_by_role("button", name="Simpan laporan"))

    # 2. The case page: darurat (viral), a 24-hour clock, the number in the message.
    kasus = Kasus.objects.get(ringkasan=RINGKASAN)
    assert (kasus.urgensi, kasus.viral, kasus.status, kasus.kelurahan) == ("darurat", True, "baru", kelurahan_a)
    assert kasus.batas_respons - kasus.dibuat_pada == dt.timedelta(hours=24)
    assert s.page.url == s.url(reverse("ppks:kasus-detail", args=[kasus.pk]))
    expect(s.page.get_by_role("status")).to_contain_text(kasus.nomor)
    expect(s.page.get_by_test_id("jam")).to_contain_text("lagi")
    s.cek_tidak_meluber()
    s.cek_konsol_bersih()
    s.foto("02-tersimpan")

    # 3. Staff in the office: the new darurat case is the first card on the board.
    d = buat_sesi("desktop", "kasus-staf")
    d.masuk(user_staf.username)
    d.buka(reverse("ppks:kasus-board"))
    d.cek_halaman(judul="Papan respons cepat")
    kartu = d.page.get_by_test_id("kartu-kasus")
    expect(kartu).to_have_count(3)
    pertama = kartu.first
    expect(pertama).to_contain_text(RINGKASAN)
    expect(pertama).to_contain_text("Darurat")
    expect(pertama).to_contain_text("Viral")
    expect(pertama).to_contain_text("Belum direspons")
    expect(kartu.nth(2)).to_contain_text("Rumah roboh")  # already responded: after the waiting ones
    d.cek_konsol_bersih()
    d.foto("03-papan")

    # 4. Overdue cases go above it: age the new case past its deadline, the board marks it.
    Kasus.objects.filter(pk=kasus.pk).update(batas_respons=timezone.now() - dt.timedelta(hours=5))
    d.buka(reverse("ppks:kasus-board"))
    expect(kartu.first).to_contain_text(RINGKASAN)
    expect(kartu.first.get_by_test_id("terlambat")).to_contain_text("Terlambat")
    d.foto("04-papan-terlambat")
