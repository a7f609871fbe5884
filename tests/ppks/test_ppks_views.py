"""PPKS registry pages: list filters and counts per jenis, detail, the registration form."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ppks.models import PPKS
from ppks.services import ppks_simpan
from tests.factories import KasusFactory, PendudukFactory, PPKSFactory, UserFactory, jenis_ppks

pytestmark = pytest.mark.django_db


def _hari_lalu(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def _daftar(client, **params) -> list[PPKS]:
    resp = client.get(reverse("ppks:list"), params)
    assert resp.status_code == 200
    return list(resp.context["daftar"])


def _data(jenis="LUT", **ubah) -> dict:
    data = {
        "jenis": jenis_ppks(jenis).pk, "status": "aktif", "tanggal_selesai": "", "alasan_selesai": "",
        "kebutuhan": ["pangan", "adminduk"], "kebutuhan_lain": "", "sumber": "psm", "psm_pendamping": "",
        "terakhir_dikunjungi": "", "terdata_pada": "01/03/2025", "catatan": "",
    }  # fmt: skip
    data.update(ubah)
    return data


def _url_baru(penduduk) -> str:
    return f"{reverse('ppks:create')}?penduduk={penduduk.pk}"


# --- list ---


def test_urutan_belum_pernah_dikunjungi_dulu_lalu_kunjungan_terlama(client, user_staf, kelurahan_a):
    baru = PPKSFactory(penduduk__kelurahan=kelurahan_a, terakhir_dikunjungi=_hari_lalu(3))
    lama = PPKSFactory(penduduk__kelurahan=kelurahan_a, terakhir_dikunjungi=_hari_lalu(200))
    belum = PPKSFactory(penduduk__kelurahan=kelurahan_a)
    client.force_login(user_staf)
    assert _daftar(client) == [belum, lama, baru]


def test_filter_belum_dikunjungi_n_hari_termasuk_yang_belum_pernah(client, user_staf, kelurahan_a):
    belum = PPKSFactory(penduduk__kelurahan=kelurahan_a)
    hari_100 = PPKSFactory(penduduk__kelurahan=kelurahan_a, terakhir_dikunjungi=_hari_lalu(100))
    hari_45 = PPKSFactory(penduduk__kelurahan=kelurahan_a, terakhir_dikunjungi=_hari_lalu(45))
    PPKSFactory(penduduk__kelurahan=kelurahan_a, terakhir_dikunjungi=_hari_lalu(10))
    client.force_login(user_staf)
    assert _daftar(client, belum_dikunjungi=30) == [belum, hari_100, hari_45]
    assert _daftar(client, belum_dikunjungi=90) == [belum, hari_100]
    assert _daftar(client, belum_dikunjungi=180) == [belum]
    # A value not on the list drops that filter only.
    assert len(_daftar(client, belum_dikunjungi=7)) == 4


def test_kolom_kunjungan_terakhir_belum_pernah_atau_tanggal_dan_hari(client, user_staf, kelurahan_a):
    PPKSFactory(penduduk__kelurahan=kelurahan_a, penduduk__nama="Belum Dikunjungi")
    tanggal = _hari_lalu(12)
    PPKSFactory(penduduk__kelurahan=kelurahan_a, terakhir_dikunjungi=tanggal)
    client.force_login(user_staf)
    html = client.get(reverse("ppks:list")).content.decode()
    assert "belum pernah" in html
    assert tanggal.strftime("%d/%m/%Y") in html and "12 hari lalu" in html


def test_filter_status_bawaan_tanpa_bukan_ppks_dengan_pilihan_semua(client, user_staf, kelurahan_a):
    aktif = PPKSFactory(penduduk__kelurahan=kelurahan_a)
    tertangani = PPKSFactory(penduduk__kelurahan=kelurahan_a, status="tertangani")
    selesai = PPKSFactory(
        penduduk__kelurahan=kelurahan_a, status="bukan_ppks", tanggal_selesai=_hari_lalu(5), alasan_selesai="Mandiri"
    )
    client.force_login(user_staf)
    assert set(_daftar(client)) == {aktif, tertangani}
    assert set(_daftar(client, status="semua")) == {aktif, tertangani, selesai}
    assert _daftar(client, status="bukan_ppks") == [selesai]
    assert _daftar(client, status="tertangani") == [tertangani]


def test_filter_jenis_wilayah_dan_psm(client, user_staf, psm_a, kelurahan_a, kelurahan_b):
    lut_a = PPKSFactory(penduduk__kelurahan=kelurahan_a, psm_pendamping=psm_a)
    pd_a = PPKSFactory(penduduk__kelurahan=kelurahan_a, jenis=jenis_ppks("PD"))
    lut_b = PPKSFactory(penduduk__kelurahan=kelurahan_b)
    client.force_login(user_staf)
    assert set(_daftar(client, jenis=jenis_ppks("LUT").pk)) == {lut_a, lut_b}
    assert set(_daftar(client, kelurahan=kelurahan_a.pk)) == {lut_a, pd_a}
    assert _daftar(client, kecamatan=kelurahan_b.kecamatan_id) == [lut_b]
    assert _daftar(client, psm=psm_a.pk) == [lut_a]
    assert _daftar(client, jenis=jenis_ppks("LUT").pk, kelurahan=kelurahan_b.pk) == [lut_b]


def test_filter_psm_hanya_psm_wilayah_sendiri_untuk_psm(client, psm_a, psm_b):
    client.force_login(psm_a)
    pilihan = client.get(reverse("ppks:list")).context["filter_form"].fields["psm"].queryset
    assert list(pilihan) == [psm_a]


def test_cari_nama_dan_nik(client, user_staf, kelurahan_a):
    siti = PPKSFactory(penduduk__kelurahan=kelurahan_a, penduduk__nama="Hj. Siti Aminah")
    PPKSFactory(
        penduduk__kelurahan=kelurahan_a, penduduk__nama="Bujang Malin", penduduk__tanggal_lahir=dt.date(1970, 1, 2)
    )
    client.force_login(user_staf)
    assert _daftar(client, q="siti") == [siti]
    assert _daftar(client, q="AMINAH") == [siti]
    assert _daftar(client, q=siti.penduduk.nik) == [siti]
    assert _daftar(client, q=siti.penduduk.nik[:10]) == [siti]
    assert _daftar(client, q="tidak ada orang ini") == []


def test_jumlah_per_jenis_satu_kueri_mengikuti_filter_dan_bertaut(client, user_staf, kelurahan_a, kelurahan_b):
    for _ in range(3):
        PPKSFactory(penduduk__kelurahan=kelurahan_a)
    PPKSFactory(penduduk__kelurahan=kelurahan_a, jenis=jenis_ppks("PD"))
    PPKSFactory(penduduk__kelurahan=kelurahan_b, jenis=jenis_ppks("PD"))
    PPKSFactory(
        penduduk__kelurahan=kelurahan_b, status="bukan_ppks", tanggal_selesai=_hari_lalu(1), alasan_selesai="Pindah"
    )
    client.force_login(user_staf)

    def jumlah(**params):
        resp = client.get(reverse("ppks:list"), params)
        return {j.jenis.singkatan: j for j in resp.context["jumlah_jenis"]}, resp

    semua, resp = jumlah()
    assert {k: j.jumlah for k, j in semua.items()} == {"LUT": 3, "PD": 2}
    assert f"jenis={jenis_ppks('PD').pk}" in semua["PD"].url
    assert semua["PD"].url in resp.content.decode().replace("&amp;", "&")
    di_a, _ = jumlah(kelurahan=kelurahan_a.pk)
    assert {k: j.jumlah for k, j in di_a.items()} == {"LUT": 3, "PD": 1}
    assert f"kelurahan={kelurahan_a.pk}" in di_a["PD"].url
    # The jenis filter narrows the list, not the counts (they are the way to the other jenis).
    pilih_pd, resp = jumlah(jenis=jenis_ppks("PD").pk)
    assert {k: j.jumlah for k, j in pilih_pd.items()} == {"LUT": 3, "PD": 2}
    assert pilih_pd["PD"].terpilih and not pilih_pd["LUT"].terpilih
    assert len(resp.context["daftar"]) == 2
    lengkap, _ = jumlah(status="semua")
    assert lengkap["LUT"].jumlah == 4


@pytest.mark.parametrize("peran", ["staf", "pimpinan", "psm_a"])
def test_jumlah_query_halaman_daftar_konstan(client, cast, kelurahan_a, peran):
    client.force_login(cast[peran])

    def isi(n):
        for i in range(n):
            PPKSFactory(
                penduduk__kelurahan=kelurahan_a,
                jenis=jenis_ppks(("LUT", "PD", "FM", "ODHA")[i % 4]),
                psm_pendamping=cast["psm_a"],
                terakhir_dikunjungi=_hari_lalu(i) if i % 2 else None,
            )

    isi(3)
    client.get(reverse("ppks:list"))  # warm-up: the first request after login stamps the session
    with CaptureQueriesContext(connection) as sedikit:
        assert client.get(reverse("ppks:list")).status_code == 200
    isi(27)
    with CaptureQueriesContext(connection) as banyak:
        assert client.get(reverse("ppks:list"), {"page": "2"}).status_code == 200
    assert len(banyak) == len(sedikit)
    assert len(banyak) <= 12


def test_halaman_kedua_dibaca_dari_ujung_lain_tetap_berurutan(client, user_staf, kelurahan_a):
    """Pages past the middle are read with the ordering reversed (PaginatorDuaArah), NULLs included."""
    semua = [
        PPKSFactory(penduduk__kelurahan=kelurahan_a, terakhir_dikunjungi=_hari_lalu(i % 7) if i % 3 else None)
        for i in range(30)
    ]
    harapan = sorted(
        semua, key=lambda p: (p.terakhir_dikunjungi is not None, p.terakhir_dikunjungi or dt.date.min, p.pk)
    )
    client.force_login(user_staf)
    assert _daftar(client) + _daftar(client, page=2) == harapan


def test_halaman_basi_dan_filter_tak_sah_bukan_500(client, user_staf, kelurahan_a):
    ppks = PPKSFactory(penduduk__kelurahan=kelurahan_a)
    client.force_login(user_staf)
    for params in ({"page": "999"}, {"page": "last"}, {"jenis": "abc"}, {"psm": "99999"}, {"status": "hilang"}):
        assert _daftar(client, **params) == [ppks]


# --- detail ---


def test_detail_menampilkan_pendaftaran_orang_kasus_dan_riwayat(client, user_staf, psm_a, penduduk_a, kelurahan_a):
    psm_a.telepon = "081200001111"
    psm_a.save()
    ppks = PPKSFactory(
        penduduk=penduduk_a, psm_pendamping=psm_a, kebutuhan=["pangan", "alat_bantu"], kebutuhan_lain="Kursi roda"
    )
    lain = PPKSFactory(penduduk=penduduk_a, jenis=jenis_ppks("PD"))
    kasus = KasusFactory(penduduk=penduduk_a, kelurahan=kelurahan_a, ringkasan="Rumah bocor saat hujan")
    ppks.kebutuhan = ["pangan"]
    ppks_simpan(ppks=ppks, oleh=user_staf)
    client.force_login(user_staf)
    resp = client.get(ppks.get_absolute_url())
    html = resp.content.decode()
    assert resp.context["penduduk"] == penduduk_a
    assert penduduk_a.nik in html and penduduk_a.get_absolute_url() in html
    assert penduduk_a.keluarga.get_absolute_url() in html
    assert "Pangan/sembako" in html and "Kursi roda" in html
    assert "081200001111" in html
    assert list(resp.context["ppks_lain"]) == [lain]
    assert reverse("ppks:kasus-detail", args=[kasus.pk]) in html and "Rumah bocor saat hujan" in html
    assert f"{reverse('ppks:kasus-create')}?penduduk={penduduk_a.pk}" in html
    assert reverse("ppks:update", args=[ppks.pk]) in html
    # History names the needs by their labels, not as a Python list.
    assert "Alat bantu disabilitas" in html and "['pangan'" not in html


def test_detail_pimpinan_tanpa_tombol_ubah_dan_lapor(client, user_pimpinan, penduduk_a):
    ppks = PPKSFactory(penduduk=penduduk_a)
    client.force_login(user_pimpinan)
    html = client.get(ppks.get_absolute_url()).content.decode()
    assert reverse("ppks:update", args=[ppks.pk]) not in html
    assert reverse("ppks:kasus-create") not in html


# --- form ---


def test_psm_mendaftarkan_ppks_dengan_dirinya_sebagai_pendamping(client, psm_a, penduduk_a):
    client.force_login(psm_a)
    resp = client.get(_url_baru(penduduk_a))
    assert resp.context["form"]["psm_pendamping"].value() == psm_a.pk
    resp = client.post(
        _url_baru(penduduk_a),
        _data(psm_pendamping=psm_a.pk, kebutuhan=["adminduk", "pangan"], terakhir_dikunjungi="02/03/2025"),
    )
    ppks = PPKS.objects.get()
    assert resp.status_code == 302 and resp["Location"] == ppks.get_absolute_url()
    assert ppks.penduduk == penduduk_a and ppks.psm_pendamping == psm_a
    assert ppks.kebutuhan == ["pangan", "adminduk"]  # stored as a list, in the code list's order
    assert ppks.terakhir_dikunjungi == dt.date(2025, 3, 2) and ppks.terdata_pada == dt.date(2025, 3, 1)
    assert ppks.history.get().history_user == psm_a


def test_staf_mendaftarkan_warga_kelurahan_mana_pun(client, user_staf, psm_b, penduduk_b):
    client.force_login(user_staf)
    resp = client.post(_url_baru(penduduk_b), _data("PD", psm_pendamping=psm_b.pk))
    assert resp.status_code == 302
    assert PPKS.objects.get().psm_pendamping == psm_b


def test_pilihan_pendamping_hanya_psm_aktif_kelurahan_orang_itu(
    client, user_staf, psm_a, psm_b, penduduk_a, kelurahan_a
):
    UserFactory(username="psm.nonaktif", peran="psm", kelurahan=[kelurahan_a], is_active=False)
    client.force_login(user_staf)
    pilihan = client.get(_url_baru(penduduk_a)).context["form"].fields["psm_pendamping"].queryset
    assert list(pilihan) == [psm_a]


def test_ganda_aktif_ditolak_dengan_pesan_jelas(client, user_staf, penduduk_a):
    lama = PPKSFactory(penduduk=penduduk_a)
    client.force_login(user_staf)
    resp = client.post(_url_baru(penduduk_a), _data())
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "sudah terdaftar aktif sebagai PPKS jenis ini" in html
    assert lama.get_absolute_url() in html
    assert PPKS.objects.count() == 1
    # The service refuses it too (the model's constraint, through full_clean).
    with pytest.raises(ValidationError, match="sudah terdaftar aktif"):
        ppks_simpan(ppks=PPKS(penduduk=penduduk_a, jenis=lama.jenis), oleh=user_staf)


def test_jenis_sama_boleh_lagi_setelah_bukan_ppks(client, user_staf, penduduk_a):
    PPKSFactory(penduduk=penduduk_a, status="bukan_ppks", tanggal_selesai=_hari_lalu(30), alasan_selesai="Mandiri")
    client.force_login(user_staf)
    assert client.post(_url_baru(penduduk_a), _data()).status_code == 302
    assert PPKS.objects.count() == 2


def test_bukan_ppks_butuh_tanggal_dan_alasan(client, user_staf, penduduk_a):
    ppks = PPKSFactory(penduduk=penduduk_a)
    url = reverse("ppks:update", args=[ppks.pk])
    client.force_login(user_staf)
    resp = client.post(url, _data(status="bukan_ppks"))
    assert resp.status_code == 200
    galat = resp.context["form"].errors
    assert "Isi tanggal sejak kapan bukan PPKS lagi." in galat["tanggal_selesai"]
    assert "Isi alasan mengapa bukan PPKS lagi." in galat["alasan_selesai"]
    ppks.refresh_from_db()
    assert ppks.status == "aktif"
    kemarin = _hari_lalu(1)
    resp = client.post(
        url, _data(status="bukan_ppks", tanggal_selesai=kemarin.strftime("%d/%m/%Y"), alasan_selesai="Meninggal")
    )
    assert resp.status_code == 302
    ppks.refresh_from_db()
    assert (ppks.status, ppks.tanggal_selesai, ppks.alasan_selesai) == ("bukan_ppks", kemarin, "Meninggal")
    assert ppks.history.first().history_user == user_staf


@pytest.mark.parametrize(
    ("ubah", "field", "pesan"),
    [
        ({"terakhir_dikunjungi": "01/01/2999"}, "terakhir_dikunjungi", "masa depan"),
        ({"terdata_pada": "31/02/2025"}, "terdata_pada", "tanggal yang valid"),
        ({"kebutuhan": ["emas"]}, "kebutuhan", "pilihan yang valid"),
        ({"jenis": 999999}, "jenis", "pilihan yang valid"),
        ({"status": "hilang"}, "status", "pilihan yang valid"),
    ],
)
def test_masukan_buruk_dapat_pesan_jelas_bukan_500(client, user_staf, penduduk_a, ubah, field, pesan):
    client.force_login(user_staf)
    resp = client.post(_url_baru(penduduk_a), {**_data(), **ubah})
    assert resp.status_code == 200
    assert pesan in " ".join(resp.context["form"].errors[field]).lower()
    assert not PPKS.objects.exists()


def test_pilih_penduduk_dengan_nik_atau_nama_di_wilayah_sendiri(client, psm_a, penduduk_a, penduduk_b):
    client.force_login(psm_a)
    resp = client.get(reverse("ppks:create"), {"cari": penduduk_a.nik})
    assert resp.context["hasil"] == [penduduk_a]
    assert _url_baru(penduduk_a) in resp.content.decode()
    assert client.get(reverse("ppks:create"), {"cari": "siti"}).context["hasil"] == [penduduk_a]
    # Someone outside the area is "not found in your area", never a link.
    resp = client.get(reverse("ppks:create"), {"cari": penduduk_b.nik})
    assert resp.context["hasil"] == []
    html = resp.content.decode()
    assert "Tidak ada penduduk dengan NIK atau nama itu di wilayah Anda." in html
    assert _url_baru(penduduk_b) not in html
    # A POST without a person only shows the picker again.
    assert client.post(reverse("ppks:create"), _data()).status_code == 200
    assert not PPKS.objects.exists()


def test_ubah_tidak_bisa_memindahkan_ke_orang_lain(client, user_staf, penduduk_a):
    ppks = PPKSFactory(penduduk=penduduk_a)
    lain = PendudukFactory(kelurahan=penduduk_a.kelurahan)
    client.force_login(user_staf)
    resp = client.post(reverse("ppks:update", args=[ppks.pk]), {**_data(status="tertangani"), "penduduk": lain.pk})
    assert resp.status_code == 302
    ppks.refresh_from_db()
    assert (ppks.penduduk, ppks.status) == (penduduk_a, "tertangani")
