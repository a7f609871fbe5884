"""The PSM home's cached lists (psm/cache_beranda.py) and the journal that keys them (psm/jurnal.py).

Every test first shows that the home is served from the cache when nothing changed, then makes
one write by one path (the page, a service, ``QuerySet.update()``, raw SQL, the import) and checks
that the very next home shows it. Both databases (PostgreSQL: statement triggers; SQLite: row).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from akun.roles import Peran
from bantuan.choices import StatusPenyaluran
from bantuan.models import Penyaluran
from impor import layanan
from kemiskinan.choices import AlasanKeluar
from kemiskinan.models import StatusMiskinEkstrem
from penduduk.models import Keluarga, Penduduk
from ppks.models import PPKS, JenisPPKS, Kasus, Notifikasi
from psm import cache_beranda, jurnal
from psm.models import Kunjungan, PerubahanBeban
from tests.bantuan.factories import PenyaluranFactory
from tests.factories import (
    KasusFactory,
    KeluargaFactory,
    KunjunganFactory,
    PendudukFactory,
    PPKSFactory,
    StatusMiskinEkstremFactory,
    UserFactory,
    jenis_ppks,
)
from tests.impor.conftest import KK1, NIK_SUAMI, isi_dasar, tulis_xlsx
from tests.psm import berikrar
from wilayah.models import Kelurahan

pytestmark = pytest.mark.django_db


@pytest.fixture
def dunia(kelurahan_a, kelurahan_b):
    """Kelurahan A: a PPKS resident never visited, an extreme-poor household with its head, an
    open case. Kelurahan B: a PPKS resident."""
    orang = PendudukFactory(kelurahan=kelurahan_a, nama="Sutan Ameh", alamat="Jl. Tan Malaka 3")
    ppks = PPKSFactory(penduduk=orang)
    kk = KeluargaFactory(kelurahan=kelurahan_a, alamat="Jl. Soekarno Hatta 1")
    kepala = PendudukFactory(keluarga=kk, kelurahan=kelurahan_a, hubungan="kepala", nama="Upiak Rosna")
    status = StatusMiskinEkstremFactory(keluarga=kk)
    kasus = KasusFactory(kelurahan=kelurahan_a, ringkasan="Lansia sendirian di Koto Nan Ampek")
    lain = PPKSFactory(penduduk=PendudukFactory(kelurahan=kelurahan_b, nama="Rajo Bintang"))
    return {"orang": orang, "ppks": ppks, "kk": kk, "kepala": kepala, "status": status, "kasus": kasus, "lain": lain}


def _buka(client) -> tuple[str, dict[str, bool]]:
    """The home's HTML and which of its parts were rendered now (not taken from the cache)."""
    resp = client.get(reverse("psm:beranda"))
    assert resp.status_code == 200
    ctx = resp.context or {}
    dirender = {"halaman": resp.context is not None, "kunjungi": "subjek" in ctx, "kasus": "kasus_saya" in ctx}
    return resp.content.decode(), dirender


TIDAK_ADA = {"halaman": False, "kunjungi": False, "kasus": False}


def _sudah_di_cache(client) -> str:
    _buka(client)
    html, dirender = _buka(client)
    assert dirender == TIDAK_ADA, "nothing changed: the page comes from the cache"
    return html


def test_tanpa_perubahan_dari_cache_sama_persis(client, psm, dunia):
    html_baru, dirender = _buka(client)
    assert dirender == {"halaman": True, "kunjungi": True, "kasus": True}
    html = _sudah_di_cache(client)
    assert html == html_baru.replace(_csrf(html_baru), _csrf(html))
    for teks in ("Sutan Ameh", "Keluarga Upiak Rosna", "Lansia sendirian di Koto Nan Ampek"):
        assert teks in html
    assert "Rajo Bintang" not in html


def _csrf(html: str) -> str:
    """The page's CSRF token (it differs per response; the lists hold none)."""
    awal = html.find('name="csrfmiddlewaretoken" value="')
    return html[awal : html.find('"', awal + 34)] if awal >= 0 else ""


def test_kunjungan_lewat_halaman_langsung_terlihat(client, psm, dunia):
    assert "belum pernah dikunjungi" in _sudah_di_cache(client)
    hari_ini = timezone.localdate()
    url = f"{reverse('psm:kunjungan-create')}?penduduk={dunia['orang'].pk}"
    resp = client.post(url, {"tanggal": f"{hari_ini:%d/%m/%Y}", "temuan": "Sehat, butuh kursi roda"})
    assert resp.status_code == 302
    html, dirender = _buka(client)
    assert dirender["kunjungi"]
    jatuh_tempo = hari_ini + dt.timedelta(days=90)
    assert f"jatuh tempo {jatuh_tempo:%d/%m/%Y}" in html and f"terakhir {hari_ini:%d/%m/%Y}" in html


def _sql(perintah: str, *arg) -> None:
    with connection.cursor() as cur:
        cur.execute(perintah, arg)


def _ubah_nama_sql(d):
    _sql("UPDATE penduduk_penduduk SET nama = %s WHERE id = %s", "Sutan Ameh Baru", d["orang"].pk)
    return ["Sutan Ameh Baru"], []


def _kunjungan_massal(d):
    PPKS.objects.filter(pk=d["ppks"].pk).update(terakhir_dikunjungi=timezone.localdate())
    return [f"terakhir {timezone.localdate():%d/%m/%Y}"], []


def _pindah_kelurahan(d):
    Penduduk.objects.filter(pk=d["orang"].pk).update(kelurahan=d["lain"].penduduk.kelurahan)
    return [], ["Sutan Ameh"]


def _alamat_keluarga(d):
    Keluarga.objects.filter(pk=d["kk"].pk).update(alamat="Jl. Sudirman 99")
    return ["Jl. Sudirman 99"], ["Jl. Soekarno Hatta 1"]


def _keluar_daftar(d):
    keluar = {"tanggal_keluar": timezone.localdate(), "alasan_keluar": AlasanKeluar.MENINGGAL}
    StatusMiskinEkstrem.objects.filter(pk=d["status"].pk).update(**keluar)
    return [], ["Keluarga Upiak Rosna"]


def _kasus_darurat_baru(d):
    orang = d["orang"]
    KasusFactory(kelurahan=orang.kelurahan, penduduk=orang, urgensi="darurat", ringkasan="Anak dibawa mengemis")
    return ["Anak dibawa mengemis", "Kasus darurat"], []


def _kasus_selesai(d):
    Kasus.objects.filter(pk=d["kasus"].pk).update(status="selesai")
    return [], ["Lansia sendirian di Koto Nan Ampek"]


def _singkatan_jenis(d):
    JenisPPKS.objects.filter(pk=d["ppks"].jenis_id).update(singkatan="LUTX")
    return ["LUTX"], []


def _ppks_dihapus(d):
    PPKS.objects.filter(pk=d["ppks"].pk).delete()
    return [], ["Sutan Ameh"]


def _kepala_baru(d):
    kk = KeluargaFactory(kelurahan=d["kk"].kelurahan, alamat="Jl. Tanpa Kepala 7")
    StatusMiskinEkstremFactory(keluarga=kk)
    # The household is on the list under its address until its head is registered.
    return kk


def _penyaluran_baru(d):
    PenyaluranFactory(keluarga=d["kk"])
    return ['text-bg-warning">1</span>'], []


def _kunjungan_keluarga(d):
    KunjunganFactory(penduduk=None, keluarga=d["kk"], tanggal=timezone.localdate())
    return [f"terakhir {timezone.localdate():%d/%m/%Y}"], []


@pytest.mark.parametrize(
    "ubah",
    [
        _ubah_nama_sql,
        _kunjungan_massal,
        _pindah_kelurahan,
        _alamat_keluarga,
        _keluar_daftar,
        _kasus_darurat_baru,
        _kasus_selesai,
        _singkatan_jenis,
        _ppks_dihapus,
        _kunjungan_keluarga,
        _penyaluran_baru,
    ],
    ids=lambda f: f.__name__.strip("_"),
)
def test_setiap_jalur_tulis_langsung_terlihat(client, psm, dunia, ubah):
    _sudah_di_cache(client)
    ada, hilang = ubah(dunia)
    html, dirender = _buka(client)
    assert dirender["kunjungi"] and dirender["kasus"], "a write in the kelurahan renders the lists again"
    for teks in ada:
        assert teks in html
    for teks in hilang:
        assert teks not in html


def test_kunjungan_yang_dihapus_hilang(client, psm, dunia):
    KunjunganFactory(penduduk=None, keluarga=dunia["kk"], tanggal=timezone.localdate())
    assert f"terakhir {timezone.localdate():%d/%m/%Y}" in _sudah_di_cache(client)
    Kunjungan.objects.filter(keluarga=dunia["kk"]).delete()
    html, dirender = _buka(client)
    assert dirender["kunjungi"] and f"terakhir {timezone.localdate():%d/%m/%Y}" not in html


def test_penyaluran_dikonfirmasi_keluar_dari_hitungan(client, psm, dunia):
    salur = PenyaluranFactory(keluarga=dunia["kk"])
    assert 'text-bg-warning">1</span>' in _sudah_di_cache(client)
    Penyaluran.objects.filter(pk=salur.pk).update(status=StatusPenyaluran.DIKONFIRMASI)
    html, dirender = _buka(client)
    assert dirender["kasus"] and 'text-bg-light">0</span>' in html


def test_beranda_dari_cache_sedikit_query(client, psm, dunia, django_assert_max_num_queries):
    """Served from the cache: session, user, then area + pledge + version in one query."""
    _sudah_di_cache(client)
    with django_assert_max_num_queries(3):
        _buka(client)


def test_beranda_merapikan_jurnal_yang_panjang(client, psm, dunia, kelurahan_a):
    _sudah_di_cache(client)
    PerubahanBeban.objects.bulk_create([PerubahanBeban(kelurahan=kelurahan_a) for _ in range(jurnal.BATAS_BARIS * 3)])
    html, dirender = _buka(client)
    assert dirender["halaman"] and "Sutan Ameh" in html
    assert PerubahanBeban.objects.filter(kelurahan=kelurahan_a).count() == 1
    assert _buka(client)[1] == TIDAK_ADA


def test_kepala_keluarga_baru_memberi_nama(client, psm, dunia):
    kk = _kepala_baru(dunia)
    assert "Jl. Tanpa Kepala 7" in _sudah_di_cache(client)
    PendudukFactory(keluarga=kk, kelurahan=kk.kelurahan, hubungan="kepala", nama="Datuak Panjang")
    html, dirender = _buka(client)
    assert dirender["kunjungi"] and "Keluarga Datuak Panjang" in html


def test_impor_ulang_mengganti_nama(client, tmp_path):
    """The import's bulk paths (COPY of new rows, UPDATE ... FROM of changed ones) reach the home."""
    path = tulis_xlsx(tmp_path / "a.xlsx", isi_dasar())
    _impor(path)
    suami = Penduduk.objects.get(nik=NIK_SUAMI)
    PPKSFactory(penduduk=suami)
    psm = UserFactory(username="psm_impor", peran=Peran.PSM, kelurahan=suami.kelurahan)
    berikrar(psm)
    client.force_login(psm)
    assert "Bujang Sutan" in _sudah_di_cache(client)
    isi = isi_dasar()
    isi[1][11] = "Bujang Sutan Mangkuto"
    _impor(tulis_xlsx(tmp_path / "b.xlsx", isi))
    html, dirender = _buka(client)
    assert dirender["kunjungi"] and "Bujang Sutan Mangkuto" in html
    assert Keluarga.objects.filter(no_kk=KK1).exists()


def _impor(path) -> None:
    tugas = layanan.impor_buat(oleh=None, nama_berkas=path.name, jenis="penduduk")
    layanan.impor_jalankan(tugas=tugas, path=path, oleh=None)


def test_perubahan_kelurahan_lain_tidak_membuang_cache(client, psm, dunia):
    _sudah_di_cache(client)
    PPKS.objects.filter(pk=dunia["lain"].pk).update(terakhir_dikunjungi=timezone.localdate())
    Penduduk.objects.filter(pk=dunia["lain"].penduduk_id).update(nama="Rajo Bintang Baru")
    KasusFactory(kelurahan=dunia["lain"].penduduk.kelurahan)
    html, dirender = _buka(client)
    assert dirender == TIDAK_ADA
    assert "Rajo Bintang" not in html


def test_tiap_psm_daftarnya_sendiri(client, psm, dunia, kelurahan_a):
    """Two PSM of one kelurahan: "Ditugaskan ke saya" is each one's own (keys per account)."""
    rekan = UserFactory(username="psm_rekan", peran=Peran.PSM, kelurahan=kelurahan_a)
    berikrar(rekan)
    Kasus.objects.filter(pk=dunia["kasus"].pk).update(psm=rekan)
    assert "Ditugaskan ke saya" not in _sudah_di_cache(client)
    client.force_login(rekan)
    html, dirender = _buka(client)
    assert dirender["kasus"] and "Ditugaskan ke saya" in html


def test_psm_kelurahan_lain_tidak_pernah_mendapat_halaman_yang_disimpan(client, psm, dunia, psm_b):
    """Keys are per account: B's home after A's kept one shows B's kelurahan only."""
    assert "Sutan Ameh" in _sudah_di_cache(client)
    berikrar(psm_b)
    client.force_login(psm_b)
    html, dirender = _buka(client)
    assert dirender["halaman"] and "Rajo Bintang" in html and "Sutan Ameh" not in html


def test_psm_dipindah_wilayah_langsung_melihat_wilayah_baru(client, psm, dunia, kelurahan_b):
    assert "Sutan Ameh" in _sudah_di_cache(client)
    psm.kelurahan.set([kelurahan_b])
    html, dirender = _buka(client)
    assert dirender["kunjungi"] and "Rajo Bintang" in html and "Sutan Ameh" not in html


def test_hari_berganti_status_dihitung_ulang(client, psm, dunia, monkeypatch):
    """ "terlambat 12 hari" and the order of need move at midnight: the day is in the key."""
    PPKS.objects.filter(pk=dunia["ppks"].pk).update(terakhir_dikunjungi=timezone.localdate() - dt.timedelta(days=90))
    assert "jatuh tempo hari ini" in _sudah_di_cache(client)
    besok = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: besok)
    html, dirender = _buka(client)
    assert dirender["kunjungi"] and "terlambat 1 hari" in html


def test_jam_kasus_paling_lama_semenit(client, psm, dunia, monkeypatch):
    """The cases' clock counts whole minutes: their list is rendered again in the next minute."""
    _sudah_di_cache(client)
    nanti = timezone.now() + dt.timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: nanti)
    _html, dirender = _buka(client)
    assert dirender["halaman"] and dirender["kasus"]


def test_cache_menyimpan_html_yang_sudah_di_escape(client, psm, dunia):
    """The cache holds HTML rendered with autoescape: a name with markup stays text."""
    Penduduk.objects.filter(pk=dunia["orang"].pk).update(nama="<script>alert(1)</script>")
    _buka(client)
    html, _dirender = _buka(client)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- the whole page ----------------------------------------------------------------------------------


def _token(html: str) -> str:
    awal = html.index('name="csrfmiddlewaretoken" value="') + len('name="csrfmiddlewaretoken" value="')
    return html[awal : html.index('"', awal)]


def test_token_csrf_halaman_dari_cache_milik_permintaan_ini(psm, dunia):
    """The cached page carries each request's own CSRF token: "Tandai dibaca" works from it."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(psm)
    notif = Notifikasi.objects.create(pengguna=psm, kasus=dunia["kasus"], jenis="terlambat")
    html = _sudah_di_cache(client)
    token = _token(html)
    assert cache_beranda.TANDA_CSRF not in html and len(token) == 64
    resp = client.post(reverse("ppks:notifikasi-baca", args=[notif.pk]), {"csrfmiddlewaretoken": token})
    assert resp.status_code == 302
    notif.refresh_from_db()
    assert notif.dibaca_pada is not None
    html, dirender = _buka(client)
    assert dirender["halaman"] and "Perlu perhatian Anda" not in html


def test_notifikasi_baru_langsung_terlihat(client, psm, dunia):
    assert "Perlu perhatian Anda" not in _sudah_di_cache(client)
    Notifikasi.objects.create(pengguna=psm, kasus=dunia["kasus"], jenis="terlambat")
    html, dirender = _buka(client)
    assert dirender["halaman"] and "Perlu perhatian Anda" in html and dunia["kasus"].nomor in html


def test_pesan_sekali_tidak_disimpan(client, psm, dunia):
    """ "Kunjungan tercatat." shows once: that page is rendered and not kept."""
    _sudah_di_cache(client)
    url = f"{reverse('psm:kunjungan-create')}?penduduk={dunia['orang'].pk}"
    client.post(url, {"tanggal": f"{timezone.localdate():%d/%m/%Y}", "temuan": "Baik"})
    html, dirender = _buka(client)
    assert dirender["halaman"] and "Kunjungan tercatat." in html
    html, dirender = _buka(client)
    assert dirender["halaman"] and "Kunjungan tercatat." not in html
    assert _buka(client)[1] == TIDAK_ADA


def test_nama_akun_dan_nama_kelurahan_berubah(client, psm, dunia, kelurahan_a):
    _sudah_di_cache(client)
    type(psm).objects.filter(pk=psm.pk).update(first_name="Rang", last_name="Mudo")
    html, dirender = _buka(client)
    assert dirender["halaman"] and "Selamat datang, Rang Mudo" in html
    Kelurahan.objects.filter(pk=kelurahan_a.pk).update(nama="Koto Baru Ganti Nama")
    html, dirender = _buka(client)
    assert dirender["halaman"] and "Koto Baru Ganti Nama" in html


# --- the journal itself ---------------------------------------------------------------------------


def test_satu_pernyataan_satu_baris_per_kelurahan_di_postgresql(kelurahan_a):
    orang = [PendudukFactory(kelurahan=kelurahan_a) for _ in range(20)]
    sebelum = PerubahanBeban.objects.count()
    Penduduk.objects.filter(pk__in=[o.pk for o in orang]).update(nama="Nama Sama")
    baru = PerubahanBeban.objects.count() - sebelum
    # PostgreSQL: one statement trigger, the distinct kelurahan; SQLite: a row trigger per person.
    assert baru == (1 if connection.vendor == "postgresql" else 20)
    assert set(PerubahanBeban.objects.values_list("kelurahan_id", flat=True)) == {kelurahan_a.pk}


def test_perubahan_yang_tidak_ditampilkan_tidak_dicatat(kelurahan_a):
    orang = PendudukFactory(kelurahan=kelurahan_a)
    sebelum = PerubahanBeban.objects.count()
    Penduduk.objects.filter(pk=orang.pk).update(pekerjaan="Petani", nama=orang.nama)
    PendudukFactory(keluarga=KeluargaFactory(kelurahan=kelurahan_a), kelurahan=kelurahan_a, hubungan="anak")
    assert PerubahanBeban.objects.count() == sebelum


def test_jurnal_dirapikan_dan_versi_tidak_pernah_berulang(kelurahan_a, kelurahan_b):
    PerubahanBeban.objects.bulk_create(
        [PerubahanBeban(kelurahan=kelurahan_a) for _ in range(jurnal.BATAS_BARIS * 2 + 5)]
        + [PerubahanBeban(kelurahan=kelurahan_b) for _ in range(3)]
    )
    n, puncak = PerubahanBeban.objects.filter(kelurahan=kelurahan_a).count(), PerubahanBeban.objects.latest("id").pk
    assert n > jurnal.BATAS_BARIS * 2
    versi = jurnal.versi([kelurahan_a.pk])
    assert PerubahanBeban.objects.filter(kelurahan=kelurahan_a).count() == 1
    assert PerubahanBeban.objects.filter(kelurahan=kelurahan_b).count() == 3  # another PSM's rows stay
    assert versi[1] > puncak, "the tidy row's id is past every key given out before"
    assert jurnal.versi([kelurahan_a.pk]) == versi


def test_versi_tanpa_kelurahan(db):
    """A PSM without a kelurahan yet still gets a version (the NULL rows only)."""
    sebelum = jurnal.versi([])
    jenis = jenis_ppks("LUT")
    JenisPPKS.objects.filter(pk=jenis.pk).update(nama=jenis.nama)
    sesudah = jurnal.versi([])
    assert sesudah != sebelum
