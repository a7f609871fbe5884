"""The dashboard's charts as server-side SVG (no JavaScript, no CDN, nothing inline for the CSP:
colours are SVG presentation attributes, not ``style``), in the manner of ``kemiskinan.grafik``.

Each chart has a ``<title>`` and a ``<desc>``; the page shows the numbers in a table beside it.
Every text is escaped or a number.
"""

from __future__ import annotations

import datetime as dt

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kemiskinan.grafik import ABU, GARIS_BANTU, HIJAU, JINGGA, TEKS, _langkah_rapi

NAMA_BULAN = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
BIRU = "#0d6efd"
WARNA = ("#198754", "#0d6efd", "#d9480f", "#6f42c1", "#20c997", "#fd7e14", "#6c757d", "#d63384", "#0dcaf0")


def angka_id(n: int | float) -> str:
    """1234567 → "1.234.567" (the site's number format)."""
    return f"{round(n):,}".replace(",", ".")


def rupiah_ringkas(n: int | float) -> str:
    """Axis labels: Rp12 jt, Rp1,5 M."""
    if n >= 1_000_000_000:
        return f"Rp{n / 1_000_000_000:.1f} M".replace(".0 ", " ").replace(".", ",")
    if n >= 1_000_000:
        return f"Rp{n / 1_000_000:.1f} jt".replace(".0 ", " ").replace(".", ",")
    return f"Rp{angka_id(n)}"


def _kepala(id_awalan: str, lebar: int, tinggi: int, judul: str, deskripsi: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {lebar} {tinggi}" class="w-100 h-auto" '
        f'role="img" aria-labelledby="{id_awalan}-judul {id_awalan}-desk" font-family="system-ui, sans-serif" '
        f'font-size="12" fill="{TEKS}">',
        f'<title id="{id_awalan}-judul">{escape(judul)}</title>',
        f'<desc id="{id_awalan}-desk">{escape(deskripsi)}</desc>',
    ]


def _skala(maks: float) -> tuple[int, int]:
    langkah = _langkah_rapi(max(maks, 1))
    return langkah, langkah * -(-max(int(maks), 1) // langkah)


def batang_mendatar(
    data: list[tuple[str, int]], *, judul: str, deskripsi: str, id_awalan: str, warna: str = HIJAU
) -> SafeString:
    """Horizontal bars, one per label (PPKS by jenis), the value at the end of each bar."""
    lebar, kiri, kanan, baris = 520, 190, 56, 22
    tinggi = max(len(data), 1) * baris + 10
    maks = max([v for _, v in data] + [1])
    bagian = _kepala(id_awalan, lebar, tinggi, judul, deskripsi)
    ruang = lebar - kiri - kanan
    for i, (label, nilai) in enumerate(data):
        y = 5 + i * baris
        panjang = round(nilai / maks * ruang, 1)
        teks = label if len(label) <= 30 else label[:29] + "…"
        bagian.append(f'<text x="{kiri - 6}" y="{y + 15}" text-anchor="end">{escape(teks)}</text>')
        bagian.append(f'<rect x="{kiri}" y="{y + 3}" width="{panjang}" height="{baris - 7}" fill="{warna}" rx="2"/>')
        bagian.append(f'<text x="{kiri + panjang + 5}" y="{y + 15}" font-weight="600">{angka_id(nilai)}</text>')
    if not data:
        bagian.append(f'<text x="{lebar / 2}" y="20" text-anchor="middle" fill="{ABU}">Belum ada data</text>')
    bagian.append("</svg>")
    return mark_safe("".join(bagian))  # noqa: S308 - every text above is escaped or a number


def _sumbu_bulan(bagian: list[str], bulan: list[dt.date], x, y0: float, lebar_kolom: float) -> None:
    for i, b in enumerate(bulan):
        label = NAMA_BULAN[b.month - 1] if b.month != 1 and i else f"{NAMA_BULAN[b.month - 1]} {b:%y}"
        bagian.append(f'<text x="{x(i) + lebar_kolom / 2}" y="{y0 + 16}" text-anchor="middle">{label}</text>')


def batang_bulanan(
    bulan: list[dt.date],
    seri: list[tuple[str, str, list[int]]],
    *,
    judul: str,
    deskripsi: str,
    id_awalan: str,
    bertumpuk: bool = False,
    rupiah: bool = False,
) -> SafeString:
    """Bars per month: side by side (cases reported vs closed) or stacked (rupiah per programme).
    ``seri``: (label, colour, a value per month)."""
    lebar, tinggi, kiri, kanan, atas, bawah = 560, 250, 62, 10, 14, 52
    n = max(len(bulan), 1)
    if bertumpuk:
        maks = max([sum(s[2][i] for s in seri) for i in range(len(bulan))] + [1])
    else:
        maks = max([v for s in seri for v in s[2]] + [1])
    langkah, y_maks = _skala(maks)
    tinggi_plot = tinggi - atas - bawah
    lebar_kolom = (lebar - kiri - kanan) / n

    def x(i: int) -> float:
        return kiri + i * lebar_kolom

    def y(v: float) -> float:
        return round(atas + tinggi_plot - v / y_maks * tinggi_plot, 1)

    bagian = _kepala(id_awalan, lebar, tinggi, judul, deskripsi)
    for v in range(0, y_maks + 1, langkah):
        bagian.append(f'<line x1="{kiri}" x2="{lebar - kanan}" y1="{y(v)}" y2="{y(v)}" stroke="{GARIS_BANTU}"/>')
        label = rupiah_ringkas(v) if rupiah else angka_id(v)
        bagian.append(f'<text x="{kiri - 6}" y="{y(v) + 4}" text-anchor="end">{escape(label)}</text>')
    y0 = y(0)
    for i in range(len(bulan)):
        if bertumpuk:
            dasar = 0
            for _label, warna, nilai in seri:
                if nilai[i]:
                    atas_b, bawah_b = y(dasar + nilai[i]), y(dasar)
                    bagian.append(
                        f'<rect x="{round(x(i) + lebar_kolom * 0.15, 1)}" y="{atas_b}" '
                        f'width="{round(lebar_kolom * 0.7, 1)}" height="{round(bawah_b - atas_b, 1)}" fill="{warna}"/>'
                    )
                dasar += nilai[i]
        else:
            lebar_b = lebar_kolom * 0.8 / max(len(seri), 1)
            for j, (_label, warna, nilai) in enumerate(seri):
                xb = round(x(i) + lebar_kolom * 0.1 + j * lebar_b, 1)
                bagian.append(
                    f'<rect x="{xb}" y="{y(nilai[i])}" width="{round(lebar_b - 1, 1)}" '
                    f'height="{round(y0 - y(nilai[i]), 1)}" fill="{warna}"/>'
                )
    bagian.append(f'<line x1="{kiri}" x2="{lebar - kanan}" y1="{y0}" y2="{y0}" stroke="{ABU}"/>')
    _sumbu_bulan(bagian, bulan, x, y0, lebar_kolom)
    # legend under the axis
    lx = kiri
    for label, warna, _nilai in seri:
        bagian.append(f'<rect x="{lx}" y="{tinggi - 16}" width="10" height="10" fill="{warna}"/>')
        bagian.append(f'<text x="{lx + 14}" y="{tinggi - 7}">{escape(label)}</text>')
        lx += 24 + 7 * len(label)
    bagian.append("</svg>")
    return mark_safe("".join(bagian))  # noqa: S308 - every text above is escaped or a number


def grafik_kasus(bulan: list[dt.date], kasus_bulanan: list[tuple[dt.date, int, int]], id_awalan: str) -> SafeString:
    masuk = [m for _b, m, _s in kasus_bulanan]
    selesai = [s for _b, _m, s in kasus_bulanan]
    return batang_bulanan(
        bulan,
        [("Dilaporkan", JINGGA, masuk), ("Selesai/ditutup", HIJAU, selesai)],
        judul="Kasus dilaporkan dan selesai per bulan",
        deskripsi=f"{angka_id(sum(masuk))} kasus dilaporkan dan {angka_id(sum(selesai))} selesai atau ditutup "
        f"dalam {len(bulan)} bulan.",
        id_awalan=id_awalan,
    )


def grafik_bantuan(bulan: list[dt.date], per_program: dict[str, list[tuple[int, int]]], id_awalan: str) -> SafeString:
    seri = [
        (kode, WARNA[i % len(WARNA)], [r for _n, r in nilai]) for i, (kode, nilai) in enumerate(per_program.items())
    ]
    total = sum(r for s in seri for r in s[2])
    return batang_bulanan(
        bulan,
        seri,
        judul="Bantuan tersalur per program per bulan (rupiah)",
        deskripsi=f"Rp{angka_id(total)} tersalur dalam {len(bulan)} bulan, dari {len(seri)} program.",
        id_awalan=id_awalan,
        bertumpuk=True,
        rupiah=True,
    )


__all__ = ["BIRU", "angka_id", "batang_mendatar", "batang_bulanan", "grafik_bantuan", "grafik_kasus"]
