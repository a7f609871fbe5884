"""The public form: a citizen files a complaint without an account; abuse is refused, stores nothing."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from pengaduan.models import Pengaduan, PermintaanPublik
from pengaduan.sistem import USERNAME
from ppks.models import Kasus

pytestmark = pytest.mark.django_db

URL = reverse("pengaduan:buat")
ISI = "Bantuan sembako bulan ini dipotong dua puluh ribu oleh oknum di kantor kelurahan."


def _isian(**ubah) -> dict:
    data = {
        "kategori": "pungli",
        "isi": ISI,
        "kelurahan": "",
        "lokasi": "RT 02 RW 01",
        "pelapor_nama": "Rahmat",
        "pelapor_kontak": "081234567890",
        "situs_web": "",
    }
    data.update(ubah)
    return data


def _png(ukuran=(20, 20)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", ukuran, "red").save(buf, "PNG")
    return buf.getvalue()


def _berkas_lampiran() -> set[str]:
    akar = Path(settings.PRIVATE_MEDIA_ROOT) / "pengaduan"
    return {str(p) for p in akar.rglob("*") if p.is_file()} if akar.exists() else set()


def _kode_dari(resp) -> str:
    m = re.search(r'id="kode-lacak">(ADU-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3})<', resp.content.decode())
    assert m, "kode lacak tidak tampil"
    return m.group(1)


# --- filing ------------------------------------------------------------------------------------


def test_form_terbuka_tanpa_login_dan_menjelaskan_anonimitas(client):
    resp = client.get(URL)
    assert resp.status_code == 200
    teks = resp.content.decode()
    assert "tidak pernah ditampilkan kepada PSM" in teks
    assert "Kirim tanpa nama" in teks
    assert 'enctype="multipart/form-data"' in teks
    assert 'name="situs_web"' in teks  # the honeypot is there, hidden
    assert "csrfmiddlewaretoken" in teks


def test_warga_mengirim_dan_melihat_kode_sekali_tanpa_kode_di_url(client):
    resp = client.post(URL, _isian())
    assert resp.status_code == 302
    assert resp["Location"] == reverse("pengaduan:terkirim")  # no code in any URL
    p = Pengaduan.objects.get()
    assert p.kode_lacak not in resp["Location"]
    resp = client.get(resp["Location"])
    assert _kode_dari(resp) == p.kode_lacak
    # Shown once: a reload shows no code.
    ulang = client.get(reverse("pengaduan:terkirim")).content.decode()
    assert p.kode_lacak not in ulang
    assert "hanya ditampilkan sekali" in ulang
    assert p.status == "baru" and p.pelapor_nama == "Rahmat"
    assert p.history.count() == 1
    assert p.history.first().history_user.username == USERNAME


def test_batas_waktu_14_hari_dari_setting(client, settings):
    settings.PENGADUAN_BATAS_HARI = 10
    client.post(URL, _isian())
    p = Pengaduan.objects.get()
    assert p.batas_waktu - p.diterima_pada == dt.timedelta(days=10)


def test_batas_waktu_bawaan_14_hari(client):
    client.post(URL, _isian())
    p = Pengaduan.objects.get()
    assert p.batas_waktu - p.diterima_pada == dt.timedelta(days=14)


def test_anonim_tidak_menyimpan_nama_dan_kontak(client):
    client.post(URL, _isian(anonim="on"))
    p = Pengaduan.objects.get()
    assert p.anonim and p.pelapor_nama == "" and p.pelapor_kontak == ""


def test_isian_salah_pesan_jelas_tanpa_simpan(client):
    resp = client.post(URL, _isian(kategori="bukan", isi="pendek"))
    assert resp.status_code == 200
    assert not Pengaduan.objects.exists()
    assert "is-invalid" in resp.content.decode()


# --- "butuh bantuan" opens a Kasus ------------------------------------------------------------


def test_butuh_bantuan_membuka_kasus_sumber_pengaduan(client, kelurahan_a):
    isi = "Nenek tinggal sendiri di pondok belakang pasar, tidak makan dua hari, kaki bengkak."
    resp = client.post(
        URL,
        _isian(kategori="butuh_bantuan", isi=isi, kelurahan=kelurahan_a.pk, pelapor_nama="Upik", mendesak="on"),
    )
    assert resp.status_code == 302
    p = Pengaduan.objects.get()
    kasus = Kasus.objects.get()
    assert p.kasus == kasus
    assert kasus.sumber == "pengaduan"
    assert kasus.kelurahan == kelurahan_a
    assert kasus.status == "baru" and kasus.nomor.startswith("KS-")
    # The deadline clock started at once (tinggi: 72 hours, from the moment of receipt).
    assert kasus.urgensi == "tinggi"
    assert kasus.batas_respons == kasus.dibuat_pada + dt.timedelta(hours=settings.KASUS_BATAS_JAM["tinggi"])
    assert abs(kasus.dibuat_pada - p.diterima_pada) < dt.timedelta(seconds=1)
    # Made by the system account, which cannot log in; the case says where it came from.
    assert kasus.dibuat_oleh.username == USERNAME
    assert not kasus.dibuat_oleh.is_active and not kasus.dibuat_oleh.has_usable_password()
    assert f"pengaduan publik no. {p.pk}" in kasus.uraian
    # The reporter's identity never reaches the case (the PSM of the kelurahan sees it).
    assert "Upik" not in kasus.uraian and "0812" not in kasus.uraian
    assert kasus.pelapor_nama == "" and kasus.pelapor_kontak == ""


def test_butuh_bantuan_biasa_tanpa_mendesak(client, kelurahan_a):
    client.post(URL, _isian(kategori="butuh_bantuan", kelurahan=kelurahan_a.pk))
    kasus = Kasus.objects.get()
    assert kasus.urgensi == "biasa"
    assert kasus.batas_respons - kasus.dibuat_pada == dt.timedelta(hours=settings.KASUS_BATAS_JAM["biasa"])


def test_butuh_bantuan_wajib_kelurahan(client):
    resp = client.post(URL, _isian(kategori="butuh_bantuan", kelurahan=""))
    assert resp.status_code == 200
    assert "Pilih kelurahan" in resp.content.decode()
    assert not Pengaduan.objects.exists() and not Kasus.objects.exists()


def test_kategori_lain_tidak_membuka_kasus(client, kelurahan_a):
    client.post(URL, _isian(kategori="salah_sasaran", kelurahan=kelurahan_a.pk, mendesak="on"))
    assert Pengaduan.objects.get().kasus is None
    assert not Kasus.objects.exists()


# --- CSRF ------------------------------------------------------------------------------------


def test_post_publik_tanpa_token_csrf_ditolak():
    c = Client(enforce_csrf_checks=True)
    assert c.post(URL, _isian()).status_code == 403
    assert c.post(reverse("pengaduan:lacak"), {"kode": "ADU-222-222-222"}).status_code == 403
    assert not Pengaduan.objects.exists()


def test_post_publik_dengan_token_csrf_dari_form_berhasil():
    """As a real browser: GET the form (sets the csrftoken cookie), POST with the token, no login."""
    c = Client(enforce_csrf_checks=True)
    halaman = c.get(URL)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', halaman.content.decode()).group(1)
    resp = c.post(URL, {**_isian(), "csrfmiddlewaretoken": token})
    assert resp.status_code == 302
    kode = _kode_dari(c.get(resp["Location"]))
    lacak = c.get(reverse("pengaduan:lacak"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', lacak.content.decode()).group(1)
    hasil = c.post(reverse("pengaduan:lacak"), {"kode": kode, "csrfmiddlewaretoken": token})
    assert hasil.status_code == 200
    assert 'id="status-pengaduan">Diterima<' in hasil.content.decode()


# --- spam: honeypot and rate limit ------------------------------------------------------------


def test_honeypot_terisi_ditolak_tanpa_simpan(client):
    resp = client.post(URL, _isian(situs_web="http://spam.example"))
    assert resp.status_code == 400
    assert "tidak dapat diterima" in resp.content.decode()
    assert not Pengaduan.objects.exists()


def test_batas_kiriman_per_alamat(client, settings):
    settings.PENGADUAN_KIRIM_PER_JAM = 2
    for _ in range(2):
        assert client.post(URL, _isian()).status_code == 302
    resp = client.post(URL, _isian())
    assert resp.status_code == 429
    assert "Terlalu banyak pengaduan" in resp.content.decode()
    assert Pengaduan.objects.count() == 2
    # Another address (behind the proxy) is not affected.
    settings.TRUSTED_PROXY_COUNT = 1
    lain = client.post(URL, _isian(), HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert lain.status_code == 302
    assert Pengaduan.objects.count() == 3


def test_batas_berlaku_satu_jam(client, settings):
    settings.PENGADUAN_KIRIM_PER_JAM = 1
    client.post(URL, _isian())
    assert client.post(URL, _isian()).status_code == 429
    PermintaanPublik.objects.update(waktu=PermintaanPublik.objects.get().waktu - dt.timedelta(minutes=61))
    assert client.post(URL, _isian()).status_code == 302


def test_alamat_tidak_disimpan_mentah(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(URL, _isian(), HTTP_X_FORWARDED_FOR="198.51.100.23")
    baris = PermintaanPublik.objects.get()
    assert "198.51.100.23" not in baris.kunci and len(baris.kunci) == 64


def test_honeypot_ikut_dihitung_batas(client, settings):
    settings.PENGADUAN_KIRIM_PER_JAM = 2
    client.post(URL, _isian(situs_web="x"))
    client.post(URL, _isian(situs_web="x"))
    assert client.post(URL, _isian()).status_code == 429


# --- uploads ---------------------------------------------------------------------------------

_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>'
_HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.mark.parametrize(
    ("nama", "isi", "jenis"),
    [
        ("bukti.jpg", _EXE, "image/jpeg"),
        ("bukti.jpg", _HTML, "image/jpeg"),
        ("bukti.png", _SVG, "image/png"),
        ("bukti.svg", _SVG, "image/svg+xml"),
        ("bukti.pdf", _HTML, "application/pdf"),
        ("bukti.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
    ],
    ids=["exe-sebagai-jpg", "html-sebagai-jpg", "svg-skrip-sebagai-png", "svg", "html-sebagai-pdf", "gif"],
)
def test_lampiran_menyamar_ditolak_tanpa_simpan_tanpa_berkas(client, nama, isi, jenis):
    sebelum = _berkas_lampiran()
    resp = client.post(URL, {**_isian(), "lampiran": SimpleUploadedFile(nama, isi, content_type=jenis)})
    assert resp.status_code == 200
    assert "Lampiran harus berupa foto (JPEG, PNG atau WebP) atau berkas PDF" in resp.content.decode()
    assert not Pengaduan.objects.exists()
    assert _berkas_lampiran() == sebelum


def test_lampiran_terlalu_besar_ditolak(client, settings):
    settings.PENGADUAN_LAMPIRAN_MAKS_MB = 1
    sebelum = _berkas_lampiran()
    besar = SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1), content_type="application/pdf")
    resp = client.post(URL, {**_isian(), "lampiran": besar})
    assert resp.status_code == 200
    assert "Lampiran terlalu besar (maksimal 1 MB)" in resp.content.decode()
    assert not Pengaduan.objects.exists()
    assert _berkas_lampiran() == sebelum


def test_lampiran_png_dan_pdf_diterima_dengan_nama_baru(client):
    client.post(URL, {**_isian(), "lampiran": SimpleUploadedFile("KTP Rahmat.jpg", _png(), "image/jpeg")})
    p = Pengaduan.objects.get()
    assert p.lampiran.name.startswith("pengaduan/") and p.lampiran.name.endswith(".png")
    assert "Rahmat" not in p.lampiran.name  # the uploaded name says who filed it: dropped
    assert os.path.exists(p.lampiran.path)
    pdf = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", "application/pdf")
    client.post(URL, {**_isian(), "lampiran": pdf})
    assert Pengaduan.objects.order_by("-id").first().lampiran.name.endswith(".pdf")
