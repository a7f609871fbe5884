"""Pimpinan's export is exactly what Pimpinan's page shows: NIK and No KK masked, an age instead of
a birth date, and no sensitive PPKS jenis beside a name."""

from __future__ import annotations

import datetime as dt

import pytest

from penduduk.umur import umur_pada
from tests.ekspor.alat import isi, tabel, unduh
from tests.factories import (
    KasusFactory,
    KeluargaFactory,
    PendudukFactory,
    PPKSFactory,
    StatusMiskinEkstremFactory,
    jenis_ppks,
)


def _semua_nilai(baris):
    return [v for r in baris for v in r.values()]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_penduduk_tersamar(pimpinan, kelurahan_a, fmt):
    orang = PendudukFactory(kelurahan=kelurahan_a, nama="Siti Rahmah", tanggal_lahir=dt.date(1980, 2, 3))
    baris = tabel(pimpinan, "penduduk:list", fmt)
    assert "Tanggal lahir" not in baris[0]
    assert baris[0]["NIK"] == orang.nik[:4] + "•" * 12
    umur = baris[0]["Umur (tahun)"]
    assert int(umur) == umur_pada(orang.tanggal_lahir)
    nilai = _semua_nilai(baris)
    assert orang.nik not in [str(v) for v in nilai]
    assert not any(isinstance(v, dt.date) for v in nilai)
    assert not any("1980" in str(v) or "03/02" in str(v) for v in nilai)
    if fmt == "csv":
        data = isi(unduh(pimpinan, "penduduk:list", "csv"))
        assert orang.nik.encode() not in data and b"1980" not in data


@pytest.mark.django_db
def test_staf_melihat_lengkap(staf, kelurahan_a):
    orang = PendudukFactory(kelurahan=kelurahan_a, tanggal_lahir=dt.date(1980, 2, 3))
    baris = tabel(staf, "penduduk:list", "csv")
    assert baris[0]["NIK"] == orang.nik
    assert baris[0]["Tanggal lahir"] == "03/02/1980"


@pytest.mark.django_db
@pytest.mark.parametrize("nama_url", ["penduduk:keluarga-list", "kemiskinan:list"])
def test_no_kk_tersamar(pimpinan, kelurahan_a, nama_url):
    keluarga = KeluargaFactory(kelurahan=kelurahan_a)
    PendudukFactory(keluarga=keluarga, kelurahan=kelurahan_a, hubungan="kepala", nama="Bujang")
    StatusMiskinEkstremFactory(keluarga=keluarga)
    baris = tabel(pimpinan, nama_url)
    assert baris[0]["No. KK"] == keluarga.no_kk[:4] + "•" * 12
    assert keluarga.no_kk not in [str(v) for v in _semua_nilai(baris)]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_ppks_sensitif_tidak_di_samping_nama(client, user_pimpinan, user_staf, kelurahan_a, fmt):
    client.force_login(user_pimpinan)
    odha = PendudukFactory(kelurahan=kelurahan_a, nama="Rahasia Sekali")
    PPKSFactory(penduduk=odha, jenis=jenis_ppks("ODHA"))
    PPKSFactory(penduduk=PendudukFactory(kelurahan=kelurahan_a, nama="Lansia Biasa"))
    baris = tabel(client, "ppks:list", fmt)
    assert [r["Nama"] for r in baris] == ["Lansia Biasa"]
    jenis_sensitif = jenis_ppks("ODHA").nama
    assert jenis_sensitif not in [str(v) for v in _semua_nilai(baris)]
    assert baris[0]["NIK"].endswith("•" * 12)
    # Staff get the sensitive row (they see it on the page too).
    client.force_login(user_staf)
    assert "Rahasia Sekali" in [r["Nama"] for r in tabel(client, "ppks:list", fmt)]


@pytest.mark.django_db
@pytest.mark.parametrize("nama_url", ["ppks:kasus-list", "ppks:kasus-board"])
def test_kasus_jenis_sensitif_dirahasiakan(client, user_pimpinan, user_staf, kelurahan_a, nama_url):
    KasusFactory(kelurahan=kelurahan_a, ringkasan="Laporan warga", jenis=jenis_ppks("ODHA"))
    client.force_login(user_pimpinan)
    baris = tabel(client, nama_url)
    assert baris[0]["Jenis PPKS"] == "(dirahasiakan)"
    client.force_login(user_staf)
    assert tabel(client, nama_url)[0]["Jenis PPKS"] == jenis_ppks("ODHA").nama
