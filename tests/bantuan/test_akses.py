"""Access matrix over every bantuan URL and role, tampered ids, and the receipt photo's scope.

Pimpinan views distributions and flags, never writes (403); a PSM sees and confirms distributions of
their kelurahan (another kelurahan: 404), never records them and never sees flags (403); anonymous
users go to login.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from bantuan import services
from bantuan.models import Bendera, Konfirmasi, Penyaluran
from tests.psm import berikrar

pytestmark = pytest.mark.django_db

PERAN = ["admin", "staf", "pimpinan", "psm_a", "psm_b"]


def _harapan(**lain) -> dict:
    hasil = dict.fromkeys(PERAN, 200)
    hasil.update(lain)
    return hasil


TULIS = {"pimpinan": 403, "psm_a": 403, "psm_b": 403}
TANPA_PSM = {"psm_a": 403, "psm_b": 403}

MATRIX = [
    ("bantuan:penyaluran-list", None, _harapan()),
    ("bantuan:penyaluran-detail", "penyaluran", _harapan(psm_b=404)),
    ("bantuan:penyaluran-create", None, _harapan(**TULIS)),
    ("bantuan:penyaluran-create", "?keluarga", _harapan(**TULIS)),
    ("bantuan:penyaluran-create", "?penduduk", _harapan(**TULIS)),
    ("bantuan:penyaluran-update", "penyaluran", _harapan(**TULIS)),
    ("bantuan:penyaluran-massal", None, _harapan(**TULIS)),
    ("bantuan:menunggu", None, _harapan()),
    ("bantuan:konfirmasi", "penyaluran", _harapan(pimpinan=403, psm_b=404)),
    ("bantuan:konfirmasi-foto", "terkonfirmasi", _harapan(psm_b=404)),
    ("bantuan:bendera-list", None, _harapan(**TANPA_PSM)),
    ("bantuan:bendera-detail", "bendera", _harapan(**TANPA_PSM)),
    # POST only: the role is refused first (403), an allowed role gets 405 on GET
    ("bantuan:bendera-selesaikan", "bendera", _harapan(admin=405, staf=405, **TULIS)),
]


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (6, 6), (10, 120, 40)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def objek(penyaluran_a, keluarga_a, penduduk_a, psm_a, user_staf):
    berikrar(psm_a)
    terkonfirmasi = Penyaluran.objects.create(
        program=penyaluran_a.program,
        keluarga=keluarga_a,
        kelurahan=keluarga_a.kelurahan,
        periode=penyaluran_a.periode.replace(month=4),
        nilai=600_000,
        tanggal=penyaluran_a.tanggal,
        saluran="ewarong",
        status="disalurkan",
        dibuat_oleh=user_staf,
    )
    services.konfirmasi_catat(
        konfirmasi=Konfirmasi(
            penyaluran=terkonfirmasi,
            nilai_diterima=500_000,
            tanggal_terima=terkonfirmasi.tanggal,
            nama_pengonfirmasi="Bujang Sutan",
            foto_bukti=SimpleUploadedFile("bukti.png", _png(), "image/png"),
        ),
        oleh=user_staf,
    )
    return {
        "penyaluran": penyaluran_a,
        "terkonfirmasi": terkonfirmasi,
        "bendera": Bendera.objects.get(penyaluran=terkonfirmasi),
        "?keluarga": keluarga_a,
        "?penduduk": penduduk_a,
    }


def _url(nama, jenis, objek):
    if jenis is None:
        return reverse(nama)
    if jenis.startswith("?"):
        return f"{reverse(nama)}{jenis}={objek[jenis].pk}"
    return reverse(nama, args=[objek[jenis].pk])


@pytest.mark.parametrize(("nama", "jenis", "harapan"), MATRIX)
@pytest.mark.parametrize("peran", PERAN)
def test_matrix_akses(client, cast, objek, nama, jenis, harapan, peran):
    berikrar(cast["psm_b"])
    client.force_login(cast[peran])
    assert client.get(_url(nama, jenis, objek)).status_code == harapan[peran]


@pytest.mark.parametrize(("nama", "jenis", "harapan"), MATRIX)
def test_anonim_diarahkan_ke_login(client, objek, nama, jenis, harapan):
    resp = client.get(_url(nama, jenis, objek))
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("login"))


def test_setiap_url_bantuan_ada_di_matrix():
    from bantuan.urls import urlpatterns

    assert {f"bantuan:{p.name}" for p in urlpatterns} == {m[0] for m in MATRIX}


def test_foto_bukti_dilayani_dari_penyimpanan_privat(client, objek, user_staf):
    client.force_login(user_staf)
    resp = client.get(_url("bantuan:konfirmasi-foto", "terkonfirmasi", objek))
    assert resp["Content-Type"] == "image/png"
    assert resp["Cache-Control"] == "private, no-store"
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert b"".join(resp.streaming_content) == _png()
    # A distribution without a photo, or no confirmation: 404.
    assert client.get(_url("bantuan:konfirmasi-foto", "penyaluran", objek)).status_code == 404


def test_psm_konfirmasi_kelurahan_lain_404_tanpa_menulis(client, psm_b, objek):
    berikrar(psm_b)
    client.force_login(psm_b)
    url = _url("bantuan:konfirmasi", "penyaluran", objek)
    resp = client.post(url, {"nilai_diterima": "600.000", "tanggal_terima": "12/02/2025", "nama_pengonfirmasi": "X"})
    assert resp.status_code == 404
    assert not Konfirmasi.objects.filter(penyaluran=objek["penyaluran"]).exists()


def test_pimpinan_dan_psm_tidak_menulis(client, cast, objek):
    b = objek["bendera"]
    for peran in ("pimpinan", "psm_a"):
        client.force_login(cast[peran])
        assert client.post(reverse("bantuan:bendera-selesaikan", args=[b.pk]), {"catatan": "x"}).status_code == 403
        assert client.post(reverse("bantuan:penyaluran-update", args=[objek["penyaluran"].pk]), {}).status_code == 403
    client.force_login(cast["pimpinan"])
    resp = client.post(reverse("bantuan:konfirmasi", args=[objek["penyaluran"].pk]), {"nilai_diterima": "1"})
    assert resp.status_code == 403
    b.refresh_from_db()
    assert b.diselesaikan_pada is None
    assert not Konfirmasi.objects.filter(penyaluran=objek["penyaluran"]).exists()


@pytest.mark.parametrize("nilai", ["abc", "²", "99999999999999999999999", "-1", ""])
def test_id_rusak_di_query_string_404(client, user_staf, objek, nilai):
    client.force_login(user_staf)
    assert client.get(f"{reverse('bantuan:penyaluran-create')}?keluarga={nilai}").status_code == 404
    assert client.get(f"{reverse('bantuan:penyaluran-list')}?pendamping={nilai}").status_code == 200


def test_psm_tidak_melihat_bendera_di_halaman_penyaluran(client, psm_a, user_staf, objek):
    url = reverse("bantuan:penyaluran-detail", args=[objek["terkonfirmasi"].pk])
    client.force_login(psm_a)
    resp = client.get(url)
    assert resp.context["bendera"] is None
    assert "Bendera integritas" not in resp.content.decode()
    client.force_login(user_staf)
    resp = client.get(url)
    assert [b.pk for b in resp.context["bendera"]] == [objek["bendera"].pk]


def test_bendera_tidak_dihapus_di_admin(client, user_admin, objek):
    client.force_login(user_admin)
    b = objek["bendera"]
    assert client.get(reverse("admin:bantuan_bendera_delete", args=[b.pk])).status_code == 403
    assert client.post(reverse("admin:bantuan_bendera_delete", args=[b.pk]), {"post": "yes"}).status_code == 403
    assert Bendera.objects.filter(pk=b.pk).exists()
