"""Browser tests: Playwright drives Debian's Chromium against Django's ``live_server``.

Never ``playwright install``: the tests use /usr/bin/chromium. Without it they are skipped, unless
``REQUIRE_BROWSER=1`` (CI), where a missing browser is an error: browser tests must never be
silently skipped there.

Tests that use ``live_server`` need ``@pytest.mark.django_db(transaction=True, serialized_rollback=True)``:
the 47 kelurahan come from a data migration and a transactional flush would otherwise remove them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

# Playwright's sync API runs an event loop in the test thread; the ORM would refuse to run there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import BrowserContext, ConsoleMessage, Locator, Page, Response  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402

from tests.factories import PASSWORD, KeluargaFactory, PendudukFactory  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parents[1]
SCREENSHOT_DIR = REPO_ROOT / "artifacts" / "screenshots"

UKURAN = {
    # A common Android phone: 390x844 CSS px, touch, mobile viewport rules (meta viewport applies).
    "ponsel": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    # The narrowest phone PSM pages must serve (DESIGN.md: usable at 360 px).
    "ponsel-360": {
        "viewport": {"width": 360, "height": 740},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    # A Dinsos office laptop.
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}


def _browser_wajib() -> bool:
    return os.environ.get("REQUIRE_BROWSER") == "1"


ALASAN_TANPA_CHROMIUM = f"{CHROMIUM} tidak ada: tes browser (e2e) dilewati. Pasang paket Debian `chromium`."


def pytest_collection_modifyitems(config, items):
    """Mark every test in tests/e2e as ``e2e``; skip them (visibly) when there is no Chromium."""
    tanpa_chromium = not CHROMIUM.exists() and not _browser_wajib()
    for item in items:
        if E2E_DIR not in Path(str(item.path)).resolve().parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if tanpa_chromium:
            item.add_marker(pytest.mark.skip(reason=ALASAN_TANPA_CHROMIUM))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        if _browser_wajib():
            pytest.fail(
                f"REQUIRE_BROWSER=1 but {CHROMIUM} does not exist: the browser tests cannot run. "
                "Install Debian's `chromium` package (never `playwright install`).",
                pytrace=False,
            )
        pytest.skip(ALASAN_TANPA_CHROMIUM)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def _koneksi_django(django_db_setup) -> dict:
    """Django's database connection objects as sync test code sees them, once the test database exists."""
    return {alias: connections[alias] for alias in connections}


@pytest.fixture(scope="session")
def playwright(_koneksi_django, playwright):
    """Keep Django on the same connection objects once Playwright's event loop runs in the test thread.

    asgiref stores Django's connections per thread, but per *context* while an event loop runs in the
    thread, and Playwright's sync API runs one. Without this, test code after Playwright starts gets
    fresh connection objects that lack the serialized data of ``serialized_rollback`` (the 47
    kelurahan): after the first transactional flush they would be gone. That happens whenever the
    test database was created before the first browser test, i.e. in every full run.
    """
    for alias, koneksi in _koneksi_django.items():
        connections[alias] = koneksi
    return playwright


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "id-ID", "timezone_id": "Asia/Jakarta"}


@pytest.fixture(scope="session")
def folder_tangkapan() -> Path:
    """artifacts/screenshots/ at the repo root (git-ignored), emptied once per run.

    Under pytest-xdist the workers share the folder, so nothing is deleted there (files are
    overwritten by name anyway).
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        for lama in SCREENSHOT_DIR.glob("*.png"):
            lama.unlink(missing_ok=True)
    return SCREENSHOT_DIR


# Chromium logs the main document of a 403/404 page as a failed resource; that one is expected.
_GAGAL_MUAT = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")

# Lists the elements that stick out past the viewport, to make an overflow failure readable.
_JS_MELUBER = """() => {
  const lebar = document.documentElement.clientWidth;
  const hasil = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= lebar + 0.5) continue;
    let dalamScroll = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox === 'auto' || ox === 'scroll' || ox === 'hidden') { dalamScroll = true; break; }
    }
    if (dalamScroll) continue;
    const cls = typeof el.className === 'string' ? el.className.trim() : '';
    const kelas = cls ? '.' + cls.split(/\\s+/).join('.') : '';
    hasil.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${kelas} (kanan=${Math.round(r.right)})`);
    if (hasil.length >= 8) break;
  }
  return {scrollWidth: document.documentElement.scrollWidth, lebar, hasil};
}"""


@dataclass
class Sesi:
    """One browser context (one user on one device) with the checks every page gets."""

    context: BrowserContext
    page: Page
    base_url: str
    ukuran: str
    awalan: str
    folder: Path
    galat_konsol: list[tuple[str, str]] = field(default_factory=list)  # (message, URL it came from)
    halaman_galat: dict[str, int] = field(default_factory=dict)  # URL -> the 4xx status the test asked for

    def url(self, path: str) -> str:
        return self.base_url + path

    def buka(self, path: str, *, status: int = 200) -> Response:
        if status != 200:
            self.halaman_galat[self.url(path)] = status
        resp = self.page.goto(self.url(path), wait_until="load")
        assert resp is not None, path
        assert resp.status == status, f"{path}: HTTP {resp.status}, diharapkan {status}"
        return resp

    def masuk(self, username: str, password: str = PASSWORD) -> None:
        """Log in through the real login form."""
        self.buka("/masuk/")
        self.page.get_by_label("Nama pengguna").fill(username)
        self.page.get_by_label("Kata sandi").fill(password)
        with self.page.expect_navigation():
            self.tekan(self.page.get_by_role("button", name="Masuk"))
        assert "/masuk/" not in self.page.url, f"login {username} gagal"

    @property
    def di_ponsel(self) -> bool:
        return bool(UKURAN[self.ukuran].get("is_mobile"))

    def tekan(self, target: Locator) -> None:
        """Tap on the phone (a touch event, as a PSM does), click on the desktop."""
        if self.di_ponsel:
            target.tap()
        else:
            target.click()

    def masuk_langsung(self, user) -> None:
        """Start logged in (a session cookie from Django's test client), for pages that are not about login."""
        client = Client()
        client.force_login(user)
        nama = settings.SESSION_COOKIE_NAME
        self.context.add_cookies([{"name": nama, "value": client.cookies[nama].value, "url": self.base_url}])

    def foto(self, nama: str) -> Path:
        """Whole-page screenshot: artifacts/screenshots/<awalan>-<nama>-<ukuran>.png.

        The viewport is stretched to the page height for the shot instead of ``full_page=True``,
        which leaves the sticky save bar of the forms in the middle of the picture, over the fields.
        """
        path = self.folder / f"{self.awalan}-{nama}-{self.ukuran}.png"
        layar = self.page.viewport_size
        tinggi = self.page.evaluate("() => document.documentElement.scrollHeight")
        if layar is None or tinggi <= layar["height"]:
            self._jepret(path)
            return path
        self.page.set_viewport_size({"width": layar["width"], "height": tinggi})
        try:
            self._jepret(path)
        finally:
            self.page.set_viewport_size(layar)
        return path

    def _jepret(self, path: Path) -> None:
        """One retry: on a loaded 2-core machine Chromium sometimes answers a capture right after a
        resize with "Unable to capture screenshot" (a compositor frame not ready yet)."""
        try:
            self.page.screenshot(path=str(path))
        except PlaywrightError as galat:
            if "Unable to capture screenshot" not in str(galat):
                raise
            self.page.wait_for_timeout(500)
            self.page.screenshot(path=str(path))

    def cek_tidak_meluber(self) -> None:
        """No horizontal scrolling on a phone (only checked at the phone width)."""
        if not self.di_ponsel:
            return
        lebar = UKURAN[self.ukuran]["viewport"]["width"]
        info = self.page.evaluate(_JS_MELUBER)
        assert info["scrollWidth"] <= lebar, (
            f"{self.page.url} meluber ke samping pada {lebar}px: scrollWidth={info['scrollWidth']}; "
            f"elemen: {info['hasil']}"
        )

    def cek_konsol_bersih(self) -> None:
        galat = [f"{teks} @ {url}" for teks, url in self.galat_konsol if not self._galat_diharapkan(teks, url)]
        assert galat == [], f"galat di konsol browser (CSP?): {galat}"

    def _galat_diharapkan(self, teks: str, url: str) -> bool:
        """Only the 403/404 of the page itself, when the test asked for that page's status."""
        m = _GAGAL_MUAT.search(teks)
        return bool(m and self.halaman_galat.get(url) == int(m.group(1)))

    def cek_halaman(self, *, judul: str | None = None, h1: str | None = None) -> None:
        """Title and heading as expected, no overflow at phone width, no console errors."""
        if judul is not None:
            assert self.page.title() == f"{judul} · Payakumbuh Sosial"
        if h1 is not None:
            heading = self.page.locator("h1").first.inner_text()
            assert h1 in heading, f"h1 {heading!r} tidak memuat {h1!r}"
        self.cek_tidak_meluber()
        self.cek_konsol_bersih()


@pytest.fixture
def buat_sesi(new_context, live_server, folder_tangkapan) -> Callable[..., Sesi]:
    """``buat_sesi("ponsel", "awalan")``: a fresh browser context at that size, collecting console errors.

    Screenshots of the session are named ``<awalan>-<nama>-<ukuran>.png``.
    """

    def _buat(ukuran: str, awalan: str) -> Sesi:
        context = new_context(**UKURAN[ukuran])
        context.set_default_timeout(10_000)
        page = context.new_page()
        sesi = Sesi(context, page, live_server.url, ukuran, awalan, folder_tangkapan)

        def _konsol(msg: ConsoleMessage) -> None:
            if msg.type == "error":
                sesi.galat_konsol.append((msg.text, msg.location.get("url", "")))

        page.on("console", _konsol)
        page.on("pageerror", lambda exc: sesi.galat_konsol.append((f"pageerror: {exc}", page.url)))
        return sesi

    return _buat


TELEPON_SITI = "081311112222"


def buat_keluarga_siti(kelurahan, *, alamat: str):
    """The household both browser suites use: Bujang Sutan (head) and Siti Rahmah (wife), with a phone."""
    keluarga = KeluargaFactory(kelurahan=kelurahan, alamat=alamat)
    kepala = PendudukFactory(
        keluarga=keluarga, kelurahan=kelurahan, hubungan="kepala", nama="Bujang Sutan", pekerjaan="Petani"
    )
    siti = PendudukFactory(
        keluarga=keluarga,
        kelurahan=kelurahan,
        hubungan="istri",
        nama="Siti Rahmah",
        jenis_kelamin="P",
        tanggal_lahir=dt.date(1988, 2, 3),
        telepon=TELEPON_SITI,
    )
    return keluarga, kepala, siti
