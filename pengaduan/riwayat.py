"""Change history of a complaint for its detail page (``templates/_partials/riwayat.html``).

Built like ``akun.riwayat.riwayat`` (same entries, same display of values) with three additions
that a complaint needs and ``akun.riwayat`` does not handle:

* the linked distributions are a many-to-many field with history: a change is shown as the
  distributions added and removed (``akun.riwayat`` would try to look a list up as one id);
* the reason recorded with a change (reopening a complaint) is shown as its own line;
* Pimpinan sees the reporter's name and contact as "(dirahasiakan)", also in the history
  (the detail page hides them the same way).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from akun.riwayat import _JENIS, _TERSEMBUNYI, EntriRiwayat, Perubahan, _muat_relasi, _tampil
from bantuan.models import Penyaluran
from pengaduan.models import Pengaduan
from pengaduan.sistem import ALASAN_FORMULIR

FIELD_PELAPOR = {"pelapor_nama", "pelapor_kontak"}
_M2M = "penyaluran"


def boleh_lihat_pelapor(user) -> bool:
    return bool(user and user.is_authenticated and user.pengelola)


def _ids(nilai) -> set[int]:
    return {baris[_M2M] for baris in (nilai or [])}


def riwayat_pengaduan(pengaduan: Pengaduan, user, batas: int = 20) -> list[EntriRiwayat]:
    lihat_pelapor = boleh_lihat_pelapor(user)
    catatan = list(
        pengaduan.history.select_related("history_user").order_by("-history_date", "-history_id")[: batas + 1]
    )
    delta = {}
    for i, entri in enumerate(catatan[:batas]):
        sebelum = catatan[i + 1] if i + 1 < len(catatan) else None
        if sebelum is not None and entri.history_type == "~":
            delta[i] = entri.diff_against(sebelum, excluded_fields=list(_TERSEMBUNYI))
    biasa = {i: [c for c in d.changes if c.field != _M2M] for i, d in delta.items()}
    m2m = {i: next((c for c in d.changes if c.field == _M2M), None) for i, d in delta.items()}

    class _Delta:  # what _muat_relasi reads: ``.changes``
        def __init__(self, changes):
            self.changes = changes

    relasi = _muat_relasi(Pengaduan, [_Delta(c) for c in biasa.values()], user)
    semua_penyaluran = set()
    for c in m2m.values():
        if c is not None:
            semua_penyaluran |= _ids(c.old) | _ids(c.new)
    terlihat = Penyaluran.objects.for_user(user).select_related("program").in_bulk(semua_penyaluran)

    def nama_penyaluran(pk: int) -> str:
        p = terlihat.get(pk)
        return f"#{pk} {p}" if p else f"#{pk}"

    hasil = []
    for i, entri in enumerate(catatan[:batas]):
        perubahan = []
        for c in biasa.get(i, []):
            label = str(Pengaduan._meta.get_field(c.field).verbose_name)
            if c.field in FIELD_PELAPOR and not lihat_pelapor:
                perubahan.append(Perubahan(label, _("(dirahasiakan)"), _("(dirahasiakan)")))
                continue
            perubahan.append(
                Perubahan(
                    label,
                    _tampil(Pengaduan, c.field, c.old, True, relasi),
                    _tampil(Pengaduan, c.field, c.new, True, relasi),
                )
            )
        c = m2m.get(i)
        if c is not None:
            lama, baru = _ids(c.old), _ids(c.new)
            label = str(Pengaduan._meta.get_field(_M2M).verbose_name)
            for pk in sorted(baru - lama):
                perubahan.append(Perubahan(label, "—", _("ditautkan %(p)s") % {"p": nama_penyaluran(pk)}))
            for pk in sorted(lama - baru):
                perubahan.append(Perubahan(label, nama_penyaluran(pk), _("dilepas")))
        alasan = entri.history_change_reason
        if alasan and alasan != ALASAN_FORMULIR and entri.history_type == "~":
            perubahan.append(Perubahan(_("alasan"), "—", alasan))
        pengguna = entri.history_user
        hasil.append(
            EntriRiwayat(
                waktu=entri.history_date,
                oleh=(pengguna.get_full_name() or pengguna.username) if pengguna else _("sistem"),
                jenis=str(_JENIS.get(entri.history_type, entri.history_type)),
                perubahan=perubahan,
            )
        )
    return hasil
