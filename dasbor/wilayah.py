"""The area the dashboard shows: the viewer's kelurahan (``for_user``), narrowed by ``?kecamatan=``
or ``?kelurahan=``. Ids go through ``akun.parameter.id_dari``; an id outside the viewer's area, or
not an id at all, is ignored (the filter drops), so a PSM cannot widen their area by a parameter and
a tampered link never answers 500."""

from __future__ import annotations

from dataclasses import dataclass

from akun.parameter import id_dari
from wilayah.models import Kecamatan, Kelurahan


@dataclass
class Wilayah:
    kelurahan: list[Kelurahan]  # the area shown, with their kecamatan, in kode order
    semua_kelurahan: list[Kelurahan]  # the viewer's whole area (for the filter menus)
    kecamatan_dipilih: Kecamatan | None
    kelurahan_dipilih: Kelurahan | None
    sekota: bool  # the viewer sees the whole city

    @property
    def seluruh_kota(self) -> bool:
        return self.sekota and self.kecamatan_dipilih is None and self.kelurahan_dipilih is None

    @property
    def kelurahan_ids(self) -> list[int]:
        return [k.pk for k in self.kelurahan]

    @property
    def semua_kecamatan(self) -> list[Kecamatan]:
        hasil: dict[int, Kecamatan] = {}
        for k in self.semua_kelurahan:
            hasil.setdefault(k.kecamatan_id, k.kecamatan)
        return list(hasil.values())

    @property
    def nama(self) -> str:
        from django.utils.translation import gettext as _

        if self.kelurahan_dipilih is not None:
            return _("Kelurahan %(nama)s") % {"nama": self.kelurahan_dipilih.nama}
        if self.kecamatan_dipilih is not None:
            return _("Kecamatan %(nama)s") % {"nama": self.kecamatan_dipilih.nama}
        if self.sekota:
            return _("Kota Payakumbuh")
        return ", ".join(k.nama for k in self.kelurahan)

    def saring(self, qs, jalur: str):
        """``qs`` (already ``for_user``) narrowed to the area shown; ``jalur`` is the path to the
        kelurahan. No filter for the viewer's whole area: ``for_user`` already did it."""
        if self.kecamatan_dipilih is None and self.kelurahan_dipilih is None:
            return qs
        return qs.filter(**{f"{jalur}__in": self.kelurahan_ids})

    def params(self) -> dict[str, str]:
        """The query-string parameters of this area (for links to the lists behind a tile)."""
        if self.kelurahan_dipilih is not None:
            return {"kelurahan": str(self.kelurahan_dipilih.pk)}
        if self.kecamatan_dipilih is not None:
            return {"kecamatan": str(self.kecamatan_dipilih.pk)}
        return {}


def wilayah_dari(user, data) -> Wilayah:
    """One query: the viewer's kelurahan with their kecamatan."""
    semua = list(Kelurahan.objects.for_user(user).select_related("kecamatan").order_by("kode"))
    kel_id, kec_id = id_dari(data.get("kelurahan")), id_dari(data.get("kecamatan"))
    kelurahan = next((k for k in semua if k.pk == kel_id), None) if kel_id else None
    kecamatan = None
    if kelurahan is None and kec_id:
        kecamatan = next((k.kecamatan for k in semua if k.kecamatan_id == kec_id), None)
    if kelurahan is not None:
        dipilih = [kelurahan]
    elif kecamatan is not None:
        dipilih = [k for k in semua if k.kecamatan_id == kecamatan.pk]
    else:
        dipilih = semua
    return Wilayah(dipilih, semua, kecamatan, kelurahan, user.lihat_sekota)
