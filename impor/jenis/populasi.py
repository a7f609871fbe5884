"""Import type ``populasi``: population (jiwa) and households (KK) per kelurahan.

One row per kelurahan, found by Kemendagri code, BPS code, name or alias. A blank count keeps the
value on record; a kelurahan twice in the file is an error on the second row. ``Kelurahan`` keeps
no history table: the import job (``TugasImpor``) records who changed the figures and when, with
the preview of what changed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from impor import nilai as N
from impor.berkas import Lembar
from impor.hasil import Hasil
from impor.jenis._dasar import Baris, Pembaca, contoh, tampil
from impor.kepala import SINONIM_POPULASI
from wilayah.models import Kelurahan

SINONIM = SINONIM_POPULASI
WAJIB = ("kelurahan",)
LABEL = {
    "kelurahan": gettext_lazy("Kelurahan"),
    "jumlah_penduduk": gettext_lazy("Jumlah penduduk"),
    "jumlah_kk": gettext_lazy("Jumlah KK"),
}
MEDAN = ("jumlah_penduduk", "jumlah_kk")
MAKS = 10_000_000


def impor(
    lembar: Lembar,
    *,
    simpan: bool,
    lewati_galat: bool = False,
    oleh=None,
    alasan: str = "Impor populasi",
    progres: Callable[[int], None] = lambda persen: None,
    perkiraan_baris: int = 0,
) -> Hasil:
    hasil = Hasil(jenis="populasi", lembar=lembar.nama)
    pembaca = Pembaca(lembar, hasil, SINONIM, WAJIB, LABEL)
    cari = N.PencariKelurahan()

    def periksa(b: Baris):
        kel = b.ambil("kelurahan", cari, wajib=True)
        jiwa = b.ambil("jumlah_penduduk", N.bulat, MAKS)
        kk = b.ambil("jumlah_kk", N.bulat, MAKS)
        if jiwa is None and kk is None and not b.galat:
            b.salah("jumlah_penduduk", _("Isi jumlah penduduk atau jumlah KK."))
        if jiwa is not None and kk is not None and kk > jiwa:
            b.salah("jumlah_kk", _("Jumlah KK tidak mungkin lebih dari jumlah penduduk."))
        bps = cari.kode_bps(b.mentah["kelurahan"]) if kel is not None else None
        return (kel, jiwa, kk, bps)

    per_kel: dict[int, tuple[Baris, int | None, int | None]] = {}
    bps_baris: dict[int, str | None] = {}
    for b, (kel, jiwa, kk, bps_ini) in pembaca.baca(periksa, progres, perkiraan_baris):
        if kel in per_kel:
            lama_b, lama_jiwa, lama_kk = per_kel[kel]
            bps = {bps_baris[kel], bps_ini}
            if None not in bps and len(bps) == 2:  # Tanah Mati + Padang Data: two BPS codes, one kelurahan
                jiwa = None if jiwa is None and lama_jiwa is None else (jiwa or 0) + (lama_jiwa or 0)
                kk = None if kk is None and lama_kk is None else (kk or 0) + (lama_kk or 0)
                per_kel[kel] = (lama_b, jiwa, kk)
                pesan = _("Dijumlahkan dengan baris %(n)d: BPS mencatat dua wilayah untuk satu kelurahan.")
                pembaca.awas(b, "kelurahan", pesan % {"n": lama_b.nomor})
                continue
            pesan = _("Kelurahan ini sudah ada di baris %(n)d berkas ini.") % {"n": per_kel[kel][0].nomor}
            pembaca.tolak_baris(b, "kelurahan", pesan)
            continue
        per_kel[kel] = (b, jiwa, kk)
        bps_baris[kel] = bps_ini

    ada = {k.pk: k for k in Kelurahan.objects.filter(pk__in=list(per_kel))}
    ubah: list[Kelurahan] = []
    for kel, (b, jiwa, kk) in per_kel.items():
        k = ada[kel]
        lama = (k.jumlah_penduduk, k.jumlah_kk)
        baru = tuple(n if n is not None else o for n, o in zip((jiwa, kk), lama, strict=True))
        if baru == lama:
            hasil.tetap += 1
            continue
        perubahan = {str(LABEL[m]): [tampil(o), tampil(n)] for m, o, n in zip(MEDAN, lama, baru, strict=True) if o != n}
        if lama == (None, None):
            hasil.baru += 1
            contoh(hasil, b.nomor, "baru", k.kode, k.nama, perubahan)
        else:
            hasil.diubah += 1
            contoh(hasil, b.nomor, "diubah", k.kode, k.nama, perubahan)
        k.jumlah_penduduk, k.jumlah_kk = baru
        ubah.append(k)
    progres(75)
    if not simpan or (hasil.ditolak and not lewati_galat) or not ubah:
        progres(100)
        return hasil
    with transaction.atomic():
        Kelurahan.objects.bulk_update(ubah, list(MEDAN), batch_size=2000)
    hasil.disimpan = True
    progres(100)
    return hasil
