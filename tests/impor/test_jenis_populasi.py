"""The ``populasi`` import: population and KK per kelurahan by code, BPS code, name or alias."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impor import layanan
from impor.berkas import buka
from impor.jenis import populasi as jenis_populasi
from impor.models import StatusImpor
from impor.nilai import GalatNilai, bulat
from wilayah.models import Kelurahan

pytestmark = pytest.mark.django_db


def jalankan(path, oleh=None, **kw):
    tugas = layanan.impor_buat(oleh=oleh, nama_berkas=path.name, jenis="populasi", **kw)
    hasil = layanan.impor_jalankan(tugas=tugas, path=path, oleh=oleh)
    tugas.refresh_from_db()
    return tugas, hasil


def test_populasi(berkas, user_staf, kelurahan_a, kelurahan_b):
    isi = [
        ["NO", "KELURAHAN", "JUMLAH PENDUDUK (JIWA)", "JUMLAH KK"],
        [1, "KEL. TANJUANG PAUH", "3.120", "910"],
        [2, kelurahan_b.kode.replace(".", ""), 2500, ""],
        [3, "1376010028", 400, 100],  # BPS: Tanah Mati
        [4, "1376010027", 600, 150],  # BPS: Padang Data, same Kemendagri kelurahan
    ]
    path = berkas("pop.csv", isi, pemisah=";", encoding="utf-8-sig", judul=[["JUMLAH PENDUDUK 2024"]])
    tugas, hasil = jalankan(path, user_staf)
    assert tugas.status == StatusImpor.SELESAI, tugas.pesan
    kelurahan_a.refresh_from_db()
    kelurahan_b.refresh_from_db()
    assert (kelurahan_a.jumlah_penduduk, kelurahan_a.jumlah_kk) == (3120, 910)
    assert (kelurahan_b.jumlah_penduduk, kelurahan_b.jumlah_kk) == (2500, None)
    assert Kelurahan.objects.get(kode="13.76.01.1034").jumlah_penduduk == 1000
    assert hasil.baru == 3 and hasil.berperingatan == 1
    _t, hasil = jalankan(path, user_staf)
    assert (hasil.baru, hasil.diubah, hasil.tetap) == (0, 0, 3)
    # A blank keeps the value; a new figure changes it.
    _t, hasil = jalankan(berkas("b.csv", [["KELURAHAN", "JIWA"], ["Napar", 2600]]), user_staf)
    kelurahan_b.refresh_from_db()
    assert hasil.diubah == 1 and kelurahan_b.jumlah_penduduk == 2600


def test_galat_dan_ganda(berkas, user_staf):
    isi = [
        ["KELURAHAN", "JUMLAH PENDUDUK", "JUMLAH KK"],
        ["Napar", "-5", "x"],
        ["Atlantis", 10, 1],
        ["Napar", 10, 20],
        ["Tanjuang Pauh", 100, 20],
        ["tanjuang pauh", 100, 20],
    ]
    tugas, hasil = jalankan(berkas("a.xlsx", isi), user_staf)
    assert tugas.status == StatusImpor.DITOLAK and hasil.ditolak == 4
    kolom = {(g.baris, g.kolom) for g in hasil.galat}
    assert {(2, "JUMLAH PENDUDUK"), (2, "JUMLAH KK"), (3, "KELURAHAN"), (4, "JUMLAH KK"), (6, "KELURAHAN")} <= kolom
    assert not Kelurahan.objects.exclude(jumlah_penduduk=None).exists()
    tugas, hasil = jalankan(berkas("a.xlsx", isi), user_staf, lewati_galat=True)
    assert Kelurahan.objects.get(nama="Tanjuang Pauh").jumlah_penduduk == 100


teks = st.text(alphabet=st.characters(min_codepoint=32, exclude_categories=["Cs"]), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.none(),
                teks,
                st.integers(-(10**20), 10**20),
                st.floats(allow_nan=True),
            ),
            min_size=0,
            max_size=5,
        ),
        max_size=8,
    )
)
def test_properti_baris_acak_hanya_galat_baris(tmp_path_factory, rows):
    """Random malformed rows under a valid header never raise: each is read, rejected or empty."""
    from tests.impor.conftest import tulis_xlsx

    path = tulis_xlsx(tmp_path_factory.mktemp("p") / "a.xlsx", [["KELURAHAN", "JUMLAH PENDUDUK", "JUMLAH KK"], *rows])
    try:
        hasil = jenis_populasi.impor(buka(path), simpan=False)
    except layanan.BerkasTidakSah:
        return  # no data rows at all
    assert hasil.jumlah_baris == hasil.baru + hasil.diubah + hasil.tetap + hasil.ditolak


@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(allow_nan=True), st.booleans()))
def test_properti_bulat(nilai):
    with contextlib.suppress(GalatNilai):
        assert bulat(nilai) >= 0
