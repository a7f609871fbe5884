"""The assistance demo step (bantuan/demo.py): a year of distributions, confirmations, the leaks."""

import time

import pytest
from django.db.models import Count

from bantuan import demo
from bantuan.models import Bendera, Konfirmasi, Penyaluran
from kemiskinan import demo as demo_miskin
from penduduk import demo as demo_registri
from penduduk.demo import semua_langkah

pytestmark = pytest.mark.django_db


def test_langkah_terdaftar_setelah_psm():
    nama = [lang.nama for lang in semua_langkah()]
    assert nama.index("bantuan") > nama.index("kemiskinan")
    assert demo.LANGKAH[0].nama == "bantuan"


def test_demo_bantuan():
    konteks = demo_registri.Konteks(jumlah_keluarga=400)
    demo_registri.pastikan_pengguna(demo_registri.KATA_SANDI_BAWAAN, konteks)
    demo_registri.buat_registri(konteks)
    demo_miskin.buat_kemiskinan(konteks)
    assert not demo.sudah_ada()
    mulai = time.monotonic()
    hasil = demo.buat_bantuan(konteks)
    detik = time.monotonic() - mulai
    assert demo.sudah_ada()
    assert hasil["penyaluran"] == Penyaluran.objects.count() > 1000
    assert hasil["konfirmasi penerimaan"] == Konfirmasi.objects.count()
    assert Konfirmasi.objects.count() > 0.8 * Penyaluran.objects.exclude(status="direncanakan").count()
    assert Penyaluran.history.count() == Penyaluran.objects.count()
    assert Konfirmasi.history.count() == Konfirmasi.objects.count()
    jenis = dict(Bendera.objects.values_list("jenis").annotate(n=Count("id")))
    assert jenis["ganda"] == 1
    assert jenis["pendamping_janggal"] == 1
    assert jenis["kurang_terima"] >= demo.KURANG_ACAK
    assert 1 <= jenis["belum_dikonfirmasi"] < 40
    assert Bendera.history.count() == Bendera.objects.count()
    programs = set(Penyaluran.objects.values_list("program__kode", flat=True))
    assert {"PKH", "BPNT", "KUBE-UEP"} <= programs
    assert detik < 15  # about 1.3 s alone on SQLite; generous under a parallel, loaded run
