"""Issue 8, points 2-3: the pledge gate and the PSM's beranda (who needs a visit most, my cases)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from psm.beban import BATAS, status_kunjungan
from psm.models import Ikrar, PersetujuanIkrar
from tests.factories import (
    KasusFactory,
    KeluargaFactory,
    KunjunganFactory,
    PendudukFactory,
    PPKSFactory,
    StatusMiskinEkstremFactory,
    jenis_ppks,
)
from tests.psm import berikrar

pytestmark = pytest.mark.django_db

HARI_INI = timezone.localdate


def _hari(n: int) -> dt.date:
    return HARI_INI() - dt.timedelta(days=n)


# --- the pledge gate ---------------------------------------------------------------------------


def test_psm_tanpa_ikrar_diarahkan_ke_ikrar_lalu_kembali(client, psm_a):
    client.force_login(psm_a)
    url_form = reverse("psm:kunjungan-create")
    resp = client.get(url_form)
    assert resp.status_code == 302
    assert resp["Location"] == f"{reverse('psm:ikrar')}?next=%2Fkunjungan%2Fbaru%2F"
    halaman = client.get(resp["Location"])
    html = halaman.content.decode()
    ikrar = Ikrar.terkini()
    assert "Saya berikrar" in html and f"Versi {ikrar.versi}" in html and "pungutan liar" in html
    resp = client.post(resp["Location"], {"ikrar": ikrar.pk, "next": url_form})
    assert resp.status_code == 302 and resp["Location"] == url_form
    assert PersetujuanIkrar.objects.filter(user=psm_a, ikrar=ikrar).exists()
    assert client.get(url_form).status_code == 200
    html = client.get(reverse("psm:ikrar")).content.decode()
    assert "Anda telah berikrar pada" in html and "WIB" in html and "Saya berikrar" not in html


def test_beranda_dari_home_lewat_ikrar(client, psm_a):
    client.force_login(psm_a)
    resp = client.get(reverse("home"), follow=True)
    assert resp.redirect_chain[0][0] == reverse("psm:beranda")
    assert resp.request["PATH_INFO"] == reverse("psm:ikrar")


def test_next_di_luar_situs_diabaikan(client, psm_a):
    client.force_login(psm_a)
    resp = client.post(reverse("psm:ikrar") + "?next=https://jahat.example/", {"ikrar": Ikrar.terkini().pk})
    assert resp["Location"] == reverse("psm:beranda")


def test_versi_ikrar_baru_menahan_lagi(client, psm_a):
    berikrar(psm_a)
    client.force_login(psm_a)
    assert client.get(reverse("psm:beranda")).status_code == 200
    lama = Ikrar.terkini()
    baru = Ikrar.objects.create(versi=lama.versi + 1, teks="Ikrar baru: melayani tanpa pungli.")
    resp = client.get(reverse("psm:beranda"))
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("psm:ikrar"))
    # Posting the old version (a page left open) does not count as accepting the new one.
    client.post(reverse("psm:ikrar"), {"ikrar": lama.pk})
    assert not PersetujuanIkrar.objects.filter(user=psm_a, ikrar=baru).exists()
    client.post(reverse("psm:ikrar"), {"ikrar": baru.pk})
    assert client.get(reverse("psm:beranda")).status_code == 200


def test_staf_tidak_ditahan_ikrar(client, user_staf, penduduk_a):
    client.force_login(user_staf)
    assert client.get(f"{reverse('psm:kunjungan-create')}?penduduk={penduduk_a.pk}").status_code == 200


# --- the beranda ---------------------------------------------------------------------------------


def _beranda(client):
    resp = client.get(reverse("psm:beranda"))
    assert resp.status_code == 200
    return resp


def test_urutan_perlu_dikunjungi(client, psm, kelurahan_a, kelurahan_b):
    baru_saja = PPKSFactory(
        penduduk=PendudukFactory(kelurahan=kelurahan_a, nama="Baru Dikunjungi"), terakhir_dikunjungi=_hari(2)
    )
    lama = PPKSFactory(
        penduduk=PendudukFactory(kelurahan=kelurahan_a, nama="Lama Sekali"), terakhir_dikunjungi=_hari(200)
    )
    belum = PPKSFactory(penduduk=PendudukFactory(kelurahan=kelurahan_a, nama="Belum Pernah"))
    darurat = PPKSFactory(
        penduduk=PendudukFactory(kelurahan=kelurahan_a, nama="Ada Darurat"), terakhir_dikunjungi=_hari(1)
    )
    KasusFactory(kelurahan=kelurahan_a, penduduk=darurat.penduduk, urgensi="darurat")
    PPKSFactory(penduduk=PendudukFactory(kelurahan=kelurahan_b, nama="Orang Napar"))
    keluarga = KeluargaFactory(kelurahan=kelurahan_a, alamat="Jorong Koto Baru")
    PendudukFactory(keluarga=keluarga, kelurahan=kelurahan_a, hubungan="kepala", nama="Kepala Miskin")
    StatusMiskinEkstremFactory(keluarga=keluarga)
    KunjunganFactory(penduduk=None, keluarga=keluarga, kelurahan=kelurahan_a, tanggal=_hari(40))
    # A second jenis of the same person is one entry, with both jenis.
    PPKSFactory(penduduk=lama.penduduk, jenis=jenis_ppks("FM"), terakhir_dikunjungi=_hari(200))

    ctx = _beranda(client).context
    nama = [s.nama for s in ctx["subjek"]]
    # An open darurat case first, then never visited, then the earliest due date: 200 days ago
    # (due every 90: 110 days late) before the household visited 40 days ago (due every 30: 10 late).
    assert nama == ["Ada Darurat", "Belum Pernah", "Lama Sekali", "Keluarga Kepala Miskin", "Baru Dikunjungi"]
    assert "Orang Napar" not in nama
    s = {x.nama: x for x in ctx["subjek"]}
    assert s["Lama Sekali"].status_kunjungan == "terlambat 110 hari"
    assert sorted(s["Lama Sekali"].label_jenis) == ["FM", "LUT"]
    assert s["Keluarga Kepala Miskin"].status_kunjungan == "terlambat 10 hari"
    assert s["Belum Pernah"].status_kunjungan == "belum pernah dikunjungi"
    assert s["Baru Dikunjungi"].status_kunjungan == f"jatuh tempo {_hari(2) + dt.timedelta(days=90):%d/%m/%Y}"
    assert (ctx["jumlah_ppks"], ctx["terlambat_ppks"], ctx["jumlah_keluarga"], ctx["terlambat_keluarga"]) == (
        4,
        2,
        1,
        1,
    )
    html = _beranda(client).content.decode()
    assert f"?penduduk={belum.penduduk_id}" in html and f"?keluarga={keluarga.pk}" in html
    assert baru_saja.penduduk.nama in html


def test_status_kunjungan():
    hari_ini = dt.date(2026, 3, 1)
    assert status_kunjungan(None, "ppks", hari_ini) == "belum pernah dikunjungi"
    assert status_kunjungan(dt.date(2025, 11, 19), "ppks", hari_ini) == "terlambat 12 hari"
    assert status_kunjungan(dt.date(2025, 12, 1), "ppks", hari_ini) == "jatuh tempo hari ini"
    assert status_kunjungan(dt.date(2026, 2, 1), "miskin_ekstrem", hari_ini) == "jatuh tempo 03/03/2026"


def test_kasus_saya_ditugaskan_ke_saya_dulu(client, psm, kelurahan_a, kelurahan_b):
    KasusFactory(kelurahan=kelurahan_a, ringkasan="Kasus orang lain", urgensi="darurat")
    KasusFactory(kelurahan=kelurahan_a, ringkasan="Kasus saya sendiri", psm=psm)
    KasusFactory(kelurahan=kelurahan_a, ringkasan="Sudah selesai", status="selesai")
    KasusFactory(kelurahan=kelurahan_b, ringkasan="Kasus Napar")
    resp = _beranda(client)
    assert [k.ringkasan for k in resp.context["kasus_saya"]] == ["Kasus saya sendiri", "Kasus orang lain"]
    html = resp.content.decode()
    assert "Ditugaskan ke saya" in html and "Kasus Napar" not in html and "Laporkan kasus" in html


def _isi(kelurahan, n: int) -> None:
    for i in range(n):
        PPKSFactory(penduduk=PendudukFactory(kelurahan=kelurahan), terakhir_dikunjungi=_hari(i * 7) if i % 3 else None)
        keluarga = KeluargaFactory(kelurahan=kelurahan)
        PendudukFactory(keluarga=keluarga, kelurahan=kelurahan, hubungan="kepala")
        StatusMiskinEkstremFactory(keluarga=keluarga)
        KunjunganFactory(penduduk=None, keluarga=keluarga, kelurahan=kelurahan, tanggal=_hari(i))
        KasusFactory(kelurahan=kelurahan, urgensi="darurat" if i % 5 == 0 else "biasa")


def test_jumlah_query_beranda_konstan_3_vs_30(client, psm, kelurahan_a):
    """Rendered (not from the cache): the same queries for 3 subjects as for 30."""
    _isi(kelurahan_a, 3)
    _beranda(client)
    caches["beranda"].clear()
    with CaptureQueriesContext(connection) as sedikit:
        _beranda(client)
    _isi(kelurahan_a, 27)
    caches["beranda"].clear()
    with CaptureQueriesContext(connection) as banyak:
        resp = _beranda(client)
    assert len(banyak) == len(sedikit), [q["sql"] for q in banyak.captured_queries]
    # 17 before the households and the PPKS counts took one query each; +1 the caseload version (cache key)
    assert len(sedikit) <= 16, len(sedikit)
    assert len(resp.context["subjek"]) == BATAS
    assert resp.context["sisa_subjek"] == 60 - BATAS
    assert "dan 30 lainnya" in resp.content.decode()


def test_ukuran_html_beranda_di_bawah_100_kb(client, psm, kelurahan_a):
    _isi(kelurahan_a, 30)
    html = _beranda(client).content
    assert len(html) < 100 * 1024, len(html)
    assert b"<script>" not in html and b"style=" not in html


def test_psm_dinonaktifkan_langsung_kehilangan_akses(client, psm):
    assert client.get(reverse("psm:beranda")).status_code == 200
    psm.is_active = False
    psm.save(update_fields=["is_active"])
    for url in (reverse("psm:beranda"), reverse("psm:kunjungan-list"), reverse("penduduk:list")):
        resp = client.get(url)
        assert resp.status_code == 302 and resp["Location"].startswith(reverse("login")), url


def test_beranda_mengikuti_pindah_kelurahan(client, psm, kelurahan_a, kelurahan_b):
    """The beranda reads PPKS and extreme-poor rows through their kelurahan copy (psm/beban.py): a
    person or household moved to another kelurahan leaves this PSM's list at once, as for_user does."""
    pindah = PPKSFactory(penduduk=PendudukFactory(kelurahan=kelurahan_a, nama="Akan Pindah"))
    tetap = PPKSFactory(penduduk=PendudukFactory(kelurahan=kelurahan_a, nama="Tetap Di Sini"))
    keluarga = KeluargaFactory(kelurahan=kelurahan_a, alamat="Jorong Pindahan")
    PendudukFactory(keluarga=keluarga, kelurahan=kelurahan_a, hubungan="kepala", nama="Kepala Pindahan")
    StatusMiskinEkstremFactory(keluarga=keluarga)
    nama = [s.nama for s in _beranda(client).context["subjek"]]
    assert {"Akan Pindah", "Tetap Di Sini", "Keluarga Kepala Pindahan"} <= set(nama)

    pindah.penduduk.kelurahan = kelurahan_b
    pindah.penduduk.save(update_fields=["kelurahan"])
    keluarga.kelurahan = kelurahan_b
    keluarga.save(update_fields=["kelurahan"])
    ctx = _beranda(client).context
    assert [s.nama for s in ctx["subjek"]] == [tetap.penduduk.nama]
    assert (ctx["jumlah_ppks"], ctx["jumlah_keluarga"]) == (1, 0)
