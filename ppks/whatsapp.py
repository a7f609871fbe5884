"""The "Kirim ke WhatsApp" link of a case: a wa.me link with a message for the PSM.

The message leaves the system (a phone, WhatsApp's servers, a group chat), so it carries only what
lets the reader find the case: number, kelurahan, urgency, status, deadline and the link. Never a
NIK, a person's name, the summary or the location (free text that may name someone), nor a
sensitive jenis PPKS (UU PDP); a non-sensitive jenis may be named.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.utils.translation import gettext as _

from ppks.models import Kasus
from ppks.templatetags.kasus import format_wib

WA_ME = "https://wa.me/"


def nomor_wa(telepon: str | None) -> str:
    """A phone number in the international form wa.me wants (62812…, digits only), or "" when it
    is not a plausible Indonesian mobile number (then the link opens WhatsApp without a recipient)."""
    angka = re.sub(r"\D", "", telepon or "")
    if angka.startswith("0"):
        angka = "62" + angka[1:]
    elif angka.startswith("8"):
        angka = "62" + angka
    if not angka.startswith("628") or not 10 <= len(angka) <= 15:
        return ""
    return angka


def pesan_kasus(kasus: Kasus, tautan: str) -> str:
    """The message text (``tautan``: the absolute link to the case page)."""
    baris = [
        _("Kasus %(nomor)s (Dinas Sosial Kota Payakumbuh)") % {"nomor": kasus.nomor},
        _("Kelurahan: %(nama)s") % {"nama": kasus.kelurahan.nama},
        _("Urgensi: %(urgensi)s") % {"urgensi": kasus.get_urgensi_display()},
        _("Status: %(status)s") % {"status": kasus.get_status_display()},
    ]
    if kasus.jenis_id and not kasus.jenis.sensitif:
        baris.append(_("Jenis PPKS: %(jenis)s") % {"jenis": kasus.jenis.nama})
    if kasus.terbuka:
        baris.append(_("Batas respons: %(waktu)s") % {"waktu": format_wib(kasus.batas_respons)})
    baris.append(_("Buka: %(tautan)s") % {"tautan": tautan})
    return "\n".join(baris)


def tautan_whatsapp(kasus: Kasus, tautan: str) -> str:
    """https://wa.me/<PSM's number>?text=<message>; without a number when the case has no PSM
    with a usable phone (the sender then picks the chat)."""
    nomor = nomor_wa(kasus.psm.telepon) if kasus.psm_id and kasus.psm else ""
    return f"{WA_ME}{nomor}?text={quote(pesan_kasus(kasus, tautan), safe='')}"
