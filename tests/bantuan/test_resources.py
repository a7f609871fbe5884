"""Import/export of distributions in the back office (bantuan/resources.py)."""

import pytest
import tablib
from django.urls import reverse

from bantuan.models import Penyaluran
from bantuan.resources import PenyaluranResource

pytestmark = pytest.mark.django_db

KOLOM = [
    "id_eksternal",
    "program",
    "no_kk",
    "nik",
    "periode",
    "nilai",
    "tanggal",
    "saluran",
    "status",
    "alasan_gagal",
    "keterangan",
]


def _data(*baris):
    return tablib.Dataset(*baris, headers=KOLOM)


def test_impor_lewat_layanan_dengan_kelurahan_penerima(user_staf, keluarga_a, penduduk_a):
    data = _data(
        ["X1", "BPNT", keluarga_a.no_kk, "", "2025-02-01", 600000, "2025-02-10", "ewarong", "disalurkan", "", ""],
        ["X2", "PBI-JK", "", penduduk_a.nik, "2025-02-01", 42000, "2025-02-10", "langsung", "disalurkan", "", ""],
    )
    hasil = PenyaluranResource(user=user_staf).import_data(data, dry_run=False)
    assert not hasil.has_errors() and not hasil.has_validation_errors()
    a, b = Penyaluran.objects.order_by("id_eksternal")
    assert (a.keluarga, a.kelurahan, a.periode.month, a.dibuat_oleh) == (keluarga_a, keluarga_a.kelurahan, 1, user_staf)
    assert (b.penduduk, b.keluarga) == (penduduk_a, keluarga_a)
    assert a.history.count() == 1


def test_impor_keluarga_tidak_dikenal_atau_program_salah_ditolak(user_staf, keluarga_a):
    data = _data(
        ["X1", "BPNT", "1376019999990001", "", "2025-02-01", 600000, "2025-02-10", "ewarong", "disalurkan", "", ""],
        ["X2", "TIDAKADA", keluarga_a.no_kk, "", "2025-02-01", 600000, "2025-02-10", "ewarong", "disalurkan", "", ""],
    )
    hasil = PenyaluranResource(user=user_staf).import_data(data, dry_run=False)
    assert hasil.has_errors() or hasil.has_validation_errors()
    assert not Penyaluran.objects.exists()


def test_ekspor_hanya_wilayah_pengguna(psm_a, penyaluran_a, penyaluran_b):
    data = PenyaluranResource(user=psm_a).export()
    assert data["no_kk"] == [penyaluran_a.keluarga.no_kk]


@pytest.mark.parametrize(("peran", "kode"), [("admin", 200), ("staf", 200)])
def test_halaman_impor_ekspor_admin_dan_staf(client, cast, peran, kode):
    client.force_login(cast[peran])
    assert client.get(reverse("admin:bantuan_penyaluran_import")).status_code == kode
    assert client.get(reverse("admin:bantuan_penyaluran_export")).status_code == kode


@pytest.mark.parametrize("peran", ["pimpinan", "psm_a"])
def test_halaman_impor_ditolak_peran_lain(client, cast, peran):
    client.force_login(cast[peran])
    assert client.get(reverse("admin:bantuan_penyaluran_import")).status_code == 403
