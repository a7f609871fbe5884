"""PPKS, cases and their reference data in the back office (ppks/admin.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ppks.choices import StatusKasus
from ppks.models import PPKS, JenisPPKS, Kasus, Notifikasi, Rujukan, Tindakan
from tests.factories import KasusFactory, PendudukFactory, PPKSFactory, UserFactory, jenis_ppks

pytestmark = pytest.mark.django_db

SEMUA = frozenset({"lihat", "tambah", "ubah", "hapus"})
# What Admin and Staf may do with each model (Pimpinan and PSM never enter the back office).
ATURAN = {
    "ppks.jenisppks": {"admin": SEMUA, "staf": frozenset({"lihat"})},
    "ppks.ppks": {"admin": SEMUA, "staf": frozenset({"lihat", "tambah", "ubah"})},
    "ppks.kasus": {"admin": SEMUA, "staf": frozenset({"lihat", "tambah", "ubah"})},
    "ppks.notifikasi": {"admin": frozenset({"lihat"}), "staf": frozenset()},
}


def _url(label: str, halaman: str, obj=None) -> str:
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{halaman}", args=[obj.pk] if obj is not None else [])


def _jumlah_query(client, url) -> int:
    client.get(url)  # warm-up: session, content types
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _pesan(resp) -> list[str]:
    return [m.message for m in messages.get_messages(resp.wsgi_request)]


def _nilai(nilai):
    if nilai is None:
        return ""
    if isinstance(nilai, dt.date):
        return nilai.strftime("%d/%m/%Y")
    return nilai


def _data_form(resp, **ubah) -> dict:
    """The main form as the browser posts it back, and each inline with its existing rows only."""
    data: dict = {}
    form = resp.context["adminform"].form
    for nama in form.fields:
        nilai = form[nama].value()
        if isinstance(nilai, bool):
            if nilai:
                data[nama] = "on"
        else:
            data[nama] = [str(v) for v in nilai] if isinstance(nilai, list) else _nilai(nilai)
    for inline in resp.context["inline_admin_formsets"]:
        fs = inline.formset
        awal = len(fs.initial_forms)
        data.update({f"{fs.prefix}-TOTAL_FORMS": awal, f"{fs.prefix}-INITIAL_FORMS": awal})
        data.update({f"{fs.prefix}-MIN_NUM_FORMS": 0, f"{fs.prefix}-MAX_NUM_FORMS": 1000})
        for i, f in enumerate(fs.initial_forms):
            data[f"{fs.prefix}-{i}-id"] = f.instance.pk
            data[f"{fs.prefix}-{i}-kasus"] = f.instance.kasus_id
    data.update(ubah)
    return data


def _baris_baru(data: dict, prefix: str, **isi) -> dict:
    """Append one new row to an inline of ``data``."""
    i = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = i + 1
    data.update({f"{prefix}-{i}-{k}": v for k, v in isi.items()})
    return data


@pytest.fixture
def kasus_a(kelurahan_a, user_staf, penduduk_a):
    dilaporkan = timezone.now() - dt.timedelta(hours=3)
    return KasusFactory(
        kelurahan=kelurahan_a,
        dibuat_oleh=user_staf,
        penduduk=penduduk_a,
        ringkasan="Lansia sakit",
        dibuat_pada=dilaporkan,
    )


@pytest.fixture
def objek(penduduk_a, kasus_a, user_staf):
    return {
        "ppks.jenisppks": jenis_ppks("KAT"),  # in use by nothing
        "ppks.ppks": PPKSFactory(penduduk=penduduk_a),
        "ppks.kasus": kasus_a,
        "ppks.notifikasi": Notifikasi.objects.create(pengguna=user_staf, kasus=kasus_a, jenis="darurat"),
    }


# --- Access per role ------------------------------------------------------------------------------


@pytest.mark.parametrize("label", sorted(ATURAN))
@pytest.mark.parametrize("peran", ["admin", "staf"])
def test_akses_admin_dan_staf(client, cast, objek, label, peran):
    boleh = ATURAN[label][peran]
    lihat = bool(boleh & {"lihat", "ubah"})
    obj = objek[label]
    client.force_login(cast[peran])
    assert client.get(_url(label, "changelist")).status_code == (200 if lihat else 403)
    assert client.get(_url(label, "add")).status_code == (200 if "tambah" in boleh else 403)
    resp = client.get(_url(label, "change", obj))
    assert resp.status_code == (200 if lihat else 403)
    if lihat:
        assert resp.context["has_change_permission"] is ("ubah" in boleh)
    assert client.get(_url(label, "delete", obj)).status_code == (200 if "hapus" in boleh else 403)
    if hasattr(obj, "history"):
        assert client.get(_url(label, "history", obj)).status_code == (200 if lihat else 403)
    if "ubah" not in boleh:
        assert client.post(_url(label, "change", obj), {}).status_code == 403
    if "hapus" not in boleh:
        assert client.post(_url(label, "delete", obj), {"post": "yes"}).status_code == 403
        assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("label", sorted(ATURAN))
@pytest.mark.parametrize("peran", ["pimpinan", "psm_a", "psm_b"])
def test_pimpinan_dan_psm_ditolak(client, cast, objek, label, peran):
    client.force_login(cast[peran])
    obj = objek[label]
    for halaman, arg in (("changelist", None), ("add", None), ("change", obj), ("delete", obj)):
        assert client.get(_url(label, halaman, arg)).status_code == 403
    assert client.post(_url(label, "delete", obj), {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("label", sorted(ATURAN))
def test_anonim_ke_login(client, label):
    resp = client.get(_url(label, "changelist"))
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("admin:login"))


# --- Jenis PPKS: never deleted while in use --------------------------------------------------------


def test_jenis_yang_dipakai_tidak_bisa_dihapus(client, user_admin, penduduk_a, kasus_a):
    lut = jenis_ppks("LUT")
    PPKSFactory(penduduk=penduduk_a, jenis=lut)
    kasus_a.jenis = lut
    kasus_a.save()
    client.force_login(user_admin)
    resp = client.get(_url("ppks.jenisppks", "change", lut))
    assert resp.context["has_delete_permission"] is False
    assert "1 data PPKS dan 1 kasus" in resp.content.decode()

    hapus = _url("ppks.jenisppks", "delete", lut)
    for resp in (client.get(hapus), client.post(hapus, {"post": "yes"})):
        assert resp.status_code == 302
        assert resp["Location"] == _url("ppks.jenisppks", "change", lut)
        assert any("tidak dapat dihapus karena masih dipakai oleh 1 data PPKS dan 1 kasus" in m for m in _pesan(resp))
    assert JenisPPKS.objects.filter(pk=lut.pk).exists()


def test_jenis_yang_dipakai_kasus_saja_juga_tidak_bisa_dihapus(client, user_admin, kasus_a):
    odha = jenis_ppks("ODHA")
    kasus_a.jenis = odha
    kasus_a.save()
    client.force_login(user_admin)
    assert client.post(_url("ppks.jenisppks", "delete", odha), {"post": "yes"}).status_code == 302
    assert JenisPPKS.objects.filter(pk=odha.pk).exists()


def test_jenis_yang_tidak_dipakai_dihapus_admin_saja(client, user_admin, user_staf):
    kat = jenis_ppks("KAT")
    client.force_login(user_staf)
    assert client.post(_url("ppks.jenisppks", "delete", kat), {"post": "yes"}).status_code == 403
    client.force_login(user_admin)
    resp = client.post(_url("ppks.jenisppks", "delete", kat), {"post": "yes"})
    assert resp.status_code == 302 and resp["Location"] == _url("ppks.jenisppks", "changelist")
    assert not JenisPPKS.objects.filter(pk=kat.pk).exists()
    assert JenisPPKS.history.filter(id=kat.pk, history_type="-").get().history_user == user_admin


def test_daftar_jenis_tanpa_hapus_massal_dengan_jumlah_pemakaian(client, user_admin, penduduk_a, penduduk_b):
    PPKSFactory(penduduk=penduduk_a)
    PPKSFactory(penduduk=penduduk_b)
    client.force_login(user_admin)
    resp = client.get(_url("ppks.jenisppks", "changelist"))
    cl = resp.context["cl"]
    assert "delete_selected" not in cl.model_admin.get_actions(resp.wsgi_request)
    assert len(cl.result_list) == 26
    lut = next(j for j in cl.result_list if j.singkatan == "LUT")
    assert (cl.model_admin.jumlah_ppks(lut), cl.model_admin.jumlah_kasus(lut)) == (2, 0)


def test_admin_mengubah_jenis_staf_tidak(client, user_admin, user_staf):
    pem = jenis_ppks("PEM")
    data = {"nomor": pem.nomor, "nama": pem.nama, "singkatan": pem.singkatan, "kelompok": pem.kelompok,
            "alias": "Tukang Pulung", "aktif": ""}  # fmt: skip
    client.force_login(user_staf)
    assert client.post(_url("ppks.jenisppks", "change", pem), data).status_code == 403
    client.force_login(user_admin)
    assert client.post(_url("ppks.jenisppks", "change", pem), data).status_code == 302
    pem.refresh_from_db()
    assert (pem.alias, pem.aktif) == ("Tukang Pulung", False)
    assert pem.history.latest("history_date").history_user == user_admin


# --- Lists: constant query counts, search ----------------------------------------------------------


def _ppks_banyak(jumlah, kelurahan_a, kelurahan_b, psm_a):
    for i in range(jumlah):
        kel = kelurahan_a if i % 2 else kelurahan_b
        PPKSFactory(penduduk=PendudukFactory(kelurahan=kel), psm_pendamping=psm_a if kel == kelurahan_a else None)


def _kasus_banyak(jumlah, kelurahan_a, kelurahan_b, user_staf, psm_a):
    for i in range(jumlah):
        kel = kelurahan_a if i % 2 else kelurahan_b
        KasusFactory(
            kelurahan=kel,
            dibuat_oleh=user_staf,
            petugas=user_staf,
            psm=psm_a if i % 2 else None,
            jenis=jenis_ppks("AJ" if i % 3 else "LUT"),
            penduduk=PendudukFactory(kelurahan=kel),
        )


@pytest.mark.parametrize("peran", ["admin", "staf"])
def test_daftar_ppks_dan_kasus_jumlah_query_tetap(client, cast, kelurahan_a, kelurahan_b, psm_a, peran):
    client.force_login(cast[peran])
    for label, buat, model in (("ppks.ppks", _ppks_banyak, PPKS), ("ppks.kasus", _kasus_banyak, Kasus)):
        url = _url(label, "changelist")
        argumen = (
            (kelurahan_a, kelurahan_b, cast["staf"], psm_a) if model is Kasus else (kelurahan_a, kelurahan_b, psm_a)
        )
        buat(3, *argumen)
        sedikit = _jumlah_query(client, url)
        buat(27, *argumen)
        assert model.objects.count() == 30
        assert _jumlah_query(client, url) == sedikit, label


def test_daftar_jenis_dan_notifikasi_jumlah_query_tetap(client, user_admin, user_staf, kelurahan_a):
    client.force_login(user_admin)

    def tambah(n):
        for _ in range(n):
            kasus = KasusFactory(kelurahan=kelurahan_a, dibuat_oleh=user_staf, jenis=jenis_ppks("LUT"))
            PPKSFactory(penduduk=PendudukFactory(kelurahan=kelurahan_a), jenis=jenis_ppks("FM"))
            Notifikasi.objects.create(pengguna=user_staf, kasus=kasus, jenis="terlambat")

    tambah(3)
    sedikit = [_jumlah_query(client, _url(label, "changelist")) for label in ("ppks.jenisppks", "ppks.notifikasi")]
    tambah(27)
    assert Notifikasi.objects.count() == 30
    assert [
        _jumlah_query(client, _url(label, "changelist")) for label in ("ppks.jenisppks", "ppks.notifikasi")
    ] == sedikit


def _hasil(client, label, q) -> list:
    resp = client.get(_url(label, "changelist"), {"q": q})
    assert resp.status_code == 200
    return list(resp.context["cl"].result_list)


def test_cari_ppks_dengan_nama_nik_dan_jenis(client, user_staf, penduduk_a, penduduk_b):
    lansia = PPKSFactory(penduduk=penduduk_a, jenis=jenis_ppks("LUT"))
    pengemis = PPKSFactory(penduduk=penduduk_b, jenis=jenis_ppks("PENG"))
    client.force_login(user_staf)
    assert _hasil(client, "ppks.ppks", "siti rah") == [lansia]
    assert _hasil(client, "ppks.ppks", penduduk_b.nik[:10]) == [pengemis]
    assert _hasil(client, "ppks.ppks", "Lansia Terlantar") == [lansia]
    assert _hasil(client, "ppks.ppks", "gepeng") == [pengemis]
    assert _hasil(client, "ppks.ppks", "tidak ada orang ini") == []


def test_cari_kasus_dengan_nomor_ringkasan_dan_penduduk(client, user_staf, kasus_a, kelurahan_b):
    lain = KasusFactory(kelurahan=kelurahan_b, ringkasan="Rumah terbakar di Napar")
    client.force_login(user_staf)
    assert _hasil(client, "ppks.kasus", lain.nomor.lower()) == [lain]
    assert _hasil(client, "ppks.kasus", str(int(lain.nomor[-6:]))) == [lain]
    assert _hasil(client, "ppks.kasus", "terbakar") == [lain]
    assert _hasil(client, "ppks.kasus", "Siti Rahmah") == [kasus_a]
    assert _hasil(client, "ppks.kasus", kasus_a.penduduk.nik) == [kasus_a]


def test_saring_kasus_lewat_batas(client, user_staf, kelurahan_a):
    lama = KasusFactory(kelurahan=kelurahan_a, dibuat_pada=timezone.now() - dt.timedelta(days=10))
    KasusFactory(kelurahan=kelurahan_a)
    KasusFactory(kelurahan=kelurahan_a, dibuat_pada=timezone.now() - dt.timedelta(days=10), status="selesai")
    client.force_login(user_staf)
    resp = client.get(_url("ppks.kasus", "changelist"), {"batas": "lewat"})
    assert list(resp.context["cl"].result_list) == [lama]


# --- Saving through the services ---------------------------------------------------------------------


def _data_ppks(penduduk, **ubah) -> dict:
    data = {"penduduk": penduduk.pk, "jenis": jenis_ppks("LUT").pk, "status": "aktif", "tanggal_selesai": "",
            "alasan_selesai": "", "kebutuhan": ["pangan", "jaminan_kesehatan"], "kebutuhan_lain": "", "sumber": "psm",
            "psm_pendamping": "", "terdata_pada": "02/01/2026", "terakhir_dikunjungi": "", "catatan": ""}  # fmt: skip
    data.update(ubah)
    return data


def test_tambah_ppks_lewat_layanan(client, user_staf, penduduk_a, psm_a):
    client.force_login(user_staf)
    resp = client.post(_url("ppks.ppks", "add"), _data_ppks(penduduk_a, psm_pendamping=psm_a.pk))
    assert resp.status_code == 302
    ppks = PPKS.objects.get()
    assert (ppks.kebutuhan, ppks.psm_pendamping, ppks.terdata_pada) == (
        ["pangan", "jaminan_kesehatan"],
        psm_a,
        dt.date(2026, 1, 2),
    )
    assert ppks.history.get().history_user == user_staf


def test_tambah_ppks_ditolak_dengan_pesan(client, user_staf, penduduk_a, psm_b):
    client.force_login(user_staf)
    url = _url("ppks.ppks", "add")
    resp = client.post(url, _data_ppks(penduduk_a, psm_pendamping=psm_b.pk))
    assert resp.status_code == 200
    assert "Pilih PSM yang bertugas di kelurahan ini." in resp.content.decode()
    kat = jenis_ppks("KAT")
    kat.aktif = False
    kat.save()
    resp = client.post(url, _data_ppks(penduduk_a, jenis=kat.pk))
    assert "Jenis PPKS ini sudah tidak aktif" in resp.content.decode()
    resp = client.post(url, _data_ppks(penduduk_a, status="bukan_ppks"))
    assert "Isi alasan mengapa bukan PPKS lagi." in resp.content.decode()
    PPKSFactory(penduduk=penduduk_a, jenis=jenis_ppks("LUT"))
    resp = client.post(url, _data_ppks(penduduk_a))
    assert "Orang ini sudah terdaftar aktif sebagai PPKS jenis ini." in resp.content.decode()
    assert PPKS.objects.count() == 1


def _data_kasus_baru(kelurahan, **ubah) -> dict:
    data = {"ringkasan": "Anak mengemis di simpang Ampangan", "uraian": "", "lokasi": "simpang Ampangan",
            "sumber": "medsos", "urgensi": "biasa", "pelapor_nama": "", "pelapor_kontak": "", "penduduk": "",
            "kelurahan": kelurahan.pk, "jenis": jenis_ppks("AJ").pk, "petugas": "", "psm": ""}  # fmt: skip
    for prefix in ("tindakan", "rujukan"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(ubah)
    return data


def test_tambah_kasus_lewat_kasus_buat(client, user_staf, kelurahan_a, psm_a):
    client.force_login(user_staf)
    sebelum = timezone.now()
    resp = client.post(
        _url("ppks.kasus", "add"), _data_kasus_baru(kelurahan_a, viral="on", psm=psm_a.pk, status="selesai")
    )
    assert resp.status_code == 302
    kasus = Kasus.objects.get()
    assert kasus.nomor == f"KS-{timezone.localtime(kasus.dibuat_pada):%Y}-{kasus.pk:06d}"
    assert (kasus.status, kasus.urgensi, kasus.dibuat_oleh, kasus.psm) == ("baru", "darurat", user_staf, psm_a)
    assert kasus.dibuat_pada >= sebelum
    assert kasus.batas_respons == kasus.dibuat_pada + dt.timedelta(hours=24)
    assert kasus.history.first().history_user == user_staf


def test_tambah_kasus_dengan_psm_lain_atau_petugas_bukan_staf_ditolak(client, user_staf, kelurahan_a, psm_b):
    client.force_login(user_staf)
    resp = client.post(_url("ppks.kasus", "add"), _data_kasus_baru(kelurahan_a, psm=psm_b.pk))
    assert "Pilih PSM yang bertugas di kelurahan ini." in resp.content.decode()
    resp = client.post(_url("ppks.kasus", "add"), _data_kasus_baru(kelurahan_a, petugas=psm_b.pk))
    assert resp.status_code == 200 and resp.context["adminform"].form.errors["petugas"]
    assert not Kasus.objects.exists()


def test_ubah_kasus_lewat_kasus_ubah_status_tetap(client, user_admin, kasus_a):
    client.force_login(user_admin)
    url = _url("ppks.kasus", "change", kasus_a)
    resp = client.get(url)
    assert "status" not in resp.context["adminform"].form.fields
    resp = client.post(url, _data_form(resp, urgensi="darurat", status="ditutup", ringkasan="Lansia sakit berat"))
    assert resp.status_code == 302
    kasus_a.refresh_from_db()
    assert (kasus_a.ringkasan, kasus_a.urgensi, kasus_a.status) == ("Lansia sakit berat", "darurat", "baru")
    assert kasus_a.batas_respons == kasus_a.dibuat_pada + dt.timedelta(hours=24)  # moved with the urgency
    assert kasus_a.history.latest("history_date").history_user == user_admin


def test_tindakan_baru_lewat_tindakan_catat_yang_lama_tidak_berubah(client, user_staf, kasus_a):
    client.force_login(user_staf)
    url = _url("ppks.kasus", "change", kasus_a)
    resp = client.get(url)
    jenis = [c[0] for c in resp.context["inline_admin_formsets"][0].formset.empty_form.fields["jenis"].choices]
    assert "status" not in jenis and "kunjungan" in jenis
    waktu = timezone.localtime() - dt.timedelta(hours=1)
    data = _baris_baru(
        _data_form(resp),
        "tindakan",
        jenis="kunjungan",
        uraian="PSM datang ke rumah.",
        waktu_0=waktu.strftime("%d/%m/%Y"),
        waktu_1=waktu.strftime("%H:%M"),
    )
    assert client.post(url, data).status_code == 302
    tindakan = Tindakan.objects.get(kasus=kasus_a)
    assert (tindakan.oleh, tindakan.jenis, tindakan.uraian) == (user_staf, "kunjungan", "PSM datang ke rumah.")
    kasus_a.refresh_from_db()
    assert kasus_a.direspons_pada == tindakan.waktu

    # A past entry is read-only: posting a changed text changes nothing.
    resp = client.get(url)
    data = _data_form(resp, **{"tindakan-0-uraian": "Diubah diam-diam", "tindakan-0-jenis": "catatan"})
    assert client.post(url, data).status_code == 302
    tindakan.refresh_from_db()
    assert tindakan.uraian == "PSM datang ke rumah."
    assert Tindakan.objects.filter(kasus=kasus_a).count() == 1


def test_tindakan_di_masa_depan_ditolak(client, user_staf, kasus_a):
    client.force_login(user_staf)
    url = _url("ppks.kasus", "change", kasus_a)
    besok = timezone.localtime() + dt.timedelta(days=1)
    data = _baris_baru(
        _data_form(client.get(url)),
        "tindakan",
        jenis="catatan",
        uraian="x",
        waktu_0=besok.strftime("%d/%m/%Y"),
        waktu_1="10:00",
    )
    resp = client.post(url, data)
    assert resp.status_code == 200
    assert "Waktu tindakan tidak boleh di masa depan." in resp.content.decode()
    assert not Tindakan.objects.exists()


def test_rujukan_baru_lewat_rujukan_buat(client, user_staf, kasus_a):
    client.force_login(user_staf)
    url = _url("ppks.kasus", "change", kasus_a)
    data = _baris_baru(
        _data_form(client.get(url)),
        "rujukan",
        tanggal=timezone.localdate().strftime("%d/%m/%Y"),
        jenis_lembaga="kesehatan",
        nama_lembaga="RSUD dr. Adnaan WD",
        catatan="",
    )
    assert client.post(url, data).status_code == 302
    rujukan = Rujukan.objects.get()
    assert (rujukan.oleh, rujukan.status) == (user_staf, "dikirim")
    assert Tindakan.objects.get(kasus=kasus_a, jenis="rujukan").uraian.startswith("Dirujuk ke RSUD dr. Adnaan WD")


def test_kasus_selesai_tidak_bisa_dirujuk(client, user_staf, kasus_a):
    Kasus.objects.filter(pk=kasus_a.pk).update(status=StatusKasus.SELESAI)
    client.force_login(user_staf)
    url = _url("ppks.kasus", "change", kasus_a)
    data = _baris_baru(
        _data_form(client.get(url)),
        "rujukan",
        tanggal=timezone.localdate().strftime("%d/%m/%Y"),
        jenis_lembaga="lks",
        nama_lembaga="LKSA",
        catatan="",
    )
    resp = client.post(url, data)
    assert resp.status_code == 200
    assert "Kasus yang sudah selesai atau ditutup tidak bisa dirujuk." in resp.content.decode()
    assert not Rujukan.objects.exists()


def test_notifikasi_hanya_dibaca_admin(client, user_admin, objek):
    notifikasi = objek["ppks.notifikasi"]
    client.force_login(user_admin)
    resp = client.get(_url("ppks.notifikasi", "changelist"), {"q": notifikasi.kasus.nomor})
    assert list(resp.context["cl"].result_list) == [notifikasi]
    assert (
        client.post(_url("ppks.notifikasi", "change", notifikasi), {"dibaca_pada_0": "01/01/2026"}).status_code == 403
    )


def test_pengguna_lain_tidak_bisa_dipilih_sebagai_pendamping(client, user_staf, penduduk_a, psm_a):
    staf_lain = UserFactory(username="staf2")
    client.force_login(user_staf)
    resp = client.get(_url("ppks.ppks", "add"))
    pilihan = resp.context["adminform"].form.fields["psm_pendamping"].queryset
    assert psm_a in pilihan and staf_lain not in pilihan
