"""Case pages: the board (order, counts, filters, query count), the list, the form, the detail page
and its actions. The clock texts and the WhatsApp message: test_kasus_jam_dan_whatsapp.py."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ppks.models import Kasus, Rujukan, Tindakan
from ppks.templatetags.kasus import format_wib
from tests.factories import KasusFactory, PendudukFactory, jenis_ppks

pytestmark = pytest.mark.django_db

JAM = dt.timedelta(hours=1)


def _pesan(resp) -> list[str]:
    return [str(m) for m in get_messages(resp.wsgi_request)]


def _kasus_dengan_batas(kelurahan, batas, **kw):
    """A case whose deadline is ``batas`` from now (negative: overdue)."""
    sekarang = timezone.now()
    return KasusFactory(
        kelurahan=kelurahan, dibuat_pada=sekarang - dt.timedelta(hours=1), **kw, batas_respons=sekarang + batas
    )


# --- the board ---------------------------------------------------------------------------------------------


def test_papan_terlambat_di_atas_lalu_batas_terdekat(client, user_staf, kelurahan_a, kelurahan_b):
    nanti = _kasus_dengan_batas(kelurahan_a, 50 * JAM, urgensi="tinggi")
    terlambat_lama = _kasus_dengan_batas(kelurahan_b, -30 * JAM, urgensi="biasa")
    segera = _kasus_dengan_batas(kelurahan_a, 2 * JAM, urgensi="darurat")
    terlambat_baru = _kasus_dengan_batas(kelurahan_a, -5 * JAM, urgensi="darurat")
    _kasus_dengan_batas(kelurahan_a, -90 * JAM, status="selesai")  # closed: never on the board
    client.force_login(user_staf)
    resp = client.get(reverse("ppks:kasus-board"))
    assert list(resp.context["daftar"]) == [terlambat_lama, terlambat_baru, segera, nanti]
    content = resp.content.decode()
    assert content.count('data-testid="terlambat"') == 2
    assert "Terlambat 5 jam" in content and "Terlambat 1 hari" in content
    assert "2 hari lagi" in content and "1 jam lagi" in content
    assert format_wib(segera.batas_respons) in content
    jumlah = resp.context["jumlah"]
    assert (jumlah["semua"], jumlah["terlambat"], jumlah["darurat"], jumlah["tinggi"], jumlah["biasa"]) == (
        4,
        2,
        2,
        1,
        1,
    )
    per_kel = {b["kelurahan__nama"]: (b["n"], b["terlambat"]) for b in resp.context["per_kelurahan"]}
    assert per_kel == {kelurahan_a.nama: (3, 1), kelurahan_b.nama: (1, 1)}


def test_papan_psm_hanya_kelurahannya_tanpa_ringkasan_per_kelurahan(client, psm_a, kelurahan_a, kelurahan_b):
    milik_a = _kasus_dengan_batas(kelurahan_a, 3 * JAM)
    _kasus_dengan_batas(kelurahan_b, -3 * JAM)
    client.force_login(psm_a)
    resp = client.get(reverse("ppks:kasus-board"))
    assert list(resp.context["daftar"]) == [milik_a]
    assert resp.context["jumlah"]["semua"] == 1 and resp.context["jumlah"]["terlambat"] == 0
    assert "per_kelurahan" not in resp.context


def test_papan_saringan(client, user_staf, psm_a, kelurahan_a, kelurahan_b):
    darurat_a = _kasus_dengan_batas(kelurahan_a, 3 * JAM, urgensi="darurat", psm=psm_a)
    biasa_a = _kasus_dengan_batas(kelurahan_a, -3 * JAM, urgensi="biasa", petugas=user_staf)
    biasa_b = _kasus_dengan_batas(kelurahan_b, 30 * JAM, urgensi="biasa")
    client.force_login(user_staf)

    def daftar(**params):
        return list(client.get(reverse("ppks:kasus-board"), params).context["daftar"])

    assert daftar(urgensi="darurat") == [darurat_a]
    assert daftar(urgensi="biasa") == [biasa_a, biasa_b]
    assert daftar(kelurahan=kelurahan_b.pk) == [biasa_b]
    assert daftar(kecamatan=kelurahan_a.kecamatan_id) == [biasa_a, darurat_a]
    assert daftar(saya="on") == [biasa_a]
    assert daftar(terlambat="on") == [biasa_a]
    # A stale or forged value drops that filter only.
    assert daftar(kelurahan="999999", urgensi="darurat") == [darurat_a]
    assert daftar(kelurahan="²", page="x") == [biasa_a, darurat_a, biasa_b]
    # The counts per urgency ignore the urgency filter (each chip says what it would list).
    resp = client.get(reverse("ppks:kasus-board"), {"urgensi": "darurat"})
    assert resp.context["jumlah"]["biasa"] == 2
    client.force_login(psm_a)
    assert daftar(saya="on") == [darurat_a]


@pytest.mark.parametrize(
    ("nama_url", "peran"),
    [
        ("ppks:kasus-board", "staf"),
        ("ppks:kasus-list", "staf"),
        ("ppks:kasus-board", "psm_a"),
        ("ppks:kasus-list", "pimpinan"),
    ],
)
def test_jumlah_query_papan_dan_daftar_konstan(client, cast, kelurahan_a, nama_url, peran):
    client.force_login(cast[peran])

    def isi(n):
        for i in range(n):
            KasusFactory(
                kelurahan=kelurahan_a,
                urgensi=["darurat", "tinggi", "biasa"][i % 3],
                jenis=jenis_ppks(["LUT", "ODHA", "AJ"][i % 3]),
                psm=cast["psm_a"] if i % 2 else None,
                petugas=cast["staf"] if i % 2 else None,
            )

    isi(3)
    client.get(reverse(nama_url))  # warm-up: the first request after login stamps the session
    with CaptureQueriesContext(connection) as sedikit:
        assert client.get(reverse(nama_url)).status_code == 200
    isi(27)
    with CaptureQueriesContext(connection) as banyak:
        resp = client.get(reverse(nama_url))
    assert len(resp.context["daftar"]) == 30 if nama_url == "ppks:kasus-board" else 25
    assert len(banyak) == len(sedikit), [q["sql"] for q in banyak.captured_queries]


def test_papan_urutan_memakai_indeks_papan():
    """The board's ORDER BY is the tail of kasus_papan_idx (status, batas_respons, id), never a join."""
    qs = Kasus.objects.terbuka().order_by("batas_respons", "id")
    sql = str(qs.query)
    assert "JOIN" not in sql
    indeks = {i.name: i.fields for i in Kasus._meta.indexes}
    assert indeks["kasus_papan_idx"] == ["status", "batas_respons", "id"]


# --- the list ---------------------------------------------------------------------------------------------------


def test_daftar_semua_status_terbaru_dulu_dan_saringan(client, user_staf, kelurahan_a, kelurahan_b):
    sekarang = timezone.now()
    lama = KasusFactory(
        kelurahan=kelurahan_a, dibuat_pada=sekarang - 48 * JAM, status="selesai", ringkasan="Anak jalanan di Pasar Ibuh"
    )
    tengah = KasusFactory(
        kelurahan=kelurahan_b, dibuat_pada=sekarang - 24 * JAM, sumber="medsos", urgensi="darurat", viral=True
    )
    baru = KasusFactory(kelurahan=kelurahan_a, dibuat_pada=sekarang, status="ditutup", alasan_tutup="Tidak ditemukan")
    client.force_login(user_staf)

    def daftar(**params):
        return list(client.get(reverse("ppks:kasus-list"), params).context["daftar"])

    assert daftar() == [baru, tengah, lama]
    assert daftar(status="selesai") == [lama]
    assert daftar(urgensi="darurat") == [tengah]
    assert daftar(sumber="medsos") == [tengah]
    assert daftar(kelurahan=kelurahan_a.pk) == [baru, lama]
    assert daftar(q="pasar ibuh") == [lama]
    assert daftar(q=tengah.nomor) == [tengah]
    assert daftar(q=tengah.nomor[-6:]) == [tengah]
    assert daftar(q="tidak ada kasus seperti ini") == []
    assert daftar(status="bukan-status", kelurahan="²") == [baru, tengah, lama]


def test_daftar_pimpinan_tidak_mencari_angka_di_ringkasan(client, user_pimpinan, user_staf, kelurahan_a):
    orang = PendudukFactory(kelurahan=kelurahan_a)
    kasus = KasusFactory(kelurahan=kelurahan_a, ringkasan=f"Laporan untuk NIK {orang.nik}")
    client.force_login(user_staf)
    assert list(client.get(reverse("ppks:kasus-list"), {"q": orang.nik}).context["daftar"]) == [kasus]
    client.force_login(user_pimpinan)
    assert list(client.get(reverse("ppks:kasus-list"), {"q": orang.nik}).context["daftar"]) == []
    assert list(client.get(reverse("ppks:kasus-list"), {"q": kasus.nomor}).context["daftar"]) == [kasus]


def test_daftar_halaman_terakhir(client, user_staf, kelurahan_a):
    KasusFactory.create_batch(30, kelurahan=kelurahan_a)
    client.force_login(user_staf)
    url = reverse("ppks:kasus-list")
    halaman = [list(client.get(url, {"page": i}).context["daftar"]) for i in (1, 2)]
    assert [k for h in halaman for k in h] == list(Kasus.objects.all())
    assert list(client.get(url, {"page": "last"}).context["daftar"]) == halaman[1]


# --- the form -------------------------------------------------------------------------------------------------


def _data(kelurahan, **ubah):
    data = {
        "ringkasan": "Lansia tinggal sendiri, sakit",
        "kelurahan": kelurahan.pk,
        "urgensi": "biasa",
        "lokasi": "Jl. Soekarno Hatta",
        "sumber": "warga",
        "uraian": "",
        "jenis": "",
        "petugas": "",
        "psm": "",
        "pelapor_nama": "",
        "pelapor_kontak": "",
        "nik_penduduk": "",
    }
    data.update(ubah)
    return data


def test_buat_kasus_darurat_cepat_dan_pesan_nomor_batas(client, psm_a, kelurahan_a):
    client.force_login(psm_a)
    resp = client.get(reverse("ppks:kasus-create"))
    form = resp.context["form"]
    assert form["kelurahan"].initial == kelurahan_a.pk  # one kelurahan: preselected
    assert form["psm"].initial == psm_a.pk and form["sumber"].initial == "psm"
    assert list(form.fields)[:5] == ["ringkasan", "kelurahan", "urgensi", "viral", "lokasi"]
    # Just the minimum a darurat report needs:
    minimum = {
        "ringkasan": "Orang terlantar di halte",
        "kelurahan": kelurahan_a.pk,
        "urgensi": "biasa",
        "viral": "on",
        "lokasi": "Halte Ibuh",
        "sumber": "psm",
    }
    resp = client.post(reverse("ppks:kasus-create"), minimum)
    kasus = Kasus.objects.get()
    assert resp.status_code == 302 and resp["Location"] == kasus.get_absolute_url()
    assert kasus.urgensi == "darurat" and kasus.dibuat_oleh == psm_a and kasus.status == "baru"
    pesan = _pesan(resp)[0]
    assert kasus.nomor in pesan and format_wib(kasus.batas_respons) in pesan and "23 jam lagi" in pesan


def test_buat_kasus_dari_halaman_penduduk_dan_hubungkan_dengan_nik(client, user_staf, penduduk_a, kelurahan_a):
    client.force_login(user_staf)
    url = f"{reverse('ppks:kasus-create')}?penduduk={penduduk_a.pk}"
    resp = client.get(url)
    assert resp.context["form"]["kelurahan"].initial == penduduk_a.kelurahan_id
    assert penduduk_a.nama.encode() in resp.content
    assert client.post(url, _data(kelurahan_a, nik_penduduk="")).status_code == 302
    assert Kasus.objects.get().penduduk == penduduk_a
    # A case taken in without a name gets the person later, by NIK typed as on the KTP.
    tanpa_nama = KasusFactory(kelurahan=kelurahan_a)
    nik_berspasi = " ".join([penduduk_a.nik[:4], penduduk_a.nik[4:8], penduduk_a.nik[8:12], penduduk_a.nik[12:]])
    resp = client.post(
        reverse("ppks:kasus-update", args=[tanpa_nama.pk]),
        _data(kelurahan_a, nik_penduduk=nik_berspasi, versi=tanpa_nama.versi),
    )
    assert resp.status_code == 302
    tanpa_nama.refresh_from_db()
    assert tanpa_nama.penduduk == penduduk_a
    # ...and can be unlinked again.
    data = _data(kelurahan_a, lepas_penduduk="on", versi=tanpa_nama.versi)
    resp = client.post(reverse("ppks:kasus-update", args=[tanpa_nama.pk]), data)
    tanpa_nama.refresh_from_db()
    assert tanpa_nama.penduduk is None


def test_form_salah_tidak_menyimpan_dan_pesan_jelas(client, user_staf, kelurahan_a):
    client.force_login(user_staf)
    resp = client.post(reverse("ppks:kasus-create"), _data(kelurahan_a, ringkasan="", nik_penduduk="123"))
    assert resp.status_code == 200
    assert {"ringkasan", "nik_penduduk"} <= set(resp.context["form"].errors)
    assert b"Kasus belum tersimpan" in resp.content
    assert not Kasus.objects.exists()


def test_ubah_tidak_mengembalikan_status_yang_berubah_sementara_form_terbuka(client, user_staf, kelurahan_a):
    kasus = KasusFactory(kelurahan=kelurahan_a)
    client.force_login(user_staf)
    resp = client.get(reverse("ppks:kasus-update", args=[kasus.pk]))
    assert resp.status_code == 200
    versi_dibuka = resp.context["form"]["versi"].value()
    # Meanwhile a colleague closes the case.
    Kasus.objects.filter(pk=kasus.pk).update(status="ditutup", alasan_tutup="Ganda", selesai_pada=timezone.now())
    data = _data(kelurahan_a, ringkasan="Ringkasan baru", versi=versi_dibuka)
    resp = client.post(reverse("ppks:kasus-update", args=[kasus.pk]), data)
    # The edit opened before the close is refused (optimistic locking, akun/versi.py), with the
    # typed text kept and the new version in the form; saving it again keeps the closed status.
    assert resp.status_code == 200 and resp.context["form"].konflik is not None
    assert Kasus.objects.get(pk=kasus.pk).ringkasan != "Ringkasan baru"
    data["versi"] = resp.context["form"]["versi"].value()
    resp = client.post(reverse("ppks:kasus-update", args=[kasus.pk]), data)
    assert resp.status_code == 302
    kasus.refresh_from_db()
    assert (kasus.ringkasan, kasus.status, kasus.alasan_tutup) == ("Ringkasan baru", "ditutup", "Ganda")


def test_ubah_urgensi_memindahkan_batas(client, user_staf, kelurahan_a):
    kasus = KasusFactory(kelurahan=kelurahan_a, urgensi="biasa")
    client.force_login(user_staf)
    client.post(reverse("ppks:kasus-update", args=[kasus.pk]), _data(kelurahan_a, urgensi="darurat", versi=kasus.versi))
    kasus.refresh_from_db()
    assert kasus.batas_respons == kasus.dibuat_pada + dt.timedelta(hours=24)


# --- the detail page and its actions ----------------------------------------------------------------------------


@pytest.fixture
def kasus_a(kelurahan_a, psm_a):
    return KasusFactory(
        kelurahan=kelurahan_a,
        psm=psm_a,
        urgensi="darurat",
        ringkasan="Lansia sakit sendirian",
        dibuat_pada=timezone.now() - 2 * JAM,
    )


def test_detail_tombol_hanya_transisi_yang_diizinkan(client, user_staf, kasus_a):
    client.force_login(user_staf)
    resp = client.get(kasus_a.get_absolute_url())
    assert [s for s, _ in resp.context["tombol_status"]] == ["diverifikasi"]
    assert resp.context["boleh_tutup"] and not resp.context["boleh_buka"]
    Kasus.objects.filter(pk=kasus_a.pk).update(status="ditangani")
    resp = client.get(kasus_a.get_absolute_url())
    assert [s for s, _ in resp.context["tombol_status"]] == ["dirujuk", "selesai"]
    Kasus.objects.filter(pk=kasus_a.pk).update(status="selesai")
    resp = client.get(kasus_a.get_absolute_url())
    assert resp.context["tombol_status"] == [] and not resp.context["boleh_tutup"] and resp.context["boleh_buka"]


def test_detail_pimpinan_tanpa_form_tulis(client, user_pimpinan, kasus_a):
    client.force_login(user_pimpinan)
    content = client.get(kasus_a.get_absolute_url()).content.decode()
    for nama in ("ppks:kasus-status", "ppks:kasus-tindakan", "ppks:kasus-rujukan", "ppks:kasus-update"):
        assert reverse(nama, args=[kasus_a.pk]) not in content
    assert "Kirim ke WhatsApp" in content


def test_catat_tindakan_lini_masa_dan_respons_pertama(client, psm_a, kasus_a):
    client.force_login(psm_a)
    waktu = timezone.localtime() - dt.timedelta(minutes=30)
    resp = client.post(
        reverse("ppks:kasus-tindakan", args=[kasus_a.pk]),
        {"jenis": "kunjungan", "uraian": "Dikunjungi bersama lurah", "waktu": waktu.strftime("%Y-%m-%dT%H:%M")},
    )
    assert resp.status_code == 302 and resp["Location"].endswith("#lini-masa")
    kasus_a.refresh_from_db()
    assert kasus_a.direspons_pada == waktu.replace(second=0, microsecond=0)
    client.post(reverse("ppks:kasus-tindakan", args=[kasus_a.pk]), {"jenis": "catatan", "uraian": "Keluarga dihubungi"})
    resp = client.get(kasus_a.get_absolute_url())
    assert [t.uraian for t in resp.context["tindakan"]] == ["Dikunjungi bersama lurah", "Keluarga dihubungi"]
    content = resp.content.decode()
    assert "Respons pertama" in content and format_wib(kasus_a.direspons_pada) in content


def test_tindakan_salah_ditampilkan_lagi_dengan_isian(client, psm_a, kasus_a):
    client.force_login(psm_a)
    besok = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    for data in (
        {"jenis": "kunjungan", "uraian": "Laporan panjang dari lapangan", "waktu": besok},
        {"jenis": "status", "uraian": "Laporan panjang dari lapangan"},
    ):
        resp = client.post(reverse("ppks:kasus-tindakan", args=[kasus_a.pk]), data)
        assert resp.status_code == 200
        assert "Laporan panjang dari lapangan" in resp.content.decode()  # what was typed is not lost
        assert any("Belum tersimpan" in p for p in _pesan(resp))
    assert not Tindakan.objects.exists()


def test_ubah_status_ditolak_dengan_pesan_dan_tidak_mengubah_apa_pun(client, user_staf, kasus_a):
    client.force_login(user_staf)
    url = reverse("ppks:kasus-status", args=[kasus_a.pk])
    resp = client.post(url, {"status": "selesai"})  # baru → selesai is not allowed
    assert resp.status_code == 302
    assert any("tidak bisa diubah dari Baru ke Selesai" in p for p in _pesan(resp))
    resp = client.post(url, {"status": "ditutup", "alasan": "  "})
    assert any("alasan" in p.lower() for p in _pesan(resp))
    resp = client.post(url, {"status": "tidak-ada"})
    assert resp.status_code == 302
    kasus_a.refresh_from_db()
    assert kasus_a.status == "baru" and not Tindakan.objects.exists()
    resp = client.post(url, {"status": "diverifikasi"})
    kasus_a.refresh_from_db()
    assert kasus_a.status == "diverifikasi"
    assert any("Diverifikasi" in p for p in _pesan(resp))


def test_tutup_lalu_buka_kembali(client, user_staf, kasus_a):
    client.force_login(user_staf)
    client.post(reverse("ppks:kasus-status", args=[kasus_a.pk]), {"status": "ditutup", "alasan": "Laporan ganda"})
    kasus_a.refresh_from_db()
    assert kasus_a.status == "ditutup" and kasus_a.alasan_tutup == "Laporan ganda"
    assert b"Laporan ganda" in client.get(kasus_a.get_absolute_url()).content
    resp = client.post(reverse("ppks:kasus-buka", args=[kasus_a.pk]), {"alasan": ""})
    assert any("Belum tersimpan" in p for p in _pesan(resp))
    client.post(reverse("ppks:kasus-buka", args=[kasus_a.pk]), {"alasan": "Ternyata bukan ganda"})
    kasus_a.refresh_from_db()
    assert kasus_a.status == "baru" and kasus_a.terbuka


def test_rujukan_dibuat_dan_statusnya_diubah(client, user_staf, kasus_a):
    client.force_login(user_staf)
    resp = client.post(
        reverse("ppks:kasus-rujukan", args=[kasus_a.pk]),
        {"jenis_lembaga": "kesehatan", "nama_lembaga": "RSUD Adnaan WD", "tanggal": "", "catatan": "Rawat jalan"},
    )
    assert resp.status_code == 302 and resp["Location"].endswith("#rujukan")
    rujukan = Rujukan.objects.get()
    assert rujukan.tanggal == timezone.localdate() and rujukan.oleh == user_staf
    client.post(reverse("ppks:rujukan-status", args=[rujukan.pk]), {"status": "ditolak", "catatan": "Penuh"})
    rujukan.refresh_from_db()
    assert rujukan.status == "ditolak"
    content = client.get(kasus_a.get_absolute_url()).content.decode()
    assert "RSUD Adnaan WD" in content and "Ditolak lembaga" in content
    # A future date, or a closed case, is refused with the form shown again.
    besok = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    resp = client.post(
        reverse("ppks:kasus-rujukan", args=[kasus_a.pk]),
        {"jenis_lembaga": "lks", "nama_lembaga": "LKS Harapan", "tanggal": besok},
    )
    assert resp.status_code == 200 and "LKS Harapan" in resp.content.decode()
    assert Rujukan.objects.count() == 1
