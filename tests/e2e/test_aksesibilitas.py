"""Issue 13, point 7: accessibility. Every page, for every role, scanned by axe-core at 390 px and 1366 px;
the main forms used with the keyboard alone.

The scan (``test_pindai``, one test per role): ``seed_demo`` data (every kind of record, in every state
the pages show), one browser context per width, each page of the role opened once and scanned with axe-core
(shipped by the PyPI package axe-playwright-python) on the WCAG 2.0/2.1/2.2 A and AA rules. Every
violation of impact "serious" or "critical" fails the test, listed by page, rule and element. The pages
include the error states users meet (wrong password, a form sent with mistakes, a tracked complaint, the
login lockout, 400/403/404/500/503). All violations (the moderate ones too) are written to
artifacts/aksesibilitas/<role>-<width>.json.

``test_semua_halaman_terdaftar`` keeps the list complete: every URL name of ``akun.permissions.URL_ACCESS``
that a role may open is scanned for that role, or is listed in ``BUKAN_HALAMAN`` with the reason (POST
only, a download, an htmx fragment). Admin sees exactly the pages Staf sees, rendered by the same
templates (the test checks both facts), so Admin's scan covers what only Admin has: the back office
(Django admin) and verifying a Staf member's proposal.

The keyboard tests (``test_keyboard_*``): on the login, visit, person and complaint forms, Tab from the
top of the page (or from the field focused on load) reaches every field of the form in document order;
each focused element shows a focus ring (the browser's own, or 2px with 3:1 contrast) and is not hidden
under the sticky save bar (the two long forms are also tried at phone width, where it covers most); the
fields are filled by typing (Space ticks a box or a radio button) and Enter on the submit button sends
the form.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.template import loader
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from akun.permissions import PUBLIK, URL_ACCESS, peran_boleh
from akun.roles import Peran
from tests.e2e.conftest import REPO_ROOT, Sesi
from tests.factories import PASSWORD, PendudukFactory
from tests.psm import berikrar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Axe()
# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe's tags); best-practice rules are not part of the bar.
OPSI_AXE = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
DAMPAK_GAGAL = {"serious", "critical"}
LAPORAN_DIR = REPO_ROOT / "artifacts" / "aksesibilitas"

UKURAN_PINDAI = ["ponsel", "desktop"]  # 390x844 phone, 1366x900 office laptop (tests/e2e/conftest.py)
PERAN_PINDAI = ["publik", "psm", "staf", "pimpinan", "admin"]
PERAN_USER = {"psm": Peran.PSM, "staf": Peran.STAF, "pimpinan": Peran.PIMPINAN, "admin": Peran.ADMIN}

# URL names that are no page to scan, with the reason. Checked against URL_ACCESS below.
BUKAN_HALAMAN = {
    "logout": "POST only",
    "healthz": "plain-text health check",
    "ppks:kasus-status": "POST only (form on the case page)",
    "ppks:kasus-buka": "POST only (form on the case page)",
    "ppks:kasus-tindakan": "POST only (form on the case page)",
    "ppks:kasus-rujukan": "POST only (form on the case page)",
    "ppks:rujukan-status": "POST only (form on the case page)",
    "ppks:notifikasi-baca": "POST only (button on the home page)",
    "psm:kunjungan-foto": "image download",
    "bantuan:konfirmasi-foto": "image download",
    "bantuan:bendera-selesaikan": "POST only (form on the flag page)",
    "pengaduan:lampiran": "file download",
    "pengaduan:tugaskan": "POST only (form on the complaint page)",
    "pengaduan:status": "POST only (form on the complaint page)",
    "pengaduan:tutup": "POST only (form on the complaint page)",
    "pengaduan:buka": "POST only (form on the complaint page)",
    "pengaduan:tanggapan": "POST only (form on the complaint page)",
    "pengaduan:psm": "POST only (form on the complaint page)",
    "pengaduan:penyaluran-tautkan": "POST only (form on the complaint page)",
    "pengaduan:penyaluran-lepas": "POST only (form on the complaint page)",
    "dasbor:laporan-xlsx": "xlsx download",
    "impor:templat": "xlsx download",
    "impor:ditolak-xlsx": "xlsx download",
    "impor:progres-bagian": "htmx fragment of the progress page",
    "impor:konfirmasi": "POST only (buttons on the preview page)",
}
# Per role: URL names the role may open that lead elsewhere.
PENGALIHAN = {"psm": {"home": "a PSM's home redirects to psm:beranda (scanned)"}}


@dataclass(frozen=True)
class Halaman:
    nama: str  # URL name (or a label for pages without one)
    peran: tuple[str, ...]
    args: Callable[[SimpleNamespace], list] | None = None
    query: Callable[[SimpleNamespace], str] | None = None
    status: int = 200
    aksi: Callable[[Sesi, SimpleNamespace], None] | None = None  # brings the page into the state scanned
    id: str = ""
    path: str = ""  # a fixed path (error pages)

    @property
    def label(self) -> str:
        return self.id or self.nama


# --- actions that bring a page into the state that is scanned ------------------------------------


def _masuk_salah(s: Sesi, o) -> None:
    s.page.get_by_label("Nama pengguna").fill("staf")
    s.page.get_by_label("Kata sandi").fill("bukan-sandinya")
    with s.page.expect_navigation():
        s.page.get_by_role("button", name="Masuk").click()
    expect(s.page.get_by_text("kata sandi salah")).to_be_visible()


def _terkunci(s: Sesi, o) -> None:
    """Five failures for one name from this address (django-axes), then the sixth try in the browser."""
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "warga.lupa", "password": "salah"})
    s.page.get_by_label("Nama pengguna").fill("warga.lupa")
    s.page.get_by_label("Kata sandi").fill("salah")
    with s.page.expect_navigation():
        s.page.get_by_role("button", name="Masuk").click()
    expect(s.page.get_by_role("heading", name="Terlalu banyak percobaan masuk yang gagal")).to_be_visible()


def _pengaduan_kosong(s: Sesi, o) -> None:
    with s.page.expect_navigation():
        s.page.get_by_role("button", name="Kirim pengaduan").click()
    expect(s.page.locator(".invalid-feedback").first).to_be_visible()


def _lacak(s: Sesi, o) -> None:
    s.page.get_by_label("Kode lacak").fill(o.kode_lacak)
    with s.page.expect_navigation():
        s.page.get_by_role("button", name="Lacak").click()
    expect(s.page.locator("#status-pengaduan")).to_be_visible()


def _nik_salah(s: Sesi, o) -> None:
    s.page.get_by_label("NIK").fill("1376 0112 345")
    s.page.get_by_label("Nama lengkap").fill("Rina Marlina")
    with s.page.expect_navigation():
        s.page.get_by_role("button", name="Simpan").click()
    expect(s.page.get_by_text("Data belum tersimpan")).to_be_visible()


def _halaman_server(template: str, status: int) -> Callable[[Sesi, SimpleNamespace], None]:
    """500 and 503 cannot be caused on purpose: the browser gets the page Django would send, from the
    live server's own address (its CSS and CSP as in production)."""

    def _aksi(s: Sesi, o) -> None:
        html = loader.get_template(template).render()
        url = s.url(f"/uji-aksesibilitas/{status}/")
        s.page.route(url, lambda route: route.fulfill(status=status, body=html, content_type="text/html"))
        resp = s.page.goto(url)
        assert resp is not None and resp.status == status

    return _aksi


def _arg(attr: str) -> Callable[[SimpleNamespace], list]:
    return lambda o: [getattr(o, attr)]


SEMUA = ("psm", "staf", "pimpinan")  # Admin: see the module docstring
TULIS = ("psm", "staf")
KOTA = ("staf", "pimpinan")

HALAMAN: list[Halaman] = [
    # public
    Halaman("login", ("publik",)),
    Halaman("login", ("publik",), aksi=_masuk_salah, id="login-sandi-salah"),
    Halaman("login", ("publik",), aksi=_terkunci, id="login-terkunci"),
    Halaman("pengaduan:buat", ("publik",)),
    Halaman("pengaduan:buat", ("publik",), aksi=_pengaduan_kosong, id="pengaduan-belum-lengkap"),
    Halaman("pengaduan:terkirim", ("publik",)),
    Halaman("pengaduan:lacak", ("publik",)),
    Halaman("pengaduan:lacak", ("publik",), aksi=_lacak, id="pengaduan-lacak-hasil"),
    Halaman("500", ("publik",), aksi=_halaman_server("500.html", 500)),
    Halaman("503", ("publik",), aksi=_halaman_server("503.html", 503)),
    # home
    Halaman("home", ("staf", "pimpinan", "admin")),
    Halaman("psm:beranda", ("psm",)),
    Halaman("psm:ikrar", ("psm",)),
    # registry
    Halaman("penduduk:list", SEMUA),
    Halaman("penduduk:detail", SEMUA, args=_arg("penduduk")),
    Halaman("penduduk:create", TULIS),
    Halaman("penduduk:create", ("staf",), aksi=_nik_salah, id="penduduk-nik-salah"),
    Halaman("penduduk:update", TULIS, args=_arg("penduduk")),
    Halaman("penduduk:akses", ("staf",), args=_arg("penduduk")),
    Halaman("penduduk:keluarga-list", SEMUA),
    Halaman("penduduk:keluarga-detail", SEMUA, args=_arg("keluarga")),
    Halaman("penduduk:keluarga-create", TULIS),
    Halaman("penduduk:keluarga-update", TULIS, args=_arg("keluarga")),
    # PPKS and cases
    Halaman("ppks:list", SEMUA),
    Halaman("ppks:detail", SEMUA, args=_arg("ppks")),
    Halaman("ppks:create", TULIS),
    Halaman("ppks:update", TULIS, args=_arg("ppks")),
    Halaman("ppks:kasus-board", SEMUA),
    Halaman("ppks:kasus-list", SEMUA),
    Halaman("ppks:kasus-detail", SEMUA, args=_arg("kasus")),
    Halaman("ppks:kasus-create", TULIS),
    Halaman("ppks:kasus-update", TULIS, args=_arg("kasus")),
    # visits and PSM
    Halaman("psm:kunjungan-list", SEMUA),
    Halaman("psm:kunjungan-detail", SEMUA, args=_arg("kunjungan")),
    Halaman("psm:kunjungan-create", TULIS, query=lambda o: f"?penduduk={o.penduduk}"),
    Halaman("psm:list", KOTA),
    Halaman("psm:detail", KOTA, args=_arg("profil")),
    Halaman("psm:create", ("staf",)),
    Halaman("psm:update", ("staf",), args=_arg("profil")),
    Halaman("psm:alihkan", ("staf",), args=_arg("profil")),
    Halaman("psm:ikrar-rekap", KOTA),
    Halaman("psm:cakupan", KOTA),
    Halaman("psm:beban", KOTA),
    # extreme poverty
    Halaman("kemiskinan:progres", SEMUA),
    Halaman("kemiskinan:list", SEMUA),
    Halaman("kemiskinan:detail", SEMUA, args=_arg("keluarga_miskin")),
    Halaman("kemiskinan:masuk", ("staf",)),
    Halaman("kemiskinan:intervensi", ("staf",), args=_arg("keluarga_miskin")),
    Halaman("kemiskinan:usul-keluar", TULIS, args=_arg("status_terbuka")),
    Halaman("kemiskinan:verifikasi", ("staf", "admin"), args=_arg("usulan")),
    # assistance and integrity
    Halaman("bantuan:penyaluran-list", SEMUA),
    Halaman("bantuan:penyaluran-detail", SEMUA, args=_arg("penyaluran")),
    Halaman("bantuan:penyaluran-create", ("staf",)),
    Halaman("bantuan:penyaluran-update", ("staf",), args=_arg("penyaluran")),
    Halaman("bantuan:penyaluran-massal", ("staf",)),
    Halaman("bantuan:menunggu", SEMUA),
    Halaman("bantuan:konfirmasi", TULIS, args=_arg("penyaluran_disalurkan")),
    Halaman("bantuan:bendera-list", KOTA),
    Halaman("bantuan:bendera-detail", KOTA, args=_arg("bendera")),
    # complaints (staff)
    Halaman("pengaduan:list", KOTA),
    Halaman("pengaduan:detail", KOTA, args=_arg("pengaduan")),
    # dashboard and report
    Halaman("dasbor:index", SEMUA),
    Halaman("dasbor:laporan", SEMUA),
    # import
    Halaman("impor:unggah", ("staf",)),
    Halaman("impor:riwayat", ("staf",)),
    Halaman("impor:progres", ("staf",), args=_arg("tugas_berjalan")),
    Halaman("impor:pratinjau", ("staf",), args=_arg("tugas_pratinjau")),
    Halaman("impor:hasil", ("staf",), args=_arg("tugas_hasil")),
    # back office
    Halaman("admin:index", ("admin",)),
    Halaman("admin:penduduk_penduduk_changelist", ("admin",)),
    Halaman("admin:penduduk_penduduk_change", ("admin",), args=_arg("penduduk")),
    Halaman("admin:akun_user_changelist", ("admin",)),
    # error pages
    Halaman("400", ("staf",), path="/penduduk/?q=%00", status=400),
    Halaman("403", ("pimpinan",), path="/penduduk/baru/", status=403),
    Halaman("403", ("psm",), path="/psm/daftar/", status=403),
    Halaman("404", ("publik", "psm", "staf", "pimpinan"), path="/tidak-ada/", status=404),
    Halaman("404", ("psm",), args=_arg("penduduk_luar"), id="404-luar-wilayah", status=404),
]


def halaman_peran(peran: str) -> list[Halaman]:
    """The pages scanned for ``peran`` (declarations whose URL name no longer exists are skipped)."""
    hasil = []
    for h in HALAMAN:
        if peran not in h.peran:
            continue
        if not h.path and ":" in h.nama and h.nama not in URL_ACCESS and not h.nama.startswith("admin:"):
            continue
        hasil.append(h)
    return hasil


def _path(h: Halaman, o: SimpleNamespace) -> str:
    if h.path:
        return h.path
    if h.nama in ("500", "503"):
        return ""
    if h.id == "404-luar-wilayah":
        return reverse("penduduk:detail", args=h.args(o))
    return reverse(h.nama, args=h.args(o) if h.args else []) + (h.query(o) if h.query else "")


# --- data ---------------------------------------------------------------------------------------------


def _pk(qs, apa: str) -> int:
    obj = qs.order_by("pk").first()
    assert obj is not None, f"data demo tidak memuat {apa}"
    return obj.pk


def _objek(user) -> SimpleNamespace:
    """One record of each kind that ``user`` may see, in the state its pages need."""
    from bantuan.models import Bendera, Penyaluran
    from kemiskinan.models import StatusMiskinEkstrem, UsulanKeluar
    from penduduk.models import Keluarga, Penduduk
    from pengaduan.models import Pengaduan
    from ppks.models import PPKS, Kasus
    from psm.models import Kunjungan, ProfilPSM

    terbuka = StatusMiskinEkstrem.objects.for_user(user).filter(tanggal_keluar__isnull=True)
    terbuka = terbuka.exclude(usulan__status="diusulkan")
    o = SimpleNamespace(
        penduduk=_pk(Penduduk.objects.for_user(user), "penduduk"),
        keluarga=_pk(Keluarga.objects.for_user(user), "keluarga"),
        ppks=_pk(PPKS.objects.for_user(user), "PPKS"),
        kasus=_pk(Kasus.objects.for_user(user), "kasus"),
        kunjungan=_pk(Kunjungan.objects.for_user(user), "kunjungan"),
        keluarga_miskin=StatusMiskinEkstrem.objects.for_user(user).order_by("pk").first().keluarga_id,
        status_terbuka=_pk(terbuka, "KK miskin ekstrem tanpa usulan keluar"),
        penyaluran=_pk(Penyaluran.objects.for_user(user), "penyaluran"),
        penyaluran_disalurkan=_pk(Penyaluran.objects.for_user(user).filter(status="disalurkan"), "penyaluran"),
    )
    if user.is_psm:
        o.penduduk_luar = _pk(Penduduk.objects.exclude(pk__in=Penduduk.objects.for_user(user)), "penduduk lain")
    if not user.is_psm:
        o.profil = _pk(ProfilPSM.objects.all(), "profil PSM")
        o.bendera = _pk(Bendera.objects.all(), "bendera")
        o.pengaduan = _pk(Pengaduan.objects.all(), "pengaduan")
        o.usulan = _pk(UsulanKeluar.objects.filter(status="diusulkan").exclude(diusulkan_oleh=user), "usulan keluar")
    return o


def _psm_demo():
    """A demo PSM who has taken the pledge, in a kelurahan with every kind of record."""
    from akun.models import User
    from kemiskinan.models import StatusMiskinEkstrem
    from psm.models import PersetujuanIkrar

    kelurahan = set(
        StatusMiskinEkstrem.objects.filter(tanggal_keluar__isnull=True)
        .exclude(usulan__status="diusulkan")
        .values_list("keluarga__kelurahan", flat=True)
    )
    calon = User.objects.filter(peran=Peran.PSM, is_active=True, kelurahan__in=kelurahan).distinct().order_by("pk")
    for user in calon:
        if not PersetujuanIkrar.objects.filter(user=user).exists():
            continue
        try:
            return user, _objek(user)
        except AssertionError:
            continue
    raise AssertionError("data demo tidak memuat PSM berikrar dengan semua jenis data di kelurahannya")


def _tugas_impor(staf, tmp_path: Path) -> dict[str, int]:
    """An import checked (preview), one saved (result) and one running (progress), as a user makes them."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from impor.models import StatusImpor, TugasImpor
    from tests.impor.conftest import isi_dasar, tulis_csv

    client = Client()
    client.force_login(staf)
    isi = isi_dasar()
    isi[2][12] = "31/02/1980"  # one rejected row, so the preview lists an error
    path = tulis_csv(tmp_path / "dtks-aksesibilitas.csv", isi, pemisah=";")
    berkas = SimpleUploadedFile(path.name, path.read_bytes())
    client.post(reverse("impor:unggah"), {"jenis": "penduduk", "berkas": berkas, "lembar": ""})
    pratinjau = TugasImpor.objects.order_by("-pk").first()
    assert pratinjau is not None and pratinjau.uji_coba and pratinjau.status == StatusImpor.SELESAI
    client.post(reverse("impor:konfirmasi", args=[pratinjau.pk]), {"mode": "lewati"})
    hasil = TugasImpor.objects.order_by("-pk").first()
    assert hasil.pk != pratinjau.pk and hasil.status == StatusImpor.SELESAI
    # Checking a second copy gives a preview that can still be confirmed.
    berkas = SimpleUploadedFile(path.name, path.read_bytes())
    client.post(reverse("impor:unggah"), {"jenis": "penduduk", "berkas": berkas, "lembar": ""})
    pratinjau = TugasImpor.objects.order_by("-pk").first()
    berjalan = TugasImpor.objects.create(
        jenis="penduduk", nama_berkas="besar.xlsx", dibuat_oleh=staf, status=StatusImpor.BERJALAN, progres=40
    )
    return {"tugas_pratinjau": pratinjau.pk, "tugas_hasil": hasil.pk, "tugas_berjalan": berjalan.pk}


def _pengguna_dan_objek(peran: str, tmp_path: Path):
    """The role's user (None: not logged in) and the records its pages open. Public pages need one
    complaint to track; the others get ``seed_demo`` (250 households: the smallest registry that holds
    the extreme-poverty story of 41 KK / 222 jiwa)."""
    from akun.models import User
    from tests.pengaduan.factories import PengaduanFactory

    if peran == "publik":
        return None, SimpleNamespace(kode_lacak=PengaduanFactory().kode_lacak)
    call_command("seed_demo", "--keluarga", "250", "--izinkan-tanpa-debug", stdout=StringIO())
    if peran == "psm":
        return _psm_demo()
    user = User.objects.get(username=peran)
    o = _objek(user)
    if peran == "staf":
        for nama, pk in _tugas_impor(user, tmp_path).items():
            setattr(o, nama, pk)
    return user, o


# --- the scan -----------------------------------------------------------------------------------------


def _pindai(s: Sesi) -> list[dict]:
    return AXE.run(s.page, options=OPSI_AXE).response["violations"]


def _pindai_ukuran(buat_sesi, user, o, peran: str, ukuran: str, daftar: list[Halaman]) -> list[str]:
    """One browser context at ``ukuran``: every page of ``daftar`` opened and scanned once."""
    s = buat_sesi(ukuran, "aksesibilitas")
    if user is not None:
        s.masuk_langsung(user)
    gagal: list[str] = []
    laporan: list[dict] = []
    detik: dict[str, float] = {}
    for h in daftar:
        mulai = time.perf_counter()
        path = _path(h, o)
        if path:
            resp = s.page.goto(s.url(path), wait_until="load")
            assert resp is not None and resp.status == h.status, f"{h.label}: HTTP {resp and resp.status}"
            assert s.page.url == s.url(path), f"{h.label}: dialihkan ke {s.page.url}"
        if h.aksi:
            h.aksi(s, o)
        for v in _pindai(s):
            for node in v["nodes"]:
                target = " ".join(map(str, node["target"]))
                laporan.append({"halaman": h.label, "url": s.page.url, "aturan": v["id"], "dampak": v["impact"],
                                "elemen": target, "html": node["html"][:300]})  # fmt: skip
                if v["impact"] in DAMPAK_GAGAL:
                    gagal.append(f"{h.label} @ {ukuran} ({s.page.url}): {v['id']} [{v['impact']}] {target}")
        detik[h.label] = round(time.perf_counter() - mulai, 2)
    s.context.close()
    LAPORAN_DIR.mkdir(parents=True, exist_ok=True)
    ringkas = {"peran": peran, "ukuran": ukuran, "halaman": detik, "pelanggaran": laporan}
    (LAPORAN_DIR / f"{peran}-{ukuran}.json").write_text(json.dumps(ringkas, indent=1, ensure_ascii=False))
    return gagal


@pytest.mark.parametrize("peran", PERAN_PINDAI)
def test_pindai(buat_sesi, tmp_path, peran: str):
    user, o = _pengguna_dan_objek(peran, tmp_path)
    daftar = halaman_peran(peran)
    assert len(daftar) >= 5
    gagal = [g for ukuran in UKURAN_PINDAI for g in _pindai_ukuran(buat_sesi, user, o, peran, ukuran, daftar)]
    assert gagal == [], f"{len(gagal)} pelanggaran serius/kritis (axe) untuk {peran}:\n" + "\n".join(gagal)


def test_semua_halaman_terdaftar():
    """Every page a role may open is scanned for that role, or is no page (BUKAN_HALAMAN, with a reason)."""
    dipindai = {p: {h.nama for h in halaman_peran(p)} for p in PERAN_PINDAI}
    for peran in PERAN_PINDAI:
        if peran == "publik":
            boleh = {n for n, aturan in URL_ACCESS.items() if aturan == PUBLIK}
        else:
            boleh = {n for n in URL_ACCESS if peran_boleh(PERAN_USER[peran], n) and URL_ACCESS[n] != PUBLIK}
        if peran == "admin":
            continue  # below
        kurang = boleh - dipindai[peran] - set(BUKAN_HALAMAN) - set(PENGALIHAN.get(peran, {}))
        assert kurang == set(), f"halaman {peran} tanpa pindaian aksesibilitas: {sorted(kurang)}"
        lebih = {n for n in dipindai[peran] if n in URL_ACCESS} - boleh
        assert lebih == set(), f"{peran} tidak boleh membuka {sorted(lebih)}"
    assert set(BUKAN_HALAMAN) <= set(URL_ACCESS), set(BUKAN_HALAMAN) - set(URL_ACCESS)
    # Admin: the same pages as Staf (so Staf's scan covers them), plus the back office.
    for nama in URL_ACCESS:
        assert peran_boleh(Peran.ADMIN, nama) == peran_boleh(Peran.STAF, nama), nama
    assert {n for n in dipindai["admin"] if n.startswith("admin:")} and "kemiskinan:verifikasi" in dipindai["admin"]


def test_template_tidak_membedakan_admin_dan_staf():
    """The premise of scanning the shared pages once, as Staf: no template branches on Admin."""
    templates = REPO_ROOT / "templates"
    for berkas in templates.rglob("*.html"):
        if berkas.is_relative_to(templates / "admin"):
            continue
        teks = berkas.read_text()
        for tanda in ("is_admin", "is_superuser", "Peran.ADMIN", "'admin'", '"admin"'):
            assert tanda not in teks, f"{berkas.relative_to(REPO_ROOT)} membedakan admin ({tanda})"


# --- keyboard -----------------------------------------------------------------------------------------

# What the focused element is, whether a focus indicator shows and whether the sticky save bar hides it.
_JS_FOKUS = r"""async (formSel) => {
  // Let any scroll that brings the focused element into view finish: scrollY the same three frames running.
  const frame = () => new Promise((ok) => requestAnimationFrame(() => ok()));
  for (let i = 0, tetap = 0, y = scrollY; i < 120 && tetap < 3; i++) {
    await frame();
    tetap = scrollY === y ? tetap + 1 : 0;
    y = scrollY;
  }
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const form = document.querySelector(formSel);
  const s = getComputedStyle(el);
  // The indicator: the browser's own focus ring ("auto"), or a 2px outline with 3:1 against what is behind it.
  const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((t, v, i) => t + v * [0.2126, 0.7152, 0.0722][i], 0);
  let latar = [255, 255, 255];
  for (let n = el.parentElement; n; n = n.parentElement) {
    const c = rgb(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0)) { latar = c; break; }
  }
  const [terang, gelap] = [lum(rgb(s.outlineColor)), lum(latar)].sort((a, b) => b - a);
  const kontras = (terang + 0.05) / (gelap + 0.05);
  const indikator = s.outlineStyle === 'auto'
    || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && kontras >= 3);
  const r = el.getBoundingClientRect();
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
  const y2 = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
  const kena = document.elementFromPoint(x, y2);
  const label = kena && kena.closest('label');
  const terlihat = !!kena && (kena === el || el.contains(kena) || (label && label.control === el));
  const kunci = el.name ? `${el.tagName.toLowerCase()}[name=${el.name}]`
    : (el.id ? '#' + el.id : `${el.tagName.toLowerCase()}:${(el.innerText || '').trim().slice(0, 30)}`);
  return {kunci, diForm: !!form && form.contains(el), kirim: el.type === 'submit' && !!form && form.contains(el),
          indikator, kontras: Math.round(kontras * 10) / 10, terlihat, dalamLayar: r.bottom > 0 && r.top < innerHeight};
}"""

# The form's controls a keyboard user must reach, in document order, up to its submit button.
_JS_HARUS = """(formSel) => {
  const form = document.querySelector(formSel);
  const hasil = [];
  const radio = new Set();
  for (const el of form.querySelectorAll('input, select, textarea, button, a[href], summary, [tabindex]')) {
    if (el.type === 'hidden' || el.disabled || el.tabIndex < 0) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    if (el.tagName !== 'SUMMARY' && el.closest('details:not([open])')) continue;
    if (el.type === 'radio') {
      if (radio.has(el.name)) continue;
      const grup = [...form.querySelectorAll(`input[type=radio][name="${el.name}"]`)];
      const dipilih = grup.find((r) => r.checked) || grup[0];
      radio.add(el.name);
      if (dipilih !== el) { hasil.push(`input[name=${el.name}]`); continue; }
    }
    const kunci = el.name ? `${el.tagName.toLowerCase()}[name=${el.name}]`
      : (el.id ? '#' + el.id : `${el.tagName.toLowerCase()}:${(el.innerText || '').trim().slice(0, 30)}`);
    hasil.push(kunci);
    if (el.type === 'submit') break;
  }
  return hasil;
}"""


def _isi_dengan_keyboard(page: Page, form: str, isian: dict[str, Callable[[Page], None]], batas: int = 80) -> None:
    """Tab from the top of the page to the form's submit button, filling ``isian`` (field name -> keys) on
    the way; then Enter. Checks order, focus indicator and that nothing hides the focused element."""
    # Bootstrap scrolls smoothly; where the focused element ends up is the same without the animation.
    page.emulate_media(reduced_motion="reduce")
    dilihat: list[dict] = []
    sudah: set[str] = set()
    # A field focused on load (autofocus) is where the user starts; otherwise the top of the page.
    awal = page.evaluate("() => document.activeElement !== document.body")
    for i in range(batas):
        if i or not awal:
            page.keyboard.press("Tab")
        info = page.evaluate(_JS_FOKUS, form)
        assert info is not None, f"fokus hilang setelah {[d['kunci'] for d in dilihat]}"
        dilihat.append(info)
        nama = info["kunci"].split("[name=")[-1].rstrip("]") if "[name=" in info["kunci"] else None
        if nama in isian and nama not in sudah:
            isian[nama](page)
            sudah.add(nama)
        if info["kirim"]:
            break
    else:
        pytest.fail(f"tombol kirim tidak tercapai dengan Tab dalam {batas} langkah: {[d['kunci'] for d in dilihat]}")
    assert sudah == set(isian), f"kolom tidak tercapai dengan Tab: {set(isian) - sudah}"
    tanpa_indikator = [(d["kunci"], d["kontras"]) for d in dilihat if not d["indikator"]]
    assert tanpa_indikator == [], f"fokus tidak terlihat pada {tanpa_indikator}"
    tertutup = [d["kunci"] for d in dilihat if not (d["terlihat"] and d["dalamLayar"])]
    assert tertutup == [], f"elemen berfokus tertutup atau di luar layar: {tertutup}"
    urutan = [d["kunci"] for d in dilihat if d["diForm"]]
    assert urutan == page.evaluate(_JS_HARUS, form), "urutan Tab di formulir tidak sama dengan urutan kolomnya"
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _ketik(teks: str) -> Callable[[Page], None]:
    return lambda page: page.keyboard.type(teks)


def _tekan(*tombol: str) -> Callable[[Page], None]:
    def _aksi(page: Page) -> None:
        for t in tombol:
            page.keyboard.press(t)

    return _aksi


def test_keyboard_masuk(buat_sesi, user_staf):
    s = buat_sesi("desktop", "aksesibilitas-keyboard")
    s.buka(reverse("login"))
    _isi_dengan_keyboard(s.page, "main form", {"username": _ketik(user_staf.username), "password": _ketik(PASSWORD)})
    expect(s.page).to_have_url(s.url(reverse("home")))
    expect(s.page.get_by_role("button", name="Keluar")).to_be_visible()


@pytest.mark.parametrize("ukuran", UKURAN_PINDAI)
def test_keyboard_kunjungan(buat_sesi, psm_a, kelurahan_a, ukuran):
    from psm.models import Kunjungan

    berikrar(psm_a)
    warga = PendudukFactory(kelurahan=kelurahan_a, nama="Siti Rahmah")
    s = buat_sesi(ukuran, "aksesibilitas-keyboard")
    s.masuk_langsung(psm_a)
    s.buka(reverse("psm:kunjungan-create") + f"?penduduk={warga.pk}")
    _isi_dengan_keyboard(
        s.page,
        "main form",
        {
            "temuan": _ketik("Rumah bocor, makan dua kali sehari."),
            "perlu_tindak_lanjut": _tekan("Space"),
            "tindak_lanjut": _ketik("Usulkan bedah rumah."),
        },
    )
    kunjungan = Kunjungan.objects.get(penduduk=warga)
    assert kunjungan.perlu_tindak_lanjut and kunjungan.tindak_lanjut == "Usulkan bedah rumah."
    assert kunjungan.tanggal == dt.date.today()


@pytest.mark.parametrize("ukuran", UKURAN_PINDAI)
def test_keyboard_penduduk(buat_sesi, user_staf, kelurahan_a, ukuran):
    from penduduk.models import Penduduk

    s = buat_sesi(ukuran, "aksesibilitas-keyboard")
    s.masuk_langsung(user_staf)
    s.buka(reverse("penduduk:create"))
    _isi_dengan_keyboard(
        s.page,
        "main form",
        {
            "nama": _ketik("Rina Marlina"),
            "jenis_kelamin": _tekan("ArrowDown", "ArrowDown"),  # (kosong) -> Laki-laki -> Perempuan
            "tanggal_lahir": _ketik("03/02/1988"),
            "kelurahan": _ketik(kelurahan_a.nama),  # typing on a closed select picks the option
            "alamat": _ketik("Jl. Soekarno Hatta No. 5"),
        },
    )
    p = Penduduk.objects.get(nama="Rina Marlina")
    assert (p.kelurahan, p.jenis_kelamin, p.tanggal_lahir) == (kelurahan_a, "P", dt.date(1988, 2, 3))
    expect(s.page).to_have_url(s.url(p.get_absolute_url()))


def test_keyboard_pengaduan(buat_sesi):
    from pengaduan.models import Pengaduan

    s = buat_sesi("desktop", "aksesibilitas-keyboard")
    s.buka(reverse("pengaduan:buat"))
    _isi_dengan_keyboard(
        s.page,
        "main form",
        {
            "kategori": _tekan("Space"),  # the first choice: pungli
            "isi": _ketik("Bantuan sembako dipotong dua puluh ribu rupiah oleh oknum di kantor kelurahan."),
            "lokasi": _ketik("RT 02 RW 01"),
            "anonim": _tekan("Space"),
        },
    )
    expect(s.page.get_by_role("heading", name="Pengaduan terkirim")).to_be_visible()
    p = Pengaduan.objects.get()
    assert p.kategori == "pungli" and p.anonim and p.lokasi == "RT 02 RW 01"
    # The tracking page, with the code typed and Enter pressed in its field.
    s.page.get_by_role("link", name="Lacak pengaduan").focus()
    with s.page.expect_navigation():
        s.page.keyboard.press("Enter")
    s.page.get_by_label("Kode lacak").focus()
    s.page.keyboard.type(p.kode_lacak)
    with s.page.expect_navigation():
        s.page.keyboard.press("Enter")
    expect(s.page.locator("#status-pengaduan")).to_have_text("Diterima")
