"""``{% load lapangan %}{% kunjungan_terakhir penduduk %}``: a person's latest visits, small.

Through ``Kunjungan.objects.for_user``: a visit made while the person lived in another kelurahan is
not shown to a PSM of this one (the visit's own kelurahan is its scope). One query.
"""

from __future__ import annotations

from django import template

from psm.models import Kunjungan

register = template.Library()

JUMLAH = 3


@register.inclusion_tag("psm/_lapangan_kunjungan_terakhir.html", takes_context=True)
def kunjungan_terakhir(context, penduduk) -> dict:
    user = context["request"].user
    daftar = list(
        Kunjungan.objects.for_user(user)
        .filter(penduduk=penduduk)
        .select_related("oleh")
        .order_by("-tanggal", "-id")[: JUMLAH + 1]
    )
    return {"daftar": daftar[:JUMLAH], "lebih": len(daftar) > JUMLAH, "penduduk": penduduk, "user": user}
