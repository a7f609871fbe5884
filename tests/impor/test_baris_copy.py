"""The COPY line of the PostgreSQL write path: the fast join must equal the cell-by-cell escape."""

from __future__ import annotations

from datetime import date

import pytest

from impor.jenis.penduduk import _ada_huruf, _baris_copy, _copy


def _lambat(r, akhir="\n"):
    return "\t".join(map(_copy, r)) + akhir


@pytest.mark.parametrize(
    "baris",
    [
        ("1376010101800001", "BUDI", date(1980, 1, 1), 5, None, "001"),
        ("a\\b", None, "c"),  # a backslash beside a None: both escaped, not mistaken for each other
        ("x\\N", "y", None),
        ("tab\there", "ok"),
        ("baris\nbaru", "ok"),
        ("cr\rhere", None),
        (None, None, None),
        ("", "", 0),
        (True, False, "t"),
    ],
)
def test_baris_copy_sama_dengan_escape_per_sel(baris):
    assert _baris_copy(baris) == _lambat(baris)
    assert _baris_copy(baris, "\tX\n") == _lambat(baris, "\tX\n")


@pytest.mark.parametrize(
    ("teks", "ada"),
    [("Budi", True), ("123", False), ("  -_.", False), ("أحمد", True), ("१२३", False), ("²", False), ("1a", True)],
)
def test_ada_huruf_sama_dengan_isalpha(teks, ada):
    assert _ada_huruf(teks) is ada
    assert ada is any(c.isalpha() for c in teks)
