"""The monthly report (xlsx and print page) agrees with the dashboard for the same area and month."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dasbor.laporan import aman
from tests.dasbor.conftest import ANGKA

pytestmark = pytest.mark.django_db

# Ringkasan sheet label → the dashboard figure it must equal.
RINGKASAN = {
    "PPKS terdaftar": "ppks",
    "PPKS baru bulan ini": "ppks_baru",
    "PPKS selesai bulan ini": "ppks_selesai",
    "Kasus dilaporkan bulan ini": "kasus_masuk",
    "Kasus selesai/ditutup bulan ini": "kasus_selesai",
    "Kasus direspons pertama kali bulan ini": "kasus_direspons",
    "Kasus terbuka saat ini": "kasus_terbuka",
    "Kasus melewati batas waktu saat ini": "kasus_terlambat",
    "KK miskin ekstrem": "miskin_kk",
    "Jiwa miskin ekstrem": "miskin_jiwa",
    "Penyaluran bantuan bulan ini": "salur_jumlah",
    "Rupiah tersalur bulan ini": "salur_rupiah",
    "Penyaluran dikonfirmasi keluarga": "salur_dikonfirmasi",
    "Rupiah diterima menurut keluarga": "salur_diterima_rupiah",
    "Bendera integritas terbuka": "bendera_terbuka",
    "Pengaduan masuk bulan ini": "aduan_masuk",
    "Pengaduan selesai bulan ini": "aduan_selesai",
    "Pengaduan terbuka saat ini": "aduan_terbuka",
    "Pengaduan melewati batas waktu saat ini": "aduan_terlambat",
    "Kelurahan tanpa PSM aktif": "tanpa_psm",
}


def _xlsx(client, **params):
    resp = client.get(reverse("dasbor:laporan-xlsx"), params)
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(io.BytesIO(resp.content))


def _ringkasan(wb) -> dict:
    return {baris[0]: baris[1] for baris in wb["Ringkasan"].iter_rows(min_row=8, values_only=True) if baris[0]}


@pytest.mark.parametrize("peran, params", [("staf", {}), ("pimpinan", {}), ("staf", {"kelurahan": "a"})])
def test_xlsx_sama_dengan_dasbor_bulan_yang_sama(client, dunia, cast, periode, peran, params):
    if params.get("kelurahan"):
        params = {"kelurahan": str(dunia["a"].pk)}
    client.force_login(cast[peran])
    q = {"periode": periode.kode, **params}
    dasbor = client.get(reverse("dasbor:index"), q).context["t"]
    wb = _xlsx(client, **q)
    isi = _ringkasan(wb)
    for label, nama in RINGKASAN.items():
        assert isi[label] == getattr(dasbor, nama), label
        assert isinstance(isi[label], int), label  # numbers as numbers
    assert isi["Median waktu respons (jam)"] == 110.0 if not params else 4.0
    # ... and the hand-computed figures
    kunci = "a" if params else "kota"
    assert isi["PPKS terdaftar"] == ANGKA[kunci]["ppks"]
    assert wb.sheetnames == ["Ringkasan", "PPKS", "Kasus", "Kemiskinan ekstrem", "Bantuan", "Pengaduan"]


def test_xlsx_lembar_ppks_per_jenis_dan_kelurahan(client, dunia, user_staf, periode):
    client.force_login(user_staf)
    ws = _xlsx(client, periode=periode.kode, kelurahan=str(dunia["a"].pk))["PPKS"]
    baris = [tuple(v for v in b if v is not None) for b in ws.iter_rows(values_only=True)]
    assert baris[1] == ("Jenis PPKS", "Tanjuang Pauh", "Jumlah")
    assert set(baris[2:4]) == {("Lanjut Usia Telantar", 1, 1), ("Anak Telantar", 2, 2)}
    assert baris[4] == ("Jumlah", 3, 3)


def test_xlsx_psm_tanpa_pengaduan(client, dunia, psm_a, periode):
    client.force_login(psm_a)
    wb = _xlsx(client, periode=periode.kode)
    assert "Pengaduan" not in wb.sheetnames
    isi = _ringkasan(wb)
    assert not any(label.startswith(("Pengaduan", "Bendera")) for label in isi)
    assert isi["PPKS terdaftar"] == ANGKA["a"]["ppks"]


def test_laporan_html_sama_dengan_dasbor(client, dunia, user_staf, periode):
    client.force_login(user_staf)
    q = {"periode": periode.kode}
    dasbor = client.get(reverse("dasbor:index"), q).context["t"]
    resp = client.get(reverse("dasbor:laporan"), q)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert f'data-angka="ppks">{dasbor.ppks}<' in html
    assert f'data-angka="kasus_masuk">{dasbor.kasus_masuk} / {dasbor.kasus_selesai}<' in html
    assert f'data-angka="salur_jumlah">{dasbor.salur_jumlah} / Rp1.700.000<' in html
    assert 'data-angka="median">4 hari 14 jam<' in html  # 110 h
    assert "dasbor/cetak.css" in html and "data-cetak" in html
    assert "<script>" not in html and "onclick" not in html


def test_cetak_css_a4_tanpa_navigasi():
    from django.contrib.staticfiles import finders

    with open(finders.find("dasbor/cetak.css"), encoding="utf-8") as f:
        css = f.read()
    assert "size: A4" in css and "@media print" in css and "nav.navbar" in css


@pytest.mark.parametrize("teks", ["=1+1", "+62", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_sel_teks_formula_diberi_apostrof(teks):
    assert aman(teks) == "'" + teks
    assert aman(5) == 5 and aman("Tanjuang Pauh") == "Tanjuang Pauh"


def test_nama_kelurahan_berbahaya_tidak_jadi_formula(client, dunia, user_staf, periode):
    dunia["a"].nama = '=HYPERLINK("http://x")'
    dunia["a"].save()
    client.force_login(user_staf)
    ws = _xlsx(client, periode=periode.kode, kelurahan=str(dunia["a"].pk))["PPKS"]
    assert ws.cell(row=2, column=2).value == '\'=HYPERLINK("http://x")'
    assert ws.cell(row=2, column=2).data_type == "s"
