"""Issue 8, point 4: recording a visit from the phone form, its photo, the visit list and detail."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from ppks.models import PPKS, Tindakan
from psm.models import Kunjungan
from tests.factories import KasusFactory, KunjunganFactory, PendudukFactory, PPKSFactory
from tests.psm import berikrar

pytestmark = pytest.mark.django_db


def _png(warna=(200, 30, 30), ukuran=(8, 8)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", ukuran, warna).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def ppks(penduduk_a):
    return PPKSFactory(penduduk=penduduk_a, terakhir_dikunjungi=timezone.localdate() - dt.timedelta(days=120))


def _url(**subjek) -> str:
    ((nama, obj),) = subjek.items()
    return f"{reverse('psm:kunjungan-create')}?{nama}={obj.pk}"


def _isian(**ubah) -> dict:
    return {"tanggal": timezone.localdate().strftime("%d/%m/%Y"), "temuan": "Sehat, stok beras habis.", **ubah}


def test_form_rutin_empat_isian_dan_tanggal_hari_ini(client, psm, ppks):
    resp = client.get(_url(penduduk=ppks.penduduk))
    html = resp.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'accept="image/*"' in html and 'capture="environment"' in html
    assert 'inputmode="numeric"' in html
    assert timezone.localdate().strftime("%d/%m/%Y") in html
    assert "<details" in html  # kebutuhan and photo are folded away
    form = resp.context["form"]
    rutin = ["tanggal", "temuan", "perlu_tindak_lanjut", "tindak_lanjut"]
    assert set(form.fields) - set(rutin) == {"kebutuhan", "foto"}
    assert ppks.penduduk.nama in html


def test_kunjungan_memperbarui_terakhir_dan_keluar_dari_daftar_terlambat(client, psm, ppks):
    beranda = client.get(reverse("psm:beranda")).context
    assert [s.pk for s in beranda["subjek"] if s.terlambat] == [ppks.penduduk_id]
    resp = client.post(_url(penduduk=ppks.penduduk), _isian(kebutuhan=["pangan", "adminduk"]))
    assert resp.status_code == 302 and resp["Location"] == reverse("psm:beranda")
    kunjungan = Kunjungan.objects.get()
    assert (kunjungan.oleh, kunjungan.penduduk, kunjungan.kelurahan_id) == (
        psm,
        ppks.penduduk,
        ppks.penduduk.kelurahan_id,
    )
    assert kunjungan.kebutuhan == ["pangan", "adminduk"]
    ppks.refresh_from_db()
    assert ppks.terakhir_dikunjungi == timezone.localdate()
    beranda = client.get(reverse("psm:beranda"))
    assert [s for s in beranda.context["subjek"] if s.terlambat] == []
    assert beranda.context["terlambat_ppks"] == 0
    assert "Kunjungan tercatat" in beranda.content.decode()


def test_kunjungan_kasus_masuk_lini_masa(client, psm, kelurahan_a):
    kasus = KasusFactory(kelurahan=kelurahan_a)
    resp = client.post(_url(kasus=kasus), _isian(temuan="Anak sudah dijemput keluarga."))
    assert resp.status_code == 302
    t = Tindakan.objects.get(kasus=kasus)
    assert (t.jenis, t.uraian, t.oleh) == ("kunjungan", "Anak sudah dijemput keluarga.", psm)


def test_kunjungan_kembali_ke_next_yang_aman(client, psm, ppks):
    url = _url(penduduk=ppks.penduduk) + "&next=" + ppks.get_absolute_url()
    assert client.post(url, _isian())["Location"] == ppks.get_absolute_url()
    url = _url(penduduk=ppks.penduduk) + "&next=https://jahat.example/"
    assert client.post(url, _isian())["Location"] == reverse("psm:beranda")


@pytest.mark.parametrize(
    ("isian", "pesan"),
    [
        ({"tanggal": "31/02/2026"}, "Masukkan tanggal yang valid"),
        ({"tanggal": "01/01/2999"}, "tidak boleh di masa depan"),
        ({"perlu_tindak_lanjut": "on", "tindak_lanjut": ""}, "Tuliskan tindak lanjut"),
        ({"kebutuhan": ["emas"]}, "Kebutuhan yang ditemukan"),
    ],
)
def test_isian_salah_pesan_jelas_tidak_tercatat(client, psm, ppks, isian, pesan):
    resp = client.post(_url(penduduk=ppks.penduduk), _isian(**isian))
    assert resp.status_code == 200
    assert pesan in resp.content.decode()
    assert Kunjungan.objects.count() == 0


def test_foto_teks_berganti_nama_jpg_ditolak(client, psm, ppks):
    palsu = SimpleUploadedFile("foto.jpg", b"bukan gambar, hanya teks", content_type="image/jpeg")
    resp = client.post(_url(penduduk=ppks.penduduk), _isian(foto=palsu))
    assert resp.status_code == 200
    assert "bukan foto" in resp.content.decode()
    assert Kunjungan.objects.count() == 0


def test_foto_gif_ditolak(client, psm, ppks):
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, format="GIF")
    resp = client.post(_url(penduduk=ppks.penduduk), _isian(foto=SimpleUploadedFile("a.gif", buf.getvalue())))
    assert "JPEG, PNG atau WebP" in resp.content.decode()
    assert Kunjungan.objects.count() == 0


def test_foto_terlalu_besar_ditolak_sebelum_dibaca(client, psm, ppks, settings, monkeypatch):
    settings.FOTO_MAKS_MB = 1
    besar = SimpleUploadedFile("besar.png", _png() + b"\0" * (1024 * 1024 + 10), content_type="image/png")
    dibaca = []
    monkeypatch.setattr(Image, "open", lambda *a, **k: dibaca.append(1))
    resp = client.post(_url(penduduk=ppks.penduduk), _isian(foto=besar))
    assert "Foto terlalu besar (maksimal 1 MB)" in resp.content.decode()
    assert dibaca == []
    assert Kunjungan.objects.count() == 0


def test_foto_png_diterima_dan_hanya_dilayani_dalam_wilayah(client, psm, ppks, psm_b, user_staf, user_pimpinan):
    isi = _png()
    resp = client.post(_url(penduduk=ppks.penduduk), _isian(foto=SimpleUploadedFile("x.png", isi, "image/png")))
    assert resp.status_code == 302
    k = Kunjungan.objects.get()
    assert k.foto and not k.foto.name.startswith("/")
    detail = client.get(reverse("psm:kunjungan-detail", args=[k.pk])).content.decode()
    url_foto = reverse("psm:kunjungan-foto", args=[k.pk])
    assert f'src="{url_foto}"' in detail
    for user in (psm, user_staf, user_pimpinan):
        client.force_login(user)
        resp = client.get(url_foto)
        assert resp.status_code == 200
        assert resp["Content-Type"] == "image/png"
        assert resp["X-Content-Type-Options"] == "nosniff"
        assert resp["Cache-Control"] == "private, no-store"
        assert resp["Content-Disposition"].startswith("inline")
        assert b"".join(resp.streaming_content) == isi
    berikrar(psm_b)
    client.force_login(psm_b)
    assert client.get(url_foto).status_code == 404
    client.logout()
    assert client.get(url_foto).status_code == 302


def test_daftar_kunjungan_saring_dan_query_konstan(client, user_staf, kelurahan_a, kelurahan_b, psm_a):
    def isi(n):
        for i in range(n):
            KunjunganFactory(
                penduduk=PendudukFactory(kelurahan=kelurahan_a if i % 2 else kelurahan_b),
                oleh=psm_a if i % 3 == 0 else user_staf,
                tanggal=timezone.localdate() - dt.timedelta(days=i),
            )

    client.force_login(user_staf)
    isi(3)
    client.get(reverse("psm:kunjungan-list"))
    with CaptureQueriesContext(connection) as sedikit:
        client.get(reverse("psm:kunjungan-list"))
    isi(27)
    with CaptureQueriesContext(connection) as banyak:
        resp = client.get(reverse("psm:kunjungan-list"))
    assert len(banyak) == len(sedikit)
    daftar = resp.context["daftar"]
    assert [k.tanggal for k in daftar] == sorted((k.tanggal for k in daftar), reverse=True)
    resp = client.get(reverse("psm:kunjungan-list"), {"kelurahan": kelurahan_a.pk})
    assert {k.kelurahan_id for k in resp.context["daftar"]} == {kelurahan_a.pk}
    kemarin = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    resp = client.get(reverse("psm:kunjungan-list"), {"dari": kemarin})
    assert {k.tanggal for k in resp.context["daftar"]} <= {
        timezone.localdate(),
        timezone.localdate() - dt.timedelta(days=1),
    }
    berikrar(psm_a)
    client.force_login(psm_a)
    resp = client.get(reverse("psm:kunjungan-list"), {"saya": "on"})
    assert resp.context["daftar"] and {k.oleh_id for k in resp.context["daftar"]} == {psm_a.pk}
    assert {k.kelurahan_id for k in resp.context["daftar"]} == {kelurahan_a.pk}


def test_staf_mencatat_kunjungan_ke_daftar(client, user_staf, ppks):
    client.force_login(user_staf)
    resp = client.post(_url(penduduk=ppks.penduduk), _isian())
    assert resp["Location"] == reverse("psm:kunjungan-list")
    assert PPKS.objects.get().terakhir_dikunjungi == timezone.localdate()
