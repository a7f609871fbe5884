"""Writes of the extreme-poverty list. Views, admin and the demo call these; each checks role and area.

Who may do what (DESIGN.md, "Roles and access", "Household exit"):

- enter a household on the list, record an intervention: Staf and Admin;
- propose an exit: Staf, Admin, and a PSM for a household of their kelurahan;
- verify (approve or reject) a proposal: Staf and Admin, never the user who proposed it.

The permission map refuses the pages to the other roles already; the services refuse again, so
that no other caller (admin, imports, a shell) can skip the maker-checker rule.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from akun.models import User
from kemiskinan.choices import StatusUsulan
from kemiskinan.models import Intervensi, StatusMiskinEkstrem, UsulanKeluar
from penduduk.choices import StatusPenduduk
from penduduk.models import Keluarga, Penduduk
from penduduk.services import pastikan_wilayah


def _pastikan_pengelola(oleh: User, pesan: str) -> None:
    if not (oleh.is_active and oleh.pengelola):
        raise PermissionDenied(pesan)


def _keluarga_dalam_wilayah(oleh: User, keluarga_id: int | None) -> Keluarga:
    keluarga = Keluarga.objects.for_user(oleh).filter(pk=keluarga_id).first()
    if keluarga is None:
        raise PermissionDenied(_("Keluarga ini di luar wilayah kerja Anda."))
    pastikan_wilayah(oleh=oleh, kelurahan_id=keluarga.kelurahan_id)
    return keluarga


def _simpan(obj, oleh: User) -> None:
    obj.full_clean()
    obj._history_user = oleh
    obj.save()


def jiwa_di_registri(keluarga: Keluarga) -> int:
    """Living members of the household in the registry (all of them, whoever records the entry)."""
    return Penduduk.objects.filter(keluarga=keluarga, status=StatusPenduduk.HIDUP).count()


@transaction.atomic
def status_masuk(*, status: StatusMiskinEkstrem, oleh: User) -> StatusMiskinEkstrem:
    """Put a household on the list (a new stay). The jiwa are its living members in the registry."""
    _pastikan_pengelola(oleh, _("Hanya staf Dinas Sosial yang mencatat keluarga masuk daftar miskin ekstrem."))
    if status.pk:
        raise ValidationError(_("Data masuk daftar yang sudah tersimpan tidak diubah; catat keluar lalu masuk lagi."))
    keluarga = _keluarga_dalam_wilayah(oleh, status.keluarga_id)
    # Lock the household: two staff entering it at once meet the one-open-stay constraint in order.
    Keluarga.objects.select_for_update().filter(pk=keluarga.pk).first()
    status.jiwa_masuk = jiwa_di_registri(keluarga)
    if status.jiwa_masuk < 1:
        raise ValidationError(_("Keluarga ini belum punya anggota yang hidup di registri; tambahkan anggotanya dulu."))
    status.dicatat_oleh = oleh
    status.tanggal_keluar = None
    status.alasan_keluar = ""
    terakhir = (
        StatusMiskinEkstrem.objects.filter(keluarga=keluarga, tanggal_keluar__isnull=False)
        .order_by("-tanggal_keluar")
        .values_list("tanggal_keluar", flat=True)
        .first()
    )
    if terakhir is not None and status.tanggal_masuk and status.tanggal_masuk < terakhir:
        raise ValidationError(
            {"tanggal_masuk": _("Keluarga ini keluar daftar pada %(tgl)s; masuk lagi harus pada atau sesudahnya.")
             % {"tgl": f"{terakhir:%d/%m/%Y}"}}
        )  # fmt: skip
    _simpan(status, oleh)
    return status


def _kunci_status(status_id: int) -> StatusMiskinEkstrem:
    return StatusMiskinEkstrem.objects.select_for_update().select_related("keluarga").get(pk=status_id)


@transaction.atomic
def keluar_usulkan(*, usulan: UsulanKeluar, oleh: User) -> UsulanKeluar:
    """Propose an exit. A PSM may propose for households of their kelurahan; staff for any."""
    if not (oleh.is_active and (oleh.pengelola or oleh.is_psm)):
        raise PermissionDenied(_("Peran Anda tidak boleh mengusulkan keluarga keluar daftar."))
    status = _kunci_status(usulan.status_miskin_id)
    _keluarga_dalam_wilayah(oleh, status.keluarga_id)
    if not status.terbuka:
        raise ValidationError(_("Keluarga ini sudah keluar dari daftar."))
    if usulan.tanggal_keluar and usulan.tanggal_keluar < status.tanggal_masuk:
        raise ValidationError(
            {"tanggal_keluar": _("Tanggal keluar tidak boleh sebelum tanggal masuk daftar (%(tgl)s).")
             % {"tgl": f"{status.tanggal_masuk:%d/%m/%Y}"}}
        )  # fmt: skip
    if usulan.keluarga_tujuan_id is not None:
        if usulan.keluarga_tujuan_id == status.keluarga_id:
            raise ValidationError({"keluarga_tujuan": _("Keluarga tujuan harus keluarga lain.")})
        _keluarga_dalam_wilayah(oleh, usulan.keluarga_tujuan_id)
    usulan.status_miskin = status
    usulan.status = StatusUsulan.DIUSULKAN
    usulan.diusulkan_oleh = oleh
    usulan.diusulkan_pada = timezone.now()
    usulan.diverifikasi_oleh = None
    usulan.diverifikasi_pada = None
    usulan.catatan_verifikasi = ""
    _simpan(usulan, oleh)
    return usulan


@transaction.atomic
def usulan_verifikasi(*, usulan: UsulanKeluar, oleh: User, setuju: bool, catatan: str = "") -> UsulanKeluar:
    """Approve (the stay closes with the proposal's date and reason) or reject (it stays open, with
    the reason recorded). Only Staf/Admin, and never the proposer."""
    _pastikan_pengelola(oleh, _("Hanya staf Dinas Sosial yang memverifikasi usulan keluar."))
    usulan = UsulanKeluar.objects.select_for_update().get(pk=usulan.pk)
    status = _kunci_status(usulan.status_miskin_id)
    _keluarga_dalam_wilayah(oleh, status.keluarga_id)
    if usulan.diusulkan_oleh_id == oleh.pk:
        raise PermissionDenied(_("Usulan ini Anda sendiri yang membuat; verifikasi harus oleh staf lain."))
    if usulan.status != StatusUsulan.DIUSULKAN:
        raise ValidationError(_("Usulan ini sudah diverifikasi."))
    catatan = (catatan or "").strip()
    if not setuju and not catatan:
        raise ValidationError({"catatan": _("Tuliskan alasan usulan ditolak.")})
    usulan.status = StatusUsulan.DISETUJUI if setuju else StatusUsulan.DITOLAK
    usulan.diverifikasi_oleh = oleh
    usulan.diverifikasi_pada = timezone.now()
    usulan.catatan_verifikasi = catatan
    # Validated again at verification (full_clean): the line may have changed since the proposal.
    _simpan(usulan, oleh)
    if setuju:
        status.tanggal_keluar = usulan.tanggal_keluar
        status.alasan_keluar = usulan.alasan
        status.pengeluaran_keluar = usulan.pengeluaran_per_kapita
        status.bukti_keluar = usulan.bukti
        status.keluarga_tujuan = usulan.keluarga_tujuan
        _simpan(status, oleh)
    return usulan


@transaction.atomic
def intervensi_catat(*, intervensi: Intervensi, oleh: User) -> Intervensi:
    """Record help a household received."""
    _pastikan_pengelola(oleh, _("Hanya staf Dinas Sosial yang mencatat intervensi."))
    if intervensi.pk:
        lama = Intervensi.objects.filter(pk=intervensi.pk).values_list("keluarga_id", flat=True).first()
        _keluarga_dalam_wilayah(oleh, lama)
    _keluarga_dalam_wilayah(oleh, intervensi.keluarga_id)
    intervensi.dicatat_oleh = oleh
    _simpan(intervensi, oleh)
    return intervensi
