"""Template helpers of the case pages: deadline clocks in WIB, urgency colours, the jenis a role may
see. ``{% load kasus %}``; ``{{ k.batas_respons|sisa_waktu }}``, ``{{ k.batas_respons|wib }}``,
``{% jenis_kasus k %}``."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from ppks.choices import StatusKasus, Urgensi

register = template.Library()

WIB = ZoneInfo("Asia/Jakarta")

_KELAS_URGENSI = {Urgensi.DARURAT: "danger", Urgensi.TINGGI: "warning", Urgensi.BIASA: "secondary"}
_KELAS_STATUS = {
    StatusKasus.BARU: "text-bg-primary",
    StatusKasus.DIVERIFIKASI: "text-bg-info",
    StatusKasus.DITANGANI: "text-bg-warning",
    StatusKasus.DIRUJUK: "text-bg-warning",
    StatusKasus.SELESAI: "text-bg-success",
    StatusKasus.DITUTUP: "text-bg-secondary",
}


def waktu_relatif(batas: dt.datetime | None, sekarang: dt.datetime | None = None) -> str:
    """Time left to a deadline as people say it: "45 menit lagi", "3 jam lagi", "2 hari lagi", or
    "Terlambat 5 jam" once it has passed. Whole units, rounded down (a clock that says "3 jam
    lagi" with 3 h 50 min left never promises more time than there is)."""
    if batas is None:
        return ""
    selisih = batas - (sekarang or timezone.now())
    lewat = selisih < dt.timedelta(0)
    menit = int(abs(selisih).total_seconds() // 60)
    if menit < 1:
        return _("Terlambat kurang dari 1 menit") if lewat else _("kurang dari 1 menit lagi")
    if menit < 60:
        n, satuan = menit, _("menit")
    elif menit < 24 * 60:
        n, satuan = menit // 60, _("jam")
    else:
        n, satuan = menit // (24 * 60), _("hari")
    if lewat:
        return _("Terlambat %(n)d %(satuan)s") % {"n": n, "satuan": satuan}
    return _("%(n)d %(satuan)s lagi") % {"n": n, "satuan": satuan}


def format_wib(nilai: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM WIB, whatever time zone the value carries."""
    if nilai is None:
        return "—"
    if timezone.is_naive(nilai):
        nilai = timezone.make_aware(nilai, WIB)
    return f"{nilai.astimezone(WIB):%d/%m/%Y %H:%M} WIB"


def jenis_untuk(jenis, user) -> str:
    """The jenis PPKS of a case as ``user`` may see it. Pimpinan never sees a sensitive jenis (UU PDP:
    HIV status, trafficking, children in conflict with the law…) on a case page, where a person's
    name or a summary that names them is never far away: it reads "(dirahasiakan)"."""
    if jenis is None:
        return "—"
    if jenis.sensitif and (user is None or getattr(user, "is_pimpinan", True)):
        return _("(dirahasiakan)")
    return jenis.nama


@register.filter
def sisa_waktu(batas) -> str:
    return waktu_relatif(batas)


@register.filter
def wib(nilai) -> str:
    return format_wib(nilai)


@register.filter
def warna_urgensi(urgensi: str) -> str:
    """The Bootstrap colour of an urgency: darurat red, tinggi orange (warning), biasa grey."""
    return _KELAS_URGENSI.get(urgensi, "secondary")


@register.filter
def kelas_status(status: str) -> str:
    return _KELAS_STATUS.get(status, "text-bg-secondary")


@register.simple_tag(takes_context=True)
def jenis_kasus(context, kasus) -> str:
    request = context.get("request")
    return jenis_untuk(kasus.jenis if kasus.jenis_id else None, getattr(request, "user", None))
