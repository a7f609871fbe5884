"""The integrity checks of assistance: each finding becomes a ``Bendera`` (flag) with its reason.

Every check is set-based: one query finds all the distributions (or pendamping) it is about, never
a query per distribution. A flag is identified by ``Bendera.kunci`` (rule + what it is about), so
running a check again creates nothing new, and a resolved flag is not raised again (its kunci
exists). New flags are written in bulk with their history rows (``bulk_create_with_history``).

The rules (README, "Bantuan"):

- ``kurang_terima``: the family confirmed receiving less than was distributed (equal or more is
  fine). Kunci ``kurang_terima:<penyaluran>``.
- ``ganda``: the same household (a household distribution) or the same person (a personal one)
  received the same programme for the same period twice (distributed or confirmed; planned and
  failed ones do not count). The later distribution(s) are flagged, naming the first one. Kunci
  ``ganda:<penyaluran>``.
- ``penerima_tidak_layak``: distributed after the recipient died or moved away. The registry has
  no date of death or move, so the date is the day the status change was *recorded* (the change
  history of ``Penduduk``: the first history row of the current uninterrupted meninggal/pindah
  spell). A household distribution is flagged when no member of the household is alive and
  resident, after the latest such change among its members. Limitation: distributions between the
  real date and the recording are not flagged; a person imported already deceased counts from the
  import. Kunci ``penerima_tidak_layak:<penyaluran>``.
- ``belum_dikonfirmasi``: distributed more than ``BANTUAN_HARI_KONFIRMASI`` (30) days ago and not
  confirmed. Kunci ``belum_dikonfirmasi:<penyaluran>``.
- ``pendamping_janggal``: over the last ``BANTUAN_PENDAMPING_HARI`` (365) days, a pendamping with
  at least ``BANTUAN_PENDAMPING_MIN_KONFIRMASI`` (10) confirmed distributions, at least
  ``BANTUAN_PENDAMPING_MIN_KURANG`` (2) of them short, and a shortfall share at least
  ``BANTUAN_PENDAMPING_KALI`` (2) times the city-wide share over the same window. Kunci
  ``pendamping_janggal:<user>:<year of the check>``: once a year at most per pendamping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from bantuan.choices import JenisBendera, StatusPenyaluran
from bantuan.konfigurasi import nilai as konfigurasi
from bantuan.models import Bendera, Penyaluran
from penduduk.choices import StatusPenduduk
from penduduk.models import Penduduk

TERSALUR = [StatusPenyaluran.DISALURKAN, StatusPenyaluran.DIKONFIRMASI]
TIDAK_AKTIF = [StatusPenduduk.MENINGGAL, StatusPenduduk.PINDAH]
ALASAN_RIWAYAT = "Pemeriksaan integritas"


def _rp(n: int) -> str:
    return "Rp" + f"{int(n):,}".replace(",", ".")


def _nama(depan: str | None, belakang: str | None, username: str | None) -> str:
    if username is None:
        return _("tidak tercatat")
    return f"{depan or ''} {belakang or ''}".strip() or username


def _semua(qs: QuerySet | None) -> QuerySet:
    return Penyaluran.objects.all() if qs is None else qs


_PENDAMPING = ("pendamping__first_name", "pendamping__last_name", "pendamping__username")


# --- The rules: each returns unsaved flags for the candidates in ``qs`` -------------------------


def cek_kurang_terima(qs: QuerySet | None = None) -> list[Bendera]:
    baris = (
        _semua(qs)
        .filter(status=StatusPenyaluran.DIKONFIRMASI, konfirmasi__nilai_diterima__lt=F("nilai"))
        .values("id", "nilai", "konfirmasi__nilai_diterima", "kelurahan_id", "pendamping_id", *_PENDAMPING)
    )
    hasil = []
    for b in baris:
        diterima = b["konfirmasi__nilai_diterima"]
        alasan = _(
            "Keluarga menyatakan menerima %(terima)s dari %(salur)s yang disalurkan (kurang %(selisih)s). "
            "Pendamping: %(pendamping)s."
        ) % {
            "terima": _rp(diterima),
            "salur": _rp(b["nilai"]),
            "selisih": _rp(b["nilai"] - diterima),
            "pendamping": _nama(*(b[k] for k in _PENDAMPING)),
        }
        hasil.append(_bendera(JenisBendera.KURANG_TERIMA, b, alasan))
    return hasil


def _sama(**penerima) -> QuerySet:
    return Penyaluran.objects.filter(
        status__in=TERSALUR, program=OuterRef("program"), periode=OuterRef("periode"), id__lt=OuterRef("id"), **penerima
    ).order_by("id")


def cek_ganda(qs: QuerySet | None = None) -> list[Bendera]:
    sama_keluarga = _sama(keluarga=OuterRef("keluarga"), penduduk__isnull=True)
    sama_orang = _sama(penduduk=OuterRef("penduduk"))
    baris = (
        _semua(qs)
        .filter(status__in=TERSALUR)
        .alias(ada_k=Exists(sama_keluarga), ada_o=Exists(sama_orang))
        .filter(Q(penduduk__isnull=True, keluarga__isnull=False, ada_k=True) | Q(penduduk__isnull=False, ada_o=True))
        .annotate(pertama_k=Subquery(sama_keluarga.values("id")[:1]), pertama_o=Subquery(sama_orang.values("id")[:1]))
        .values(
            "id", "periode", "program__kode", "penduduk_id", "pertama_k", "pertama_o", "kelurahan_id", "pendamping_id"
        )
    )
    hasil = []
    for b in baris:
        pertama = b["pertama_o"] if b["penduduk_id"] else b["pertama_k"]
        siapa = _("orang yang sama") if b["penduduk_id"] else _("keluarga yang sama")
        alasan = _("%(program)s periode %(periode)s sudah tersalur ke %(siapa)s pada penyaluran #%(pertama)s.") % {
            "program": b["program__kode"],
            "periode": f"{b['periode']:%m/%Y}",
            "siapa": siapa,
            "pertama": pertama,
        }
        hasil.append(_bendera(JenisBendera.GANDA, b, alasan))
    return hasil


def cek_penerima_tidak_layak(qs: QuerySet | None = None) -> list[Bendera]:
    riwayat = Penduduk.history.model
    kembali_aktif = riwayat.objects.filter(
        id=OuterRef("id"), status=StatusPenduduk.HIDUP, history_date__gt=OuterRef("history_date")
    )
    # The first record of the person's current uninterrupted meninggal/pindah spell.
    sejak_orang = (
        riwayat.objects.filter(id=OuterRef("penduduk_id"), status__in=TIDAK_AKTIF)
        .filter(~Exists(kembali_aktif))
        .order_by("history_date")
        .values("history_date")[:1]
    )
    # A household: the latest change to meninggal/pindah among its members' records.
    sejak_keluarga = (
        riwayat.objects.filter(keluarga_id=OuterRef("keluarga_id"), status__in=TIDAK_AKTIF)
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    anggota = Penduduk.objects.filter(keluarga=OuterRef("keluarga_id"))
    orang = (
        _semua(qs)
        .filter(status__in=TERSALUR, penduduk__status__in=TIDAK_AKTIF)
        .annotate(sejak=TruncDate(Subquery(sejak_orang)))
        .filter(sejak__isnull=False, tanggal__gt=F("sejak"))
        .values("id", "tanggal", "sejak", "kelurahan_id", "pendamping_id", "penduduk__nama", "penduduk__status")
    )
    keluarga = (
        _semua(qs)
        .filter(status__in=TERSALUR, penduduk__isnull=True, keluarga__isnull=False)
        .alias(ada=Exists(anggota), ada_aktif=Exists(anggota.filter(status=StatusPenduduk.HIDUP)))
        .filter(ada=True, ada_aktif=False)
        .annotate(sejak=TruncDate(Subquery(sejak_keluarga)))
        .filter(sejak__isnull=False, tanggal__gt=F("sejak"))
        .values("id", "tanggal", "sejak", "kelurahan_id", "pendamping_id")
    )
    label = dict(StatusPenduduk.choices)
    hasil = []
    for b in orang:
        alasan = _(
            "%(nama)s berstatus %(status)s di registri sejak %(sejak)s (tanggal perubahan tercatat), "
            "tetapi penyaluran bertanggal %(tgl)s."
        ) % {
            "nama": b["penduduk__nama"],
            "status": str(label[b["penduduk__status"]]).lower(),
            "sejak": f"{b['sejak']:%d/%m/%Y}",
            "tgl": f"{b['tanggal']:%d/%m/%Y}",
        }
        hasil.append(_bendera(JenisBendera.PENERIMA_TIDAK_LAYAK, b, alasan))
    for b in keluarga:
        alasan = _(
            "Semua anggota keluarga penerima sudah meninggal atau pindah (perubahan terakhir tercatat %(sejak)s), "
            "tetapi penyaluran bertanggal %(tgl)s."
        ) % {"sejak": f"{b['sejak']:%d/%m/%Y}", "tgl": f"{b['tanggal']:%d/%m/%Y}"}
        hasil.append(_bendera(JenisBendera.PENERIMA_TIDAK_LAYAK, b, alasan))
    return hasil


def cek_belum_dikonfirmasi(qs: QuerySet | None = None, *, hari_ini: dt.date | None = None) -> list[Bendera]:
    hari = konfigurasi("BANTUAN_HARI_KONFIRMASI")
    hari_ini = hari_ini or timezone.localdate()
    baris = (
        _semua(qs)
        .filter(status=StatusPenyaluran.DISALURKAN, tanggal__lt=hari_ini - dt.timedelta(days=hari))
        .values("id", "tanggal", "kelurahan_id", "pendamping_id", *_PENDAMPING)
    )
    hasil = []
    for b in baris:
        alasan = _(
            "Disalurkan %(tgl)s dan belum dikonfirmasi keluarga setelah lebih dari %(hari)s hari. Pendamping: %(p)s."
        ) % {"tgl": f"{b['tanggal']:%d/%m/%Y}", "hari": hari, "p": _nama(*(b[k] for k in _PENDAMPING))}
        hasil.append(_bendera(JenisBendera.BELUM_DIKONFIRMASI, b, alasan))
    return hasil


def porsi_kurang(*, hari_ini: dt.date | None = None) -> tuple[dict, list[dict]]:
    """The city-wide shortfall share and each pendamping's, over the window (two grouped queries)."""
    hari_ini = hari_ini or timezone.localdate()
    dasar = Penyaluran.objects.filter(
        status=StatusPenyaluran.DIKONFIRMASI,
        tanggal__gte=hari_ini - dt.timedelta(days=konfigurasi("BANTUAN_PENDAMPING_HARI")),
        konfirmasi__isnull=False,
    ).order_by()
    kurang = Count("id", filter=Q(konfirmasi__nilai_diterima__lt=F("nilai")))
    kota = dasar.aggregate(n=Count("id"), k=kurang)
    per_pendamping = list(
        dasar.filter(pendamping__isnull=False).values("pendamping_id", *_PENDAMPING).annotate(n=Count("id"), k=kurang)
    )
    return kota, per_pendamping


def cek_pendamping_janggal(*, hari_ini: dt.date | None = None) -> list[Bendera]:
    hari_ini = hari_ini or timezone.localdate()
    kota, per_pendamping = porsi_kurang(hari_ini=hari_ini)
    if not kota["n"] or not kota["k"]:
        return []
    minimal, kali = konfigurasi("BANTUAN_PENDAMPING_MIN_KONFIRMASI"), konfigurasi("BANTUAN_PENDAMPING_KALI")
    min_kurang = konfigurasi("BANTUAN_PENDAMPING_MIN_KURANG")
    hasil = []
    for b in per_pendamping:
        n, k = b["n"], b["k"]
        # k/n >= kali * K/N, in integers
        if n < minimal or k < min_kurang or k * kota["n"] < kali * kota["k"] * n:
            continue
        alasan = _(
            "%(nama)s: %(k)s dari %(n)s penyaluran yang dikonfirmasi dalam %(hari)s hari terakhir diterima kurang "
            "(%(porsi)s%%), sedangkan rata-rata kota %(kota)s%% (%(kk)s dari %(kn)s). Ambang: minimal %(min)s "
            "konfirmasi dan %(kali)s kali rata-rata kota."
        ) % {
            "nama": _nama(*(b[x] for x in _PENDAMPING)),
            "k": k,
            "n": n,
            "hari": konfigurasi("BANTUAN_PENDAMPING_HARI"),
            "porsi": f"{100 * k / n:.1f}".replace(".", ","),
            "kota": f"{100 * kota['k'] / kota['n']:.1f}".replace(".", ","),
            "kk": kota["k"],
            "kn": kota["n"],
            "min": minimal,
            "kali": kali,
        }
        hasil.append(
            Bendera(
                jenis=JenisBendera.PENDAMPING_JANGGAL,
                kunci=f"{JenisBendera.PENDAMPING_JANGGAL}:{b['pendamping_id']}:{hari_ini.year}",
                alasan=alasan,
                pendamping_id=b["pendamping_id"],
            )
        )
    return hasil


def _bendera(jenis: str, b: dict, alasan: str) -> Bendera:
    return Bendera(
        jenis=jenis,
        kunci=f"{jenis}:{b['id']}",
        alasan=alasan,
        penyaluran_id=b["id"],
        kelurahan_id=b["kelurahan_id"],
        pendamping_id=b.get("pendamping_id"),
    )


# --- Saving and running ---------------------------------------------------------------------------


def simpan(calon: Iterable[Bendera], *, oleh=None) -> int:
    """Write the flags whose kunci is new (with history rows); the number written."""
    unik: dict[str, Bendera] = {}
    for b in calon:
        unik.setdefault(b.kunci, b)
    if not unik:
        return 0
    for percobaan in range(2):
        kunci = list(unik)
        ada: set[str] = set()
        for i in range(0, len(kunci), 500):
            ada.update(Bendera.objects.filter(kunci__in=kunci[i : i + 500]).values_list("kunci", flat=True))
        baru = [b for k, b in unik.items() if k not in ada]
        if not baru:
            return 0
        try:
            with transaction.atomic():
                bulk_create_with_history(
                    baru, Bendera, batch_size=500, default_user=oleh, default_change_reason=ALASAN_RIWAYAT
                )
            return len(baru)
        except IntegrityError:
            # Another run wrote some of these just now: read the existing kunci again, once.
            if percobaan:
                raise
            for b in baru:
                b.pk = None
    return 0


PEMERIKSAAN = {
    JenisBendera.KURANG_TERIMA: cek_kurang_terima,
    JenisBendera.GANDA: cek_ganda,
    JenisBendera.PENERIMA_TIDAK_LAYAK: cek_penerima_tidak_layak,
    JenisBendera.BELUM_DIKONFIRMASI: cek_belum_dikonfirmasi,
}


def periksa_semua(*, oleh=None, hari_ini: dt.date | None = None) -> dict[str, int]:
    """Every check over every distribution (``manage.py periksa_integritas``): new flags per rule."""
    hasil = {}
    for jenis, cek in PEMERIKSAAN.items():
        calon = cek(hari_ini=hari_ini) if jenis == JenisBendera.BELUM_DIKONFIRMASI else cek()
        hasil[str(jenis)] = simpan(calon, oleh=oleh)
    hasil[str(JenisBendera.PENDAMPING_JANGGAL)] = simpan(cek_pendamping_janggal(hari_ini=hari_ini), oleh=oleh)
    return hasil


def periksa_setelah_konfirmasi(penyaluran: Penyaluran, *, oleh=None) -> int:
    return simpan(cek_kurang_terima(Penyaluran.objects.filter(pk=penyaluran.pk)), oleh=oleh)


def periksa_setelah_simpan(penyaluran_ids: Iterable[int], *, oleh=None) -> int:
    """After distributions are written: double receipt and recipient deceased/moved, for these rows
    and for the rows they may now duplicate (the same recipient, programme and period)."""
    ids = list(penyaluran_ids)
    if not ids:
        return 0
    sendiri = Penyaluran.objects.filter(pk__in=ids)
    kelompok_keluarga = sendiri.filter(penduduk__isnull=True).values("keluarga_id")
    kelompok_orang = sendiri.filter(penduduk__isnull=False).values("penduduk_id")
    program_periode = sendiri.values("program_id")
    terkait = Penyaluran.objects.filter(program__in=program_periode, periode__in=sendiri.values("periode")).filter(
        Q(penduduk__isnull=True, keluarga__in=kelompok_keluarga) | Q(penduduk__in=kelompok_orang)
    )
    calon = cek_ganda(terkait) + cek_penerima_tidak_layak(sendiri)
    return simpan(calon, oleh=oleh)
