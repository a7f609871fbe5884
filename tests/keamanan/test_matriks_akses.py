"""The access matrix over every URL name × every role × records of both kelurahan (issue 13).

``MATRIKS`` names, for every URL name the resolver knows (the back office aside: ``test_kebocoran``
walks it), who may open it according to DESIGN.md ("Roles and access") and which record it takes.
A URL name added without an entry fails ``test_setiap_nama_url_ada_di_matriks``.

For each (URL, role, record of A / of B) the expected answer is:
- anonymous: the login page (302), or the page itself for public pages;
- a role the design does not allow: 403 (before anything is looked up);
- a PSM and a record of the other kelurahan: 404 (out of scope does not exist), never 403;
- an allowed role: 200 (or the page's own redirect/405, named per entry).
Every page that takes POST also gets an empty POST from every role: a refused one writes nothing,
and an allowed one with nothing filled in writes nothing either.
Each answer is scanned: the PSM of A never sees a name, NIK, No KK, case or code of B, and Pimpinan
never sees a whole NIK or No KK.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from akun.permissions import PUBLIK, URL_ACCESS
from tests.keamanan._alat import buat_fixture_dunia, buat_fixture_hitungan, rekam
from tests.keamanan._dunia import PERAN, SISI, bocoran, isi_teks

pytestmark = pytest.mark.django_db

dunia = buat_fixture_dunia()
hitungan = buat_fixture_hitungan("matriks akses")

# Roles, as DESIGN.md's table reads.
SEMUA = frozenset({"admin", "staf", "pimpinan", "psm"})
TULIS = frozenset({"admin", "staf", "psm"})  # registry, PPKS, cases, visits: PSM in their kelurahan
KOTA = frozenset({"admin", "staf", "pimpinan"})  # city-wide reading (complaints, flags, PSM pages)
KELOLA = frozenset({"admin", "staf"})  # back-office work: imports, verifying, entering households
HANYA_PSM = frozenset({"psm"})


@dataclass(frozen=True)
class V:
    """One way to open a URL name: the record in its path (``objek``) or in its query string
    (``param``: (name, kind)), and what an allowed role gets for GET and for an empty POST
    (``None``: the page takes no POST)."""

    peran: frozenset | str
    objek: str | None = None
    param: tuple[str, str] | None = None
    kwargs: dict = field(default_factory=dict)
    get: int = 200
    post: int | None = None
    # Per-role overrides of the allowed answer, e.g. {"psm": 302} (a PSM's home is elsewhere).
    get_peran: dict = field(default_factory=dict)
    post_peran: dict = field(default_factory=dict)
    # An allowed role's empty POST is a valid form that clears a field (unassign the officer, unlink
    # the PSM, empty the public reply): it writes. A refused one still writes nothing.
    kosong_menulis: bool = False

    @property
    def berobjek(self) -> bool:
        return bool(self.objek or self.param)


def _aksi(peran, objek, kosong_menulis=False):
    """A POST-only action: GET is 405 before any lookup, an empty POST goes back with a message."""
    return [V(peran, objek, get=405, post=302, kosong_menulis=kosong_menulis)]


MATRIKS: dict[str, list[V]] = {
    # akun
    "login": [V(PUBLIK, post=200, get_peran=dict.fromkeys(SEMUA, 302), post_peran=dict.fromkeys(SEMUA, 302))],
    "logout": [V(PUBLIK, get=405, post=302)],
    "home": [V(SEMUA, get_peran={"psm": 302})],
    "healthz": [V(PUBLIK)],
    # penduduk
    "penduduk:list": [V(SEMUA)],
    "penduduk:detail": [V(SEMUA, "penduduk"), V(SEMUA, "penduduk_lintas")],
    "penduduk:akses": [V(KELOLA, "penduduk")],  # the person's access log (UU PDP)
    "penduduk:create": [V(TULIS, post=200), V(TULIS, param=("keluarga", "keluarga"), post=200)],
    "penduduk:update": [V(TULIS, "penduduk", post=200), V(TULIS, "penduduk_lintas", post=200)],
    "penduduk:keluarga-list": [V(SEMUA)],
    "penduduk:keluarga-detail": [V(SEMUA, "keluarga")],
    "penduduk:keluarga-create": [V(TULIS, post=200)],
    "penduduk:keluarga-update": [V(TULIS, "keluarga", post=200)],
    # ppks
    "ppks:list": [V(SEMUA)],
    "ppks:detail": [V(SEMUA, "ppks")],
    "ppks:create": [V(TULIS, post=200), V(TULIS, param=("penduduk", "penduduk"), post=200)],
    "ppks:update": [V(TULIS, "ppks", post=200)],
    "ppks:kasus-board": [V(SEMUA)],
    "ppks:kasus-list": [V(SEMUA)],
    "ppks:kasus-detail": [V(SEMUA, "kasus"), V(SEMUA, "kasus_lintas")],
    "ppks:kasus-create": [V(TULIS, post=200), V(TULIS, param=("penduduk", "penduduk"), post=200)],
    "ppks:kasus-update": [V(TULIS, "kasus", post=200), V(TULIS, "kasus_lintas", post=200)],
    "ppks:kasus-status": _aksi(TULIS, "kasus"),
    "ppks:kasus-buka": _aksi(TULIS, "kasus"),
    "ppks:kasus-tindakan": [V(TULIS, "kasus", get=405, post=200)],
    "ppks:kasus-rujukan": [V(TULIS, "kasus", get=405, post=200)],
    "ppks:rujukan-status": _aksi(TULIS, "rujukan"),
    # One's own alert only (the record is per user): see _pk().
    "ppks:notifikasi-baca": _aksi(SEMUA, "notifikasi"),
    # psm
    "psm:beranda": [V(HANYA_PSM)],
    "psm:ikrar": [V(HANYA_PSM, post=302)],
    "psm:kunjungan-list": [V(SEMUA)],
    "psm:kunjungan-create": [
        V(TULIS, param=("penduduk", "penduduk"), post=200),
        V(TULIS, param=("keluarga", "keluarga"), post=200),
        V(TULIS, param=("kasus", "kasus"), post=200),
    ],
    "psm:kunjungan-detail": [V(SEMUA, "kunjungan"), V(SEMUA, "kunjungan_lintas")],
    "psm:kunjungan-foto": [V(SEMUA, "kunjungan")],
    "psm:list": [V(KOTA)],
    "psm:detail": [V(KOTA, "profil")],
    "psm:create": [V(KELOLA, post=200)],
    "psm:update": [V(KELOLA, "profil", post=200)],
    "psm:alihkan": [V(KELOLA, "profil", post=200)],
    "psm:ikrar-rekap": [V(KOTA)],
    "psm:cakupan": [V(KOTA)],
    "psm:beban": [V(KOTA)],
    # kemiskinan
    "kemiskinan:progres": [V(SEMUA)],
    "kemiskinan:list": [V(SEMUA)],
    "kemiskinan:detail": [V(SEMUA, "keluarga_miskin")],
    "kemiskinan:masuk": [V(KELOLA, post=302), V(KELOLA, param=("keluarga", "keluarga"), post=200)],
    "kemiskinan:intervensi": [V(KELOLA, "keluarga_miskin", post=200)],
    "kemiskinan:usul-keluar": [V(TULIS, "status", post=200)],
    "kemiskinan:verifikasi": [V(KELOLA, "usulan", post=200)],
    # bantuan
    "bantuan:penyaluran-list": [V(SEMUA)],
    "bantuan:penyaluran-detail": [V(SEMUA, "penyaluran"), V(SEMUA, "penyaluran_lintas")],
    "bantuan:penyaluran-create": [
        V(KELOLA, post=200),
        V(KELOLA, param=("penduduk", "penduduk"), post=200),
        V(KELOLA, param=("keluarga", "keluarga"), post=200),
    ],
    "bantuan:penyaluran-update": [V(KELOLA, "penyaluran", post=200)],
    "bantuan:penyaluran-massal": [V(KELOLA, post=200)],
    "bantuan:menunggu": [V(SEMUA)],
    "bantuan:konfirmasi": [V(TULIS, "penyaluran", post=200)],
    "bantuan:konfirmasi-foto": [V(SEMUA, "penyaluran_terkonfirmasi")],
    "bantuan:bendera-list": [V(KOTA)],
    "bantuan:bendera-detail": [V(KOTA, "bendera")],
    "bantuan:bendera-selesaikan": [V(KELOLA, "bendera", get=405, post=200)],
    # pengaduan: public pages, then staff pages (a PSM never)
    "pengaduan:buat": [V(PUBLIK, post=200)],
    "pengaduan:terkirim": [V(PUBLIK)],
    "pengaduan:lacak": [V(PUBLIK, post=200)],
    "pengaduan:list": [V(KOTA)],
    "pengaduan:detail": [V(KOTA, "pengaduan")],
    "pengaduan:lampiran": [V(KOTA, "pengaduan")],
    "pengaduan:tugaskan": _aksi(KELOLA, "pengaduan", kosong_menulis=True),
    "pengaduan:status": _aksi(KELOLA, "pengaduan"),
    "pengaduan:tutup": _aksi(KELOLA, "pengaduan"),
    "pengaduan:buka": _aksi(KELOLA, "pengaduan"),
    "pengaduan:tanggapan": _aksi(KELOLA, "pengaduan", kosong_menulis=True),
    "pengaduan:psm": _aksi(KELOLA, "pengaduan", kosong_menulis=True),
    "pengaduan:penyaluran-tautkan": _aksi(KELOLA, "pengaduan"),
    "pengaduan:penyaluran-lepas": _aksi(KELOLA, "pengaduan"),
    # dasbor
    "dasbor:index": [V(SEMUA)],
    "dasbor:laporan": [V(SEMUA)],
    "dasbor:laporan-xlsx": [V(SEMUA)],
    # impor (not per kelurahan: every job is shared Admin/Staf work)
    "impor:unggah": [V(KELOLA, post=200)],
    "impor:riwayat": [V(KELOLA)],
    "impor:templat": [V(KELOLA, kwargs={"kode": "penduduk"})],
    "impor:progres": [V(KELOLA, "tugas_hasil")],
    "impor:progres-bagian": [V(KELOLA, "tugas_hasil")],
    "impor:pratinjau": [V(KELOLA, "tugas_pratinjau")],
    "impor:konfirmasi": _aksi(KELOLA, "tugas_pratinjau"),
    "impor:hasil": [V(KELOLA, "tugas_hasil")],
    "impor:ditolak-xlsx": [V(KELOLA, "tugas_hasil")],
}

# Records not kept per kelurahan: a PSM of the other side is not "out of scope" for them (a PSM
# never reaches them anyway: 403 from the role).
TANPA_WILAYAH = {"tugas_hasil", "tugas_pratinjau"}
# The access log of personal data (akun.akses): written when a page shows personal data.
TABEL_LOG = "akun_logakses"


def _nama_url(resolver=None, prefix=""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # the back office guards itself (tests/keamanan/test_kebocoran.py)
            yield from _nama_url(p, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def _peran_dasar(peran: str) -> str:
    return "psm" if peran.startswith("psm") else peran


def _pk(dunia, jenis: str, peran: str, sisi: str) -> int:
    if jenis == "notifikasi":
        # Your own alert about the case of ``sisi``; a PSM of the other side tries that side's PSM's.
        milik = peran if (peran, sisi) in dunia.notifikasi else f"psm_{sisi}"
        return dunia.notifikasi[milik, sisi].pk
    return dunia.pk(jenis, sisi)


def _url(dunia, nama: str, v: V, peran: str, sisi: str | None) -> str:
    kwargs = dict(v.kwargs)
    if v.objek:
        kwargs["pk"] = _pk(dunia, v.objek, peran, sisi)
    url = reverse(nama, kwargs=kwargs or None)
    if v.param:
        url += f"?{v.param[0]}={dunia.pk(v.param[1], sisi)}"
    return url


def _harapan(v: V, peran: str, sisi: str | None, metode: str) -> int | str:
    """The expected status (or "login" for the redirect to the login page)."""
    izin = v.peran
    dasar = _peran_dasar(peran)
    boleh = v.get if metode == "get" else v.post
    khusus = v.get_peran if metode == "get" else v.post_peran
    if izin == PUBLIK:
        return khusus.get(dasar, boleh)
    if peran == "anonim":
        return "login"
    if dasar not in izin:
        return 403
    jenis = v.objek or (v.param and v.param[1])
    keluar_wilayah = peran.startswith("psm") and sisi and peran != f"psm_{sisi}" and jenis not in TANPA_WILAYAH
    if metode == "get" and boleh == 405:
        return 405  # refused by method before anything is looked up: says nothing about the record
    if keluar_wilayah:
        return 404
    return khusus.get(dasar, boleh)


def _cek_jawaban(resp, harapan, konteks: str) -> list[str]:
    gagal = []
    if harapan == "login":
        lokasi = resp.get("Location", "")
        if resp.status_code != 302 or not lokasi.startswith(reverse("login")) or REDIRECT_FIELD_NAME not in lokasi:
            gagal.append(f"{konteks}: harap dialihkan ke login, dapat {resp.status_code} {lokasi}")
    elif resp.status_code != harapan:
        gagal.append(f"{konteks}: harap {harapan}, dapat {resp.status_code}")
    return gagal


def _cek_bocor(dunia, resp, peran: str, konteks: str, hitungan) -> list[str]:
    if peran not in ("psm_a", "pimpinan"):
        return []
    teks = isi_teks(resp)
    temuan = bocoran(teks, dunia.penanda_b) if peran == "psm_a" else bocoran(teks, dunia.nomor_lengkap)
    hitungan.n["bocoran"] += len(temuan)
    return [f"{konteks}: BOCOR {t}" for t in temuan]


def test_setiap_nama_url_ada_di_matriks():
    """A URL name added to the URLconf without a matrix entry (or an entry for a name that is gone)
    fails here."""
    nama = set(_nama_url())
    assert sorted(nama - set(MATRIKS)) == [], "URL tanpa baris di MATRIKS (tests/keamanan/test_matriks_akses.py)"
    assert sorted(set(MATRIKS) - nama) == []


def test_matriks_sama_dengan_peta_izin():
    """The roles the design allows are the roles ``akun.permissions.URL_ACCESS`` allows."""
    beda = {}
    for nama, varian in MATRIKS.items():
        harapan = {v.peran for v in varian}
        assert len(harapan) == 1, nama
        (harapan,) = harapan
        peta = URL_ACCESS.get(nama)
        peta = peta if peta == PUBLIK else frozenset(str(p) for p in peta or ())
        if peta != harapan:
            beda[nama] = (sorted(peta) if peta != PUBLIK else PUBLIK, sorted(harapan) if harapan != PUBLIK else PUBLIK)
    assert beda == {}


@pytest.mark.parametrize("nama", sorted(MATRIKS))
def test_matriks(dunia, hitungan, nama):
    gagal: list[str] = []
    for v in MATRIKS[nama]:
        for peran in PERAN:
            for sisi in SISI if v.berobjek else (None,):
                url = _url(dunia, nama, v, peran, sisi)
                konteks = f"{nama} {peran} {sisi or '-'} GET {url}"
                resp = dunia.klien(peran).get(url)
                hitungan.n["kasus"] += 1
                gagal += _cek_jawaban(resp, _harapan(v, peran, sisi, "get"), konteks)
                gagal += _cek_bocor(dunia, resp, peran, konteks, hitungan)
                if v.post is None:
                    continue
                konteks = f"{nama} {peran} {sisi or '-'} POST {url}"
                harapan = _harapan(v, peran, sisi, "post")
                with rekam() as tulis:
                    resp = dunia.klien(peran).post(url, {})
                hitungan.n["kasus"] += 1
                gagal += _cek_jawaban(resp, harapan, konteks)
                gagal += _cek_bocor(dunia, resp, peran, konteks, hitungan)
                # Nothing filled in writes nothing, whoever sends it (marking one's own alert as read
                # is the one action without a form). A page an allowed role sees again may log that
                # it showed personal data (akun.akses); a refused request logs nothing either.
                ditulis = tulis.berarti
                if harapan in (403, 404, "login"):
                    ditulis = tulis.berarti + [t for t in tulis.tabel if t == TABEL_LOG]
                else:
                    ditulis = [t for t in ditulis if t != TABEL_LOG]
                boleh_menulis = harapan not in (403, 404, "login") and (
                    v.kosong_menulis or nama == "ppks:notifikasi-baca"
                )
                if ditulis and not boleh_menulis:
                    gagal.append(f"{konteks}: menulis {sorted(set(ditulis))} (harap {harapan})")
    assert gagal == [], "\n".join(gagal)


def _isian_sah(dunia, sisi: str) -> dict[str, tuple[str, dict]]:
    """URL name -> (url, a body that the allowed role's request saves) for records of ``sisi``."""
    from django.utils import timezone

    from tests.factories import data_form_penduduk

    hari_ini = timezone.localdate().strftime("%d/%m/%Y")
    kasus, orang = dunia.pk("kasus", sisi), dunia.objek["penduduk", sisi]
    return {
        "ppks:kasus-tindakan": (
            reverse("ppks:kasus-tindakan", args=[kasus]),
            {"jenis": "catatan", "uraian": "Isian usil"},
        ),
        "ppks:kasus-status": (reverse("ppks:kasus-status", args=[kasus]), {"status": "diverifikasi"}),
        "ppks:kasus-rujukan": (
            reverse("ppks:kasus-rujukan", args=[kasus]),
            {"jenis_lembaga": "kesehatan", "nama_lembaga": "RSUD Usil", "tanggal": hari_ini},
        ),
        "ppks:rujukan-status": (
            reverse("ppks:rujukan-status", args=[dunia.pk("rujukan", sisi)]),
            {"status": "diterima"},
        ),
        "bantuan:konfirmasi": (
            reverse("bantuan:konfirmasi", args=[dunia.pk("penyaluran", sisi)]),
            {"nilai_diterima": "600000", "tanggal_terima": hari_ini, "nama_pengonfirmasi": "Usil"},
        ),
        "penduduk:update": (
            reverse("penduduk:update", args=[orang.pk]),
            data_form_penduduk(
                orang.kelurahan,
                nama="Nama Usil",
                nik=orang.nik,
                jenis_kelamin=orang.jenis_kelamin,
                keluarga=orang.keluarga_id,
                hubungan=orang.hubungan,
                versi=getattr(orang, "versi", ""),
            ),
        ),
    }


@pytest.mark.parametrize(
    "nama",
    [
        "ppks:kasus-tindakan",
        "ppks:kasus-status",
        "ppks:kasus-rujukan",
        "ppks:rujukan-status",
        "bantuan:konfirmasi",
        "penduduk:update",
    ],
)
def test_isian_sah_ditolak_tanpa_menulis(dunia, hitungan, nama):
    """A body the PSM of A saves for a record of A (the control: it writes) is refused for Pimpinan
    (403) and for the PSM of B (404), with nothing written."""
    url, isian = _isian_sah(dunia, "a")[nama]
    for peran, harapan in (("pimpinan", 403), ("psm_b", 404), ("anonim", 302)):
        with rekam() as tulis:
            resp = dunia.klien(peran).post(url, isian)
        hitungan.n["kasus"] += 1
        assert resp.status_code == harapan, (peran, resp.status_code)
        assert tulis.berarti == [], (peran, tulis.berarti)
        assert TABEL_LOG not in tulis.tabel, peran
    with rekam() as tulis:
        resp = dunia.klien("psm_a").post(url, isian)
    hitungan.n["kasus"] += 1
    assert resp.status_code == 302, resp.context and resp.context.get("form") and resp.context["form"].errors
    assert tulis.berarti, "the control body saves nothing: the refusals above prove nothing"
