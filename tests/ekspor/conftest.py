"""One builder per exported list: a row in a kelurahan, and the value that names it in the file."""

from __future__ import annotations

import pytest

from akun.roles import Peran
from tests.bantuan.factories import BenderaFactory, PenyaluranFactory
from tests.factories import (
    KasusFactory,
    KeluargaFactory,
    KunjunganFactory,
    PendudukFactory,
    PPKSFactory,
    StatusMiskinEkstremFactory,
    UserFactory,
)
from tests.pengaduan.factories import PengaduanFactory


def _keluarga(kelurahan, nama):
    keluarga = KeluargaFactory(kelurahan=kelurahan)
    PendudukFactory(keluarga=keluarga, kelurahan=kelurahan, hubungan="kepala", nama=nama)
    return keluarga


def _penduduk(kel, nama):
    PendudukFactory(kelurahan=kel, nama=nama)
    return nama


def _keluarga_list(kel, nama):
    _keluarga(kel, nama)
    return nama


def _ppks(kel, nama):
    PPKSFactory(penduduk=PendudukFactory(kelurahan=kel, nama=nama))
    return nama


def _kasus(kel, nama):
    KasusFactory(kelurahan=kel, ringkasan=nama)
    return nama


def _kunjungan(kel, nama):
    KunjunganFactory(penduduk=PendudukFactory(kelurahan=kel, nama=nama))
    return nama


def _miskin(kel, nama):
    StatusMiskinEkstremFactory(keluarga=_keluarga(kel, nama))
    return nama


def _penyaluran(kel, nama):
    PenyaluranFactory(keluarga=_keluarga(kel, nama))
    return f"KK {nama}"


def _bendera(kel, nama):
    BenderaFactory(penyaluran=PenyaluranFactory(keluarga=_keluarga(kel, nama)))
    return f"KK {nama}"


def _pengaduan(kel, nama):
    return PengaduanFactory(kelurahan=kel).kode_lacak


def _psm(kel, nama):
    username = "psm-" + nama.lower().replace(" ", "-")
    UserFactory(username=username, peran=Peran.PSM, kelurahan=[kel])
    return username


# url name -> (builder, column that names the row)
DAFTAR = {
    "penduduk:list": (_penduduk, "Nama"),
    "penduduk:keluarga-list": (_keluarga_list, "Kepala keluarga"),
    "ppks:list": (_ppks, "Nama"),
    "ppks:kasus-list": (_kasus, "Ringkasan"),
    "ppks:kasus-board": (_kasus, "Ringkasan"),
    "psm:kunjungan-list": (_kunjungan, "Yang dikunjungi"),
    "psm:list": (_psm, "Nama pengguna"),
    "kemiskinan:list": (_miskin, "Kepala keluarga"),
    "bantuan:penyaluran-list": (_penyaluran, "Penerima"),
    "bantuan:bendera-list": (_bendera, "Penerima"),
    "pengaduan:list": (_pengaduan, "Kode lacak"),
}

# Lists a PSM opens (the others answer 403 from the permission map anyway).
DAFTAR_PSM = [
    "penduduk:list",
    "penduduk:keluarga-list",
    "ppks:list",
    "ppks:kasus-list",
    "ppks:kasus-board",
    "psm:kunjungan-list",
    "kemiskinan:list",
    "bantuan:penyaluran-list",
]


@pytest.fixture
def staf(client, user_staf):
    client.force_login(user_staf)
    return client


@pytest.fixture
def pimpinan(client, user_pimpinan):
    client.force_login(user_pimpinan)
    return client
