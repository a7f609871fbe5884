"""Writes to the registry. Views, admin and imports call these; they check scope themselves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from akun.models import User
from akun.versi import periksa_versi, simpan_dengan_versi
from penduduk.choices import Hubungan
from penduduk.models import Keluarga, Penduduk
from wilayah.models import Kelurahan


def pastikan_wilayah(*, oleh: User, kelurahan_id: int | None) -> None:
    """Refuse a write by a role that may not write, or outside the user's area (every app's
    services call this before and after a change)."""
    if not oleh.pengelola and not oleh.is_psm:
        raise PermissionDenied(_("Peran Anda tidak boleh mengubah registri."))
    if kelurahan_id is None or not Kelurahan.objects.for_user(oleh).filter(pk=kelurahan_id).exists():
        raise PermissionDenied(_("Kelurahan ini di luar wilayah kerja Anda."))


@transaction.atomic
def penduduk_simpan(*, penduduk: Penduduk, oleh: User, versi: int | None = None) -> Penduduk:
    """Create or update a person, validated, with ``oleh`` in the change history.

    ``versi``: the version the edit form was opened at; the update is then made only if the row is
    still at it, else ``KonflikVersi`` (akun/versi.py) and nothing is written.

    The user's area must hold the person's domicile, before and after the change. Any change to
    household membership or to the role in the household (``hubungan``) also needs the household
    in the area, the old one and the new one: a PSM whose area holds a person's domicile but not
    their household may not make or unmake that household's head.
    """
    pastikan_wilayah(oleh=oleh, kelurahan_id=penduduk.kelurahan_id)
    lama = (
        Penduduk.objects.filter(pk=penduduk.pk)
        .values("kelurahan_id", "keluarga_id", "keluarga__kelurahan_id", "hubungan", "versi")
        .first()
        if penduduk.pk
        else None
    )
    if lama is not None:
        pastikan_wilayah(oleh=oleh, kelurahan_id=lama["kelurahan_id"])
        periksa_versi(penduduk, lama["versi"], versi)
    keluarga_lama = lama["keluarga_id"] if lama else None
    hubungan_lama = lama["hubungan"] if lama else ""
    if penduduk.keluarga_id != keluarga_lama or (penduduk.hubungan or "") != hubungan_lama:
        if keluarga_lama is not None:
            pastikan_wilayah(oleh=oleh, kelurahan_id=lama["keluarga__kelurahan_id"])
        if penduduk.keluarga_id is not None:
            pastikan_wilayah(oleh=oleh, kelurahan_id=penduduk.keluarga.kelurahan_id)
    penduduk.full_clean()
    penduduk._history_user = oleh
    simpan_dengan_versi(penduduk, versi)
    penduduk.save()
    return penduduk


@transaction.atomic
def keluarga_simpan(
    *,
    keluarga: Keluarga,
    oleh: User,
    anggota: Iterable[Penduduk] = (),
    dilepas: Iterable[Penduduk] = (),
    versi: int | None = None,
    versi_anggota: Mapping[int, int | None] | None = None,
) -> Keluarga:
    """Save a household with its members.

    ``versi``: as in ``penduduk_simpan``, for the household row; ``versi_anggota``: the same per
    member (person id → the version their row of the form was opened at).

    New members without a domicile take the household's kelurahan and address. Members in
    ``dilepas`` leave the household (they stay in the registry). At most one head of household
    (a database constraint): heads are saved last, so a head can be swapped in one save.
    """
    pastikan_wilayah(oleh=oleh, kelurahan_id=keluarga.kelurahan_id)
    keluarga.full_clean()
    keluarga._history_user = oleh
    simpan_dengan_versi(keluarga, versi)
    keluarga.save()
    keluarga_atur_anggota(keluarga=keluarga, oleh=oleh, anggota=anggota, dilepas=dilepas, versi_anggota=versi_anggota)
    return keluarga


@transaction.atomic
def keluarga_atur_anggota(
    *,
    keluarga: Keluarga,
    oleh: User,
    anggota: Iterable[Penduduk] = (),
    dilepas: Iterable[Penduduk] = (),
    versi_anggota: Mapping[int, int | None] | None = None,
) -> None:
    """Add or update members of a saved household and release others (see ``keluarga_simpan``)."""
    versi_anggota = versi_anggota or {}
    for orang in dilepas:
        if orang.pk and orang.keluarga_id == keluarga.pk:
            orang.keluarga = None
            orang.hubungan = ""
            penduduk_simpan(penduduk=orang, oleh=oleh, versi=versi_anggota.get(orang.pk))

    for orang in sorted(anggota, key=lambda o: o.hubungan == Hubungan.KEPALA):
        orang.keluarga = keluarga
        if orang.kelurahan_id is None:
            orang.kelurahan_id = keluarga.kelurahan_id
            orang.alamat = orang.alamat or keluarga.alamat
            orang.rt = orang.rt or keluarga.rt
            orang.rw = orang.rw or keluarga.rw
        if not orang.hubungan:
            orang.hubungan = Hubungan.LAINNYA
        penduduk_simpan(penduduk=orang, oleh=oleh, versi=versi_anggota.get(orang.pk))
