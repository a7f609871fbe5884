"""Import type ``ppks``: residents registered as PPKS of a jenis (SIKS-NG/DTKS PPKS exports, office sheets).

**The jenis.** A SIKS-NG export is one file per jenis and names it only in its file name; the import
cannot see the file name, so: a ``JENIS`` column (name, abbreviation or known variant, e.g. "LUT",
"Lansia Terlantar") gives the jenis of each row; without that column, the title rows above the
header ("DATA PPKS LANJUT USIA TELANTAR KELURAHAN ... TAHUN 2023") or the sheet name must name
exactly one jenis, else the whole file is refused with a message saying to add a JENIS column.
"Gepeng" names two jenis and is refused as a row's jenis (write Gelandangan or Pengemis).

**The person.** Matched by NIK. A NIK not in the registry becomes a new resident from the row (then
Nama and Kelurahan are required; sex and birth date come from the row or the NIK), without
household: the household structure is the ``penduduk`` import's work. A resident on record is not
changed by this import.

**The registration.** Matched by (person, jenis) among the registrations that are not closed
("bukan PPKS lagi"): a match is unchanged unless the file gives another status or a note; a person
whose registration of that jenis was closed gets a new one. New registrations take ``sumber`` from
a SUMBER column, else "DTKS" for a SIKS-NG export (it has ID DTKS / KETERANGAN PADAN), else the
model's default (pendataan PSM). "Bukan PPKS lagi" is not set by import (it needs a date and a
reason: the PPKS page records it).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from impor import nilai as N
from impor import pengaturan
from impor.berkas import BerkasTidakSah, Lembar
from impor.hasil import Hasil
from impor.jenis._dasar import Baris, Pembaca, ambil, contoh, perbarui, sisipkan, tampil
from impor.kepala import SINONIM_PPKS
from penduduk.models import Penduduk
from penduduk.names import normalisasi_nama
from ppks.choices import StatusPPKS, SumberData
from ppks.models import PPKS, JenisPPKS
from ppks.nama_jenis import normalisasi_jenis, peta_nama_jenis

SINONIM = SINONIM_PPKS
WAJIB = ("nik",)
LABEL = {
    "nik": gettext_lazy("NIK"),
    "jenis": gettext_lazy("Jenis PPKS"),
    "nama": gettext_lazy("Nama"),
    "no_kk": gettext_lazy("No KK"),
    "tanggal_lahir": gettext_lazy("Tanggal lahir"),
    "tempat_lahir": gettext_lazy("Tempat lahir"),
    "jenis_kelamin": gettext_lazy("Jenis kelamin"),
    "kelurahan": gettext_lazy("Kelurahan"),
    "alamat": gettext_lazy("Alamat"),
    "rt": gettext_lazy("RT"),
    "rw": gettext_lazy("RW"),
    "status": gettext_lazy("Status"),
    "sumber": gettext_lazy("Sumber data"),
    "terdata_pada": gettext_lazy("Terdata pada"),
    "catatan": gettext_lazy("Catatan"),
    "id_dtks": gettext_lazy("ID DTKS"),
    "padan": gettext_lazy("Keterangan padan"),
}
_MEDAN_ORANG = ("nama", "jenis_kelamin", "tanggal_lahir", "tempat_lahir", "kelurahan_id", "alamat", "rt", "rw")
_REG_KOSONG = (None, None, None, None)  # status, sumber, terdata_pada, catatan
_STATUS = {
    "aktif": StatusPPKS.AKTIF,
    "baru": StatusPPKS.AKTIF,
    "dalampenanganan": StatusPPKS.DALAM_PENANGANAN,
    "ditangani": StatusPPKS.DALAM_PENANGANAN,
    "proses": StatusPPKS.DALAM_PENANGANAN,
    "tertangani": StatusPPKS.TERTANGANI,
    "selesai": StatusPPKS.TERTANGANI,
}
_SUMBER = {
    "dtks": SumberData.DTKS,
    "dtsen": SumberData.DTKS,
    "siksng": SumberData.DTKS,
    "dtksdtsen": SumberData.DTKS,
    "psm": SumberData.PSM,
    "pendataanpsm": SumberData.PSM,
    "laporan": SumberData.LAPORAN,
    "laporanwarga": SumberData.LAPORAN,
    "warga": SumberData.LAPORAN,
    "instansi": SumberData.INSTANSI,
}


def _kunci(nilai: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(nilai).lower())[:40]


def status(nilai: object) -> str:
    k = _kunci(nilai)
    if k in ("bukanppks", "bukanppkslagi", "keluar", "tidakaktif"):
        raise N.GalatNilai(_("Status “bukan PPKS lagi” dicatat di halaman PPKS (perlu tanggal dan alasan)."))
    if k not in _STATUS:
        raise N.GalatNilai(
            _("Status “%(isi)s” tidak dikenali (aktif, dalam penanganan, tertangani).") % {"isi": str(nilai)[:30]}
        )
    return _STATUS[k].value


def sumber(nilai: object) -> str:
    k = _kunci(nilai)
    if k not in _SUMBER:
        raise N.GalatNilai(
            _("Sumber “%(isi)s” tidak dikenali (DTKS, PSM, laporan, instansi).") % {"isi": str(nilai)[:30]}
        )
    return _SUMBER[k].value


def _kosong_jadi_teks(orang: tuple) -> tuple:
    """Blank text fields of a new resident as '' (the birth date stays None)."""
    return tuple("" if v is None and m != "tanggal_lahir" else v for m, v in zip(_MEDAN_ORANG, orang, strict=True))


class PencariJenis:
    """A jenis PPKS by any name staff write (one query for the whole import)."""

    def __init__(self) -> None:
        self.peta = peta_nama_jenis()
        self._cache: dict[str, int] = {}

    def __call__(self, nilai: object) -> int:
        isi = N.teks(nilai, maks=120)
        if isi in self._cache:
            return self._cache[isi]
        daftar = self.peta.get(normalisasi_jenis(isi), [])
        if len(daftar) > 1:
            raise N.GalatNilai(
                _("“%(isi)s” menunjuk lebih dari satu jenis (%(jenis)s); tulis salah satunya.")
                % {"isi": isi[:40], "jenis": ", ".join(j.nama for j in daftar)}
            )
        if not daftar:
            raise N.GalatNilai(_("Jenis PPKS “%(isi)s” tidak dikenali.") % {"isi": isi[:60]})
        self._cache[isi] = daftar[0].pk
        return daftar[0].pk

    def dalam_judul(self, teks: list[str]) -> JenisPPKS | None:
        """The one jenis that the title rows (or the sheet name) name, if exactly one."""
        ketemu: dict[int, JenisPPKS] = {}
        for t in teks:
            norm = f" {normalisasi_jenis(t)} "
            if not norm.strip():
                continue
            terpanjang = 0
            calon: list[JenisPPKS] = []
            for nama, daftar in self.peta.items():
                # Whole words only; short abbreviations ("at", "pd") only as the whole text.
                cocok = (len(nama) >= 5 and f" {nama} " in norm) or nama == norm.strip()
                if cocok and len(nama) > terpanjang:
                    terpanjang, calon = len(nama), list(daftar)
            if len(calon) == 1:
                ketemu[calon[0].pk] = calon[0]
        return next(iter(ketemu.values())) if len(ketemu) == 1 else None


def impor(
    lembar: Lembar,
    *,
    simpan: bool,
    lewati_galat: bool = False,
    oleh=None,
    alasan: str = "Impor PPKS",
    progres: Callable[[int], None] = lambda persen: None,
    perkiraan_baris: int = 0,
) -> Hasil:
    hasil = Hasil(jenis="ppks", lembar=lembar.nama)
    pembaca = Pembaca(lembar, hasil, SINONIM, WAJIB, LABEL)
    cari_jenis = PencariJenis()
    jenis_berkas: JenisPPKS | None = None
    if "jenis" not in pembaca.peta.kolom:
        judul = [str(x) for sel in pembaca.baris_judul for x in sel if isinstance(x, str)]
        jenis_berkas = cari_jenis.dalam_judul(judul) or cari_jenis.dalam_judul([lembar.nama])
        if jenis_berkas is None:
            raise BerkasTidakSah(
                _(
                    "Jenis PPKS tidak diketahui: tambahkan kolom JENIS PPKS, atau tulis nama jenisnya di baris "
                    "judul di atas tabel (mis. “DATA PPKS LANJUT USIA TELANTAR TAHUN 2023”)."
                )
            )
    siks_ng = "id_dtks" in pembaca.peta.kolom or "padan" in pembaca.peta.kolom
    sumber_bawaan = SumberData.DTKS.value if siks_ng else PPKS._meta.get_field("sumber").default
    cari_kel = N.PencariKelurahan()
    hari_ini = timezone.localdate()
    maks = pengaturan.maks_panjang_sel()

    def periksa(b: Baris):
        jenis_id = jenis_berkas.pk if jenis_berkas else b.ambil("jenis", cari_jenis, wajib=True)
        jk = b.ambil("jenis_kelamin", N.jenis_kelamin)
        lahir = b.ambil("tanggal_lahir", N.tanggal_lahir, hari_ini)
        nik = b.nik(jenis_kelamin=jk, tanggal_lahir=lahir, hari_ini=hari_ini)
        # A tuple in _MEDAN_ORANG order (a dict per row costs memory at 100,000 rows).
        orang = (
            b.ambil("nama", N.teks, min(150, maks)),
            jk,
            lahir,
            b.ambil("tempat_lahir", N.teks, min(100, maks)),
            b.ambil("kelurahan", cari_kel),
            b.ambil("alamat", N.teks, min(255, maks)),
            b.ambil("rt", N.rt_rw, "RT"),
            b.ambil("rw", N.rt_rw, "RW"),
        )
        if orang[0] is not None and not any(c.isalpha() for c in orang[0]):
            b.salah("nama", _("Nama harus memuat huruf."))
        terdata = b.ambil("terdata_pada", N.tanggal)
        if terdata is not None and terdata > hari_ini:
            b.salah("terdata_pada", _("Tanggal tidak boleh di masa depan."))
        reg = (b.ambil("status", status), b.ambil("sumber", sumber), terdata, b.ambil("catatan", N.teks, maks))
        if all(v is None for v in reg):
            reg = _REG_KOSONG
        return (nik, jenis_id, orang, reg)

    baris: list[tuple[Baris, str, int, tuple, tuple]] = []
    per_kunci: dict[tuple[str, int], int] = {}
    for b, (nik, jenis_id, orang, reg) in pembaca.baca(periksa, progres, perkiraan_baris):
        kunci = (nik, jenis_id)
        if kunci in per_kunci:
            pesan = _("NIK %(nik)s dengan jenis ini sudah ada di baris %(n)d berkas ini.") % {
                "nik": nik,
                "n": per_kunci[kunci],
            }
            pembaca.tolak_baris(b, "nik", pesan)
            continue
        per_kunci[kunci] = b.nomor
        baris.append((b, nik, jenis_id, orang, reg))

    # Compare with the registry: persons by NIK, open registrations by (person, jenis).
    semua_nik = {r[1] for r in baris}
    orang_ada = dict(ambil(Penduduk.objects.all(), "nik", semua_nik, "nik", "id"))
    reg_ada: dict[tuple[int, int], tuple] = {
        (pid, jid): (rid, st, cat)
        for rid, pid, jid, st, cat in ambil(
            PPKS.objects.exclude(status=StatusPPKS.BUKAN_PPKS),
            "penduduk_id",
            orang_ada.values(),
            "id",
            "penduduk_id",
            "jenis_id",
            "status",
            "catatan",
        )
    }
    nama_jenis = dict(JenisPPKS.objects.values_list("pk", "nama"))
    orang_baru: dict[str, tuple] = {}
    reg_baru: list[tuple[str, int, tuple]] = []
    reg_ubah: list[tuple[int, str, str]] = []
    for b, nik, jenis_id, orang, reg in baris:
        pid = orang_ada.get(nik)
        if pid is None and nik not in orang_baru:
            if orang[0] is None or orang[4] is None:
                medan = "nama" if orang[0] is None else "kelurahan"
                pembaca.tolak_baris(
                    b, medan, _("NIK ini belum ada di registri: isi Nama dan Kelurahan agar penduduk baru dibuat.")
                )
                continue
            orang_baru[nik] = orang
        lama = reg_ada.get((pid, jenis_id)) if pid is not None else None
        if lama is None:
            reg_baru.append((nik, jenis_id, reg))
            hasil.baru += 1
            perubahan = {str(LABEL["jenis"]): ["", nama_jenis[jenis_id]]}
            if pid is None:
                perubahan[_("Penduduk")] = ["", _("baru di registri")]
            contoh(hasil, b.nomor, "baru", nik, orang[0] or "", perubahan)
            continue
        rid, st_lama, cat_lama = lama
        st = reg[0] or st_lama
        cat = reg[3] if reg[3] is not None else cat_lama
        if (st, cat) == (st_lama, cat_lama):
            hasil.tetap += 1
            continue
        hasil.diubah += 1
        perubahan = {}
        if st != st_lama:
            perubahan[str(LABEL["status"])] = [st_lama, st]
        if cat != cat_lama:
            perubahan[str(LABEL["catatan"])] = [tampil(cat_lama), tampil(cat)]
        contoh(hasil, b.nomor, "diubah", nik, orang[0] or "", perubahan)
        reg_ubah.append((rid, st, cat))
    progres(75)

    if not simpan or (hasil.ditolak and not lewati_galat) or not (reg_baru or reg_ubah):
        progres(100)
        return hasil
    sekarang = timezone.now()
    medan_orang = ["nik", *_MEDAN_ORANG, "nama_normal"]
    with transaction.atomic():
        if orang_baru:
            sisipkan(
                Penduduk,
                medan_orang,
                (
                    (nik, *_kosong_jadi_teks(o), normalisasi_nama(o[0]))
                    for nik, o in orang_baru.items()
                ),
                oleh, alasan, sekarang,
            )  # fmt: skip
            orang_ada.update(ambil(Penduduk.objects.all(), "nik", list(orang_baru), "nik", "id"))
        if reg_baru:
            sisipkan(
                PPKS,
                ["penduduk_id", "jenis_id", "status", "sumber", "terdata_pada", "catatan"],
                (
                    (orang_ada[nik], jenis_id, reg[0] or StatusPPKS.AKTIF.value, reg[1] or sumber_bawaan,
                     reg[2] or hari_ini, reg[3] or "")
                    for nik, jenis_id, reg in reg_baru
                ),
                oleh, alasan, sekarang,
            )  # fmt: skip
        if reg_ubah:
            perbarui(
                PPKS, [(rid, {"status": st, "catatan": cat}) for rid, st, cat in reg_ubah], ["status", "catatan"],
                oleh, alasan, sekarang,
            )  # fmt: skip
    hasil.disimpan = True
    progres(100)
    return hasil
