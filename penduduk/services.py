"""Writes to the registry. Views, admin and imports call these; they check scope themselves."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from akun.models import User
from penduduk.choices import Hubungan
from penduduk.models import Keluarga, Penduduk
from wilayah.models import Kelurahan


def _pastikan_wilayah(*, oleh: User, kelurahan_id: int | None) -> None:
    if not oleh.pengelola and not oleh.is_psm:
        raise PermissionDenied(_("Peran Anda tidak boleh mengubah registri."))
    if kelurahan_id is None or not Kelurahan.objects.for_user(oleh).filter(pk=kelurahan_id).exists():
        raise PermissionDenied(_("Kelurahan ini di luar wilayah kerja Anda."))


@transaction.atomic
def penduduk_simpan(*, penduduk: Penduduk, oleh: User) -> Penduduk:
    """Create or update a person, validated, with ``oleh`` in the change history."""
    _pastikan_wilayah(oleh=oleh, kelurahan_id=penduduk.kelurahan_id)
    if penduduk.keluarga_id is not None:
        _pastikan_wilayah(oleh=oleh, kelurahan_id=penduduk.keluarga.kelurahan_id)
    penduduk.full_clean()
    penduduk._history_user = oleh
    penduduk.save()
    return penduduk


@transaction.atomic
def keluarga_simpan(
    *,
    keluarga: Keluarga,
    oleh: User,
    anggota: Iterable[Penduduk] = (),
    dilepas: Iterable[Penduduk] = (),
) -> Keluarga:
    """Save a household with its members.

    New members without a domicile take the household's kelurahan and address. Members in
    ``dilepas`` leave the household (they stay in the registry). At most one head of household.
    """
    _pastikan_wilayah(oleh=oleh, kelurahan_id=keluarga.kelurahan_id)
    anggota = list(anggota)
    dilepas = list(dilepas)
    keluarga.full_clean()
    keluarga._history_user = oleh
    keluarga.save()

    for orang in dilepas:
        if orang.pk and orang.keluarga_id == keluarga.pk:
            orang.keluarga = None
            orang.hubungan = ""
            penduduk_simpan(penduduk=orang, oleh=oleh)

    for orang in anggota:
        orang.keluarga = keluarga
        if orang.kelurahan_id is None:
            orang.kelurahan_id = keluarga.kelurahan_id
            orang.alamat = orang.alamat or keluarga.alamat
            orang.rt = orang.rt or keluarga.rt
            orang.rw = orang.rw or keluarga.rw
        if not orang.hubungan:
            orang.hubungan = Hubungan.LAINNYA
        penduduk_simpan(penduduk=orang, oleh=oleh)

    jumlah_kepala = keluarga.anggota.filter(hubungan=Hubungan.KEPALA).count()
    if jumlah_kepala > 1:
        raise ValidationError(_("Satu keluarga hanya boleh memiliki satu kepala keluarga."))
    return keluarga
