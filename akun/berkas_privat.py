"""Serving an uploaded image from private storage: one place for every photo the app keeps.

The caller has already fetched the record through ``for_user`` (a viewer out of scope got a 404
before this). Here: the file must open and be a real JPEG, PNG or WebP (Pillow reads its header;
anything else, or a missing file, is a 404, never served as text/html), and the response is not
cached and not sniffed. With ``request``, the download is written to the access log
(``akun.akses``, aksi ``unduh_berkas``: the record the file belongs to and the person it concerns),
once the file is known to be served.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from PIL import Image

from akun.akses import Aksi, catat_akses

MIME_GAMBAR = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def sajikan_gambar(berkas_field, nama: str, *, request=None, penduduk_id: int | None = None) -> FileResponse:
    """``berkas_field``: an ImageField/FileField value; ``nama``: the download name without extension;
    ``request`` and ``penduduk_id``: for the access log (the person the photo concerns, if any)."""
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
    if request is not None:
        try:
            catat_akses(request, Aksi.UNDUH_BERKAS, [penduduk_id], objek=berkas_field.instance, rincian=nama)
        except Exception:  # not logged, not served
            berkas.close()
            raise
    resp = FileResponse(berkas, content_type=mime)
    resp["Cache-Control"] = "private, no-store"
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Content-Disposition"] = f'inline; filename="{nama}.{mime.split("/")[1]}"'
    return resp
