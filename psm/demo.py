"""The PSM part of ``seed_demo`` (after the registry, PPKS and, where present, kemiskinan).

One step, ``psm`` (``sudah_ada``: any PSM profile), made as Dinsos would:

* a second PSM account in a few kelurahan (``DUA_PSM``: ``psm.<slug>.2``, same demo password);
* a profile for every PSM account: name, WhatsApp number, NIK, SK number and date, active period,
  one koordinator per kecamatan, the kelurahan as primary, 1 to 3 trainings (bimtek);
* about two thirds of the active PSM accepted the current pledge (at a past time);
* visits over the last six months through ``psm.services.kunjungan_catat`` acting as the PSM:
  every PPKS resident's "last visited" date gets its visit (so ``PPKS.terakhir_dikunjungi`` is
  backed by a record), some an earlier one too, and the open extreme-poor households mostly
  within 30 days, some later, a few never;
* a coverage gap: in the ``TANPA_PSM`` kelurahan the only PSM left (``psm_nonaktifkan``), so the
  kelurahan has no active PSM and its residents no active pendamping (``penduduk.demo.
  pastikan_pengguna`` leaves such an ended account inactive, so the gap survives ``--if-empty``).

The kelurahan are fixed by name (not drawn) so that the README's example logins stay active.
``sudah_ada`` also checks that the second accounts carry the current demo password: a run with
another ``--password`` re-runs the step, whose parts each skip what is already there.

Deterministic (``konteks.rng("psm")``, dates counted back from ``konteks.hari_ini``) and a few
seconds at the default size.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Q
from django.utils import timezone

from akun.models import User
from akun.roles import Peran
from penduduk.demo import ALASAN_RIWAYAT, Konteks, Langkah, _nama_orang, _simpan, _telepon
from penduduk.nik import susun_nik
from ppks.choices import Kebutuhan, StatusPPKS
from ppks.models import PPKS
from psm import services
from psm.models import Ikrar, Kunjungan, Pelatihan, PersetujuanIkrar, ProfilPSM
from wilayah.models import Kelurahan

DUA_PSM = ("koto-tangah", "ikua-koto-dibalai", "balai-jaring", "limbukan")
TANPA_PSM = ("parik-rantang", "sicincin", "padang-sikabu")
JUMLAH_DUA_PSM, JUMLAH_TANPA_PSM = len(DUA_PSM), len(TANPA_PSM)
BAGIAN_IKRAR = 0.65
HARI_RIWAYAT = 182  # visits over the last six months

BIMTEK = (
    ("Bimtek Pendampingan PPKS", "Dinas Sosial Kota Payakumbuh"),
    ("Bimtek Verifikasi dan Validasi DTSEN", "Dinas Sosial Provinsi Sumatera Barat"),
    ("Pelatihan Dasar Pekerja Sosial Masyarakat", "Balai Besar Pendidikan dan Pelatihan Kesejahteraan Sosial Padang"),
    ("Bimtek Penanganan Kemiskinan Ekstrem", "Bappeda Kota Payakumbuh"),
    ("Pelatihan Layanan Dukungan Psikososial", "Kementerian Sosial RI"),
    ("Sosialisasi Anti Pungli dan Integritas Pendamping", "Inspektorat Kota Payakumbuh"),
)
TEMUAN = (
    "Kondisi kesehatan stabil; kebutuhan makan sehari-hari terpenuhi dengan bantuan tetangga.",
    "Rumah lembap dan atap bocor di dapur; keluarga minta dicatat untuk RTLH.",
    "Belum punya KTP-el; disarankan ke Disdukcapil bersama PSM pekan depan.",
    "Obat rutin habis; perlu dirujuk ke puskesmas untuk kontrol.",
    "Anak sudah kembali sekolah; seragam dan buku dibantu wali nagari.",
    "Keluarga menerima sembako bulan ini; tidak ada keluhan.",
    "Tinggal sendiri; tetangga membantu memasak. Perlu dipantau lebih sering.",
    "Kursi roda rusak; diusulkan alat bantu ke Dinsos.",
)
TINDAK_LANJUT = (
    "Usulkan PBI-JK ke Dinsos.",
    "Antar ke puskesmas untuk kontrol.",
    "Koordinasi dengan Disdukcapil untuk KTP-el.",
    "Usulkan bantuan RTLH.",
)


def sudah_ada() -> bool:
    if not ProfilPSM.objects.exists():
        return False
    sandi = dict(User.objects.filter(username__startswith="psm.").values_list("username", "password"))
    return all(sandi.get(f"psm.{s}.2") == sandi.get(f"psm.{s}") for s in DUA_PSM)


def _psm_utama() -> dict[int, User]:
    """psm.<slug> per kelurahan id (made by ``penduduk.demo.pastikan_pengguna``)."""
    kelurahan = dict(Kelurahan.objects.values_list("slug", "pk"))
    psm = User.objects.filter(username__in=[f"psm.{s}" for s in kelurahan], peran=Peran.PSM)
    return {kelurahan[u.username.removeprefix("psm.")]: u for u in psm}


def _akun_kedua(rng: random.Random, kel: Kelurahan, pertama: User) -> User:
    depan, belakang = _nama_orang(rng, rng.choice(("L", "P")))
    user, _baru = User.objects.get_or_create(
        username=f"psm.{kel.slug}.2",
        defaults={"peran": Peran.PSM, "first_name": depan, "last_name": belakang, "telepon": _telepon(rng)},
    )
    if (user.password, user.is_active) != (pertama.password, True):
        user.password = pertama.password  # the demo password, already hashed
        user.is_active = True
        user._change_reason = ALASAN_RIWAYAT
        user.save(update_fields=["password", "is_active"])
    if user.kelurahan_ids() != [kel.pk]:
        user.kelurahan.set([kel])
    return user


def _profil(rng: random.Random, user: User, kel: Kelurahan, nomor: int, baru: bool) -> ProfilPSM:
    jk = rng.choice(("L", "P"))
    lahir = dt.date(rng.randint(1965, 1998), rng.randint(1, 12), rng.randint(1, 28))
    sk = dt.date(2025, 1, 13) if baru else dt.date(2024, 1, 15)
    return ProfilPSM(
        user=user,
        nik=susun_nik(kel.kecamatan.kode.replace(".", ""), lahir, jk, 9000 + nomor),
        nama=user.get_full_name() or user.username,
        telepon=user.telepon or _telepon(rng),
        nomor_sk=f"400.9/{nomor + 1:03d}/SK-DINSOS/{sk.year}",
        tanggal_sk=sk,
        aktif_mulai=sk,
        kelurahan_utama=kel,
    )


def _pelatihan(rng: random.Random, profil: ProfilPSM, hari_ini: dt.date) -> list[Pelatihan]:
    hasil = []
    for nama, penyelenggara in rng.sample(BIMTEK, rng.randint(1, 3)):
        tanggal = profil.aktif_mulai + dt.timedelta(days=rng.randint(10, max(11, (hari_ini - profil.aktif_mulai).days)))
        hasil.append(Pelatihan(profil=profil, nama=nama, penyelenggara=penyelenggara, tanggal=min(tanggal, hari_ini)))
    return hasil


def _kunjungi(rng: random.Random, oleh: User, tanggal: dt.date, **subjek) -> None:
    perlu = rng.random() < 0.2
    kunjungan = Kunjungan(
        tanggal=tanggal,
        temuan=rng.choice(TEMUAN),
        kebutuhan=sorted(rng.sample(Kebutuhan.values, rng.randint(0, 2))),
        perlu_tindak_lanjut=perlu,
        tindak_lanjut=rng.choice(TINDAK_LANJUT) if perlu else "",
        **subjek,
    )
    kunjungan._change_reason = ALASAN_RIWAYAT
    services.kunjungan_catat(kunjungan=kunjungan, oleh=oleh)


def _kunjungan_ppks(rng: random.Random, hari_ini: dt.date, staf: User) -> int:
    """One visit on each PPKS resident's "last visited" date, and some an earlier one (within six
    months): the record behind every date the registry shows."""
    n = 0
    awal = hari_ini - dt.timedelta(days=HARI_RIWAYAT)
    baris = (
        PPKS.objects.exclude(status=StatusPPKS.BUKAN_PPKS)
        .filter(terakhir_dikunjungi__isnull=False)
        .select_related("psm_pendamping")
        .order_by("penduduk_id", "-terakhir_dikunjungi", "id")
    )
    sudah: set[int] = set()
    for ppks in baris:
        if ppks.penduduk_id in sudah:
            continue  # one person, several jenis: one visit covers them
        sudah.add(ppks.penduduk_id)
        oleh = ppks.psm_pendamping if ppks.psm_pendamping and ppks.psm_pendamping.is_active else staf
        terakhir = ppks.terakhir_dikunjungi
        sebelumnya = terakhir - dt.timedelta(days=rng.randint(25, 80))
        if sebelumnya >= awal and rng.random() < 0.5:
            _kunjungi(rng, oleh, sebelumnya, penduduk_id=ppks.penduduk_id)
            n += 1
        _kunjungi(rng, oleh, terakhir, penduduk_id=ppks.penduduk_id)
        n += 1
    return n


def _kunjungan_keluarga(rng: random.Random, hari_ini: dt.date, psm: dict[int, User], staf: User) -> int:
    try:
        from kemiskinan.models import StatusMiskinEkstrem
    except ImportError:  # pragma: no cover - the app is part of the project
        return 0
    n = 0
    terbuka = StatusMiskinEkstrem.objects.filter(tanggal_keluar__isnull=True).select_related("keluarga")
    for status in terbuka.order_by("id"):
        r = rng.random()
        if r < 0.1:
            continue  # never visited
        hari = rng.randint(0, 29) if r < 0.75 else rng.randint(31, 150)
        oleh = psm.get(status.keluarga.kelurahan_id)
        oleh = oleh if oleh is not None and oleh.is_active else staf
        _kunjungi(rng, oleh, hari_ini - dt.timedelta(days=hari), keluarga_id=status.keluarga_id)
        n += 1
    return n


def buat_psm(konteks: Konteks) -> dict[str, int]:
    rng = konteks.rng("psm")
    hari_ini = konteks.hari_ini
    staf = User.objects.get(username="staf")
    kelurahan = list(Kelurahan.objects.select_related("kecamatan").order_by("kode"))
    utama = _psm_utama()
    dua = [k for k in kelurahan if k.slug in DUA_PSM and k.pk in utama]
    tanpa = [k for k in kelurahan if k.slug in TANPA_PSM and k.pk in utama]
    kedua = {kel.pk: _akun_kedua(rng, kel, utama[kel.pk]) for kel in dua}

    # Profiles and trainings.
    akun = [(utama[k.pk], k, False) for k in kelurahan if k.pk in utama] + [(kedua[k.pk], k, True) for k in dua]
    punya = set(ProfilPSM.objects.values_list("user_id", flat=True))
    profil = [_profil(rng, u, k, i, baru) for i, (u, k, baru) in enumerate(akun) if u.pk not in punya]
    koordinator: set[int] = set()
    for p in profil:
        if p.kelurahan_utama.kecamatan_id not in koordinator:
            koordinator.add(p.kelurahan_utama.kecamatan_id)
            p.koordinator = True
    profil = _simpan(ProfilPSM, profil)
    profil = list(ProfilPSM.objects.filter(user_id__in=[p.user_id for p in profil]).order_by("id"))
    pelatihan = _simpan(Pelatihan, [x for p in profil for x in _pelatihan(rng, p, hari_ini)])

    # The pledge: about two thirds accepted the current version.
    ikrar = Ikrar.terkini()
    setuju = 0
    baru = {p.user_id for p in profil}
    if ikrar is not None:
        dari = max(ikrar.berlaku_sejak, hari_ini - dt.timedelta(days=60))
        mulai = timezone.make_aware(dt.datetime.combine(dari, dt.time(9)))
        for u, _k, _baru in akun:
            if u.pk in baru and rng.random() < BAGIAN_IKRAR:
                waktu = min(mulai + dt.timedelta(hours=rng.randint(0, 60 * 24)), timezone.now())
                PersetujuanIkrar.objects.get_or_create(user=u, ikrar=ikrar, defaults={"disetujui_pada": waktu})
                setuju += 1

    # Visits, while every PSM is still active.
    kunjungan = 0
    if not Kunjungan.objects.exists():
        kunjungan = _kunjungan_ppks(rng, hari_ini, staf) + _kunjungan_keluarga(rng, hari_ini, utama, staf)

    # The coverage gap: these PSM left; nobody has taken their residents over yet.
    for kel in tanpa:
        if utama[kel.pk].is_active:
            services.psm_nonaktifkan(user=utama[kel.pk], oleh=staf)
    return {
        "profil PSM": len(profil),
        "pelatihan": len(pelatihan),
        "PSM kedua": len(kedua),
        "persetujuan ikrar": setuju,
        "kunjungan": kunjungan,
        "kelurahan tanpa PSM aktif": len(tanpa),
        "kunjungan 6 bulan terakhir": Kunjungan.objects.filter(
            Q(tanggal__gte=hari_ini - dt.timedelta(days=HARI_RIWAYAT))
        ).count(),
    }


LANGKAH: list[Langkah] = [Langkah("psm", "PSM: profil, ikrar, kunjungan", sudah_ada, buat_psm)]
