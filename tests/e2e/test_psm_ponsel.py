"""A PSM on a phone: log in, find a resident of their kelurahan, change the phone number.

The issue's scenario end to end in Chromium at 390x844 (touch, mobile viewport): the real login
form, the search box (by name and by NIK), the person's page, "Ubah data", saving, the success
message and the change history. Then a PSM of another kelurahan can neither open the page by URL
(404) nor find the person by searching. Screenshots of every step go to artifacts/screenshots/.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from penduduk.models import Keluarga, Penduduk
from tests.e2e.conftest import TELEPON_SITI, buat_keluarga_siti
from tests.factories import PendudukFactory
from tests.psm import berikrar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TELEPON_LAMA = TELEPON_SITI
TELEPON_BARU = "0812 6677 8899"


@pytest.fixture
def warga(kelurahan_a, kelurahan_b):
    """Siti Rahmah of Tanjuang Pauh (kelurahan A), her household, and a namesake in Napar (B)."""
    _, _, siti = buat_keluarga_siti(kelurahan_a, alamat="Jl. Tan Malaka No. 12")
    PendudukFactory(kelurahan=kelurahan_a, nama="Siti Aminah", jenis_kelamin="P")
    namesake = PendudukFactory(
        kelurahan=kelurahan_b, nama="Siti Rahmah", jenis_kelamin="P", tanggal_lahir=dt.date(1975, 9, 21)
    )
    return siti, namesake


def _cari(sesi, teks: str) -> None:
    """Type into the list page's search box and tap "Cari"."""
    kotak = sesi.page.get_by_label("Cari NIK atau nama")
    kotak.fill(teks)
    with sesi.page.expect_navigation():
        sesi.tekan(sesi.page.get_by_role("button", name="Cari", exact=True))


def test_psm_mengubah_telepon_warga_dari_ponsel(buat_sesi, psm_a, psm_b, warga):
    siti, namesake = warga
    for psm in (psm_a, psm_b):
        berikrar(psm)  # the pledge page comes first otherwise (tests/e2e/test_psm_kunjungan.py)
    url_detail = reverse("penduduk:detail", args=[siti.pk])

    # 1. The real login form, on a phone.
    s = buat_sesi("ponsel", "psm")
    s.buka(reverse("login"))
    s.cek_halaman(judul="Masuk", h1="Masuk")
    s.foto("01-masuk")
    s.masuk(psm_a.username)

    # 2. Home: their own kelurahan only.
    s.cek_halaman(judul="Beranda", h1="Selamat datang")
    expect(s.page.get_by_text("Wilayah kerja Anda: Tanjuang Pauh")).to_be_visible()
    s.foto("02-beranda-psm")

    # 3. Search by name from the home page's search box.
    s.page.get_by_placeholder("Cari NIK atau nama penduduk").fill("siti rahmah")
    with s.page.expect_navigation():
        s.tekan(s.page.get_by_role("button", name="Cari", exact=True))
    s.cek_halaman(judul="Penduduk", h1="Penduduk")
    kartu = s.page.locator(".daftar-kartu")
    expect(kartu).to_be_visible()  # the phone layout: cards, not the wide table
    expect(s.page.get_by_text("1 orang ditemukan.")).to_be_visible()
    expect(kartu.get_by_role("link", name="Siti Rahmah", exact=True)).to_be_visible()
    expect(kartu).not_to_contain_text("Siti Aminah")
    expect(kartu).not_to_contain_text("Napar")
    s.foto("03-cari-nama")

    # 4. Search by NIK on the list page.
    _cari(s, siti.nik)
    s.cek_halaman(judul="Penduduk", h1="Penduduk")
    expect(s.page.get_by_text("1 orang ditemukan.")).to_be_visible()
    expect(kartu).to_contain_text(siti.nik)
    s.foto("04-cari-nik")

    # 5. The person's page.
    with s.page.expect_navigation():
        s.tekan(kartu.get_by_role("link", name="Siti Rahmah", exact=True))
    assert s.page.url == s.url(url_detail)
    s.cek_halaman(judul="Siti Rahmah", h1="Siti Rahmah")
    expect(s.page.get_by_test_id("telepon")).to_have_text(TELEPON_LAMA)
    s.foto("05-detail")

    # 6. "Ubah data": change the phone number and save.
    ubah = s.page.get_by_role("link", name="Ubah data")
    expect(ubah).to_be_visible()
    with s.page.expect_navigation():
        s.tekan(ubah)
    s.cek_halaman(judul="Ubah Siti Rahmah", h1="Ubah data Siti Rahmah")
    telepon = s.page.get_by_label("Telepon")
    expect(telepon).to_have_value(TELEPON_LAMA)
    expect(telepon).to_have_attribute("inputmode", "tel")
    telepon.fill(TELEPON_BARU)
    s.foto("06-ubah-telepon")
    simpan = s.page.get_by_role("button", name="Simpan")
    expect(simpan).to_be_in_viewport()  # the sticky button bar stays reachable on a long form
    with s.page.expect_navigation():
        s.tekan(simpan)

    # 7. Back on the person's page: the message, the new number, the history entry.
    assert s.page.url == s.url(url_detail)
    s.cek_halaman(judul="Siti Rahmah", h1="Siti Rahmah")
    expect(s.page.get_by_role("status")).to_have_text("Data Siti Rahmah tersimpan.")
    expect(s.page.get_by_test_id("telepon")).to_have_text(TELEPON_BARU)
    expect(s.page.get_by_role("link", name=TELEPON_BARU)).to_have_attribute("href", f"tel:{TELEPON_BARU}")
    riwayat = s.page.locator("section", has=s.page.get_by_role("heading", name="Riwayat perubahan"))
    terbaru = riwayat.locator("ul.list-group > li").first
    expect(terbaru).to_contain_text("Diubah")
    expect(terbaru).to_contain_text(psm_a.get_full_name() or psm_a.username)
    expect(terbaru.locator("li", has_text="Telepon")).to_have_text(f"Telepon: {TELEPON_LAMA} → {TELEPON_BARU}")
    s.foto("07-tersimpan")
    siti.refresh_from_db()
    assert siti.telepon == TELEPON_BARU

    # 8. A PSM of another kelurahan: the page does not exist for them.
    b = buat_sesi("ponsel", "psm")
    b.masuk(psm_b.username)
    b.cek_halaman(judul="Beranda", h1="Selamat datang")
    b.buka(url_detail, status=404)
    b.cek_halaman(judul="Tidak ditemukan", h1="Halaman tidak ditemukan")
    expect(b.page.get_by_text("Siti Rahmah")).to_have_count(0)
    expect(b.page.get_by_text(TELEPON_BARU)).to_have_count(0)
    b.foto("08-psm-lain-404")
    b.buka(reverse("penduduk:update", args=[siti.pk]), status=404)
    b.cek_halaman(judul="Tidak ditemukan", h1="Halaman tidak ditemukan")

    # 9. ... nor find her by name (only their own namesake) or by NIK.
    b.buka(reverse("penduduk:list"))
    _cari(b, "Siti Rahmah")
    b.cek_halaman(judul="Penduduk", h1="Penduduk")
    expect(b.page.get_by_text("1 orang ditemukan.")).to_be_visible()
    assert b.page.locator(f'a[href="{url_detail}"]').count() == 0
    expect(b.page.locator(".daftar-kartu")).to_contain_text("Napar")
    assert b.page.locator(f'a[href="{namesake.get_absolute_url()}"]').count() == 2  # table row + card
    b.foto("09-psm-lain-cari-nama")
    _cari(b, siti.nik)
    b.cek_halaman(judul="Penduduk", h1="Penduduk")
    expect(b.page.get_by_text("0 orang ditemukan.")).to_be_visible()
    assert b.page.locator(f'a[href="{url_detail}"]').count() == 0
    expect(b.page.get_by_text(siti.nik)).to_have_count(0)
    b.foto("10-psm-lain-cari-nik")
    assert Penduduk.objects.get(pk=siti.pk).telepon == TELEPON_BARU


def test_psm_menambah_keluarga_dari_ponsel(buat_sesi, psm_a):
    """A PSM registers a new household with its head from the phone (the unused member row stays empty)."""
    s = buat_sesi("ponsel", "psm-keluarga")
    s.masuk_langsung(psm_a)
    s.buka(reverse("penduduk:keluarga-create"))
    s.cek_halaman(judul="Keluarga baru", h1="Keluarga baru")
    s.page.get_by_label("Nomor KK").fill("1376012003150042")
    s.page.get_by_label("Alamat").fill("Jl. Tan Malaka No. 5")
    baris = s.page.locator("fieldset").first
    baris.get_by_label("Nama lengkap").fill("Afrizal")
    baris.get_by_label("NIK").fill("1376011506800003")
    baris.get_by_label("Hubungan dalam keluarga").select_option(label="Kepala Keluarga")
    s.foto("01-isi")
    with s.page.expect_navigation():
        s.tekan(s.page.get_by_role("button", name="Simpan"))
    s.foto("02-hasil")
    assert "/baru/" not in s.page.url, "form keluarga tidak tersimpan"
    s.cek_halaman(judul="Keluarga Afrizal", h1="Keluarga Afrizal")
    expect(s.page.get_by_role("status")).to_have_text("Data keluarga tersimpan.")
    assert Keluarga.objects.get(no_kk="1376012003150042").kepala.nama == "Afrizal"


def test_psm_mengetik_nik_berspasi_seperti_di_ktp(buat_sesi, psm_a):
    s = buat_sesi("ponsel", "psm-nik-spasi")
    s.masuk_langsung(psm_a)
    s.buka(reverse("penduduk:create"))
    nik = s.page.get_by_label("NIK")
    nik.fill("1376 0115 0685 0001")
    s.foto("01-isi")
    expect(nik).to_have_value("1376 0115 0685 0001", timeout=1000)
