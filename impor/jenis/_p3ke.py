"""The P3KE imports (``p3ke-keluarga``: one row per household, the head's data; ``p3ke-individu``:
one row per person), and the proposal of desil-1 households for the extreme-poor list.

**Households** are matched by ``id_keluarga_P3KE`` (``Keluarga.id_keluarga_p3ke``), else by the
No KK when the sheet has one, else through a member already in the registry (by NIK) who belongs
to a household; that household then gets the P3KE id. Otherwise a new household is made (No KK
empty unless the sheet gives one; the P3KE id; kelurahan, address, RT/RW from its first row).
The address of a household already on record is not changed: the registry (Dukcapil, DTKS) is
newer than a P3KE sheet.

**Persons** are matched by NIK. A new NIK becomes a resident in the household (keluarga sheet:
the head; individu sheet: the relationship in the row). A resident without household joins it. A
resident of *another* household stays where the registry has them (a warning says so). Names,
dates and other fields of residents on record are not changed (that is the ``penduduk`` import's
work). A second head for a household is a row error.

**Desil 1 (decision).** ``StatusMiskinEkstrem`` has no "proposed" state: a stay on the list is a
row with its source. A desil-1 household is *proposed* by entering it on the list with source
``P3KE``, desil 1, entry date = the import date, jiwa = its living members in the registry
after the import, and a note that it awaits field verification; it shows on the extreme-poor list
as source P3KE, and staff close it with the usual verified exit (reason "kesalahan data") when the
visit finds it is not extreme-poor. Only households that never had a stay are entered: a
household with an open stay is unchanged, one that left the list is not re-entered from a P3KE
sheet (a warning names it; staff decide). Other desil are not stored (no field for them). Entering
households on the list records the user who did it: the import needs a user (``--user``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from impor import nilai as N
from impor import pengaturan
from impor.berkas import Lembar
from impor.hasil import Hasil
from impor.jenis._dasar import Baris, Pembaca, ambil, contoh, perbarui, perlu_pengguna, potong, sisipkan
from impor.kepala import SINONIM_P3KE_INDIVIDU, SINONIM_P3KE_KELUARGA
from kemiskinan.choices import SumberMasuk
from kemiskinan.models import StatusMiskinEkstrem
from penduduk.choices import Hubungan, StatusPenduduk
from penduduk.models import Keluarga, Penduduk
from penduduk.names import normalisasi_nama

KEPALA = Hubungan.KEPALA.value
LAINNYA = Hubungan.LAINNYA.value
LABEL = {
    "id_p3ke": gettext_lazy("ID keluarga P3KE"),
    "id_individu": gettext_lazy("ID individu"),
    "kelurahan": gettext_lazy("Kelurahan"),
    "desil": gettext_lazy("Desil"),
    "alamat": gettext_lazy("Alamat"),
    "nama": gettext_lazy("Nama"),
    "nik": gettext_lazy("NIK"),
    "no_kk": gettext_lazy("No KK"),
    "jenis_kelamin": gettext_lazy("Jenis kelamin"),
    "hubungan": gettext_lazy("Hubungan keluarga"),
    "tanggal_lahir": gettext_lazy("Tanggal lahir"),
    "tempat_lahir": gettext_lazy("Tempat lahir"),
    "pekerjaan": gettext_lazy("Pekerjaan"),
    "rt": gettext_lazy("RT"),
    "rw": gettext_lazy("RW"),
}
WAJIB = ("id_p3ke", "nik", "kelurahan")
CATATAN_USULAN = "Diusulkan dari impor P3KE (desil 1); menunggu verifikasi lapangan."
_PERNAH_KELUAR = gettext_lazy(
    "Desil 1, tetapi keluarga ini pernah keluar dari daftar miskin ekstrem; tidak dimasukkan lagi otomatis."
)
_KELUARGA_LAIN = gettext_lazy("Orang ini terdaftar di keluarga lain di registri; tidak dipindahkan.")
_ORANG = ("nama", "jenis_kelamin", "tanggal_lahir", "tempat_lahir", "kelurahan_id", "alamat", "rt", "rw", "pekerjaan")


def impor_p3ke(
    lembar: Lembar,
    *,
    individu: bool,
    simpan: bool,
    lewati_galat: bool,
    oleh,
    alasan: str,
    progres: Callable[[int], None],
    perkiraan_baris: int,
) -> Hasil:
    kode = "p3ke-individu" if individu else "p3ke-keluarga"
    hasil = Hasil(jenis=kode, lembar=lembar.nama)
    sinonim = SINONIM_P3KE_INDIVIDU if individu else SINONIM_P3KE_KELUARGA
    label = {k: v for k, v in LABEL.items() if k in sinonim}
    pembaca = Pembaca(lembar, hasil, sinonim, WAJIB, label)
    cari_kel = N.PencariKelurahan()
    hari_ini = timezone.localdate()
    maks = pengaturan.maks_panjang_sel()

    def periksa(b: Baris):
        jk = b.ambil("jenis_kelamin", N.jenis_kelamin)
        lahir = b.ambil("tanggal_lahir", N.tanggal_lahir, hari_ini)
        r = {
            "id_p3ke": b.ambil("id_p3ke", N.teks, 40, wajib=True),
            "nik": b.nik(jenis_kelamin=jk, tanggal_lahir=lahir, hari_ini=hari_ini),
            "no_kk": b.no_kk(),
            "desil": b.ambil("desil", N.desil),
            "nama": b.ambil("nama", N.teks, min(150, maks), wajib=individu),
            "jenis_kelamin": jk,
            "tanggal_lahir": lahir,
            "tempat_lahir": b.ambil("tempat_lahir", N.teks, min(100, maks)),
            "kelurahan_id": b.ambil("kelurahan", cari_kel, wajib=True),
            "alamat": b.ambil("alamat", N.teks, min(255, maks)),
            "rt": b.ambil("rt", N.rt_rw, "RT"),
            "rw": b.ambil("rw", N.rt_rw, "RW"),
            "pekerjaan": b.ambil("pekerjaan", N.teks, min(100, maks)),
            "hubungan": b.ambil("hubungan", N.hubungan) if individu else KEPALA,
        }
        if r["nama"] is not None and not any(c.isalpha() for c in r["nama"]):
            b.salah("nama", _("Nama harus memuat huruf."))
        return r

    # Step 1: rows, with the checks across rows.
    baris: list[tuple[Baris, dict]] = []
    per_nik: dict[str, int] = {}
    per_id: dict[str, list[tuple[Baris, dict]]] = {}
    kepala_id: dict[str, int] = {}
    for b, r in pembaca.baca(periksa, progres, perkiraan_baris):
        if r["nik"] in per_nik:
            pesan = _("NIK %(nik)s sudah ada di baris %(n)d berkas ini.") % {"nik": r["nik"], "n": per_nik[r["nik"]]}
            pembaca.tolak_baris(b, "nik", pesan)
            continue
        if not individu and r["id_p3ke"] in per_id:
            pesan = _("ID keluarga P3KE ini sudah ada di baris %(n)d berkas ini.") % {
                "n": per_id[r["id_p3ke"]][0][0].nomor
            }
            pembaca.tolak_baris(b, "id_p3ke", pesan)
            continue
        if r["hubungan"] == KEPALA:
            if r["id_p3ke"] in kepala_id:
                pesan = _("Keluarga ini sudah punya kepala keluarga di baris %(n)d berkas ini.") % {
                    "n": kepala_id[r["id_p3ke"]]
                }
                pembaca.tolak_baris(b, "hubungan", pesan)
                continue
            kepala_id[r["id_p3ke"]] = b.nomor
        per_nik[r["nik"]] = b.nomor
        per_id.setdefault(r["id_p3ke"], []).append((b, r))
        baris.append((b, r))

    # Step 2: the registry.
    kk_p3ke = {
        v[0]: v[1:]
        for v in ambil(Keluarga.objects.all(), "id_keluarga_p3ke", per_id, "id_keluarga_p3ke", "id", "no_kk")
    }
    kk_no = {
        v[0]: v[1:]
        for v in ambil(
            Keluarga.objects.all(), "no_kk", (r["no_kk"] for _b, r in baris), "no_kk", "id", "id_keluarga_p3ke"
        )
    }
    orang = {
        v[0]: v[1:]
        for v in ambil(Penduduk.objects.all(), "nik", per_nik, "nik", "id", "keluarga_id", "hubungan", "nama")
    }
    kk_orang = {v[1] for v in orang.values() if v[1] is not None}
    p3ke_orang = dict(ambil(Keluarga.objects.all(), "id", kk_orang, "id", "id_keluarga_p3ke"))

    # Which household each P3KE id is.
    rumah: dict[str, int | None] = {}  # id_p3ke -> Keluarga id (None: new)
    tautkan: dict[int, str] = {}  # Keluarga id -> id_p3ke to record on it
    kk_baru: dict[str, dict] = {}
    lewat: set[str] = set()  # P3KE ids whose members all belong to other households
    for id_p3ke, anggota in per_id.items():
        kid = kk_p3ke[id_p3ke][0] if id_p3ke in kk_p3ke else None
        if kid is None:
            for _b, r in anggota:
                if r["no_kk"] and r["no_kk"] in kk_no:
                    lain = kk_no[r["no_kk"]][1]
                    if lain not in (None, id_p3ke):
                        for b2, _r2 in anggota:
                            pembaca.tolak_baris(
                                b2, "no_kk", _("No KK ini tercatat dengan ID P3KE lain (%(id)s).") % {"id": lain}
                            )
                        kid = -1
                        break
                    kid = kk_no[r["no_kk"]][0]
                    break
        if kid == -1:
            continue
        if kid is None:
            calon = [
                orang[r["nik"]][1]
                for _b, r in sorted(anggota, key=lambda x: x[1]["hubungan"] != KEPALA)
                if r["nik"] in orang and orang[r["nik"]][1] is not None
                and p3ke_orang.get(orang[r["nik"]][1]) in (None, id_p3ke)
            ]  # fmt: skip
            kid = calon[0] if calon else None
        if kid is not None:
            if id_p3ke not in kk_p3ke:
                tautkan[kid] = id_p3ke
        elif all(r["nik"] in orang and orang[r["nik"]][1] is not None for _b, r in anggota):
            # Every member is on record in another household: no empty household is made.
            for b, _r in anggota:
                pembaca.awas(b, "nik", str(_KELUARGA_LAIN))
            lewat.add(id_p3ke)
            continue
        else:
            pertama = next((r for _b, r in anggota if r["hubungan"] == KEPALA), anggota[0][1])
            no_kk = next((r["no_kk"] for _b, r in anggota if r["no_kk"] and r["no_kk"] not in kk_no), None)
            kk_baru[id_p3ke] = {
                "no_kk": no_kk,
                "kelurahan_id": pertama["kelurahan_id"],
                "alamat": pertama["alamat"] or "",
                "rt": pertama["rt"] or "",
                "rw": pertama["rw"] or "",
            }
        rumah[id_p3ke] = kid
    ada_kid = [k for k in rumah.values() if k is not None]
    kepala_lama = dict(ambil(Penduduk.objects.filter(hubungan=KEPALA), "keluarga_id", ada_kid, "keluarga_id", "id"))
    stay: dict[int, bool] = {}  # Keluarga id -> has an open stay
    for kid, keluar in ambil(
        StatusMiskinEkstrem.objects.all(), "keluarga_id", ada_kid, "keluarga_id", "tanggal_keluar"
    ):
        stay[kid] = stay.get(kid, False) or keluar is None

    # Step 3: each row.
    orang_baru: list[tuple[str, str, dict]] = []  # (nik, id_p3ke, fields)
    orang_gabung: list[tuple[int, str, str]] = []  # (person id, id_p3ke, hubungan)
    usulan: dict[str, Baris] = {}
    diubah_rumah: set[str] = set()
    for b, r in baris:
        id_p3ke = r["id_p3ke"]
        if id_p3ke in lewat:
            hasil.tetap += 1
            continue
        if id_p3ke not in rumah:
            continue  # rejected above
        kid = rumah[id_p3ke]
        perubahan: dict[str, list[str]] = {}
        hub = r["hubungan"] or LAINNYA
        if hub == KEPALA and kid is not None and kid in kepala_lama:
            lama = orang.get(r["nik"])
            if lama is None or lama[0] != kepala_lama[kid]:
                pembaca.tolak_baris(
                    b,
                    "nik" if not individu else "hubungan",
                    _("Keluarga ini sudah punya kepala keluarga lain di registri."),
                )
                continue
        lama = orang.get(r["nik"])
        status = "tetap"
        if lama is None:
            if r["nama"] is None:
                pembaca.tolak_baris(b, "nama", _("NIK ini belum ada di registri: isi nama agar penduduk baru dibuat."))
                continue
            orang_baru.append((r["nik"], id_p3ke, {m: r[m] for m in _ORANG} | {"hubungan": hub}))
            status = "baru"
            perubahan[_("Penduduk")] = ["", _("baru di registri")]
        elif lama[1] is None:
            orang_gabung.append((lama[0], id_p3ke, hub))
            status = "diubah"
            perubahan[str(LABEL["id_p3ke"])] = ["", id_p3ke]
        elif kid is not None and lama[1] != kid:
            pembaca.awas(b, "nik", str(_KELUARGA_LAIN))
        if (kid is None or kid in tautkan) and id_p3ke not in diubah_rumah:
            diubah_rumah.add(id_p3ke)
            if status == "tetap":
                status = "diubah"
            perubahan[_("Keluarga")] = ["", _("baru") if kid is None else _("ditautkan ke ID P3KE")]
        if r["desil"] == 1 and id_p3ke not in usulan:
            if kid is None or kid not in stay:
                usulan[id_p3ke] = b
                if status == "tetap":
                    status = "diubah"
                perubahan[_("Daftar miskin ekstrem")] = ["", _("diusulkan (desil 1)")]
            elif stay[kid] is False:
                pembaca.awas(b, "desil", str(_PERNAH_KELUAR))
        if status == "tetap":
            hasil.tetap += 1
            continue
        setattr(hasil, status, getattr(hasil, status) + 1)
        contoh(hasil, b.nomor, status, r["nik"], r["nama"] or (lama[2] if lama else ""), perubahan)
    hasil.keluarga_baru = len([i for i in kk_baru if i in diubah_rumah])
    hasil.keluarga_diubah = len([k for k, i in tautkan.items() if i in diubah_rumah])
    progres(75)

    if not simpan or (hasil.ditolak and not lewati_galat) or not (orang_baru or orang_gabung or diubah_rumah or usulan):
        progres(100)
        return hasil
    if usulan:
        perlu_pengguna(
            oleh,
            _("Impor P3KE mengusulkan keluarga desil 1 ke daftar miskin ekstrem atas nama pengguna: pakai --user."),
        )
    sekarang = timezone.now()
    with transaction.atomic():
        baru_kk = {i: v for i, v in kk_baru.items() if i in diubah_rumah}
        if baru_kk:
            kolom_kk = ["id_keluarga_p3ke", "no_kk", "kelurahan_id", "alamat", "rt", "rw"]
            sisipkan(
                Keluarga, kolom_kk, ((i, *(v[k] for k in kolom_kk[1:])) for i, v in baru_kk.items()),
                oleh, alasan, sekarang,
            )  # fmt: skip
            for i, kid in ambil(Keluarga.objects.all(), "id_keluarga_p3ke", baru_kk, "id_keluarga_p3ke", "id"):
                rumah[i] = kid
        taut = [(k, {"id_keluarga_p3ke": i}) for k, i in tautkan.items() if i in diubah_rumah]
        if taut:
            perbarui(Keluarga, taut, ["id_keluarga_p3ke"], oleh, alasan, sekarang)
        if orang_gabung:
            perbarui(
                Penduduk,
                [(pid, {"keluarga_id": rumah[i], "hubungan": hub}) for pid, i, hub in orang_gabung],
                ["keluarga_id", "hubungan"],
                oleh, alasan, sekarang,
            )  # fmt: skip
        if orang_baru:
            sisipkan(
                Penduduk,
                ["nik", "keluarga_id", "nama_normal", *_ORANG, "hubungan"],
                (
                    (nik, rumah[i], normalisasi_nama(v["nama"]),
                     *("" if v[k] is None and k != "tanggal_lahir" else v[k] for k in _ORANG), v["hubungan"])
                    for nik, i, v in orang_baru
                ),
                oleh, alasan, sekarang,
            )  # fmt: skip
        if usulan:
            kid_usulan = [rumah[i] for i in usulan]
            jiwa: dict[int, int] = {}
            for bagian in potong(kid_usulan):
                jiwa.update(
                    Penduduk.objects.filter(keluarga_id__in=bagian, status=StatusPenduduk.HIDUP)
                    .order_by()
                    .values_list("keluarga_id")
                    .annotate(n=Count("id"))
                )
            hari_ini = timezone.localdate()
            sisipkan(
                StatusMiskinEkstrem,
                ["keluarga_id", "sumber", "tanggal_masuk", "desil", "jiwa_masuk", "catatan", "dicatat_oleh_id"],
                (
                    (kid, SumberMasuk.P3KE.value, hari_ini, 1, jiwa[kid], CATATAN_USULAN, oleh.pk)
                    for kid in kid_usulan
                    if jiwa.get(kid)  # no living member in the registry: nothing to count
                ),
                oleh, alasan, sekarang,
            )  # fmt: skip
    hasil.disimpan = True
    progres(100)
    return hasil
