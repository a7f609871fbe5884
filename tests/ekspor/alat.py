"""Helpers of the export tests: download a list as xlsx or csv and read it back."""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook


def isi(resp) -> bytes:
    return b"".join(resp.streaming_content) if resp.streaming else resp.content


def unduh(client, nama_url: str, fmt: str = "xlsx", **params):
    params["unduh"] = fmt
    return client.get(reverse(nama_url), params)


def baca_xlsx(data: bytes) -> list[tuple]:
    wb = load_workbook(io.BytesIO(data))
    return [tuple(r) for r in wb.active.iter_rows(values_only=True)]


def baca_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def tabel(client, nama_url: str, fmt: str = "xlsx", **params) -> list[dict]:
    """The export as a list of {header: value}; asserts a 200 with the right content type."""
    resp = unduh(client, nama_url, fmt, **params)
    assert resp.status_code == 200, resp.status_code
    data = isi(resp)
    baris = baca_xlsx(data) if fmt == "xlsx" else baca_csv(data)
    kepala, *sisa = baris
    return [dict(zip(kepala, b, strict=True)) for b in sisa]
