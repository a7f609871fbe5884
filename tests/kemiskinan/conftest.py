"""Fixtures of the extreme-poverty tests: the target, a household of Tanjuang Pauh on the list with
a pending exit proposal made by its PSM."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import (
    IntervensiFactory,
    KeluargaFactory,
    PendudukFactory,
    StatusMiskinEkstremFactory,
    TargetFactory,
    UsulanKeluarFactory,
)


@pytest.fixture
def target(db):
    return TargetFactory()


@pytest.fixture
def keluarga_miskin(kelurahan_a):
    """Tanjuang Pauh: Bujang Sutan (head) and two more, on the list since 10/01/2023."""
    keluarga = KeluargaFactory(kelurahan=kelurahan_a)
    PendudukFactory(keluarga=keluarga, kelurahan=kelurahan_a, hubungan="kepala", nama="Bujang Sutan")
    PendudukFactory(keluarga=keluarga, kelurahan=kelurahan_a, hubungan="istri", nama="Siti Rahmah", jenis_kelamin="P")
    PendudukFactory(keluarga=keluarga, kelurahan=kelurahan_a, hubungan="anak", nama="Rizki Putra")
    return keluarga


@pytest.fixture
def status_a(keluarga_miskin, user_staf):
    return StatusMiskinEkstremFactory(
        keluarga=keluarga_miskin, jiwa_masuk=3, tanggal_masuk=dt.date(2023, 1, 10), dicatat_oleh=user_staf
    )


@pytest.fixture
def usulan_a(status_a, psm_a):
    return UsulanKeluarFactory(status_miskin=status_a, diusulkan_oleh=psm_a)


@pytest.fixture
def intervensi_a(keluarga_miskin, user_staf):
    return IntervensiFactory(keluarga=keluarga_miskin, dicatat_oleh=user_staf)
