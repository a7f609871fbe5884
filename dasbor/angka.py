"""Every figure of the dashboard and of the monthly report: computed once, here, for both.

``hitung(user, wilayah, periode)`` returns a :class:`Ringkasan`: one row per kelurahan of the area
shown (with kecamatan subtotals and the total) and the series of the charts. The report renders the
same object, so the two cannot disagree (``tests/dasbor/test_laporan.py`` proves it on the output).

Queries: a constant number, whatever the number of rows (pinned by ``tests/dasbor/test_kueri.py``).
One grouped query per model, with ``Count(..., filter=Q(...))`` columns, gives the per-kelurahan
figures; totals are sums over at most 47 rows in Python. No query per area, no loop over records.
Every queryset starts from ``for_user(user)``; a PSM never gets the complaint or flag figures
(``None``, the tiles are left out), and no figure names a person.

Definitions (the page and the report say them in words too):

- **PPKS** on the last day of the period (``periode.akhir``: the month's last day, or today):
  registered by then (``terdata_pada``) and not ended by then (``tanggal_selesai``). The split by
  status is the current status of those rows (the status itself is not dated). "Belum dikunjungi"
  is today's: active PPKS not visited within ``psm.jadwal.interval_hari("ppks")`` days.
- **Cases**: open by urgency and overdue are *now* (``KasusQuerySet.terbuka/terlambat``), the
  board's own definitions. In the period: reported (``dibuat_pada``), closed (``selesai_pada``),
  first responded (``direspons_pada``), of which within the deadline (``<= batas_respons``);
  the median response time is over the cases first responded in the period.
- **Extreme poverty**: ``kemiskinan.progres.hitung`` read on ``periode.akhir`` (the progress page's
  own arithmetic: baseline, target, percentage, projection).
- **Assistance**: distributions paid (``Penyaluran.tersalur()``) with ``tanggal`` in the month:
  count and rupiah; of which confirmed by the family (``dikonfirmasi``) and the rupiah they say they
  received. Per programme per month for the chart (the 12 months up to the period). Open integrity
  flags (``Bendera.objects.terbuka()``) are now.
- **Complaints** (never for a PSM): received in the period, closed in the period, open now, and past
  their deadline now (``Pengaduan.objects.terlambat()``).
- **PSM coverage** (now, as ``psm.rekap_staf.cakupan``): active PSM accounts per kelurahan,
  kelurahan without one, extreme-poor households not visited within their interval.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from akun.models import User
from akun.roles import Peran
from bantuan.choices import StatusPenyaluran
from bantuan.models import Bendera, Penyaluran, RingkasanBulanan
from dasbor.periode import Periode
from dasbor.wilayah import Wilayah
from kemiskinan import progres as hitungan
from kemiskinan.models import StatusMiskinEkstrem, Target
from pengaduan.choices import STATUS_TERBUKA as ADUAN_TERBUKA
from pengaduan.models import Pengaduan
from ppks.choices import STATUS_TERBUKA as KASUS_TERBUKA
from ppks.choices import StatusKasus, StatusPPKS, Urgensi
from ppks.models import PPKS, JenisPPKS, Kasus, syarat_terlambat
from psm.jadwal import interval_hari
from psm.models import Kunjungan

BULAN_GRAFIK = 12
STATUS_SELESAI = (StatusKasus.SELESAI, StatusKasus.DITUTUP)


@dataclass
class Baris:
    """The headline figures of one area (a kelurahan, a kecamatan subtotal or the total)."""

    nama: str = ""
    kelurahan_id: int | None = None
    kecamatan_id: int | None = None
    # PPKS
    ppks: int = 0
    ppks_aktif: int = 0
    ppks_penanganan: int = 0
    ppks_tertangani: int = 0
    ppks_baru: int = 0
    ppks_selesai: int = 0
    ppks_belum_dikunjungi: int = 0
    # cases
    kasus_terbuka: int = 0
    kasus_darurat: int = 0
    kasus_tinggi: int = 0
    kasus_biasa: int = 0
    kasus_terlambat: int = 0
    kasus_masuk: int = 0
    kasus_selesai: int = 0
    kasus_direspons: int = 0
    kasus_tepat_waktu: int = 0
    # extreme poverty
    miskin_kk: int = 0
    miskin_jiwa: int = 0
    miskin_kk_baseline: int = 0
    miskin_tanpa_kunjungan: int = 0
    # assistance
    salur_jumlah: int = 0
    salur_rupiah: int = 0
    salur_dikonfirmasi: int = 0
    salur_diterima_rupiah: int = 0
    bendera_terbuka: int = 0
    # complaints
    aduan_masuk: int = 0
    aduan_selesai: int = 0
    aduan_terbuka: int = 0
    aduan_terlambat: int = 0
    # PSM
    psm_aktif: int = 0
    tanpa_psm: int = 0
    anak: list[Baris] = field(default_factory=list)

    def tambah(self, lain: Baris) -> None:
        for nama in ANGKA:
            setattr(self, nama, getattr(self, nama) + getattr(lain, nama))

    @property
    def persen_tepat_waktu(self) -> Decimal | None:
        return persen(self.kasus_tepat_waktu, self.kasus_direspons)

    @property
    def persen_dikonfirmasi(self) -> Decimal | None:
        return persen(self.salur_dikonfirmasi, self.salur_jumlah)


ANGKA = tuple(f.name for f in fields(Baris) if f.type == "int")


def persen(bagian: int, semua: int) -> Decimal | None:
    if not semua:
        return None
    return (Decimal(bagian) * 100 / Decimal(semua)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class JenisBaris:
    jenis_id: int
    nama: str
    sensitif: bool
    nomor: int = 0
    jumlah: int = 0
    per_kelurahan: dict[int, int] = field(default_factory=dict)


@dataclass
class Ringkasan:
    periode: Periode
    wilayah: Wilayah
    total: Baris
    kecamatan: list[Baris]  # each with its kelurahan in ``anak``
    jenis: list[JenisBaris]  # PPKS by jenis (all 26, the empty ones too), on periode.akhir
    bulan: list[dt.date]  # the chart months, oldest first (the period last)
    kasus_bulanan: list[tuple[dt.date, int, int]]  # (month, reported, closed)
    bantuan_bulanan: dict[str, list[tuple[int, int]]]  # programme code → [(count, rupiah)] per month
    median_respons: dt.timedelta | None
    progres: hitungan.Progres
    lihat_aduan: bool  # False for a PSM: the complaint tiles and sheet are left out
    lihat_bendera: bool

    @property
    def kelurahan(self) -> list[Baris]:
        return [k for kec in self.kecamatan for k in kec.anak]

    @property
    def kelurahan_tanpa_psm(self) -> list[Baris]:
        return [k for k in self.kelurahan if k.psm_aktif == 0]


def _per(qs, kunci: str, **kolom) -> dict[int | None, dict]:
    return {b[kunci]: b for b in qs.order_by().values(kunci).annotate(**kolom)}


def _antara(kolom: str, mulai, selesai) -> Q:
    return Q(**{f"{kolom}__gte": mulai, f"{kolom}__lt": selesai})


def _ppks(user, wilayah: Wilayah, periode: Periode) -> tuple[dict, list[JenisBaris]]:
    """PPKS per (kelurahan, jenis): one query, at most 47 × 26 rows, and the 26 jenis. Grouping by
    the jenis's name through a join made PostgreSQL sort on text: 20 ms instead of 4 at 50,000 rows."""
    akhir, awal = periode.akhir, periode.awal
    stok = Q(terdata_pada__lte=akhir) & (Q(tanggal_selesai__isnull=True) | Q(tanggal_selesai__gt=akhir))
    batas = timezone.localdate() - dt.timedelta(days=interval_hari("ppks"))
    aktif_kini = ~Q(status=StatusPPKS.BUKAN_PPKS)
    # Grouped by the row's own copy of the person's kelurahan (kept exact by triggers,
    # wilayah/salinan.py): no join to the registry.
    qs = wilayah.saring(PPKS.objects.for_user(user), "kelurahan")
    baris = (
        qs.order_by()
        .values("kelurahan", "jenis")
        .annotate(
            ppks=Count("pk", filter=stok),
            ppks_aktif=Count("pk", filter=stok & Q(status=StatusPPKS.AKTIF)),
            ppks_penanganan=Count("pk", filter=stok & Q(status=StatusPPKS.DALAM_PENANGANAN)),
            ppks_tertangani=Count("pk", filter=stok & Q(status=StatusPPKS.TERTANGANI)),
            ppks_baru=Count("pk", filter=Q(terdata_pada__gte=awal, terdata_pada__lte=akhir)),
            ppks_selesai=Count("pk", filter=Q(tanggal_selesai__gte=awal, tanggal_selesai__lte=akhir)),
            ppks_belum_dikunjungi=Count(
                "pk", filter=aktif_kini & (Q(terakhir_dikunjungi__isnull=True) | Q(terakhir_dikunjungi__lt=batas))
            ),
        )
    )
    info = {j.pk: j for j in JenisPPKS.objects.only("nama", "nomor", "sensitif")}
    per_kel: dict[int, dict] = {}
    jenis: dict[int, JenisBaris] = {}
    for b in baris:
        kel = per_kel.setdefault(b["kelurahan"], {})
        for nama, nilai in b.items():
            if nama.startswith("ppks"):
                kel[nama] = kel.get(nama, 0) + nilai
        if b["jenis"] not in jenis:
            ref = info[b["jenis"]]
            jenis[b["jenis"]] = JenisBaris(ref.pk, ref.nama, ref.sensitif, ref.nomor)
        j = jenis[b["jenis"]]
        j.jumlah += b["ppks"]
        if b["ppks"]:
            j.per_kelurahan[b["kelurahan"]] = b["ppks"]
    return per_kel, sorted((j for j in jenis.values() if j.jumlah), key=lambda j: (-j.jumlah, j.nomor))


def _kasus(user, wilayah: Wilayah, periode: Periode, bulan: list[dt.date]) -> tuple[dict, list]:
    """Cases per kelurahan, now and in the period (one query), and the monthly series (two)."""
    sekarang = timezone.now()
    mulai, selesai = periode.mulai_waktu, periode.selesai_waktu
    buka = Q(status__in=KASUS_TERBUKA)  # KasusQuerySet.terbuka()
    kolom = {
        "kasus_terbuka": Count("pk", filter=buka),
        "kasus_terlambat": Count("pk", filter=buka & syarat_terlambat(sekarang)),
        "kasus_masuk": Count("pk", filter=_antara("dibuat_pada", mulai, selesai)),
        "kasus_selesai": Count("pk", filter=_antara("selesai_pada", mulai, selesai) & Q(status__in=STATUS_SELESAI)),
        "kasus_direspons": Count("pk", filter=_antara("direspons_pada", mulai, selesai)),
        "kasus_tepat_waktu": Count(
            "pk", filter=_antara("direspons_pada", mulai, selesai) & Q(direspons_pada__lte=F("batas_respons"))
        ),
        **{f"kasus_{u.value}": Count("pk", filter=buka & Q(urgensi=u.value)) for u in Urgensi},
    }
    per_kel = _per(wilayah.saring(Kasus.objects.for_user(user), "kelurahan"), "kelurahan", **kolom)
    # The series: reported and closed per month (WIB) over the twelve months, two grouped parts of
    # one UNION ALL; 24 FILTER columns on the query above cost more at 12,500 cases.
    qs = wilayah.saring(Kasus.objects.for_user(user), "kelurahan").order_by()
    awal, akhir = _awal_waktu(bulan[0]), _awal_waktu(hitungan.tambah_bulan(bulan[-1], 1))
    masuk = _per_bulan(qs.filter(_antara("dibuat_pada", awal, akhir)), "dibuat_pada", "m")
    tutup = _per_bulan(qs.filter(_antara("selesai_pada", awal, akhir), status__in=STATUS_SELESAI), "selesai_pada", "s")
    hitungan_bulan = {(b["seri"], _hari(b["bulan"])): b["n"] for b in masuk.union(tutup, all=True)}
    seri = [(b, hitungan_bulan.get(("m", b), 0), hitungan_bulan.get(("s", b), 0)) for b in bulan]
    return per_kel, seri


def _per_bulan(qs, kolom: str, seri: str):
    return qs.annotate(bulan=TruncMonth(kolom), seri=Value(seri)).values("seri", "bulan").annotate(n=Count("pk"))


def _hari(nilai) -> dt.date:
    return timezone.localtime(nilai).date() if isinstance(nilai, dt.datetime) else nilai


def _awal_waktu(tanggal: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(tanggal, dt.time.min))


def _median_respons(user, wilayah: Wilayah, periode: Periode, n: int) -> dt.timedelta | None:
    """The median time to first response of the ``n`` cases first responded in the period: the
    middle one or two rows of the sorted durations (one query, two rows at most, on any database)."""
    if not n:
        return None
    qs = (
        wilayah.saring(Kasus.objects.for_user(user), "kelurahan")
        .filter(_antara("direspons_pada", periode.mulai_waktu, periode.selesai_waktu))
        .annotate(durasi=ExpressionWrapper(F("direspons_pada") - F("dibuat_pada"), output_field=DurationField()))
        .order_by("durasi", "pk")
        .values_list("durasi", flat=True)
    )
    tengah = list(qs[(n - 1) // 2 : n // 2 + 1])
    return sum(tengah, dt.timedelta()) / len(tengah)


def _miskin(user, wilayah: Wilayah, periode: Periode) -> tuple[hitungan.Progres, dict]:
    """The progress arithmetic of the kemiskinan app, read on the period's last day (5 queries),
    and the open households not visited within their interval (1 query, as psm.rekap_staf)."""
    target = Target.objects.aktif()
    per = periode.akhir
    if target is not None and per < target.tanggal_baseline:
        target = None
    qs = wilayah.saring(StatusMiskinEkstrem.objects.for_user(user), "kelurahan")
    p = hitungan.hitung(qs=qs, kelurahan=wilayah.kelurahan, per=per, target=target, seluruh_kota=wilayah.seluruh_kota)
    baru_dikunjungi = Kunjungan.objects.filter(
        keluarga__isnull=False,
        tanggal__gte=timezone.localdate() - dt.timedelta(days=interval_hari("miskin_ekstrem")),
    ).values("keluarga_id")
    lewat = _per(qs.terbuka().exclude(keluarga_id__in=baru_dikunjungi), "kelurahan", miskin_tanpa_kunjungan=Count("pk"))
    return p, lewat


def _bantuan(user, wilayah: Wilayah, periode: Periode, bulan: list[dt.date]) -> tuple[dict, dict]:
    """Two queries: the period's distributions per kelurahan (count, rupiah, confirmed, rupiah
    received: the one month, joined to the confirmations), and the chart's series per programme
    per month from the monthly summary."""
    qs = wilayah.saring(Penyaluran.objects.for_user(user), "kelurahan").tersalur()
    dalam_periode = qs.filter(tanggal__gte=periode.awal, tanggal__lte=periode.akhir)
    konfirmasi = Q(status=StatusPenyaluran.DIKONFIRMASI)
    per_kel = _per(
        dalam_periode,
        "kelurahan",
        salur_jumlah=Count("pk"),
        salur_rupiah=Sum("nilai"),
        salur_dikonfirmasi=Count("pk", filter=konfirmasi),
        salur_diterima_rupiah=Sum("konfirmasi__nilai_diterima", filter=konfirmasi),
    )
    # The series from the monthly summary kept exact by triggers (bantuan/models/ringkasan.py):
    # at most 47 × programmes rows a month instead of every distribution of twelve months.
    baris = (
        wilayah.saring(RingkasanBulanan.objects.for_user(user), "kelurahan")
        .filter(bulan__gte=bulan[0], bulan__lte=periode.awal)
        .order_by()
        .values("program__kode", "bulan")
        .annotate(n=Sum("jumlah"), r=Sum("rupiah"))
    )
    urutan = {b: i for i, b in enumerate(bulan)}
    program: dict[str, list[tuple[int, int]]] = {}
    for b in baris:
        seri = program.setdefault(b["program__kode"], [(0, 0)] * len(bulan))
        seri[urutan[b["bulan"]]] = (b["n"] or 0, b["r"] or 0)
    program = {k: v for k, v in program.items() if any(n for n, _ in v)}
    return per_kel, dict(sorted(program.items()))


def _aduan(user, wilayah: Wilayah, periode: Periode) -> dict:
    sekarang = timezone.now()
    mulai, selesai = periode.mulai_waktu, periode.selesai_waktu
    terbuka = Q(status__in=ADUAN_TERBUKA)
    qs = wilayah.saring(Pengaduan.objects.for_user(user), "kelurahan")
    return _per(
        qs,
        "kelurahan",
        aduan_masuk=Count("pk", filter=_antara("diterima_pada", mulai, selesai)),
        aduan_selesai=Count("pk", filter=_antara("ditutup_pada", mulai, selesai) & ~terbuka),
        aduan_terbuka=Count("pk", filter=terbuka),
        # Pengaduan.objects.terlambat(): open and past batas_waktu
        aduan_terlambat=Count("pk", filter=terbuka & Q(batas_waktu__lt=sekarang)),
    )


def _psm_aktif(wilayah: Wilayah) -> dict[int, int]:
    """Active PSM accounts per kelurahan (the definition of psm.rekap_staf.cakupan)."""
    return dict(
        User.kelurahan.through.objects.filter(
            user__peran=Peran.PSM, user__is_active=True, user__is_superuser=False, kelurahan__in=wilayah.kelurahan_ids
        )
        .order_by()
        .values_list("kelurahan_id")
        .annotate(n=Count("user_id"))
        .values_list("kelurahan_id", "n")
    )


def hitung(user, wilayah: Wilayah, periode: Periode) -> Ringkasan:
    bulan = periode.bulan_sebelumnya(BULAN_GRAFIK)
    lihat_aduan = user.lihat_sekota
    lihat_bendera = user.lihat_sekota  # a PSM never sees the integrity flags
    ppks, jenis = _ppks(user, wilayah, periode)
    kasus, kasus_bulanan = _kasus(user, wilayah, periode, bulan)
    progres, miskin_lewat = _miskin(user, wilayah, periode)
    bantuan, bantuan_bulanan = _bantuan(user, wilayah, periode, bulan)
    bendera = (
        _per(wilayah.saring(Bendera.objects.for_user(user).terbuka(), "kelurahan"), "kelurahan", n=Count("pk"))
        if lihat_bendera
        else {}
    )
    aduan = _aduan(user, wilayah, periode) if lihat_aduan else {}
    psm = _psm_aktif(wilayah)
    miskin = {b.kelurahan_id: b for w in progres.wilayah for b in w.anak}

    total = Baris(_("Jumlah"))
    per_kec: dict[int, Baris] = {}
    for kel in wilayah.kelurahan:
        b = Baris(kel.nama, kelurahan_id=kel.pk, kecamatan_id=kel.kecamatan_id)
        for sumber in (ppks, kasus, bantuan, miskin_lewat, aduan):
            for nama, nilai in sumber.get(kel.pk, {}).items():
                if nama in ANGKA:
                    setattr(b, nama, nilai or 0)
        m = miskin.get(kel.pk)
        if m is not None:
            b.miskin_kk, b.miskin_jiwa, b.miskin_kk_baseline = m.kini.kk, m.kini.jiwa, m.baseline.kk
        b.bendera_terbuka = bendera.get(kel.pk, {}).get("n", 0)
        b.psm_aktif = psm.get(kel.pk, 0)
        b.tanpa_psm = int(b.psm_aktif == 0)
        kec = per_kec.setdefault(kel.kecamatan_id, Baris(kel.kecamatan.nama, kecamatan_id=kel.kecamatan_id))
        kec.anak.append(b)
        kec.tambah(b)
        total.tambah(b)
    if lihat_aduan and wilayah.seluruh_kota and None in aduan:
        # Complaints without a kelurahan count in the city's total only.
        for nama in ("aduan_masuk", "aduan_selesai", "aduan_terbuka", "aduan_terlambat"):
            setattr(total, nama, getattr(total, nama) + aduan[None][nama])
    median = _median_respons(user, wilayah, periode, total.kasus_direspons)
    return Ringkasan(
        periode=periode,
        wilayah=wilayah,
        total=total,
        kecamatan=list(per_kec.values()),
        jenis=jenis,
        bulan=bulan,
        kasus_bulanan=kasus_bulanan,
        bantuan_bulanan=bantuan_bulanan,
        median_respons=median,
        progres=progres,
        lihat_aduan=lihat_aduan,
        lihat_bendera=lihat_bendera,
    )
