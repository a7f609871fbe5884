"""Issue 6: lists that hold at a million rows keep their behaviour: order, pages, search, indexes."""

import pytest
from django.db import connection
from django.urls import reverse

from akun.daftar import HasilBertingkat, PaginatorDuaArah
from penduduk.models import Keluarga, Penduduk
from tests.factories import KeluargaFactory, PendudukFactory

pytestmark = pytest.mark.django_db


def _semua_halaman(client, url, n_halaman, **params):
    return [list(client.get(url, {**params, "page": i}).context["daftar"]) for i in range(1, n_halaman + 1)]


@pytest.mark.parametrize("jumlah", [1, 24, 25, 26, 51, 60])
def test_halaman_dari_belakang_sama_dengan_dari_depan(kelurahan_a, jumlah):
    PendudukFactory.create_batch(jumlah, kelurahan=kelurahan_a)
    qs = Penduduk.objects.all()
    maju = list(qs)
    paginator = PaginatorDuaArah(qs, 25)
    dibaca = [o for i in paginator.page_range for o in paginator.page(i).object_list]
    assert dibaca == maju


def test_hasil_bertingkat_diiris_lintas_bagian(kelurahan_a):
    for nama in ["Ahmad", "Ahyar", "Rahmah", "Bahar", "Zulfahmi", "Upik"]:
        PendudukFactory(nama=nama, kelurahan=kelurahan_a)
    hasil = Penduduk.objects.all().cari_berurut("ah")
    assert isinstance(hasil, HasilBertingkat)
    urut = [p.nama for p in hasil[0:10]]
    assert urut == ["Ahmad", "Ahyar", "Bahar", "Rahmah", "Zulfahmi"]
    assert hasil.count() == 5
    assert [p.nama for p in hasil[1:4]] == urut[1:4]
    assert [p.nama for p in hasil.reverse()[0:10]] == urut[::-1]
    paginator = PaginatorDuaArah(Penduduk.objects.all().cari_berurut("ah"), 2)
    assert [p.nama for i in paginator.page_range for p in paginator.page(i).object_list] == urut


def test_cari_nama_yang_berawalan_sama_tampil_dulu(client, user_staf, kelurahan_a):
    for nama in ["Nurhayati Siti", "Siti Rahmah", "Hj. Siti Aminah", "Rosita", "Sitinjak Bujang"]:
        PendudukFactory(nama=nama, kelurahan=kelurahan_a)
    client.force_login(user_staf)
    daftar = [p.nama for p in client.get(reverse("penduduk:list"), {"q": "Siti"}).context["daftar"]]
    # Names that start with "siti" (the title "Hj." is not part of the name), then the others.
    assert daftar == ["Hj. Siti Aminah", "Siti Rahmah", "Sitinjak Bujang", "Nurhayati Siti"]
    assert "Rosita" not in daftar


def test_cari_tanpa_hasil_dan_awalan_huruf_z(client, user_staf, kelurahan_a):
    PendudukFactory(nama="Zulkarnain", kelurahan=kelurahan_a)
    PendudukFactory(nama="Aziz Z", kelurahan=kelurahan_a)
    client.force_login(user_staf)
    assert list(client.get(reverse("penduduk:list"), {"q": "zzqx"}).context["daftar"]) == []
    # "z" has no simple upper bound: the prefix part works without the range.
    daftar = [p.nama for p in client.get(reverse("penduduk:list"), {"q": "z"}).context["daftar"]]
    assert daftar == ["Zulkarnain", "Aziz Z"]


def test_halaman_terakhir_daftar_panjang_lengkap_dan_berurut(client, user_staf, kelurahan_a):
    PendudukFactory.create_batch(60, kelurahan=kelurahan_a)
    client.force_login(user_staf)
    url = reverse("penduduk:list")
    halaman = _semua_halaman(client, url, 3)
    assert [len(h) for h in halaman] == [25, 25, 10]
    assert [p for h in halaman for p in h] == list(Penduduk.objects.all())
    assert list(client.get(url, {"page": "last"}).context["daftar"]) == halaman[2]
    assert list(client.get(url, {"page": "99"}).context["daftar"]) == halaman[2]


def test_halaman_terakhir_daftar_keluarga(client, user_staf, kelurahan_a, kelurahan_b):
    for i in range(30):
        KeluargaFactory(kelurahan=kelurahan_b if i % 2 else kelurahan_a, alamat=f"Jl. {i % 7}")
    client.force_login(user_staf)
    url = reverse("penduduk:keluarga-list")
    halaman = _semua_halaman(client, url, 2)
    assert [k for h in halaman for k in h] == list(Keluarga.objects.all())
    assert list(client.get(url, {"page": "last"}).context["daftar"]) == halaman[1]


def test_cari_dengan_filter_kelurahan_dan_status(client, user_staf, kelurahan_a, kelurahan_b):
    a = PendudukFactory(nama="Siti A", kelurahan=kelurahan_a)
    PendudukFactory(nama="Siti B", kelurahan=kelurahan_b)
    PendudukFactory(nama="Siti C", kelurahan=kelurahan_a, status="meninggal")
    client.force_login(user_staf)
    resp = client.get(reverse("penduduk:list"), {"q": "siti", "kelurahan": kelurahan_a.pk, "status": "hidup"})
    assert list(resp.context["daftar"]) == [a]


def _indeks(tabel: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, tabel))


def test_indeks_untuk_urutan_dan_filter_ada():
    penduduk = _indeks(Penduduk._meta.db_table)
    for nama in (
        "penduduk_urutan_idx",
        "penduduk_kel_urutan_idx",
        "penduduk_diubah_idx",
        "penduduk_kel_diubah_idx",
        "penduduk_kel_hidup_idx",
        "penduduk_kel_tanpa_nik_idx",
    ):
        assert nama in penduduk
    assert "keluarga_urutan_idx" in _indeks(Keluarga._meta.db_table)
    assert ("penduduk_nama_trgm_idx" in penduduk) is (connection.vendor == "postgresql")


def test_admin_mencari_tanpa_join_dan_tanpa_hitungan_kedua(client, user_staf, penduduk_a, penduduk_b):
    client.force_login(user_staf)
    resp = client.get(reverse("admin:penduduk_penduduk_changelist"), {"q": "siti"})
    assert list(resp.context["cl"].result_list) == [penduduk_a]
    assert resp.context["cl"].show_full_result_count is False
    resp = client.get(reverse("admin:penduduk_penduduk_changelist"), {"q": penduduk_a.keluarga.no_kk})
    assert penduduk_a in resp.context["cl"].result_list
    resp = client.get(reverse("admin:penduduk_keluarga_changelist"), {"q": "rahmah"})
    assert list(resp.context["cl"].result_list) == [penduduk_a.keluarga]
    resp = client.get(reverse("admin:penduduk_keluarga_changelist"), {"q": penduduk_a.nik})
    assert list(resp.context["cl"].result_list) == [penduduk_a.keluarga]


def test_hitungan_cari_dibatasi_dengan_pesan(client, user_staf, kelurahan_a, monkeypatch):
    from penduduk import models

    monkeypatch.setattr(models, "BATAS_HASIL_CARI", 30)
    for i in range(20):
        PendudukFactory(nama=f"Ahmad {i}", kelurahan=kelurahan_a)
        PendudukFactory(nama=f"Rahmah {i}", kelurahan=kelurahan_a)
    client.force_login(user_staf)
    url = reverse("penduduk:list")
    resp = client.get(url, {"q": "ah"})
    assert resp.context["paginator"].count == 30
    assert resp.context["terpotong"] is True
    assert "Lebih dari 30 orang cocok" in resp.content.decode()
    # The last page is the last of the 30 shown (prefix matches first), read forwards.
    terakhir = [p.nama for p in client.get(url, {"q": "ah", "page": "last"}).context["daftar"]]
    assert len(terakhir) == 5 and all(n.startswith("Rahmah") for n in terakhir)
    # Under the cap the count is exact and says so.
    resp = client.get(url, {"q": "ahmad"})
    assert resp.context["paginator"].count == 20 and resp.context["terpotong"] is False
    assert "20 orang ditemukan" in resp.content.decode()
