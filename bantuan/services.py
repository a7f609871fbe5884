"""Writes of assistance. Views, admin, imports and the demo call these; each checks role and area.

Who may do what (DESIGN.md, "Roles and access", "Penyaluran"):

- record or change a distribution (one, or in bulk): Staf and Admin;
- confirm receipt: Staf, Admin, and a PSM for a distribution of their kelurahan;
- resolve an integrity flag: Staf and Admin.

The distribution's ``kelurahan`` is always the recipient's at the time (the person's domicile, or
the household's kelurahan), set here, never taken from input. The writes that can cause a flag
run the matching checks at once (``bantuan.integritas``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from akun.models import User
from bantuan import integritas
from bantuan.choices import Periode, StatusPenyaluran
from bantuan.models import Bendera, Konfirmasi, Penyaluran, Program
from penduduk.models import Keluarga, Penduduk
from penduduk.services import pastikan_wilayah

# Fields a confirmation was made against: fixed once the family has confirmed.
_TETAP_SETELAH_KONFIRMASI = ("program_id", "keluarga_id", "penduduk_id", "periode", "nilai", "tanggal", "status")
BATAS_MASSAL = 5000


def awal_periode(tanggal: dt.date, periode: str) -> dt.date:
    """The first day of the programme's period holding ``tanggal`` (a month, quarter, half, year)."""
    if periode == Periode.TRIWULAN:
        return dt.date(tanggal.year, (tanggal.month - 1) // 3 * 3 + 1, 1)
    if periode == Periode.SEMESTER:
        return dt.date(tanggal.year, 1 if tanggal.month <= 6 else 7, 1)
    if periode == Periode.TAHUNAN:
        return dt.date(tanggal.year, 1, 1)
    return tanggal.replace(day=1)


def _pastikan_pengelola(oleh: User, pesan: str) -> None:
    if not (oleh.is_active and oleh.pengelola):
        raise PermissionDenied(pesan)


def _simpan(obj, oleh: User) -> None:
    obj.full_clean()
    obj._history_user = oleh
    obj.save()


def _tetapkan_penerima(penyaluran: Penyaluran, oleh: User) -> None:
    """Check the recipient is in the user's area and take the kelurahan from it."""
    if penyaluran.penduduk_id:
        orang = Penduduk.objects.for_user(oleh).filter(pk=penyaluran.penduduk_id).first()
        if orang is None:
            raise PermissionDenied(_("Penerima ini di luar wilayah kerja Anda."))
        if penyaluran.keluarga_id and orang.keluarga_id and penyaluran.keluarga_id != orang.keluarga_id:
            raise ValidationError({"keluarga": _("Penerima perorangan bukan anggota keluarga ini.")})
        penyaluran.keluarga_id = penyaluran.keluarga_id or orang.keluarga_id
        penyaluran.kelurahan_id = orang.kelurahan_id
    elif penyaluran.keluarga_id:
        keluarga = Keluarga.objects.for_user(oleh).filter(pk=penyaluran.keluarga_id).first()
        if keluarga is None:
            raise PermissionDenied(_("Keluarga ini di luar wilayah kerja Anda."))
        penyaluran.kelurahan_id = keluarga.kelurahan_id
    else:
        raise ValidationError(_("Pilih keluarga atau orang penerima."))
    pastikan_wilayah(oleh=oleh, kelurahan_id=penyaluran.kelurahan_id)


def _periksa_isi(penyaluran: Penyaluran, program: Program) -> None:
    galat = {}
    if not penyaluran.nilai or penyaluran.nilai < 1:
        galat["nilai"] = _("Nilai penyaluran harus lebih dari Rp0.")
    if penyaluran.status == StatusPenyaluran.DIKONFIRMASI:
        galat["status"] = _("Status “diterima” hanya lewat konfirmasi penerimaan oleh keluarga.")
    if penyaluran.status == StatusPenyaluran.DISALURKAN and not penyaluran.tanggal:
        galat["tanggal"] = _("Isi tanggal salur.")
    if (
        penyaluran.status == StatusPenyaluran.DISALURKAN
        and penyaluran.tanggal
        and penyaluran.tanggal > timezone.localdate()
    ):
        galat["tanggal"] = _("Tanggal salur tidak boleh di masa depan untuk penyaluran yang sudah disalurkan.")
    if penyaluran.status == StatusPenyaluran.GAGAL and not (penyaluran.alasan_gagal or "").strip():
        galat["alasan_gagal"] = _("Tuliskan alasan penyaluran gagal.")
    if penyaluran.status != StatusPenyaluran.GAGAL:
        penyaluran.alasan_gagal = ""
    if penyaluran.pendamping_id and not User.objects.filter(pk=penyaluran.pendamping_id, is_active=True).exists():
        galat["pendamping"] = _("Pendamping tidak aktif.")
    if galat:
        raise ValidationError(galat)
    if penyaluran.periode:
        penyaluran.periode = awal_periode(penyaluran.periode, program.periode)


@transaction.atomic
def penyaluran_simpan(*, penyaluran: Penyaluran, oleh: User) -> Penyaluran:
    """Record or change one distribution (Staf/Admin). A confirmed one keeps what was confirmed."""
    _pastikan_pengelola(oleh, _("Hanya staf Dinas Sosial yang mencatat penyaluran bantuan."))
    if penyaluran.pk:
        lama = Penyaluran.objects.for_user(oleh).select_for_update().filter(pk=penyaluran.pk).first()
        if lama is None:
            raise PermissionDenied(_("Penyaluran ini di luar wilayah kerja Anda."))
        if lama.status == StatusPenyaluran.DIKONFIRMASI:
            if any(getattr(lama, f) != getattr(penyaluran, f) for f in _TETAP_SETELAH_KONFIRMASI):
                raise ValidationError(
                    _(
                        "Penyaluran ini sudah dikonfirmasi keluarga; program, penerima, periode, nilai dan "
                        "tanggalnya tidak diubah lagi."
                    )
                )
            penyaluran.kelurahan_id = lama.kelurahan_id
            penyaluran.dibuat_oleh_id = lama.dibuat_oleh_id
            _simpan(penyaluran, oleh)
            return penyaluran
        penyaluran.dibuat_oleh_id = lama.dibuat_oleh_id
    else:
        penyaluran.dibuat_oleh = oleh
    program = Program.objects.filter(pk=penyaluran.program_id).first()
    if program is None:
        raise ValidationError({"program": _("Pilih program.")})
    _tetapkan_penerima(penyaluran, oleh)
    _periksa_isi(penyaluran, program)
    _simpan(penyaluran, oleh)
    integritas.periksa_setelah_simpan([penyaluran.pk], oleh=oleh)
    return penyaluran


@transaction.atomic
def penyaluran_massal(
    *,
    contoh: Penyaluran,
    keluarga_ids: Iterable[int],
    oleh: User,
    pendamping_psm: bool = False,
) -> tuple[list[Penyaluran], int]:
    """One distribution per household (``contoh`` gives programme, period, amount, date, channel,
    status, pendamping). Households out of the user's area are refused; a household that already
    has this programme for this period (not failed) is skipped, never doubled. With
    ``pendamping_psm`` each household gets its kelurahan's PSM as pendamping. Returns the rows made
    and the number skipped."""
    _pastikan_pengelola(oleh, _("Hanya staf Dinas Sosial yang mencatat penyaluran bantuan."))
    program = Program.objects.filter(pk=contoh.program_id).first()
    if program is None:
        raise ValidationError({"program": _("Pilih program.")})
    contoh.keluarga_id = None
    contoh.penduduk_id = None
    ids = sorted(set(keluarga_ids))
    if not ids:
        raise ValidationError(_("Tidak ada keluarga yang dipilih."))
    if len(ids) > BATAS_MASSAL:
        raise ValidationError(
            _("Terlalu banyak keluarga sekaligus (%(n)s); paling banyak %(b)s.") % {"n": len(ids), "b": BATAS_MASSAL}
        )
    _periksa_isi(contoh, program)
    keluarga = dict(Keluarga.objects.for_user(oleh).filter(pk__in=ids).values_list("pk", "kelurahan_id"))
    if len(keluarga) != len(ids):
        raise PermissionDenied(_("Sebagian keluarga yang dipilih di luar wilayah kerja Anda."))
    sudah = set(
        Penyaluran.objects.filter(keluarga_id__in=ids, penduduk__isnull=True, program=program, periode=contoh.periode)
        .exclude(status=StatusPenyaluran.GAGAL)
        .values_list("keluarga_id", flat=True)
    )
    psm = _psm_per_kelurahan(set(keluarga.values())) if pendamping_psm else {}
    baru = []
    for kid in ids:
        if kid in sudah:
            continue
        p = Penyaluran(
            program=program,
            keluarga_id=kid,
            kelurahan_id=keluarga[kid],
            periode=contoh.periode,
            nilai=contoh.nilai,
            tanggal=contoh.tanggal,
            saluran=contoh.saluran,
            status=contoh.status,
            alasan_gagal=contoh.alasan_gagal,
            keterangan=contoh.keterangan,
            pendamping_id=psm.get(keluarga[kid], contoh.pendamping_id),
            dibuat_oleh=oleh,
        )
        p.clean_fields()  # the row constraints hold by construction (_periksa_isi); the database checks them too
        baru.append(p)
    if baru:
        baru = bulk_create_with_history(baru, Penyaluran, batch_size=500, default_user=oleh)
        integritas.periksa_setelah_simpan([p.pk for p in baru], oleh=oleh)
    return baru, len(sudah)


def _psm_per_kelurahan(kelurahan_ids: set[int]) -> dict[int, int]:
    """One active PSM per kelurahan (the lowest id: stable), in one query."""
    from akun.roles import Peran

    hasil: dict[int, int] = {}
    for kel, uid in (
        User.objects.filter(peran=Peran.PSM, is_active=True, kelurahan__in=kelurahan_ids)
        .order_by("pk")
        .values_list("kelurahan", "pk")
    ):
        hasil.setdefault(kel, uid)
    return hasil


@transaction.atomic
def konfirmasi_catat(*, konfirmasi: Konfirmasi, oleh: User) -> Konfirmasi:
    """The family's word on what reached them: Staf/Admin, or a PSM of the distribution's kelurahan.
    A confirmed amount below the amount distributed raises a ``kurang_terima`` flag at once."""
    if not (oleh.is_active and (oleh.pengelola or oleh.is_psm)):
        raise PermissionDenied(_("Peran Anda tidak boleh mencatat konfirmasi penerimaan."))
    penyaluran = Penyaluran.objects.for_user(oleh).select_for_update().filter(pk=konfirmasi.penyaluran_id).first()
    if penyaluran is None:
        raise PermissionDenied(_("Penyaluran ini di luar wilayah kerja Anda."))
    pastikan_wilayah(oleh=oleh, kelurahan_id=penyaluran.kelurahan_id)
    if penyaluran.status == StatusPenyaluran.DIKONFIRMASI or Konfirmasi.objects.filter(penyaluran=penyaluran).exists():
        raise ValidationError(_("Penyaluran ini sudah dikonfirmasi."))
    if penyaluran.status != StatusPenyaluran.DISALURKAN:
        raise ValidationError(_("Hanya penyaluran yang sudah disalurkan yang dapat dikonfirmasi."))
    galat = {}
    if konfirmasi.tanggal_terima and konfirmasi.tanggal_terima > timezone.localdate():
        galat["tanggal_terima"] = _("Tanggal diterima tidak boleh di masa depan.")
    elif konfirmasi.tanggal_terima and penyaluran.tanggal and konfirmasi.tanggal_terima < penyaluran.tanggal:
        galat["tanggal_terima"] = _("Tanggal diterima tidak boleh sebelum tanggal salur (%(tgl)s).") % {
            "tgl": f"{penyaluran.tanggal:%d/%m/%Y}"
        }
    if not (konfirmasi.nama_pengonfirmasi or "").strip():
        galat["nama_pengonfirmasi"] = _("Tuliskan nama anggota keluarga yang menyatakan penerimaan.")
    if konfirmasi.kunjungan_id:
        from psm.models import Kunjungan

        if not Kunjungan.objects.for_user(oleh).filter(pk=konfirmasi.kunjungan_id).exists():
            galat["kunjungan"] = _("Kunjungan ini di luar wilayah kerja Anda.")
    if galat:
        raise ValidationError(galat)
    konfirmasi.penyaluran = penyaluran
    konfirmasi.dicatat_oleh = oleh
    _simpan(konfirmasi, oleh)
    penyaluran.status = StatusPenyaluran.DIKONFIRMASI
    _simpan(penyaluran, oleh)
    integritas.periksa_setelah_konfirmasi(penyaluran, oleh=oleh)
    return konfirmasi


@transaction.atomic
def bendera_selesaikan(*, bendera: Bendera, oleh: User, catatan: str) -> Bendera:
    """Staff close a flag with a note (what was found, what was done). The flag stays."""
    _pastikan_pengelola(oleh, _("Hanya staf Dinas Sosial yang menyelesaikan bendera integritas."))
    bendera = Bendera.objects.for_user(oleh).select_for_update().filter(pk=bendera.pk).first()
    if bendera is None:
        raise PermissionDenied(_("Bendera ini di luar wilayah kerja Anda."))
    if bendera.diselesaikan_pada is not None:
        raise ValidationError(_("Bendera ini sudah diselesaikan."))
    catatan = (catatan or "").strip()
    if not catatan:
        raise ValidationError({"catatan_penyelesaian": _("Tuliskan catatan penyelesaian.")})
    bendera.diselesaikan_pada = timezone.now()
    bendera.diselesaikan_oleh = oleh
    bendera.catatan_penyelesaian = catatan
    _simpan(bendera, oleh)
    return bendera
