"""Issue 10: a citizen files a complaint and follows it, without an account, from a 360 px phone.

From the login page (where citizens land) to the public form, a pungli complaint sent anonymously
(CSRF cookie and token as a real browser does it), the tracking code shown once, then the follow
page with the code typed in lower case: status "Diterima", no complaint text shown.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from pengaduan.models import Pengaduan

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ISI = "Bantuan sembako bulan ini dipotong dua puluh ribu rupiah oleh oknum saat pembagian di kantor kelurahan."


def test_warga_mengirim_dan_melacak_pengaduan_tanpa_akun(buat_sesi):
    s = buat_sesi("ponsel-360", "pengaduan-publik")
    s.buka("/masuk/")
    with s.page.expect_navigation():
        s.tekan(s.page.get_by_role("link", name=re.compile("Kirim pengaduan")))
    s.cek_halaman(judul="Pengaduan masyarakat", h1="Pengaduan masyarakat")
    s.page.get_by_label("Pungli atau korupsi bantuan").check()
    s.page.get_by_label("Ceritakan apa yang terjadi").fill(ISI)
    s.page.get_by_label("Alamat atau patokan lokasi").fill("RT 02 RW 01")
    s.page.get_by_label("Kirim tanpa nama (anonim)").check()
    s.cek_tidak_meluber()
    s.foto("01-form")
    with s.page.expect_navigation():
        s.tekan(s.page.get_by_role("button", name="Kirim pengaduan"))
    s.cek_halaman(judul="Pengaduan terkirim", h1="Pengaduan terkirim")
    kode = s.page.locator("#kode-lacak").inner_text().strip()
    assert re.fullmatch(r"ADU-\w{3}-\w{3}-\w{3}", kode)
    assert kode not in s.page.url
    p = Pengaduan.objects.get()
    assert p.kode_lacak == kode and p.anonim and p.pelapor_nama == ""
    s.foto("02-kode")

    with s.page.expect_navigation():
        s.tekan(s.page.get_by_role("link", name="Lacak pengaduan"))
    s.page.get_by_label("Kode lacak").fill(kode.lower().replace("-", " "))
    with s.page.expect_navigation():
        s.tekan(s.page.get_by_role("button", name="Lacak"))
    s.cek_halaman(judul="Lacak pengaduan", h1="Lacak pengaduan")
    expect(s.page.locator("#status-pengaduan")).to_have_text("Diterima")
    expect(s.page.get_by_text(ISI)).to_have_count(0)
    assert kode not in s.page.url
    s.foto("03-lacak")
