"""The PSM's caseload: who in my kelurahan needs a visit most, and my open cases.

Everything starts from ``for_user`` (a PSM sees their kelurahan only), and the work is a fixed
number of queries whatever the number of residents, households or cases:

- the persons with an open darurat case (few: open darurat cases of the area), one query;
- PPKS residents grouped per person (a person may hold several jenis; their last visit is the
  latest over those rows), ordered in the database by need and cut at ``BATAS``, one query; their
  count and how many are overdue, one query; the rows of the persons shown (jenis, kebutuhan), one
  query;
- open extreme-poor households of the area with their latest visit and their head's name, one
  query (correlated subqueries, never a query per household).

At 1,000,000 persons (issue 13 point 5) the PPKS and extreme-poor rows are scoped through their own
kelurahan copy (their ``scope_kelurahan_field``), not through the person or household: the PPKS queries are
index-only scans of ``ppks_wilayah_kunjungan_idx`` (ppks 0007), about 0.5 ms each where the join
to the kelurahan's 30,000 persons took 30-90 ms (README "Benchmarks", Load).

Order of need: an open darurat case on the person (or a member of the household) first, then never
visited, then the earliest due date (last visit + the interval of ``psm.jadwal``). The due date,
not the bare "days since", so that a household visited 40 days ago (due every 30) comes before a
PPKS resident visited 60 days ago (due every 90).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, F, IntegerField, Max, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kemiskinan.models import StatusMiskinEkstrem
from penduduk.models import Penduduk
from ppks.choices import Kebutuhan, Urgensi
from ppks.models import PPKS, Kasus
from psm.jadwal import interval_hari, jatuh_tempo
from psm.models import Kunjungan

BATAS = 30  # subjects shown on the beranda; the rest is counted and linked
BATAS_KASUS = 20


@dataclass
class Subjek:
    """One person or household on the "perlu dikunjungi" list."""

    jenis: str  # "ppks" or "miskin_ekstrem"
    pk: int  # Penduduk.pk or Keluarga.pk
    nama: str
    terakhir: dt.date | None
    darurat: bool = False
    label_jenis: list[str] = field(default_factory=list)
    kebutuhan: list[str] = field(default_factory=list)
    keterangan: str = ""
    hari_ini: dt.date = field(default_factory=timezone.localdate)

    @property
    def tempo(self) -> dt.date | None:
        return jatuh_tempo(self.terakhir, self.jenis)

    @property
    def tautan(self) -> str:
        """The person's or household's page, built only for the subjects shown (a reverse() each)."""
        nama = "penduduk:detail" if self.jenis == "ppks" else "penduduk:keluarga-detail"
        return reverse(nama, args=[self.pk])

    @property
    def param(self) -> str:
        return f"penduduk={self.pk}" if self.jenis == "ppks" else f"keluarga={self.pk}"

    @property
    def terlambat(self) -> bool:
        return self.tempo is None or self.tempo < self.hari_ini

    @property
    def status_kunjungan(self) -> str:
        """ "belum pernah dikunjungi", "terlambat 12 hari", "jatuh tempo hari ini" or "jatuh tempo 03/12/2026"."""
        return status_kunjungan(self.terakhir, self.jenis, self.hari_ini)

    def kunci(self) -> tuple:
        return (not self.darurat, self.terakhir is not None, self.tempo or dt.date.min, self.jenis, self.pk)


def status_kunjungan(terakhir: dt.date | None, jenis: str, hari_ini: dt.date) -> str:
    tempo = jatuh_tempo(terakhir, jenis)
    if tempo is None:
        return _("belum pernah dikunjungi")
    if tempo < hari_ini:
        return _("terlambat %(n)d hari") % {"n": (hari_ini - tempo).days}
    if tempo == hari_ini:
        return _("jatuh tempo hari ini")
    return _("jatuh tempo %(tgl)s") % {"tgl": f"{tempo:%d/%m/%Y}"}


def _darurat(user) -> tuple[set[int], set[int]]:
    """Persons and households with an open darurat case in the area (one query, few rows)."""
    baris = (
        Kasus.objects.for_user(user)
        .terbuka()
        .filter(urgensi=Urgensi.DARURAT, penduduk__isnull=False)
        .values_list("penduduk_id", "penduduk__keluarga_id")
    )
    orang, keluarga = set(), set()
    for penduduk_id, keluarga_id in baris:
        orang.add(penduduk_id)
        if keluarga_id:
            keluarga.add(keluarga_id)
    return orang, keluarga


def _ppks(user, darurat: set[int], hari_ini: dt.date) -> tuple[list[Subjek], int, int]:
    """The BATAS PPKS residents who need a visit most, how many there are, how many are overdue."""
    # Pimpinan never sees a sensitive jenis beside a name (terlihat_oleh); for_user reads the
    # row's kelurahan copy, so this is an index-only scan of ppks_wilayah_kunjungan_idx.
    rows = PPKS.objects.terlihat_oleh(user).aktif()
    # One row per person (a person may hold several jenis): their latest visit over those rows.
    # On PostgreSQL an index-only scan of ppks_wilayah_kunjungan_idx (ppks 0007).
    per_orang = rows.order_by().values("penduduk_id").annotate(terakhir=Max("terakhir_dikunjungi"))
    batas_lewat = hari_ini - dt.timedelta(days=interval_hari("ppks"))
    urut = per_orang.annotate(
        darurat=Case(When(penduduk_id__in=darurat, then=Value(True)), default=Value(False), output_field=BooleanField())
    ).order_by("-darurat", F("terakhir").asc(nulls_first=True), "penduduk_id")[:BATAS]
    teratas = list(urut)
    # Both counts in one pass over the same grouped rows: overdue = never visited, or the latest
    # visit over all their jenis before the due line (what "no row visited since" meant).
    hitung = per_orang.aggregate(
        n=Count("penduduk_id"),
        lewat=Count("penduduk_id", filter=Q(terakhir__isnull=True) | Q(terakhir__lt=batas_lewat)),
    )
    ids = [b["penduduk_id"] for b in teratas]
    detail: dict[int, list[PPKS]] = {}
    for p in rows.filter(penduduk_id__in=ids).select_related("penduduk", "jenis").order_by("penduduk_id", "jenis_id"):
        detail.setdefault(p.penduduk_id, []).append(p)
    label = dict(Kebutuhan.choices)
    hasil = []
    for b in teratas:
        daftar = detail.get(b["penduduk_id"])
        if not daftar:
            continue
        orang = daftar[0].penduduk
        kebutuhan = list(dict.fromkeys(k for p in daftar for k in p.kebutuhan))
        hasil.append(
            Subjek(
                jenis="ppks",
                pk=orang.pk,
                nama=orang.nama,
                terakhir=b["terakhir"],
                darurat=b["darurat"],
                label_jenis=[p.jenis.singkatan for p in daftar],
                kebutuhan=[str(label.get(k, k)) for k in kebutuhan],
                keterangan=orang.alamat,
                hari_ini=hari_ini,
            )
        )
    return hasil, hitung["n"], hitung["lewat"]


def _keluarga(user, darurat: set[int], hari_ini: dt.date) -> tuple[list[Subjek], int, int]:
    """Open extreme-poor households of the area, each with its latest visit and its head's name:
    one query (two correlated subqueries over indexed ``keluarga_id``, never a query per household)."""
    kunjungan = (
        Kunjungan.objects.for_user(user)
        .filter(keluarga_id=OuterRef("keluarga_id"))
        .order_by()
        .values("keluarga_id")
        .annotate(t=Max("tanggal"))
        .values("t")
    )
    # The greatest name among the heads, as the grouped Max("nama") did (a household has one head).
    kepala = (
        Penduduk.objects.for_user(user)
        .filter(keluarga_id=OuterRef("keluarga_id"), hubungan="kepala")
        .order_by("-nama")
        .values("nama")[:1]
    )
    status = (
        StatusMiskinEkstrem.objects.for_user(user)
        .terbuka()
        .order_by("tanggal_masuk", "id")
        .values_list("keluarga_id", "desil", "keluarga__alamat")
        .annotate(terakhir=Subquery(kunjungan), kepala=Subquery(kepala))
    )
    judul, miskin = _("Keluarga %(nama)s"), _("Miskin ekstrem")
    hasil = []
    for keluarga_id, desil, alamat, terakhir, nama_kepala in status:
        hasil.append(
            Subjek(
                jenis="miskin_ekstrem",
                pk=keluarga_id,
                nama=judul % {"nama": nama_kepala or alamat},
                terakhir=terakhir,
                darurat=keluarga_id in darurat,
                label_jenis=[miskin + (f" · desil {desil}" if desil else "")],
                keterangan=alamat,
                hari_ini=hari_ini,
            )
        )
    lewat = sum(1 for s in hasil if s.terlambat)
    return hasil, len(hasil), lewat


def perlu_dikunjungi(user) -> dict:
    """The beranda's list: the BATAS subjects who need a visit most, and the counts."""
    hari_ini = timezone.localdate()
    orang_darurat, keluarga_darurat = _darurat(user)
    ppks, n_ppks, lewat_ppks = _ppks(user, orang_darurat, hari_ini)
    keluarga, n_keluarga, lewat_keluarga = _keluarga(user, keluarga_darurat, hari_ini)
    semua = sorted(ppks + keluarga, key=Subjek.kunci)[:BATAS]
    total = n_ppks + n_keluarga
    return {
        "subjek": semua,
        "jumlah_subjek": total,
        "sisa_subjek": max(total - len(semua), 0),
        "jumlah_ppks": n_ppks,
        "jumlah_keluarga": n_keluarga,
        "terlambat_ppks": lewat_ppks,
        "terlambat_keluarga": lewat_keluarga,
        "hari_ppks": interval_hari("ppks"),
    }


def kasus_saya(user) -> list[Kasus]:
    """Open cases of the area: assigned to me first, then the board's order (waiting, nearest deadline)."""
    return list(
        Kasus.objects.for_user(user)
        .terbuka()
        .select_related("jenis")  # the row shows the jenis; of the PSM only psm_id (no join)
        .annotate(punya_saya=Case(When(psm=user, then=0), default=1, output_field=IntegerField()))
        .order_by("punya_saya", F("direspons_pada").asc(nulls_first=True), "batas_respons", "id")[:BATAS_KASUS]
    )
