"""A staff member imports a DTKS-like file from the browser, at a desk and on a phone.

From the home page's link: choose the type, upload a generated csv with one bad row, watch the
check finish and land on the preview (htmx polls the progress bar, no inline script: the console
stays clean under the CSP), confirm "only the good rows", land on the result, download the rejected
rows (NIK kept as text), and see the import in the history. A running job's bar moves on by itself
when the job finishes. Screenshots: artifacts/screenshots/impor-<halaman>-<ukuran>.png.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from impor.models import StatusImpor, TugasImpor
from penduduk.models import Penduduk
from tests.impor.conftest import NIK_ISTRI, NIK_SUAMI, isi_dasar, tulis_csv

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("ukuran", ["desktop", "ponsel"])
def test_staf_mengimpor_dtks(buat_sesi, user_staf, tmp_path, ukuran):
    isi = isi_dasar()
    isi[2][12] = "31/02/1980"  # Siti Rahmah: no such date
    path = tulis_csv(tmp_path / "dtks-payakumbuh.csv", isi, pemisah=";")

    sesi = buat_sesi(ukuran, "impor")
    page = sesi.page
    sesi.masuk_langsung(user_staf)
    sesi.buka(reverse("home"))
    with page.expect_navigation():
        sesi.tekan(page.locator("#tautan-impor"))
    sesi.cek_halaman(judul="Impor data", h1="Impor data")
    expect(page.locator("#jenis-penduduk")).to_be_enabled()
    page.locator("#jenis-penduduk").check()
    page.locator("#id_berkas").set_input_files(str(path))
    sesi.foto("unggah")
    with page.expect_navigation():
        sesi.tekan(page.get_by_role("button", name="Unggah dan periksa"))
    # progress page, then htmx sends the browser on to the preview
    expect(page).to_have_url(re.compile(r"/impor/\d+/pratinjau/$"), timeout=15_000)
    sesi.cek_halaman(judul="Pratinjau impor", h1="Pratinjau impor")
    expect(page.locator("[data-angka=baru]")).to_have_text("3")
    expect(page.locator("[data-angka=galat]")).to_have_text("1")
    expect(page.locator("#galat")).to_contain_text("Tanggal 31/02/1980 tidak ada di kalender.")
    expect(page.locator("[data-testid=contoh]")).to_contain_text("Bujang Sutan")
    expect(page.get_by_role("button", name="Simpan semua (batal jika ada galat)")).to_be_disabled()
    sesi.foto("pratinjau")
    assert not Penduduk.objects.filter(nik=NIK_SUAMI).exists()

    with page.expect_navigation():
        sesi.tekan(page.get_by_role("button", name="Simpan baris yang benar saja"))
    expect(page).to_have_url(re.compile(r"/impor/\d+/hasil/$"), timeout=15_000)
    sesi.cek_halaman(judul="Hasil impor", h1="Hasil impor")
    expect(page.locator("[data-testid=status]")).to_contain_text("3 baris baru dan 0 baris diubah tersimpan")
    sesi.foto("hasil")
    assert Penduduk.objects.filter(nik=NIK_SUAMI).exists() and not Penduduk.objects.filter(nik=NIK_ISTRI).exists()

    with page.expect_download() as unduhan:
        sesi.tekan(page.locator("[data-testid=unduh-ditolak-utama]"))
    from openpyxl import load_workbook

    tujuan = tmp_path / "ditolak.xlsx"
    unduhan.value.save_as(tujuan)
    baris = list(load_workbook(tujuan).active.iter_rows(values_only=True))
    assert baris[1][baris[0].index("NIK")] == NIK_ISTRI  # text: all 16 digits

    sesi.buka(reverse("impor:riwayat"))
    sesi.cek_halaman(judul="Riwayat impor", h1="Riwayat impor")
    expect(page.locator("main")).to_contain_text("dtks-payakumbuh.csv")
    sesi.foto("riwayat")


def test_bar_progres_bergerak_sendiri(buat_sesi, user_staf):
    """A job running in the worker: the bar shows its progress and moves on to the result by itself."""
    tugas = TugasImpor.objects.create(
        jenis="penduduk", nama_berkas="besar.xlsx", dibuat_oleh=user_staf, status=StatusImpor.BERJALAN, progres=40
    )
    for ukuran in ("desktop", "ponsel"):
        sesi = buat_sesi(ukuran, "impor")
        sesi.masuk_langsung(user_staf)
        sesi.buka(reverse("impor:progres", args=[tugas.pk]))
        sesi.cek_halaman(judul="Progres impor", h1="Menyimpan impor")
        expect(sesi.page.locator("#bar-progres")).to_have_attribute("value", "40")
        sesi.foto("progres")
        sesi.context.close()
    sesi = buat_sesi("desktop", "impor")
    sesi.masuk_langsung(user_staf)
    sesi.buka(reverse("impor:progres", args=[tugas.pk]))
    TugasImpor.objects.filter(pk=tugas.pk).update(progres=70)
    expect(sesi.page.locator("#bar-progres")).to_have_attribute("value", "70", timeout=5_000)
    TugasImpor.objects.filter(pk=tugas.pk).update(progres=100, status=StatusImpor.SELESAI, jumlah_baris=5)
    expect(sesi.page).to_have_url(re.compile(rf"/impor/{tugas.pk}/hasil/$"), timeout=8_000)
    sesi.cek_konsol_bersih()
