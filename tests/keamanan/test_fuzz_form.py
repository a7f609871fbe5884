"""Issue 13, point 8: every form of the site, fuzzed with hypothesis.

Every POST-capable URL name (found by walking the URL resolver, not listed by hand) must have an
entry in ``ENTRI``; the test fails when one has none. Each entry names the roles allowed to post
it and the in-scope records it works on; its fields are *discovered*: the page that carries the
form is fetched as that role and its ``<form method="post">`` parsed (inputs, selects, textareas,
named buttons, formset rows), joined with the view's ``form_class`` fields. The GET filter forms
of every list page are found the same way (every page without URL arguments that holds a
``<form method="get">`` aimed at itself).

Hypothesis then sends, per example, the form as the page would, with some fields replaced by
hostile values (10k+ character strings, emoji, RTL marks, combining marks, control characters,
NUL, "-1", "1e309", "NaN", 30-digit numbers, dates in 1800 and 2200 and impossible dates, wrong
choice values, ids of other kelurahan / nonexistent / negative, lists instead of scalars, files
where text is expected) or dropped. Each example runs inside a savepoint that is rolled back, so
every example starts from the same records.

What must hold, for every example:
- no exception escapes the view (the test client re-raises it) and no 500;
- the status is one of 200 / 302 / 400 / 403 / 404 (and 429 on the rate-limited public pages);
- a 200 answer to a POST shows a validation message (unless the entry says the page answers 200
  on success, like the tracking lookup);
- when the request did not succeed (anything but a 302 without an error message), no row was
  written: the row count of every table of the project is unchanged. History tables are included,
  so a ``save()`` of a recorded model counts too; a bare ``QuerySet.update()`` of a model without
  history would not be seen.

The number of examples run across all forms is counted, printed and held to a minimum.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.messages import constants as message_constants
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from akun.permissions import PUBLIK, SELF_GUARDED_NAMESPACES, URL_ACCESS
from akun.roles import Peran
from tests.bantuan.factories import BenderaFactory, PenyaluranFactory
from tests.factories import (
    PASSWORD,
    KasusFactory,
    KeluargaFactory,
    PendudukFactory,
    PPKSFactory,
    ProfilPSMFactory,
    StatusMiskinEkstremFactory,
    TargetFactory,
    UserFactory,
    UsulanKeluarFactory,
)
from tests.pengaduan.factories import PengaduanFactory

pytestmark = pytest.mark.django_db

# Examples per POST entry and per GET filter page. A longer hunt:
#   FUZZ_CONTOH_POST=200 FUZZ_CONTOH_GET=80 .venv/bin/python -m pytest -n 0 -s tests/keamanan/test_fuzz_form.py
CONTOH_POST = int(os.environ.get("FUZZ_CONTOH_POST", 20))
CONTOH_GET = int(os.environ.get("FUZZ_CONTOH_GET", 10))


# --- the entries --------------------------------------------------------------------------------


@dataclass
class Entri:
    """How to fuzz one POST URL name.

    ``args`` and ``query`` take the world (``Dunia``) and give the URL arguments and a list of query
    strings to choose from; ``sumber`` names the page that carries the form when the URL itself
    answers POST only (``(url_name, args_fn)``). ``tanpa_kolom``: the form legitimately has no
    field (logout, "mark as read").  ``ok_200``: a 200 to a valid POST is a success page, not a
    refused form. ``isian`` gives valid values the page cannot show (a password, a tracking code),
    so that most examples get past the untouched fields and reach the service; ``tombol`` names a
    submit button only a later page shows (the second press of the bulk distribution form).
    """

    peran: tuple[str, ...]
    args: object = None
    query: object = None
    sumber: tuple | None = None
    tanpa_kolom: bool = False
    ok_200: bool = False
    publik: bool = False
    isian: object = None
    tombol: tuple[str, ...] = ()


def _tanpa(w):
    return []


ENTRI: dict[str, Entri] = {
    "login": Entri(("publik",), publik=True, isian=lambda w: {"username": "staf", "password": PASSWORD}),
    "logout": Entri(("staf", "pimpinan"), sumber=("home", _tanpa), tanpa_kolom=True),
    # penduduk
    "penduduk:create": Entri(("staf", "psm_a"), query=lambda w: [{}, {"keluarga": w.keluarga_a.pk}]),
    "penduduk:update": Entri(("staf", "psm_a", "admin"), args=lambda w: [w.penduduk_a.pk]),
    "penduduk:keluarga-create": Entri(("staf", "psm_a")),
    "penduduk:keluarga-update": Entri(("staf", "psm_a"), args=lambda w: [w.keluarga_a.pk]),
    # ppks
    "ppks:create": Entri(("staf", "psm_a"), query=lambda w: [{"penduduk": w.penduduk_lain.pk}]),
    "ppks:update": Entri(("staf", "psm_a"), args=lambda w: [w.ppks_a.pk]),
    "ppks:kasus-create": Entri(("staf", "psm_a"), query=lambda w: [{}, {"penduduk": w.penduduk_a.pk}]),
    "ppks:kasus-update": Entri(("staf", "psm_a"), args=lambda w: [w.kasus_a.pk]),
    "ppks:kasus-status": Entri(
        ("staf", "psm_a"), args=lambda w: [w.kasus_a.pk], sumber=("ppks:kasus-detail", lambda w: [w.kasus_a.pk])
    ),
    "ppks:kasus-buka": Entri(
        ("staf", "psm_a"),
        args=lambda w: [w.kasus_selesai.pk],
        sumber=("ppks:kasus-detail", lambda w: [w.kasus_selesai.pk]),
    ),
    "ppks:kasus-tindakan": Entri(
        ("staf", "psm_a"), args=lambda w: [w.kasus_a.pk], sumber=("ppks:kasus-detail", lambda w: [w.kasus_a.pk])
    ),
    "ppks:kasus-rujukan": Entri(
        ("staf", "psm_a"), args=lambda w: [w.kasus_a.pk], sumber=("ppks:kasus-detail", lambda w: [w.kasus_a.pk])
    ),
    "ppks:rujukan-status": Entri(
        ("staf", "psm_a"), args=lambda w: [w.rujukan_a.pk], sumber=("ppks:kasus-detail", lambda w: [w.kasus_a.pk])
    ),
    "ppks:notifikasi-baca": Entri(
        ("staf",), args=lambda w: [w.notifikasi_staf.pk], sumber=("home", _tanpa), tanpa_kolom=True
    ),
    # psm
    "psm:ikrar": Entri(("psm_baru",)),
    "psm:kunjungan-create": Entri(
        ("psm_a", "staf"),
        query=lambda w: [{"penduduk": w.penduduk_a.pk}, {"keluarga": w.keluarga_a.pk}, {"kasus": w.kasus_a.pk}],
    ),
    "psm:create": Entri(("staf", "admin"), query=lambda w: [{}, {"user": w.psm_baru.pk}]),
    "psm:update": Entri(("staf",), args=lambda w: [w.profil_a.pk]),
    "psm:alihkan": Entri(("staf", "admin"), args=lambda w: [w.profil_a.pk]),
    # kemiskinan
    "kemiskinan:masuk": Entri(("staf",), query=lambda w: [{"keluarga": w.keluarga_a.pk}]),
    "kemiskinan:intervensi": Entri(("staf",), args=lambda w: [w.status_1.keluarga_id]),
    "kemiskinan:usul-keluar": Entri(
        ("staf", "psm_a"),
        args=lambda w: [w.status_1.pk],
        isian=lambda w: {"bukti": "Berita acara verifikasi No. 7/BA/2024", "pengeluaran_per_kapita": "900000"},
    ),
    "kemiskinan:verifikasi": Entri(("staf", "admin"), args=lambda w: [w.usulan_2.pk]),
    # bantuan
    "bantuan:penyaluran-create": Entri(
        ("staf",), query=lambda w: [{}, {"keluarga": w.keluarga_a.pk}, {"penduduk": w.penduduk_a.pk}]
    ),
    "bantuan:penyaluran-update": Entri(("staf",), args=lambda w: [w.penyaluran_a.pk]),
    "bantuan:penyaluran-massal": Entri(("staf",), ok_200=True, tombol=("simpan",)),
    "bantuan:konfirmasi": Entri(("psm_a", "staf"), args=lambda w: [w.penyaluran_a.pk]),
    "bantuan:bendera-selesaikan": Entri(
        ("staf",), args=lambda w: [w.bendera_a.pk], sumber=("bantuan:bendera-detail", lambda w: [w.bendera_a.pk])
    ),
    # pengaduan (public)
    "pengaduan:buat": Entri(("publik",), publik=True),
    "pengaduan:lacak": Entri(("publik",), publik=True, ok_200=True, isian=lambda w: {"kode": w.pengaduan_a.kode_lacak}),
}
for _nama in ("tugaskan", "status", "tutup", "tanggapan", "psm", "penyaluran-tautkan", "penyaluran-lepas"):
    ENTRI[f"pengaduan:{_nama}"] = Entri(
        ("staf", "admin"),
        args=lambda w: [w.pengaduan_a.pk],
        sumber=("pengaduan:detail", lambda w: [w.pengaduan_a.pk]),
    )
ENTRI["pengaduan:penyaluran-tautkan"].isian = lambda w: {"penyaluran": str(w.penyaluran_b.pk)}
ENTRI["pengaduan:penyaluran-lepas"].isian = lambda w: {"penyaluran": str(w.penyaluran_a.pk)}
ENTRI["pengaduan:buka"] = Entri(
    ("staf",), args=lambda w: [w.pengaduan_selesai.pk], sumber=("pengaduan:detail", lambda w: [w.pengaduan_selesai.pk])
)
ENTRI["impor:unggah"] = Entri(("staf", "admin"))
ENTRI["impor:konfirmasi"] = Entri(
    ("staf",), args=lambda w: [w.tugas_pratinjau.pk], sumber=("impor:pratinjau", lambda w: [w.tugas_pratinjau.pk])
)


# --- URL introspection --------------------------------------------------------------------------


def _pola(patterns, ns=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            nama_ns = p.namespace or ns
            if nama_ns in SELF_GUARDED_NAMESPACES:
                continue
            yield from _pola(p.url_patterns, nama_ns)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{ns}:{p.name}" if ns else p.name), p


def _metode(pola: URLPattern) -> set[str]:
    kelas = getattr(pola.callback, "view_class", None)
    if kelas is None:  # a function view: GET only in this project (healthz)
        return {"get"}
    return {m for m in kelas.http_method_names if m in ("get", "post") and hasattr(kelas, m)}


def url_post() -> set[str]:
    return {nama for nama, p in _pola(get_resolver().url_patterns) if "post" in _metode(p)}


def url_get_tanpa_argumen() -> list[str]:
    hasil = []
    for nama, p in _pola(get_resolver().url_patterns):
        if "get" in _metode(p) and not p.pattern.regex.groupindex:
            hasil.append(nama)
    return sorted(set(hasil))


def test_setiap_url_post_punya_entri_fuzz():
    """A new POST view without an entry here fails: it would not be fuzzed."""
    tanpa = url_post() - set(ENTRI)
    assert not tanpa, f"POST URL names without a fuzz entry in ENTRI: {sorted(tanpa)}"
    usang = set(ENTRI) - url_post()
    assert not usang, f"ENTRI names URLs that no longer accept POST: {sorted(usang)}"


# --- form discovery -----------------------------------------------------------------------------


@dataclass
class Kolom:
    nama: str
    jenis: str  # text, hidden, select, checkbox, radio, file, textarea, submit, number, date, ...
    awal: list[str] = field(default_factory=list)
    pilihan: list[str] = field(default_factory=list)
    ganda: bool = False
    wajib: bool = False


@dataclass
class FormHTML:
    metode: str
    aksi: str
    kolom: dict[str, Kolom] = field(default_factory=dict)


class _Pengurai(HTMLParser):
    """Every <form> of a page with its named controls (also those outside it via ``form=``)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.form: list[FormHTML] = []
        self.per_id: dict[str, FormHTML] = {}
        self._kini: FormHTML | None = None
        self._select: Kolom | None = None
        self._opsi: dict | None = None
        self._textarea: tuple[FormHTML, Kolom] | None = None

    def _tujuan(self, attrs) -> FormHTML | None:
        if attrs.get("form") and attrs["form"] in self.per_id:
            return self.per_id[attrs["form"]]
        return self._kini

    def _kolom(self, f: FormHTML, nama: str, jenis: str, attrs: dict) -> Kolom:
        if nama not in f.kolom:
            f.kolom[nama] = Kolom(nama, jenis)
        f.kolom[nama].wajib = f.kolom[nama].wajib or "required" in attrs
        return f.kolom[nama]

    def handle_starttag(self, tag, attrs_list):
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "form":
            self._kini = FormHTML((attrs.get("method") or "get").lower(), attrs.get("action", ""))
            self.form.append(self._kini)
            if attrs.get("id"):
                self.per_id[attrs["id"]] = self._kini
            return
        f = self._tujuan(attrs)
        nama = attrs.get("name")
        if tag == "option" and self._select is not None:
            self._tutup_opsi()  # </option> may be left out
            self._opsi = {"value": attrs.get("value"), "teks": "", "selected": "selected" in attrs}
            return
        if f is None or not nama:
            return
        if tag == "input":
            jenis = (attrs.get("type") or "text").lower()
            if jenis in ("reset", "image"):
                return
            k = self._kolom(f, nama, jenis, attrs)
            nilai = attrs.get("value", "on" if jenis in ("checkbox", "radio") else "")
            if jenis in ("checkbox", "radio", "submit"):
                k.pilihan.append(nilai)
                if "checked" in attrs:
                    k.awal.append(nilai)
                k.ganda = k.ganda or (jenis == "checkbox" and len(k.pilihan) > 1)
            elif jenis != "file":
                k.awal = [nilai]
        elif tag == "button":
            if (attrs.get("type") or "submit").lower() == "submit":
                self._kolom(f, nama, "submit", attrs).pilihan.append(attrs.get("value", ""))
        elif tag == "select":
            self._select = self._kolom(f, nama, "select", attrs)
            self._select.ganda = "multiple" in attrs
        elif tag == "textarea":
            k = self._kolom(f, nama, "textarea", attrs)
            k.awal = [""]
            self._textarea = (f, k)

    def handle_data(self, data):
        if self._opsi is not None:
            self._opsi["teks"] += data
        if self._textarea is not None:
            self._textarea[1].awal[0] += data

    def _tutup_opsi(self):
        if self._opsi is not None and self._select is not None:
            nilai = self._opsi["value"] if self._opsi["value"] is not None else self._opsi["teks"].strip()
            self._select.pilihan.append(nilai)
            if self._opsi["selected"]:
                self._select.awal.append(nilai)
        self._opsi = None

    def handle_endtag(self, tag):
        if tag == "option":
            self._tutup_opsi()
        elif tag == "select":
            self._tutup_opsi()
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea[1].awal[0].startswith("\n"):
                self._textarea[1].awal[0] = self._textarea[1].awal[0][1:]
            self._textarea = None
        elif tag == "form":
            self._kini = None


def urai_form(html: str) -> list[FormHTML]:
    p = _Pengurai()
    p.feed(html)
    p.close()
    return p.form


def _path(aksi: str, halaman: str) -> str:
    return urlsplit(aksi).path if aksi else halaman


def form_untuk(html: str, halaman: str, tujuan: str, metode: str) -> dict[str, Kolom]:
    """The controls of every form on the page (at ``halaman``) that sends ``metode`` to ``tujuan``."""
    kolom: dict[str, Kolom] = {}
    for f in urai_form(html):
        if f.metode == metode and _path(f.aksi, halaman) == tujuan:
            for nama, k in f.kolom.items():
                kolom.setdefault(nama, k)
    kolom.pop("csrfmiddlewaretoken", None)
    return kolom


# --- hostile values -----------------------------------------------------------------------------

_HAPUS = object()  # "leave this field out"


@dataclass(frozen=True)
class Berkas:
    nama: str
    isi: bytes


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
teks_panjang = st.builds(
    lambda c, n: c * n,
    st.sampled_from(["a", "9", "😀", "ي", "x\u0301", "\u202e", "Ω", " "]),
    st.integers(min_value=10_000, max_value=20_000),
)
teks_unikode = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60
)  # no lone surrogates: no client could encode them
teks_khusus = st.sampled_from(
    [
        "😀👨‍👩‍👧‍👦🏳️‍🌈", "\u202eتجربة\u202c", "שלום עולם", "مرحبا بالعالم", "e\u0301\u0302\u0303\u0304\u0305",
        "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̔ͮ̇͐̇", "a\x00b", "\x00", "\x01\x02\x1b[31m\x7f", "\ufeffBOM", "\u200b\u200d\u2060",
        "<script>alert(1)</script>", "' OR 1=1 --", "{{ 7*7 }}{% debug %}", "%s%n%x", "=1+1", " ", "\r\n\t",
        "NULL", "None", "true", "[]", "{}", "../../etc/passwd", "Ａ１２３", "ǅ", "\U0010fffd",
    ]
)  # fmt: skip
angka_aneh = st.one_of(
    st.sampled_from(
        [
            "-1", "0", "-0", "1e309", "-1e309", "1e-400", "NaN", "nan", "inf", "-Infinity", "9" * 30, "-" + "9" * 30,
            str(2**31), str(2**63 - 1), str(2**63), str(2**64), "-" + str(2**63 + 1), "1,5", "1.000.000",
            "Rp1.288.680", "Rp -5", "0x1F", "١٢٣", "²", "1_000", "+5", "--1", " 12 ", "12a", "1e5", ".5", "5.",
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(repr),
)  # fmt: skip
_FORMAT_TANGGAL = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%m/%d/%Y", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M"]
tanggal_aneh = st.one_of(
    st.sampled_from(
        [
            "01/01/1800", "31/12/2200", "1800-01-01", "2200-12-31", "31/02/2024", "29/02/2023", "00/00/0000",
            "32/13/2024", "2024-02-30", "99/99/9999", "1/1/1", "0001-01-01", "9999-12-31", "10000-01-01",
            "15/06/2024 25:61", "2024-06-15T10:00", "2024-06-15T99:99", "kemarin", "1/1", "//", "-1/-1/-1",
            "15/06/2024 10:00:00+99:00",
        ]
    ),
    st.builds(lambda d, f: d.strftime(f), st.dates(min_value=dt.date(1000, 1, 1)), st.sampled_from(_FORMAT_TANGGAL)),
    st.builds(
        lambda d, f: d.strftime(f),
        st.datetimes(min_value=dt.datetime(1000, 1, 1)),
        st.sampled_from(_FORMAT_TANGGAL),
    ),
)  # fmt: skip
pilihan_salah = st.sampled_from(["bukan_pilihan", "ADMIN", "__all__", "semua", "Ya", "on", "off", "2", "L"])
berkas_aneh = st.builds(
    Berkas,
    st.sampled_from(["a.png", "a.pdf", "x.xlsx", "x.csv", "../../etc/passwd", "😀.jpg", "a" * 300 + ".png", "", "x"]),
    st.one_of(
        st.binary(max_size=512),
        st.sampled_from(
            [PNG, b"%PDF-1.4\n%\xe2\xe3\n", b"PK\x03\x04" + b"\x00" * 40, b"nik,nama\n1,a\n", b"<html></html>", b""]
        ),
    ),
)


def skalar_aneh(ids_asing: list[str], ids_dalam: list[str] = ()):
    return st.one_of(
        *([st.sampled_from(ids_dalam)] if ids_dalam else []),
        teks_panjang,
        teks_unikode,
        teks_khusus,
        angka_aneh,
        tanggal_aneh,
        pilihan_salah,
        st.sampled_from(ids_asing),
        st.just(""),
    )


def nilai_untuk(k: Kolom, ids_asing: list[str], ids_dalam: list[str]):
    """A hostile (or, sometimes, another valid) value for one control."""
    skalar = skalar_aneh(ids_asing, ids_dalam)
    pilihan = [p for p in k.pilihan if p != ""]
    pilihan_lain = [st.sampled_from(pilihan)] if pilihan else []
    return st.one_of(
        *pilihan_lain,
        skalar,
        skalar,
        st.lists(st.one_of(skalar, *pilihan_lain), min_size=2, max_size=3),
        berkas_aneh,
        st.just(_HAPUS),
    )


# --- baseline: the form as the page shows it ----------------------------------------------------


def _wajar(k: Kolom) -> str:
    nama = k.nama.lower()
    if k.jenis == "date" or "tanggal" in nama or "periode" in nama:
        return "15/06/2024"
    if k.jenis in ("datetime-local",) or "waktu" in nama:
        return "15/06/2024 10:00"
    if k.jenis == "number" or any(s in nama for s in ("nilai", "jiwa", "jumlah", "desil", "pengeluaran")):
        return "100000"
    if "telepon" in nama or "kontak" in nama:
        return "081234567890"
    if k.jenis == "email":
        return "uji@contoh.id"
    return "Uji fuzz: isian yang cukup panjang untuk lolos batas minimal."


def isian_awal(kolom: dict[str, Kolom]) -> dict:
    data: dict = {}
    for k in kolom.values():
        if k.jenis == "file":
            if k.wajib:
                data[k.nama] = Berkas("data.csv", b"NIK;NAMA\n1376011506850001;Uji\n")
            continue
        if k.jenis == "submit":
            if k.pilihan:
                data[k.nama] = k.pilihan[0]
            continue
        if k.jenis in ("checkbox", "radio"):
            if k.awal:
                data[k.nama] = k.awal if k.ganda else k.awal[0]
            elif k.jenis == "radio" and k.pilihan:
                data[k.nama] = k.pilihan[0]
            continue
        if k.jenis == "select":
            terisi = [p for p in k.pilihan if p != ""]
            if k.awal and (k.awal != [""] or not k.wajib or not terisi):
                data[k.nama] = k.awal if k.ganda else k.awal[0]
            elif terisi and not k.ganda:
                data[k.nama] = terisi[0]
            continue
        nilai = k.awal[0] if k.awal else ""
        if nilai == "" and k.wajib:  # what a person fills in; optional fields stay blank (honeypot!)
            nilai = _wajar(k)
        data[k.nama] = nilai
    return data


def siap_kirim(data: dict) -> dict:
    kirim = {}
    for nama, nilai in data.items():
        if nilai is _HAPUS:
            continue
        if isinstance(nilai, Berkas):
            kirim[nama] = SimpleUploadedFile(nilai.nama or "berkas", nilai.isi)
        elif isinstance(nilai, list):
            kirim[nama] = [SimpleUploadedFile(v.nama or "b", v.isi) if isinstance(v, Berkas) else v for v in nilai]
        else:
            kirim[nama] = nilai
    return kirim


# --- "nothing was written" ----------------------------------------------------------------------

_APP_PROYEK = {"akun", "wilayah", "penduduk", "ppks", "psm", "kemiskinan", "bantuan", "pengaduan", "impor", "dasbor"}
# Written on purpose whatever the outcome: the public pages' rate-limit counter, and the log of who
# viewed personal data (a refused form shown again still shows the record).
_BOLEH_BERUBAH = {"pengaduan_permintaanpublik", "akun_logakses"}


def _tabel() -> list[str]:
    nama = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in _APP_PROYEK | {"django_tasks_database"} and not model._meta.proxy:
            nama.add(model._meta.db_table)
    return sorted(nama - _BOLEH_BERUBAH)


class Penghitung:
    def __init__(self):
        tabel = _tabel()
        qn = connection.ops.quote_name
        self.tabel = tabel
        # Table names come from the models' own metadata, quoted by the backend: no outside input.
        self.sql = " UNION ALL ".join(f"SELECT {i}, COUNT(*) FROM {qn(t)}" for i, t in enumerate(tabel))  # noqa: S608

    def __call__(self) -> dict[str, int]:
        with connection.cursor() as c:
            c.execute(self.sql)
            return {self.tabel[i]: n for i, n in c.fetchall()}


def _selisih(a: dict, b: dict) -> dict:
    return {t: (a[t], b[t]) for t in a if a[t] != b[t]}


_TANDA_GALAT = re.compile(r"invalid-feedback|is-invalid|alert-danger|errorlist|text-danger|alert-warning")


def _ada_galat_di_konteks(resp) -> bool:
    from django.forms import BaseForm, BaseFormSet

    konteks = resp.context
    if konteks is None:
        return False
    for lapis in (
        getattr(konteks, "dicts", []) if not isinstance(konteks, list) else [d for c in konteks for d in c.dicts]
    ):
        for nilai in lapis.values() if isinstance(lapis, dict) else []:
            if isinstance(nilai, BaseForm) and nilai.is_bound and nilai.errors:
                return True
            if (
                isinstance(nilai, BaseFormSet)
                and nilai.is_bound
                and (nilai.total_error_count() or nilai.non_form_errors())
            ):
                return True
    return False


def _pesan(resp) -> list:
    simpan = getattr(resp.wsgi_request, "_messages", None)
    return list(getattr(simpan, "_queued_messages", [])) if simpan is not None else []


# --- the world ----------------------------------------------------------------------------------


class Dunia:
    pass


@pytest.fixture
def dunia(cast, kelurahan_a, kelurahan_b, keluarga_a, penduduk_a, penduduk_b, user_staf, psm_a, psm_b):
    from impor.models import StatusImpor, TugasImpor
    from ppks.models import Notifikasi, Rujukan
    from psm.models import Ikrar, PersetujuanIkrar

    w = Dunia()
    w.a, w.b = kelurahan_a, kelurahan_b
    w.pengguna = dict(cast)
    w.keluarga_a, w.penduduk_a, w.penduduk_b = keluarga_a, penduduk_a, penduduk_b
    PersetujuanIkrar.objects.create(user=psm_a, ikrar=Ikrar.terkini())
    w.psm_baru = UserFactory(username="psm.baru", peran=Peran.PSM, kelurahan=[kelurahan_a])
    w.pengguna["psm_baru"] = w.psm_baru
    psm_a2 = UserFactory(username="psm.kedua", peran=Peran.PSM, kelurahan=[kelurahan_a])
    w.profil_a = ProfilPSMFactory(user=psm_a)
    ProfilPSMFactory(user=psm_a2)
    w.profil_b = ProfilPSMFactory(user=psm_b)
    # ppks and cases
    w.penduduk_lain = PendudukFactory(kelurahan=kelurahan_a, keluarga=keluarga_a, hubungan="anak", nama="Rizki Putra")
    w.ppks_a = PPKSFactory(penduduk=penduduk_a, psm_pendamping=psm_a)
    w.ppks_b = PPKSFactory(penduduk=penduduk_b)
    w.kasus_a = KasusFactory(kelurahan=kelurahan_a, dibuat_oleh=user_staf, penduduk=penduduk_a, psm=psm_a)
    w.kasus_selesai = KasusFactory(
        kelurahan=kelurahan_a, dibuat_oleh=user_staf, status="selesai", selesai_pada=timezone.now()
    )
    w.kasus_b = KasusFactory(kelurahan=kelurahan_b, dibuat_oleh=user_staf)
    w.rujukan_a = Rujukan.objects.create(
        kasus=w.kasus_a, jenis_lembaga="lks", nama_lembaga="LKS Amanah", oleh=user_staf
    )
    w.notifikasi_staf = Notifikasi.objects.create(pengguna=user_staf, kasus=w.kasus_a, jenis="darurat")
    # extreme poverty: one household without a proposal, one with a PSM's pending proposal
    TargetFactory()
    w.status_1 = StatusMiskinEkstremFactory(
        keluarga=KeluargaFactory(kelurahan=kelurahan_a), jiwa_masuk=2, dicatat_oleh=user_staf
    )
    PendudukFactory(keluarga=w.status_1.keluarga, kelurahan=kelurahan_a, hubungan="kepala", nama="Datuak Basa")
    w.status_2 = StatusMiskinEkstremFactory(
        keluarga=KeluargaFactory(kelurahan=kelurahan_a), jiwa_masuk=3, dicatat_oleh=user_staf
    )
    w.usulan_2 = UsulanKeluarFactory(status_miskin=w.status_2, diusulkan_oleh=psm_a)
    keluarga_b = KeluargaFactory(kelurahan=kelurahan_b)
    w.status_b = StatusMiskinEkstremFactory(keluarga=keluarga_b, dicatat_oleh=user_staf)
    # assistance
    w.penyaluran_a = PenyaluranFactory(keluarga=keluarga_a, pendamping=psm_a)
    w.penyaluran_b = PenyaluranFactory(keluarga=keluarga_b, pendamping=psm_b)
    w.bendera_a = BenderaFactory(penyaluran=w.penyaluran_a)
    # complaints
    w.pengaduan_a = PengaduanFactory(kelurahan=kelurahan_a)
    w.pengaduan_a.penyaluran.add(w.penyaluran_a)
    w.pengaduan_selesai = PengaduanFactory(
        kelurahan=kelurahan_a, status="selesai", ditutup_pada=timezone.now(), ditutup_oleh=user_staf, resolusi="Beres"
    )
    w.pengaduan_b = PengaduanFactory(kelurahan=kelurahan_b)
    # an import preview that can be confirmed (its file is gone: the confirm must say so, not crash)
    w.tugas_pratinjau = TugasImpor.objects.create(
        dibuat_oleh=user_staf,
        jenis="penduduk",
        nama_berkas="warga.csv",
        uji_coba=True,
        status=StatusImpor.SELESAI,
        progres=100,
        jumlah_baris=1,
        jumlah_baru=1,
        berkas_simpan="unggahan/tidak-ada.csv",
    )
    # ids a hostile form may send: records of another kelurahan, nonexistent, negative, too big
    w.ids_asing = [
        str(x)
        for x in (
            penduduk_b.pk, keluarga_b.pk, w.kasus_b.pk, w.ppks_b.pk, w.penyaluran_b.pk, w.pengaduan_b.pk,
            w.status_b.pk, psm_b.pk, w.profil_b.pk, kelurahan_b.pk, kelurahan_b.kecamatan_id, 999_999_999, -1, 0,
            2**63, 2**64, "1.5", "abc", " 1", "1 ",
        )
    ]  # fmt: skip
    # ids of records in scope (a valid id in the wrong field is hostile too)
    w.ids_dalam = [
        str(x)
        for x in (
            penduduk_a.pk, keluarga_a.pk, w.kasus_a.pk, w.ppks_a.pk, w.penyaluran_a.pk, w.pengaduan_a.pk, psm_a.pk,
            w.profil_a.pk, kelurahan_a.pk, w.rujukan_a.pk, w.status_1.pk, w.usulan_2.pk,
        )
    ]  # fmt: skip
    return w


# --- the fuzz -----------------------------------------------------------------------------------


class Catatan:
    def __init__(self):
        self.contoh = 0
        self.per_url: dict[str, int] = {}
        self.status: dict[str, set] = {}
        self.waktu: dict[str, float] = {}

    def tambah(self, nama, status):
        self.contoh += 1
        self.per_url[nama] = self.per_url.get(nama, 0) + 1
        self.status.setdefault(nama, set()).add(status)


def _cetak(teks: str) -> None:
    print(teks)  # noqa: T201  (the brief asks for the count on the terminal)


def _laporan(nama: str, exc: BaseException) -> str:
    """The failure with hypothesis' falsifying example (long values cut, so the report stays readable)."""
    catatan = "\n".join(getattr(exc, "__notes__", []))
    teks = f"{nama}: {type(exc).__name__}: {exc}\n{catatan}"
    return re.sub(r"(.)\1{200,}", lambda m: f"{m.group(1)}*{len(m.group(0))}", teks)[:6000]


def _klien(w, peran) -> Client:
    klien = Client()
    if peran != "publik":
        klien.force_login(w.pengguna[peran])
    return klien


def _alamat(nama, args, query: dict | None = None) -> str:
    url = reverse(nama, args=args)
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)
    return url


def temukan_kolom(w, nama: str, e: Entri, peran: str, query: dict) -> dict[str, Kolom]:
    """The controls of the form that posts to ``nama``, read from the page that shows it."""
    args = e.args(w) if e.args else []
    tujuan = reverse(nama, args=args)
    if e.sumber:
        halaman = reverse(e.sumber[0], args=e.sumber[1](w))
        url_halaman = halaman
    else:
        halaman, url_halaman = tujuan, _alamat(nama, args, query)
    with transaction.atomic():
        resp = _klien(w, peran).get(url_halaman)
        transaction.set_rollback(True)
    assert resp.status_code == 200, f"{nama}: page {halaman} answered {resp.status_code} to {peran}"
    kolom = form_untuk(resp.content.decode(), halaman, tujuan, "post")
    if not kolom and not e.tanpa_kolom:
        raise AssertionError(f"{nama}: no <form method=post> to {tujuan} found on {halaman} as {peran}")
    for nama_tombol in e.tombol:
        kolom.setdefault(nama_tombol, Kolom(nama_tombol, "submit", pilihan=["1"]))
    # Fields of the view's form class that the page did not show (conditional fields) are sent too.
    kelas = get_resolver().resolve(tujuan).func.view_class
    form_class = getattr(kelas, "form_class", None)
    if form_class is not None:
        for n, f in form_class.base_fields.items():
            if not any(k == n or k.endswith(f"-{n}") for k in kolom):
                kolom[n] = Kolom(n, "select" if hasattr(f, "choices") else "text")
    return kolom


def jalankan_entri(w, nama: str, e: Entri, catatan: Catatan, hitung: Penghitung, contoh: int) -> None:
    args = e.args(w) if e.args else []
    daftar_query = e.query(w) if e.query else [{}]
    cache: dict = {}

    def kolom_untuk(peran, iq):
        if (peran, iq) not in cache:
            cache[(peran, iq)] = temukan_kolom(w, nama, e, peran, daftar_query[iq])
        return cache[(peran, iq)]

    @settings(
        max_examples=contoh,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
        database=None,
    )
    @given(data=st.data())
    def satu(data):
        peran = data.draw(st.sampled_from(e.peran), label="peran")
        iq = data.draw(st.integers(min_value=0, max_value=len(daftar_query) - 1), label="query")
        kolom = kolom_untuk(peran, iq)
        query = dict(daftar_query[iq])
        if query and data.draw(st.integers(0, 9), label="query-aneh?") == 0:
            kunci = data.draw(st.sampled_from(sorted(query)))
            query[kunci] = data.draw(st.one_of(st.sampled_from(w.ids_asing), angka_aneh, teks_khusus))
        isian = isian_awal(kolom)
        if e.isian:
            isian.update(e.isian(w))
        nama_kolom = sorted(kolom)
        mode = data.draw(st.sampled_from(["sedikit", "sedikit", "sedikit", "semua", "buang"]), label="mode")
        if nama_kolom and mode == "sedikit":
            sasaran = data.draw(st.lists(st.sampled_from(nama_kolom), min_size=1, max_size=3, unique=True))
        elif mode == "semua":
            sasaran = nama_kolom
        else:
            sasaran = []
            for n in data.draw(st.lists(st.sampled_from(nama_kolom), unique=True)) if nama_kolom else []:
                isian.pop(n, None)
        for n in sasaran:
            isian[n] = data.draw(nilai_untuk(kolom[n], w.ids_asing, w.ids_dalam), label=n)
        if data.draw(st.integers(0, 9), label="kolom-asing?") == 0:
            isian[data.draw(st.sampled_from(["__proto__", "id", "pk", "kelurahan_id", "peran", "is_superuser"]))] = (
                data.draw(skalar_aneh(w.ids_asing))
            )
        url = _alamat(nama, args, query)
        with transaction.atomic():
            klien = _klien(w, peran)
            sebelum = hitung()
            resp = klien.post(url, siap_kirim(isian))
            sesudah = hitung()
            status = resp.status_code
            catatan.tambah(nama, status)
            izin = {200, 302, 400, 403, 404} | ({429} if e.publik else set())
            assert status in izin, f"{nama} as {peran}: status {status}"
            galat = [m for m in _pesan(resp) if m.level >= message_constants.ERROR]
            berhasil = status == 302 and not galat
            if status == 200 and not e.ok_200:
                teks = resp.content.decode(errors="replace")
                assert _ada_galat_di_konteks(resp) or _TANDA_GALAT.search(teks), (
                    f"{nama} as {peran}: 200 to a POST without a validation message"
                )
            if not berhasil and not (status == 200 and e.ok_200):
                assert sebelum == sesudah, (
                    f"{nama} as {peran}: status {status} but rows changed {_selisih(sebelum, sesudah)}"
                )
            transaction.set_rollback(True)

    satu()


def test_fuzz_semua_form_post(dunia, capsys):
    w, catatan, hitung = dunia, Catatan(), Penghitung()
    gagal = []
    for nama in sorted(ENTRI):
        mulai = time.monotonic()
        try:
            jalankan_entri(w, nama, ENTRI[nama], catatan, hitung, CONTOH_POST)
        except Exception as exc:  # collect every form's failure, then report them all
            gagal.append(_laporan(nama, exc))
        catatan.waktu[nama] = time.monotonic() - mulai
    with capsys.disabled():
        _cetak(f"\nfuzz POST: {catatan.contoh} examples over {len(catatan.per_url)} forms")
        for nama in sorted(catatan.per_url):
            _cetak(
                f"  {nama}: {catatan.per_url[nama]} examples, {catatan.waktu[nama]:.1f} s, "
                f"statuses {sorted(catatan.status[nama])}"
            )
    assert not gagal, "\n\n".join(gagal)
    assert set(catatan.per_url) == set(ENTRI)
    assert catatan.contoh >= len(ENTRI) * CONTOH_POST * 0.9


# --- GET filter forms of the list pages ----------------------------------------------------------

# Lists that must be found to hold a filter form (a guard on the discovery itself).
DAFTAR_WAJIB = {
    "penduduk:list", "penduduk:keluarga-list", "ppks:list", "ppks:kasus-list", "ppks:kasus-board",
    "psm:kunjungan-list", "psm:list", "kemiskinan:list", "bantuan:penyaluran-list", "bantuan:bendera-list",
    "pengaduan:list",
}  # fmt: skip
_PERAN_GET = ("staf", "pimpinan", "psm_a", "admin")


def _peran_boleh(nama: str) -> list[str]:
    aturan = URL_ACCESS.get(nama)
    if aturan is None:
        return []
    if aturan == PUBLIK:
        return ["publik", "staf"]
    peran_user = {"staf": Peran.STAF, "pimpinan": Peran.PIMPINAN, "psm_a": Peran.PSM, "admin": Peran.ADMIN}
    return [p for p in _PERAN_GET if peran_user[p] in aturan]


def temukan_filter(w) -> dict[str, dict[str, dict[str, Kolom]]]:
    """Every page without URL arguments that holds a GET form aimed at itself, per role."""
    hasil: dict[str, dict[str, dict[str, Kolom]]] = {}
    for nama in url_get_tanpa_argumen():
        halaman = reverse(nama)
        for peran in _peran_boleh(nama):
            with transaction.atomic():
                resp = _klien(w, peran).get(halaman)
                transaction.set_rollback(True)
            if resp.status_code != 200 or "html" not in resp.get("Content-Type", ""):
                continue
            kolom = form_untuk(resp.content.decode(), halaman, halaman, "get")
            if kolom:
                hasil.setdefault(nama, {})[peran] = kolom
    return hasil


def jalankan_filter(w, nama: str, per_peran: dict, catatan: Catatan, hitung: Penghitung, contoh: int) -> None:
    halaman = reverse(nama)

    @settings(
        max_examples=contoh,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
        database=None,
    )
    @given(data=st.data())
    def satu(data):
        peran = data.draw(st.sampled_from(sorted(per_peran)), label="peran")
        kolom = per_peran[peran]
        nama_kolom = sorted(kolom) + ["page"]
        isian = {k: v for k, v in isian_awal(kolom).items() if kolom[k].jenis != "submit"}
        for n in data.draw(st.lists(st.sampled_from(nama_kolom), min_size=1, max_size=4, unique=True)):
            k = kolom.get(n, Kolom(n, "text"))
            nilai = data.draw(
                st.one_of(
                    skalar_aneh(w.ids_asing),
                    st.lists(skalar_aneh(w.ids_asing), min_size=2, max_size=3),
                    *([st.sampled_from(k.pilihan)] if k.pilihan else []),
                ),
                label=n,
            )
            isian[n] = nilai
        with transaction.atomic():
            klien = _klien(w, peran)
            sebelum = hitung()
            resp = klien.get(halaman, isian)
            sesudah = hitung()
            catatan.tambah(nama, resp.status_code)
            assert resp.status_code in (200, 302, 400), f"{nama} as {peran}: status {resp.status_code}"
            assert sebelum == sesudah, f"{nama} as {peran}: a GET changed rows {_selisih(sebelum, sesudah)}"
            transaction.set_rollback(True)

    satu()


def test_fuzz_form_filter_get(dunia, capsys):
    w, catatan, hitung = dunia, Catatan(), Penghitung()
    halaman = temukan_filter(w)
    assert set(halaman) >= DAFTAR_WAJIB, f"filter forms not found on: {sorted(DAFTAR_WAJIB - set(halaman))}"
    gagal = []
    for nama in sorted(halaman):
        mulai = time.monotonic()
        try:
            jalankan_filter(w, nama, halaman[nama], catatan, hitung, CONTOH_GET)
        except Exception as exc:
            gagal.append(_laporan(nama, exc))
        catatan.waktu[nama] = time.monotonic() - mulai
    with capsys.disabled():
        _cetak(f"\nfuzz GET filters: {catatan.contoh} examples over {len(catatan.per_url)} pages")
        for nama in sorted(catatan.per_url):
            kolom = sorted(set().union(*map(set, halaman[nama].values())))
            _cetak(
                f"  {nama}: {catatan.per_url[nama]} examples, {catatan.waktu[nama]:.1f} s, "
                f"statuses {sorted(catatan.status[nama])}, fields {kolom}"
            )
    assert not gagal, "\n\n".join(gagal)
    assert catatan.contoh >= len(halaman) * CONTOH_GET * 0.9


# --- regressions: the 500s the fuzzer found -------------------------------------------------------


@pytest.mark.parametrize("kolom", ["kasus", "ppks"])
@pytest.mark.parametrize("nilai", [str(2**63), str(2**64), "9" * 30])
def test_alihkan_id_di_luar_bigint_jadi_pesan_bukan_500(client, user_staf, psm_a, kelurahan_a, kolom, nilai):
    """psm:alihkan with a checkbox id past bigint was an OverflowError (SQLite cannot bind it in the
    ``pk__in`` query of ModelMultipleChoiceField): now a field error, and nothing is handed over."""
    ke = UserFactory(username="psm.penerima", peran=Peran.PSM, kelurahan=[kelurahan_a])
    profil = ProfilPSMFactory(user=psm_a)
    kasus = KasusFactory(kelurahan=kelurahan_a, psm=psm_a)
    client.force_login(user_staf)
    data = {"ke": ke.pk, "semua": "0", kolom: [str(kasus.pk) if kolom == "kasus" else nilai, nilai], "catatan": "Serah"}
    resp = client.post(reverse("psm:alihkan", args=[profil.pk]), data)
    assert resp.status_code == 200
    assert kolom in resp.context["form"].errors
    kasus.refresh_from_db()
    assert kasus.psm_id == psm_a.pk


@pytest.mark.parametrize("total", ["61", "2001", "9" * 30])
def test_formset_anggota_dengan_total_forms_palsu_dibatasi(client, user_staf, kelurahan_a, total):
    """A forged anggota-TOTAL_FORMS made the household form build and render up to 2,000 member rows
    (30 s and 9 MB for one request: a worker past gunicorn's timeout). Now at most 60, with a message,
    and nothing saved."""
    from penduduk.models import Keluarga

    client.force_login(user_staf)
    data = {"anggota-TOTAL_FORMS": total, "anggota-INITIAL_FORMS": "0", "kelurahan": kelurahan_a.pk, "alamat": "Jl. A"}
    resp = client.post(reverse("penduduk:keluarga-create"), data)
    assert resp.status_code == 200
    formset = resp.context["formset"]
    assert len(formset.forms) <= 60
    assert formset.non_form_errors()
    assert len(resp.content) < 1_000_000
    assert not Keluarga.objects.filter(alamat="Jl. A").exists()


def test_formset_pelatihan_dengan_total_forms_palsu_dibatasi(client, user_staf, psm_a):
    from psm.models import ProfilPSM

    client.force_login(user_staf)
    data = {
        "nama": "Asman", "telepon": "0812", "nomor_sk": "SK-1", "tanggal_sk": "06/01/2025", "aktif_mulai": "06/01/2025",
        "pelatihan-TOTAL_FORMS": "9" * 30, "pelatihan-INITIAL_FORMS": "0",
    }  # fmt: skip
    resp = client.post(f"{reverse('psm:create')}?user={psm_a.pk}", data)
    assert resp.status_code == 200
    assert len(resp.context["formset"].forms) <= 30
    assert resp.context["formset"].non_form_errors()
    assert not ProfilPSM.objects.filter(user=psm_a).exists()
