"""Attachments of public complaints: a photo (JPEG, PNG, WebP) or a PDF, checked by content.

The file name and the browser's content type are never trusted: an image must open in Pillow as
one of the three formats (an HTML page, an SVG with a script or an .exe renamed to .jpg does
not), a PDF must start with ``%PDF-``. The size is checked first, before anything is read
(Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not cover files; the reverse proxy's
``client_max_body_size`` is the outer wall). The stored name is made here, from the detected
type, never from the uploaded name. Files live in private storage (``psm.foto``) and are served
only through ``pengaduan:lampiran`` to staff, admin and pimpinan.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

GAMBAR = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
PDF = ("application/pdf", "pdf")
# A photo larger than this (in pixels) is refused: decoding it would cost memory, not evidence.
PIKSEL_MAKS = 60_000_000


@dataclass(frozen=True)
class JenisBerkas:
    mime: str
    ekstensi: str


def _pesan_jenis() -> str:
    return _("Lampiran harus berupa foto (JPEG, PNG atau WebP) atau berkas PDF. Berkas ini tidak diterima.")


def kenali(berkas) -> JenisBerkas | None:
    """The type of ``berkas`` by its content, or None when it is none of the accepted types."""
    berkas.seek(0)
    awal = berkas.read(5)
    berkas.seek(0)
    if awal == b"%PDF-":
        return JenisBerkas(*PDF)
    try:
        with Image.open(berkas) as gambar:
            format_ = gambar.format
            lebar, tinggi = gambar.size
            gambar.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    finally:
        berkas.seek(0)
    if format_ not in GAMBAR or lebar * tinggi > PIKSEL_MAKS:
        return None
    return JenisBerkas(*GAMBAR[format_])


def periksa_lampiran(berkas) -> JenisBerkas:
    """Refuse an attachment that is too large or not an accepted type (a clear message, in Indonesian)."""
    batas = settings.PENGADUAN_LAMPIRAN_MAKS_MB * 1024 * 1024
    if berkas.size is None or berkas.size > batas:
        raise ValidationError(
            _("Lampiran terlalu besar (maksimal %(mb)s MB).") % {"mb": settings.PENGADUAN_LAMPIRAN_MAKS_MB},
            code="terlalu_besar",
        )
    jenis = kenali(berkas)
    if jenis is None:
        raise ValidationError(_pesan_jenis(), code="jenis")
    return jenis


def nama_simpan(jenis: JenisBerkas) -> str:
    """A stored name that says nothing about the reporter (the uploaded name is dropped)."""
    return f"{secrets.token_hex(12)}.{jenis.ekstensi}"
