"""Writes of PPKS registrations and cases. Views, admin, imports and commands call these; each
checks the user's area itself (DESIGN.md, penduduk/services.py is the pattern)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from akun.models import User
from akun.versi import periksa_versi, simpan_dengan_versi
from penduduk.models import Penduduk
from penduduk.services import pastikan_wilayah
from ppks.alur import BISA_DIBUKA_KEMBALI, BUTUH_ALASAN, batas_respons, boleh_pindah
from ppks.choices import JenisTindakan, StatusKasus, Urgensi
from ppks.models import PPKS, Kasus, Rujukan, Tindakan


def pastikan_psm_wilayah(psm: User | None, kelurahan_id: int, field: str) -> None:
    """A PSM named on a record must be an active PSM whose area holds the record's kelurahan."""
    if psm is None:
        return
    if not (psm.is_active and psm.is_psm and kelurahan_id in psm.kelurahan_ids()):
        raise ValidationError({field: _("Pilih PSM yang bertugas di kelurahan ini.")})


def pastikan_petugas(petugas: User | None) -> None:
    if petugas is not None and not (petugas.is_active and petugas.pengelola):
        raise ValidationError({"petugas": _("Petugas harus staf atau admin Dinas Sosial yang aktif.")})


@transaction.atomic
def ppks_simpan(*, ppks: PPKS, oleh: User) -> PPKS:
    """Register or update a PPKS registration. The person must be in the user's area (before and
    after the change) and the pendamping a PSM of the person's kelurahan."""
    penduduk = Penduduk.objects.for_user(oleh).filter(pk=ppks.penduduk_id).first()
    if penduduk is None:
        raise PermissionDenied(_("Penduduk ini di luar wilayah kerja Anda."))
    pastikan_wilayah(oleh=oleh, kelurahan_id=penduduk.kelurahan_id)
    if ppks.pk:
        lama = PPKS.objects.filter(pk=ppks.pk).values("penduduk__kelurahan_id").first()
        if lama is not None:
            pastikan_wilayah(oleh=oleh, kelurahan_id=lama["penduduk__kelurahan_id"])
    pastikan_psm_wilayah(ppks.psm_pendamping, penduduk.kelurahan_id, "psm_pendamping")
    ppks.full_clean()
    ppks._history_user = oleh
    ppks.save()
    return ppks


def _cek_kasus(kasus: Kasus, oleh: User, lama: Kasus | None = None) -> None:
    pastikan_wilayah(oleh=oleh, kelurahan_id=kasus.kelurahan_id)
    if lama is not None:
        pastikan_wilayah(oleh=oleh, kelurahan_id=lama.kelurahan_id)
    # The person is checked when it is set or changed: a PSM may still work on a case that staff
    # linked to a person living outside the PSM's kelurahan.
    berubah = lama is None or lama.penduduk_id != kasus.penduduk_id
    if berubah and kasus.penduduk_id and not Penduduk.objects.for_user(oleh).filter(pk=kasus.penduduk_id).exists():
        raise PermissionDenied(_("Penduduk ini di luar wilayah kerja Anda."))
    pastikan_psm_wilayah(kasus.psm, kasus.kelurahan_id, "psm")
    pastikan_petugas(kasus.petugas)
    if kasus.viral:
        kasus.urgensi = Urgensi.DARURAT


def _simpan(obj, oleh: User) -> None:
    obj.full_clean()
    obj._history_user = oleh
    obj.save()


@transaction.atomic
def kasus_buat(*, kasus: Kasus, oleh: User) -> Kasus:
    """Take in a case: a viral one is darurat; the deadline follows from the urgency; the number is
    KS-<year>-<id>."""
    _cek_kasus(kasus, oleh)
    kasus.dibuat_pada = kasus.dibuat_pada or timezone.now()
    kasus.batas_respons = batas_respons(kasus.dibuat_pada, kasus.urgensi)
    kasus.status = StatusKasus.BARU
    kasus.dibuat_oleh = oleh
    _simpan(kasus, oleh)
    kasus.nomor = f"KS-{timezone.localtime(kasus.dibuat_pada):%Y}-{kasus.pk:06d}"
    kasus.save(update_fields=["nomor"])
    return kasus


# Columns the workflow owns (kasus_ubah_status, _catat, kasus_buka_kembali): an edit of the case's
# facts saves them as they are in the database, never as they were when the edit form opened.
_KOLOM_ALUR = ("nomor", "status", "dibuat_pada", "dibuat_oleh_id", "direspons_pada", "selesai_pada", "alasan_tutup")


@transaction.atomic
def kasus_ubah(*, kasus: Kasus, oleh: User, versi: int | None = None) -> Kasus:
    """Edit a case's facts (link the person found later, urgency, assignment). A change of urgency
    before the first response moves the response deadline, counted from the report.

    ``versi``: the version the edit form was opened at. Every UPDATE of the row raises it (a status
    change or the first action too), so an edit opened before any of them is refused
    (``KonflikVersi``) rather than saved over them."""
    lama = Kasus.objects.select_for_update().get(pk=kasus.pk)
    periksa_versi(kasus, lama.versi, versi)
    for kolom in _KOLOM_ALUR:
        setattr(kasus, kolom, getattr(lama, kolom))
    kasus.batas_respons = lama.batas_respons
    _cek_kasus(kasus, oleh, lama)
    if lama.urgensi != kasus.urgensi and kasus.direspons_pada is None:
        kasus.batas_respons = batas_respons(kasus.dibuat_pada, kasus.urgensi)
    simpan_dengan_versi(kasus, versi)
    _simpan(kasus, oleh)
    return kasus


def _catat(kasus: Kasus, *, oleh: User, jenis: str, uraian: str, waktu=None, respons: bool = True) -> Tindakan:
    tindakan = Tindakan(kasus=kasus, jenis=jenis, uraian=uraian, oleh=oleh, waktu=waktu or timezone.now())
    _simpan(tindakan, oleh)
    if respons and kasus.direspons_pada is None:
        # The first response is the first thing anybody does on the case after it came in, at the
        # time they say they did it (a visit recorded in the evening happened in the morning); it
        # cannot be before the report (checked in tindakan_catat) nor after it was recorded.
        kasus.direspons_pada = min(max(tindakan.waktu, kasus.dibuat_pada), tindakan.dibuat_pada)
        kasus._history_user = oleh
        kasus.save(update_fields=["direspons_pada", "diubah_pada"])
    return tindakan


def _kunci(kasus: Kasus, oleh: User) -> Kasus:
    """The case row, locked for this transaction, after the area check."""
    pastikan_wilayah(oleh=oleh, kelurahan_id=kasus.kelurahan_id)
    return Kasus.objects.select_for_update().get(pk=kasus.pk)


@transaction.atomic
def tindakan_catat(*, kasus: Kasus, oleh: User, jenis: str, uraian: str, waktu=None) -> Tindakan:
    """Add an entry to the timeline (asesmen, kunjungan, layanan, rujukan, catatan)."""
    kasus = _kunci(kasus, oleh)
    if jenis == JenisTindakan.STATUS:
        raise ValidationError({"jenis": _("Perubahan status dicatat otomatis.")})
    if waktu is not None and waktu > timezone.now():
        raise ValidationError({"waktu": _("Waktu tindakan tidak boleh di masa depan.")})
    # The year first: comparing a year-1 time across time zones overflows.
    if waktu is not None and (waktu.year < 1900 or waktu < kasus.dibuat_pada):
        raise ValidationError({"waktu": _("Waktu tindakan tidak boleh sebelum kasus dilaporkan.")})
    return _catat(kasus, oleh=oleh, jenis=jenis, uraian=uraian, waktu=waktu)


@transaction.atomic
def kasus_ubah_status(*, kasus: Kasus, oleh: User, status: str, alasan: str = "") -> Kasus:
    """Move a case along the workflow (ppks/alur.py); a disallowed move is refused, never applied."""
    kasus = _kunci(kasus, oleh)
    if status not in StatusKasus.values:
        raise ValidationError(_("Status kasus tidak dikenal."))
    if not boleh_pindah(kasus.status, status):
        raise ValidationError(
            _("Status kasus tidak bisa diubah dari %(dari)s ke %(ke)s.")
            % {"dari": StatusKasus(kasus.status).label, "ke": StatusKasus(status).label}
        )
    alasan = (alasan or "").strip()
    if status in BUTUH_ALASAN and not alasan:
        raise ValidationError({"alasan": _("Tuliskan alasan kasus ditutup.")})
    dari = kasus.status
    kasus.status = status
    if status in (StatusKasus.SELESAI, StatusKasus.DITUTUP):
        kasus.selesai_pada = timezone.now()
        kasus.alasan_tutup = alasan if status == StatusKasus.DITUTUP else ""
    _simpan(kasus, oleh)
    uraian = _("Status: %(dari)s → %(ke)s.") % {"dari": StatusKasus(dari).label, "ke": StatusKasus(status).label}
    _catat(kasus, oleh=oleh, jenis=JenisTindakan.STATUS, uraian=f"{uraian} {alasan}".strip())
    return kasus


@transaction.atomic
def kasus_buka_kembali(*, kasus: Kasus, oleh: User, alasan: str) -> Kasus:
    """Reopen a finished or closed case, with a reason; it goes back to diverifikasi (or baru when
    nobody had verified it) with a new response deadline from now, and its response clock starts
    again (the earlier first response stays in the history)."""
    kasus = _kunci(kasus, oleh)
    if kasus.status not in BISA_DIBUKA_KEMBALI:
        raise ValidationError(_("Hanya kasus yang selesai atau ditutup yang bisa dibuka kembali."))
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": _("Tuliskan alasan kasus dibuka kembali.")})
    pernah_diverifikasi = kasus.history.filter(status=StatusKasus.DIVERIFIKASI).exists()
    dari = kasus.status
    kasus.status = StatusKasus.DIVERIFIKASI if pernah_diverifikasi else StatusKasus.BARU
    kasus.selesai_pada = None
    kasus.alasan_tutup = ""
    kasus.batas_respons = batas_respons(timezone.now(), kasus.urgensi)
    kasus.direspons_pada = None
    _simpan(kasus, oleh)
    # A new clock: the alerts of the old one (once per user, case and kind) make way for new ones.
    kasus.notifikasi.all().delete()
    uraian = _("Dibuka kembali: %(dari)s → %(ke)s.") % {
        "dari": StatusKasus(dari).label,
        "ke": StatusKasus(kasus.status).label,
    }
    _catat(kasus, oleh=oleh, jenis=JenisTindakan.STATUS, uraian=f"{uraian} {alasan}", respons=False)
    return kasus


@transaction.atomic
def rujukan_buat(*, rujukan: Rujukan, oleh: User) -> Rujukan:
    """Refer a case to an institution; the timeline records it."""
    kasus = _kunci(rujukan.kasus, oleh)
    if not kasus.terbuka:
        raise ValidationError(_("Kasus yang sudah selesai atau ditutup tidak bisa dirujuk."))
    if rujukan.tanggal and rujukan.tanggal < timezone.localtime(kasus.dibuat_pada).date():
        raise ValidationError({"tanggal": _("Tanggal rujukan tidak boleh sebelum kasus dilaporkan.")})
    rujukan.kasus = kasus
    rujukan.oleh = oleh
    _simpan(rujukan, oleh)
    _catat(
        kasus,
        oleh=oleh,
        jenis=JenisTindakan.RUJUKAN,
        uraian=_("Dirujuk ke %(lembaga)s (%(jenis)s).")
        % {"lembaga": rujukan.nama_lembaga, "jenis": rujukan.get_jenis_lembaga_display()},
    )
    return rujukan


@transaction.atomic
def rujukan_ubah_status(*, rujukan: Rujukan, oleh: User, status: str, catatan: str = "") -> Rujukan:
    kasus = _kunci(rujukan.kasus, oleh)
    rujukan.status = status
    if catatan:
        rujukan.catatan = f"{rujukan.catatan}\n{catatan}".strip()
    _simpan(rujukan, oleh)
    _catat(
        kasus,
        oleh=oleh,
        jenis=JenisTindakan.RUJUKAN,
        uraian=_("Rujukan ke %(lembaga)s: %(status)s. %(catatan)s")
        % {"lembaga": rujukan.nama_lembaga, "status": rujukan.get_status_display(), "catatan": catatan},
    )
    return rujukan
