import pytest

from tests.bantuan.factories import PenyaluranFactory
from tests.factories import KeluargaFactory, PendudukFactory


@pytest.fixture
def keluarga_b(kelurahan_b):
    keluarga = KeluargaFactory(kelurahan=kelurahan_b)
    PendudukFactory(keluarga=keluarga, kelurahan=kelurahan_b, hubungan="kepala", nama="Datuak Rajo")
    return keluarga


@pytest.fixture
def penyaluran_a(keluarga_a, psm_a):
    return PenyaluranFactory(keluarga=keluarga_a, pendamping=psm_a)


@pytest.fixture
def penyaluran_b(keluarga_b, psm_b):
    return PenyaluranFactory(keluarga=keluarga_b, pendamping=psm_b)
