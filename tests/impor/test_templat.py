"""Blank templates: one per import type, header the import recognises, text-formatted number
columns, an example row, and a "Petunjuk" sheet."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from impor.berkas import BerkasTidakSah, Lembar, buka
from impor.jenis import JENIS
from impor.kepala import _indeks_sinonim, cocokkan
from impor.templat import KOLOM, templat_xlsx

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kode", list(JENIS))
def test_templat(kode, tmp_path):
    data = templat_xlsx(kode)
    buku = load_workbook(io.BytesIO(data))
    assert buku.sheetnames == ["Data", "Petunjuk"]
    lembar = buku["Data"]
    kepala = [c.value for c in lembar[1]]
    assert kepala == [k.judul for k in KOLOM[kode]]
    # Every header is recognised by the import, at its own column.
    modul = JENIS[kode].pelaksana()
    kolom, _judul = cocokkan(kepala, _indeks_sinonim(modul.SINONIM))
    assert kolom == {k.medan: i for i, k in enumerate(KOLOM[kode])}
    assert set(modul.WAJIB) <= set(kolom)
    # NIK / No KK / ID columns are text, in the example row and in the rows to fill.
    for i, k in enumerate(KOLOM[kode], start=1):
        if k.medan in ("nik", "no_kk", "id_p3ke", "id_eksternal"):
            assert k.teks
        if k.teks:
            assert lembar.cell(row=2, column=i).number_format == "@"
            assert lembar.cell(row=500, column=i).number_format == "@"
            assert not isinstance(lembar.cell(row=2, column=i).value, (int, float))
    # Instructions: one row per column, whether it is required, and the other names.
    petunjuk = [[c.value for c in r] for r in buku["Petunjuk"].iter_rows()]
    baris_kolom = {r[0]: r for r in petunjuk if r and r[0] in kepala}
    assert set(baris_kolom) == set(kepala)
    assert all(r[1] and r[2] for r in baris_kolom.values())
    # The template itself imports (dry run): one data row, read without an exception.
    path = tmp_path / f"{kode}.xlsx"
    path.write_bytes(data)
    hasil = modul.impor(buka(path), simpan=False)
    assert hasil.jumlah_baris == 1 and hasil.baris_kepala == 1


def test_templat_menyebut_sinonim():
    buku = load_workbook(io.BytesIO(templat_xlsx("penduduk")))
    teks = " ".join(str(c.value) for r in buku["Petunjuk"].iter_rows() for c in r if c.value)
    assert "NOMOR KK" in teks and "TGL LAHIR" in teks and "L/P" in teks
    with pytest.raises(KeyError):
        templat_xlsx("entah")


sel_acak = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.text(alphabet="0123456789 .,'-/Rp", max_size=20),
    st.sampled_from(["1376011208750001", "Tanjuang Pauh", "PKH", "LUT", "1", "Kepala Keluarga", "12/08/1975", "Ya"]),
    st.integers(min_value=-(10**17), max_value=10**17),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=date(1, 1, 1)),
)


@pytest.mark.parametrize("kode", [k for k in JENIS if k != "penduduk"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(isi=st.lists(st.lists(sel_acak, max_size=12), min_size=1, max_size=6))
def test_properti_semua_jenis_baris_acak(kode, isi):
    """Random rows under each type's template header: row errors only (dry run), each row counted once."""
    kepala = [k.judul for k in KOLOM[kode]]
    rows = [(1, kepala)] + [(i + 2, r) for i, r in enumerate(isi)]
    lembar = Lembar(format="xlsx", nama="x", baris=iter(rows), semua_lembar=["x"])
    try:
        hasil = JENIS[kode].pelaksana().impor(lembar, simpan=False)
    except BerkasTidakSah as exc:
        assert "Tidak ada baris data" in exc.pesan
        return
    assert hasil.jumlah_baris == hasil.baru + hasil.diubah + hasil.tetap + hasil.ditolak
