"""Access matrix of every complaint URL (DESIGN.md: a PSM never sees complaints).

Anonymous visitors reach only the three public pages; Admin and Staf do everything; Pimpinan reads
(403 on every action); psm_a and psm_b get 403 on every staff URL, the attachment included, even
for a complaint about their own kelurahan.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from pengaduan.models import Pengaduan
from tests.pengaduan.factories import PengaduanFactory

pytestmark = pytest.mark.django_db

PERAN = ["admin", "staf", "pimpinan", "psm_a", "psm_b"]
BACA = ["pengaduan:list", "pengaduan:detail", "pengaduan:lampiran"]
TULIS = {
    "pengaduan:tugaskan": {"petugas": ""},
    "pengaduan:status": {"status": "ditelaah"},
    "pengaduan:tutup": {"status": "selesai", "resolusi": "Sudah diklarifikasi ke penerima."},
    "pengaduan:buka": {"alasan": "Pelapor memberi bukti baru."},
    "pengaduan:tanggapan": {"tanggapan_publik": "Sedang diperiksa."},
    "pengaduan:psm": {"psm": ""},
    "pengaduan:penyaluran-tautkan": {"penyaluran": "1"},
    "pengaduan:penyaluran-lepas": {"penyaluran": "1"},
}


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def pengaduan(kelurahan_a):
    """A complaint about kelurahan_a (psm_a's own area), with a photo."""
    p = PengaduanFactory(kelurahan=kelurahan_a)
    p.lampiran.save("bukti.png", ContentFile(_png()), save=True)
    return p


def _url(nama, pengaduan):
    return reverse(nama) if nama == "pengaduan:list" else reverse(nama, args=[pengaduan.pk])


@pytest.mark.parametrize("nama", ["pengaduan:buat", "pengaduan:terkirim", "pengaduan:lacak"])
@pytest.mark.parametrize("peran", [None, *PERAN])
def test_halaman_publik_terbuka_untuk_siapa_saja(client, cast, nama, peran):
    if peran:
        client.force_login(cast[peran])
    assert client.get(reverse(nama)).status_code == 200


@pytest.mark.parametrize("nama", BACA)
@pytest.mark.parametrize("peran", PERAN)
def test_matriks_baca(client, cast, pengaduan, nama, peran):
    client.force_login(cast[peran])
    resp = client.get(_url(nama, pengaduan))
    harapan = 403 if peran.startswith("psm") else 200
    assert resp.status_code == harapan
    if harapan == 403:
        teks = b"".join(resp.streaming_content) if resp.streaming else resp.content
        assert pengaduan.kode_lacak.encode() not in teks
        assert pengaduan.isi.encode() not in teks


@pytest.mark.parametrize("nama", [*BACA, *TULIS])
def test_anonim_diarahkan_ke_login(client, pengaduan, nama):
    url = _url(nama, pengaduan)
    resp = client.post(url, TULIS.get(nama, {})) if nama in TULIS else client.get(url)
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("nama", list(TULIS))
@pytest.mark.parametrize("peran", PERAN)
def test_matriks_tulis(client, cast, pengaduan, nama, peran):
    if nama == "pengaduan:buka":
        Pengaduan.objects.filter(pk=pengaduan.pk).update(status="selesai", resolusi="Selesai.")
    sebelum = pengaduan.history.count()
    client.force_login(cast[peran])
    resp = client.post(_url(nama, pengaduan), TULIS[nama])
    if peran in ("admin", "staf"):
        assert resp.status_code == 302
        assert resp["Location"] == pengaduan.get_absolute_url()
    else:
        assert resp.status_code == 403
        assert pengaduan.history.count() == sebelum  # nothing written


@pytest.mark.parametrize("nama", list(TULIS))
def test_aksi_hanya_post(client, user_staf, pengaduan, nama):
    client.force_login(user_staf)
    assert client.get(_url(nama, pengaduan)).status_code == 405


def test_psm_tidak_melihat_menu_pengaduan(client, psm_a, user_pimpinan):
    client.force_login(psm_a)
    assert reverse("pengaduan:list") not in client.get(reverse("ppks:kasus-list")).content.decode()
    client.force_login(user_pimpinan)
    assert reverse("pengaduan:list") in client.get(reverse("ppks:kasus-list")).content.decode()


def test_queryset_kosong_untuk_psm_sebagai_dinding_kedua(psm_a, user_staf, pengaduan):
    assert not Pengaduan.objects.for_user(psm_a).exists()
    assert Pengaduan.objects.for_user(user_staf).exists()


def test_pimpinan_tidak_melihat_identitas_pelapor(client, user_pimpinan, user_staf, pengaduan):
    client.force_login(user_pimpinan)
    teks = client.get(pengaduan.get_absolute_url()).content.decode()
    assert pengaduan.pelapor_nama not in teks and pengaduan.pelapor_kontak not in teks
    assert "Tutup pengaduan" not in teks  # no action forms for a read-only role
    client.force_login(user_staf)
    teks = client.get(pengaduan.get_absolute_url()).content.decode()
    assert pengaduan.pelapor_nama in teks and pengaduan.pelapor_kontak in teks


def test_lampiran_dilayani_dengan_tipe_asli_dan_nosniff(client, user_staf, pengaduan):
    client.force_login(user_staf)
    resp = client.get(reverse("pengaduan:lampiran", args=[pengaduan.pk]))
    assert resp.status_code == 200
    assert resp["Content-Type"] == "image/png"
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in resp["Content-Security-Policy"]
    assert b"".join(resp.streaming_content) == _png()


def test_lampiran_tak_dikenal_tidak_dilayani(client, user_staf, kelurahan_a):
    p = PengaduanFactory(kelurahan=kelurahan_a)
    p.lampiran.save("x.png", ContentFile(b"<html><script>alert(1)</script></html>"), save=True)
    client.force_login(user_staf)
    assert client.get(reverse("pengaduan:lampiran", args=[p.pk])).status_code == 404
    tanpa = PengaduanFactory()
    assert client.get(reverse("pengaduan:lampiran", args=[tanpa.pk])).status_code == 404


def test_id_tidak_ada_404(client, user_staf):
    client.force_login(user_staf)
    assert client.get(reverse("pengaduan:detail", args=[999999])).status_code == 404
    assert client.post(reverse("pengaduan:tutup", args=[999999]), TULIS["pengaduan:tutup"]).status_code == 404
