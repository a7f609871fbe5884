"""The dashboard's figures against the hand-computed world of ``conftest.ANGKA``, for every role,
and each PSM scoped to their kelurahan on every tile."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dasbor import angka
from dasbor.periode import periode_dari
from dasbor.wilayah import wilayah_dari
from psm.rekap_staf import cakupan
from tests.dasbor.conftest import ANGKA, MEDIAN

pytestmark = pytest.mark.django_db


def _hitung(user, periode, **params):
    return angka.hitung(user, wilayah_dari(user, params), periode)


@pytest.mark.parametrize("peran", ["admin", "staf", "pimpinan"])
def test_angka_kota_sama_dengan_hitungan_tangan(dunia, cast, periode, peran):
    r = _hitung(cast[peran], periode)
    for nama, nilai in ANGKA["kota"].items():
        assert getattr(r.total, nama) == nilai, nama
    assert r.median_respons == MEDIAN
    assert r.total.persen_tepat_waktu == 50
    assert r.lihat_aduan and r.lihat_bendera
    assert {j.nama: j.jumlah for j in r.jenis} == {
        "Lanjut Usia Telantar": 2,
        "Anak Telantar": 2,
        "Orang dengan HIV/AIDS": 1,
    }


def test_angka_per_kelurahan_dan_kecamatan(dunia, user_staf, periode):
    r = _hitung(user_staf, periode)
    baris = {b.kelurahan_id: b for b in r.kelurahan}
    assert len(baris) == 47
    a = baris[dunia["a"].pk]
    for nama, nilai in ANGKA["a"].items():
        assert getattr(a, nama) == nilai, nama
    assert baris[dunia["b"].pk].ppks == 2
    # kecamatan subtotals add up to the total
    for nama in angka.ANGKA:
        assert sum(getattr(k, nama) for k in r.kecamatan) + (
            1 if nama in ("aduan_masuk", "aduan_terbuka") else 0  # the complaint without a kelurahan
        ) == getattr(r.total, nama), nama


def test_kemiskinan_dari_progres_dan_baseline_dilaporkan(dunia, user_staf, periode):
    r = _hitung(user_staf, periode)
    p = r.progres
    assert (p.kini.kk, p.kini.jiwa) == (2, 5)
    assert p.per == periode.akhir
    # the city's reported baseline (TargetFactory: 41 KK / 222 jiwa)
    assert (p.baseline_garis.kk, p.baseline_garis.jiwa) == (41, 222)


@pytest.mark.parametrize("psm, kunci", [("psm_a", "a")])
def test_psm_setiap_ubin_hanya_kelurahannya(client, dunia, cast, periode, psm, kunci):
    user = cast[psm]
    r = _hitung(user, periode)
    assert [b.kelurahan_id for b in r.kelurahan] == [dunia["a"].pk]
    for nama, nilai in ANGKA[kunci].items():
        if nama.startswith(("aduan", "bendera")):
            continue
        assert getattr(r.total, nama) == nilai, nama
    assert not r.lihat_aduan and not r.lihat_bendera
    assert r.total.aduan_masuk == 0 and r.total.bendera_terbuka == 0
    # the jenis counted are A's only
    assert {j.nama: j.jumlah for j in r.jenis} == {"Lanjut Usia Telantar": 1, "Anak Telantar": 2}
    # the page: no complaint or flag tile, no other kelurahan
    client.force_login(user)
    resp = client.get(reverse("dasbor:index"), {"periode": periode.kode})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "Pengaduan" not in html and "Bendera" not in html
    assert dunia["b"].nama not in html
    total = resp.context["t"]
    for nama in ("ppks", "kasus_terbuka", "kasus_terlambat", "miskin_kk", "salur_jumlah", "salur_rupiah"):
        assert getattr(total, nama) == ANGKA["a"][nama], nama


def test_psm_tidak_bisa_memperluas_wilayah_dengan_parameter(client, dunia, psm_a, periode):
    client.force_login(psm_a)
    for params in ({"kelurahan": str(dunia["b"].pk)}, {"kecamatan": str(dunia["b"].kecamatan_id)}):
        resp = client.get(reverse("dasbor:index"), {"periode": periode.kode, **params})
        assert resp.status_code == 200
        assert resp.context["t"].ppks == ANGKA["a"]["ppks"]
        assert resp.context["wilayah"].kelurahan_ids == [dunia["a"].pk]


def test_saring_kelurahan_untuk_staf(dunia, user_staf, periode):
    r = _hitung(user_staf, periode, kelurahan=str(dunia["a"].pk))
    for nama, nilai in ANGKA["a"].items():
        assert getattr(r.total, nama) == nilai, nama
    r = _hitung(user_staf, periode, kecamatan=str(dunia["b"].kecamatan_id))
    assert r.total.ppks == 2 and len(r.kelurahan) == len(
        [k for k in r.wilayah.semua_kelurahan if k.kecamatan_id == dunia["b"].kecamatan_id]
    )


def test_cakupan_sama_dengan_halaman_cakupan_psm(dunia, user_staf, periode):
    """The coverage figures are psm.rekap_staf.cakupan's (same definitions)."""
    r = _hitung(user_staf, periode)
    baris = {b.kelurahan_id: b for b in r.kelurahan}
    for kec in cakupan(user_staf):
        for c in kec.baris:
            b = baris[c.kelurahan.pk]
            assert (b.psm_aktif, b.miskin_tanpa_kunjungan) == (c.psm_aktif, c.miskin_tanpa_kunjungan)
            assert b.ppks_belum_dikunjungi == c.ppks_terlambat


def test_pimpinan_tidak_melihat_nama_dan_jenis_sensitif_tanpa_tautan(client, dunia, user_pimpinan, periode):
    client.force_login(user_pimpinan)
    html = client.get(reverse("dasbor:index"), {"periode": periode.kode}).content.decode()
    assert "Orang dengan HIV/AIDS" in html  # counted
    odha = next(j for j in _hitung(user_pimpinan, periode).jenis if j.nama == "Orang dengan HIV/AIDS")
    assert f"jenis={odha.jenis_id}" not in html  # but no link to a list of names
    assert "Penduduk Uji" not in html  # no name of anybody


def test_periode_sekarang_kasus_dan_ppks_kini(dunia, user_staf):
    periode, sah = periode_dari(None)
    assert not sah
    r = _hitung(user_staf, periode)
    assert r.total.ppks == 5  # the one that ended last month stays out, the new one is in
    assert r.total.kasus_terbuka == 3
    assert r.total.salur_jumlah == 1  # this month's
