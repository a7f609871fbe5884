"""Visit photos: images only, size-limited, stored outside the public media folder and served only
through a scoped view (psm:kunjungan-foto)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject
from django.utils.translation import gettext as _

JENIS_GAMBAR = {"JPEG", "PNG", "WEBP"}


class _Penyimpanan(LazyObject):
    def _setup(self):
        # No base_url: these files have no public URL; the view streams them after a scope check.
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


_penyimpanan = _Penyimpanan()


def penyimpanan_foto():
    """The private storage, as a callable: a migration records the reference, not the folder of
    whichever machine made it (PRIVATE_MEDIA_ROOT differs per checkout and per test run)."""
    return _penyimpanan


def validasi_foto(berkas) -> None:
    """Refuse what is not a JPEG, PNG or WebP image, or is larger than FOTO_MAKS_MB."""
    batas = settings.FOTO_MAKS_MB * 1024 * 1024
    if berkas.size and berkas.size > batas:
        raise ValidationError(_("Foto terlalu besar (maksimal %(mb)s MB).") % {"mb": settings.FOTO_MAKS_MB})
    gambar = getattr(berkas, "image", None)
    format_ = getattr(gambar, "format", None)
    if format_ is not None and format_ not in JENIS_GAMBAR:
        raise ValidationError(_("Foto harus berupa gambar JPEG, PNG atau WebP."))
