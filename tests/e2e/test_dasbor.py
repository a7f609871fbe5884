"""The Kadis reads the city's state from one page, at a desk and on a phone; the report prints.

Pimpinan opens the dashboard from the home page's link at 1366 px and at 390 px (touch): the tiles,
the four charts and the per-kecamatan table render, nothing sticks out sideways on the phone, the
console has no errors (the CSP allows no inline script or style). A PSM sees their kelurahan only,
without the complaint tiles. The monthly report page renders for print (A4 via print media).
Screenshots: artifacts/screenshots/dasbor-<halaman>-<ukuran>.png.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.dasbor.conftest import dunia, periode  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("ukuran", ["desktop", "ponsel"])
def test_pimpinan_membaca_dasbor(buat_sesi, dunia, user_pimpinan, periode, ukuran):  # noqa: F811
    sesi = buat_sesi(ukuran, "dasbor")
    sesi.masuk_langsung(user_pimpinan)
    sesi.buka(reverse("home"))
    with sesi.page.expect_navigation():
        sesi.tekan(sesi.page.locator("#tautan-dasbor"))
    sesi.cek_halaman(judul="Dasbor", h1="Dasbor")
    page = sesi.page
    expect(page.locator(".ubin")).to_have_count(20)
    expect(page.locator("svg[role=img]")).to_have_count(5)  # jenis, cases, burn-down (2 sizes), assistance
    expect(page.locator(".tabel-dasbor tfoot")).to_contain_text("Jumlah")
    sesi.foto("kota")
    # drill down: last month, then a kecamatan from the table
    page.select_option("#f-periode", periode.kode)
    with page.expect_navigation():
        sesi.tekan(page.get_by_role("button", name="Tampilkan"))
    expect(page.locator("[data-angka='PPKS terdaftar']")).to_have_text("5")
    with page.expect_navigation():
        sesi.tekan(page.locator(".tabel-dasbor tbody a", has_text="Payakumbuh Timur").first)
    expect(page.locator("h1")).to_contain_text("Kecamatan Payakumbuh Timur")
    sesi.cek_halaman(judul="Dasbor")
    sesi.foto("kecamatan")
    # the monthly report for print
    sesi.buka(reverse("dasbor:laporan") + f"?periode={periode.kode}")
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.locator("h1")).to_contain_text("Laporan bulanan")
    sesi.cek_konsol_bersih()
    sesi.foto("laporan")
    page.emulate_media(media="screen")


def test_psm_melihat_kelurahannya_di_ponsel(buat_sesi, dunia, psm_a, periode):  # noqa: F811
    sesi = buat_sesi("ponsel", "dasbor-psm")
    sesi.masuk_langsung(psm_a)
    sesi.buka(reverse("dasbor:index") + f"?periode={periode.kode}&kelurahan={dunia['b'].pk}")
    sesi.cek_halaman(judul="Dasbor", h1="Tanjuang Pauh")
    expect(sesi.page.locator("body")).not_to_contain_text("Pengaduan")
    expect(sesi.page.locator("[data-angka='PPKS terdaftar']")).to_have_text("3")
    sesi.foto("kelurahan")
