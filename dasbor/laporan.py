"""The monthly report as an xlsx workbook (openpyxl): a sheet per section, numbers as numbers.

Text cells that a spreadsheet would read as a formula (starting with ``= + - @``, tab, CR or NUL)
get a leading apostrophe (DESIGN.md, "Formula injection"); numbers stay numbers, rupiah get a
number format, percentages are numbers with a percent format.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dasbor.angka import Baris, Ringkasan
from kemiskinan import progres as hitungan

AWAL_BERBAHAYA = ("=", "+", "-", "@", "\t", "\r", "\0")
RUPIAH = '"Rp"#,##0'
PERSEN = "0.0%"
TEBAL = Font(bold=True)


def aman(nilai):
    """A cell value: numbers as they are, text escaped against formula injection."""
    if isinstance(nilai, str) and nilai.startswith(AWAL_BERBAHAYA):
        return "'" + nilai
    return nilai


def _tulis(ws, baris: list, *, tebal: bool = False, format_kolom: dict[int, str] | None = None) -> None:
    ws.append([aman(v) for v in baris])
    nomor = ws.max_row
    for i, sel in enumerate(ws[nomor], start=1):
        if tebal:
            sel.font = TEBAL
        if format_kolom and i in format_kolom and isinstance(sel.value, (int, float)):
            sel.number_format = format_kolom[i]


def _lebar(ws, lebar: dict[int, int]) -> None:
    for kolom, n in lebar.items():
        ws.column_dimensions[get_column_letter(kolom)].width = n


def _pecahan(bagian: int, semua: int) -> float | None:
    return round(bagian / semua, 4) if semua else None


def _baris_wilayah(r: Ringkasan) -> list[tuple[str, str, Baris]]:
    """(kecamatan, kelurahan, row) for each kelurahan, then the total."""
    hasil = []
    for kec in r.kecamatan:
        for b in kec.anak:
            hasil.append((kec.nama, b.nama, b))
    hasil.append(("Jumlah", "", r.total))
    return hasil


def nama_berkas(r: Ringkasan) -> str:
    return f"laporan-bulanan-{r.periode.kode}-{slugify(r.wilayah.nama)}.xlsx"


def buku_kerja(r: Ringkasan) -> bytes:
    wb = Workbook()
    t, p = r.total, r.progres
    ws = wb.active
    ws.title = "Ringkasan"
    _tulis(ws, ["Laporan bulanan Dinas Sosial Kota Payakumbuh"], tebal=True)
    _tulis(ws, ["Wilayah", r.wilayah.nama])
    _tulis(ws, ["Periode", r.periode.nama])
    _tulis(ws, ["Angka stok per tanggal", r.periode.akhir])
    ws["B4"].number_format = "DD/MM/YYYY"
    _tulis(ws, ["Dibuat", timezone.localtime().replace(tzinfo=None)])
    ws["B5"].number_format = "DD/MM/YYYY HH:MM"
    _tulis(ws, [])
    _tulis(ws, ["Angka", "Nilai"], tebal=True)
    ringkas = [
        ("PPKS terdaftar", t.ppks, None),
        ("PPKS baru bulan ini", t.ppks_baru, None),
        ("PPKS selesai bulan ini", t.ppks_selesai, None),
        ("Kasus dilaporkan bulan ini", t.kasus_masuk, None),
        ("Kasus selesai/ditutup bulan ini", t.kasus_selesai, None),
        ("Kasus direspons pertama kali bulan ini", t.kasus_direspons, None),
        ("Bagian direspons dalam batas waktu", _pecahan(t.kasus_tepat_waktu, t.kasus_direspons), PERSEN),
        ("Median waktu respons (jam)", _jam(r.median_respons), "0.0"),
        ("Kasus terbuka saat ini", t.kasus_terbuka, None),
        ("Kasus melewati batas waktu saat ini", t.kasus_terlambat, None),
        ("KK miskin ekstrem", p.kini.kk, None),
        ("Jiwa miskin ekstrem", p.kini.jiwa, None),
        ("KK pada baseline", p.baseline_garis.kk, None),
        ("Penyaluran bantuan bulan ini", t.salur_jumlah, None),
        ("Rupiah tersalur bulan ini", t.salur_rupiah, RUPIAH),
        ("Penyaluran dikonfirmasi keluarga", t.salur_dikonfirmasi, None),
        ("Rupiah diterima menurut keluarga", t.salur_diterima_rupiah, RUPIAH),
    ]
    if r.lihat_bendera:
        ringkas.append(("Bendera integritas terbuka", t.bendera_terbuka, None))
    if r.lihat_aduan:
        ringkas += [
            ("Pengaduan masuk bulan ini", t.aduan_masuk, None),
            ("Pengaduan selesai bulan ini", t.aduan_selesai, None),
            ("Pengaduan terbuka saat ini", t.aduan_terbuka, None),
            ("Pengaduan melewati batas waktu saat ini", t.aduan_terlambat, None),
        ]
    ringkas += [("Kelurahan tanpa PSM aktif", t.tanpa_psm, None)]
    for label, nilai, fmt in ringkas:
        _tulis(ws, [label, nilai], format_kolom={2: fmt} if fmt else None)
    _lebar(ws, {1: 42, 2: 22})

    # PPKS: jenis × kelurahan, then the status columns per kelurahan
    ws = wb.create_sheet("PPKS")
    kel = r.kelurahan
    _tulis(ws, [f"PPKS per jenis dan kelurahan, per {r.periode.akhir:%d/%m/%Y}"], tebal=True)
    _tulis(ws, ["Jenis PPKS", *[k.nama for k in kel], "Jumlah"], tebal=True)
    for j in r.jenis:
        _tulis(ws, [j.nama, *[j.per_kelurahan.get(k.kelurahan_id, 0) for k in kel], j.jumlah])
    _tulis(ws, ["Jumlah", *[k.ppks for k in kel], t.ppks], tebal=True)
    _tulis(ws, [])
    _tulis(ws, ["Kecamatan", "Kelurahan", "PPKS", "Aktif", "Dalam penanganan", "Tertangani", "Baru", "Selesai",
                "Belum dikunjungi"], tebal=True)  # fmt: skip
    for kec, nama, b in _baris_wilayah(r):
        _tulis(ws, [kec, nama, b.ppks, b.ppks_aktif, b.ppks_penanganan, b.ppks_tertangani, b.ppks_baru,
                    b.ppks_selesai, b.ppks_belum_dikunjungi], tebal=b is t)  # fmt: skip
    _lebar(ws, {1: 40})

    ws = wb.create_sheet("Kasus")
    _tulis(ws, [f"Kasus respons cepat, {r.periode.nama}"], tebal=True)
    _tulis(ws, ["Median waktu respons (jam)", _jam(r.median_respons)], format_kolom={2: "0.0"})
    _tulis(ws, ["Kecamatan", "Kelurahan", "Dilaporkan", "Selesai/ditutup", "Direspons", "Dalam batas waktu",
                "Bagian dalam batas waktu", "Terbuka kini", "Darurat", "Tinggi", "Biasa", "Terlambat kini"],
           tebal=True)  # fmt: skip
    for kec, nama, b in _baris_wilayah(r):
        _tulis(ws, [kec, nama, b.kasus_masuk, b.kasus_selesai, b.kasus_direspons, b.kasus_tepat_waktu,
                    _pecahan(b.kasus_tepat_waktu, b.kasus_direspons), b.kasus_terbuka, b.kasus_darurat,
                    b.kasus_tinggi, b.kasus_biasa, b.kasus_terlambat],
               tebal=b is t, format_kolom={7: PERSEN})  # fmt: skip
    _tulis(ws, [])
    _tulis(ws, ["Bulan", "Dilaporkan", "Selesai/ditutup"], tebal=True)
    for bulan, masuk, selesai in r.kasus_bulanan:
        _tulis(ws, [f"{bulan:%m/%Y}", masuk, selesai])
    _lebar(ws, {1: 28, 2: 22})

    ws = wb.create_sheet("Kemiskinan ekstrem")
    _tulis(ws, [f"Kemiskinan ekstrem per {p.per:%d/%m/%Y}"], tebal=True)
    baris = [
        ("Baseline", f"{p.baseline:%d/%m/%Y}"),
        ("KK pada baseline", p.baseline_garis.kk),
        ("Jiwa pada baseline", p.baseline_garis.jiwa),
        ("KK kini", p.kini.kk),
        ("Jiwa kini", p.kini.jiwa),
        ("Persen penduduk", float(p.persen) / 100 if p.persen is not None else None),
        ("Masuk sejak baseline (KK)", p.masuk.kk),
        ("Keluar sejak baseline (KK)", p.keluar.kk),
        ("Tanggal target nol", f"{p.target.tanggal_target:%d/%m/%Y}" if p.target else "—"),
        ("Proyeksi nol", f"{p.proyeksi.tanggal_nol:%d/%m/%Y}" if p.proyeksi.tanggal_nol else "—"),
        ("Status proyeksi", _status_proyeksi(p.proyeksi)),
    ]
    for label, nilai in baris:
        _tulis(ws, [label, nilai], format_kolom={2: "0.000%"} if label == "Persen penduduk" else None)
    _tulis(ws, [])
    _tulis(ws, ["Kecamatan", "Kelurahan", "KK baseline", "KK kini", "Jiwa kini", "Belum dikunjungi"], tebal=True)
    for kec, nama, b in _baris_wilayah(r):
        _tulis(ws, [kec, nama, b.miskin_kk_baseline, b.miskin_kk, b.miskin_jiwa, b.miskin_tanpa_kunjungan],
               tebal=b is t)  # fmt: skip
    _tulis(ws, [])
    _tulis(ws, ["Bulan", "Masuk (KK)", "Keluar (KK)", "Stok akhir (KK)", "Stok akhir (jiwa)"], tebal=True)
    for b in p.bulanan:
        _tulis(ws, [f"{b.bulan:%m/%Y}", b.masuk.kk, b.keluar.kk, b.stok_akhir.kk, b.stok_akhir.jiwa])
    _lebar(ws, {1: 28, 2: 22})

    ws = wb.create_sheet("Bantuan")
    _tulis(ws, [f"Bantuan sosial tersalur, {r.periode.nama}"], tebal=True)
    _tulis(ws, ["Kecamatan", "Kelurahan", "Penyaluran", "Rupiah", "Dikonfirmasi", "Rupiah diterima",
                *(["Bendera terbuka"] if r.lihat_bendera else [])], tebal=True)  # fmt: skip
    for kec, nama, b in _baris_wilayah(r):
        _tulis(ws, [kec, nama, b.salur_jumlah, b.salur_rupiah, b.salur_dikonfirmasi, b.salur_diterima_rupiah,
                    *([b.bendera_terbuka] if r.lihat_bendera else [])],
               tebal=b is t, format_kolom={4: RUPIAH, 6: RUPIAH})  # fmt: skip
    _tulis(ws, [])
    _tulis(ws, ["Program", *[f"{b:%m/%Y}" for b in r.bulan]], tebal=True)
    for kode, seri in r.bantuan_bulanan.items():
        _tulis(ws, [kode, *[rp for _n, rp in seri]], format_kolom=dict.fromkeys(range(2, len(seri) + 2), RUPIAH))
    _lebar(ws, {1: 28, 2: 22, 4: 18, 6: 18})

    if r.lihat_aduan:
        ws = wb.create_sheet("Pengaduan")
        _tulis(ws, [f"Pengaduan, {r.periode.nama}"], tebal=True)
        _tulis(ws, ["Kecamatan", "Kelurahan", "Masuk", "Selesai", "Terbuka kini", "Terlambat kini"], tebal=True)
        for kec, nama, b in _baris_wilayah(r):
            _tulis(ws, [kec, nama, b.aduan_masuk, b.aduan_selesai, b.aduan_terbuka, b.aduan_terlambat], tebal=b is t)
        if r.wilayah.seluruh_kota:
            _tulis(ws, ["Jumlah kota termasuk pengaduan tanpa kelurahan."])
        _lebar(ws, {1: 28, 2: 22})

    keluaran = io.BytesIO()
    wb.save(keluaran)
    return keluaran.getvalue()


def _jam(durasi) -> float | None:
    return round(durasi.total_seconds() / 3600, 1) if durasi is not None else None


def _status_proyeksi(pr: hitungan.Proyeksi) -> str:
    return {
        hitungan.TERCAPAI: "Sudah nol",
        hitungan.SESUAI: "Sesuai target",
        hitungan.TERLAMBAT: f"Terlambat {pr.terlambat_bulan} bulan",
        hitungan.TANPA_PROYEKSI: "Tanpa proyeksi (tidak ada pengurangan bersih)",
        hitungan.KURANG_DATA: "Data kurang dari sebulan",
    }[pr.status]
