"""Writes of public complaints (DESIGN.md: keyword-only ``<noun>_<verb>``, ``full_clean`` before save).

The public form calls :func:`pengaduan_ajukan` (no user: it acts as the system account of
``pengaduan.sistem``). Every other write is staff work: the acting user must be an active Admin or
Staf Dinsos (Pimpinan reads only, a PSM never touches complaints), checked here as well as by the
permission map. A closed complaint (selesai/ditolak) changes only by being reopened.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from akun.models import User
from bantuan.models import Penyaluran
from pengaduan import kode as kode_lacak
from pengaduan.choices import STATUS_TUTUP, TRANSISI, Kategori, StatusPengaduan
from pengaduan.models import Pengaduan
from pengaduan.sistem import ALASAN_FORMULIR, akun_sistem, akun_sistem_bertindak
from ppks import services as ppks_services
from ppks.choices import SumberKasus, Urgensi
from ppks.models import Kasus

PANJANG_RINGKASAN = 200


def batas_waktu(dari: dt.datetime) -> dt.datetime:
    """The triage deadline: ``PENGADUAN_BATAS_HARI`` (14) days from receipt."""
    return dari + dt.timedelta(days=settings.PENGADUAN_BATAS_HARI)


def _pastikan_pengelola(oleh: User) -> None:
    if not (oleh.is_authenticated and oleh.is_active and oleh.pengelola):
        raise PermissionDenied(_("Hanya staf atau admin Dinas Sosial yang menangani pengaduan."))


def _pastikan_terbuka(pengaduan: Pengaduan) -> None:
    if not pengaduan.terbuka:
        raise ValidationError(_("Pengaduan ini sudah ditutup; buka kembali dulu bila perlu diubah."))


def _kunci(pengaduan: Pengaduan) -> Pengaduan:
    """The row as it is now, locked for the rest of the transaction (two staff acting at once)."""
    return Pengaduan.objects.select_for_update().get(pk=pengaduan.pk)


def _simpan(pengaduan: Pengaduan, oleh: User, alasan: str | None = None) -> Pengaduan:
    pengaduan.full_clean()
    pengaduan._history_user = oleh
    if alasan:
        pengaduan._change_reason = alasan
    pengaduan.save()
    return pengaduan


# --- the public form ---------------------------------------------------------------------------


def _ringkasan_kasus(isi: str) -> str:
    satu_baris = " ".join(isi.split())
    awalan = _("Pengaduan warga: ")
    sisa = PANJANG_RINGKASAN - len(awalan)
    return awalan + (satu_baris if len(satu_baris) <= sisa else satu_baris[: sisa - 1].rstrip() + "…")


def _buka_kasus(pengaduan: Pengaduan, *, mendesak: bool) -> Kasus:
    """The rapid-response case of a "butuh bantuan" complaint, opened at once so its clock runs.

    It carries what the field needs (what, where, kelurahan) and never the reporter's identity:
    the PSM of the kelurahan sees the case.
    """
    uraian = "\n\n".join(
        bagian
        for bagian in (
            pengaduan.isi,
            _("Lokasi: %(l)s") % {"l": pengaduan.lokasi} if pengaduan.lokasi else "",
            _(
                "Dibuka otomatis dari pengaduan publik no. %(no)s (menu Pengaduan). Identitas pelapor "
                "tidak diteruskan ke kasus."
            )
            % {"no": pengaduan.pk},
        )
        if bagian
    )
    kasus = Kasus(
        ringkasan=_ringkasan_kasus(pengaduan.isi),
        uraian=uraian,
        lokasi=pengaduan.lokasi,
        sumber=SumberKasus.PENGADUAN,
        urgensi=Urgensi.TINGGI if mendesak else Urgensi.BIASA,
        kelurahan=pengaduan.kelurahan,
        dibuat_pada=pengaduan.diterima_pada,
    )
    return ppks_services.kasus_buat(kasus=kasus, oleh=akun_sistem_bertindak())


@transaction.atomic
def pengaduan_ajukan(*, pengaduan: Pengaduan, mendesak: bool = False) -> Pengaduan:
    """File a complaint from the public form: a fresh tracking code, the 14-day deadline, and for
    "butuh bantuan" a Kasus (source pengaduan) in the complaint's kelurahan, opened at once.

    An anonymous complaint keeps no name or contact, whatever the form sent.
    """
    if pengaduan.anonim:
        pengaduan.pelapor_nama = pengaduan.pelapor_kontak = ""
    if pengaduan.kategori == Kategori.BUTUH_BANTUAN and not pengaduan.kelurahan_id:
        raise ValidationError({"kelurahan": _("Pilih kelurahan tempat warga yang butuh bantuan berada.")})
    pengaduan.status = StatusPengaduan.BARU
    pengaduan.diterima_pada = timezone.now()
    pengaduan.batas_waktu = batas_waktu(pengaduan.diterima_pada)
    sistem = akun_sistem()
    for _percobaan in range(5):
        pengaduan.kode_lacak = kode_lacak.kode_acak()
        if not Pengaduan.objects.filter(kode_lacak=pengaduan.kode_lacak).exists():
            break
    try:
        with transaction.atomic():
            _simpan(pengaduan, sistem, ALASAN_FORMULIR)
    except IntegrityError:  # a code drawn twice at the same moment (about 1 in 10**13): draw again
        pengaduan.pk = None
        pengaduan.kode_lacak = kode_lacak.kode_acak()
        _simpan(pengaduan, sistem, ALASAN_FORMULIR)
    if pengaduan.kategori == Kategori.BUTUH_BANTUAN:
        pengaduan.kasus = _buka_kasus(pengaduan, mendesak=mendesak)
        _simpan(pengaduan, sistem, ALASAN_FORMULIR)
    return pengaduan


# --- staff work --------------------------------------------------------------------------------


@transaction.atomic
def pengaduan_tugaskan(*, pengaduan: Pengaduan, petugas: User | None, oleh: User) -> Pengaduan:
    """Assign (or clear) the staff member handling the complaint."""
    _pastikan_pengelola(oleh)
    pengaduan = _kunci(pengaduan)
    _pastikan_terbuka(pengaduan)
    ppks_services.pastikan_petugas(petugas)
    pengaduan.petugas = petugas
    return _simpan(pengaduan, oleh)


@transaction.atomic
def pengaduan_ubah_status(*, pengaduan: Pengaduan, status: str, oleh: User) -> Pengaduan:
    """Move between the open states along ``choices.TRANSISI`` (closing is :func:`pengaduan_tutup`)."""
    _pastikan_pengelola(oleh)
    pengaduan = _kunci(pengaduan)
    _pastikan_terbuka(pengaduan)
    if status not in TRANSISI.get(pengaduan.status, ()):
        raise ValidationError(
            {"status": _("Status tidak dapat diubah dari \u201c%(dari)s\u201d ke pilihan ini.")
             % {"dari": pengaduan.get_status_display()}}
        )  # fmt: skip
    pengaduan.status = status
    return _simpan(pengaduan, oleh)


@transaction.atomic
def pengaduan_tutup(
    *, pengaduan: Pengaduan, status: str, resolusi: str, oleh: User, tanggapan_publik: str | None = None
) -> Pengaduan:
    """Close as selesai or ditolak, with a resolution note (required; a database check too)."""
    _pastikan_pengelola(oleh)
    pengaduan = _kunci(pengaduan)
    _pastikan_terbuka(pengaduan)
    if status not in STATUS_TUTUP:
        raise ValidationError({"status": _("Pilih Selesai atau Tidak dapat ditindaklanjuti.")})
    resolusi = (resolusi or "").strip()
    if not resolusi:
        raise ValidationError({"resolusi": _("Tulis catatan penyelesaian sebelum menutup pengaduan.")})
    pengaduan.status = status
    pengaduan.resolusi = resolusi
    if tanggapan_publik is not None and tanggapan_publik.strip():
        pengaduan.tanggapan_publik = tanggapan_publik.strip()
    pengaduan.ditutup_pada = timezone.now()
    pengaduan.ditutup_oleh = oleh
    return _simpan(pengaduan, oleh)


@transaction.atomic
def pengaduan_buka_kembali(*, pengaduan: Pengaduan, alasan: str, oleh: User) -> Pengaduan:
    """Reopen a closed complaint (back to "ditelaah", a fresh 14-day deadline). The reason goes
    into the change history; the earlier resolution note stays there too."""
    _pastikan_pengelola(oleh)
    pengaduan = _kunci(pengaduan)
    if pengaduan.terbuka:
        raise ValidationError(_("Pengaduan ini masih terbuka."))
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": _("Tulis alasan membuka kembali.")})
    pengaduan.status = StatusPengaduan.DITELAAH
    pengaduan.ditutup_pada = None
    pengaduan.ditutup_oleh = None
    pengaduan.batas_waktu = batas_waktu(timezone.now())
    return _simpan(pengaduan, oleh, alasan[:100])


@transaction.atomic
def pengaduan_tanggapi(*, pengaduan: Pengaduan, tanggapan_publik: str, oleh: User) -> Pengaduan:
    """The answer the reporter reads on the tracking page (no personal data: staff are told so)."""
    _pastikan_pengelola(oleh)
    pengaduan = _kunci(pengaduan)
    _pastikan_terbuka(pengaduan)
    pengaduan.tanggapan_publik = (tanggapan_publik or "").strip()
    return _simpan(pengaduan, oleh)


@transaction.atomic
def pengaduan_tautkan_psm(*, pengaduan: Pengaduan, psm: User | None, oleh: User) -> Pengaduan:
    """Name the PSM the complaint is about (or clear it). A former PSM may be named too."""
    _pastikan_pengelola(oleh)
    pengaduan = _kunci(pengaduan)
    _pastikan_terbuka(pengaduan)
    if psm is not None and not psm.is_psm:
        raise ValidationError({"psm": _("Pilih akun PSM.")})
    pengaduan.psm = psm
    return _simpan(pengaduan, oleh)


def _penyaluran_terlihat(penyaluran_id: int | None, oleh: User) -> Penyaluran:
    """The distribution through ``for_user``; an id that is not there is a form error, not a 500."""
    penyaluran = (
        Penyaluran.objects.for_user(oleh).filter(pk=penyaluran_id).first() if penyaluran_id is not None else None
    )
    if penyaluran is None:
        raise ValidationError({"penyaluran": _("Penyaluran dengan ID itu tidak ditemukan.")})
    return penyaluran


@transaction.atomic
def pengaduan_tautkan_penyaluran(*, pengaduan: Pengaduan, penyaluran_id: int | None, oleh: User) -> Penyaluran:
    """Link a distribution (by id, as typed by staff) to the complaint; recorded in the history."""
    _pastikan_pengelola(oleh)
    pengaduan = _kunci(pengaduan)
    _pastikan_terbuka(pengaduan)
    penyaluran = _penyaluran_terlihat(penyaluran_id, oleh)
    if pengaduan.penyaluran.filter(pk=penyaluran.pk).exists():
        raise ValidationError({"penyaluran": _("Penyaluran ini sudah ditautkan.")})
    pengaduan._history_user = oleh
    pengaduan.penyaluran.add(penyaluran)
    return penyaluran


@transaction.atomic
def pengaduan_lepas_penyaluran(*, pengaduan: Pengaduan, penyaluran_id: int | None, oleh: User) -> None:
    """Unlink a distribution; recorded in the history."""
    _pastikan_pengelola(oleh)
    pengaduan = _kunci(pengaduan)
    _pastikan_terbuka(pengaduan)
    penyaluran = pengaduan.penyaluran.filter(pk=penyaluran_id).first() if penyaluran_id is not None else None
    if penyaluran is None:
        raise ValidationError({"penyaluran": _("Penyaluran dengan ID itu tidak ditautkan ke pengaduan ini.")})
    pengaduan._history_user = oleh
    pengaduan.penyaluran.remove(penyaluran)
