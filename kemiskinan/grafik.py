"""The burn-down chart as server-side SVG: no JavaScript, no CDN, nothing inline for the CSP to block
(colours are SVG presentation attributes, not ``style``).

Three lines on one time axis: the target line (baseline to zero on the target date, grey dashed),
the actual stock (green, one point per month end), and the projection from the last six months
(orange dashed, to the projected date of zero). The SVG carries a ``<title>`` and a ``<desc>``
that says the same in words; the page shows the numbers in a table below it.

Two sizes share the code: ``LEBAR`` for a laptop, ``RINGKAS`` for a phone (fewer ticks, larger
text relative to the width).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kemiskinan.progres import awal_bulan, tambah_bulan

NAMA_BULAN = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
HIJAU, ABU, JINGGA, MERAH, GARIS_BANTU, TEKS = "#198754", "#6c757d", "#d9480f", "#dc3545", "#dee2e6", "#212529"
# A white outline behind a label drawn over the lines, so it stays readable where it crosses one.
HALO = 'stroke="#fff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"'
# The projection is drawn at most this far past ``per``; beyond it the line stops with its date.
BULAN_PROYEKSI_DIGAMBAR = 36


@dataclass(frozen=True)
class Ukuran:
    lebar: int
    tinggi: int
    kiri: int
    kanan: int
    atas: int
    bawah: int
    huruf: int
    bulan_per_label: int  # months between x-axis labels


LEBAR = Ukuran(760, 320, 48, 20, 24, 40, 12, 6)
RINGKAS = Ukuran(360, 280, 40, 14, 24, 40, 12, 12)


@dataclass(frozen=True)
class DataGrafik:
    judul: str
    deskripsi: str
    satuan: str  # "KK" or "jiwa"
    aktual: list[tuple[dt.date, int]]  # from the baseline to ``per``
    baseline: dt.date
    awal_target: float | None  # the target line's start on the baseline date (None: no target)
    tanggal_target: dt.date | None
    tanggal_nol: dt.date | None  # projected date of zero


def _langkah_rapi(maks: float, jumlah: int = 5) -> int:
    """A round tick step (1, 2, 5, 10, 20, 25, 50, ...) giving at most ``jumlah`` ticks."""
    pengali = 1
    while True:
        for dasar in (1, 2, 5):
            langkah = dasar * pengali
            if maks / langkah <= jumlah:
                return langkah
        if maks / (25 * pengali) <= jumlah:
            return 25 * pengali
        pengali *= 10


def _label_bulan(tanggal: dt.date) -> str:
    return f"{NAMA_BULAN[tanggal.month - 1]} {tanggal.year}"


def burn_down(data: DataGrafik, ukuran: Ukuran = LEBAR, id_awalan: str = "grafik") -> SafeString:
    u = ukuran
    per = data.aktual[-1][0]
    x_akhir = max(per, data.tanggal_target or per)
    terpotong = False
    if data.tanggal_nol is not None:
        batas = tambah_bulan(per, BULAN_PROYEKSI_DIGAMBAR)
        terpotong = data.tanggal_nol > batas
        x_akhir = max(x_akhir, min(data.tanggal_nol, batas))
    x_awal = awal_bulan(data.baseline)
    x_akhir = tambah_bulan(awal_bulan(x_akhir), 1)
    y_maks_data = max([v for _, v in data.aktual] + [data.awal_target or 0, 1])
    langkah = _langkah_rapi(y_maks_data)
    y_maks = langkah * -(-y_maks_data // langkah)

    lebar_plot = u.lebar - u.kiri - u.kanan
    tinggi_plot = u.tinggi - u.atas - u.bawah
    rentang = (x_akhir - x_awal).days or 1

    def x(t: dt.date) -> float:
        return round(u.kiri + (t - x_awal).days / rentang * lebar_plot, 1)

    def y(v: float) -> float:
        return round(u.atas + tinggi_plot - v / y_maks * tinggi_plot, 1)

    id_judul, id_desk = f"{id_awalan}-judul", f"{id_awalan}-desk"
    bagian = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {u.lebar} {u.tinggi}" class="w-100 h-auto" '
        f'role="img" aria-labelledby="{id_judul} {id_desk}" font-family="system-ui, sans-serif" '
        f'font-size="{u.huruf}" fill="{TEKS}">',
        f'<title id="{id_judul}">{escape(data.judul)}</title>',
        f'<desc id="{id_desk}">{escape(data.deskripsi)}</desc>',
    ]
    # y grid and labels
    for v in range(0, int(y_maks) + 1, langkah):
        bagian.append(f'<line x1="{u.kiri}" x2="{u.lebar - u.kanan}" y1="{y(v)}" y2="{y(v)}" stroke="{GARIS_BANTU}"/>')
        bagian.append(f'<text x="{u.kiri - 6}" y="{y(v) + 4}" text-anchor="end">{v}</text>')
    bagian.append(
        f'<text x="{u.kiri - 6}" y="{u.atas - 10}" text-anchor="end" fill="{ABU}">{escape(data.satuan)}</text>'
    )
    # x ticks: January and July (or January only on a phone)
    bulan = x_awal
    while bulan <= x_akhir:
        if (bulan.month - 1) % u.bulan_per_label == 0:
            bagian.append(
                f'<line x1="{x(bulan)}" x2="{x(bulan)}" y1="{u.atas + tinggi_plot}" y2="{u.atas + tinggi_plot + 5}" '
                f'stroke="{ABU}"/>'
            )
            teks = _label_bulan(bulan) if u.bulan_per_label < 12 else str(bulan.year)
            bagian.append(f'<text x="{x(bulan)}" y="{u.atas + tinggi_plot + 20}" text-anchor="middle">{teks}</text>')
        bulan = tambah_bulan(bulan, 1)
    bagian.append(f'<line x1="{u.kiri}" x2="{u.lebar - u.kanan}" y1="{y(0)}" y2="{y(0)}" stroke="{ABU}"/>')
    # the target date and the target line
    if data.tanggal_target is not None and data.awal_target is not None:
        xt = x(data.tanggal_target)
        bagian.append(f'<line x1="{xt}" x2="{xt}" y1="{u.atas}" y2="{y(0)}" stroke="{MERAH}" stroke-dasharray="2 3"/>')
        jangkar = "end" if xt > u.lebar - 90 else "start"
        geser = -4 if jangkar == "end" else 4
        bagian.append(
            f'<text x="{xt + geser}" y="{u.atas - 8}" text-anchor="{jangkar}" fill="{MERAH}">'
            f"Target {data.tanggal_target:%d/%m/%Y}</text>"
        )
        bagian.append(
            f'<polyline points="{x(data.baseline)},{y(data.awal_target)} {xt},{y(0)} {x(x_akhir)},{y(0)}" '
            f'fill="none" stroke="{ABU}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    # the projection
    stok_kini = data.aktual[-1][1]
    if data.tanggal_nol is not None and stok_kini > 0:
        if terpotong:
            ujung = x_akhir
            sisa = stok_kini * (1 - (ujung - per).days / max((data.tanggal_nol - per).days, 1))
        else:
            ujung, sisa = data.tanggal_nol, 0
        bagian.append(
            f'<line x1="{x(per)}" y1="{y(stok_kini)}" x2="{x(ujung)}" y2="{y(sisa)}" stroke="{JINGGA}" '
            f'stroke-width="2.5" stroke-dasharray="8 5"/>'
        )
        bagian.append(f'<circle cx="{x(ujung)}" cy="{y(sisa)}" r="4" fill="{JINGGA}"/>')
        label = f"nol {data.tanggal_nol:%m/%Y}" + (" →" if terpotong else "")
        bagian.append(
            f'<text x="{x(ujung)}" y="{y(sisa) - 14}" text-anchor="end" fill="{JINGGA}" font-weight="600" {HALO}>'
            f"{escape(label)}</text>"
        )
    # the actual stock
    titik = " ".join(f"{x(t)},{y(v)}" for t, v in data.aktual)
    bagian.append(f'<polyline points="{titik}" fill="none" stroke="{HIJAU}" stroke-width="3" stroke-linejoin="round"/>')
    xa, ya = x(data.aktual[0][0]), y(data.aktual[0][1])
    bagian.append(f'<circle cx="{xa}" cy="{ya}" r="4" fill="{HIJAU}"/>')
    xp, yp = x(per), y(stok_kini)
    bagian.append(f'<circle cx="{xp}" cy="{yp}" r="5" fill="{HIJAU}"/>')
    # The figure beside the last point, on the side with room.
    kanan = xp + 40 < u.lebar - u.kanan
    bagian.append(
        f'<text x="{xp + 8 if kanan else xp - 8}" y="{yp - 8}" text-anchor="{"start" if kanan else "end"}" '
        f'font-weight="600" fill="{HIJAU}" {HALO}>{stok_kini}</text>'
    )
    bagian.append("</svg>")
    return mark_safe("".join(bagian))  # noqa: S308 - every text above is escaped or a number/date
