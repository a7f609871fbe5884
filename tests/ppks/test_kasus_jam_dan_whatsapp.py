"""The texts of the case pages: the deadline clock in Indonesian and WIB, the jenis a role may see,
and the "Kirim ke WhatsApp" link (no NIK, no name, no sensitive jenis)."""

import datetime as dt
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest

from ppks.templatetags.kasus import format_wib, jenis_untuk, waktu_relatif
from ppks.whatsapp import nomor_wa, pesan_kasus, tautan_whatsapp
from tests.factories import KasusFactory, PendudukFactory, jenis_ppks

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")

# --- the deadline clock -------------------------------------------------------------------------------


SEKARANG = dt.datetime(2026, 3, 10, 12, 0, tzinfo=WIB)


@pytest.mark.parametrize(
    ("selisih", "teks"),
    [
        (dt.timedelta(hours=3), "3 jam lagi"),
        (dt.timedelta(hours=3, minutes=59), "3 jam lagi"),  # rounded down: never more time than there is
        (dt.timedelta(minutes=45), "45 menit lagi"),
        (dt.timedelta(seconds=20), "kurang dari 1 menit lagi"),
        (dt.timedelta(hours=23, minutes=59), "23 jam lagi"),
        (dt.timedelta(hours=24), "1 hari lagi"),
        (dt.timedelta(days=2, hours=5), "2 hari lagi"),
        (dt.timedelta(days=7), "7 hari lagi"),
        (-dt.timedelta(hours=5), "Terlambat 5 jam"),
        (-dt.timedelta(hours=5, minutes=30), "Terlambat 5 jam"),
        (-dt.timedelta(minutes=10), "Terlambat 10 menit"),
        (-dt.timedelta(seconds=5), "Terlambat kurang dari 1 menit"),
        (-dt.timedelta(days=3, hours=2), "Terlambat 3 hari"),
    ],
)
def test_waktu_relatif(selisih, teks):
    assert waktu_relatif(SEKARANG + selisih, SEKARANG) == teks


def test_waktu_relatif_kosong_dan_waktu_wib():
    assert waktu_relatif(None) == ""
    assert format_wib(None) == "—"
    assert format_wib(dt.datetime(2026, 3, 10, 16, 30, tzinfo=dt.UTC)) == "10/03/2026 23:30 WIB"
    assert format_wib(dt.datetime(2026, 3, 10, 17, 5, tzinfo=dt.UTC)) == "11/03/2026 00:05 WIB"


def test_jenis_sensitif_hanya_dirahasiakan_untuk_pimpinan(user_pimpinan, user_staf, psm_a):
    odha, lut = jenis_ppks("ODHA"), jenis_ppks("LUT")
    assert jenis_untuk(odha, user_pimpinan) == "(dirahasiakan)"
    assert jenis_untuk(odha, None) == "(dirahasiakan)"
    assert jenis_untuk(lut, user_pimpinan) == lut.nama
    assert jenis_untuk(odha, user_staf) == odha.nama == jenis_untuk(odha, psm_a)
    assert jenis_untuk(None, user_staf) == "—"


# --- WhatsApp -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("telepon", "nomor"),
    [
        ("0812-3456-7890", "6281234567890"),
        ("+62 812 3456 7890", "6281234567890"),
        ("6281234567890", "6281234567890"),
        ("81234567890", "6281234567890"),
        ("(0752) 92000", ""),  # a landline has no WhatsApp to open
        ("", ""),
        (None, ""),
        ("0812", ""),
    ],
)
def test_nomor_wa(telepon, nomor):
    assert nomor_wa(telepon) == nomor


def test_pesan_whatsapp_tanpa_data_pribadi(kelurahan_a, psm_a):
    orang = PendudukFactory(kelurahan=kelurahan_a, nama="Siti Rahmah")
    kasus = KasusFactory(
        kelurahan=kelurahan_a,
        penduduk=orang,
        jenis=jenis_ppks("ODHA"),
        urgensi="darurat",
        ringkasan="Siti Rahmah sakit keras",
        lokasi="Rumah Siti di belakang masjid",
        pelapor_nama="Pak RT",
        pelapor_kontak="08111111111",
        psm=psm_a,
    )
    tautan = "https://sosial.example/kasus/1/"
    teks = pesan_kasus(kasus, tautan)
    assert kasus.nomor in teks and kelurahan_a.nama in teks and "Darurat" in teks
    assert format_wib(kasus.batas_respons) in teks and tautan in teks
    for rahasia in (orang.nik, "Siti", jenis_ppks("ODHA").nama, "HIV", "Pak RT", "08111111111", "masjid"):
        assert rahasia not in teks
    # A non-sensitive jenis may be named.
    kasus.jenis = jenis_ppks("LUT")
    assert jenis_ppks("LUT").nama in pesan_kasus(kasus, tautan)


def test_tautan_whatsapp_ke_psm_atau_tanpa_nomor(kelurahan_a, psm_a):
    kasus = KasusFactory(kelurahan=kelurahan_a, psm=psm_a)
    psm_a.telepon = "0812 7777 8888"
    bagian = urlsplit(tautan_whatsapp(kasus, "https://x/kasus/1/"))
    assert (bagian.scheme, bagian.netloc, bagian.path) == ("https", "wa.me", "/6281277778888")
    assert parse_qs(bagian.query)["text"][0] == pesan_kasus(kasus, "https://x/kasus/1/")
    psm_a.telepon = ""
    assert tautan_whatsapp(kasus, "https://x/").startswith("https://wa.me/?text=")
    kasus.psm = None
    assert tautan_whatsapp(kasus, "https://x/").startswith("https://wa.me/?text=")


def test_detail_tautan_whatsapp_berisi_alamat_absolut(client, user_staf, kelurahan_a, psm_a):
    kasus_a = KasusFactory(kelurahan=kelurahan_a, psm=psm_a, ringkasan="Lansia sakit sendirian")
    client.force_login(user_staf)
    resp = client.get(kasus_a.get_absolute_url())
    tautan = resp.context["tautan_wa"]
    teks = unquote(urlsplit(tautan).query)
    assert f"http://testserver{kasus_a.get_absolute_url()}" in teks
    assert kasus_a.ringkasan not in teks
