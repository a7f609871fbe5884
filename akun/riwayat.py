"""Change history for detail pages: who changed what, when (django-simple-history)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from akun.permissions import lihat_nik_lengkap
from penduduk.nik import samarkan

_JENIS = {"+": _("Dibuat"), "~": _("Diubah"), "-": _("Dihapus")}
_FIELD_NIK = {"nik"}
_TERSEMBUNYI = {"nama_normal", "diubah_pada", "dibuat_pada"}


@dataclass
class Perubahan:
    label: str
    lama: str
    baru: str


@dataclass
class EntriRiwayat:
    waktu: datetime
    oleh: str
    jenis: str
    perubahan: list[Perubahan] = field(default_factory=list)


def _tampil(model, nama_field: str, nilai, boleh_nik: bool) -> str:
    if nilai in (None, ""):
        return "—"
    if nama_field in _FIELD_NIK and not boleh_nik:
        return samarkan(str(nilai))
    f = model._meta.get_field(nama_field)
    if f.choices:
        return str(dict(f.flatchoices).get(nilai, nilai))
    if hasattr(nilai, "strftime"):
        return nilai.strftime("%d/%m/%Y")
    if f.is_relation:
        target = f.related_model._default_manager.filter(pk=nilai).first()
        return str(target) if target else f"#{nilai}"
    return str(nilai)


def riwayat(obj, user, batas: int = 20) -> list[EntriRiwayat]:
    """The newest ``batas`` history entries of ``obj``, each with the fields it changed."""
    boleh_nik = lihat_nik_lengkap(user)
    catatan = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: batas + 1])
    model = type(obj)
    hasil = []
    for i, entri in enumerate(catatan[:batas]):
        sebelum = catatan[i + 1] if i + 1 < len(catatan) else None
        perubahan = []
        if sebelum is not None and entri.history_type == "~":
            delta = entri.diff_against(sebelum, excluded_fields=list(_TERSEMBUNYI))
            for c in delta.changes:
                label = str(model._meta.get_field(c.field).verbose_name)
                perubahan.append(
                    Perubahan(
                        label, _tampil(model, c.field, c.old, boleh_nik), _tampil(model, c.field, c.new, boleh_nik)
                    )
                )
        pengguna = entri.history_user
        hasil.append(
            EntriRiwayat(
                waktu=entri.history_date,
                oleh=(pengguna.get_full_name() or pengguna.username) if pengguna else str(_("sistem")),
                jenis=str(_JENIS.get(entri.history_type, entri.history_type)),
                perubahan=perubahan,
            )
        )
    return hasil
