"""Issue 8: a PSM on a 390x844 phone accepts the pledge, records a visit from the beranda, and the
person leaves the overdue list.

Log in through the real form → the pledge is shown first → "Saya berikrar" → the beranda lists
an overdue PPKS resident → "Catat kunjungan" → the routine visit (date already today, findings,
nothing else) → "Simpan kunjungan" → back on the beranda with "Kunjungan tercatat", the resident
no longer overdue. Screenshots of every step go to artifacts/screenshots/psm-kunjungan-*.png.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ppks.models import PPKS
from psm.models import Kunjungan, PersetujuanIkrar
from tests.factories import PendudukFactory, PPKSFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def warga(kelurahan_a, kelurahan_b):
    """Tanjuang Pauh: one resident last visited 130 days ago (overdue), one visited last week."""
    hari_ini = timezone.localdate()
    lama = PPKSFactory(
        penduduk=PendudukFactory(kelurahan=kelurahan_a, nama="Nurhayati Datuak", alamat="Jl. Tan Malaka No. 3"),
        terakhir_dikunjungi=hari_ini - dt.timedelta(days=130),
        kebutuhan=["pangan", "jaminan_kesehatan"],
    )
    PPKSFactory(
        penduduk=PendudukFactory(kelurahan=kelurahan_a, nama="Syamsul Bahri"),
        terakhir_dikunjungi=hari_ini - dt.timedelta(days=7),
    )
    PPKSFactory(penduduk=PendudukFactory(kelurahan=kelurahan_b, nama="Rangkayo Napar"))
    return lama


def test_psm_berikrar_lalu_mencatat_kunjungan_dari_beranda(buat_sesi, psm_a, warga):
    s = buat_sesi("ponsel", "psm-kunjungan")

    # 1. Log in: the pledge comes first.
    s.masuk(psm_a.username)
    assert s.page.url.startswith(s.url(reverse("psm:ikrar")))
    s.cek_halaman(judul="Ikrar PSM", h1="Ikrar PSM")
    expect(s.page.get_by_test_id("ikrar")).to_contain_text("pungutan liar")
    s.foto("01-ikrar")
    with s.page.expect_navigation():
        s.tekan(s.page.get_by_role("button", name="Saya berikrar"))
    assert PersetujuanIkrar.objects.filter(user=psm_a).count() == 1

    # 2. The beranda: the overdue resident first, with what they need; nobody from Napar.
    assert s.page.url == s.url(reverse("psm:beranda"))
    s.cek_halaman(judul="Beranda", h1="Selamat datang")
    daftar = s.page.get_by_test_id("subjek")
    expect(daftar).to_have_count(2)
    pertama = daftar.first
    expect(pertama).to_contain_text("Nurhayati Datuak")
    expect(pertama.get_by_test_id("status-kunjungan")).to_have_text("terlambat 40 hari")
    expect(pertama).to_contain_text("Pangan/sembako")
    expect(s.page.get_by_test_id("perlu-dikunjungi")).not_to_contain_text("Rangkayo Napar")
    expect(s.page.get_by_role("link", name="Laporkan kasus")).to_be_visible()
    s.foto("02-beranda")

    # 3. One tap on "Catat kunjungan" beside her name.
    with s.page.expect_navigation():
        s.tekan(pertama.get_by_role("link", name="Catat kunjungan"))
    s.cek_halaman(judul="Catat kunjungan", h1="Catat kunjungan")
    expect(s.page.get_by_test_id("subjek-kunjungan")).to_contain_text("Nurhayati Datuak")
    tanggal = s.page.get_by_label("Tanggal kunjungan")
    expect(tanggal).to_have_value(timezone.localdate().strftime("%d/%m/%Y"))
    expect(s.page.get_by_label("Foto")).to_be_hidden()  # folded under "Tambahan"
    # A routine visit: the findings only (date preset, no follow-up) — at most 4 inputs in all.
    terlihat = s.page.locator("form input:visible, form textarea:visible, form select:visible")
    assert terlihat.count() <= 4
    s.page.get_by_label("Apa yang ditemukan").fill("Sehat. Beras tinggal sedikit, BPJS belum aktif.")
    s.cek_tidak_meluber()
    s.foto("03-form")
    simpan = s.page.get_by_role("button", name="Simpan kunjungan")
    expect(simpan).to_be_in_viewport()
    with s.page.expect_navigation():
        s.tekan(simpan)

    # 4. Back on the beranda: the message, and she is no longer overdue.
    assert s.page.url == s.url(reverse("psm:beranda"))
    expect(s.page.get_by_role("status")).to_contain_text("Kunjungan tercatat")
    baris = s.page.get_by_test_id("subjek").filter(has_text="Nurhayati Datuak")
    expect(baris.get_by_test_id("status-kunjungan")).to_contain_text("jatuh tempo")
    expect(s.page.get_by_test_id("perlu-dikunjungi")).not_to_contain_text("terlambat 40 hari")
    s.cek_halaman(judul="Beranda")
    s.foto("04-tersimpan")

    k = Kunjungan.objects.get()
    assert (k.oleh, k.penduduk_id, k.tanggal) == (psm_a, warga.penduduk_id, timezone.localdate())
    assert PPKS.objects.get(pk=warga.pk).terakhir_dikunjungi == timezone.localdate()

    # 5. The visit in the list and on its page.
    s.buka(reverse("psm:kunjungan-list"))
    s.cek_halaman(judul="Kunjungan", h1="Kunjungan")
    with s.page.expect_navigation():
        s.tekan(s.page.get_by_test_id("daftar-kunjungan").get_by_role("link", name="Nurhayati Datuak"))
    s.cek_halaman(h1="Kunjungan")
    expect(s.page.get_by_test_id("subjek")).to_contain_text("Nurhayati Datuak")
    s.foto("05-detail")
