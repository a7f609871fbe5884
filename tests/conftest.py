"""The fixed cast of users every access test uses (healthchecks-style)."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from akun.roles import Peran
from tests.factories import KeluargaFactory, PendudukFactory, UserFactory
from wilayah.models import Kelurahan


@pytest.fixture(autouse=True)
def _cache_beranda_kosong():
    """Each test starts with no rendered PSM-home list kept: the database is rolled back between
    tests (and SQLite gives ids out again), the process's cache is not (psm/cache_beranda.py)."""
    caches["beranda"].clear()


@pytest.fixture
def kelurahan_a(db) -> Kelurahan:
    return Kelurahan.objects.select_related("kecamatan").get(slug="tanjuang-pauh")


@pytest.fixture
def kelurahan_b(db) -> Kelurahan:
    return Kelurahan.objects.select_related("kecamatan").get(slug="napar")


@pytest.fixture
def user_admin(db):
    return UserFactory(username="admin", peran=Peran.ADMIN)


@pytest.fixture
def user_staf(db):
    return UserFactory(username="staf", peran=Peran.STAF)


@pytest.fixture
def user_pimpinan(db):
    return UserFactory(username="pimpinan", peran=Peran.PIMPINAN)


@pytest.fixture
def psm_a(kelurahan_a):
    return UserFactory(username="psm.tanjuang-pauh", peran=Peran.PSM, kelurahan=[kelurahan_a])


@pytest.fixture
def psm_b(kelurahan_b):
    return UserFactory(username="psm.napar", peran=Peran.PSM, kelurahan=[kelurahan_b])


@pytest.fixture
def cast(user_admin, user_staf, user_pimpinan, psm_a, psm_b):
    """Every role, by name, for parametrised access tests."""
    return {"admin": user_admin, "staf": user_staf, "pimpinan": user_pimpinan, "psm_a": psm_a, "psm_b": psm_b}


@pytest.fixture
def keluarga_a(kelurahan_a):
    keluarga = KeluargaFactory(kelurahan=kelurahan_a)
    PendudukFactory(keluarga=keluarga, kelurahan=kelurahan_a, hubungan="kepala", nama="Bujang Sutan")
    return keluarga


@pytest.fixture
def penduduk_a(keluarga_a, kelurahan_a):
    return PendudukFactory(
        keluarga=keluarga_a, kelurahan=kelurahan_a, hubungan="istri", nama="Siti Rahmah", jenis_kelamin="P"
    )


@pytest.fixture
def penduduk_b(kelurahan_b):
    return PendudukFactory(kelurahan=kelurahan_b, nama="Rangkayo Basa")


@pytest.fixture
def staf_client_kelurahan(client, user_staf, kelurahan_a):
    client.force_login(user_staf)
    return client, kelurahan_a
