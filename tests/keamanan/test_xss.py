"""Issue 13, point 4: stored XSS. Every free-text field of every model holds markup, then every page
that can show it is opened, and the markup must only ever appear escaped.

Fields are found by introspection (every editable ``CharField``/``TextField`` without choices of
every project model), so a new field is covered without touching this file. Each field gets its own
number inside the payload, so the test knows which fields a page rendered: every field must show up
escaped on at least one page (or be listed in ``TIDAK_DITAMPILKAN`` with the reason), which proves
the check looked at it. The payloads are written through ``bulk_update_with_history``, so the
history pages show them as a change, as after a real edit.

Out of scope: csv/xlsx exports (formula injection is tested in tests/ekspor).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pprint import pformat

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.test import Client
from django.urls import reverse
from simple_history.models import HistoricalChanges
from simple_history.utils import bulk_update_with_history

from akun.roles import Peran
from tests.keamanan._halaman import BUKAN_HTML, bangun_dunia, halaman_situs

pytestmark = pytest.mark.django_db

APP_PROYEK = ["akun", "wilayah", "penduduk", "ppks", "psm", "kemiskinan", "bantuan", "pengaduan", "impor"]

# Text fields that never hold markup because they are not free text (reason given); everything
# else an editable CharField/TextField without choices is filled.
DIKECUALIKAN = {
    "akun.User.password": "a password hash, never displayed",
    "wilayah.Kelurahan.slug": "a SlugField (validate_slug) that builds URLs and PSM usernames",
}

# Fields shown on no HTML page at all (only stored, exported or used in code); each must be
# listed here with the reason, or the test fails when it is not rendered anywhere.
TIDAK_DITAMPILKAN: dict[str, str] = {
    "pengaduan.PermintaanPublik.kunci": "HMAC of a client address, only counted for the public rate limits",
}


def payload_panjang(n: int) -> str:
    return f'<script>alert({n})</script>"><img src=x onerror=alert({n})>'


def payload_sedang(n: int) -> str:
    return f"<script>alert({n})</script>"


def payload_pendek(n: int) -> str:
    return f'"><x{n}>'


MENTAH = re.compile(r"<script>alert\((\d+)\)|<img src=x onerror=alert\((\d+)\)|<x(\d+)>")
TERLOLOS = re.compile(r"&lt;script&gt;alert\((\d+)\)|onerror=alert\((\d+)\)&gt;|&lt;x(\d+)&gt;")


@dataclass
class Bidang:
    no: int
    model: type[models.Model]
    nama: str
    max_length: int | None
    unik: bool

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.nama}"

    def nilai(self, urut: int) -> str | None:
        akhiran = f"#{urut}" if self.unik else ""
        for buat in (payload_panjang, payload_sedang, payload_pendek):
            v = buat(self.no) + akhiran
            if self.max_length is None or len(v) <= self.max_length:
                return v
        return None


def bidang_teks() -> tuple[list[Bidang], dict[str, str]]:
    """Every editable free-text field of the project's models (historical copies excluded: they are
    filled through the history of the tracked model). Returns the fields and those too short."""
    bidang, terlalu_pendek = [], {}
    no = 0
    for label in APP_PROYEK:
        for model in apps.get_app_config(label).get_models():
            if issubclass(model, HistoricalChanges) or model._meta.proxy:
                continue
            for f in model._meta.concrete_fields:
                if not isinstance(f, (models.CharField, models.TextField)) or not f.editable or f.choices:
                    continue
                nama = f"{model._meta.label}.{f.name}"
                if nama in DIKECUALIKAN:
                    continue
                no += 1
                b = Bidang(no, model, f.name, f.max_length, f.unique)
                if b.nilai(999) is None:
                    terlalu_pendek[nama] = f"max_length {f.max_length}"
                    continue
                bidang.append(b)
    return bidang, terlalu_pendek


def ditolak_database(bidang: list[Bidang]) -> dict[str, str]:
    """Fields whose markup the database itself refuses (a CheckConstraint such as NIK's 16 digits):
    tried one by one in a savepoint, then left out of the payload run."""
    ditolak = {}
    for b in bidang:
        obj = b.model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        try:
            with transaction.atomic():
                b.model._default_manager.filter(pk=obj.pk).update(**{b.nama: b.nilai(0)})
                transaction.set_rollback(True)
        except IntegrityError as e:
            ditolak[b.label] = str(e).splitlines()[0]
        except PermissionError:
            pass  # append-only (akun.LogAkses): filled by new rows in isi_payload
    return ditolak


def isi_payload(bidang: list[Bidang]) -> list[str]:
    """Write each field's payload into every row of its model; returns the models without a row
    (their fields could not be checked: the world in tests/keamanan/_halaman.py needs one)."""
    per_model: dict[type[models.Model], list[Bidang]] = {}
    for b in bidang:
        per_model.setdefault(b.model, []).append(b)
    kosong = []
    for model, daftar in per_model.items():
        objek = list(model._default_manager.order_by("pk"))
        if not objek:
            kosong.append(model._meta.label)
            continue
        for urut, obj in enumerate(objek):
            for b in daftar:
                setattr(obj, b.nama, b.nilai(urut))
        nama_field = [b.nama for b in daftar]
        if hasattr(model._meta, "simple_history_manager_attribute"):
            bulk_update_with_history(objek, model, nama_field, batch_size=200)
            continue
        try:
            with transaction.atomic():
                model._default_manager.bulk_update(objek, nama_field, batch_size=200)
        except PermissionError:
            # An append-only log (akun.LogAkses) refuses updates: add rows holding the payload instead.
            for obj in objek:
                obj.pk = None
                obj._state.adding = True
            model._default_manager.bulk_create(objek)
    return kosong


def _cari(pola: re.Pattern, teks: str) -> set[int]:
    return {int(next(g for g in m.groups() if g)) for m in pola.finditer(teks)}


def test_pola_payload_mengenali_mentah_dan_terlolos():
    """The two patterns tell raw markup from escaped markup, for all three payload sizes."""
    from django.utils.html import escape

    for buat in (payload_panjang, payload_sedang, payload_pendek):
        p = buat(42)
        assert _cari(MENTAH, f"<p>{p}</p>") == {42}
        assert _cari(MENTAH, f"<p>{escape(p)}</p>") == set()
        assert _cari(TERLOLOS, f'<input value="{escape(p)}">') == {42}


def test_xss_tersimpan_tidak_pernah_tampil_mentah(cast, kelurahan_a, keluarga_a, penduduk_a):
    dunia = bangun_dunia(cast, kelurahan_a, keluarga_a, penduduk_a)
    # Detail pages write the access log (who saw a full NIK): open a few first so that it has rows.
    pemanasan = Client()
    pemanasan.force_login(cast["staf"])
    for nama, kunci in [("penduduk:detail", "penduduk"), ("ppks:detail", "ppks"), ("ppks:kasus-detail", "kasus")]:
        assert pemanasan.get(reverse(nama, kwargs={"pk": dunia[kunci].pk})).status_code == 200
    bidang, terlalu_pendek = bidang_teks()
    ditolak = ditolak_database(bidang)
    bidang = [b for b in bidang if b.label not in ditolak]
    tanpa_baris = isi_payload(bidang)
    per_no = {b.no: b.label for b in bidang}

    mentah: dict[str, set[str]] = {}
    tampil: set[int] = set()
    dibuka = 0

    galat: dict[str, int] = {}

    def periksa(url: str, resp):
        nonlocal dibuka
        if resp.status_code >= 500:
            galat[url] = resp.status_code
        if resp.status_code != 200 or not resp["Content-Type"].startswith("text/html"):
            return
        dibuka += 1
        html = resp.content.decode()
        for no in _cari(MENTAH, html):
            mentah.setdefault(per_no.get(no, f"#{no}"), set()).add(url)
        tampil.update(_cari(TERLOLOS, html))

    for kunci in ["admin", "pimpinan", "psm_a"]:
        user = cast[kunci]
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for h in halaman_situs(dunia, user.peran, dengan_admin=user.peran == Peran.ADMIN):
            if h.nama in BUKAN_HTML:
                continue
            periksa(h.url, client.get(h.url))
    # The public pages, and the tracking page showing the public answer.
    anonim = Client(raise_request_exception=False)
    for h in halaman_situs(dunia, None):
        periksa(h.url, anonim.get(h.url))
    kode = dunia["pengaduan"].kode_lacak
    resp = anonim.post(reverse("pengaduan:lacak"), {"kode": kode})
    assert resp.status_code == 200
    periksa("pengaduan:lacak (POST)", resp)

    tak_tampil = sorted(set(per_no) - tampil)
    tak_tampil = [per_no[no] for no in tak_tampil if per_no[no] not in TIDAK_DITAMPILKAN]
    masalah = {
        "model tanpa baris di dunia uji": [
            m for m in tanpa_baris if not all(b.label in TIDAK_DITAMPILKAN for b in bidang if b.model._meta.label == m)
        ],
        "payload tampil tanpa di-escape": mentah,
        "halaman gagal dengan markup di data": galat,
        "field tidak tampil di halaman mana pun (tambahkan ke TIDAK_DITAMPILKAN)": tak_tampil,
    }
    ada = {k: v for k, v in masalah.items() if v}
    assert not ada, pformat(ada, width=120)
    print(  # noqa: T201  (the field x page figure on the terminal with -s)
        f"\nXSS: {len(bidang)} field x {dibuka} halaman = {len(bidang) * dibuka} pemeriksaan; "
        f"{len(tampil & set(per_no))} field tampil ter-escape; terlalu pendek: {terlalu_pendek}; "
        f"ditolak database: {sorted(ditolak)}"
    )


@pytest.mark.parametrize("kunci", ["staf", "psm_a"])
def test_xss_pantulan_dari_parameter_pencarian(cast, kelurahan_a, keluarga_a, penduduk_a, kunci):
    """Reflected: the search box (``q``) of every page, and the back office's search, echo the text
    escaped (the escaped form appears on the list pages, so the value was rendered)."""
    dunia = bangun_dunia(cast, kelurahan_a, keluarga_a, penduduk_a)
    user = cast[kunci]
    client = Client(raise_request_exception=False)
    client.force_login(user)
    payload = payload_panjang(7)
    mentah, galat, tampil = [], [], []
    for h in halaman_situs(dunia, user.peran, dengan_admin=user.peran == Peran.STAF):
        if h.nama in BUKAN_HTML or (h.nama.startswith("admin:") and not h.nama.endswith("_changelist")):
            continue
        resp = client.get(h.url, {"q": payload})
        if resp.status_code >= 500:
            galat.append(h.url)
        if resp.status_code != 200 or not resp["Content-Type"].startswith("text/html"):
            continue
        html = resp.content.decode()
        if _cari(MENTAH, html):
            mentah.append(h.url)
        if _cari(TERLOLOS, html):
            tampil.append(h.url)
    assert mentah == [] and galat == []
    assert len(tampil) >= 5, tampil
