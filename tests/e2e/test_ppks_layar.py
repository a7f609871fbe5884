"""PPKS registry pages at phone (390 px) and office (1366 px) width: screenshot, title, heading, no
overflow, no console errors. Screenshots: artifacts/screenshots/ppks-<halaman>-<ukuran>.png."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import Sesi, buat_keluarga_siti
from tests.factories import PendudukFactory, PPKSFactory, jenis_ppks

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NAMA_PANJANG = "Hj. Nurhasanah Datuak Rajo Mangkuto Sutan Marajo"


@pytest.fixture
def data(cast, kelurahan_a):
    psm = cast["psm_a"]
    psm.first_name, psm.last_name, psm.telepon = "Yeni", "Marlina", "081266667777"
    psm.save()
    _, kepala, siti = buat_keluarga_siti(kelurahan_a, alamat="Jl. Soekarno Hatta No. 12")
    hari_ini = timezone.localdate()
    lut = PPKSFactory(
        penduduk=siti,
        jenis=jenis_ppks("LUT"),
        psm_pendamping=psm,
        kebutuhan=["pangan", "jaminan_kesehatan", "alat_bantu"],
        kebutuhan_lain="Kursi roda; atap bocor",
        terakhir_dikunjungi=hari_ini - dt.timedelta(days=75),
    )
    PPKSFactory(penduduk=siti, jenis=jenis_ppks("PD"), status="dalam_penanganan", kebutuhan=["alat_bantu"])
    PPKSFactory(penduduk=siti, jenis=jenis_ppks("ODHA"), kebutuhan=["layanan_kesehatan"])
    panjang = PendudukFactory(
        kelurahan=kelurahan_a, nama=NAMA_PANJANG, jenis_kelamin="P", tanggal_lahir=dt.date(1948, 5, 1)
    )
    PPKSFactory(
        penduduk=panjang,
        jenis=jenis_ppks("AKTK"),
        kebutuhan=["psikososial", "hukum", "panti", "pendidikan"],
        terakhir_dikunjungi=hari_ini - dt.timedelta(days=3),
    )
    PPKSFactory(penduduk=kepala, jenis=jenis_ppks("FM"), status="tertangani", psm_pendamping=psm, kebutuhan=[])
    for i, nama in enumerate(["Afrizal", "Rosmaniar", "Erizal Chaniago", "Nofrianti", "Syafrudin"]):
        orang = PendudukFactory(kelurahan=kelurahan_a, nama=nama, tanggal_lahir=dt.date(1950 + i, 3, 1 + i))
        PPKSFactory(
            penduduk=orang,
            jenis=jenis_ppks(("LUT", "FM", "PD", "AJ", "PEM")[i]),
            terakhir_dikunjungi=hari_ini - dt.timedelta(days=20 * i) if i else None,
        )
    return SimpleNamespace(pengguna=cast, siti=siti, lut=lut)


def _simpan_kosong(s: Sesi) -> None:
    """The form sent with "bukan PPKS lagi" and no date or reason: the errors must be readable."""
    s.page.get_by_label("Status").select_option("bukan_ppks")
    with s.page.expect_navigation():
        s.tekan(s.page.get_by_role("button", name="Simpan"))
    expect(s.page.get_by_text("Data belum tersimpan").first).to_be_visible()


@pytest.mark.parametrize("ukuran", ["ponsel", "desktop"])
def test_halaman_ppks(buat_sesi, data, ukuran):
    d = data
    kasus = [
        ("daftar-staf", "staf", reverse("ppks:list"), "PPKS", "PPKS", None),
        ("daftar-psm", "psm_a", reverse("ppks:list") + "?belum_dikunjungi=30", "PPKS", "PPKS", None),
        ("daftar-pimpinan", "pimpinan", reverse("ppks:list"), "PPKS", "PPKS", None),
        ("detail", "psm_a", d.lut.get_absolute_url(), "Siti Rahmah · PPKS", "Siti Rahmah", None),
        ("pilih-penduduk", "staf", reverse("ppks:create") + "?cari=siti", "Daftarkan PPKS", "Daftarkan PPKS", None),
        ("baru", "psm_a", f"{reverse('ppks:create')}?penduduk={d.siti.pk}", "Daftarkan PPKS", "Daftarkan PPKS", None),
        (
            "ubah-galat",
            "staf",
            reverse("ppks:update", args=[d.lut.pk]),
            "Ubah PPKS Siti Rahmah",
            "Ubah PPKS",
            _simpan_kosong,
        ),
        ("penduduk", "pimpinan", d.siti.get_absolute_url(), "Siti Rahmah", "Siti Rahmah", None),
    ]
    for nama, peran, path, judul, h1, aksi in kasus:
        s = buat_sesi(ukuran, "ppks")
        s.masuk_langsung(d.pengguna[peran])
        s.buka(path)
        if aksi:
            aksi(s)
        if peran == "pimpinan":
            expect(s.page.get_by_text("Orang dengan HIV/AIDS", exact=False)).to_have_count(
                0 if nama == "penduduk" else 1
            )
        s.foto(nama)
        s.cek_halaman(judul=judul, h1=h1)
        s.context.close()
