"""Import type ``psm``: the list of Pekerja Sosial Masyarakat (the SK list the office keeps).

One row per PSM, matched by NIK (``ProfilPSM.nik``). A PSM in this application is an account
(``akun.User`` with peran PSM and kelurahan) with a profile. Decision:

- a NIK without a profile makes a **new account that cannot log in yet**: inactive, no usable
  password, username ``psm<NIK>``, peran PSM, the row's kelurahan as its area; and its profile.
  An Admin activates it and sets a password (admin "Akun") when the PSM starts using the app;
  nothing is sent to anyone by the import;
- a NIK with a profile updates the profile (name, phone, SK, period, koordinator, kelurahan
  utama; a blank cell keeps the value). A new kelurahan utama is added to the account's area if
  missing. The import never activates, deactivates or changes the password of an account.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from akun.models import User
from akun.roles import Peran
from impor import nilai as N
from impor.berkas import Lembar
from impor.hasil import Hasil
from impor.jenis._dasar import Baris, Pembaca, ambil, contoh, riwayat, tampil
from impor.kepala import SINONIM_PSM
from psm.models import ProfilPSM

SINONIM = SINONIM_PSM
WAJIB = ("nik", "nama")
LABEL = {
    "nik": gettext_lazy("NIK"),
    "nama": gettext_lazy("Nama"),
    "kelurahan": gettext_lazy("Kelurahan"),
    "telepon": gettext_lazy("Telepon/WhatsApp"),
    "nomor_sk": gettext_lazy("Nomor SK"),
    "tanggal_sk": gettext_lazy("Tanggal SK"),
    "aktif_mulai": gettext_lazy("Aktif sejak"),
    "aktif_sampai": gettext_lazy("Aktif sampai"),
    "koordinator": gettext_lazy("Koordinator"),
}
MEDAN = (
    "nama",
    "telepon",
    "nomor_sk",
    "tanggal_sk",
    "aktif_mulai",
    "aktif_sampai",
    "koordinator",
    "kelurahan_utama_id",
)
_LABEL_MEDAN = {**{m: m for m in MEDAN}, "kelurahan_utama_id": "kelurahan"}


def koordinator(nilai: object) -> bool:
    """Ya/Tidak, or a role written out ("Koordinator PSM" / "Anggota")."""
    teks = N.teks(nilai, maks=60).lower()
    if "koord" in teks or "kord" in teks or "ketua" in teks:
        return True
    if teks in ("anggota", "psm", "-"):
        return False
    return N.ya_tidak(nilai)


def impor(
    lembar: Lembar,
    *,
    simpan: bool,
    lewati_galat: bool = False,
    oleh=None,
    alasan: str = "Impor PSM",
    progres: Callable[[int], None] = lambda persen: None,
    perkiraan_baris: int = 0,
) -> Hasil:
    hasil = Hasil(jenis="psm", lembar=lembar.nama)
    pembaca = Pembaca(lembar, hasil, SINONIM, WAJIB, LABEL)
    cari_kel = N.PencariKelurahan()

    def periksa(b: Baris):
        r = {
            "nik": b.nik(),
            "nama": b.ambil("nama", N.teks, 150, wajib=True),
            "kelurahan_utama_id": b.ambil("kelurahan", cari_kel),
            "telepon": b.ambil("telepon", N.telepon),
            "nomor_sk": b.ambil("nomor_sk", N.teks, 100),
            "tanggal_sk": b.ambil("tanggal_sk", N.tanggal),
            "aktif_mulai": b.ambil("aktif_mulai", N.tanggal),
            "aktif_sampai": b.ambil("aktif_sampai", N.tanggal),
            "koordinator": b.ambil("koordinator", koordinator),
        }
        if r["aktif_mulai"] and r["aktif_sampai"] and r["aktif_sampai"] < r["aktif_mulai"]:
            b.salah("aktif_sampai", _("Tanggal akhir masa aktif tidak boleh sebelum tanggal mulai."))
        return r

    baris: list[tuple[Baris, dict]] = []
    per_nik: dict[str, int] = {}
    for b, r in pembaca.baca(periksa, progres, perkiraan_baris):
        if r["nik"] in per_nik:
            pesan = _("NIK %(nik)s sudah ada di baris %(n)d berkas ini.") % {"nik": r["nik"], "n": per_nik[r["nik"]]}
            pembaca.tolak_baris(b, "nik", pesan)
            continue
        per_nik[r["nik"]] = b.nomor
        baris.append((b, r))

    ada = {v[0]: v[1:] for v in ambil(ProfilPSM.objects.all(), "nik", per_nik, "nik", "id", "user_id", *MEDAN)}
    nama_pengguna = {f"psm{nik}" for nik in per_nik if nik not in ada}
    terpakai = set(ambil(User.objects.all(), "username", nama_pengguna, "username"))
    baru: list[dict] = []
    ubah: list[tuple[int, int, dict]] = []
    for b, r in baris:
        lama = ada.get(r["nik"])
        if lama is None:
            if (f"psm{r['nik']}",) in terpakai:
                pembaca.tolak_baris(
                    b, "nik", _("Nama pengguna psm%(nik)s sudah dipakai akun lain.") % {"nik": r["nik"]}
                )
                continue
            if r["kelurahan_utama_id"] is None:
                pembaca.tolak_baris(b, "kelurahan", _("Wajib diisi untuk PSM baru (wilayah kerja akunnya)."))
                continue
            baru.append(r)
            hasil.baru += 1
            contoh(hasil, b.nomor, "baru", r["nik"], r["nama"], {_("Akun"): ["", _("baru, belum aktif")]})
            continue
        pid, uid, *lama_medan = lama
        gabung = {m: (r[m] if r[m] is not None else o) for m, o in zip(MEDAN, lama_medan, strict=True)}
        beda = {m: (o, gabung[m]) for m, o in zip(MEDAN, lama_medan, strict=True) if gabung[m] != o}
        if not beda:
            hasil.tetap += 1
            continue
        hasil.diubah += 1
        contoh(
            hasil, b.nomor, "diubah", r["nik"], gabung["nama"],
            {str(LABEL[_LABEL_MEDAN[m]]): [tampil(o), tampil(n)] for m, (o, n) in beda.items()},
        )  # fmt: skip
        ubah.append((pid, uid, gabung))
    progres(75)

    if not simpan or (hasil.ditolak and not lewati_galat) or not (baru or ubah):
        progres(100)
        return hasil
    sekarang = timezone.now()
    h = riwayat(oleh, alasan, sekarang)
    Wilayah = User.kelurahan.through
    with transaction.atomic():
        wilayah: list[tuple[int, int]] = []
        if baru:
            akun = []
            for r in baru:
                nama = r["nama"].split(" ", 1)
                u = User(
                    username=f"psm{r['nik']}",
                    first_name=nama[0][:150],
                    last_name=(nama[1] if len(nama) > 1 else "")[:150],
                    peran=Peran.PSM,
                    is_active=False,
                    telepon=r["telepon"] or "",
                )
                u.set_unusable_password()
                akun.append(u)
            bulk_create_with_history(akun, User, batch_size=2000, **h)
            uid = dict(ambil(User.objects.all(), "username", [u.username for u in akun], "username", "id"))
            profil = []
            for r in baru:
                u = uid[f"psm{r['nik']}"]
                wilayah.append((u, r["kelurahan_utama_id"]))
                profil.append(
                    ProfilPSM(user_id=u, nik=r["nik"], **{m: (r[m] if r[m] is not None else _kosong(m)) for m in MEDAN})
                )
            bulk_create_with_history(profil, ProfilPSM, batch_size=2000, **h)
        if ubah:
            objek = ProfilPSM.objects.in_bulk([pid for pid, _u, _g in ubah])
            for pid, uid_lama, g in ubah:
                for m, v in g.items():
                    setattr(objek[pid], m, v)
                objek[pid].diubah_pada = sekarang
                if g["kelurahan_utama_id"]:
                    wilayah.append((uid_lama, g["kelurahan_utama_id"]))
            bulk_update_with_history(list(objek.values()), ProfilPSM, [*MEDAN, "diubah_pada"], batch_size=2000, **h)
        if wilayah:
            Wilayah.objects.bulk_create(
                [Wilayah(user_id=u, kelurahan_id=k) for u, k in wilayah], ignore_conflicts=True, batch_size=2000
            )
    hasil.disimpan = True
    progres(100)
    return hasil


def _kosong(medan: str):
    if medan == "koordinator":
        return False
    if medan in ("telepon", "nomor_sk"):
        return ""
    return None
