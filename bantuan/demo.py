"""The assistance part of ``seed_demo`` (after the registry, kemiskinan and PSM; see ``penduduk/demo.py``).

The story: a year of distributions, most confirmed by the families, and the leaks the integrity
checks are there to show.

* KUBE/UEP (bantuan usaha, Rp6.000.000) once to every household that was ever on the
  extreme-poor list, a few months after it entered; PBI-JK (Rp42.000 per person per month) for the
  living members of the households now on the list, the last three months; PKH (Rp750.000 a
  quarter) and BPNT/Sembako (Rp600.000 a quarter) for the last four quarters to the extreme-poor
  households and a draw of other households (``JUMLAH_PKH``, ``JUMLAH_BPNT``);
* the pendamping is the PSM of the household's kelurahan (``staf`` where there is none);
* distributions older than 60 days are confirmed except ``BELUM_DIKONFIRMASI`` of them (flagged
  "unconfirmed > 30 days"); newer ones mostly confirmed; the current quarter's BPNT is planned;
* ``KURANG_ACAK`` shortfalls with different pendamping, and one PSM (``psm.<slug>`` of the
  kelurahan with the most distributions) whose families report Rp100.000 less on every third
  confirmation: the one "pendamping with an unusual share";
* exactly one double receipt: a household's BPNT for one quarter recorded twice, both confirmed.

Rows are written in bulk with their history (``ALASAN_RIWAYAT``); the integrity checks run at the
end so the flags list is populated. Deterministic: ``konteks.rng("bantuan")``, dates counted back
from ``konteks.hari_ini``.
"""

from __future__ import annotations

import datetime as dt

from simple_history.utils import bulk_create_with_history

from akun.models import User
from bantuan import integritas
from bantuan.choices import Saluran, StatusPenyaluran
from bantuan.models import Konfirmasi, Penyaluran, Program
from bantuan.services import awal_periode
from kemiskinan.models import StatusMiskinEkstrem
from penduduk.choices import Hubungan, StatusPenduduk
from penduduk.demo import ALASAN_RIWAYAT, Konteks, Langkah
from penduduk.models import Keluarga, Penduduk
from wilayah.models import Kelurahan

JUMLAH_PKH, JUMLAH_BPNT = 120, 300
BELUM_DIKONFIRMASI = 8
KURANG_ACAK = 6
POTONGAN = 100_000


def sudah_ada() -> bool:
    return Penyaluran.objects.exists()


def _triwulan_lalu(hari_ini: dt.date, n: int) -> list[dt.date]:
    """The first day of this quarter and the ``n - 1`` before it, oldest first."""
    awal = awal_periode(hari_ini, "triwulan")
    hasil = []
    for i in range(n):
        bulan = awal.month - 3 * i
        tahun = awal.year
        while bulan < 1:
            bulan += 12
            tahun -= 1
        hasil.append(dt.date(tahun, bulan, 1))
    return list(reversed(hasil))


def _bulan_lalu(hari_ini: dt.date, n: int) -> list[dt.date]:
    hasil, d = [], hari_ini.replace(day=1)
    for _ in range(n):
        hasil.append(d)
        d = (d - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(hasil))


def buat_bantuan(konteks: Konteks) -> dict[str, int]:
    rng = konteks.rng("bantuan")
    hari_ini = konteks.hari_ini
    program = {p.kode: p for p in Program.objects.all()}
    if not {"PKH", "BPNT", "PBI-JK", "KUBE-UEP"} <= set(program):
        return {"penyaluran (program belum ada)": 0}
    staf = User.objects.get(username="staf")
    slug = dict(Kelurahan.objects.values_list("pk", "slug"))
    psm = {u.username: u.pk for u in User.objects.filter(username__startswith="psm.", is_active=True)}
    pendamping_kel = {k: psm.get(f"psm.{s}", staf.pk) for k, s in slug.items()}
    keluarga_kel = dict(Keluarga.objects.values_list("pk", "kelurahan_id"))
    if not keluarga_kel:
        return {"penyaluran": 0}

    stays = list(
        StatusMiskinEkstrem.objects.order_by("tanggal_masuk", "pk").values_list(
            "keluarga_id", "tanggal_masuk", "tanggal_keluar"
        )
    )
    miskin = sorted({k for k, _m, _k in stays})
    masih = sorted({k for k, _m, keluar in stays if keluar is None})
    lain = sorted(set(keluarga_kel) - set(miskin))
    pkh = sorted(set(miskin) | set(rng.sample(lain, min(JUMLAH_PKH, len(lain)))))
    bpnt = sorted(set(miskin) | set(rng.sample(lain, min(JUMLAH_BPNT, len(lain)))))

    rows: list[Penyaluran] = []

    def salur(prog: Program, keluarga_id: int, periode: dt.date, nilai: int, tanggal: dt.date | None, **lain):
        status = StatusPenyaluran.DIRENCANAKAN if tanggal is None else StatusPenyaluran.DISALURKAN
        rows.append(
            Penyaluran(
                program=prog,
                keluarga_id=keluarga_id,
                kelurahan_id=lain.pop("kelurahan_id", keluarga_kel[keluarga_id]),
                periode=periode,
                nilai=nilai,
                tanggal=tanggal,
                status=status,
                dibuat_oleh=staf,
                pendamping_id=pendamping_kel[keluarga_kel[keluarga_id]],
                keterangan="",
                **lain,
            )
        )

    batas_salur = hari_ini - dt.timedelta(days=3)
    # Bantuan usaha: once per extreme-poor household, a few months after it first entered.
    pertama = {}
    for k, masuk, _keluar in stays:
        pertama.setdefault(k, masuk)
    for k in miskin:
        tanggal = min(
            pertama[k] + dt.timedelta(days=rng.randint(45, 120)), hari_ini - dt.timedelta(days=rng.randint(40, 90))
        )
        salur(program["KUBE-UEP"], k, awal_periode(tanggal, "sekali"), 6_000_000, tanggal, saluran=Saluran.LANGSUNG)
    # PKH and BPNT: four quarters; the current quarter's BPNT is planned when not yet paid.
    for periode in _triwulan_lalu(hari_ini, 4):
        for kode, daftar, nilai, saluran in (
            ("PKH", pkh, 750_000, Saluran.BANK),
            ("BPNT", bpnt, 600_000, Saluran.EWARONG),
        ):
            hari_salur = periode + dt.timedelta(days=20 if kode == "PKH" else 35)
            for k in daftar:
                tanggal = hari_salur + dt.timedelta(days=rng.randint(0, 10))
                salur(program[kode], k, periode, nilai, tanggal if tanggal <= batas_salur else None, saluran=saluran)
    # PBI-JK: the living members of households now on the list, the last three months.
    anggota = list(
        Penduduk.objects.filter(keluarga_id__in=masih, status=StatusPenduduk.HIDUP)
        .order_by("pk")
        .values_list("pk", "keluarga_id", "kelurahan_id")
    )
    for bulan in _bulan_lalu(hari_ini, 3):
        tanggal = min(bulan + dt.timedelta(days=9), batas_salur)
        for pid, kid, kel in anggota:
            salur(
                program["PBI-JK"],
                kid,
                bulan,
                42_000,
                tanggal,
                saluran=Saluran.LANGSUNG,
                penduduk_id=pid,
                kelurahan_id=kel,
            )

    # Exactly one double receipt: a BPNT quarter recorded twice for one household.
    bpnt_tersalur = [
        p for p in rows if p.program.kode == "BPNT" and p.tanggal and p.tanggal < hari_ini - dt.timedelta(days=70)
    ]
    asli = rng.choice(bpnt_tersalur)
    rows.append(
        Penyaluran(
            program=asli.program,
            keluarga_id=asli.keluarga_id,
            kelurahan_id=asli.kelurahan_id,
            periode=asli.periode,
            nilai=asli.nilai,
            tanggal=asli.tanggal + dt.timedelta(days=6),
            status=StatusPenyaluran.DISALURKAN,
            saluran=Saluran.LANGSUNG,
            pendamping_id=asli.pendamping_id,
            dibuat_oleh=staf,
            keterangan="Penyaluran susulan (data demo)",
        )
    )

    # Who confirms: everything older than 60 days but a few; newer ones mostly.
    tersalur = [p for p in rows if p.status == StatusPenyaluran.DISALURKAN]
    lama = [p for p in tersalur if p.tanggal < hari_ini - dt.timedelta(days=60) and p.program.kode != "PBI-JK"]
    tidak = {id(p) for p in rng.sample(lama, min(BELUM_DIKONFIRMASI, len(lama)))}
    dikonfirmasi = [
        p
        for p in tersalur
        if id(p) not in tidak
        and (
            p.tanggal < hari_ini - dt.timedelta(days=60)
            or rng.random() < (0.97 if p.tanggal < hari_ini - dt.timedelta(days=30) else 0.75)
        )
        and p.tanggal < hari_ini - dt.timedelta(days=2)
    ]

    # The unusual pendamping: the PSM with the most confirmations.
    per_psm: dict[int, int] = {}
    for p in dikonfirmasi:
        if p.pendamping_id != staf.pk and p.program.kode != "PBI-JK":
            per_psm[p.pendamping_id] = per_psm.get(p.pendamping_id, 0) + 1
    janggal = max(sorted(per_psm), key=lambda u: per_psm[u]) if per_psm else None
    lain_psm = [p for p in dikonfirmasi if p.pendamping_id not in (janggal, staf.pk) and p.program.kode != "PBI-JK"]
    kurang: dict[int, int] = {}
    sudah_pendamping: set[int] = set()
    for p in rng.sample(lain_psm, len(lain_psm)):
        if len(kurang) >= KURANG_ACAK:
            break
        if p.pendamping_id not in sudah_pendamping:
            sudah_pendamping.add(p.pendamping_id)
            kurang[id(p)] = rng.choice([50_000, 100_000, 150_000])
    n_janggal = 0
    for p in dikonfirmasi:
        if p.pendamping_id == janggal and p.program.kode != "PBI-JK":
            n_janggal += 1
            if n_janggal % 3 == 0:
                kurang[id(p)] = POTONGAN
    for p in dikonfirmasi:
        p.status = StatusPenyaluran.DIKONFIRMASI

    rows = bulk_create_with_history(
        rows, Penyaluran, batch_size=1000, default_user=staf, default_change_reason=ALASAN_RIWAYAT
    )
    kepala = dict(
        Penduduk.objects.filter(
            hubungan=Hubungan.KEPALA, keluarga_id__in={p.keluarga_id for p in dikonfirmasi}
        ).values_list("keluarga_id", "nama")
    )
    nama_orang = dict(Penduduk.objects.filter(pk__in=[pid for pid, _k, _l in anggota]).values_list("pk", "nama"))
    konfirmasi = []
    for p in dikonfirmasi:
        terima = min(p.tanggal + dt.timedelta(days=rng.randint(1, 20)), hari_ini)
        konfirmasi.append(
            Konfirmasi(
                penyaluran=p,
                nilai_diterima=max(0, p.nilai - kurang.get(id(p), 0)),
                tanggal_terima=terima,
                nama_pengonfirmasi=(nama_orang.get(p.penduduk_id) if p.penduduk_id else kepala.get(p.keluarga_id))
                or "Anggota keluarga",
                dicatat_oleh_id=p.pendamping_id,
            )
        )
    bulk_create_with_history(
        konfirmasi, Konfirmasi, batch_size=1000, default_user=staf, default_change_reason=ALASAN_RIWAYAT
    )
    bendera = integritas.periksa_semua(oleh=staf, hari_ini=hari_ini)
    return {
        "penyaluran": len(rows),
        "konfirmasi penerimaan": len(konfirmasi),
        "diterima kurang": len(kurang),
        "bendera integritas": sum(bendera.values()),
    }


LANGKAH: list[Langkah] = [Langkah("bantuan", "Penyaluran bantuan", sudah_ada, buat_bantuan)]
