"""The extreme-poverty demo (kemiskinan/demo.py): 41 KK / 222 jiwa at the baseline, verified exits,
new entries, a story the progress page tells truthfully."""

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Count
from django.utils import timezone

from kemiskinan import demo
from kemiskinan import progres as p
from kemiskinan.models import Intervensi, StatusMiskinEkstrem, Target, UsulanKeluar
from penduduk import demo as demo_registri
from penduduk.models import Penduduk
from wilayah.models import Kelurahan

pytestmark = pytest.mark.django_db


def _siapkan(jumlah_keluarga: int) -> demo_registri.Konteks:
    konteks = demo_registri.Konteks(jumlah_keluarga=jumlah_keluarga)
    demo_registri.pastikan_pengguna(demo_registri.KATA_SANDI_BAWAAN, konteks)
    demo_registri.buat_registri(konteks)
    return konteks


def _progres(per):
    kelurahan = list(Kelurahan.objects.select_related("kecamatan"))
    qs = StatusMiskinEkstrem.objects.all()
    return p.hitung(qs=qs, kelurahan=kelurahan, per=per, target=Target.objects.aktif(), seluruh_kota=True)


def test_demo_41_kk_222_jiwa_pada_baseline_dan_cerita_yang_benar():
    konteks = _siapkan(demo_registri.JUMLAH_KELUARGA_BAWAAN)
    penduduk_sebelum = (Penduduk.objects.count(), Penduduk.history.count())
    hasil = demo.buat_kemiskinan(konteks)
    assert hasil == {
        "KK miskin ekstrem": 45,
        "masa di daftar": 46,
        "usulan keluar": 43,
        "intervensi": hasil["intervensi"],
    }
    assert (Penduduk.objects.count(), Penduduk.history.count()) == penduduk_sebelum  # the registry is only read

    target = Target.objects.aktif()
    assert (target.tanggal_baseline, target.kk_baseline, target.jiwa_baseline, target.tanggal_target) == (
        dt.date(2023, 6, 16), 41, 222, dt.date(2024, 12, 31),
    )  # fmt: skip
    baseline = _progres(target.tanggal_baseline)
    assert baseline.kini == p.Angka(41, 222) == baseline.baseline_tercatat

    # Each stay's jiwa are its household's living members in the registry; spread over kelurahan.
    pada_baseline = list(StatusMiskinEkstrem.objects.terbuka_pada(target.tanggal_baseline).select_related("keluarga"))
    hidup = dict(
        Penduduk.objects.filter(status="hidup", keluarga__in=[s.keluarga_id for s in pada_baseline])
        .values_list("keluarga")
        .annotate(n=Count("*"))
    )
    assert all(s.jiwa_masuk == hidup[s.keluarga_id] for s in pada_baseline)
    per_kelurahan = Counter(s.keluarga.kelurahan_id for s in pada_baseline)
    assert len(per_kelurahan) >= 20 and max(per_kelurahan.values()) <= 2

    # Today: seven households left, exits verified by someone else, the story behind the projection.
    kini = _progres(timezone.localdate())
    assert kini.kini.kk == 7
    assert (kini.masuk.kk, kini.keluar.kk) == (5, 39)
    assert kini.menunggu_verifikasi == 1
    assert kini.proyeksi.status == p.TERLAMBAT and kini.proyeksi.tanggal_nol > target.tanggal_target
    assert 0 < _progres(target.tanggal_target).kini.kk < 41  # progress, but not zero on the target date
    assert {a for a, _ in kini.keluar_per_alasan} >= {"Pindah ke luar kota", "Bergabung dengan keluarga lain"}

    usulan = UsulanKeluar.objects.select_related("diusulkan_oleh", "status_miskin__keluarga__kelurahan")
    assert Counter(u.status for u in usulan) == {"disetujui": 39, "ditolak": 3, "diusulkan": 1}
    for u in usulan:
        assert u.diverifikasi_oleh_id != u.diusulkan_oleh_id
        if u.diusulkan_oleh.is_psm:
            assert u.diusulkan_oleh.kelurahan_ids() == [u.status_miskin.keluarga.kelurahan_id]
        assert u.status != "ditolak" or u.catatan_verifikasi
        assert u.alasan != "graduasi" or (u.pengeluaran_per_kapita > 322_170 and u.bukti)
    assert usulan.filter(diusulkan_oleh__peran="psm").count() > 30
    # A re-entry is a new stay of the same household.
    assert StatusMiskinEkstrem.objects.values("keluarga").annotate(n=Count("*")).filter(n=2).count() == 1
    # The change history carries the past dates.
    status = StatusMiskinEkstrem.objects.order_by("pk").first()
    assert timezone.localtime(status.history.earliest("history_date").history_date).date() == status.tanggal_masuk
    # The gap view has something to show, and help was recorded.
    assert Intervensi.objects.filter(program="bantuan_usaha", nilai=6_000_000).count() > 15
    terbuka = StatusMiskinEkstrem.objects.terbuka()
    assert terbuka.exclude(keluarga__in=Intervensi.objects.filter(program="pkh").values("keluarga_id")).exists()
    assert demo.sudah_ada()


def test_demo_registri_kecil_hanya_target():
    konteks = _siapkan(50)
    hasil = demo.buat_kemiskinan(konteks)
    assert list(hasil.values()) == [0]
    assert Target.objects.aktif() is not None and not StatusMiskinEkstrem.objects.exists()


def test_langkah_terpasang_di_seed_demo_setelah_registri():
    nama = [langkah.nama for langkah in demo_registri.semua_langkah()]
    assert "kemiskinan" in nama and nama.index("kemiskinan") > nama.index("registri")
