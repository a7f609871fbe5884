"""Import type ``penyaluran``: distributions of aid (programme, recipient, period, amount, date,
channel, status).

- The programme by its code or name (``bantuan.Program``); the recipient by NIK (a person; their
  household is taken with them, as ``bantuan.services`` does) or by No KK (a household). Both must
  be in the registry; both given must agree (the person is a member of that household).
- The rules of ``bantuan.services._periksa_isi`` apply to every row (amount above Rp0, "diterima"
  only through the family's confirmation, a date for a distributed row and not in the future, a
  reason for a failed one); the period is moved to the first day of the programme's period.
- Matching: by ``ID EKSTERNAL`` when the file has it, else by (programme, recipient, period).
  A matched row whose values are the same is unchanged; a row the family has confirmed keeps its
  programme, recipient, period, amount, date and status (a change there is a row error).
- The user is recorded as ``dibuat_oleh``: the import needs a user (``--user`` on the command).
- After writing, the integrity checks run on the written rows (``bantuan.integritas``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from bantuan import integritas
from bantuan.choices import Saluran, StatusPenyaluran
from bantuan.models import Penyaluran, Program
from bantuan.services import _periksa_isi
from impor import nilai as N
from impor import pengaturan
from impor.berkas import Lembar
from impor.hasil import Hasil
from impor.jenis._dasar import Baris, Pembaca, ambil, contoh, perbarui, perlu_pengguna, potong, riwayat, tampil
from impor.kepala import SINONIM_PENYALURAN, normalisasi_kepala
from penduduk.models import Keluarga, Penduduk

SINONIM = SINONIM_PENYALURAN
WAJIB = ("program", "nilai")
LABEL = {
    "id_eksternal": gettext_lazy("ID eksternal"),
    "program": gettext_lazy("Program"),
    "no_kk": gettext_lazy("No KK"),
    "nik": gettext_lazy("NIK"),
    "nama": gettext_lazy("Nama"),
    "periode": gettext_lazy("Periode"),
    "nilai": gettext_lazy("Nilai (Rp)"),
    "tanggal": gettext_lazy("Tanggal salur"),
    "saluran": gettext_lazy("Saluran"),
    "status": gettext_lazy("Status"),
    "alasan_gagal": gettext_lazy("Alasan gagal"),
    "keterangan": gettext_lazy("Keterangan"),
}
MEDAN = ("nilai", "tanggal", "saluran", "status", "alasan_gagal", "keterangan")
_MEDAN_UBAH = ("id_eksternal", "program_id", "penduduk_id", "keluarga_id", "kelurahan_id", "periode", *MEDAN)
_TETAP = ("nilai", "tanggal", "status")  # with programme, recipient and period: fixed once confirmed
_SALURAN = {
    "bank": Saluran.BANK, "kks": Saluran.BANK, "bankkks": Saluran.BANK, "himbara": Saluran.BANK,
    "transfer": Saluran.BANK, "rekening": Saluran.BANK,
    "pos": Saluran.POS, "ptpos": Saluran.POS, "posindonesia": Saluran.POS, "kantorpos": Saluran.POS,
    "langsung": Saluran.LANGSUNG, "tunai": Saluran.LANGSUNG, "tunailangsung": Saluran.LANGSUNG,
    "ewarong": Saluran.EWARONG, "warong": Saluran.EWARONG,
}  # fmt: skip
_STATUS = {
    "direncanakan": StatusPenyaluran.DIRENCANAKAN, "rencana": StatusPenyaluran.DIRENCANAKAN,
    "belum": StatusPenyaluran.DIRENCANAKAN, "belumdisalurkan": StatusPenyaluran.DIRENCANAKAN,
    "disalurkan": StatusPenyaluran.DISALURKAN, "tersalur": StatusPenyaluran.DISALURKAN,
    "sudah": StatusPenyaluran.DISALURKAN, "sudahdisalurkan": StatusPenyaluran.DISALURKAN,
    "salur": StatusPenyaluran.DISALURKAN, "selesai": StatusPenyaluran.DISALURKAN,
    "gagal": StatusPenyaluran.GAGAL, "gagalsalur": StatusPenyaluran.GAGAL, "retur": StatusPenyaluran.GAGAL,
    "dikonfirmasi": StatusPenyaluran.DIKONFIRMASI, "diterima": StatusPenyaluran.DIKONFIRMASI,
}  # fmt: skip
# bantuan.services error keys -> columns of this import
_KE_KOLOM = {"nilai": "nilai", "status": "status", "tanggal": "tanggal", "alasan_gagal": "alasan_gagal"}


def _kunci(nilai: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(nilai).lower())[:40]


def saluran(nilai: object) -> str:
    s = _SALURAN.get(_kunci(nilai))
    if s is None:
        raise N.GalatNilai(
            _("Saluran “%(isi)s” tidak dikenali (bank/KKS, pos, langsung, e-warong).") % {"isi": str(nilai)[:30]}
        )
    return s.value


def status(nilai: object) -> str:
    s = _STATUS.get(_kunci(nilai))
    if s is None:
        raise N.GalatNilai(
            _("Status “%(isi)s” tidak dikenali (direncanakan, disalurkan, gagal).") % {"isi": str(nilai)[:30]}
        )
    return s.value


class PencariProgram:
    def __init__(self) -> None:
        self.program: dict[int, Program] = {}
        self.peta: dict[str, int] = {}
        for p in Program.objects.all():
            self.program[p.pk] = p
            self.peta.setdefault(normalisasi_kepala(p.kode), p.pk)
        for p in self.program.values():
            self.peta.setdefault(normalisasi_kepala(p.nama), p.pk)

    def __call__(self, nilai: object) -> int:
        pk = self.peta.get(normalisasi_kepala(N.teks(nilai, maks=150)))
        if pk is None:
            raise N.GalatNilai(_("Program “%(isi)s” tidak ada; tulis kodenya (mis. PKH, BPNT).") % {"isi": nilai})
        return pk


def impor(
    lembar: Lembar,
    *,
    simpan: bool,
    lewati_galat: bool = False,
    oleh=None,
    alasan: str = "Impor penyaluran",
    progres: Callable[[int], None] = lambda persen: None,
    perkiraan_baris: int = 0,
) -> Hasil:
    hasil = Hasil(jenis="penyaluran", lembar=lembar.nama)
    pembaca = Pembaca(lembar, hasil, SINONIM, WAJIB, LABEL)
    if "nik" not in pembaca.peta.kolom and "no_kk" not in pembaca.peta.kolom:
        from impor.berkas import BerkasTidakSah

        raise BerkasTidakSah(_("Kolom penerima tidak ada di baris judul: perlu kolom NIK atau No KK."))
    cari_program = PencariProgram()
    maks = pengaturan.maks_panjang_sel()
    hari_ini = timezone.localdate()

    def periksa(b: Baris):
        r = {
            "id_eksternal": b.ambil("id_eksternal", N.teks, 64),
            "program_id": b.ambil("program", cari_program, wajib=True),
            "nik": b.nik(wajib=False),
            "no_kk": b.no_kk(),
            "periode": b.ambil("periode", N.periode),
            "nilai": b.ambil("nilai", N.bulat, wajib=True),
            "tanggal": b.ambil("tanggal", N.tanggal),
            "saluran": b.ambil("saluran", saluran),
            "status": b.ambil("status", status),
            "alasan_gagal": b.ambil("alasan_gagal", N.teks, min(255, maks)),
            "keterangan": b.ambil("keterangan", N.teks, maks),
        }
        if not b.ada("nik") and not b.ada("no_kk"):
            b.salah("nik", _("Isi NIK atau No KK penerima."))
        if r["periode"] is None:
            r["periode"] = r["tanggal"]
            if r["periode"] is None and not b.galat:
                b.salah("periode", _("Isi periode (atau tanggal salur)."))
        if r["status"] is None:
            r["status"] = StatusPenyaluran.DISALURKAN.value if r["tanggal"] else StatusPenyaluran.DIRENCANAKAN.value
        if b.galat:
            return None
        # The rules of bantuan.services on an unsaved distribution.
        p = Penyaluran(
            status=r["status"], tanggal=r["tanggal"], nilai=r["nilai"], alasan_gagal=r["alasan_gagal"] or "",
            periode=r["periode"],
        )  # fmt: skip
        try:
            _periksa_isi(p, cari_program.program[r["program_id"]])
        except ValidationError as exc:
            for kunci, pesan in exc.message_dict.items():
                for m in pesan:
                    medan = _KE_KOLOM.get(kunci, "status")
                    b.salah(medan if medan in pembaca.peta.kolom else "status", m)
            return None
        r["periode"], r["alasan_gagal"] = p.periode, p.alasan_gagal
        if r["tanggal"] and r["tanggal"] > hari_ini and r["status"] != StatusPenyaluran.DIRENCANAKAN:
            b.salah("tanggal", _("Tanggal salur tidak boleh di masa depan."))
        return r

    baris: list[tuple[Baris, dict]] = []
    for b, r in pembaca.baca(periksa, progres, perkiraan_baris):
        baris.append((b, r))

    # Recipients.
    orang = {
        nik: (pid, kid, kel, nama)
        for nik, pid, kid, kel, nama in ambil(
            Penduduk.objects.all(), "nik", (r["nik"] for _b, r in baris), "nik", "id", "keluarga_id", "kelurahan_id",
            "nama",
        )
    }  # fmt: skip
    keluarga = {
        no_kk: (kid, kel)
        for no_kk, kid, kel in ambil(
            Keluarga.objects.all(), "no_kk", (r["no_kk"] for _b, r in baris), "no_kk", "id", "kelurahan_id"
        )
    }
    sah: list[tuple[Baris, dict]] = []
    per_kunci: dict[tuple, int] = {}
    per_id: dict[str, int] = {}
    for b, r in baris:
        pid = kid = kel = None
        if r["nik"]:
            if r["nik"] not in orang:
                pembaca.tolak_baris(b, "nik", _("NIK %(nik)s tidak ada di registri penduduk.") % {"nik": r["nik"]})
                continue
            pid, kid, kel, r["nama"] = orang[r["nik"]]
        if r["no_kk"]:
            if r["no_kk"] not in keluarga:
                pembaca.tolak_baris(b, "no_kk", _("No KK %(kk)s tidak ada di registri.") % {"kk": r["no_kk"]})
                continue
            kk_id, kk_kel = keluarga[r["no_kk"]]
            if pid is not None and kid is not None and kid != kk_id:
                pembaca.tolak_baris(b, "no_kk", _("Penerima perorangan bukan anggota keluarga ini."))
                continue
            kid = kk_id
            kel = kel if pid is not None else kk_kel
        r.update(penduduk_id=pid, keluarga_id=kid, kelurahan_id=kel)
        kunci = (r["program_id"], pid, kid if pid is None else None, r["periode"])
        if r["id_eksternal"]:
            if r["id_eksternal"] in per_id:
                pembaca.tolak_baris(
                    b,
                    "id_eksternal",
                    _("ID ini sudah ada di baris %(n)d berkas ini.") % {"n": per_id[r["id_eksternal"]]},
                )
                continue
            per_id[r["id_eksternal"]] = b.nomor
        elif kunci in per_kunci:
            pembaca.tolak_baris(
                b,
                "nik" if pid else "no_kk",
                _("Penerima ini sudah menerima program ini untuk periode yang sama di baris %(n)d berkas ini.")
                % {"n": per_kunci[kunci]},
            )
            continue
        per_kunci.setdefault(kunci, b.nomor)
        sah.append((b, r))

    # Compare with what is on record: by external id, else by (programme, recipient, period).
    kolom = ("id", "id_eksternal", "program_id", "penduduk_id", "keluarga_id", "periode", *MEDAN)
    ada_id = {
        v[1]: v for v in ambil(Penyaluran.objects.all(), "id_eksternal", (r["id_eksternal"] for _b, r in sah), *kolom)
    }
    ada_kunci: dict[tuple, tuple] = {}
    tanpa_id = [r for _b, r in sah]
    for qs, kunci_medan, nilai in (
        (Penyaluran.objects.filter(penduduk__isnull=False), "penduduk_id", [r["penduduk_id"] for r in tanpa_id]),
        (
            Penyaluran.objects.filter(penduduk__isnull=True),
            "keluarga_id",
            [r["keluarga_id"] for r in tanpa_id if r["penduduk_id"] is None],
        ),
    ):
        for v in ambil(qs, kunci_medan, nilai, *kolom):
            k = (v[2], v[3], v[4] if v[3] is None else None, v[5])
            # A failed one is never the match when another exists (it may be paid again).
            if k not in ada_kunci or ada_kunci[k][MEDAN.index("status") + 6] == StatusPenyaluran.GAGAL:
                ada_kunci[k] = v
    baru: list[dict] = []
    ubah: list[tuple[int, dict]] = []
    for b, r in sah:
        kunci = (
            r["program_id"],
            r["penduduk_id"],
            r["keluarga_id"] if r["penduduk_id"] is None else None,
            r["periode"],
        )
        lama = ada_id.get(r["id_eksternal"]) if r["id_eksternal"] else None
        if lama is None:
            lama = ada_kunci.get(kunci)
            if lama is not None and r["id_eksternal"] and lama[1] not in (None, r["id_eksternal"]):
                lama = None  # the same recipient and period under another external id: a separate row
        label = r["nik"] or r["no_kk"] or ""
        if lama is None:
            if r["saluran"] is None:
                pembaca.tolak_baris(b, "saluran", _("Wajib diisi untuk penyaluran baru."))
                continue
            baru.append(r)
            hasil.baru += 1
            contoh(hasil, b.nomor, "baru", label, r.get("nama") or "", {str(LABEL["nilai"]): ["", str(r["nilai"])]})
            continue
        lama_medan = dict(zip(MEDAN, lama[6:], strict=True))
        sekarang_medan = {m: (r[m] if r[m] is not None else lama_medan[m]) for m in MEDAN}
        sekarang_medan["keterangan"] = sekarang_medan["keterangan"] or ""
        sekarang_medan["alasan_gagal"] = r["alasan_gagal"] or ""
        penerima_lama = (lama[2], lama[3], lama[4], lama[5])
        penerima = (r["program_id"], r["penduduk_id"], r["keluarga_id"], r["periode"])
        beda = {m: (lama_medan[m], v) for m, v in sekarang_medan.items() if v != lama_medan[m]}
        if r["id_eksternal"] and lama[1] != r["id_eksternal"]:
            beda["id_eksternal"] = (lama[1], r["id_eksternal"])
        r["id_eksternal"] = r["id_eksternal"] or lama[1]
        if not beda and penerima == penerima_lama:
            hasil.tetap += 1
            continue
        if lama_medan["status"] == StatusPenyaluran.DIKONFIRMASI and (
            penerima != penerima_lama or any(m in beda for m in _TETAP)
        ):
            pembaca.tolak_baris(
                b,
                "status",
                _("Sudah dikonfirmasi keluarga: program, penerima, periode, nilai dan tanggalnya tidak diubah lagi."),
            )
            continue
        if lama_medan["status"] == StatusPenyaluran.DIKONFIRMASI:
            sekarang_medan["status"] = StatusPenyaluran.DIKONFIRMASI
        hasil.diubah += 1
        contoh(
            hasil, b.nomor, "diubah", label, r.get("nama") or "",
            {str(LABEL[m]): [tampil(o), tampil(n)] for m, (o, n) in beda.items()},
        )  # fmt: skip
        ubah.append((lama[0], {**r, **sekarang_medan}))
    progres(75)

    if not simpan or (hasil.ditolak and not lewati_galat) or not (baru or ubah):
        progres(100)
        return hasil
    perlu_pengguna(oleh, _("Impor penyaluran mencatat siapa yang mencatatnya: jalankan dengan pengguna (--user)."))
    sekarang = timezone.now()
    h = riwayat(oleh, alasan, sekarang)
    ditulis: list[int] = []
    with transaction.atomic():
        for bagian in potong(baru):  # 5,000 model objects at a time
            objek = [
                Penyaluran(
                    id_eksternal=r["id_eksternal"] or None, program_id=r["program_id"], penduduk_id=r["penduduk_id"],
                    keluarga_id=r["keluarga_id"], kelurahan_id=r["kelurahan_id"], periode=r["periode"],
                    nilai=r["nilai"], tanggal=r["tanggal"], saluran=r["saluran"], status=r["status"],
                    alasan_gagal=r["alasan_gagal"] or "", keterangan=r["keterangan"] or "", dibuat_oleh=oleh,
                )
                for r in bagian
            ]  # fmt: skip
            objek = bulk_create_with_history(objek, Penyaluran, batch_size=2000, **h)
            ditulis.extend(p.pk for p in objek if p.pk)
        if ubah:
            perbarui(
                Penyaluran, [(pk, {m: r[m] for m in _MEDAN_UBAH}) for pk, r in ubah], list(_MEDAN_UBAH),
                oleh, alasan, sekarang,
            )  # fmt: skip
            ditulis.extend(pk for pk, _r in ubah)
        for bagian in potong(ditulis):
            integritas.periksa_setelah_simpan(bagian, oleh=oleh)
    hasil.disimpan = True
    progres(100)
    return hasil
