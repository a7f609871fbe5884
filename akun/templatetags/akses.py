"""Template helpers for role-aware pages: {% if user|boleh:"penduduk:create" %}, {% nik p.nik %},
{% lahir p %}."""

from django import template
from django.utils.translation import gettext as _

from akun.permissions import lihat_nik_lengkap, user_boleh
from penduduk.nik import samarkan
from penduduk.umur import umur_pada

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.filter
def boleh(user, url_name: str) -> bool:
    return user_boleh(user, url_name)


@register.simple_tag(takes_context=True)
def nik(context, value) -> str:
    """A NIK or No KK as this user may see it: whole, or the region only (1376••••••••••••)."""
    if not value:
        return "—"
    return value if lihat_nik_lengkap(_user(context)) else samarkan(value)


@register.simple_tag(takes_context=True)
def lahir(context, tanggal) -> str:
    """A birth date as this user may see it: dd/mm/yyyy, or the age in years for a masked role
    (the birth date is the middle of the NIK)."""
    if not tanggal:
        return "—"
    if lihat_nik_lengkap(_user(context)):
        return tanggal.strftime("%d/%m/%Y")
    return _("%(n)s tahun") % {"n": umur_pada(tanggal)}
