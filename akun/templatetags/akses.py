"""Template helpers for role-aware pages: {% if user|boleh:"penduduk:create" %}, {% nik p.nik %}."""

from django import template

from akun.permissions import lihat_nik_lengkap, user_boleh
from penduduk.nik import samarkan

register = template.Library()


@register.filter
def boleh(user, url_name: str) -> bool:
    return user_boleh(user, url_name)


@register.simple_tag(takes_context=True)
def nik(context, value) -> str:
    """The NIK as this user may see it: whole, or masked (1376••••••••0001) for Pimpinan."""
    if not value:
        return "—"
    request = context.get("request")
    user = getattr(request, "user", None)
    return value if lihat_nik_lengkap(user) else samarkan(value)
