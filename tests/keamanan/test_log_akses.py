"""The access log of personal data (UU PDP 27/2022, issue 13 point 2): ``akun.akses`` and ``LogAkses``.

Every page that shows a full NIK or sensitive data writes who/when/what (one INSERT per request,
whatever the rows); Pimpinan's masked pages of non-sensitive data write nothing; exports are logged
once; private files are served only through scoped views, and the visit photo download is logged.
Staff read a person's log (``penduduk:akses``); PSM and Pimpinan get 403. The log is append-only.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from akun.akses import Aksi
from akun.models import LogAkses
from tests.factories import (
    KasusFactory,
    KeluargaFactory,
    KunjunganFactory,
    PendudukFactory,
    PPKSFactory,
    jenis_ppks,
)
from tests.psm import berikrar

pytestmark = pytest.mark.django_db


def _log(**filter) -> list[tuple]:
    """The log rows as (username, aksi, penduduk_id, jenis_objek, objek_id, nama_url), oldest first."""
    return list(
        LogAkses.objects.filter(**filter)
        .order_by("id")
        .values_list("nama_pengguna", "aksi", "penduduk_id", "jenis_objek", "objek_id", "nama_url")
    )


def _insert_log(ctx) -> int:
    """INSERT statements into the log table among the captured queries."""
    tabel = LogAkses._meta.db_table
    return sum(1 for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("INSERT") and tabel in q["sql"])


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (6, 6), (200, 10, 10)).save(buf, format="PNG")
    return buf.getvalue()


# --- person detail ----------------------------------------------------------------------------


@pytest.mark.parametrize("peran", ["user_staf", "user_admin", "psm_a"])
def test_detail_penduduk_mencatat_lihat_nik(client, request, penduduk_a, peran):
    user = request.getfixturevalue(peran)
    berikrar(user)
    client.force_login(user)
    resp = client.get(reverse("penduduk:detail", args=[penduduk_a.pk]), REMOTE_ADDR="10.1.2.3")
    assert resp.status_code == 200
    assert penduduk_a.nik in resp.content.decode()  # the full NIK really is on the page
    assert _log() == [(user.username, Aksi.LIHAT_NIK, penduduk_a.pk, "", None, "penduduk:detail")]
    log = LogAkses.objects.get()
    assert (log.user_id, log.peran, log.alamat_ip) == (user.pk, user.peran_efektif, "10.1.2.3")


def test_detail_penduduk_disabilitas_dicatat_sebagai_sensitif(client, user_staf, penduduk_a):
    penduduk_a.disabilitas = "mental"
    penduduk_a.save()
    client.force_login(user_staf)
    client.get(reverse("penduduk:detail", args=[penduduk_a.pk]))
    assert _log() == [("staf", Aksi.LIHAT_SENSITIF, penduduk_a.pk, "", None, "penduduk:detail")]


def test_detail_penduduk_ppks_sensitif_dicatat_sebagai_sensitif(client, user_staf, penduduk_a):
    PPKSFactory(penduduk=penduduk_a, jenis=jenis_ppks("ODHA"))
    client.force_login(user_staf)
    client.get(reverse("penduduk:detail", args=[penduduk_a.pk]))
    assert _log() == [("staf", Aksi.LIHAT_SENSITIF, penduduk_a.pk, "", None, "penduduk:detail")]


def test_pimpinan_halaman_tersamar_tidak_dicatat(client, user_pimpinan, penduduk_a):
    PPKSFactory(penduduk=penduduk_a, jenis=jenis_ppks("LUT"))
    client.force_login(user_pimpinan)
    resp = client.get(reverse("penduduk:detail", args=[penduduk_a.pk]))
    assert resp.status_code == 200 and penduduk_a.nik not in resp.content.decode()
    assert client.get(reverse("penduduk:list")).status_code == 200
    assert client.get(reverse("penduduk:keluarga-detail", args=[penduduk_a.keluarga_id])).status_code == 200
    assert client.get(reverse("ppks:list")).status_code == 200
    assert LogAkses.objects.count() == 0


def test_pimpinan_melihat_disabilitas_dicatat(client, user_pimpinan, penduduk_a):
    """Pimpinan sees the NIK masked, but a disability is shown whole: that view is logged."""
    penduduk_a.disabilitas = "fisik"
    penduduk_a.save()
    client.force_login(user_pimpinan)
    client.get(reverse("penduduk:detail", args=[penduduk_a.pk]))
    assert _log() == [("pimpinan", Aksi.LIHAT_SENSITIF, penduduk_a.pk, "", None, "penduduk:detail")]


def test_psm_wilayah_lain_404_tanpa_catatan(client, psm_b, penduduk_a):
    client.force_login(psm_b)
    assert client.get(reverse("penduduk:detail", args=[penduduk_a.pk])).status_code == 404
    assert LogAkses.objects.count() == 0


# --- household, PPKS and case pages -----------------------------------------------------------


def test_detail_keluarga_mencatat_nik_anggota_dalam_satu_insert(client, user_staf, keluarga_a, penduduk_a):
    tanpa_nik = PendudukFactory(keluarga=keluarga_a, kelurahan=keluarga_a.kelurahan, nik=None, hubungan="anak")
    client.force_login(user_staf)
    client.get(reverse("penduduk:keluarga-detail", args=[keluarga_a.pk]))  # warm-up (session)
    awal = LogAkses.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("penduduk:keluarga-detail", args=[keluarga_a.pk])).status_code == 200
    assert _insert_log(ctx) == 1
    baru = _log()[awal:]
    dengan_nik = set(keluarga_a.anggota.exclude(nik=None).values_list("pk", flat=True))
    assert {b[2] for b in baru} == dengan_nik and tanpa_nik.pk not in dengan_nik and len(dengan_nik) == 2
    assert {(b[1], b[3], b[4], b[5]) for b in baru} == {
        (Aksi.LIHAT_NIK, "penduduk.keluarga", keluarga_a.pk, "penduduk:keluarga-detail")
    }


def test_detail_keluarga_tanpa_anggota_ber_nik_tetap_dicatat(client, user_staf, kelurahan_a):
    keluarga = KeluargaFactory(kelurahan=kelurahan_a)  # the No KK alone is shown whole
    client.force_login(user_staf)
    client.get(reverse("penduduk:keluarga-detail", args=[keluarga.pk]))
    assert _log() == [("staf", Aksi.LIHAT_NIK, None, "penduduk.keluarga", keluarga.pk, "penduduk:keluarga-detail")]


@pytest.mark.parametrize(("jenis", "aksi"), [("LUT", Aksi.LIHAT_NIK), ("ODHA", Aksi.LIHAT_SENSITIF)])
def test_detail_ppks(client, user_staf, penduduk_a, jenis, aksi):
    ppks = PPKSFactory(penduduk=penduduk_a, jenis=jenis_ppks(jenis))
    client.force_login(user_staf)
    assert client.get(reverse("ppks:detail", args=[ppks.pk])).status_code == 200
    assert _log() == [("staf", aksi, penduduk_a.pk, "ppks.ppks", ppks.pk, "ppks:detail")]


def test_detail_ppks_pimpinan_tidak_dicatat(client, user_pimpinan, penduduk_a):
    ppks = PPKSFactory(penduduk=penduduk_a, jenis=jenis_ppks("LUT"))
    client.force_login(user_pimpinan)
    assert client.get(reverse("ppks:detail", args=[ppks.pk])).status_code == 200
    assert LogAkses.objects.count() == 0


@pytest.mark.parametrize(("jenis", "aksi"), [("AJ", Aksi.LIHAT_NIK), ("ABH", Aksi.LIHAT_SENSITIF)])
def test_detail_kasus(client, psm_a, penduduk_a, jenis, aksi):
    kasus = KasusFactory(penduduk=penduduk_a, kelurahan=penduduk_a.kelurahan, jenis=jenis_ppks(jenis))
    berikrar(psm_a)
    client.force_login(psm_a)
    assert client.get(reverse("ppks:kasus-detail", args=[kasus.pk])).status_code == 200
    assert _log() == [(psm_a.username, aksi, penduduk_a.pk, "ppks.kasus", kasus.pk, "ppks:kasus-detail")]


@pytest.mark.parametrize(("jenis", "aksi"), [("AJ", Aksi.LIHAT_NIK), ("ABH", Aksi.LIHAT_SENSITIF)])
def test_form_ubah_kasus_mencatat_orang_yang_ditampilkan(client, user_staf, penduduk_a, jenis, aksi):
    """The case's edit form shows the linked person's NIK: logged like the case page."""
    kasus = KasusFactory(penduduk=penduduk_a, kelurahan=penduduk_a.kelurahan, jenis=jenis_ppks(jenis))
    client.force_login(user_staf)
    resp = client.get(reverse("ppks:kasus-update", args=[kasus.pk]))
    assert resp.status_code == 200 and penduduk_a.nik in resp.content.decode()
    assert _log() == [("staf", aksi, penduduk_a.pk, "ppks.kasus", kasus.pk, "ppks:kasus-update")]


def test_form_lapor_kasus_untuk_penduduk_dicatat(client, user_staf, penduduk_a):
    client.force_login(user_staf)
    resp = client.get(reverse("ppks:kasus-create"), {"penduduk": penduduk_a.pk})
    assert resp.status_code == 200 and penduduk_a.nik in resp.content.decode()
    assert _log() == [("staf", Aksi.LIHAT_NIK, penduduk_a.pk, "", None, "ppks:kasus-create")]


def test_detail_kasus_sensitif_tanpa_orang_dicatat_per_kasus(client, user_staf, kelurahan_a):
    kasus = KasusFactory(kelurahan=kelurahan_a, jenis=jenis_ppks("KTK"))
    client.force_login(user_staf)
    client.get(reverse("ppks:kasus-detail", args=[kasus.pk]))
    assert _log() == [("staf", Aksi.LIHAT_SENSITIF, None, "ppks.kasus", kasus.pk, "ppks:kasus-detail")]


def test_detail_kasus_pimpinan_tanpa_identitas_tidak_dicatat(client, user_pimpinan, penduduk_a):
    kasus = KasusFactory(penduduk=penduduk_a, kelurahan=penduduk_a.kelurahan, jenis=jenis_ppks("ABH"))
    client.force_login(user_pimpinan)
    assert client.get(reverse("ppks:kasus-detail", args=[kasus.pk])).status_code == 200
    assert LogAkses.objects.count() == 0


# --- list pages: the people on the page, one INSERT ------------------------------------------


@pytest.mark.parametrize("peran", ["user_staf", "psm_a"])
def test_daftar_penduduk_satu_insert_untuk_seluruh_halaman(client, request, kelurahan_a, peran):
    user = request.getfixturevalue(peran)
    client.force_login(user)

    def isi(n):
        return [PendudukFactory(kelurahan=kelurahan_a) for _ in range(n)]

    orang = isi(3)
    client.get(reverse("penduduk:list"))  # warm-up: the first request after login stamps the session
    with CaptureQueriesContext(connection) as sedikit:
        client.get(reverse("penduduk:list"))
    orang += isi(27)
    sebelum = LogAkses.objects.count()
    with CaptureQueriesContext(connection) as banyak:
        resp = client.get(reverse("penduduk:list"))
    assert _insert_log(sedikit) == _insert_log(banyak) == 1
    assert len(banyak) == len(sedikit)
    di_halaman = {p.pk for p in resp.context["daftar"]}
    assert len(di_halaman) == 25
    baru = _log()[sebelum:]
    assert {b[2] for b in baru} == di_halaman  # exactly the people shown, not the whole list
    assert {(b[0], b[1], b[5]) for b in baru} == {(user.username, Aksi.LIHAT_NIK, "penduduk:list")}


def test_daftar_ppks_sensitif_per_baris(client, user_staf, kelurahan_a):
    biasa = PPKSFactory(penduduk__kelurahan=kelurahan_a, jenis=jenis_ppks("LUT"))
    odha = PPKSFactory(penduduk__kelurahan=kelurahan_a, jenis=jenis_ppks("ODHA"))
    client.force_login(user_staf)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("ppks:list")).status_code == 200
    assert _insert_log(ctx) == 1
    assert {(b[1], b[2]) for b in _log()} == {
        (Aksi.LIHAT_NIK, biasa.penduduk_id),
        (Aksi.LIHAT_SENSITIF, odha.penduduk_id),
    }


def test_daftar_kosong_tidak_menulis(client, user_staf):
    client.force_login(user_staf)
    client.get(reverse("penduduk:list"))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("penduduk:list"), {"q": "tidak ada orang ini"}).status_code == 200
    assert _insert_log(ctx) == 0 and LogAkses.objects.count() == 0


# --- exports ----------------------------------------------------------------------------------


@pytest.mark.parametrize("peran", ["user_staf", "user_pimpinan"])
def test_ekspor_dicatat_sekali_dengan_filter_dan_jumlah(client, request, kelurahan_a, kelurahan_b, peran):
    user = request.getfixturevalue(peran)
    for _ in range(4):
        PendudukFactory(kelurahan=kelurahan_a)
    PendudukFactory(kelurahan=kelurahan_b)
    client.force_login(user)
    resp = client.get(reverse("penduduk:list"), {"kelurahan": kelurahan_a.pk, "unduh": "csv"})
    assert resp.status_code == 200
    b"".join(resp.streaming_content)
    assert _log() == [(user.username, Aksi.EKSPOR, None, "", None, "penduduk:list")]
    rincian = LogAkses.objects.get().rincian
    assert "format=csv" in rincian and "baris=4" in rincian and f"kelurahan={kelurahan_a.pk}" in rincian


def test_ekspor_ditolak_karena_batas_tidak_dicatat_sebagai_ekspor(client, user_staf, kelurahan_a, settings):
    settings.EKSPOR_MAKS_BARIS = 2
    for _ in range(3):
        PendudukFactory(kelurahan=kelurahan_a)
    client.force_login(user_staf)
    assert client.get(reverse("penduduk:list"), {"unduh": "xlsx"}).status_code == 302
    assert not LogAkses.objects.filter(aksi=Aksi.EKSPOR).exists()


# --- the person's log page (Admin and Staf) ---------------------------------------------------


def test_halaman_log_menampilkan_siapa_kapan_apa_terbaru_dulu(client, user_staf, user_admin, psm_a, penduduk_a):
    berikrar(psm_a)
    client.force_login(psm_a)
    client.get(reverse("penduduk:detail", args=[penduduk_a.pk]))
    client.force_login(user_admin)
    client.get(reverse("penduduk:detail", args=[penduduk_a.pk]))
    client.force_login(user_staf)
    resp = client.get(reverse("penduduk:akses", args=[penduduk_a.pk]))
    assert resp.status_code == 200
    assert [(log.nama_pengguna, log.aksi) for log in resp.context["daftar"]] == [
        ("admin", Aksi.LIHAT_NIK),
        (psm_a.username, Aksi.LIHAT_NIK),
    ]
    html = resp.content.decode()
    assert psm_a.username in html and "Melihat NIK lengkap" in html and "WIB" in html
    # The detail page links to it for Staf.
    assert reverse("penduduk:akses", args=[penduduk_a.pk]) in client.get(penduduk_a.get_absolute_url()).content.decode()


def test_halaman_log_hanya_orang_itu(client, user_staf, penduduk_a, penduduk_b):
    client.force_login(user_staf)
    client.get(reverse("penduduk:detail", args=[penduduk_b.pk]))
    resp = client.get(reverse("penduduk:akses", args=[penduduk_a.pk]))
    assert list(resp.context["daftar"]) == []


@pytest.mark.parametrize("peran", ["user_pimpinan", "psm_a"])
def test_halaman_log_403_untuk_psm_dan_pimpinan(client, request, penduduk_a, peran):
    user = request.getfixturevalue(peran)
    berikrar(user)
    client.force_login(user)
    assert client.get(reverse("penduduk:akses", args=[penduduk_a.pk])).status_code == 403
    # ... and their detail page carries no link to it.
    detail = client.get(penduduk_a.get_absolute_url()).content.decode()
    assert reverse("penduduk:akses", args=[penduduk_a.pk]) not in detail


def test_halaman_log_anonim_ke_login_dan_id_tak_ada_404(client, user_staf, penduduk_a):
    resp = client.get(reverse("penduduk:akses", args=[penduduk_a.pk]))
    assert resp.status_code == 302 and reverse("login") in resp["Location"]
    client.force_login(user_staf)
    assert client.get(reverse("penduduk:akses", args=[999_999])).status_code == 404


def test_halaman_log_jumlah_query_tetap_dan_berhalaman(client, user_staf, user_admin, penduduk_a):
    client.force_login(user_admin)

    def lihat(n):
        for _ in range(n):
            client.get(reverse("penduduk:detail", args=[penduduk_a.pk]))

    lihat(3)
    client.force_login(user_staf)
    url = reverse("penduduk:akses", args=[penduduk_a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as sedikit:
        client.get(url)
    lihat_lagi = 57
    client.force_login(user_admin)
    lihat(lihat_lagi)
    client.force_login(user_staf)
    client.get(url)
    with CaptureQueriesContext(connection) as banyak:
        resp = client.get(url)
    assert len(banyak) == len(sedikit)
    assert resp.context["paginator"].count == 60 and len(resp.context["daftar"]) == 50
    terakhir = client.get(url, {"page": 2}).context["daftar"]
    semua = list(resp.context["daftar"]) + list(terakhir)
    assert [log.pk for log in semua] == sorted((log.pk for log in semua), reverse=True)  # newest first, no gap
    assert len({log.pk for log in semua}) == 60


# --- append-only: the model and the back office -----------------------------------------------


def test_log_tidak_bisa_diubah_atau_dihapus_lewat_kode(client, user_staf, penduduk_a):
    client.force_login(user_staf)
    client.get(reverse("penduduk:detail", args=[penduduk_a.pk]))
    log = LogAkses.objects.get()
    log.rincian = "diubah"
    with pytest.raises(PermissionError):
        log.save()
    with pytest.raises(PermissionError):
        log.delete()
    with pytest.raises(PermissionError):
        LogAkses.objects.all().delete()
    with pytest.raises(PermissionError):
        LogAkses.objects.filter(pk=log.pk).update(rincian="diubah")
    assert LogAkses.objects.get().rincian == ""


def test_log_bertahan_saat_penduduk_dihapus(client, user_staf, kelurahan_a):
    orang = PendudukFactory(kelurahan=kelurahan_a)
    client.force_login(user_staf)
    client.get(reverse("penduduk:detail", args=[orang.pk]))
    pk = orang.pk
    orang.delete()
    assert _log() == [("staf", Aksi.LIHAT_NIK, pk, "", None, "penduduk:detail")]


def test_admin_hanya_baca_untuk_admin(client, user_admin, user_staf, penduduk_a):
    client.force_login(user_staf)
    client.get(reverse("penduduk:detail", args=[penduduk_a.pk]))
    log = LogAkses.objects.get()
    daftar = reverse("admin:akun_logakses_changelist")
    ubah = reverse("admin:akun_logakses_change", args=[log.pk])
    hapus = reverse("admin:akun_logakses_delete", args=[log.pk])
    # Staf is in the back office, but not in this log.
    assert client.get(daftar).status_code == 403
    client.force_login(user_admin)
    resp = client.get(daftar)
    assert resp.status_code == 200 and "staf" in resp.content.decode()
    assert "delete_selected" not in resp.content.decode()
    assert client.get(ubah).status_code == 200  # the read-only view
    assert client.post(ubah, {"rincian": "diubah"}).status_code == 403
    assert client.get(hapus).status_code == 403
    assert client.post(hapus, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:akun_logakses_add")).status_code == 403
    assert client.post(daftar, {"action": "delete_selected", "_selected_action": [log.pk]}).status_code in (200, 302)
    assert LogAkses.objects.filter(pk=log.pk, rincian="").exists()


# --- private files: outside MEDIA_ROOT and static, no public URL, scoped, logged --------------


def _di_bawah(path: Path, akar) -> bool:
    return Path(akar).resolve() in Path(path).resolve().parents


@pytest.fixture
def kunjungan_berfoto(penduduk_a, psm_a):
    k = KunjunganFactory(penduduk=penduduk_a, oleh=psm_a)
    k.foto.save("foto.png", ContentFile(_png()), save=True)
    return k


def _periksa_privat(client, berkas, admin) -> None:
    """The file sits under PRIVATE_MEDIA_ROOT, not under MEDIA_ROOT or any static folder, and
    nothing serves it at a URL of its own: not the one its storage would build (``base_url=None``
    falls back to MEDIA_URL in Django), not a guess under STATIC_URL, not even for an Admin."""
    path = Path(berkas.path)
    assert path.is_file()
    assert _di_bawah(path, settings.PRIVATE_MEDIA_ROOT)
    for publik in (settings.MEDIA_ROOT, settings.STATIC_ROOT, *settings.STATICFILES_DIRS):
        assert not _di_bawah(path, publik)
    client.force_login(admin)
    for url in (berkas.url, f"/{settings.MEDIA_URL.strip('/')}/{berkas.name}", f"/static/{berkas.name}"):
        resp = client.get(url)
        assert resp.status_code == 404, url
        assert _png() not in (b"".join(resp.streaming_content) if resp.streaming else resp.content)
    client.logout()


def test_foto_kunjungan_privat_terbatas_dan_dicatat(
    client, kunjungan_berfoto, psm_a, psm_b, user_staf, user_pimpinan, user_admin
):
    _periksa_privat(client, kunjungan_berfoto.foto, user_admin)
    url = reverse("psm:kunjungan-foto", args=[kunjungan_berfoto.pk])
    client.force_login(psm_b)
    assert client.get(url).status_code == 404  # out of area: not served, not logged
    assert LogAkses.objects.count() == 0
    for user in (psm_a, user_staf, user_pimpinan):
        client.force_login(user)
        resp = client.get(url)
        assert resp.status_code == 200 and b"".join(resp.streaming_content) == _png()
    assert _log() == [
        (u.username, Aksi.UNDUH_BERKAS, kunjungan_berfoto.penduduk_id, "psm.kunjungan", kunjungan_berfoto.pk,
         "psm:kunjungan-foto")
        for u in (psm_a, user_staf, user_pimpinan)
    ]  # fmt: skip
    client.logout()
    assert client.get(url).status_code == 302


def test_foto_kunjungan_rusak_tidak_dicatat(client, penduduk_a, psm_a, user_staf):
    k = KunjunganFactory(penduduk=penduduk_a, oleh=psm_a)
    k.foto.save("foto.png", ContentFile(b"<html>bukan gambar</html>"), save=True)
    client.force_login(user_staf)
    assert client.get(reverse("psm:kunjungan-foto", args=[k.pk])).status_code == 404
    assert LogAkses.objects.count() == 0


def test_foto_bukti_dan_lampiran_pengaduan_privat_dan_terbatas(
    client, kelurahan_a, keluarga_a, psm_a, psm_b, user_staf, user_admin
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bantuan import services
    from bantuan.models import Konfirmasi
    from tests.bantuan.factories import PenyaluranFactory
    from tests.pengaduan.factories import PengaduanFactory

    berikrar(psm_a)
    penyaluran = PenyaluranFactory(keluarga=keluarga_a, pendamping=psm_a)
    services.konfirmasi_catat(
        konfirmasi=Konfirmasi(
            penyaluran=penyaluran,
            nilai_diterima=penyaluran.nilai,
            tanggal_terima=penyaluran.tanggal,
            nama_pengonfirmasi="Bujang Sutan",
            foto_bukti=SimpleUploadedFile("bukti.png", _png(), "image/png"),
        ),
        oleh=psm_a,
    )
    konfirmasi = Konfirmasi.objects.get(penyaluran=penyaluran)
    pengaduan = PengaduanFactory(kelurahan=kelurahan_a)
    pengaduan.lampiran.save("bukti.png", ContentFile(_png()), save=True)
    _periksa_privat(client, konfirmasi.foto_bukti, user_admin)
    _periksa_privat(client, pengaduan.lampiran, user_admin)
    foto = reverse("bantuan:konfirmasi-foto", args=[penyaluran.pk])
    lampiran = reverse("pengaduan:lampiran", args=[pengaduan.pk])
    client.force_login(psm_b)
    assert client.get(foto).status_code == 404  # another kelurahan
    assert client.get(lampiran).status_code == 403  # a PSM never sees complaints
    client.force_login(user_staf)
    assert client.get(foto).status_code == 200
    assert client.get(lampiran).status_code == 200
    client.logout()
    assert client.get(foto).status_code == 302 and client.get(lampiran).status_code == 302


def test_admin_ekspor_log_dengan_id_yang_tersimpan(client, user_admin, user_staf, kelurahan_a):
    from akun.admin import LogAksesResource

    orang = PendudukFactory(kelurahan=kelurahan_a)
    client.force_login(user_staf)
    client.get(reverse("penduduk:detail", args=[orang.pk]))
    pk = orang.pk
    orang.delete()  # the log keeps the id of a person deleted since
    data = LogAksesResource(user=user_admin).export()
    assert data.headers[:7] == ["id", "waktu", "nama_pengguna", "peran", "user_id", "aksi", "penduduk_id"]
    assert [(r[2], r[4], r[5], r[6]) for r in data] == [("staf", str(user_staf.pk), "lihat_nik", str(pk))]
    url = reverse("admin:akun_logakses_export")
    assert client.get(url).status_code == 403  # Staf: no
    client.force_login(user_admin)
    assert client.get(url).status_code == 200


def test_alamat_klien_di_belakang_proxy(client, user_staf, penduduk_a, settings):
    """Behind nginx (TRUSTED_PROXY_COUNT=1) the row holds the client's address, not the proxy's; a
    value that is no IP address is stored as empty, never as text (the column is an inet on PostgreSQL)."""
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(user_staf)
    url = reverse("penduduk:detail", args=[penduduk_a.pk])
    client.get(url, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    settings.TRUSTED_PROXY_COUNT = 0
    client.get(url, REMOTE_ADDR="bukan-alamat")
    assert list(LogAkses.objects.order_by("id").values_list("alamat_ip", flat=True)) == ["203.0.113.9", None]


def test_foto_bukti_dicatat(client, keluarga_a, psm_a, user_staf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bantuan import services
    from bantuan.models import Konfirmasi
    from tests.bantuan.factories import PenyaluranFactory

    berikrar(psm_a)
    penyaluran = PenyaluranFactory(keluarga=keluarga_a, pendamping=psm_a)
    services.konfirmasi_catat(
        konfirmasi=Konfirmasi(
            penyaluran=penyaluran,
            nilai_diterima=penyaluran.nilai,
            tanggal_terima=penyaluran.tanggal,
            nama_pengonfirmasi="Bujang Sutan",
            foto_bukti=SimpleUploadedFile("b.png", _png(), "image/png"),
        ),
        oleh=psm_a,
    )
    konfirmasi = Konfirmasi.objects.get(penyaluran=penyaluran)
    client.force_login(user_staf)
    assert client.get(reverse("bantuan:konfirmasi-foto", args=[penyaluran.pk])).status_code == 200
    assert _log() == [("staf", Aksi.UNDUH_BERKAS, None, "bantuan.konfirmasi", konfirmasi.pk, "bantuan:konfirmasi-foto")]


def test_lampiran_pengaduan_dicatat(client, kelurahan_a, user_pimpinan):
    from tests.pengaduan.factories import PengaduanFactory

    pengaduan = PengaduanFactory(kelurahan=kelurahan_a)
    pengaduan.lampiran.save("bukti.png", ContentFile(_png()), save=True)
    client.force_login(user_pimpinan)
    assert client.get(reverse("pengaduan:lampiran", args=[pengaduan.pk])).status_code == 200
    assert _log() == [("pimpinan", Aksi.UNDUH_BERKAS, None, "pengaduan.pengaduan", pengaduan.pk, "pengaduan:lampiran")]


def test_detail_keluarga_miskin_ekstrem_dicatat(client, keluarga_a, penduduk_a, user_staf, user_pimpinan):
    from tests.factories import StatusMiskinEkstremFactory

    status = StatusMiskinEkstremFactory(keluarga=keluarga_a)
    url = reverse("kemiskinan:detail", args=[status.keluarga_id])
    client.force_login(user_pimpinan)
    assert client.get(url).status_code == 200
    assert _log() == []  # masked: nothing to log
    client.force_login(user_staf)
    assert client.get(url).status_code == 200
    anggota = set(keluarga_a.anggota.values_list("pk", flat=True))
    assert penduduk_a.pk in anggota
    assert sorted(_log()) == sorted(
        ("staf", Aksi.LIHAT_NIK, pk, "penduduk.keluarga", keluarga_a.pk, "kemiskinan:detail") for pk in anggota
    )


def test_back_office_penduduk_dicatat(client, user_staf, penduduk_a, penduduk_b):
    """The back office shows full NIKs too: its person list and change page are logged like the site's."""
    client.force_login(user_staf)
    assert client.get(reverse("admin:penduduk_penduduk_changelist")).status_code == 200
    dicatat = {r[2] for r in _log() if r[5] == "admin:penduduk_penduduk_changelist"}
    assert {penduduk_a.pk, penduduk_b.pk} <= dicatat
    assert all(r[1] == Aksi.LIHAT_NIK for r in _log())
    batas = LogAkses.objects.order_by("-id").values_list("id", flat=True).first()  # append-only: no reset
    assert client.get(reverse("admin:penduduk_penduduk_change", args=[penduduk_a.pk])).status_code == 200
    assert [(r[0], r[1], r[2], r[5]) for r in _log(id__gt=batas)] == [
        ("staf", Aksi.LIHAT_NIK, penduduk_a.pk, "admin:penduduk_penduduk_change")
    ]


def test_back_office_penduduk_tersaring_disabilitas_dicatat_sensitif(client, user_staf, penduduk_a):
    penduduk_a.disabilitas = "fisik"
    penduduk_a.save()
    client.force_login(user_staf)
    url = reverse("admin:penduduk_penduduk_changelist") + "?disabilitas__exact=fisik"
    assert client.get(url).status_code == 200
    assert (Aksi.LIHAT_SENSITIF, penduduk_a.pk) in {(r[1], r[2]) for r in _log()}


def test_pemilih_penduduk_ppks_mencatat_hasil_cari(client, psm_a, penduduk_a, penduduk_b):
    """The PPKS form's person picker lists full NIKs: the people found are logged, nobody else."""
    berikrar(psm_a)
    client.force_login(psm_a)
    assert client.get(reverse("ppks:create"), {"cari": penduduk_a.nik}).status_code == 200
    assert [(r[0], r[1], r[2], r[5]) for r in _log()] == [
        (psm_a.username, Aksi.LIHAT_NIK, penduduk_a.pk, "ppks:create")
    ]
    batas = LogAkses.objects.order_by("-id").values_list("id", flat=True).first()
    assert client.get(reverse("ppks:create"), {"cari": penduduk_b.nik}).status_code == 200  # not in the area
    assert _log(id__gt=batas) == []
