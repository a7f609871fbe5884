"""Property: whatever the rows under a valid header hold, the import answers with row errors,
never with an exception; and every data row is counted exactly once."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impor.berkas import Lembar
from impor.jenis import penduduk
from tests.impor.conftest import KK1, NIK_SUAMI, SIKS_NG

sel = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(alphabet="0123456789 .'-/", max_size=20),
    st.sampled_from([NIK_SUAMI, KK1, "L", "P", "2", "Tanjuang Pauh", "KEL. TANAH MATI", "ANAK", "12/08/1975", "=1+1"]),
    st.integers(min_value=-(10**17), max_value=10**17),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=date(1, 1, 1)),
    st.datetimes(min_value=datetime(1, 1, 1)),
)
baris = st.lists(st.lists(sel, min_size=0, max_size=26), min_size=1, max_size=8)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(isi=baris)
def test_baris_acak_hanya_menjadi_galat_baris(isi):
    rows = [(1, list(SIKS_NG))] + [(i + 2, r) for i, r in enumerate(isi)]
    lembar = Lembar(format="xlsx", nama="x", baris=iter(rows), semua_lembar=["x"])
    try:
        hasil = penduduk.impor(lembar, simpan=True, lewati_galat=True)
    except Exception as exc:  # only "no data rows" may refuse the whole file
        from impor.berkas import BerkasTidakSah

        assert isinstance(exc, BerkasTidakSah) and "Tidak ada baris data" in exc.pesan
        return
    assert hasil.jumlah_baris == hasil.baru + hasil.diubah + hasil.tetap + hasil.ditolak
    assert all(g.baris >= 2 and g.kolom and g.pesan for g in hasil.galat)
