"""``seed_demo``'s PPKS part (ppks/demo.py): registrations and cases, realistic and reproducible."""

from __future__ import annotations

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from akun.models import User
from penduduk.demo import ALASAN_RIWAYAT, Konteks
from penduduk.models import Penduduk
from penduduk.nik import periksa_nik
from pengaduan.sistem import USERNAME as AKUN_FORMULIR
from ppks import demo as ppks_demo
from ppks.alur import TRANSISI
from ppks.choices import STATUS_TERBUKA, JenisTindakan, StatusKasus, StatusPPKS
from ppks.models import PPKS, Kasus, Rujukan, Tindakan
from tests.factories import PendudukFactory
from wilayah.models import Kelurahan

pytestmark = pytest.mark.django_db

ANAK = {"ABT", "AT", "ABH", "AJ", "ADK", "AKTK", "AMPK"}
SENSITIF = {"ABH", "AKTK", "TS", "BWBLP", "ODHA", "NAPZA", "KTR", "KTK"}


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, "--izinkan-tanpa-debug", stdout=out)
    return out.getvalue()


def _umur(orang: Penduduk) -> int:
    hari = timezone.localdate()
    lahir = orang.tanggal_lahir
    return hari.year - lahir.year - ((hari.month, hari.day) < (lahir.month, lahir.day))


def _hitungan() -> dict[str, int]:
    return {m.__name__: (m.objects.count(), m.history.count()) for m in (PPKS, Kasus, Tindakan, Rujukan, Penduduk)}


# --------------------------------------------------------------------------------------------
# Default size: one run, every property of the data
# --------------------------------------------------------------------------------------------


def _periksa_ppks(keluaran: str) -> None:
    semua = list(PPKS.objects.select_related("penduduk__kelurahan", "jenis", "psm_pendamping"))
    assert 300 <= len(semua) <= 400
    assert re.search(rf"PPKS: dibuat {len(semua)} PPKS, \d+ jenis, 47 kelurahan", keluaran)
    assert {p.penduduk.kelurahan_id for p in semua} == set(Kelurahan.objects.values_list("pk", flat=True))

    # Realistic weights: lansia, disabilitas, fakir miskin, anak telantar lead; sensitive ones are few.
    jenis = Counter(p.jenis.singkatan for p in semua)
    assert len(jenis) >= 20
    assert {s for s, _ in jenis.most_common(4)} == {"LUT", "FM", "PD", "AT"}
    # Ages move with the date, and with them the jenis that fit: about 5-7 %, never a large share.
    assert sum(jenis[s] for s in SENSITIF) / len(semua) < 0.08
    assert jenis["KAT"] == 0

    status = Counter(p.status for p in semua)
    assert set(status) == set(StatusPPKS.values)
    assert status[StatusPPKS.AKTIF] > len(semua) / 2
    hari_ini = timezone.localdate()
    for p in semua:
        orang, singkatan = p.penduduk, p.jenis.singkatan
        # The person fits the jenis: children under 18, toddlers under 5, elderly 60+.
        if orang.tanggal_lahir is None:
            assert singkatan in {"GEL", "PENG"}, (orang, singkatan)
        else:
            umur = _umur(orang)
            assert umur < 18 if singkatan in ANAK else umur >= 16, (orang, umur, singkatan)
            assert singkatan != "ABT" or umur < 5
            assert singkatan != "LUT" or umur >= 60
            assert singkatan not in {"PD", "ADK"} or orang.disabilitas
        assert orang.nik is None and singkatan in {"GEL", "PENG"} or periksa_nik(orang.nik).sah
        assert orang.status == "hidup"
        # The pendamping is the demo PSM of the person's kelurahan.
        assert p.psm_pendamping.username == f"psm.{orang.kelurahan.slug}"
        assert p.kebutuhan and set(p.kebutuhan) <= set(ppks_demo.PROFIL[singkatan].kebutuhan)
        assert p.terdata_pada < hari_ini
        assert p.terakhir_dikunjungi is None or p.terdata_pada <= p.terakhir_dikunjungi <= hari_ini
        if p.status == StatusPPKS.BUKAN_PPKS:
            assert p.tanggal_selesai and p.terdata_pada < p.tanggal_selesai < hari_ini and p.alasan_selesai
        else:
            assert p.tanggal_selesai is None and p.alasan_selesai == ""
    # Some were never visited, some not for more than 90 days.
    tidak_dikunjungi = [p for p in semua if p.terakhir_dikunjungi is None]
    lama = [p for p in semua if p.terakhir_dikunjungi and (hari_ini - p.terakhir_dikunjungi).days > 90]
    assert 0.05 < len(tidak_dikunjungi) / len(semua) < 0.25
    assert 0.1 < len(lama) / len(semua) < 0.4

    # One history row each, with the demo reason; the PSM who found them, or the office.
    riwayat = PPKS.history.select_related("history_user")
    assert riwayat.count() == len(semua)
    assert set(riwayat.values_list("history_type", "history_change_reason").distinct()) == {("+", ALASAN_RIWAYAT)}
    oleh = Counter(r.history_user.username.split(".")[0] for r in riwayat)
    assert set(oleh) == {"psm", "staf"}


def _periksa_kasus(keluaran: str) -> None:
    sekarang = timezone.now()
    # The cases of the PPKS demo; the complaint demo opens one more through the public form.
    semua = list(
        Kasus.objects.exclude(dibuat_oleh__username=AKUN_FORMULIR).select_related(
            "psm", "petugas", "dibuat_oleh", "kelurahan", "penduduk", "jenis"
        )
    )
    assert 55 <= len(semua) <= 60
    assert f"Kasus respons cepat: dibuat {len(semua)} kasus" in keluaran
    assert set(Counter(k.status for k in semua)) == set(StatusKasus.values)
    # Some new cases wait past their deadline with nobody acting yet (red on the board).
    terlambat = list(Kasus.objects.terlambat())
    assert len(terlambat) >= 3 and all(k.direspons_pada is None for k in terlambat)
    assert any(k.terbuka and not k.terlambat for k in semua)
    assert any(k.viral for k in semua) and all(k.urgensi == "darurat" for k in semua if k.viral)
    assert sum(k.urgensi == "darurat" for k in semua) >= 5
    assert 3 <= sum(k.penduduk_id is None for k in semua) <= 12
    assert any("mengemis" in k.ringkasan and k.penduduk_id is None for k in semua)
    assert len({k.kelurahan_id for k in semua}) >= 20

    for k in semua:
        assert re.fullmatch(r"KS-\d{4}-\d{6}", k.nomor)
        assert k.dibuat_pada < sekarang and k.batas_respons > k.dibuat_pada
        if k.penduduk is not None:
            assert k.kelurahan_id == k.penduduk.kelurahan_id
            if k.jenis.singkatan in ANAK:
                assert _umur(k.penduduk) < 18
            if k.jenis.singkatan == "LUT":
                assert _umur(k.penduduk) >= 60
        if k.psm is not None:
            assert k.psm.username == f"psm.{k.kelurahan.slug}"
        linimasa = list(k.tindakan.select_related("oleh"))
        # The first response is the first entry of the timeline; every entry is in the past.
        assert k.direspons_pada == (min(t.waktu for t in linimasa) if linimasa else None)
        assert all(k.dibuat_pada <= t.waktu < sekarang for t in linimasa)
        assert [t.waktu for t in linimasa] == sorted(t.waktu for t in linimasa)
        # The status entries walk the workflow's allowed transitions from baru to today's status.
        status = [t.uraian for t in linimasa if t.jenis == JenisTindakan.STATUS]
        langkah = [StatusKasus.BARU.value]
        for uraian in status:
            dari, ke = re.match(r"Status: (\w+) → (\w+)\.", uraian).groups()
            assert StatusKasus(langkah[-1]).label == dari
            langkah.append(next(s for s in StatusKasus if s.label == ke).value)
            assert langkah[-1] in TRANSISI[langkah[-2]]
        assert langkah[-1] == k.status
        for t in linimasa:
            if t.jenis == JenisTindakan.KUNJUNGAN:
                assert t.oleh.username == f"psm.{k.kelurahan.slug}"
        if k.status in (StatusKasus.SELESAI, StatusKasus.DITUTUP):
            assert k.selesai_pada == linimasa[-1].waktu
        assert bool(k.alasan_tutup) is (k.status == StatusKasus.DITUTUP)
        if k.status == StatusKasus.DIRUJUK:
            assert k.rujukan.exists()
        # The history carries the simulated times too: reported when it was reported.
        # Ties on history_date (a simulated time shared by two writes) are broken by insertion order.
        pertama = k.history.order_by("history_date", "history_id").first()
        assert (pertama.history_type, pertama.history_date, pertama.history_user) == ("+", k.dibuat_pada, k.dibuat_oleh)
        assert pertama.history_change_reason == ALASAN_RIWAYAT
    assert Rujukan.objects.exists()
    assert not Kasus.objects.filter(status__in=STATUS_TERBUKA, selesai_pada__isnull=False).exists()


def test_ukuran_bawaan_ppks_dan_kasus_realistis():
    keluaran = seed()
    _periksa_ppks(keluaran)
    _periksa_kasus(keluaran)


# --------------------------------------------------------------------------------------------
# Smaller runs: idempotency, --if-empty, determinism
# --------------------------------------------------------------------------------------------


def test_ukuran_kecil_tetap_semua_status_kasus():
    keluaran = seed("--keluarga", "60")
    assert PPKS.objects.count() >= 47  # one per kelurahan at least
    assert set(Kasus.objects.values_list("status", flat=True)) == set(StatusKasus.values)
    # 14 from the PPKS demo, one more opened by a public complaint (pengaduan/demo.py).
    assert Kasus.objects.exclude(dibuat_oleh__username=AKUN_FORMULIR).count() == 14
    assert Kasus.objects.filter(dibuat_oleh__username=AKUN_FORMULIR).count() == 1
    assert "Kasus respons cepat: dibuat 14 kasus" in keluaran


def test_jalan_kedua_tidak_menambah_apa_pun():
    seed("--keluarga", "80")
    sebelum = _hitungan()
    assert sebelum["PPKS"][0] > 0 and sebelum["Kasus"][0] > 0 and sebelum["Tindakan"][0] > 0
    keluaran = seed("--keluarga", "80")
    assert _hitungan() == sebelum
    assert "PPKS: data sudah ada, tidak dibuat ulang." in keluaran
    assert "Kasus respons cepat: data sudah ada, tidak dibuat ulang." in keluaran


def test_langkah_yang_datanya_hilang_dibuat_lagi_tanpa_menyentuh_yang_lain():
    seed("--keluarga", "80")
    ppks = set(PPKS.objects.values_list("pk", flat=True))
    Kasus.objects.all().delete()
    keluaran = seed("--keluarga", "80")
    assert "PPKS: data sudah ada" in keluaran and "Kasus respons cepat: dibuat" in keluaran
    assert set(PPKS.objects.values_list("pk", flat=True)) == ppks
    assert Kasus.objects.exclude(dibuat_oleh__username=AKUN_FORMULIR).count() == 14


def test_if_empty_hanya_pada_registri_kosong():
    keluaran = seed("--if-empty", "--keluarga", "50")
    assert PPKS.objects.exists() and Kasus.objects.exists()
    assert "PPKS: dibuat" in keluaran
    sebelum = _hitungan()
    keluaran = seed("--if-empty", "--keluarga", "50")
    assert _hitungan() == sebelum
    assert "data demo tidak dibuat (--if-empty)" in keluaran


def test_if_empty_pada_registri_berisi_data_lain_tidak_membuat_ppks():
    PendudukFactory(nama="Rangkayo Basa")
    seed("--if-empty")
    assert not PPKS.objects.exists() and not Kasus.objects.exists()


def _ringkas() -> tuple[list, list]:
    ppks = sorted(
        PPKS.objects.values_list(
            "penduduk_id",
            "jenis__singkatan",
            "status",
            "kebutuhan",
            "sumber",
            "psm_pendamping__username",
            "terakhir_dikunjungi",
            "terdata_pada",
            "tanggal_selesai",
            "alasan_selesai",
            "catatan",
        )
    )
    kasus = [
        (
            k.ringkasan,
            k.status,
            k.urgensi,
            k.viral,
            k.penduduk_id,
            k.kelurahan_id,
            k.jenis_id,
            k.dibuat_pada,
            k.batas_respons,
            k.direspons_pada,
            k.selesai_pada,
            k.psm_id,
            k.petugas_id,
            [(t.jenis, t.waktu, t.oleh_id, t.uraian) for t in k.tindakan.all()],
        )
        for k in Kasus.objects.exclude(dibuat_oleh__username=AKUN_FORMULIR)
        .order_by("dibuat_pada")
        .prefetch_related("tindakan")
    ]
    return ppks, kasus


def _ulang(konteks: Konteks) -> tuple[list, list]:
    # The PSM demo ends a few PSM accounts after this step ran (psm/demo.py TANPA_PSM): replay as then.
    User.objects.filter(peran="psm").update(is_active=True)
    Kasus.objects.all().delete()
    PPKS.objects.all().delete()
    ppks_demo.buat_ppks(konteks)
    ppks_demo.buat_kasus(konteks)
    return _ringkas()


def test_seed_sama_memberi_data_sama_seed_lain_berbeda():
    seed("--keluarga", "120", "--seed", "7")
    pertama = _ringkas()
    assert pertama[0] and pertama[1]
    assert _ulang(Konteks(seed=7, jumlah_keluarga=120)) == pertama
    lain = _ulang(Konteks(seed=8, jumlah_keluarga=120))
    assert lain[0] != pertama[0] and lain[1] != pertama[1]
