"""bantuan pages: flows through the forms, what each list shows, constant query counts (3 vs 30 rows),
the registry and extreme-poverty pages counting distributions, the PSM home."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bantuan.models import Bendera, Konfirmasi, Penyaluran
from tests.bantuan.factories import BenderaFactory, KonfirmasiFactory, PenyaluranFactory, program
from tests.factories import KeluargaFactory, PendudukFactory, StatusMiskinEkstremFactory
from tests.psm import berikrar

pytestmark = pytest.mark.django_db


def _jumlah_query(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code == 200
    return len(q.captured_queries)


def _penyaluran(n, kelurahan, **lain):
    for _ in range(n):
        k = KeluargaFactory(kelurahan=kelurahan)
        PendudukFactory(keluarga=k, kelurahan=kelurahan, hubungan="kepala")
        p = PenyaluranFactory(keluarga=k, **lain)
        BenderaFactory(penyaluran=p)
    orang = PendudukFactory(kelurahan=kelurahan)
    PenyaluranFactory(program=program("PBI-JK"), keluarga=None, penduduk=orang, nilai=42_000, **lain)


@pytest.mark.parametrize(
    ("nama", "peran"),
    [
        ("bantuan:penyaluran-list", "user_staf"),
        ("bantuan:penyaluran-list", "psm_a"),
        ("bantuan:menunggu", "psm_a"),
        ("bantuan:bendera-list", "user_staf"),
        ("bantuan:bendera-list", "user_pimpinan"),
    ],
)
def test_jumlah_query_daftar_konstan(client, request, kelurahan_a, nama, peran):
    user = request.getfixturevalue(peran)
    berikrar(user) if user.is_psm else None
    client.force_login(user)
    url = reverse(nama)
    _penyaluran(3, kelurahan_a)
    sedikit = _jumlah_query(client, url)
    _penyaluran(27, kelurahan_a)
    resp = client.get(url)
    assert len(resp.context["daftar"]) >= 25
    assert _jumlah_query(client, url) == sedikit


def test_halaman_keluarga_dan_orang_menampilkan_bantuan_terbatas(client, user_staf, keluarga_a, penduduk_a):
    client.force_login(user_staf)
    url = reverse("penduduk:keluarga-detail", args=[keluarga_a.pk])
    PenyaluranFactory(keluarga=keluarga_a, periode=dt.date(2024, 1, 1))
    sedikit = _jumlah_query(client, url)
    for i in range(24):
        PenyaluranFactory(keluarga=keluarga_a, periode=dt.date(2023, 1, 1) + dt.timedelta(days=31 * i))
    PenyaluranFactory(keluarga=keluarga_a, penduduk=penduduk_a, program=program("PBI-JK"), periode=dt.date(2025, 3, 1))
    assert _jumlah_query(client, url) == sedikit
    resp = client.get(url)
    daftar = resp.context["daftar_bantuan"]
    assert len(daftar) == 20 and resp.context["bantuan_lebih"]
    assert daftar[0].program.kode == "PBI-JK"  # newest period first, personal ones of members too
    assert "Bantuan yang diterima" in resp.content.decode()
    resp = client.get(reverse("penduduk:detail", args=[penduduk_a.pk]))
    assert [p.program.kode for p in resp.context["daftar_bantuan"]] == ["PBI-JK"]


def test_halaman_keluarga_psm_lain_tidak_melihat_bantuan(client, psm_b, keluarga_a, penyaluran_a):
    client.force_login(psm_b)
    assert client.get(reverse("penduduk:keluarga-detail", args=[keluarga_a.pk])).status_code == 404


def test_catat_penyaluran_lewat_no_kk(client, user_staf, keluarga_a, psm_a):
    client.force_login(user_staf)
    resp = client.post(
        reverse("bantuan:penyaluran-create"),
        {
            "no_kk": keluarga_a.no_kk,
            "program": program("PKH").pk,
            "periode": "15/02/2025",
            "nilai": "Rp750.000",
            "tanggal": "20/02/2025",
            "saluran": "bank",
            "pendamping": psm_a.pk,
            "status": "disalurkan",
        },
    )
    p = Penyaluran.objects.get()
    assert resp.status_code == 302 and resp["Location"] == p.get_absolute_url()
    assert (p.keluarga, p.nilai, p.periode, p.pendamping) == (keluarga_a, 750_000, dt.date(2025, 1, 1), psm_a)


def test_catat_penyaluran_no_kk_tidak_dikenal_galat_form(client, user_staf):
    client.force_login(user_staf)
    resp = client.post(
        reverse("bantuan:penyaluran-create"), {"no_kk": "1376011403150099", "program": program("PKH").pk}
    )
    assert resp.status_code == 200
    assert not Penyaluran.objects.exists()


def test_massal_pratinjau_lalu_simpan_miskin_ekstrem(client, user_staf, keluarga_a, kelurahan_b, psm_a):
    StatusMiskinEkstremFactory(keluarga=keluarga_a)
    keluar = StatusMiskinEkstremFactory(
        keluarga=KeluargaFactory(kelurahan=kelurahan_b), tanggal_keluar=dt.date(2024, 1, 1), alasan_keluar="pindah"
    )
    client.force_login(user_staf)
    data = {
        "sumber": "miskin_ekstrem",
        "program": program("KUBE-UEP").pk,
        "periode": "01/03/2025",
        "nilai": "6.000.000",
        "tanggal": "05/03/2025",
        "saluran": "langsung",
        "status": "disalurkan",
        "pendamping_psm": "on",
    }
    resp = client.post(reverse("bantuan:penyaluran-massal"), data)
    assert resp.status_code == 200 and resp.context["jumlah"] == 1
    assert not Penyaluran.objects.exists()
    resp = client.post(reverse("bantuan:penyaluran-massal"), {**data, "simpan": "1"})
    assert resp.status_code == 302
    p = Penyaluran.objects.get()
    assert (p.keluarga, p.pendamping, p.nilai) == (keluarga_a, psm_a, 6_000_000)
    assert not Penyaluran.objects.filter(keluarga=keluar.keluarga).exists()


def test_massal_wilayah(client, user_staf, keluarga_a, kelurahan_a):
    KeluargaFactory(kelurahan=kelurahan_a)
    client.force_login(user_staf)
    data = {
        "sumber": "wilayah",
        "kelurahan": kelurahan_a.pk,
        "program": program("BPNT").pk,
        "periode": "01/03/2025",
        "nilai": "600.000",
        "saluran": "ewarong",
        "status": "direncanakan",
        "simpan": "1",
    }
    assert client.post(reverse("bantuan:penyaluran-massal"), data).status_code == 302
    assert Penyaluran.objects.filter(kelurahan=kelurahan_a, status="direncanakan").count() == 2
    resp = client.post(reverse("bantuan:penyaluran-massal"), {**data, "kelurahan": ""})
    assert resp.status_code == 200 and "kelurahan" in resp.context["form"].errors


def test_psm_konfirmasi_dari_ponsel_kurang_diterima(client, psm_a, penyaluran_a):
    berikrar(psm_a)
    client.force_login(psm_a)
    daftar = client.get(reverse("bantuan:menunggu"))
    assert [p.pk for p in daftar.context["daftar"]] == [penyaluran_a.pk]
    resp = client.post(
        reverse("bantuan:konfirmasi", args=[penyaluran_a.pk]),
        {"nilai_diterima": "500.000", "tanggal_terima": "15/02/2025", "nama_pengonfirmasi": "Siti Rahmah"},
    )
    assert resp.status_code == 302 and resp["Location"] == reverse("bantuan:menunggu")
    k = Konfirmasi.objects.get()
    assert (k.nilai_diterima, k.dicatat_oleh, k.selisih) == (500_000, psm_a, 100_000)
    assert Bendera.objects.get().jenis == "kurang_terima"
    assert client.get(reverse("bantuan:menunggu")).context["daftar"] == []


def test_psm_tanpa_ikrar_diarahkan_ke_ikrar(client, psm_a, penyaluran_a):
    client.force_login(psm_a)
    resp = client.get(reverse("bantuan:konfirmasi", args=[penyaluran_a.pk]))
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("psm:ikrar"))


def test_konfirmasi_tanggal_sebelum_salur_galat_form(client, user_staf, penyaluran_a):
    client.force_login(user_staf)
    resp = client.post(
        reverse("bantuan:konfirmasi", args=[penyaluran_a.pk]),
        {"nilai_diterima": "600.000", "tanggal_terima": "01/01/2025", "nama_pengonfirmasi": "Siti"},
    )
    assert resp.status_code == 200 and "sebelum tanggal salur" in resp.content.decode()
    assert not Konfirmasi.objects.exists()


def test_daftar_bendera_satu_halaman_semua_alasan_dan_filter(client, user_staf, keluarga_a, psm_a, kelurahan_b):
    k = KonfirmasiFactory(penyaluran__keluarga=keluarga_a, penyaluran__pendamping=psm_a, nilai_diterima=300_000)
    lama = PenyaluranFactory(
        keluarga=KeluargaFactory(kelurahan=kelurahan_b), tanggal=timezone.localdate() - dt.timedelta(days=45)
    )
    from bantuan import integritas

    integritas.periksa_semua()
    client.force_login(user_staf)
    resp = client.get(reverse("bantuan:bendera-list"))
    isi = resp.content.decode()
    assert {b.penyaluran_id for b in resp.context["daftar"]} == {k.penyaluran_id, lama.pk}
    assert "kurang Rp300.000" in isi and "belum dikonfirmasi" in isi
    assert reverse("bantuan:penyaluran-detail", args=[k.penyaluran_id]) in isi
    resp = client.get(reverse("bantuan:bendera-list"), {"jenis": "kurang_terima"})
    assert [b.penyaluran_id for b in resp.context["daftar"]] == [k.penyaluran_id]
    resp = client.get(reverse("bantuan:bendera-list"), {"kelurahan": kelurahan_b.pk})
    assert [b.penyaluran_id for b in resp.context["daftar"]] == [lama.pk]
    resp = client.get(reverse("bantuan:bendera-list"), {"program": program("PKH").pk})
    assert list(resp.context["daftar"]) == []
    # resolve from the flag's page
    b = Bendera.objects.get(penyaluran=lama)
    resp = client.post(reverse("bantuan:bendera-selesaikan", args=[b.pk]), {"catatan": ""})
    assert resp.status_code == 200 and resp.context["form"].errors
    resp = client.post(
        reverse("bantuan:bendera-selesaikan", args=[b.pk]), {"catatan": "KPM sudah menerima; konfirmasi menyusul."}
    )
    assert resp.status_code == 302
    assert [x.pk for x in client.get(reverse("bantuan:bendera-list")).context["daftar"]] != [b.pk]
    resp = client.get(reverse("bantuan:bendera-list"), {"keadaan": "selesai"})
    assert [x.pk for x in resp.context["daftar"]] == [b.pk]
    assert "konfirmasi menyusul" in client.get(b.get_absolute_url()).content.decode()


def test_beranda_psm_jumlah_menunggu_dan_query_konstan(client, psm_a, kelurahan_a, kelurahan_b):
    berikrar(psm_a)
    client.force_login(psm_a)
    url = reverse("psm:beranda")
    _penyaluran(3, kelurahan_a)
    _penyaluran(2, kelurahan_b)
    sedikit = _jumlah_query(client, url)  # rendered
    html = client.get(url).content.decode()  # kept (psm/cache_beranda.py)
    assert 'text-bg-warning">4</span>' in html and reverse("bantuan:menunggu") in html
    _penyaluran(27, kelurahan_a)  # new distributions: the page is rendered again, same queries
    assert _jumlah_query(client, url) == sedikit
    assert 'text-bg-warning">32</span>' in client.get(url).content.decode()


def test_kesenjangan_miskin_ekstrem_menghitung_penyaluran(client, user_staf, keluarga_a, kelurahan_a):
    StatusMiskinEkstremFactory(keluarga=keluarga_a)
    client.force_login(user_staf)
    url = reverse("kemiskinan:list")
    assert [s.keluarga_id for s in client.get(url, {"tanpa": "pkh"}).context["daftar"]] == [keluarga_a.pk]
    PenyaluranFactory(keluarga=keluarga_a, program=program("PKH"), status="direncanakan", tanggal=None)
    assert len(client.get(url, {"tanpa": "pkh"}).context["daftar"]) == 1  # planned is not received
    PenyaluranFactory(keluarga=keluarga_a, program=program("PKH"), periode=dt.date(2025, 4, 1))
    PenyaluranFactory(keluarga=None, penduduk=PendudukFactory(kelurahan=kelurahan_a), program=program("PBI-JK"))
    assert list(client.get(url, {"tanpa": "pkh"}).context["daftar"]) == []
    resp = client.get(url)
    (s,) = resp.context["daftar"]
    assert "PKH" in s.program_diterima and "PKH" not in s.program_kurang
    detail = client.get(reverse("kemiskinan:detail", args=[keluarga_a.pk]))
    assert {p.program.kode for p in detail.context["daftar_bantuan"]} == {"PKH"}


def test_kesenjangan_query_konstan(client, user_staf, kelurahan_a):
    client.force_login(user_staf)
    url = reverse("kemiskinan:list") + "?tanpa=semua"

    def tambah(n):
        for _ in range(n):
            k = KeluargaFactory(kelurahan=kelurahan_a)
            PendudukFactory(keluarga=k, kelurahan=kelurahan_a, hubungan="kepala")
            StatusMiskinEkstremFactory(keluarga=k)
            PenyaluranFactory(keluarga=k, program=program("CSR"))

    tambah(3)
    sedikit = _jumlah_query(client, url)
    tambah(27)
    assert _jumlah_query(client, url) == sedikit
