"""The arithmetic of the progress page: stock, flows, share of the population, target line, projection.

Definitions (issue 9; the page says them in words too):

- **Stock on a date d** (KK and jiwa): the stays open on d, i.e. ``tanggal_masuk <= d`` and
  (no exit, or ``tanggal_keluar > d``). jiwa = the ``jiwa_masuk`` of each stay. Only verified exits
  have a ``tanggal_keluar``, so a pending proposal still counts as on the list. An exit counts from
  its own date (the date the situation changed), not from the date it was verified; "as of a past
  date" therefore shows the records as they are now, read at that date.
- **Flows since the baseline**: entries with ``baseline < tanggal_masuk <= per`` and exits with
  ``baseline < tanggal_keluar <= per``, per calendar month. Stock(per) = stock(baseline) + entries
  - exits, by construction.
- **Share of the population**: jiwa / population of the area shown. The population is the sum of
  ``Kelurahan.jumlah_penduduk`` when every kelurahan in the area has one; else, for the whole city,
  the city total 149.077 (Dukcapil, December 2024); else unknown (no percentage, the page says why).
- **Target line**: straight from the baseline (the reported figures for the whole city; the
  recorded stock at the baseline date for a part of it, e.g. a PSM's kelurahan) to zero on the
  target date.
- **Projection**: the average net exits (exits - entries) per month over the six months up to
  ``per`` (fewer when the baseline is more recent; none before one month of data), carried
  forward from the stock on ``per`` to the projected date of zero. "Sesuai target" when that date
  is on or before the target date; else "terlambat N bulan" (N = whole months after the target
  date, rounded up). No net exits in the window: no projected date.

Every figure comes from a constant number of grouped queries (``hitung``), whatever the number of
households; the functions above them are pure and tested against hand-computed cases.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from kemiskinan.choices import AlasanKeluar
from kemiskinan.models import StatusMiskinEkstrem, Target, UsulanKeluar

HARI_PER_BULAN = 365.25 / 12
JENDELA_BULAN = 6
PENDUDUK_KOTA = 149_077
SUMBER_PENDUDUK_KOTA = "Dukcapil, Desember 2024"
# A projection further out than this is no projection (a trickle of exits, not a plan).
BULAN_PROYEKSI_MAKS = 1200

TERCAPAI, SESUAI, TERLAMBAT, TANPA_PROYEKSI, KURANG_DATA = "tercapai", "sesuai", "terlambat", "tanpa", "kurang"


@dataclass(frozen=True)
class Angka:
    """A count of households (KK) and persons (jiwa)."""

    kk: int = 0
    jiwa: int = 0

    def __add__(self, lain: Angka) -> Angka:
        return Angka(self.kk + lain.kk, self.jiwa + lain.jiwa)

    def __sub__(self, lain: Angka) -> Angka:
        return Angka(self.kk - lain.kk, self.jiwa - lain.jiwa)

    def satuan(self, nama: str) -> int:
        return self.jiwa if nama == "jiwa" else self.kk


# --- dates ---------------------------------------------------------------------------------------


def tambah_bulan(tanggal: dt.date, n: int) -> dt.date:
    """``tanggal`` moved by ``n`` calendar months; the 31st becomes the month's last day."""
    bulan = tanggal.month - 1 + n
    tahun, bulan = tanggal.year + bulan // 12, bulan % 12 + 1
    return dt.date(tahun, bulan, min(tanggal.day, calendar.monthrange(tahun, bulan)[1]))


def awal_bulan(tanggal: dt.date) -> dt.date:
    return tanggal.replace(day=1)


def akhir_bulan(tanggal: dt.date) -> dt.date:
    return tanggal.replace(day=calendar.monthrange(tanggal.year, tanggal.month)[1])


def daftar_bulan(dari: dt.date, sampai: dt.date) -> list[dt.date]:
    """The first days of the months from ``dari``'s month to ``sampai``'s, inclusive."""
    hasil, bulan = [], awal_bulan(dari)
    while bulan <= sampai:
        hasil.append(bulan)
        bulan = tambah_bulan(bulan, 1)
    return hasil


def terlambat_bulan(target: dt.date, tanggal_nol: dt.date) -> int:
    """Whole months (rounded up) from the target date to the projected date of zero."""
    n = 0
    while tambah_bulan(target, n) < tanggal_nol:
        n += 1
    return n


# --- pure arithmetic -------------------------------------------------------------------------------


def terbuka_pada(masuk: dt.date, keluar: dt.date | None, tanggal: dt.date) -> bool:
    return masuk <= tanggal and (keluar is None or keluar > tanggal)


def stok_pada(baris: Iterable[tuple[dt.date, dt.date | None, int]], tanggal: dt.date) -> Angka:
    """Stock on ``tanggal`` from (entry, exit, jiwa) rows: the definition the queries implement."""
    hasil = Angka()
    for masuk, keluar, jiwa in baris:
        if terbuka_pada(masuk, keluar, tanggal):
            hasil += Angka(1, jiwa)
    return hasil


def garis_target(awal: float, baseline: dt.date, target: dt.date, tanggal: dt.date) -> float:
    """The straight line from ``awal`` on the baseline date to zero on the target date."""
    if tanggal <= baseline:
        return float(awal)
    if tanggal >= target:
        return 0.0
    return awal * (1 - (tanggal - baseline).days / (target - baseline).days)


def persen(jiwa: int, penduduk: int | None) -> Decimal | None:
    """jiwa as a percentage of the population, three decimals (None when the population is unknown):
    a city's extreme poor are a fraction of a percent (222 of 149.077 is 0,149%)."""
    if not penduduk:
        return None
    return (Decimal(jiwa) * 100 / Decimal(penduduk)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Proyeksi:
    status: str
    laju_per_bulan: float | None = None  # net exits per month over the window
    bulan_jendela: float = 0.0
    tanggal_nol: dt.date | None = None
    terlambat_bulan: int | None = None


def proyeksikan(*, stok: int, keluar_bersih: int, hari_jendela: int, per: dt.date, target: dt.date | None) -> Proyeksi:
    """The projected date of zero from the average net exits over the window of ``hari_jendela``
    days up to ``per``: ``per + stok × hari_jendela / keluar_bersih`` days (rounded up; integers,
    so a hand-computed date is exact)."""
    bulan_jendela = hari_jendela / HARI_PER_BULAN
    if stok <= 0:
        return Proyeksi(TERCAPAI, bulan_jendela=bulan_jendela)
    if bulan_jendela < 1:
        return Proyeksi(KURANG_DATA, bulan_jendela=bulan_jendela)
    laju = keluar_bersih / bulan_jendela
    if laju <= 0 or stok / laju > BULAN_PROYEKSI_MAKS:
        return Proyeksi(TANPA_PROYEKSI, laju, bulan_jendela)
    tanggal_nol = per + dt.timedelta(days=-(-stok * hari_jendela // keluar_bersih))
    if target is None or tanggal_nol <= target:
        return Proyeksi(SESUAI, laju, bulan_jendela, tanggal_nol)
    return Proyeksi(TERLAMBAT, laju, bulan_jendela, tanggal_nol, terlambat_bulan(target, tanggal_nol))


# --- from the records ------------------------------------------------------------------------------


@dataclass
class Bulan:
    bulan: dt.date
    masuk: Angka
    keluar: Angka
    stok_akhir: Angka
    tanggal_akhir: dt.date  # end of the month, or ``per`` in its month
    target_akhir: float | None


@dataclass
class BarisWilayah:
    nama: str
    baseline: Angka = field(default_factory=Angka)
    kini: Angka = field(default_factory=Angka)
    masuk: Angka = field(default_factory=Angka)
    keluar: Angka = field(default_factory=Angka)
    penduduk: int | None = None
    kelurahan_id: int | None = None
    kecamatan_id: int | None = None
    anak: list[BarisWilayah] = field(default_factory=list)

    @property
    def persen(self) -> Decimal | None:
        return persen(self.kini.jiwa, self.penduduk)

    @property
    def ada_data(self) -> bool:
        return any(a.kk for a in (self.baseline, self.kini, self.masuk, self.keluar))

    def tambah(self, lain: BarisWilayah) -> None:
        self.baseline += lain.baseline
        self.kini += lain.kini
        self.masuk += lain.masuk
        self.keluar += lain.keluar


@dataclass
class Progres:
    per: dt.date
    target: Target | None
    baseline: dt.date
    baseline_tercatat: Angka
    baseline_garis: Angka  # where the target line starts (reported for the city, recorded for a part)
    baseline_dilaporkan: bool
    kini: Angka
    masuk: Angka
    keluar: Angka
    penduduk: int | None
    sumber_penduduk: str | None  # "kelurahan", "kota" or None
    bulanan: list[Bulan]
    proyeksi: Proyeksi
    proyeksi_jiwa: Proyeksi
    jendela_awal: dt.date
    wilayah: list[BarisWilayah]
    keluar_per_alasan: list[tuple[str, Angka]]
    menunggu_verifikasi: int

    @property
    def persen(self) -> Decimal | None:
        return persen(self.kini.jiwa, self.penduduk)

    @property
    def target_kini(self) -> float | None:
        if self.target is None:
            return None
        return garis_target(self.baseline_garis.kk, self.baseline, self.target.tanggal_target, self.per)


def _terbuka(tanggal: dt.date) -> Q:
    return Q(tanggal_masuk__lte=tanggal) & (Q(tanggal_keluar__isnull=True) | Q(tanggal_keluar__gt=tanggal))


def _pasangan(baris: dict, kk: str, jiwa: str) -> Angka:
    return Angka(baris.get(kk) or 0, baris.get(jiwa) or 0)


def _per_wilayah(qs, baseline: dt.date, per: dt.date, jendela_awal: dt.date) -> dict[int, dict]:
    """One grouped query: stock at the baseline and at ``per``, flows since the baseline and in the
    projection window, per kelurahan."""
    masuk = Q(tanggal_masuk__gt=baseline, tanggal_masuk__lte=per)
    keluar = Q(tanggal_keluar__gt=baseline, tanggal_keluar__lte=per)
    masuk6 = Q(tanggal_masuk__gt=jendela_awal, tanggal_masuk__lte=per)
    keluar6 = Q(tanggal_keluar__gt=jendela_awal, tanggal_keluar__lte=per)
    kolom = {}
    for nama, syarat in (
        ("b", _terbuka(baseline)), ("k", _terbuka(per)), ("m", masuk), ("x", keluar), ("m6", masuk6), ("x6", keluar6)
    ):  # fmt: skip
        kolom[f"kk_{nama}"] = Count("pk", filter=syarat)
        kolom[f"jiwa_{nama}"] = Sum("jiwa_masuk", filter=syarat)
    # The stay's own copy of the household's kelurahan (wilayah/salinan.py): no registry join.
    baris = qs.order_by().values("kelurahan").annotate(**kolom)
    return {b["kelurahan"]: b for b in baris}


def _aliran_bulanan(qs, kolom: str, baseline: dt.date, per: dt.date, *, per_alasan: bool = False) -> list[dict]:
    syarat = {f"{kolom}__gt": baseline, f"{kolom}__lte": per}
    grup = ["bulan", "alasan_keluar"] if per_alasan else ["bulan"]
    return list(
        qs.filter(**syarat)
        .order_by()
        .annotate(bulan=TruncMonth(kolom))
        .values(*grup)
        .annotate(kk=Count("pk"), jiwa=Sum("jiwa_masuk"))
    )


def _tanggal(nilai) -> dt.date:
    return nilai.date() if isinstance(nilai, dt.datetime) else nilai


def hitung(*, qs, kelurahan: list, per: dt.date, target: Target | None, seluruh_kota: bool) -> Progres:
    """Every figure of the progress page for the stays in ``qs`` (already ``for_user`` and filtered
    to the area shown) and the kelurahan of that area (with their kecamatan)."""
    baseline = target.tanggal_baseline if target else tambah_bulan(per, -12)
    jendela_awal = max(tambah_bulan(per, -JENDELA_BULAN), baseline)
    grup = _per_wilayah(qs, baseline, per, jendela_awal)
    masuk_bulanan = _aliran_bulanan(qs, "tanggal_masuk", baseline, per)
    keluar_bulanan = _aliran_bulanan(qs, "tanggal_keluar", baseline, per, per_alasan=True)

    wilayah: dict[int, BarisWilayah] = {}
    total = BarisWilayah("")
    masuk6 = keluar6 = Angka()
    for kel in kelurahan:
        b = grup.get(kel.pk, {})
        baris = BarisWilayah(
            kel.nama,
            baseline=_pasangan(b, "kk_b", "jiwa_b"),
            kini=_pasangan(b, "kk_k", "jiwa_k"),
            masuk=_pasangan(b, "kk_m", "jiwa_m"),
            keluar=_pasangan(b, "kk_x", "jiwa_x"),
            penduduk=kel.jumlah_penduduk,
            kelurahan_id=kel.pk,
            kecamatan_id=kel.kecamatan_id,
        )
        masuk6 += _pasangan(b, "kk_m6", "jiwa_m6")
        keluar6 += _pasangan(b, "kk_x6", "jiwa_x6")
        kec = wilayah.setdefault(kel.kecamatan_id, BarisWilayah(kel.kecamatan.nama, kecamatan_id=kel.kecamatan_id))
        kec.anak.append(baris)
        kec.tambah(baris)
        total.tambah(baris)
    for kec in wilayah.values():
        kec.penduduk = sum(a.penduduk for a in kec.anak) if all(a.penduduk for a in kec.anak) else None

    semua_diketahui = bool(kelurahan) and all(k.jumlah_penduduk for k in kelurahan)
    if semua_diketahui:
        penduduk, sumber = sum(k.jumlah_penduduk for k in kelurahan), "kelurahan"
    elif seluruh_kota:
        penduduk, sumber = PENDUDUK_KOTA, "kota"
    else:
        penduduk, sumber = None, None

    dilaporkan = bool(target) and seluruh_kota
    baseline_garis = Angka(target.kk_baseline, target.jiwa_baseline) if dilaporkan else total.baseline
    bulanan = _deret_bulanan(total.baseline, masuk_bulanan, keluar_bulanan, baseline, per, target, baseline_garis)

    per_alasan: dict[str, Angka] = defaultdict(Angka)
    for b in keluar_bulanan:
        per_alasan[b["alasan_keluar"]] += Angka(b["kk"], b["jiwa"] or 0)
    label = dict(AlasanKeluar.choices)
    keluar_per_alasan = [(str(label[k]), per_alasan[k]) for k in AlasanKeluar.values if k in per_alasan]

    hari_jendela = (per - jendela_awal).days
    bersih = keluar6 - masuk6
    tanggal_target = target.tanggal_target if target else None
    return Progres(
        per=per,
        target=target,
        baseline=baseline,
        baseline_tercatat=total.baseline,
        baseline_garis=baseline_garis,
        baseline_dilaporkan=dilaporkan,
        kini=total.kini,
        masuk=total.masuk,
        keluar=total.keluar,
        penduduk=penduduk,
        sumber_penduduk=sumber,
        bulanan=bulanan,
        proyeksi=proyeksikan(
            stok=total.kini.kk, keluar_bersih=bersih.kk, hari_jendela=hari_jendela, per=per, target=tanggal_target
        ),
        proyeksi_jiwa=proyeksikan(
            stok=total.kini.jiwa, keluar_bersih=bersih.jiwa, hari_jendela=hari_jendela, per=per, target=tanggal_target
        ),
        jendela_awal=jendela_awal,
        wilayah=list(wilayah.values()),
        keluar_per_alasan=keluar_per_alasan,
        # Proposals made by ``per`` and not yet decided on that day (WIB).
        menunggu_verifikasi=UsulanKeluar.objects.filter(
            status_miskin__in=qs.values("pk"), diusulkan_pada__date__lte=per
        )
        .filter(Q(diverifikasi_pada__isnull=True) | Q(diverifikasi_pada__date__gt=per))
        .count(),
    )


def _deret_bulanan(stok_awal, masuk, keluar, baseline, per, target, baseline_garis) -> list[Bulan]:
    """Flows per month and the stock at the end of each month (``per`` in the last), from the
    stock at the baseline."""
    m: dict[dt.date, Angka] = defaultdict(Angka)
    x: dict[dt.date, Angka] = defaultdict(Angka)
    for b in masuk:
        m[_tanggal(b["bulan"])] += Angka(b["kk"], b["jiwa"] or 0)
    for b in keluar:
        x[_tanggal(b["bulan"])] += Angka(b["kk"], b["jiwa"] or 0)
    stok, hasil = stok_awal, []
    for bulan in daftar_bulan(baseline, per):
        stok = stok + m[bulan] - x[bulan]
        akhir = min(akhir_bulan(bulan), per)
        garis = garis_target(baseline_garis.kk, baseline, target.tanggal_target, akhir) if target is not None else None
        hasil.append(Bulan(bulan, m[bulan], x[bulan], stok, akhir, garis))
    return hasil


def stok_semua(qs: Iterable[StatusMiskinEkstrem], tanggal: dt.date) -> Angka:
    """``stok_pada`` over model rows (tests and the demo's own check)."""
    return stok_pada(((s.tanggal_masuk, s.tanggal_keluar, s.jiwa_masuk) for s in qs), tanggal)
