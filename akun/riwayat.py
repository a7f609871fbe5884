"""Change history for detail pages: who changed what, when (django-simple-history)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from akun.permissions import lihat_nik_lengkap
from penduduk.nik import samarkan
from penduduk.umur import umur_pada

_JENIS = {"+": _("Dibuat"), "~": _("Diubah"), "-": _("Dihapus")}
_FIELD_NOMOR = {"nik", "no_kk"}
# A birth date is the middle of the NIK: a masked role sees the age instead.
_FIELD_LAHIR = {"tanggal_lahir"}
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


def _tampil_nomor(nilai, boleh_nik: bool) -> str:
    return str(nilai) if boleh_nik else samarkan(str(nilai))


def _tampil(model, nama_field: str, nilai, boleh_nik: bool, relasi: dict) -> str:
    if nilai in (None, ""):
        return "—"
    if nama_field in _FIELD_NOMOR:
        return _tampil_nomor(nilai, boleh_nik)
    if nama_field in _FIELD_LAHIR and not boleh_nik:
        return _("%(n)s tahun") % {"n": umur_pada(nilai)}
    f = model._meta.get_field(nama_field)
    if f.choices:
        return str(dict(f.flatchoices).get(nilai, nilai))
    if isinstance(nilai, datetime):
        # Stored in UTC: shown in WIB with the time, as everywhere else.
        return timezone.localtime(nilai).strftime("%d/%m/%Y %H:%M WIB") if timezone.is_aware(nilai) else str(nilai)
    if hasattr(nilai, "strftime"):
        return nilai.strftime("%d/%m/%Y")
    if f.is_relation:
        target = relasi.get(f.related_model, {}).get(nilai)
        if target is None:
            return str(_("(di luar wilayah Anda)"))
        nomor = getattr(target, "no_kk", None)
        if nomor is not None:  # a household is known by its KK number, masked where the role needs it
            return _("KK %(no)s") % {"no": _tampil_nomor(nomor, boleh_nik)}
        return str(target)
    return str(nilai)


def _muat_relasi(model, delta_list, user) -> dict:
    """Related objects named in the changes, fetched in one scoped query per related model."""
    ids: dict = {}
    for delta in delta_list:
        for c in delta.changes:
            f = model._meta.get_field(c.field)
            if f.is_relation:
                ids.setdefault(f.related_model, set()).update(v for v in (c.old, c.new) if v not in (None, ""))
    relasi = {}
    for related, pks in ids.items():
        qs = related._default_manager.all()
        if hasattr(qs, "for_user"):
            qs = qs.for_user(user)
        relasi[related] = qs.in_bulk(pks)
    return relasi


def riwayat(obj, user, batas: int = 20) -> list[EntriRiwayat]:
    """The newest ``batas`` history entries of ``obj``, each with the fields it changed.

    NIK and No KK are masked for roles that see them masked; a related record outside the user's
    area is not named.
    """
    boleh_nik = lihat_nik_lengkap(user)
    catatan = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: batas + 1])
    model = type(obj)
    delta_per_entri = {}
    for i, entri in enumerate(catatan[:batas]):
        sebelum = catatan[i + 1] if i + 1 < len(catatan) else None
        if sebelum is not None and entri.history_type == "~":
            delta_per_entri[i] = entri.diff_against(sebelum, excluded_fields=list(_TERSEMBUNYI))
    relasi = _muat_relasi(model, delta_per_entri.values(), user)
    hasil = []
    for i, entri in enumerate(catatan[:batas]):
        perubahan = [
            Perubahan(
                str(model._meta.get_field(c.field).verbose_name),
                _tampil(model, c.field, c.old, boleh_nik, relasi),
                _tampil(model, c.field, c.new, boleh_nik, relasi),
            )
            for c in (delta_per_entri[i].changes if i in delta_per_entri else [])
        ]
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
