"""No leak (issue 13): whatever a PSM of kelurahan A asks for (a list, a search by the name or the
NIK of a person of B, a tampered filter, an export, an htmx fragment, the back office, a file),
nothing of B comes back; whatever Pimpinan opens or downloads, no NIK or No KK is whole.

The world is ``tests/keamanan/_dunia.py``; the matrix of statuses is ``test_matriks_akses.py``
(which scans every page it opens the same way). The scanner is checked against pages that must
show the markers (``test_pemindai_menemukan_penanda``), so a pass here is not a blind one.
"""

from __future__ import annotations

import contextlib

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.keamanan._alat import buat_fixture_dunia, buat_fixture_hitungan
from tests.keamanan._dunia import NAMA, PERAN, bocoran, isi_teks
from tests.keamanan.test_matriks_akses import MATRIKS

pytestmark = pytest.mark.django_db

dunia = buat_fixture_dunia()
hitungan = buat_fixture_hitungan("kebocoran")

# Every page without a record in its path: lists, boards, dashboards, forms, public pages.
HALAMAN_TANPA_OBJEK = sorted(
    nama for nama, varian in MATRIKS.items() if any(not v.berobjek and not v.kwargs for v in varian)
)


def _param_usil(d) -> list[dict]:
    """What a PSM of A might type or tamper with to reach B."""
    b_orang, b_keluarga, b_kasus = d.objek["penduduk", "b"], d.objek["keluarga", "b"], d.objek["kasus", "b"]
    kel_b = d.kelurahan["b"]
    psm_b = d.pengguna["psm_b"].pk
    return [
        {},
        {"q": NAMA["b"]["orang"]},
        {"q": "Matriksbeta"},
        {"q": b_orang.nik},
        {"q": b_keluarga.no_kk},
        {"q": b_kasus.nomor},
        {"kelurahan": kel_b.pk},
        {"kecamatan": kel_b.kecamatan_id, "kelurahan": kel_b.pk},
        {"wilayah": f"kel-{kel_b.pk}", "kel": kel_b.pk, "kelurahan_id": kel_b.pk},
        {"psm": psm_b, "pendamping": psm_b, "oleh": psm_b, "petugas": psm_b, "saya": "on"},
        {"penduduk": b_orang.pk, "keluarga": b_keluarga.pk, "kasus": b_kasus.pk},
        {"kelurahan": kel_b.pk, "unduh": "xlsx"},
        {"kelurahan": kel_b.pk, "unduh": "csv"},
        {"q": NAMA["b"]["orang"], "unduh": "xlsx"},
        # The "find the person first" boxes of the create forms.
        {"cari": NAMA["b"]["orang"]},
        {"cari": b_orang.nik},
        {"cari": "Matriksbeta"},
    ]


def _tanpa_gema(penanda: dict, params: dict) -> dict:
    """The markers minus what the viewer typed: a search box shows its own query back, which is no
    leak. A row found by that query still shows its other markers (NIK, No KK, the household head)."""
    q = str(params.get("q") or params.get("cari") or "")
    if not q:
        return penanda
    return {nilai: arti for nilai, arti in penanda.items() if q not in nilai and nilai not in q}


def _ambil(d, peran, url, params=None, **extra):
    resp = d.klien(peran).get(url, params or {}, **extra)
    return resp, isi_teks(resp)


@pytest.mark.parametrize("nama", HALAMAN_TANPA_OBJEK)
def test_psm_a_tidak_melihat_b_lewat_daftar_cari_filter_ekspor(dunia, hitungan, nama):
    url = reverse(nama)
    gagal = []
    for params in _param_usil(dunia):
        resp, teks = _ambil(dunia, "psm_a", url, params)
        hitungan.n["kasus"] += 1
        if resp.status_code >= 500:
            gagal.append(f"{nama} {params}: {resp.status_code}")
        temuan = bocoran(teks, _tanpa_gema(dunia.penanda_b, params))
        hitungan.n["bocoran"] += len(temuan)
        gagal += [f"{nama} {params}: BOCOR {t}" for t in temuan]
        # No list export for a PSM (the monthly report of their own area is the dashboard's, not a list).
        if params.get("unduh") and resp.get("Content-Disposition") and nama != "dasbor:laporan-xlsx":
            gagal.append(f"{nama} {params}: PSM mendapat berkas ekspor ({resp.status_code})")
    assert gagal == [], "\n".join(gagal)


def _baris(d, peran, url, q) -> list[str] | None:
    """The rows a list page shows for ``?q=`` (None for a page without a list)."""
    resp = d.klien(peran).get(url, {"q": q})
    konteks = resp.context or {}
    daftar = konteks.get("daftar") if "daftar" in konteks else konteks.get("object_list")
    return None if daftar is None else [str(o) for o in list(daftar)[:100]]


@pytest.mark.parametrize("nama", HALAMAN_TANPA_OBJEK)
def test_pimpinan_tidak_melihat_nik_lengkap(dunia, hitungan, nama):
    """Pages, searches and both export formats: no NIK or No KK whole for Pimpinan."""
    url = reverse(nama)
    a = dunia.objek["penduduk", "a"]
    gagal = []
    for params in (
        {},
        {"unduh": "xlsx"},
        {"unduh": "csv"},
        {"kelurahan": dunia.kelurahan["a"].pk, "unduh": "xlsx"},
        {"q": NAMA["a"]["orang"]},
        {"q": "Matriksalfa", "unduh": "csv"},
    ):
        resp, teks = _ambil(dunia, "pimpinan", url, params)
        hitungan.n["kasus"] += 1
        if resp.status_code >= 500:
            gagal.append(f"{nama} {params}: {resp.status_code}")
        temuan = bocoran(teks, _tanpa_gema(dunia.nomor_lengkap, params))
        hitungan.n["bocoran"] += len(temuan)
        gagal += [f"{nama} {params}: BOCOR {t}" for t in temuan]
    # A search by number is an oracle for the masked digits: for Pimpinan a real number finds what a
    # made-up one of the same shape finds (nothing, or the unfiltered page where q is no filter).
    palsu = {
        a.nik: "1376014101700999",
        a.nik[:12]: "137601410170",
        dunia.objek["keluarga", "a"].no_kk: "1376010101100999",
    }
    for q, q_palsu in palsu.items():
        nyata, banding = _baris(dunia, "pimpinan", url, q), _baris(dunia, "pimpinan", url, q_palsu)
        hitungan.n["kasus"] += 2
        if nyata != banding:
            hitungan.n["bocoran"] += 1
            gagal.append(f"{nama} q={q}: pencarian nomor menemukan {sorted(set(nyata) - set(banding))}")
    assert gagal == [], "\n".join(gagal)


@pytest.mark.parametrize("nama", ["dasbor:index", "dasbor:laporan"])
def test_dasbor_psm_tetap_di_wilayahnya(dunia, hitungan, nama):
    """A PSM of A asking the dashboard for B's kelurahan or kecamatan gets their own area."""
    kel_b = dunia.kelurahan["b"]
    for params in ({"kelurahan": kel_b.pk}, {"kecamatan": kel_b.kecamatan_id}):
        resp = dunia.klien("psm_a").get(reverse(nama), params)
        hitungan.n["kasus"] += 1
        assert resp.status_code == 200
        wilayah = resp.context["wilayah"]
        assert [k.pk for k in wilayah.kelurahan] == [dunia.kelurahan["a"].pk], params
        assert wilayah.kelurahan_dipilih is None


def test_pemindai_menemukan_penanda(dunia):
    """The scanner finds the markers where they must be: B's name and NIK on a page and in an xlsx
    export for Staf, B's name for the PSM of B, A's NIK whole for the PSM of A."""
    b = dunia.objek["penduduk", "b"]
    _, teks = _ambil(dunia, "staf", reverse("penduduk:list"), {"q": NAMA["b"]["orang"]})
    assert NAMA["b"]["orang"] in bocoran(teks, dunia.penanda_b)[0]
    resp, teks = _ambil(dunia, "staf", reverse("penduduk:list"), {"unduh": "xlsx"})
    assert resp.status_code == 200
    assert b.nik in teks and NAMA["b"]["orang"] in teks
    _, teks = _ambil(dunia, "staf", reverse("penduduk:list"), {"unduh": "csv"})
    assert b.nik in teks
    _, teks = _ambil(dunia, "psm_b", reverse("penduduk:list"))
    assert NAMA["b"]["orang"] in teks
    _, teks = _ambil(dunia, "psm_a", reverse("penduduk:detail", args=[dunia.pk("penduduk", "a")]))
    assert dunia.objek["penduduk", "a"].nik in teks
    # A case of A about a resident of B: Staf sees who (page and change history), the PSM of A not.
    url = reverse("ppks:kasus-detail", args=[dunia.pk("kasus_lintas", "a")])
    _, teks = _ambil(dunia, "staf", url)
    assert NAMA["b"]["orang"] in teks
    resp, teks = _ambil(dunia, "psm_a", url)
    assert resp.status_code == 200 and "Kasus lintas A" in teks and NAMA["b"]["orang"] not in teks
    # Pimpinan sees the person, with the NIK masked.
    _, teks = _ambil(dunia, "pimpinan", reverse("penduduk:detail", args=[dunia.pk("penduduk", "b")]))
    assert NAMA["b"]["orang"] in teks and b.nik not in teks and b.nik[:4] in teks


# --- the back office ----------------------------------------------------------------------------


def _objek_admin(d) -> dict:
    """(model, sisi) -> a record of the world, for the change and history pages."""
    peta = {}
    for (_jenis, sisi), obj in d.objek.items():
        peta.setdefault((type(obj), sisi), obj)
    for (_peran, sisi), notif in d.notifikasi.items():
        peta.setdefault((type(notif), sisi), notif)
    for sisi in ("a", "b"):
        peta.setdefault((type(d.pengguna["psm_a"]), sisi), d.pengguna[f"psm_{sisi}"])
        peta.setdefault((type(d.kelurahan[sisi]), sisi), d.kelurahan[sisi])
    return peta


MODEL_ADMIN = sorted(admin.site._registry.items(), key=lambda kv: kv[0]._meta.label)


def _harapan_admin(model_admin, peran: str):
    if peran == "anonim":
        return "login"
    if peran in ("psm_a", "psm_b", "pimpinan"):
        return 403  # never in the back office, whatever the model
    akses = model_admin.akses
    return 200 if peran in (akses.lihat | akses.ubah) else 403


@pytest.mark.parametrize(("model", "model_admin"), MODEL_ADMIN, ids=[m._meta.label for m, _ in MODEL_ADMIN])
def test_back_office_per_peran(dunia, hitungan, model, model_admin):
    info = (model._meta.app_label, model._meta.model_name)
    objek = _objek_admin(dunia)
    urls = [reverse("admin:{}_{}_changelist".format(*info))]
    urls.append(urls[0] + "?q=Matriksbeta")
    for sisi in ("a", "b"):
        obj = objek.get((model, sisi))
        if obj is None:
            continue
        for halaman in ("change", "history"):
            with contextlib.suppress(NoReverseMatch):  # a model without that admin page
                urls.append(reverse(f"admin:{info[0]}_{info[1]}_{halaman}", args=[obj.pk]))
    gagal = []
    for peran in PERAN:
        harapan = _harapan_admin(model_admin, peran)
        for url in urls:
            resp, teks = _ambil(dunia, peran, url)
            hitungan.n["kasus"] += 1
            if harapan == "login":
                ok = resp.status_code == 302 and resp["Location"].startswith(reverse("admin:login"))
            else:
                ok = resp.status_code == harapan
            if not ok:
                gagal.append(f"{peran} {url}: harap {harapan}, dapat {resp.status_code}")
            temuan = bocoran(teks, dunia.penanda_b) if peran == "psm_a" else []
            temuan += bocoran(teks, dunia.nomor_lengkap) if peran == "pimpinan" else []
            hitungan.n["bocoran"] += len(temuan)
            gagal += [f"{peran} {url}: BOCOR {t}" for t in temuan]
    assert gagal == [], "\n".join(gagal)


def test_back_office_indeks_dan_autocomplete(dunia, hitungan):
    """The admin index and its autocomplete (JSON): Admin/Staf only; Staf finds B (it is city-wide),
    nobody else gets an answer."""
    indeks = reverse("admin:index")
    cari = reverse("admin:autocomplete")
    params = {"app_label": "ppks", "model_name": "ppks", "field_name": "penduduk", "term": "Matriksbeta"}
    gagal = []
    for peran in PERAN:
        for url, p in ((indeks, {}), (cari, params)):
            resp, teks = _ambil(dunia, peran, url, p)
            hitungan.n["kasus"] += 1
            if peran == "anonim":
                ok = resp.status_code == 302 and resp["Location"].startswith(reverse("admin:login"))
            elif peran in ("staf", "admin"):
                ok = resp.status_code == 200
                if url == cari:
                    ok = ok and NAMA["b"]["orang"] in teks
            else:
                ok = resp.status_code == 403 and not bocoran(teks, dunia.penanda_b)
            if not ok:
                gagal.append(f"{peran} {url} {p}: {resp.status_code}")
    assert gagal == [], "\n".join(gagal)


# --- files and fragments -------------------------------------------------------------------------

BERKAS = [
    ("psm:kunjungan-foto", "kunjungan", "foto"),
    ("bantuan:konfirmasi-foto", "penyaluran_terkonfirmasi", None),
    ("pengaduan:lampiran", "pengaduan", "lampiran"),
]


def _berkas_field(d, jenis, sisi):
    if jenis == "penyaluran_terkonfirmasi":
        return d.objek["konfirmasi", sisi].foto_bukti
    obj = d.objek[jenis, sisi]
    return obj.foto if jenis == "kunjungan" else obj.lampiran


@pytest.mark.parametrize(("nama", "jenis", "_kolom"), BERKAS)
def test_berkas_privat_hanya_untuk_yang_berhak(dunia, hitungan, nama, jenis, _kolom):
    """The PSM of A gets A's file byte for byte and a 404 for B's; nobody reaches a private file
    through a public media URL."""
    gagal = []
    for peran, sisi, harapan in (("psm_a", "a", 200), ("psm_a", "b", 404), ("psm_b", "a", 404), ("staf", "b", 200)):
        resp = dunia.klien(peran).get(reverse(nama, args=[dunia.pk(jenis, sisi)]))
        hitungan.n["kasus"] += 1
        if nama == "pengaduan:lampiran" and peran.startswith("psm"):
            harapan = 403  # a PSM never sees complaints (the role, before the record)
        if resp.status_code != harapan:
            gagal.append(f"{nama} {peran} {sisi}: harap {harapan}, dapat {resp.status_code}")
            continue
        if harapan == 200:
            data = b"".join(resp.streaming_content)
            berkas = _berkas_field(dunia, jenis, sisi)
            with berkas.open("rb") as f:
                asli = f.read()
            lain = _berkas_field(dunia, jenis, "b" if sisi == "a" else "a")
            with lain.open("rb") as f:
                asli_lain = f.read()
            if data != asli or data == asli_lain:
                gagal.append(f"{nama} {peran} {sisi}: isi berkas bukan berkas {sisi}")
            if resp["Cache-Control"] != "private, no-store" and "no-store" not in resp["Cache-Control"]:
                gagal.append(f"{nama}: berkas pribadi boleh di-cache ({resp['Cache-Control']})")
    for sisi in ("a", "b"):
        nama_berkas = _berkas_field(dunia, jenis, sisi).name
        for peran in ("anonim", "psm_a", "staf"):
            resp = dunia.klien(peran).get(f"{settings.MEDIA_URL}{nama_berkas}")
            hitungan.n["kasus"] += 1
            if resp.status_code != 404:
                gagal.append(f"{settings.MEDIA_URL}{nama_berkas} {peran}: {resp.status_code}")
    assert gagal == [], "\n".join(gagal)


def test_fragmen_htmx_progres_impor(dunia, hitungan):
    """The htmx fragment of the import progress: Admin/Staf only, as the page itself."""
    gagal = []
    for peran in PERAN:
        url = reverse("impor:progres-bagian", args=[dunia.pk("tugas_hasil", "b")])
        resp = dunia.klien(peran).get(url, {"lanjut": "1"}, headers={"HX-Request": "true"})
        hitungan.n["kasus"] += 1
        if peran == "anonim":
            ok = resp.status_code == 302 and reverse("login") in resp["Location"]
        elif peran in ("staf", "admin"):
            # Finished: htmx is told where to go next (the result page), with a 200.
            ok = resp.status_code == 200 and resp.get("HX-Redirect") == reverse(
                "impor:hasil", args=[dunia.pk("tugas_hasil", "b")]
            )
        else:
            ok = resp.status_code == 403
        if not ok:
            gagal.append(f"{peran}: {resp.status_code} {resp.headers}")
    assert gagal == [], "\n".join(gagal)


def test_kunjungan_sebelum_pindah_tidak_menamai_warga_wilayah_lain(dunia):
    """A visit stays in the kelurahan where it was made; its person has since moved to B. The PSM of
    A still sees the visit (list, page, photo link), never the name of B's resident; Staf does."""
    k = dunia.objek["kunjungan_lintas", "a"]
    nama_b = NAMA["b"]["orang"]
    for url in (reverse("psm:kunjungan-list"), reverse("psm:kunjungan-detail", args=[k.pk])):
        resp, teks = _ambil(dunia, "psm_a", url)
        assert resp.status_code == 200
        assert reverse("psm:kunjungan-detail", args=[k.pk]) in teks or url.endswith(f"/{k.pk}/")
        assert nama_b not in teks, url
        assert "(di luar wilayah Anda)" in teks, url
        resp, teks = _ambil(dunia, "staf", url)
        assert nama_b in teks, url
