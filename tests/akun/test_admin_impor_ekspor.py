"""django-import-export in the back office (akun/admin_iex.py, akun/resources.py, <app>/resources.py).

Every registered model exports (xlsx, csv) for whoever may view it; the importable ones import
through the admin's upload -> preview -> confirm flow, all or nothing, matched on natural keys so
that a second import of the same file changes nothing; formula-like cells are escaped; NIK and No
KK are text; a tampered confirmation or a bad file is a message, never a 500.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.results import RowResult

from akun.admin_iex import CSVAman, EksporMixin, ImporEksporMixin, XLSXAman
from akun.resources import aman, tanpa_pelindung
from bantuan.models import Program
from penduduk.models import Penduduk
from penduduk.nik import susun_nik
from ppks.models import JenisPPKS
from tests.akun.test_admin import ATURAN, DAPAT_DIIMPOR, DITOLAK, TANPA_OBJEK, _label, _url, objek  # noqa: F401
from tests.factories import PendudukFactory
from wilayah.models import Kelurahan

pytestmark = pytest.mark.django_db

XLSX, CSV = "0", "1"  # the format choices of the import/export forms, in FORMAT_IEX order


def _ekspor(client, label: str, format_: str = CSV, query: str = ""):
    """The export form posted with every column ticked (as the page offers it)."""
    url = _url(label, "export") + query
    halaman = client.get(url)
    data = {"format": format_, "resource": "0"}
    if halaman.status_code == 200:
        form = halaman.context["form"]
        data.update({nama: "on" for nama, f in form.fields.items() if getattr(f, "is_selectable_field", False)})
    return client.post(url, data)


def _baris_csv(resp) -> list[list[str]]:
    import csv

    return list(csv.reader(io.StringIO(resp.content.decode("utf-8"))))


def _unggah(client, label: str, isi: str | bytes, nama: str = "data.csv", format_: str = CSV):
    data = isi.encode("utf-8") if isinstance(isi, str) else isi
    return client.post(
        _url(label, "import"),
        {"format": format_, "resource": "0", "import_file": SimpleUploadedFile(nama, data)},
    )


def _konfirmasi(client, label: str, pratinjau):
    form = pratinjau.context["confirm_form"]
    return client.post(_url(label, "process_import"), {k: form.initial[k] for k in form.initial})


def _impor(client, label: str, isi: str):
    """Upload, check the preview has no error, confirm; returns (preview result, confirm response)."""
    pratinjau = _unggah(client, label, isi)
    assert pratinjau.status_code == 200
    hasil = pratinjau.context["result"]
    assert not hasil.has_errors() and not hasil.has_validation_errors(), [
        (r.number, r.error) for r in hasil.invalid_rows
    ] + [e.error for e in hasil.base_errors]
    resp = _konfirmasi(client, label, pratinjau)
    assert resp.status_code == 302
    return hasil, resp


def _jumlah(hasil) -> dict[str, int]:
    return {
        "baru": hasil.totals[RowResult.IMPORT_TYPE_NEW],
        "ubah": hasil.totals[RowResult.IMPORT_TYPE_UPDATE],
        "tetap": hasil.totals[RowResult.IMPORT_TYPE_SKIP],
    }


# --- Every model exports ---------------------------------------------------------------------------


def test_setiap_model_terdaftar_punya_ekspor_xlsx_dan_csv():
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, EksporMixin), _label(model)
        assert model_admin.get_export_formats() == [XLSXAman, CSVAman], _label(model)
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")
        punya_impor = isinstance(model_admin, ImporEksporMixin)
        assert punya_impor == (_label(model) in DAPAT_DIIMPOR), _label(model)


def test_model_yang_boleh_diimpor():
    """The list the README gives; everything else is export only."""
    assert {
        "wilayah.kecamatan",
        "wilayah.kelurahan",
        "wilayah.aliaswilayah",
        "penduduk.penduduk",
        "penduduk.keluarga",
        "ppks.jenisppks",
        "ppks.ppks",
        "psm.profilpsm",
        "kemiskinan.gariskemiskinan",
        "bantuan.program",
        "bantuan.penyaluran",
    } == DAPAT_DIIMPOR


@pytest.mark.parametrize("label", sorted(ATURAN))
@pytest.mark.parametrize("format_", [XLSX, CSV])
def test_ekspor_setiap_model_untuk_admin(client, cast, objek, label, format_):  # noqa: F811
    client.force_login(cast["admin"])
    resp = _ekspor(client, label, format_)
    assert resp.status_code == 200
    assert resp["Content-Disposition"].startswith("attachment;")
    if format_ == CSV:
        assert resp["Content-Type"].startswith("text/csv")
        baris = _baris_csv(resp)
        assert baris and baris[0], "header"
        if label not in TANPA_OBJEK:
            assert len(baris) >= 2, "the fixture's object is exported"
    else:
        buku = openpyxl.load_workbook(io.BytesIO(resp.content))
        assert buku.active.max_row >= (1 if label in TANPA_OBJEK else 2)


@pytest.mark.parametrize("label", sorted(ATURAN))
def test_ekspor_staf_menurut_akses(client, cast, label):
    client.force_login(cast["staf"])
    resp = _ekspor(client, label)
    boleh = "ekspor" in ATURAN[label]["staf"]
    assert resp.status_code == (200 if boleh else 403)
    if boleh:
        assert resp["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("label", sorted(ATURAN))
def test_ekspor_ditolak_pimpinan_psm_dan_anonim(client, cast, label):
    assert _ekspor(client, label).status_code == 302
    for peran in DITOLAK:
        client.force_login(cast[peran])
        assert _ekspor(client, label).status_code == 403, peran
        assert client.get(_url(label, "export")).status_code == 403, peran


# --- What an export contains ---------------------------------------------------------------------


def test_aman_dan_tanpa_pelindung():
    for awal in ("=cmd", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert aman(awal) == "'" + awal
        assert tanpa_pelindung(aman(awal)) == awal
    assert aman("Siti") == "Siti"
    assert aman(-5) == -5
    assert tanpa_pelindung("'biasa") == "'biasa"


@pytest.fixture
def penduduk_rumus(kelurahan_a):
    return PendudukFactory(kelurahan=kelurahan_a, nama="=cmd|' /C calc'!A0", pekerjaan="@SUM(1+1)")


def test_ekspor_penduduk_xlsx_nik_teks_dan_rumus_di_escape(client, user_staf, penduduk_rumus):
    client.force_login(user_staf)
    resp = _ekspor(client, "penduduk.penduduk", XLSX)
    assert resp.status_code == 200
    lembar = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    kepala = [c.value for c in lembar[1]]
    baris = {lembar.cell(r, kepala.index("nik") + 1).value: r for r in range(2, lembar.max_row + 1)}
    r = baris[penduduk_rumus.nik]  # found as the 16-digit string: a text cell, not a number
    nik = lembar.cell(r, kepala.index("nik") + 1)
    assert nik.data_type == "s" and len(nik.value) == 16
    nama = lembar.cell(r, kepala.index("nama") + 1)
    assert nama.value == "'=cmd|' /C calc'!A0"
    assert nama.data_type == "s"  # not a formula
    assert lembar.cell(r, kepala.index("pekerjaan") + 1).value == "'@SUM(1+1)"
    # Dates stay dates (not escaped, not text).
    assert isinstance(lembar.cell(r, kepala.index("tanggal_lahir") + 1).value, dt.datetime)


def test_ekspor_penduduk_csv_nik_utuh_dan_rumus_di_escape(client, user_admin, penduduk_rumus):
    client.force_login(user_admin)
    baris = _baris_csv(_ekspor(client, "penduduk.penduduk", CSV))
    kepala = baris[0]
    data = next(b for b in baris[1:] if b[kepala.index("nik")] == penduduk_rumus.nik)
    assert data[kepala.index("nama")] == "'=cmd|' /C calc'!A0"
    assert data[kepala.index("kelurahan")] == penduduk_rumus.kelurahan.nama
    assert "None" not in data  # empty cells stay empty


def test_ekspor_mengikuti_filter_changelist(client, user_admin, penduduk_a, penduduk_b):
    client.force_login(user_admin)
    query = f"?kelurahan__id__exact={penduduk_b.kelurahan_id}"
    baris = _baris_csv(_ekspor(client, "penduduk.penduduk", CSV, query))
    nik = [b[baris[0].index("nik")] for b in baris[1:]]
    assert nik == [penduduk_b.nik]


def test_ekspor_lebih_dari_batas_ditolak_dengan_pesan(client, user_admin, penduduk_a, penduduk_b, settings):
    """The admin export has the list exports' bound (EKSPOR_MAKS_BARIS): over it, back to the
    changelist with a message, no file; within it, the file."""
    client.force_login(user_admin)
    settings.EKSPOR_MAKS_BARIS = 1
    resp = _ekspor(client, "penduduk.penduduk", CSV)
    assert resp.status_code == 302 and resp["Location"] == _url("penduduk.penduduk", "changelist")
    assert "persempit" in str(list(get_messages(resp.wsgi_request))[0])
    query = f"?kelurahan__id__exact={penduduk_b.kelurahan_id}"
    resp = _ekspor(client, "penduduk.penduduk", CSV, query)
    assert resp.status_code == 200 and len(_baris_csv(resp)) == 2


def test_ekspor_filter_rusak_bukan_500(client, user_admin):
    client.force_login(user_admin)
    resp = _ekspor(client, "penduduk.penduduk", CSV, "?tidak_ada__field=1")
    assert resp.status_code in (302, 400)


def test_ekspor_pengguna_tanpa_kata_sandi(client, user_admin, psm_a):
    client.force_login(user_admin)
    baris = _baris_csv(_ekspor(client, "akun.user"))
    assert "password" not in baris[0]
    assert not any(psm_a.password in sel for b in baris for sel in b)


# --- Import: upload, preview, confirm; idempotent ------------------------------------------------

PROGRAM_CSV = (
    "kode,nama,sumber_dana,bentuk,nilai_standar,periode,kelompok,aktif,keterangan\n"
    "UJI-1,Program Uji Satu,apbd_kota,tunai,150000,bulanan,,1,=1+1\n"
    "UJI-2,Program Uji Dua,apbd_kota,barang,,sekali,,1,\n"
)


def test_impor_program_lalu_impor_ulang_tidak_mengubah_apa_pun(client, user_admin):
    client.force_login(user_admin)
    hasil, resp = _impor(client, "bantuan.program", PROGRAM_CSV)
    assert resp["Location"] == _url("bantuan.program", "changelist")
    assert _jumlah(hasil)["baru"] == 2
    satu = Program.objects.get(kode="UJI-1")
    assert (satu.nama, satu.nilai_standar, satu.keterangan) == ("Program Uji Satu", 150000, "=1+1")
    assert satu.history.count() == 1
    assert satu.history.first().history_user == user_admin  # saved one by one: history kept

    hasil, _resp = _impor(client, "bantuan.program", PROGRAM_CSV)
    assert _jumlah(hasil) == {"baru": 0, "ubah": 0, "tetap": 2}
    assert satu.history.count() == 1
    assert Program.objects.filter(kode__startswith="UJI-").count() == 2


def test_ekspor_lalu_impor_kembali_tidak_berubah(client, user_admin):
    """An exported file (with its escaped cells) imports back as "unchanged"."""
    client.force_login(user_admin)
    Program.objects.create(
        kode="RUMUS", nama="Program =rumus", sumber_dana="apbd_kota", bentuk="tunai", keterangan="=1+1"
    )
    ekspor = _ekspor(client, "bantuan.program", CSV).content.decode("utf-8")
    assert "'=1+1" in ekspor
    hasil, _resp = _impor(client, "bantuan.program", ekspor)
    assert _jumlah(hasil)["baru"] == _jumlah(hasil)["ubah"] == 0
    assert Program.objects.get(kode="RUMUS").keterangan == "=1+1"


def test_impor_jenis_ppks_memperbarui_menurut_nomor(client, user_admin):
    client.force_login(user_admin)
    jenis = JenisPPKS.objects.order_by("nomor").first()
    isi = (
        "nomor,nama,singkatan,kelompok,sensitif,alias,aktif\n"
        f"{jenis.nomor},{jenis.nama},{jenis.singkatan},{jenis.kelompok},{int(jenis.sensitif)},Nama lain uji,1\n"
    )
    jumlah_awal = JenisPPKS.objects.count()
    hasil, _resp = _impor(client, "ppks.jenisppks", isi)
    assert _jumlah(hasil) == {"baru": 0, "ubah": 1, "tetap": 0}
    jenis.refresh_from_db()
    assert jenis.alias == "Nama lain uji"
    assert JenisPPKS.objects.count() == jumlah_awal
    hasil, _resp = _impor(client, "ppks.jenisppks", isi)
    assert _jumlah(hasil) == {"baru": 0, "ubah": 0, "tetap": 1}


def _csv_penduduk(kelurahan: Kelurahan, nik: str, nama: str = "Upik Rabiah") -> str:
    return (
        "nik,nama,jenis_kelamin,tempat_lahir,tanggal_lahir,no_kk,hubungan,kelurahan,alamat,rt,rw,telepon,status\n"
        f"{nik},{nama},,Payakumbuh,,,,{kelurahan.nama.upper()},Jl. Uji 1,001,002,,hidup\n"
    )


def test_impor_penduduk_oleh_staf_lewat_layanan_dan_idempoten(client, user_staf, kelurahan_a):
    client.force_login(user_staf)
    nik = susun_nik(kelurahan_a.kecamatan.kode.replace(".", ""), dt.date(1980, 5, 17), "P", 77)
    hasil, _resp = _impor(client, "penduduk.penduduk", _csv_penduduk(kelurahan_a, nik))
    assert _jumlah(hasil)["baru"] == 1
    orang = Penduduk.objects.get(nik=nik)
    assert orang.kelurahan == kelurahan_a  # found by name, any case
    assert (orang.tanggal_lahir, orang.jenis_kelamin) == (dt.date(1980, 5, 17), "P")  # derived from the NIK
    assert orang.history.get().history_user == user_staf

    # Same file again: the values the NIK gives are derived before comparing: unchanged.
    hasil, _resp = _impor(client, "penduduk.penduduk", _csv_penduduk(kelurahan_a, nik))
    assert _jumlah(hasil) == {"baru": 0, "ubah": 0, "tetap": 1}
    assert orang.history.count() == 1

    hasil, _resp = _impor(client, "penduduk.penduduk", _csv_penduduk(kelurahan_a, nik, nama="Upik Rabiah Baru"))
    assert _jumlah(hasil) == {"baru": 0, "ubah": 1, "tetap": 0}
    orang.refresh_from_db()
    assert orang.nama == "Upik Rabiah Baru"
    assert Penduduk.objects.filter(nik=nik).count() == 1


def test_impor_semua_atau_tidak_sama_sekali(client, user_staf, kelurahan_a):
    client.force_login(user_staf)
    kode = kelurahan_a.kecamatan.kode.replace(".", "")
    baik = susun_nik(kode, dt.date(1990, 1, 2), "L", 11)
    isi = (
        _csv_penduduk(kelurahan_a, baik)
        + f"{susun_nik(kode, dt.date(1991, 1, 2), 'L', 12)},Tanpa Wilayah,,,,,,Antah Berantah,,,,,hidup\n"
    )
    pratinjau = _unggah(client, "penduduk.penduduk", isi)
    assert pratinjau.status_code == 200
    hasil = pratinjau.context["result"]
    assert hasil.has_validation_errors()
    assert "confirm_form" not in pratinjau.context
    assert "Antah Berantah" in pratinjau.content.decode()
    assert not Penduduk.objects.filter(nik=baik).exists()


def test_impor_penduduk_tanpa_nik_ditolak(client, user_staf, kelurahan_a):
    client.force_login(user_staf)
    pratinjau = _unggah(client, "penduduk.penduduk", _csv_penduduk(kelurahan_a, ""))
    assert pratinjau.context["result"].has_validation_errors()
    assert "NIK wajib diisi" in pratinjau.content.decode()


def test_impor_kelurahan_hanya_memperbarui_jumlah(client, user_admin, kelurahan_a):
    client.force_login(user_admin)
    isi = (
        "kode,nama,kecamatan,kode_bps,jumlah_penduduk,jumlah_kk\n"
        f"{kelurahan_a.kode},Nama Diabaikan,,{kelurahan_a.kode_bps},4321,1234\n"
    )
    hasil, _resp = _impor(client, "wilayah.kelurahan", isi)
    assert _jumlah(hasil)["ubah"] == 1
    kelurahan_a.refresh_from_db()
    assert (kelurahan_a.jumlah_penduduk, kelurahan_a.jumlah_kk) == (4321, 1234)
    assert kelurahan_a.nama != "Nama Diabaikan"  # read-only column

    jumlah = Kelurahan.objects.count()
    pratinjau = _unggah(client, "wilayah.kelurahan", "kode,jumlah_penduduk\n99.99.99.9999,10\n")
    assert pratinjau.context["result"].has_validation_errors()
    assert Kelurahan.objects.count() == jumlah


def test_impor_xlsx(client, user_admin):
    client.force_login(user_admin)
    buku = openpyxl.Workbook()
    buku.active.append(["kode", "nama", "sumber_dana", "bentuk", "periode", "aktif"])
    buku.active.append(["XLSX-1", "Program dari xlsx", "apbd_kota", "tunai", "sekali", True])
    isi = io.BytesIO()
    buku.save(isi)
    pratinjau = _unggah(client, "bantuan.program", isi.getvalue(), "program.xlsx", XLSX)
    assert "confirm_form" in pratinjau.context, pratinjau.context["result"].invalid_rows
    assert _konfirmasi(client, "bantuan.program", pratinjau).status_code == 302
    assert Program.objects.filter(kode="XLSX-1", nama="Program dari xlsx").exists()


# --- Refusals ------------------------------------------------------------------------------------


def test_staf_tidak_boleh_impor_model_yang_hanya_dilihat(client, user_staf):
    client.force_login(user_staf)
    assert client.get(_url("bantuan.program", "changelist")).status_code == 200  # may view
    assert client.get(_url("bantuan.program", "import")).status_code == 403
    assert _unggah(client, "bantuan.program", PROGRAM_CSV).status_code == 403
    resp = client.post(
        _url("bantuan.program", "process_import"),
        {"import_file_name": "x", "original_file_name": "x.csv", "format": CSV, "resource": "0"},
    )
    assert resp.status_code == 403
    assert not Program.objects.filter(kode__startswith="UJI-").exists()
    # The changelist offers export, not import.
    isi = client.get(_url("bantuan.program", "changelist")).content.decode()
    assert _url("bantuan.program", "export") in isi
    assert _url("bantuan.program", "import") not in isi


def test_konfirmasi_yang_diubah_bukan_500(client, user_admin, tmp_path):
    client.force_login(user_admin)
    for data in (
        {"import_file_name": "../../etc/passwd", "original_file_name": "a.csv", "format": CSV, "resource": "0"},
        {"import_file_name": "x", "original_file_name": "a.csv", "format": "9", "resource": "0"},
        {"import_file_name": "x", "original_file_name": "a.csv", "format": "abc", "resource": "x"},
    ):
        resp = client.post(_url("bantuan.program", "process_import"), data)
        assert resp.status_code == 200
        assert resp.context["confirm_form"].errors
    assert not Program.objects.filter(kode__startswith="UJI-").exists()


def test_konfirmasi_milik_pengguna_lain_ditolak(client, user_admin, user_staf):
    client.force_login(user_admin)
    pratinjau = _unggah(client, "bantuan.program", PROGRAM_CSV)
    form = pratinjau.context["confirm_form"]
    data = {k: form.initial[k] for k in form.initial}
    client.force_login(user_staf)
    # Staf may not import programmes at all; a staf-importable model checks the owner too.
    assert client.post(_url("bantuan.program", "process_import"), data).status_code == 403
    client.force_login(user_admin)
    assert client.post(_url("bantuan.program", "process_import"), data).status_code == 302
    assert Program.objects.filter(kode="UJI-1").exists()


def test_konfirmasi_disalin_ke_pengguna_lain_ditolak(client, user_admin, user_staf, kelurahan_a):
    client.force_login(user_staf)
    nik = susun_nik(kelurahan_a.kecamatan.kode.replace(".", ""), dt.date(1985, 2, 3), "L", 5)
    pratinjau = _unggah(client, "penduduk.penduduk", _csv_penduduk(kelurahan_a, nik))
    form = pratinjau.context["confirm_form"]
    data = {k: form.initial[k] for k in form.initial}
    client.force_login(user_admin)
    resp = client.post(_url("penduduk.penduduk", "process_import"), data)
    assert resp.status_code == 200 and resp.context["confirm_form"].errors
    assert not Penduduk.objects.filter(nik=nik).exists()


@pytest.mark.parametrize(
    ("isi", "nama", "format_", "pesan"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "data.csv", CSV, "bukan spreadsheet"),
        (b"kode,nama\nA,B\n", "data.xlsx", XLSX, "bukan xlsx"),
        (b"PK\x03\x04rusak" + b"\x00" * 64, "data.xlsx", XLSX, "rusak"),
        ("kode,nama\nA,Ca\xe7\n".encode("cp1252"), "data.csv", CSV, "UTF-8"),
    ],
)
def test_berkas_buruk_jadi_pesan(client, user_admin, isi, nama, format_, pesan):
    client.force_login(user_admin)
    resp = _unggah(client, "bantuan.program", isi, nama, format_)
    assert resp.status_code == 200
    assert "confirm_form" not in resp.context
    assert pesan in " ".join(
        resp.context["form"].errors.get("import_file", []) + resp.context["form"].non_field_errors()
    )


@pytest.mark.parametrize("label", sorted(DAPAT_DIIMPOR))
def test_setiap_model_impor_ekspor_bolak_balik_tidak_berubah(client, cast, objek, label):  # noqa: F811
    """Every importable model: its own export, imported back by Admin, is all "unchanged"."""
    client.force_login(cast["admin"])
    if label == "bantuan.penyaluran":
        penyaluran = objek[label]
        penyaluran.id_eksternal = "EKS-1"
        penyaluran.save()
    resp = _ekspor(client, label, CSV)
    ekspor, jumlah_baris = resp.content.decode("utf-8"), len(_baris_csv(resp)) - 1
    assert jumlah_baris >= 1
    model = type(objek[label])
    sebelum = model.objects.count()
    hasil, _resp = _impor(client, label, ekspor)
    assert _jumlah(hasil)["baru"] == _jumlah(hasil)["ubah"] == 0, [r.diff for r in hasil.rows]
    assert _jumlah(hasil)["tetap"] == jumlah_baris
    assert model.objects.count() == sebelum


def test_konfirmasi_gagal_dibatalkan_seluruhnya(client, user_admin):
    """A row that fails at confirmation (the data changed since the preview) rolls back every row."""
    client.force_login(user_admin)
    isi = (
        "nomor,nama,singkatan,kelompok,sensitif,alias,aktif\n"
        "91,Jenis Uji Satu,UJI1,lainnya,0,,1\n"
        "92,Jenis Uji Dua,UJI2,lainnya,0,,1\n"
    )
    pratinjau = _unggah(client, "ppks.jenisppks", isi)
    assert "confirm_form" in pratinjau.context, pratinjau.context["result"].invalid_rows
    JenisPPKS.objects.create(nomor=93, nama="Jenis Uji Dua", singkatan="LAIN", kelompok="lainnya")
    resp = _konfirmasi(client, "ppks.jenisppks", pratinjau)
    assert resp.status_code == 302
    assert resp["Location"] == _url("ppks.jenisppks", "import")
    assert not JenisPPKS.objects.filter(nomor__in=[91, 92]).exists()


def test_impor_penyaluran_tanpa_id_eksternal_ditolak(client, user_staf, keluarga_a):
    client.force_login(user_staf)
    isi = (
        "id_eksternal,program,no_kk,nik,periode,nilai,tanggal,saluran,status,alasan_gagal,keterangan\n"
        f",BPNT,{keluarga_a.no_kk},,2025-02-01,600000,2025-02-10,ewarong,disalurkan,,\n"
    )
    pratinjau = _unggah(client, "bantuan.penyaluran", isi)
    assert pratinjau.context["result"].has_validation_errors()
    assert "id_eksternal wajib diisi" in pratinjau.content.decode()


def test_impor_ppks_oleh_staf_lewat_layanan(client, user_staf, penduduk_a, psm_a):
    from ppks.models import PPKS

    client.force_login(user_staf)
    isi = (
        "nik,jenis,status,kebutuhan,sumber,psm_pendamping,terdata_pada,catatan\n"
        f'\'{penduduk_a.nik},LUT,aktif,"pangan, jaminan_kesehatan",psm,{psm_a.username},2025-03-01,+62 catatan\n'
    )
    hasil, _resp = _impor(client, "ppks.ppks", isi)
    assert _jumlah(hasil)["baru"] == 1
    ppks = PPKS.objects.get(penduduk=penduduk_a, jenis__singkatan="LUT")
    assert ppks.kebutuhan == ["pangan", "jaminan_kesehatan"]
    assert (ppks.psm_pendamping, ppks.terdata_pada) == (psm_a, dt.date(2025, 3, 1))
    assert ppks.history.get().history_user == user_staf
    hasil, _resp = _impor(client, "ppks.ppks", isi)
    assert _jumlah(hasil) == {"baru": 0, "ubah": 0, "tetap": 1}
    assert PPKS.objects.filter(penduduk=penduduk_a).count() == 1


def test_impor_ppks_psm_wilayah_lain_ditolak(client, user_staf, penduduk_a, psm_b):
    from ppks.models import PPKS

    client.force_login(user_staf)
    isi = f"nik,jenis,status,psm_pendamping\n{penduduk_a.nik},LUT,aktif,{psm_b.username}\n"
    pratinjau = _unggah(client, "ppks.ppks", isi)
    assert pratinjau.context["result"].has_validation_errors()
    assert not PPKS.objects.filter(penduduk=penduduk_a).exists()


def test_impor_profil_psm_menurut_akun(client, user_staf, psm_a, kelurahan_a):
    from psm.models import ProfilPSM

    client.force_login(user_staf)
    isi = f"user,nama,telepon,koordinator,kelurahan_utama\n{psm_a.username},Rina Marlina,0812,0,{kelurahan_a.kode}\n"
    hasil, _resp = _impor(client, "psm.profilpsm", isi)
    assert _jumlah(hasil)["baru"] == 1
    profil = ProfilPSM.objects.get(user=psm_a)
    assert (profil.nama, profil.kelurahan_utama) == ("Rina Marlina", kelurahan_a)
    pratinjau = _unggah(client, "psm.profilpsm", "user,nama\ntidak.ada,Siapa\n")
    assert pratinjau.context["result"].has_validation_errors() or pratinjau.context["result"].has_errors()


@pytest.mark.parametrize("label", ["ppks.kasus", "penduduk.penduduk", "bantuan.konfirmasi"])
def test_ekspor_tanpa_kueri_per_baris(client, user_admin, kelurahan_a, label):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.bantuan.factories import KonfirmasiFactory
    from tests.factories import KasusFactory

    buat = {
        "ppks.kasus": lambda: KasusFactory(kelurahan=kelurahan_a, penduduk=PendudukFactory(kelurahan=kelurahan_a)),
        "penduduk.penduduk": lambda: PendudukFactory(kelurahan=kelurahan_a),
        "bantuan.konfirmasi": lambda: KonfirmasiFactory(),
    }[label]
    client.force_login(user_admin)

    def hitung() -> int:
        _ekspor(client, label)  # warm-up: session, content types
        with CaptureQueriesContext(connection) as ctx:
            assert _ekspor(client, label).status_code == 200
        return len(ctx.captured_queries)

    buat()
    sedikit = hitung()
    for _ in range(5):
        buat()
    assert hitung() == sedikit


def test_berkas_sementara_dihapus_bila_tidak_bisa_dikonfirmasi(client, user_staf, kelurahan_a):
    import os
    import tempfile

    client.force_login(user_staf)
    pratinjau = _unggah(client, "penduduk.penduduk", _csv_penduduk(kelurahan_a, ""))
    assert "confirm_form" not in pratinjau.context
    nama = pratinjau.context["form"].cleaned_data["import_file"].tmp_storage_name
    assert not os.path.exists(os.path.join(tempfile.gettempdir(), nama))

    nik = susun_nik(kelurahan_a.kecamatan.kode.replace(".", ""), dt.date(1982, 4, 4), "L", 9)
    pratinjau = _unggah(client, "penduduk.penduduk", _csv_penduduk(kelurahan_a, nik))
    nama = pratinjau.context["form"].cleaned_data["import_file"].tmp_storage_name
    assert os.path.exists(os.path.join(tempfile.gettempdir(), nama))
    _konfirmasi(client, "penduduk.penduduk", pratinjau)
    assert not os.path.exists(os.path.join(tempfile.gettempdir(), nama))


def test_sel_sangat_panjang_ditolak(client, user_admin):
    client.force_login(user_admin)
    isi = (
        "kode,nama,sumber_dana,bentuk,periode,aktif,keterangan\n"
        + f"PANJANG,Program,apbd_kota,tunai,sekali,1,{'x' * 100_000}\n"
    )
    pratinjau = _unggah(client, "bantuan.program", isi)
    assert pratinjau.status_code == 200
    assert pratinjau.context["result"].has_validation_errors()
    assert not Program.objects.filter(kode="PANJANG").exists()
