"""The complaints demo (pengaduan/demo.py): every state, some overdue, a case opened, a pungli
complaint linked to a distribution and its PSM when there is one; deterministic."""

from __future__ import annotations

import pytest

from akun.roles import Peran
from penduduk import demo as demo_registri
from pengaduan import demo
from pengaduan.choices import StatusPengaduan
from pengaduan.models import Pengaduan
from ppks.models import Kasus
from tests.factories import UserFactory
from tests.pengaduan.factories import PenyaluranFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def konteks(user_staf):
    return demo_registri.Konteks(jumlah_keluarga=10)


def test_demo_semua_status_terlambat_dan_kasus(konteks, django_assert_max_num_queries):
    assert not demo.sudah_ada()
    with django_assert_max_num_queries(60):
        hasil = demo.buat_pengaduan(konteks)
    assert demo.sudah_ada()
    assert hasil["pengaduan"] == Pengaduan.objects.count() == 31
    assert set(Pengaduan.objects.values_list("status", flat=True)) == set(StatusPengaduan.values)
    assert Pengaduan.objects.terlambat().count() == 5
    assert Pengaduan.history.count() >= Pengaduan.objects.count()  # every row has its history
    kasus = Kasus.objects.get()
    p = Pengaduan.objects.get(kategori="butuh_bantuan")
    assert p.kasus == kasus and kasus.sumber == "pengaduan" and kasus.kelurahan == p.kelurahan
    # Without distributions in the database the link is skipped, nothing fails.
    assert "pengaduan tertaut penyaluran" not in hasil
    assert not Pengaduan.objects.filter(penyaluran__isnull=False).exists()


def test_demo_menautkan_penyaluran_dan_psmnya(konteks, keluarga_a, kelurahan_a):
    psm = UserFactory(username="psm.demo", peran=Peran.PSM, kelurahan=[kelurahan_a])
    penyaluran = PenyaluranFactory(keluarga=keluarga_a, pendamping=psm)
    hasil = demo.buat_pengaduan(konteks)
    assert hasil["pengaduan tertaut penyaluran"] == 1
    p = Pengaduan.objects.get(penyaluran=penyaluran)
    assert p.kategori == "pungli" and p.psm == psm and p.kelurahan == kelurahan_a
    assert p.history.filter(history_type="~").exists()


def test_demo_deterministik(konteks):
    demo.buat_pengaduan(konteks)
    pertama = list(Pengaduan.objects.order_by("kode_lacak").values_list("kode_lacak", "status", "kategori", "anonim"))
    Pengaduan.objects.all().delete()
    Kasus.objects.all().delete()
    demo.buat_pengaduan(konteks)
    kedua = list(Pengaduan.objects.order_by("kode_lacak").values_list("kode_lacak", "status", "kategori", "anonim"))
    assert pertama == kedua
