"""Writes of the PSM app: profiles, the pledge, visits and handovers. Each checks the area."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from akun.models import User
from penduduk.models import Keluarga, Penduduk
from penduduk.services import pastikan_wilayah
from ppks.choices import STATUS_TERBUKA, JenisTindakan, StatusPPKS
from ppks.models import PPKS, Kasus
from ppks.services import pastikan_psm_wilayah, tindakan_catat
from psm.models import Ikrar, Kunjungan, Pelatihan, PersetujuanIkrar, ProfilPSM


def _hanya_pengelola(oleh: User) -> None:
    if not oleh.pengelola:
        raise PermissionDenied(_("Hanya staf Dinas Sosial yang boleh melakukan ini."))


@transaction.atomic
def profil_simpan(*, profil: ProfilPSM, oleh: User) -> ProfilPSM:
    """Create or update a PSM profile (staff only). The primary kelurahan must be one of the
    account's kelurahan: the account stays the one source of the area."""
    _hanya_pengelola(oleh)
    if not profil.user.is_psm:
        raise ValidationError({"user": _("Akun ini bukan akun PSM.")})
    if profil.kelurahan_utama_id and profil.kelurahan_utama_id not in profil.user.kelurahan_ids():
        raise ValidationError({"kelurahan_utama": _("Kelurahan utama harus salah satu kelurahan wilayah kerja akun.")})
    profil.full_clean()
    profil._history_user = oleh
    profil.save()
    return profil


def sudah_ikrar(user: User) -> bool:
    """Whether ``user`` accepted the current pledge (True when there is none, or not a PSM)."""
    if not user.is_psm:
        return True
    if not hasattr(user, "_sudah_ikrar"):
        # One query: the latest version and whether this user accepted it (none at all: True).
        diterima = Exists(PersetujuanIkrar.objects.filter(user=user, ikrar=OuterRef("pk")))
        terkini = Ikrar.objects.order_by("-versi").annotate(diterima=diterima).values_list("diterima", flat=True)
        terkini = list(terkini[:1])
        user._sudah_ikrar = not terkini or terkini[0]
    return user._sudah_ikrar


@transaction.atomic
def ikrar_setujui(*, user: User, ikrar: Ikrar) -> PersetujuanIkrar:
    """Record that a PSM read and accepted this version of the pledge (once; the time is kept)."""
    if not user.is_psm:
        raise PermissionDenied(_("Ikrar diterima oleh PSM."))
    if ikrar != Ikrar.terkini():
        raise ValidationError(_("Ikrar ini sudah diganti versi yang lebih baru. Muat ulang halaman."))
    persetujuan, _baru = PersetujuanIkrar.objects.get_or_create(user=user, ikrar=ikrar)
    user._sudah_ikrar = True
    return persetujuan


def _subjek_dalam_wilayah(kunjungan: Kunjungan, oleh: User):
    """The visited person, household or case, fetched through ``for_user`` (404-like refusal)."""
    for field, model in (("penduduk", Penduduk), ("keluarga", Keluarga), ("kasus", Kasus)):
        pk = getattr(kunjungan, f"{field}_id")
        if pk is not None:
            subjek = model.objects.for_user(oleh).filter(pk=pk).first()
            if subjek is None:
                raise PermissionDenied(_("Yang dikunjungi berada di luar wilayah kerja Anda."))
            return subjek
    raise ValidationError(_("Pilih siapa yang dikunjungi: penduduk, keluarga, atau kasus."))


@transaction.atomic
def kunjungan_catat(*, kunjungan: Kunjungan, oleh: User) -> Kunjungan:
    """Record a visit. It moves the subject's "last visited": the person's active PPKS
    registrations, or (for a case) a "kunjungan" entry on the case's timeline."""
    subjek = _subjek_dalam_wilayah(kunjungan, oleh)
    pastikan_wilayah(oleh=oleh, kelurahan_id=subjek.kelurahan_id)
    kunjungan.kelurahan_id = subjek.kelurahan_id
    kunjungan.oleh = oleh
    kunjungan.full_clean()
    kunjungan._history_user = oleh
    kunjungan.save()
    if kunjungan.penduduk_id:
        PPKS.objects.filter(penduduk_id=kunjungan.penduduk_id).exclude(status=StatusPPKS.BUKAN_PPKS).filter(
            Q(terakhir_dikunjungi__isnull=True) | Q(terakhir_dikunjungi__lt=kunjungan.tanggal)
        ).update(terakhir_dikunjungi=kunjungan.tanggal, diubah_pada=timezone.now())
    if kunjungan.kasus_id and subjek.status in STATUS_TERBUKA:
        uraian = kunjungan.temuan or _("Kunjungan lapangan.")
        waktu = timezone.make_aware(timezone.datetime.combine(kunjungan.tanggal, timezone.localtime().time()))
        tindakan_catat(
            kasus=subjek, oleh=oleh, jenis=JenisTindakan.KUNJUNGAN, uraian=uraian, waktu=min(waktu, timezone.now())
        )
    return kunjungan


@transaction.atomic
def psm_alihkan(*, dari: User, ke: User, oleh: User, catatan: str, ppks_ids=None, kasus_ids=None) -> dict[str, int]:
    """Hand over a PSM's residents and open cases to another PSM (all, or the chosen ids), with a
    handover note in each record's history. Every record must be in the new PSM's area."""
    _hanya_pengelola(oleh)
    catatan = (catatan or "").strip()
    if not catatan:
        raise ValidationError({"catatan": _("Tuliskan catatan serah terima.")})
    if dari == ke:
        raise ValidationError({"ke": _("Pilih PSM lain sebagai penerima.")})
    ppks = PPKS.objects.filter(psm_pendamping=dari).exclude(status=StatusPPKS.BUKAN_PPKS).select_related("penduduk")
    kasus = Kasus.objects.filter(psm=dari, status__in=STATUS_TERBUKA)
    if ppks_ids is not None:
        ppks = ppks.filter(pk__in=ppks_ids)
    if kasus_ids is not None:
        kasus = kasus.filter(pk__in=kasus_ids)
    alasan = _("Serah terima dari %(dari)s: %(catatan)s") % {
        "dari": dari.get_full_name() or dari.username,
        "catatan": catatan,
    }
    jumlah = {"ppks": 0, "kasus": 0}
    for baris in ppks.select_for_update(of=("self",)):
        pastikan_psm_wilayah(ke, baris.penduduk.kelurahan_id, "ke")
        baris.psm_pendamping = ke
        baris._history_user = oleh
        baris._change_reason = alasan
        baris.save(update_fields=["psm_pendamping", "diubah_pada"])
        jumlah["ppks"] += 1
    for baris in kasus.select_for_update():
        pastikan_psm_wilayah(ke, baris.kelurahan_id, "ke")
        baris.psm = ke
        baris._history_user = oleh
        baris._change_reason = alasan
        baris.save(update_fields=["psm", "diubah_pada"])
        jumlah["kasus"] += 1
    return jumlah


@transaction.atomic
def psm_nonaktifkan(*, user: User, oleh: User) -> User:
    """Deactivate a PSM account (staff only): it loses access at its next request (an inactive
    user is no longer authenticated), and its profile's active period ends today. Both changes
    are kept in history. Hand the PSM's residents and cases over first (``psm_alihkan``)."""
    _hanya_pengelola(oleh)
    if not user.is_psm:
        raise ValidationError(_("Akun ini bukan akun PSM."))
    if user.is_active:
        user.is_active = False
        user._history_user = oleh
        user.save(update_fields=["is_active"])
    profil = ProfilPSM.objects.filter(user=user).first()
    hari_ini = timezone.localdate()
    if profil is not None and (profil.aktif_sampai is None or profil.aktif_sampai > hari_ini):
        profil.aktif_sampai = hari_ini
        if profil.aktif_mulai and profil.aktif_mulai > hari_ini:
            profil.aktif_mulai = hari_ini
        profil.full_clean()
        profil._history_user = oleh
        profil.save(update_fields=["aktif_sampai", "aktif_mulai", "diubah_pada"])
    return user


@transaction.atomic
def pelatihan_simpan(*, pelatihan: Pelatihan, oleh: User) -> Pelatihan:
    """Add or change a training (bimtek) on a PSM profile (staff only)."""
    _hanya_pengelola(oleh)
    pelatihan.full_clean()
    pelatihan._history_user = oleh
    pelatihan.save()
    return pelatihan


@transaction.atomic
def pelatihan_hapus(*, pelatihan: Pelatihan, oleh: User) -> None:
    _hanya_pengelola(oleh)
    pelatihan._history_user = oleh
    pelatihan.delete()
