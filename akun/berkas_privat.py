"""Serving an uploaded image from private storage: one place for every photo the app keeps.

The caller has already fetched the record through ``for_user`` (a viewer out of scope got a 404
before this). Here: the file must open and be a real JPEG, PNG or WebP (Pillow reads its header;
anything else, or a missing file, is a 404, never served as text/html), and the response is not
cached and not sniffed.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from PIL import Image

MIME_GAMBAR = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def sajikan_gambar(berkas_field, nama: str) -> FileResponse:
    """``berkas_field``: an ImageField/FileField value; ``nama``: the download name without extension."""
    if not berkas_field:
        raise Http404
    try:
        berkas = berkas_field.open("rb")
    except OSError:
        raise Http404 from None
    try:
        with Image.open(berkas) as gambar:
            mime = MIME_GAMBAR.get(gambar.format)
    except Exception:  # an unreadable file is not served
        mime = None
    if mime is None:
        berkas.close()
        raise Http404
    berkas.seek(0)
    resp = FileResponse(berkas, content_type=mime)
    resp["Cache-Control"] = "private, no-store"
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Content-Disposition"] = f'inline; filename="{nama}.{mime.split("/")[1]}"'
    return resp
