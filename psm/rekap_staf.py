"""Grouped figures of the staff pages about PSM: one query per measure, never one per row or area.

- ``ringkas_psm(users, viewer)``: the figures beside each PSM account of a page (their kelurahan,
  latest pledge accepted, last visit, PPKS accompanied, open cases, visits in the last 30 days,
  overdue PPKS), each a grouped query over the accounts on the page.
- ``cakupan(viewer)``: per kelurahan (all 47, grouped by kecamatan): active PSM, PPKS, PPKS
  without an active pendamping, overdue PPKS, open extreme-poor households and those not visited
  within their interval (``psm.jadwal``).

Counts start from ``for_user(viewer)`` like every other summary (README, "Summaries ... start from
``for_user`` too"); they name nobody.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone

from akun.models import User
from akun.roles import Peran
from kemiskinan.models import StatusMiskinEkstrem
from ppks.models import PPKS, Kasus
from psm.jadwal import interval_hari
from psm.models import Kunjungan, PersetujuanIkrar
from wilayah.models import Kelurahan

HARI_AKTIVITAS = 30  # "kunjungan 30 hari terakhir"


def _per(qs, kunci: str) -> dict[int, int]:
    return dict(qs.order_by().values_list(kunci).annotate(n=Count("id")).values_list(kunci, "n"))


def kelurahan_akun(user_ids: list[int]) -> dict[int, list[Kelurahan]]:
    """Each account's kelurahan (the one source of a PSM's area), in one query."""
    hasil: dict[int, list[Kelurahan]] = {}
    through = User.kelurahan.through.objects.filter(user_id__in=user_ids).select_related("kelurahan")
    for baris in through.order_by("kelurahan__nama"):
        hasil.setdefault(baris.user_id, []).append(baris.kelurahan)
    return hasil


def ikrar_terakhir(user_ids: list[int]) -> dict[int, PersetujuanIkrar]:
    """The newest version each account accepted (with its time), in one query."""
    hasil: dict[int, PersetujuanIkrar] = {}
    semua = PersetujuanIkrar.objects.filter(user_id__in=user_ids).select_related("ikrar")
    for p in semua.order_by("user_id", "-ikrar__versi"):
        hasil.setdefault(p.user_id, p)
    return hasil


def ringkas_psm(users: list[User], viewer, *, hari_ini: dt.date | None = None) -> None:
    """Set the figures of each PSM account on ``users`` (attributes), one grouped query each."""
    hari_ini = hari_ini or timezone.localdate()
    ids = [u.pk for u in users]
    if not ids:
        return
    ppks = PPKS.objects.for_user(viewer).aktif().filter(psm_pendamping_id__in=ids)
    batas_ppks = hari_ini - dt.timedelta(days=interval_hari("ppks"))
    kunjungan = Kunjungan.objects.for_user(viewer).filter(oleh_id__in=ids)
    wilayah = kelurahan_akun(ids)
    ikrar = ikrar_terakhir(ids)
    n_ppks = _per(ppks, "psm_pendamping_id")
    n_lewat = _per(
        ppks.filter(Q(terakhir_dikunjungi__isnull=True) | Q(terakhir_dikunjungi__lt=batas_ppks)), "psm_pendamping_id"
    )
    n_kasus = _per(Kasus.objects.for_user(viewer).terbuka().filter(psm_id__in=ids), "psm_id")
    n_kunjungan = _per(kunjungan.filter(tanggal__gte=hari_ini - dt.timedelta(days=HARI_AKTIVITAS)), "oleh_id")
    terakhir = dict(kunjungan.order_by().values_list("oleh_id").annotate(t=Max("tanggal")).values_list("oleh_id", "t"))
    for u in users:
        u.wilayah = wilayah.get(u.pk, [])
        u.ikrar_terakhir = ikrar.get(u.pk)
        u.jumlah_ppks = n_ppks.get(u.pk, 0)
        u.jumlah_ppks_terlambat = n_lewat.get(u.pk, 0)
        u.jumlah_kasus = n_kasus.get(u.pk, 0)
        u.kunjungan_30 = n_kunjungan.get(u.pk, 0)
        u.aktivitas_terakhir = terakhir.get(u.pk)


@dataclass
class BarisCakupan:
    kelurahan: Kelurahan
    psm_aktif: int = 0
    ppks: int = 0
    ppks_tanpa_pendamping: int = 0
    ppks_terlambat: int = 0
    miskin_ekstrem: int = 0
    miskin_tanpa_kunjungan: int = 0

    @property
    def tanpa_psm(self) -> bool:
        return self.psm_aktif == 0


@dataclass
class KecamatanCakupan:
    nama: str
    baris: list[BarisCakupan] = field(default_factory=list)

    def _jumlah(self, nama: str) -> int:
        return sum(getattr(b, nama) for b in self.baris)

    @property
    def total(self) -> dict[str, int]:
        kolom = ("psm_aktif", "ppks", "ppks_tanpa_pendamping", "ppks_terlambat", "miskin_ekstrem")
        hasil = {k: self._jumlah(k) for k in kolom + ("miskin_tanpa_kunjungan",)}
        hasil["tanpa_psm"] = sum(1 for b in self.baris if b.tanpa_psm)
        return hasil


def cakupan(viewer, *, hari_ini: dt.date | None = None) -> list[KecamatanCakupan]:
    """Coverage per kelurahan of the viewer's area, grouped by kecamatan: seven queries in all."""
    hari_ini = hari_ini or timezone.localdate()
    kelurahan = list(Kelurahan.objects.for_user(viewer).select_related("kecamatan").order_by("kecamatan__kode", "nama"))
    psm = dict(
        User.kelurahan.through.objects.filter(user__peran=Peran.PSM, user__is_active=True, user__is_superuser=False)
        .order_by()
        .values_list("kelurahan_id")
        .annotate(n=Count("user_id"))
        .values_list("kelurahan_id", "n")
    )
    kel = "penduduk__kelurahan_id"
    ppks = PPKS.objects.for_user(viewer).aktif()
    batas_ppks = hari_ini - dt.timedelta(days=interval_hari("ppks"))
    n_ppks = _per(ppks, kel)
    n_tanpa = _per(ppks.filter(Q(psm_pendamping__isnull=True) | Q(psm_pendamping__is_active=False)), kel)
    n_lewat = _per(ppks.filter(Q(terakhir_dikunjungi__isnull=True) | Q(terakhir_dikunjungi__lt=batas_ppks)), kel)
    miskin = StatusMiskinEkstrem.objects.for_user(viewer).terbuka()
    baru_dikunjungi = Kunjungan.objects.filter(
        keluarga__isnull=False, tanggal__gte=hari_ini - dt.timedelta(days=interval_hari("miskin_ekstrem"))
    ).values("keluarga_id")
    n_miskin = _per(miskin, "keluarga__kelurahan_id")
    n_miskin_lewat = _per(miskin.exclude(keluarga_id__in=baru_dikunjungi), "keluarga__kelurahan_id")
    hasil: dict[int, KecamatanCakupan] = {}
    for k in kelurahan:
        grup = hasil.setdefault(k.kecamatan_id, KecamatanCakupan(k.kecamatan.nama))
        grup.baris.append(
            BarisCakupan(
                kelurahan=k,
                psm_aktif=psm.get(k.pk, 0),
                ppks=n_ppks.get(k.pk, 0),
                ppks_tanpa_pendamping=n_tanpa.get(k.pk, 0),
                ppks_terlambat=n_lewat.get(k.pk, 0),
                miskin_ekstrem=n_miskin.get(k.pk, 0),
                miskin_tanpa_kunjungan=n_miskin_lewat.get(k.pk, 0),
            )
        )
    return list(hasil.values())
