"""Every page at the narrowest phone (360x740) and office (1366x900) size: screenshot, title, heading, no overflow.

Each case opens one page as one role, optionally does something on it (submit a form with a bad
NIK, a likely duplicate, a wrong password, open the phone menu), then checks the <title>, the <h1>,
that nothing sticks out sideways at 360 px and that the browser console has no errors (CSP
violations are console errors: the site allows no inline script or style). Screenshots go to
artifacts/screenshots/layar-<halaman>-<ukuran>.png for review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import Sesi, buat_keluarga_siti
from tests.factories import KeluargaFactory, PendudukFactory
from tests.psm import berikrar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NAMA_WARGA = [
    "Afrizal", "Yusnimar", "Zulkifli Datuak Bandaro", "Rosmaniar", "Erizal Chaniago", "Nofrianti",
    "Syafrudin", "Elvi Susanti", "Darmawel", "Yulia Fitri", "Hendri Saputra", "Nurlela", "Masrizal",
    "Desi Ratnasari", "Firdaus Malin Kayo", "Marlina", "Ikhsan Fadli", "Wirda Hayati", "Jonaidi",
    "Rahmi Yanti", "Asnimar", "Budi Santoso", "Syamsul Bahri", "Epi Suryani",
]  # fmt: skip
NAMA_PANJANG = "Hj. Nurhasanah Datuak Rajo Mangkuto Sutan Marajo"
ALAMAT_PANJANG = "Jl. Soekarno Hatta No. 145, Komplek Perumahan Villa Ampangan Permai Blok C"


@pytest.fixture
def data(cast, kelurahan_a, kelurahan_b):
    """Kelurahan A (Tanjuang Pauh) with 30 residents, so lists paginate; one resident in B (Napar)."""
    keluarga, kepala, siti = buat_keluarga_siti(kelurahan_a, alamat=ALAMAT_PANJANG)
    anak = dt.date(2012, 7, 9)
    PendudukFactory(keluarga=keluarga, kelurahan=kelurahan_a, hubungan="anak", nama="Rafi Pratama", tanggal_lahir=anak)
    panjang = PendudukFactory(
        kelurahan=kelurahan_a,
        nama=NAMA_PANJANG,
        jenis_kelamin="P",
        tanggal_lahir=dt.date(1950, 1, 1),
        alamat=ALAMAT_PANJANG,
        rt="012",
        rw="004",
        pendidikan="sd",
        disabilitas="fisik",
    )
    PendudukFactory(kelurahan=kelurahan_a, nama="Udin", nik=None, tanggal_lahir=None, tempat_lahir="")
    PendudukFactory(kelurahan=kelurahan_a, nama="Ahmad Dahlan", status="meninggal")
    for i, nama in enumerate(NAMA_WARGA):
        PendudukFactory(kelurahan=kelurahan_a, nama=nama, tanggal_lahir=dt.date(1960 + i, 1 + i % 12, 1 + i))
    KeluargaFactory(kelurahan=kelurahan_a, no_kk=None, alamat="Jorong Koto Panjang")
    PendudukFactory(kelurahan=kelurahan_b, nama="Rangkayo Basa")
    for psm in (cast["psm_a"], cast["psm_b"]):
        berikrar(psm)  # a PSM's home (psm:beranda) shows the pledge first otherwise
    return SimpleNamespace(pengguna=cast, keluarga=keluarga, kepala=kepala, siti=siti, panjang=panjang)


# --- what some cases do on the page before it is checked ---


def _masuk_salah(s: Sesi, d) -> None:
    s.page.get_by_label("Nama pengguna").fill(d.pengguna["psm_a"].username)
    s.page.get_by_label("Kata sandi").fill("salah-sandi")
    with s.page.expect_navigation():
        s.tekan(s.page.get_by_role("button", name="Masuk"))


def _buka_menu(s: Sesi, d) -> None:
    """The navigation must work on a phone: the toggler opens it (Bootstrap's JS runs under the CSP)."""
    toggler = s.page.get_by_role("button", name="Buka menu")
    if s.di_ponsel:
        expect(toggler).to_be_visible()
        s.tekan(toggler)
        expect(s.page.locator("#nav-utama")).to_have_class("navbar-collapse collapse show")
    else:
        expect(toggler).to_be_hidden()
    expect(s.page.get_by_role("link", name="Penduduk", exact=True)).to_be_visible()
    expect(s.page.get_by_role("link", name="Keluarga", exact=True)).to_be_visible()
    expect(s.page.get_by_role("button", name="Keluar")).to_be_visible()
    # The grouped entries open (Bootstrap's dropdown, no inline script) and lead to their pages.
    expect(s.page.get_by_role("link", name="PPKS", exact=True)).to_be_hidden()
    s.tekan(s.page.get_by_role("button", name="Layanan"))
    expect(s.page.get_by_role("link", name="PPKS", exact=True)).to_be_visible()
    expect(s.page.get_by_role("link", name="Kasus respons cepat")).to_be_visible()


def _simpan(s: Sesi) -> None:
    with s.page.expect_navigation():
        s.tekan(s.page.get_by_role("button", name="Simpan"))


def _nik_salah(s: Sesi, d) -> None:
    s.page.get_by_label("NIK").fill("1376 0112 345")
    s.page.get_by_label("Nama lengkap").fill("Rina Marlina")
    _simpan(s)


def _kemungkinan_ganda(s: Sesi, d) -> None:
    s.page.get_by_label("Nama lengkap").fill("siti  rahmah")
    s.page.get_by_label("Tanggal lahir").fill("03/02/1988")
    _simpan(s)


@dataclass(frozen=True)
class Halaman:
    id: str
    peran: str | None  # key of the `cast` fixture; None = not logged in
    path: Callable[[SimpleNamespace], str]
    judul: str  # <title> before " · Payakumbuh Sosial"
    h1: str
    status: int = 200
    aksi: Callable[[Sesi, SimpleNamespace], None] | None = None
    teks: tuple[str, ...] = ()  # also visible on the page
    tanpa_kolom: tuple[str, ...] = ()  # form fields (by label) that must not be on the page


def _url(nama: str, attr: str | None = None, query: str = "") -> Callable[[SimpleNamespace], str]:
    return lambda d: reverse(nama, args=[getattr(d, attr).pk] if attr else []) + query


HALAMAN = [
    Halaman("masuk", None, _url("login"), "Masuk", "Masuk"),
    Halaman("masuk-salah", None, _url("login"), "Masuk", "Masuk", aksi=_masuk_salah, teks=("kata sandi salah",)),
    Halaman("beranda-admin", "admin", _url("home"), "Beranda", "Selamat datang", teks=("Per kecamatan",)),
    Halaman("beranda-staf", "staf", _url("home"), "Beranda", "Selamat datang", teks=("Per kecamatan",)),
    Halaman("beranda-pimpinan", "pimpinan", _url("home"), "Beranda", "Selamat datang", teks=("Per kecamatan",)),
    Halaman("beranda-psm", "psm_a", _url("home"), "Beranda", "Selamat datang", teks=("Perlu dikunjungi",)),
    Halaman("menu", "psm_a", _url("home"), "Beranda", "Selamat datang", aksi=_buka_menu),
    Halaman("penduduk-daftar-staf", "staf", _url("penduduk:list"), "Penduduk", "Penduduk", teks=("31 orang",)),
    Halaman(
        "penduduk-daftar-psm",
        "psm_a",
        _url("penduduk:list"),
        "Penduduk",
        "Penduduk",
        teks=("30 orang",),
        tanpa_kolom=("Kecamatan", "Kelurahan"),  # one kelurahan: no area filters to fill the phone screen
    ),
    Halaman(
        "penduduk-daftar-hal-2",
        "staf",
        _url("penduduk:list", query="?page=2"),
        "Penduduk",
        "Penduduk",
        teks=("Sebelumnya", "2 dari 2"),
    ),
    Halaman("penduduk-daftar-pimpinan", "pimpinan", _url("penduduk:list"), "Penduduk", "Penduduk"),
    Halaman(
        "penduduk-cari-kosong",
        "psm_a",
        _url("penduduk:list", query="?q=Marapi"),
        "Penduduk",
        "Penduduk",
        teks=("Tidak ada penduduk",),
    ),
    Halaman(
        "penduduk-detail", "psm_a", _url("penduduk:detail", "siti"), "Siti Rahmah", "Siti Rahmah", teks=("Riwayat",)
    ),
    Halaman("penduduk-detail-panjang", "staf", _url("penduduk:detail", "panjang"), NAMA_PANJANG, NAMA_PANJANG),
    Halaman("penduduk-baru", "psm_a", _url("penduduk:create"), "Penduduk baru", "Penduduk baru"),
    Halaman("penduduk-ubah", "staf", _url("penduduk:update", "siti"), "Ubah Siti Rahmah", "Ubah data Siti Rahmah"),
    Halaman(
        "penduduk-nik-salah",
        "psm_a",
        _url("penduduk:create"),
        "Penduduk baru",
        "Penduduk baru",
        aksi=_nik_salah,
        teks=("NIK harus 16 digit angka",),
    ),
    Halaman(
        "penduduk-ganda",
        "psm_a",
        _url("penduduk:create"),
        "Penduduk baru",
        "Penduduk baru",
        aksi=_kemungkinan_ganda,
        teks=("Kemungkinan data ganda",),
    ),
    Halaman("keluarga-daftar-staf", "staf", _url("penduduk:keluarga-list"), "Keluarga", "Keluarga"),
    Halaman("keluarga-daftar-psm", "psm_a", _url("penduduk:keluarga-list"), "Keluarga", "Keluarga"),
    Halaman(
        "keluarga-detail",
        "psm_a",
        _url("penduduk:keluarga-detail", "keluarga"),
        "Keluarga Bujang Sutan",
        "Keluarga Bujang Sutan",
    ),
    Halaman("keluarga-baru", "psm_a", _url("penduduk:keluarga-create"), "Keluarga baru", "Keluarga baru"),
    Halaman("keluarga-ubah", "staf", _url("penduduk:keluarga-update", "keluarga"), "Ubah keluarga", "Ubah keluarga"),
    Halaman("403", "pimpinan", _url("penduduk:create"), "Akses ditolak", "Akses ditolak", status=403),
    Halaman(
        "404-luar-wilayah",
        "psm_b",
        _url("penduduk:detail", "siti"),
        "Tidak ditemukan",
        "Halaman tidak ditemukan",
        status=404,
    ),
    Halaman("404-url", "staf", lambda d: "/tidak-ada/", "Tidak ditemukan", "Halaman tidak ditemukan", status=404),
]


@pytest.mark.parametrize("ukuran", ["ponsel-360", "desktop"])
@pytest.mark.parametrize("halaman", HALAMAN, ids=lambda h: h.id)
def test_halaman(buat_sesi, data, halaman: Halaman, ukuran: str):
    s = buat_sesi(ukuran, "layar")
    if halaman.peran:
        s.masuk_langsung(data.pengguna[halaman.peran])
    s.buka(halaman.path(data), status=halaman.status)
    if halaman.aksi:
        halaman.aksi(s, data)
    for teks in halaman.teks:
        expect(s.page.get_by_text(teks).first).to_be_visible()
    for label in halaman.tanpa_kolom:
        expect(s.page.get_by_label(label, exact=True)).to_have_count(0)
    s.foto(halaman.id)
    s.cek_halaman(judul=halaman.judul, h1=halaman.h1)
