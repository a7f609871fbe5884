"""Template helpers of the extreme-poverty pages: {{ n|rupiah }} (Rp1.288.680), {{ d|persen }} (0,15%),
{{ n|angka }} (149.077), and the household card {% status_miskin_ekstrem keluarga %} on the registry's
household page."""

from __future__ import annotations

from decimal import Decimal

from django import template

from kemiskinan.models import StatusMiskinEkstrem, UsulanKeluar

register = template.Library()


def _ribuan(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@register.filter
def angka(nilai) -> str:
    """An integer with a dot every three digits: 149.077 (also under another locale)."""
    if nilai in (None, ""):
        return "—"
    return ("-" if int(nilai) < 0 else "") + _ribuan(abs(int(round(nilai))))


@register.filter
def rupiah(nilai) -> str:
    """Rp1.288.680 (DESIGN.md); "—" when unknown."""
    if nilai in (None, ""):
        return "—"
    return f"Rp{_ribuan(int(nilai))}"


@register.filter
def persen(nilai: Decimal | None, desimal: int = 2) -> str:
    """0,15% with a decimal comma; "—" when unknown."""
    if nilai is None:
        return "—"
    return f"{nilai:.{int(desimal)}f}".replace(".", ",") + "%"


@register.filter
def desimal(nilai, digit: int = 1) -> str:
    if nilai is None:
        return "—"
    return f"{nilai:.{int(digit)}f}".replace(".", ",")


@register.inclusion_tag("kemiskinan/_kartu_keluarga.html", takes_context=True)
def status_miskin_ekstrem(context, keluarga) -> dict:
    """The household's extreme-poverty status, for the registry's household page (two queries,
    both through ``for_user``)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    stays = list(StatusMiskinEkstrem.objects.for_user(user).filter(keluarga=keluarga).order_by("-tanggal_masuk", "-id"))
    kini = next((s for s in stays if s.terbuka), None)
    menunggu = kini is not None and UsulanKeluar.objects.for_user(user).menunggu().filter(status_miskin=kini).exists()
    return {"user": user, "keluarga": keluarga, "kini": kini, "terakhir": stays[0] if stays else None,
            "jumlah": len(stays), "menunggu": menunggu}  # fmt: skip
