"""Formatting in Bahasa Indonesia that Django's own filters do not give: {{ td|durasi }}."""

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def durasi(nilai) -> str:
    """A duration as people say it: "30 menit", "1 jam 30 menit", "2 hari" (not ISO ``PT30M``)."""
    if not isinstance(nilai, timedelta):
        return ""
    menit = max(0, round(nilai.total_seconds() / 60))
    hari, sisa = divmod(menit, 24 * 60)
    jam, menit = divmod(sisa, 60)
    bagian = []
    if hari:
        bagian.append(_("%(n)d hari") % {"n": hari})
    if jam:
        bagian.append(_("%(n)d jam") % {"n": jam})
    if menit or not bagian:
        bagian.append(_("%(n)d menit") % {"n": menit})
    return " ".join(bagian)
