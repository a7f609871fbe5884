"""Access to the PPKS registry pages: the matrix over every view and role, forged requests, and the
sensitive-jenis rule (Pimpinan never sees a sensitive jenis beside a name)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ppks.models import PPKS
from ppks.services import ppks_simpan
from tests.factories import KasusFactory, PPKSFactory, jenis_ppks

pytestmark = pytest.mark.django_db

SEMUA = ["admin", "staf", "pimpinan", "psm_a"]
PENULIS = ["admin", "staf", "psm_a"]
ODHA = "Orang dengan HIV/AIDS"


@pytest.fixture
def ppks_a(penduduk_a, psm_a):
    return PPKSFactory(penduduk=penduduk_a, jenis=jenis_ppks("LUT"), psm_pendamping=psm_a)


@pytest.fixture
def ppks_odha(penduduk_a):
    return PPKSFactory(penduduk=penduduk_a, jenis=jenis_ppks("ODHA"), kebutuhan=["layanan_kesehatan"])


def _url(nama, ppks=None, penduduk=None):
    if penduduk is not None:
        return f"{reverse(nama)}?penduduk={penduduk.pk}"
    return reverse(nama, args=[ppks.pk]) if ppks is not None else reverse(nama)


# (url name, object: "ppks" in the path or "penduduk" in the query string, roles allowed)
MATRIX = [
    ("ppks:list", None, SEMUA + ["psm_b"]),
    ("ppks:create", None, PENULIS + ["psm_b"]),  # the person picker
    ("ppks:create", "penduduk", PENULIS),
    ("ppks:detail", "ppks", SEMUA),
    ("ppks:update", "ppks", PENULIS),
]


@pytest.fixture
def url_dari(ppks_a, penduduk_a):
    def _buat(nama, jenis):
        return _url(
            nama, ppks=ppks_a if jenis == "ppks" else None, penduduk=penduduk_a if jenis == "penduduk" else None
        )

    return _buat


@pytest.mark.parametrize(("nama", "jenis", "boleh"), MATRIX)
@pytest.mark.parametrize("peran", ["admin", "staf", "pimpinan", "psm_a", "psm_b"])
def test_matrix_akses_ppks(client, cast, url_dari, nama, jenis, boleh, peran):
    client.force_login(cast[peran])
    resp = client.get(url_dari(nama, jenis))
    if peran in boleh:
        assert resp.status_code == 200
    elif peran == "psm_b":
        assert resp.status_code == 404  # out of area: the record does not exist for them
    else:
        assert resp.status_code == 403


@pytest.mark.parametrize(("nama", "jenis", "boleh"), MATRIX)
def test_anonim_diarahkan_ke_login(client, url_dari, nama, jenis, boleh):
    resp = client.get(url_dari(nama, jenis))
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("login"))


def _data(jenis="LUT", **ubah) -> dict:
    data = {
        "jenis": jenis_ppks(jenis).pk, "status": "aktif", "tanggal_selesai": "", "alasan_selesai": "",
        "kebutuhan": ["pangan"], "kebutuhan_lain": "", "sumber": "psm", "psm_pendamping": "",
        "terakhir_dikunjungi": "", "terdata_pada": "01/03/2025", "catatan": "",
    }  # fmt: skip
    data.update(ubah)
    return data


def test_pimpinan_403_dan_psm_lain_404_pada_post(client, cast, ppks_a, penduduk_a):
    sebelum = (PPKS.objects.count(), ppks_a.history.count())
    for peran, status in (("pimpinan", 403), ("psm_b", 404)):
        client.force_login(cast[peran])
        assert client.post(_url("ppks:update", ppks=ppks_a), _data(status="tertangani")).status_code == status
        assert client.post(_url("ppks:create", penduduk=penduduk_a), _data("PD")).status_code == status
    ppks_a.refresh_from_db()
    assert ppks_a.status == "aktif"
    assert (PPKS.objects.count(), ppks_a.history.count()) == sebelum


def test_post_penduduk_kelurahan_lain_ditolak_404(client, psm_a, penduduk_b):
    client.force_login(psm_a)
    resp = client.post(_url("ppks:create", penduduk=penduduk_b), _data())
    assert resp.status_code == 404
    assert not PPKS.objects.exists()


@pytest.mark.parametrize("nilai", ["abc", "²", "99999999999999999999999", "-1"])
def test_id_penduduk_tak_sah_404(client, user_staf, nilai):
    client.force_login(user_staf)
    assert client.get(f"{reverse('ppks:create')}?penduduk={nilai}").status_code == 404


def test_post_psm_pendamping_kelurahan_lain_ditolak(client, user_staf, psm_a, psm_b, penduduk_a):
    client.force_login(user_staf)
    resp = client.post(_url("ppks:create", penduduk=penduduk_a), _data(psm_pendamping=psm_b.pk))
    assert resp.status_code == 200
    assert "psm_pendamping" in resp.context["form"].errors
    assert not PPKS.objects.exists()
    # The service refuses it too, whatever a form lets through.
    with pytest.raises(ValidationError, match="PSM yang bertugas"):
        ppks_simpan(ppks=PPKS(penduduk=penduduk_a, jenis=jenis_ppks("LUT"), psm_pendamping=psm_b), oleh=user_staf)


def test_psm_lain_tidak_melihat_ppks_a_di_daftar_dan_halaman_penduduk(client, psm_b, ppks_a, penduduk_a, kelurahan_a):
    client.force_login(psm_b)
    for params in (
        {},
        {"q": penduduk_a.nama},
        {"q": penduduk_a.nik},
        {"kelurahan": kelurahan_a.pk},
        {"status": "semua"},
    ):
        resp = client.get(reverse("ppks:list"), params)
        assert list(resp.context["daftar"]) == []
        assert resp.context["jumlah_jenis"] == []
        assert reverse("ppks:detail", args=[ppks_a.pk]) not in resp.content.decode()
    assert client.get(_url("ppks:detail", ppks=ppks_a)).status_code == 404


# --- the sensitive-jenis rule ---


def test_pimpinan_tidak_melihat_jenis_sensitif_di_samping_nama(client, user_pimpinan, user_staf, ppks_a, ppks_odha):
    penduduk = ppks_a.penduduk
    client.force_login(user_pimpinan)
    daftar = client.get(reverse("ppks:list"))
    assert list(daftar.context["daftar"]) == [ppks_a]
    assert client.get(_url("ppks:detail", ppks=ppks_odha)).status_code == 404
    assert client.get(_url("ppks:update", ppks=ppks_odha)).status_code == 403
    halaman = [
        client.get(_url("ppks:detail", ppks=ppks_a)).content.decode(),
        client.get(penduduk.get_absolute_url()).content.decode(),
    ]
    for html in halaman:
        assert penduduk.nama in html
        assert ODHA not in html and reverse("ppks:detail", args=[ppks_odha.pk]) not in html
    # Staf sees both, on the same pages.
    client.force_login(user_staf)
    assert set(client.get(reverse("ppks:list")).context["daftar"]) == {ppks_a, ppks_odha}
    assert ODHA in client.get(_url("ppks:detail", ppks=ppks_a)).content.decode()
    assert ODHA in client.get(penduduk.get_absolute_url()).content.decode()


def test_pimpinan_jumlah_jenis_sensitif_hanya_angka_bukan_filter(client, user_pimpinan, ppks_a, ppks_odha):
    odha = jenis_ppks("ODHA")
    client.force_login(user_pimpinan)
    resp = client.get(reverse("ppks:list"))
    jumlah = {j.jenis.singkatan: j for j in resp.context["jumlah_jenis"]}
    assert jumlah["ODHA"].jumlah == 1 and jumlah["ODHA"].url is None
    assert jumlah["LUT"].jumlah == 1 and "jenis=" in jumlah["LUT"].url
    assert f"jenis={odha.pk}" not in resp.content.decode()
    assert odha not in resp.context["filter_form"].fields["jenis"].queryset
    # A forged ?jenis= of a sensitive jenis is no filter: the list stays without sensitive rows.
    resp = client.get(reverse("ppks:list"), {"jenis": odha.pk})
    assert list(resp.context["daftar"]) == [ppks_a]
    assert ppks_a.penduduk.nama in resp.content.decode()


def test_pimpinan_mencari_nama_tidak_mendapat_jumlah_jenis_sensitif(client, user_pimpinan, ppks_a, ppks_odha):
    """A count beside a searched name would tell that person's jenis."""
    client.force_login(user_pimpinan)
    resp = client.get(reverse("ppks:list"), {"q": "siti rahmah"})
    assert [j.jenis.singkatan for j in resp.context["jumlah_jenis"]] == ["LUT"]
    assert ODHA not in resp.content.decode()


def test_riwayat_jenis_sensitif_disembunyikan_untuk_pimpinan(client, user_staf, user_pimpinan, ppks_odha):
    ppks_odha.jenis = jenis_ppks("FM")
    ppks_simpan(ppks=ppks_odha, oleh=user_staf)
    client.force_login(user_pimpinan)
    html = client.get(_url("ppks:detail", ppks=ppks_odha)).content.decode()
    assert "Fakir Miskin" in html
    assert ODHA not in html
    assert "(jenis sensitif)" in html
    client.force_login(user_staf)
    assert ODHA in client.get(_url("ppks:detail", ppks=ppks_odha)).content.decode()


def test_kasus_jenis_sensitif_tidak_tampil_untuk_pimpinan(client, user_pimpinan, user_staf, ppks_a, kelurahan_a):
    biasa = KasusFactory(penduduk=ppks_a.penduduk, kelurahan=kelurahan_a, ringkasan="Lansia sendirian")
    rahasia = KasusFactory(
        penduduk=ppks_a.penduduk, kelurahan=kelurahan_a, jenis=jenis_ppks("ODHA"), ringkasan="Butuh ARV"
    )
    client.force_login(user_pimpinan)
    resp = client.get(_url("ppks:detail", ppks=ppks_a))
    # No case is listed beside a named person for Pimpinan (a summary says what happened).
    assert list(resp.context["kasus"]) == []
    assert "Butuh ARV" not in resp.content.decode() and "Lansia sendirian" not in resp.content.decode()
    client.force_login(user_staf)
    assert set(client.get(_url("ppks:detail", ppks=ppks_a)).context["kasus"]) == {biasa, rahasia}


def test_nik_dan_tanggal_lahir_disamarkan_untuk_pimpinan(client, user_pimpinan, ppks_a):
    orang = ppks_a.penduduk
    client.force_login(user_pimpinan)
    for url in (reverse("ppks:list"), _url("ppks:detail", ppks=ppks_a)):
        html = client.get(url).content.decode()
        assert orang.nik not in html and f"••{orang.nik[-4:]}" not in html
        assert orang.tanggal_lahir.strftime("%d/%m/%Y") not in html
        assert f"{orang.umur} tahun" in html
    resp = client.get(reverse("ppks:list"), {"q": orang.nik})
    assert list(resp.context["daftar"]) == []
    assert "pencarian dengan nomor tidak tersedia" in resp.content.decode()


def test_kartu_ppks_di_halaman_penduduk(client, cast, ppks_a):
    orang = ppks_a.penduduk
    tautan = f"{reverse('ppks:create')}?penduduk={orang.pk}"
    for peran, boleh_daftar in (("staf", True), ("psm_a", True), ("pimpinan", False)):
        client.force_login(cast[peran])
        html = client.get(orang.get_absolute_url()).content.decode()
        assert reverse("ppks:detail", args=[ppks_a.pk]) in html
        assert "Lanjut Usia Telantar" in html
        assert (tautan in html) is boleh_daftar
