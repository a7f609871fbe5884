"""The server-side SVG chart (kemiskinan/grafik.py) and the number formats of the pages."""

import datetime as dt
from decimal import Decimal

from kemiskinan.grafik import LEBAR, RINGKAS, DataGrafik, burn_down
from kemiskinan.templatetags.kemiskinan import angka, persen, rupiah

D = dt.date


def _data(**ubah) -> DataGrafik:
    data = {
        "judul": "Burn-down <KK>",
        "deskripsi": "Tercatat 41 KK & 7 KK",
        "satuan": "KK",
        "aktual": [(D(2023, 6, 16), 41), (D(2023, 6, 30), 40), (D(2026, 11, 28), 7)],
        "baseline": D(2023, 6, 16),
        "awal_target": 41,
        "tanggal_target": D(2024, 12, 31),
        "tanggal_nol": D(2028, 9, 2),
    }
    data.update(ubah)
    return DataGrafik(**data)


def test_svg_bisa_dibaca_dan_aman_untuk_csp():
    svg = burn_down(_data(), LEBAR, "g")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert '<title id="g-judul">Burn-down &lt;KK&gt;</title>' in svg
    assert '<desc id="g-desk">Tercatat 41 KK &amp; 7 KK</desc>' in svg
    assert 'aria-labelledby="g-judul g-desk"' in svg and 'role="img"' in svg
    assert "style=" not in svg and "<script" not in svg
    assert "Target 31/12/2024" in svg and "nol 09/2028" in svg
    assert svg.count("<polyline") == 2  # the target line and the actual stock
    assert "Jan 2024" in svg


def test_svg_ringkas_dan_tanpa_target_atau_proyeksi():
    svg = burn_down(_data(awal_target=None, tanggal_target=None, tanggal_nol=None), RINGKAS, "r")
    assert "Target" not in svg and "nol " not in svg and svg.count("<polyline") == 1
    assert ">2024<" in svg and "Jan 2024" not in svg  # years only on a phone


def test_proyeksi_jauh_dipotong_dengan_tanggalnya():
    svg = burn_down(_data(tanggal_nol=D(2040, 1, 1)), LEBAR, "g")
    assert "nol 01/2040 →" in svg


def test_format_angka_rupiah_persen():
    assert rupiah(1_288_680) == "Rp1.288.680" and rupiah(None) == "—"
    assert angka(149_077) == "149.077" and angka(7) == "7"
    assert persen(Decimal("0.149"), 3) == "0,149%" and persen(None) == "—"
