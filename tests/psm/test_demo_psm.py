"""Issue 8: the PSM part of ``seed_demo``: profiles, a kelurahan with two PSM, some with none,
visits over the last six months backing every "last visited", idempotent."""

from __future__ import annotations

import datetime as dt
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Max
from django.utils import timezone

from akun.models import User
from akun.roles import Peran
from ppks.models import PPKS
from psm.demo import JUMLAH_DUA_PSM, JUMLAH_TANPA_PSM, TANPA_PSM
from psm.models import Kunjungan, Pelatihan, PersetujuanIkrar, ProfilPSM
from psm.rekap_staf import cakupan

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, "--izinkan-tanpa-debug", stdout=out)
    return out.getvalue()


def _hitungan() -> dict[str, int]:
    return {
        "profil": ProfilPSM.objects.count(),
        "pelatihan": Pelatihan.objects.count(),
        "kunjungan": Kunjungan.objects.count(),
        "ikrar": PersetujuanIkrar.objects.count(),
        "pengguna": User.objects.count(),
        "aktif": User.objects.filter(is_active=True).count(),
        "riwayat_pengguna": User.history.count(),
        "riwayat_profil": ProfilPSM.history.count(),
    }


def test_demo_psm(django_user_model):
    mulai = time.perf_counter()
    keluaran = seed("--keluarga", "400")
    assert time.perf_counter() - mulai < 60
    assert "PSM: profil, ikrar, kunjungan: dibuat" in keluaran
    hari_ini = timezone.localdate()

    psm = User.objects.filter(peran=Peran.PSM)
    assert ProfilPSM.objects.count() == psm.count() == 47 + JUMLAH_DUA_PSM
    for profil in ProfilPSM.objects.select_related("user", "kelurahan_utama"):
        assert profil.kelurahan_utama_id in profil.user.kelurahan_ids()
        assert profil.tautan_whatsapp.startswith("https://wa.me/62") and profil.nomor_sk
    assert Pelatihan.objects.exists() and ProfilPSM.objects.filter(koordinator=True).count() == 5
    assert 0 < PersetujuanIkrar.objects.count() < psm.count()

    # Coverage: some kelurahan with two active PSM, a few with none.
    staf = User.objects.get(username="staf")
    baris = [b for g in cakupan(staf) for b in g.baris]
    assert sum(1 for b in baris if b.psm_aktif == 2) == JUMLAH_DUA_PSM
    tanpa = [b for b in baris if b.psm_aktif == 0]
    assert len(tanpa) == JUMLAH_TANPA_PSM
    assert all(b.ppks_tanpa_pendamping == b.ppks for b in tanpa)
    assert all(p.aktif_sampai == hari_ini for p in ProfilPSM.objects.filter(user__is_active=False))
    assert {b.kelurahan.slug for b in tanpa} == set(TANPA_PSM)

    # Visits over the last six months; every "last visited" is backed by a visit on that date.
    enam_bulan = hari_ini - dt.timedelta(days=182)
    kunjungan = Kunjungan.objects.filter(tanggal__gte=enam_bulan)
    assert kunjungan.count() > 50
    assert kunjungan.filter(tanggal__lte=hari_ini - dt.timedelta(days=90)).exists()
    assert kunjungan.filter(oleh__peran=Peran.PSM).exists()
    assert kunjungan.filter(keluarga__isnull=False).exists()  # extreme-poor households (kemiskinan demo)
    terakhir = dict(
        Kunjungan.objects.filter(penduduk__isnull=False).values_list("penduduk_id").annotate(t=Max("tanggal"))
    )
    for p in PPKS.objects.aktif().filter(terakhir_dikunjungi__isnull=False):
        assert terakhir.get(p.penduduk_id) == p.terakhir_dikunjungi, p.pk
    per_psm = Kunjungan.objects.values("oleh").annotate(n=Count("id"))
    assert per_psm.count() > 10

    # Idempotent: a second run (and --if-empty) adds nothing and keeps the gap.
    sebelum = _hitungan()
    kedua = seed("--keluarga", "400")
    assert "PSM: profil, ikrar, kunjungan: data sudah ada" in kedua
    seed("--if-empty")
    assert _hitungan() == sebelum
    # Another password reaches the second accounts too.
    seed("--if-empty", "--password", "baru-456")
    seed("--keluarga", "400", "--password", "baru-456")
    assert all(u.check_password("baru-456") for u in User.objects.filter(username__endswith=".2"))
    assert sum(1 for g in cakupan(staf) for b in g.baris if b.psm_aktif == 0) == JUMLAH_TANPA_PSM
