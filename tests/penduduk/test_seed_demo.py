"""``manage.py seed_demo``: demo accounts and a realistic, valid, reproducible registry."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import timezone

from akun.models import User
from akun.roles import Peran
from penduduk import demo
from penduduk.choices import Hubungan, Pendidikan, StatusPenduduk
from penduduk.models import Keluarga, Penduduk
from penduduk.names import normalisasi_nama
from penduduk.nik import periksa_nik, periksa_no_kk
from psm.demo import JUMLAH_DUA_PSM, TANPA_PSM
from tests.factories import PendudukFactory
from wilayah.models import Kelurahan

pytestmark = pytest.mark.django_db


def test_menolak_jalan_tanpa_debug(settings):
    """seed_demo is a development command; tests (DEBUG off) pass --izinkan-tanpa-debug."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="hanya untuk pengembangan"):
        call_command("seed_demo", "--keluarga", "5", stdout=StringIO())
    assert not User.objects.filter(username="admin").exists()
    call_command("seed_demo", "--keluarga", "5", "--izinkan-tanpa-debug", stdout=StringIO())
    assert User.objects.filter(username="admin").exists()


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, "--izinkan-tanpa-debug", stdout=out)
    return out.getvalue()


def _kode(kelurahan: Kelurahan) -> str:
    return kelurahan.kecamatan.kode.replace(".", "")


def _ulang_tahun(lahir: dt.date, umur: int) -> dt.date:
    try:
        return lahir.replace(year=lahir.year + umur)
    except ValueError:
        return lahir.replace(year=lahir.year + umur, day=28)


def _hitungan() -> dict[str, int]:
    return {
        "penduduk": Penduduk.objects.count(),
        "keluarga": Keluarga.objects.count(),
        "pengguna": User.objects.count(),
        "riwayat_penduduk": Penduduk.history.count(),
        "riwayat_keluarga": Keluarga.history.count(),
        "riwayat_pengguna": User.history.count(),
    }


# --------------------------------------------------------------------------------------------
# Default size: the whole registry is valid and consistent
# --------------------------------------------------------------------------------------------


def test_ukuran_bawaan_registri_lengkap_sah_dan_konsisten():
    mulai = time.perf_counter()
    keluaran = seed()
    durasi = time.perf_counter() - mulai
    # About 7 s alone; the bound only catches a step gone quadratic, not a busy CI machine.
    assert durasi < 120, f"seed_demo took {durasi:.1f} s"
    hari_ini = timezone.localdate()

    penduduk = list(Penduduk.objects.select_related("kelurahan__kecamatan", "keluarga"))
    keluarga = list(Keluarga.objects.select_related("kelurahan__kecamatan"))
    assert len(penduduk) >= 5000
    assert len(keluarga) == 1500
    assert "1500 keluarga" in keluaran

    # Every one of the 47 kelurahan has households and people.
    kelurahan = Kelurahan.objects.annotate(
        n_penduduk=Count("penduduk", distinct=True), n_keluarga=Count("keluarga", distinct=True)
    )
    assert kelurahan.count() == 47
    assert all(k.n_penduduk > 0 and k.n_keluarga > 0 for k in kelurahan), [
        k.nama for k in kelurahan if not k.n_penduduk
    ]

    # NIK: valid, no warnings (known region, sex and birth date as recorded), unique.
    ber_nik = [o for o in penduduk if o.nik]
    for orang in ber_nik:
        hasil = periksa_nik(orang.nik, jenis_kelamin=orang.jenis_kelamin, tanggal_lahir=orang.tanggal_lahir)
        assert hasil.galat == [] and hasil.peringatan == [], (orang.nik, hasil.galat, hasil.peringatan)
        assert hasil.info.tanggal_lahir == orang.tanggal_lahir, orang.nik  # same century too
        assert hasil.info.jenis_kelamin == orang.jenis_kelamin
        assert orang.nik.startswith("13")  # West Sumatra
    assert len({o.nik for o in ber_nik}) == len(ber_nik)
    prefiks = Counter(
        "sendiri" if o.keluarga and o.nik[:6] == _kode(o.kelurahan) else "payakumbuh" if o.nik[:4] == "1376" else "luar"
        for o in ber_nik
    )
    assert prefiks["sendiri"] / len(ber_nik) > 0.75
    assert 0 < prefiks["luar"] / len(ber_nik) < 0.15
    assert prefiks["payakumbuh"] > 0

    # No KK: valid, issued in the household's kecamatan, after the head's 17th birthday.
    assert len({k.no_kk for k in keluarga}) == len(keluarga)
    kepala = {o.keluarga_id: o for o in penduduk if o.hubungan == Hubungan.KEPALA}
    for kk in keluarga:
        hasil = periksa_no_kk(kk.no_kk)
        assert hasil.galat == [] and hasil.peringatan == [], (kk.no_kk, hasil.galat)
        assert kk.no_kk[:6] == _kode(kk.kelurahan)
        terbit = dt.datetime.strptime(kk.no_kk[6:12], "%d%m%y").date()
        assert _ulang_tahun(kepala[kk.pk].tanggal_lahir, 17) < terbit <= hari_ini, kk.no_kk
        assert re.fullmatch(r"0(0[1-9]|10)", kk.rt) and re.fullmatch(r"0(0[1-9]|10)", kk.rw)
        assert kk.alamat

    # Exactly one head per household; members live where their household is.
    per_keluarga = Keluarga.objects.annotate(n=Count("anggota", filter=Q(anggota__hubungan=Hubungan.KEPALA)))
    assert set(per_keluarga.values_list("n", flat=True)) == {1}
    anggota = [o for o in penduduk if o.keluarga_id]
    assert all(o.kelurahan_id == o.keluarga.kelurahan_id and o.alamat == o.keluarga.alamat for o in anggota)
    assert all(o.hubungan for o in anggota)

    # Plausible ages relative to the head.
    for o in anggota:
        kepala_lahir = kepala[o.keluarga_id].tanggal_lahir
        if o.hubungan == Hubungan.ANAK:
            assert o.tanggal_lahir >= _ulang_tahun(kepala_lahir, 15), (o.nama, o.tanggal_lahir, kepala_lahir)
        elif o.hubungan == Hubungan.CUCU:
            assert o.tanggal_lahir >= _ulang_tahun(kepala_lahir, 35)
        elif o.hubungan == Hubungan.ORANG_TUA:
            assert _ulang_tahun(o.tanggal_lahir, 15) <= kepala_lahir
        elif o.hubungan == Hubungan.MERTUA:
            assert o.tanggal_lahir < kepala_lahir
        assert o.tanggal_lahir <= hari_ini
    hubungan = Counter(o.hubungan for o in anggota)
    assert hubungan[Hubungan.ISTRI] > 900 and hubungan[Hubungan.ANAK] > 1500
    assert hubungan[Hubungan.CUCU] > 0 and hubungan[Hubungan.ORANG_TUA] + hubungan[Hubungan.MERTUA] > 0

    # About 20 people without NIK (gelandangan), outside any household, in a few kelurahan.
    tanpa_nik = [o for o in penduduk if not o.nik]
    assert len(tanpa_nik) == 20
    assert all(o.keluarga_id is None and o.hubungan == "" for o in tanpa_nik)
    assert 2 <= len({o.kelurahan_id for o in tanpa_nik}) <= 5

    # Shares: disability ~2%, deceased/moved ~1% (never the head).
    assert 0.01 <= sum(1 for o in penduduk if o.disabilitas) / len(penduduk) <= 0.04
    tidak_hidup = [o for o in penduduk if o.status != StatusPenduduk.HIDUP]
    assert 0.005 <= len(tidak_hidup) / len(penduduk) <= 0.02
    assert {o.status for o in tidak_hidup} == {StatusPenduduk.MENINGGAL, StatusPenduduk.PINDAH}
    assert not any(o.hubungan == Hubungan.KEPALA for o in tidak_hidup)

    # Names, education, jobs, phones.
    assert all(o.nama_normal == normalisasi_nama(o.nama) and o.nama_normal for o in penduduk)
    assert {o.pendidikan for o in ber_nik} <= set(Pendidikan.values)
    assert all(o.pekerjaan for o in penduduk)
    pekerjaan = Counter(o.pekerjaan for o in penduduk)
    assert {"Petani/Pekebun", "Pedagang", "Mengurus Rumah Tangga", "Pelajar/Mahasiswa"} <= set(pekerjaan)
    bertelepon = [o for o in penduduk if o.telepon]
    assert len(bertelepon) > 1000
    for o in bertelepon:
        assert re.fullmatch(r"08\d{9,10}", o.telepon)
        assert (hari_ini - o.tanggal_lahir).days >= 17 * 365

    # Bulk writes left no hole in the audit trail.
    for model, jumlah in ((Penduduk, len(penduduk)), (Keluarga, len(keluarga))):
        riwayat = model.history.all()
        assert riwayat.count() == jumlah
        assert set(riwayat.values_list("history_type", "history_change_reason").distinct()) == {
            ("+", demo.ALASAN_RIWAYAT)
        }
    assert Penduduk.history.filter(nik=ber_nik[0].nik, id=ber_nik[0].pk).exists()


# --------------------------------------------------------------------------------------------
# Smaller runs: users, options, idempotency, determinism
# --------------------------------------------------------------------------------------------


def test_akun_demo_dengan_peran_kelurahan_dan_kata_sandi():
    keluaran = seed("--keluarga", "50", "--password", "sandi-uji-123")

    admin = User.objects.get(username="admin")
    assert (admin.peran, admin.is_superuser, admin.is_staff) == (Peran.ADMIN, True, True)
    staf = User.objects.get(username="staf")
    assert (staf.peran, staf.is_superuser, staf.is_staff) == (Peran.STAF, False, True)
    pimpinan = User.objects.get(username="pimpinan")
    assert (pimpinan.peran, pimpinan.is_superuser, pimpinan.is_staff) == (Peran.PIMPINAN, False, False)

    # psm.<slug>: one per kelurahan (the PSM demo adds psm.<slug>.2 in a few, psm/demo.py).
    psm = User.objects.filter(peran=Peran.PSM).exclude(username__endswith=".2").prefetch_related("kelurahan")
    assert psm.count() == 47
    for kel in Kelurahan.objects.all():
        user = psm.get(username=f"psm.{kel.slug}")
        assert list(user.kelurahan.all()) == [kel]
        assert not user.is_staff and not user.is_superuser
    # The public complaint form's system account (pengaduan/sistem.py) can never log in.
    sistem = User.objects.get(username="sistem.pengaduan")
    assert not sistem.is_active and not sistem.has_usable_password()
    for user in User.objects.exclude(pk=sistem.pk):
        assert user.check_password("sandi-uji-123"), user.username
        assert not user.check_password("demo12345")
        # The PSM demo ends a few PSM accounts (a coverage gap, psm/demo.py TANPA_PSM).
        assert user.is_active or user.username in {f"psm.{s}" for s in TANPA_PSM}
        assert user.first_name and user.last_name
    assert User.objects.get(username="psm.tanjuang-pauh").kelurahan.get().nama == "Tanjuang Pauh"

    # The logins are printed: a table with username, role and kelurahan.
    assert "Akun demo (kata sandi semua akun: sandi-uji-123)" in keluaran
    assert re.search(r"admin\s+Admin\s+\(seluruh kota\)", keluaran)
    assert re.search(r"staf\s+Staf Dinsos\s+\(seluruh kota\)", keluaran)
    assert re.search(r"pimpinan\s+Pimpinan\s+\(seluruh kota\)", keluaran)
    assert re.search(r"psm\.tanjuang-pauh\s+PSM\s+Tanjuang Pauh", keluaran)
    for kel in Kelurahan.objects.all():
        assert f"psm.{kel.slug}" in keluaran


def test_ukuran_kecil_tetap_di_semua_kelurahan_dan_sah():
    seed("--keluarga", "47")
    semua = set(Kelurahan.objects.values_list("pk", flat=True))
    assert set(Keluarga.objects.values_list("kelurahan", flat=True)) == semua
    assert Keluarga.objects.count() == 47
    assert Penduduk.objects.filter(nik__isnull=True).count() == 3
    for nik in Penduduk.objects.exclude(nik=None).values_list("nik", flat=True):
        assert periksa_nik(nik).sah


def test_dua_kali_jalan_tidak_menggandakan_apa_pun():
    pertama = seed("--keluarga", "120")
    sebelum = _hitungan()
    assert (
        sebelum["penduduk"] > 300 and sebelum["keluarga"] == 120 and sebelum["pengguna"] == 50 + JUMLAH_DUA_PSM + 1
    )  # + sistem.pengaduan
    assert "dibuat 120 keluarga" in pertama

    kedua = seed("--keluarga", "120")
    assert _hitungan() == sebelum  # no new rows, not even history rows for unchanged users
    assert "data sudah ada, tidak dibuat ulang" in kedua
    assert "psm.napar" in kedua
    assert User.objects.get(username="staf").check_password("demo12345")


def test_jalan_ulang_dengan_kata_sandi_lain_mengganti_kata_sandi():
    seed("--keluarga", "10")
    seed("--keluarga", "10", "--password", "baru-456")
    assert User.objects.count() == 50 + JUMLAH_DUA_PSM + 1  # + sistem.pengaduan, which never logs in
    assert all(u.check_password("baru-456") for u in User.objects.exclude(username="sistem.pengaduan"))


def test_pengguna_yang_sudah_ada_dibetulkan_peran_dan_kelurahannya():
    kel = Kelurahan.objects.get(slug="napar")
    lain = Kelurahan.objects.get(slug="tanjuang-pauh")
    user = User.objects.create_user("psm.napar", password="lama", peran=Peran.STAF, is_active=False)
    user.kelurahan.set([lain])
    seed("--keluarga", "10")
    user.refresh_from_db()
    assert (user.peran, user.is_active) == (Peran.PSM, True)
    assert list(user.kelurahan.all()) == [kel]
    assert user.check_password("demo12345")
    assert User.objects.filter(username="psm.napar").count() == 1


def test_if_empty_pada_registri_kosong_membuat_data():
    keluaran = seed("--if-empty", "--keluarga", "30")
    assert Keluarga.objects.count() == 30
    assert Penduduk.objects.count() > 60
    assert "psm.tanjuang-pauh" in keluaran


def test_if_empty_pada_data_demo_hanya_memastikan_akun():
    seed("--keluarga", "30")
    User.objects.filter(username="pimpinan").delete()
    sebelum = (Penduduk.objects.count(), Keluarga.objects.count(), Penduduk.history.count())

    keluaran = seed("--if-empty", "--keluarga", "30")
    assert (Penduduk.objects.count(), Keluarga.objects.count(), Penduduk.history.count()) == sebelum
    assert "data demo tidak dibuat (--if-empty)" in keluaran
    assert User.objects.get(username="pimpinan").peran == Peran.PIMPINAN
    assert "pimpinan" in keluaran


def test_if_empty_pada_registri_berisi_data_lain_tidak_menambah_registri():
    PendudukFactory(nama="Rangkayo Basa")
    keluaran = seed("--if-empty")
    assert Penduduk.objects.count() == 1
    assert Keluarga.objects.count() == 0
    assert User.objects.filter(peran=Peran.PSM).count() == 47
    assert "Registri sudah berisi data (1 penduduk, 0 keluarga)" in keluaran
    assert re.search(r"admin\s+Admin", keluaran)


def test_tanpa_if_empty_menolak_mencampur_data_demo_ke_registri_berisi_data_lain():
    PendudukFactory(nama="Rangkayo Basa")
    with pytest.raises(CommandError, match="bukan data demo"):
        seed("--keluarga", "10")
    assert Penduduk.objects.count() == 1
    assert not User.objects.exists()


@pytest.mark.parametrize("argumen", [("--keluarga", "0"), ("--password", "")])
def test_opsi_tidak_sah_ditolak(argumen):
    with pytest.raises(CommandError):
        seed(*argumen)
    assert not Penduduk.objects.exists()


def test_riwayat_ada_untuk_setiap_baris_yang_dibuat_massal():
    seed("--keluarga", "40")
    for model in (Penduduk, Keluarga):
        ids = set(model.objects.values_list("pk", flat=True))
        riwayat = model.history.filter(history_type="+", history_change_reason=demo.ALASAN_RIWAYAT)
        assert set(riwayat.values_list("id", flat=True)) == ids
    orang = Penduduk.objects.exclude(nik=None).first()
    rekam = orang.history.get()
    assert (rekam.nik, rekam.nama, rekam.keluarga_id, rekam.tanggal_lahir) == (
        orang.nik,
        orang.nama,
        orang.keluarga_id,
        orang.tanggal_lahir,
    )
    assert User.history.filter(username="admin").exists()


def _ringkas(konteks: demo.Konteks):
    keluarga, penduduk = demo.bangkitkan_registri(konteks)
    return (
        [(k.no_kk, k.kelurahan_id, k.alamat, k.rt, k.rw) for k in keluarga],
        [(o.nik, o.nama, o.tanggal_lahir, o.hubungan, o.pekerjaan, o.telepon, o.status) for o in penduduk],
    )


def test_seed_sama_memberi_data_sama_seed_lain_berbeda():
    hari_ini = dt.date(2026, 5, 1)
    a = _ringkas(demo.Konteks(seed=7, jumlah_keluarga=60, hari_ini=hari_ini))
    b = _ringkas(demo.Konteks(seed=7, jumlah_keluarga=60, hari_ini=hari_ini))
    c = _ringkas(demo.Konteks(seed=8, jumlah_keluarga=60, hari_ini=hari_ini))
    assert a == b
    assert a != c
    for nik, *_ in a[1]:
        if nik:
            assert periksa_nik(nik, hari_ini=hari_ini).sah


def test_perintah_menulis_data_yang_sama_dengan_pembangkit():
    seed("--keluarga", "25", "--seed", "99")
    _, penduduk = demo.bangkitkan_registri(demo.Konteks(seed=99, jumlah_keluarga=25))
    assert set(Penduduk.objects.values_list("nik", "nama")) == {(o.nik, o.nama) for o in penduduk}


def test_tanpa_data_wilayah_perintah_berhenti_dengan_pesan_jelas():
    Kelurahan.objects.all().delete()
    with pytest.raises(CommandError, match="manage.py migrate"):
        seed("--keluarga", "10")
    assert not User.objects.exists()
