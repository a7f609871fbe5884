"""The staff import pages: upload → preview → confirm → progress → result, history, access.

Tasks run at once in the tests (settings_test: django-tasks' ImmediateBackend), so an upload has
its preview ready when the redirect arrives.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impor.models import StatusImpor, TugasImpor
from impor.tasks import jalankan, penyimpanan
from penduduk.models import Penduduk
from tests.impor.conftest import NIK_ISTRI, NIK_SUAMI, isi_dasar, tulis_csv, tulis_xlsx

pytestmark = pytest.mark.django_db

KOLOM_TGL = 12
KOLOM_NAMA = 11


def _folder_unggahan() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "impor" / "unggahan"


def _berkas_tersimpan() -> set[str]:
    folder = _folder_unggahan()
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def _unggah(client, path: Path, jenis="penduduk", lembar=""):
    berkas = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post(reverse("impor:unggah"), {"jenis": jenis, "berkas": berkas, "lembar": lembar})


def _tugas_terakhir() -> TugasImpor:
    return TugasImpor.objects.order_by("-pk").first()


@pytest.fixture
def staf(client, user_staf):
    client.force_login(user_staf)
    return client


@pytest.fixture
def jenis_belum_ada(monkeypatch):
    """A registered type without a reader (the registry fills up as the types are built)."""
    from impor.jenis import JENIS, JenisImpor

    monkeypatch.setitem(JENIS, "contoh-belum", JenisImpor("contoh-belum", "Contoh belum", "Belum dibuat.", None))
    return "contoh-belum"


@pytest.fixture
def isi_bergalat():
    isi = isi_dasar()
    isi[2][KOLOM_TGL] = "31/02/1980"  # Siti Rahmah: no such date
    return isi


# --- access -------------------------------------------------------------------------------------

NAMA_URL = ["impor:unggah", "impor:riwayat"]
NAMA_URL_LAIN = [("impor:templat", ["penduduk"])]
NAMA_URL_TUGAS = [
    "impor:progres",
    "impor:progres-bagian",
    "impor:pratinjau",
    "impor:hasil",
    "impor:ditolak-xlsx",
]


@pytest.fixture
def tugas_ada(user_staf):
    return TugasImpor.objects.create(jenis="penduduk", nama_berkas="a.csv", dibuat_oleh=user_staf)


def _semua_url(tugas):
    return (
        [reverse(n) for n in NAMA_URL]
        + [reverse(n, args=[tugas.pk]) for n in NAMA_URL_TUGAS]
        + [reverse(n, args=a) for n, a in NAMA_URL_LAIN]
    )


def test_anonim_diarahkan_ke_login(client, tugas_ada):
    for url in _semua_url(tugas_ada):
        resp = client.get(url)
        assert resp.status_code == 302 and reverse("login") in resp["Location"], url
    resp = client.post(reverse("impor:konfirmasi", args=[tugas_ada.pk]), {"mode": "semua"})
    assert resp.status_code == 302 and reverse("login") in resp["Location"]


@pytest.mark.parametrize("peran", ["pimpinan", "psm_a"])
def test_psm_dan_pimpinan_403(client, cast, peran, tugas_ada, berkas):
    client.force_login(cast[peran])
    for url in _semua_url(tugas_ada):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("impor:konfirmasi", args=[tugas_ada.pk]), {"mode": "semua"}).status_code == 403
    path = berkas("a.csv", isi_dasar())
    assert _unggah(client, path).status_code == 403
    assert TugasImpor.objects.count() == 1
    assert not Penduduk.objects.filter(nik=NIK_SUAMI).exists()


@pytest.mark.parametrize("peran", ["admin", "staf"])
def test_admin_dan_staf_boleh(client, cast, peran, jenis_belum_ada):
    client.force_login(cast[peran])
    resp = client.get(reverse("impor:unggah"))
    assert resp.status_code == 200
    teks = resp.content.decode()
    assert "belum tersedia" in teks
    assert f'value="{jenis_belum_ada}" disabled' in teks and 'value="penduduk" disabled' not in teks
    assert client.get(reverse("impor:riwayat")).status_code == 200


def test_tautan_di_beranda_hanya_untuk_staf(client, user_staf, user_pimpinan):
    client.force_login(user_staf)
    assert reverse("impor:unggah") in client.get(reverse("home")).content.decode()
    client.force_login(user_pimpinan)
    assert reverse("impor:unggah") not in client.get(reverse("home")).content.decode()


def test_tugas_orang_lain_terlihat_staf_dan_id_aneh_404(staf, user_admin):
    lain = TugasImpor.objects.create(
        jenis="penduduk", nama_berkas="milik-admin.csv", dibuat_oleh=user_admin, status=StatusImpor.DITOLAK
    )
    assert staf.get(reverse("impor:hasil", args=[lain.pk])).status_code == 200  # shared office work
    for pk in (lain.pk + 1000, 2**63, 10**30):
        assert staf.get(f"/impor/{pk}/hasil/").status_code == 404
        assert staf.get(f"/impor/{pk}/progres/bagian/").status_code == 404
        assert staf.post(f"/impor/{pk}/konfirmasi/", {"mode": "semua"}).status_code == 404
    assert staf.get("/impor/abc/hasil/").status_code == 404


def test_jenis_belum_tersedia_ditolak_di_form(staf, berkas, jenis_belum_ada):
    resp = _unggah(staf, berkas("a.csv", isi_dasar()), jenis=jenis_belum_ada)
    assert resp.status_code == 200
    assert "belum tersedia" in resp.content.decode()
    assert TugasImpor.objects.count() == 0 and _berkas_tersimpan() == set()


# --- bad files ----------------------------------------------------------------------------------


def test_berkas_bukan_spreadsheet_pesan_jelas_tidak_ada_yang_tersimpan(staf):
    sebelum = _berkas_tersimpan()
    pdf = SimpleUploadedFile("data.xlsx", b"%PDF-1.7\n" + b"x" * 500)
    resp = staf.post(reverse("impor:unggah"), {"jenis": "penduduk", "berkas": pdf})
    assert resp.status_code == 200
    assert "bukan spreadsheet" in resp.content.decode()
    assert TugasImpor.objects.count() == 0
    assert _berkas_tersimpan() == sebelum


def test_berkas_kosong(staf):
    resp = staf.post(reverse("impor:unggah"), {"jenis": "penduduk", "berkas": SimpleUploadedFile("a.csv", b"")})
    assert resp.status_code == 200 and "Berkas kosong" in resp.content.decode()
    assert TugasImpor.objects.count() == 0


def test_berkas_terlalu_besar(staf, settings):
    settings.IMPOR_MAKS_MB = 1
    besar = SimpleUploadedFile("besar.csv", b"NIK;NAMA\n" + b"1;a\n" * 300_000)  # 1.2 MB
    sebelum = _berkas_tersimpan()
    resp = staf.post(reverse("impor:unggah"), {"jenis": "penduduk", "berkas": besar})
    assert resp.status_code == 200
    teks = resp.content.decode()
    assert "Berkas terlalu besar" in teks and "paling besar 1 MB" in teks
    assert TugasImpor.objects.count() == 0 and _berkas_tersimpan() == sebelum


def test_kolom_wajib_hilang_ditolak_dan_berkas_dihapus(staf, tmp_path):
    path = tulis_csv(tmp_path / "a.csv", [["NAMA", "ALAMAT"], ["Bujang", "Jl. A"]])
    sebelum = _berkas_tersimpan()
    resp = _unggah(staf, path)
    tugas = _tugas_terakhir()
    assert resp["Location"] == reverse("impor:progres", args=[tugas.pk])
    assert tugas.status == StatusImpor.DITOLAK and tugas.uji_coba
    assert tugas.berkas_simpan == "" and _berkas_tersimpan() == sebelum
    hasil = staf.get(reverse("impor:hasil", args=[tugas.pk]))
    assert hasil.status_code == 200 and tugas.pesan in hasil.content.decode()
    # the preview of a refused file cannot be confirmed
    resp = staf.post(reverse("impor:konfirmasi", args=[tugas.pk]), {"mode": "semua"})
    assert resp.status_code == 302 and TugasImpor.objects.count() == 1


# --- preview, confirm, result -------------------------------------------------------------------


def test_pratinjau_angka_dan_contoh_tanpa_menyimpan(staf, tmp_path):
    path = tulis_xlsx(tmp_path / "dtks.xlsx", isi_dasar(), judul=[["DATA DTKS KOTA PAYAKUMBUH"], []])
    resp = _unggah(staf, path)
    tugas = _tugas_terakhir()
    assert resp.status_code == 302
    assert tugas.uji_coba and tugas.status == StatusImpor.SELESAI and tugas.progres == 100
    assert tugas.berkas_simpan and penyimpanan.exists(tugas.berkas_simpan)
    assert not Penduduk.objects.filter(nik=NIK_SUAMI).exists()
    # the progress page shows 100% and where to go next
    progres = staf.get(resp["Location"]).content.decode()
    assert 'value="100"' in progres and reverse("impor:pratinjau", args=[tugas.pk]) in progres
    assert "<script>" not in progres  # CSP: only the htmx file
    halaman = staf.get(reverse("impor:pratinjau", args=[tugas.pk]))
    assert halaman.status_code == 200
    teks = halaman.content.decode()
    assert 'data-angka="baru">4<' in teks and 'data-angka="galat">0<' in teks
    assert NIK_SUAMI in teks and "Bujang Sutan" in teks
    assert "Simpan semua (batal jika ada galat)" in teks and "Simpan baris yang benar saja" in teks
    # no errors: "all" is enabled, "skip errors" is not needed
    assert 'value="semua" class="btn btn-success">' in teks
    assert 'value="lewati" class="btn btn-outline-success" disabled' in teks


def test_pratinjau_paling_banyak_satu_halaman_contoh(staf, tmp_path):
    from datetime import date

    from penduduk.nik import susun_nik, susun_no_kk
    from tests.impor.conftest import SIKS_NG, baris_siks

    kk = susun_no_kk("137601", date(2019, 3, 4), 11)
    isi = [SIKS_NG] + [
        baris_siks(
            kk, susun_nik("137601", date(1970, 1, 1 + i % 28), "L", i + 1), f"Orang {i}", "01/01/1970", "L", "ANAK"
        )
        for i in range(60)
    ]
    _unggah(staf, tulis_csv(tmp_path / "a.csv", isi))
    tugas = _tugas_terakhir()
    assert tugas.jumlah_baru == 60
    teks = staf.get(reverse("impor:pratinjau", args=[tugas.pk])).content.decode()
    assert teks.count("data baru") <= 20


def test_konfirmasi_semua_menyimpan_dan_file_dihapus(staf, tmp_path, user_staf):
    _unggah(staf, tulis_csv(tmp_path / "a.csv", isi_dasar(), pemisah=";"))
    pratinjau = _tugas_terakhir()
    nama = pratinjau.berkas_simpan
    resp = staf.post(reverse("impor:konfirmasi", args=[pratinjau.pk]), {"mode": "semua"})
    tugas = _tugas_terakhir()
    assert tugas.pk != pratinjau.pk and tugas.asal == pratinjau and not tugas.uji_coba and not tugas.lewati_galat
    assert resp["Location"] == reverse("impor:progres", args=[tugas.pk])
    assert tugas.status == StatusImpor.SELESAI and tugas.jumlah_baru == 4 and tugas.dibuat_oleh == user_staf
    assert Penduduk.objects.filter(nik__in=[NIK_SUAMI, NIK_ISTRI]).count() == 2
    # the stored upload is deleted after the real import, and cannot be confirmed twice
    assert tugas.berkas_simpan == "" and not penyimpanan.exists(nama)
    pratinjau.refresh_from_db()
    assert pratinjau.berkas_simpan == ""
    lagi = staf.post(reverse("impor:konfirmasi", args=[pratinjau.pk]), {"mode": "semua"})
    assert lagi["Location"] == reverse("impor:hasil", args=[tugas.pk])
    assert TugasImpor.objects.filter(uji_coba=False).count() == 1
    # the progress bar's partial sends htmx on to the result page when done
    bagian = staf.get(reverse("impor:progres-bagian", args=[tugas.pk]) + "?lanjut=1", HTTP_HX_REQUEST="true")
    assert bagian["HX-Redirect"] == reverse("impor:hasil", args=[tugas.pk])
    hasil = staf.get(reverse("impor:hasil", args=[tugas.pk])).content.decode()
    assert "4 baris baru dan 0 baris diubah tersimpan" in hasil


def test_progres_bagian_saat_berjalan_terus_polling(staf, user_staf):
    from datetime import timedelta

    from django.utils import timezone

    tugas = TugasImpor.objects.create(
        jenis="penduduk", nama_berkas="a.csv", dibuat_oleh=user_staf, status=StatusImpor.BERJALAN, progres=42
    )
    resp = staf.get(reverse("impor:progres-bagian", args=[tugas.pk]) + "?lanjut=1", HTTP_HX_REQUEST="true")
    teks = resp.content.decode()
    assert resp.status_code == 200 and 'value="42"' in teks and 'hx-trigger="every 1s"' in teks
    assert "HX-Redirect" not in resp
    assert "tanpa-pekerja" not in teks
    TugasImpor.objects.filter(pk=tugas.pk).update(
        status=StatusImpor.MENUNGGU, dibuat_pada=timezone.now() - timedelta(minutes=2)
    )
    teks = staf.get(reverse("impor:progres-bagian", args=[tugas.pk])).content.decode()
    assert "tanpa-pekerja" in teks and "db_worker" in teks
    halaman = staf.get(reverse("impor:progres", args=[tugas.pk])).content.decode()
    assert "django_htmx/htmx-2.min.js" in halaman and 'http-equiv="refresh"' in halaman
    # a running job's preview/result pages send to the progress page
    assert staf.get(reverse("impor:hasil", args=[tugas.pk]))["Location"] == reverse("impor:progres", args=[tugas.pk])


def test_bergalat_simpan_semua_ditolak_lewati_galat_menyimpan(staf, tmp_path, isi_bergalat):
    _unggah(staf, tulis_csv(tmp_path / "a.csv", isi_bergalat))
    pratinjau = _tugas_terakhir()
    assert (pratinjau.jumlah_baru, pratinjau.jumlah_galat) == (3, 1)
    teks = staf.get(reverse("impor:pratinjau", args=[pratinjau.pk])).content.decode()
    assert 'value="semua" class="btn btn-success" disabled' in teks
    assert "Tanggal 31/02/1980 tidak ada di kalender." in teks and "TANGGAL LAHIR" in teks
    assert reverse("impor:ditolak-xlsx", args=[pratinjau.pk]) in teks
    # "all or nothing" with an error is refused at once (a tampered POST), nothing queued
    resp = staf.post(reverse("impor:konfirmasi", args=[pratinjau.pk]), {"mode": "semua"})
    assert resp["Location"] == reverse("impor:pratinjau", args=[pratinjau.pk])
    assert TugasImpor.objects.count() == 1 and Penduduk.objects.filter(nik=NIK_SUAMI).count() == 0
    assert staf.post(reverse("impor:konfirmasi", args=[pratinjau.pk]), {"mode": "x"}).status_code == 302
    resp = staf.post(reverse("impor:konfirmasi", args=[pratinjau.pk]), {"mode": "lewati"})
    tugas = _tugas_terakhir()
    assert tugas.lewati_galat and tugas.status == StatusImpor.SELESAI
    assert (tugas.jumlah_baru, tugas.jumlah_galat) == (3, 1)
    assert Penduduk.objects.filter(nik=NIK_SUAMI).exists() and not Penduduk.objects.filter(nik=NIK_ISTRI).exists()


def test_semua_atau_tidak_sama_sekali_bila_data_berubah_setelah_pratinjau(staf, tmp_path, user_staf):
    """The engine refuses all-or-nothing with errors even when the preview had none (e.g. a job
    queued for a preview whose checks changed): nothing saved, the result page says why."""
    path = tulis_csv(tmp_path / "a.csv", [*isi_dasar()])
    _unggah(staf, path)
    pratinjau = _tugas_terakhir()
    # the stored file changes behind the preview's back: now one row has an error
    isi = isi_dasar()
    isi[1][KOLOM_TGL] = "31/02/1975"
    tulis_csv(Path(penyimpanan.path(pratinjau.berkas_simpan)), isi)
    staf.post(reverse("impor:konfirmasi", args=[pratinjau.pk]), {"mode": "semua"})
    tugas = _tugas_terakhir()
    assert tugas.status == StatusImpor.DITOLAK and "tidak ada yang disimpan" in tugas.pesan
    assert not Penduduk.objects.filter(nik__in=[NIK_SUAMI, NIK_ISTRI]).exists()
    teks = staf.get(reverse("impor:hasil", args=[tugas.pk])).content.decode()
    assert tugas.pesan in teks and reverse("impor:ditolak-xlsx", args=[tugas.pk]) in teks


def test_unduh_baris_ditolak_rumus_diloloskan_nik_teks(staf, tmp_path, isi_bergalat):
    from openpyxl import load_workbook

    isi_bergalat[2][KOLOM_NAMA] = '=HYPERLINK("http://jahat.example","klik")'  # text in a csv, a formula in Excel
    _unggah(staf, tulis_csv(tmp_path / "a.csv", isi_bergalat))
    pratinjau = _tugas_terakhir()
    staf.post(reverse("impor:konfirmasi", args=[pratinjau.pk]), {"mode": "lewati"})
    tugas = _tugas_terakhir()
    resp = staf.get(reverse("impor:ditolak-xlsx", args=[tugas.pk]))
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert resp["Cache-Control"] == "private, no-store"
    assert "attachment" in resp["Content-Disposition"]
    buku = load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    baris = list(buku.active.iter_rows(values_only=True))
    assert baris[0][:2] == ("Baris", "Alasan") and "NIK" in baris[0]
    assert len(baris) == 2
    data = baris[1]
    assert data[0] in (3, "3")
    nik = data[baris[0].index("NIK")]
    assert nik == NIK_ISTRI and isinstance(nik, str)
    nama = data[baris[0].index("NAMA")]
    assert nama.startswith("'=HYPERLINK")
    # a job without rejected rows has no report
    _unggah(staf, tulis_csv(tmp_path / "b.csv", isi_dasar()))
    assert staf.get(reverse("impor:ditolak-xlsx", args=[_tugas_terakhir().pk])).status_code == 404


def test_unduh_baris_ditolak_403_untuk_pimpinan(client, staf, user_pimpinan, tmp_path, isi_bergalat):
    _unggah(staf, tulis_csv(tmp_path / "a.csv", isi_bergalat))
    tugas = _tugas_terakhir()
    assert staf.get(reverse("impor:ditolak-xlsx", args=[tugas.pk])).status_code == 200
    client.force_login(user_pimpinan)
    assert client.get(reverse("impor:ditolak-xlsx", args=[tugas.pk])).status_code == 403


def test_tugas_dijalankan_sekali_saja(staf, tmp_path):
    _unggah(staf, tulis_csv(tmp_path / "a.csv", isi_dasar()))
    tugas = _tugas_terakhir()
    assert jalankan(tugas.pk) == "lewat"
    assert jalankan(10**9) == "lewat"


def test_galat_tak_terduga_menjadi_gagal_bukan_berjalan_selamanya(staf, tmp_path, monkeypatch):
    import impor.tasks

    def meledak(**kw):
        raise RuntimeError("bug")

    monkeypatch.setattr(impor.tasks, "impor_jalankan", meledak)
    _unggah(staf, tulis_csv(tmp_path / "a.csv", isi_dasar()))
    tugas = _tugas_terakhir()
    assert tugas.status == StatusImpor.GAGAL and "tidak ada yang tersimpan" in tugas.pesan
    assert tugas.berkas_simpan == ""
    assert staf.get(reverse("impor:hasil", args=[tugas.pk])).status_code == 200


def test_tugas_di_antrean_database(settings):
    """With the database backend (as in production) enqueueing writes a row for db_worker."""
    from django_tasks_db.models import DBTaskResult

    from impor.tasks import jalankan_tugas_impor

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    hasil = jalankan_tugas_impor.enqueue(123)
    baris = DBTaskResult.objects.get(pk=hasil.id)
    assert baris.task_path == "impor.tasks.jalankan_tugas_impor" and baris.args_kwargs["args"] == [123]
    assert baris.status == "READY"


# --- history ------------------------------------------------------------------------------------


def test_riwayat_terbaru_di_atas_dan_kueri_tetap(staf, user_staf, user_admin):
    def buat(n):
        for i in range(n):
            TugasImpor.objects.create(
                jenis="penduduk", nama_berkas=f"berkas-{i}.csv", dibuat_oleh=user_admin if i % 2 else user_staf
            )

    buat(3)
    staf.get(reverse("impor:riwayat"))  # the session's first request saves it: not part of the page
    with CaptureQueriesContext(connection) as sedikit:
        resp = staf.get(reverse("impor:riwayat"))
    assert resp.status_code == 200
    teks = resp.content.decode()
    assert teks.index("berkas-2.csv") < teks.index("berkas-1.csv") < teks.index("berkas-0.csv")
    buat(20)
    with CaptureQueriesContext(connection) as banyak:
        staf.get(reverse("impor:riwayat"))
    assert len(banyak) == len(sedikit)
    buat(10)  # 33 jobs: two pages of 25
    resp = staf.get(reverse("impor:riwayat"))
    assert resp.context["paginator"].num_pages == 2 and len(resp.context["daftar"]) == 25
    assert staf.get(reverse("impor:riwayat") + "?page=2").status_code == 200
    assert staf.get(reverse("impor:riwayat") + "?page=99").status_code == 404


def test_riwayat_mencatat_siapa_berkas_dan_angka(staf, tmp_path, user_staf):
    user_staf.first_name, user_staf.last_name = "Rina", "Staf"
    user_staf.save()
    _unggah(staf, tulis_csv(tmp_path / "dtks-mei.csv", isi_dasar()))
    teks = staf.get(reverse("impor:riwayat")).content.decode()
    assert "dtks-mei.csv" in teks and "Rina Staf" in teks and "pratinjau" in teks


def test_perintah_hapus_berkas_lama(staf, tmp_path, isi_bergalat):
    import os
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    _unggah(staf, tulis_csv(tmp_path / "a.csv", isi_bergalat))
    lama = _tugas_terakhir()
    _unggah(staf, tulis_csv(tmp_path / "b.csv", isi_bergalat))
    baru = _tugas_terakhir()
    assert lama.berkas_simpan and lama.berkas_ditolak
    TugasImpor.objects.filter(pk=lama.pk).update(dibuat_pada=timezone.now() - timedelta(days=8))
    macet = TugasImpor.objects.create(jenis="penduduk", nama_berkas="m.csv", status=StatusImpor.BERJALAN)
    TugasImpor.objects.filter(pk=macet.pk).update(dibuat_pada=timezone.now() - timedelta(days=8))
    yatim = Path(penyimpanan.path("unggahan/yatim.csv"))
    yatim.write_text("x")
    os.utime(yatim, (0, 0))
    call_command("hapus_berkas_impor", "--hari", "7")
    lama.refresh_from_db()
    baru.refresh_from_db()
    assert (lama.berkas_simpan, lama.berkas_ditolak) == ("", "")
    assert not yatim.exists()
    macet.refresh_from_db()
    assert macet.status == StatusImpor.GAGAL and "tidak selesai" in macet.pesan
    assert baru.berkas_simpan and penyimpanan.exists(baru.berkas_simpan) and penyimpanan.exists(baru.berkas_ditolak)
    assert staf.get(reverse("impor:ditolak-xlsx", args=[lama.pk])).status_code == 404
    teks = staf.get(reverse("impor:pratinjau", args=[lama.pk])).content.decode()
    assert "sudah dihapus" in teks and 'name="mode"' not in teks


def test_templat_kosong_dari_halaman_unggah(staf):
    from openpyxl import load_workbook

    teks = staf.get(reverse("impor:unggah")).content.decode()
    url = reverse("impor:templat", args=["penduduk"])
    assert url in teks
    resp = staf.get(url)
    assert resp.status_code == 200 and "attachment" in resp["Content-Disposition"]
    buku = load_workbook(io.BytesIO(resp.content))
    assert "Petunjuk" in buku.sheetnames
    assert staf.get("/impor/templat/tidak-ada.xlsx").status_code == 404
