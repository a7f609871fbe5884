"""The extreme-poverty part of ``seed_demo`` (after the registry and PPKS; see ``penduduk/demo.py``).

The story it tells (DOMAIN.md: the rakor of 16 June 2023 counted 41 KK / 222 jiwa):

* the target: 41 KK / 222 jiwa on 16/06/2023, zero by 31/12/2024 (Inpres 4/2022);
* 41 registry households whose living members sum to exactly 222 are on the list on the baseline
  date (entered from P3KE desil 1, DTSEN and field verification in the months before), at most
  two per kelurahan, households without a civil servant or a diploma among their members;
* after the baseline, the PSM of each household's kelurahan proposes its exit and ``staf``
  verifies it a few days later (staf's own proposals are verified by ``admin``): mostly graduation
  after a Rp6 juta business grant, with the expenditure found and the field report as evidence; a
  few moved away, merged into another household or were data errors. Three proposals are rejected
  (the household stays, with the reason), one is still waiting;
* four new households enter after the baseline (complaints, field verification) and one
  graduated household falls back and re-enters (a new entry); two of the new ones leave again;
* seven households remain today: exits slowed after the target date, and the last six months saw
  two, so the page projects zero well after the target ("terlambat").

Everything goes through ``kemiskinan.services`` on a simulated clock (``_jam``) so entry, proposal,
verification and the change history carry their past dates and the maker-checker rule holds.
Dates after the baseline are fractions of the time from the baseline to ``konteks.hari_ini``
(the last two exits count back from today), so the story reads the same on any day. The
registry is only read, never changed. A registry too small for 41 households summing to 222
jiwa (``seed_demo --keluarga 50``) gets the target only.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count, Q

from akun.models import User
from kemiskinan.demo_cerita import Cerita, Rumah
from kemiskinan.models import StatusMiskinEkstrem, Target
from penduduk.choices import Hubungan, StatusPenduduk
from penduduk.demo import PEKERJAAN_FORMAL, PENDIDIKAN_TINGGI, Konteks, Langkah
from penduduk.models import Keluarga, Penduduk
from wilayah.models import Kelurahan

BASELINE, TARGET = dt.date(2023, 6, 16), dt.date(2024, 12, 31)
KK_BASELINE, JIWA_BASELINE = 41, 222


def sudah_ada() -> bool:
    return StatusMiskinEkstrem.objects.exists()


def pastikan_target() -> Target:
    target, _ = Target.objects.get_or_create(
        aktif=True,
        defaults={
            "nama": "Penghapusan kemiskinan ekstrem Kota Payakumbuh",
            "dasar": "Rakor percepatan penghapusan kemiskinan ekstrem 16 Juni 2023 (Inpres 4/2022)",
            "tanggal_baseline": BASELINE,
            "kk_baseline": KK_BASELINE,
            "jiwa_baseline": JIWA_BASELINE,
            "tanggal_target": TARGET,
        },
    )
    return target


def _calon() -> list[Rumah]:
    """Households that look poor: a head, 2-9 living members, no civil servant, no diploma."""
    mampu = Penduduk.objects.filter(
        Q(pekerjaan__in=PEKERJAAN_FORMAL | {"Pensiunan"}) | Q(pendidikan__in=PENDIDIKAN_TINGGI)
    )
    jiwa = dict(
        Penduduk.objects.filter(status=StatusPenduduk.HIDUP, keluarga__isnull=False)
        .exclude(keluarga__in=mampu.filter(keluarga__isnull=False).values("keluarga_id"))
        .filter(keluarga__in=Penduduk.objects.filter(hubungan=Hubungan.KEPALA).values("keluarga_id"))
        .order_by()
        .values_list("keluarga")
        .annotate(n=Count("*"))
    )
    keluarga = Keluarga.objects.filter(pk__in=[k for k, n in jiwa.items() if 2 <= n <= 9]).order_by("pk")
    return [Rumah(k, jiwa[k.pk]) for k in keluarga.select_related("kelurahan")]


def pilih(rng: random.Random, calon: list[Rumah], jumlah: int, jiwa: int, per_kelurahan: int) -> list[Rumah] | None:
    """``jumlah`` households whose sizes sum to ``jiwa``, at most ``per_kelurahan`` per kelurahan:
    a weighted draw (larger households more often, as among the poor), then swaps toward the sum."""
    urut = sorted(calon, key=lambda r: rng.random() ** (1 / r.jiwa), reverse=True)
    dipilih: list[Rumah] = []
    per_kel: dict[int, int] = {}
    for r in urut:
        if len(dipilih) < jumlah and per_kel.get(r.keluarga.kelurahan_id, 0) < per_kelurahan:
            dipilih.append(r)
            per_kel[r.keluarga.kelurahan_id] = per_kel.get(r.keluarga.kelurahan_id, 0) + 1
    if len(dipilih) < jumlah:
        return None
    for _ in range(500):
        selisih = sum(r.jiwa for r in dipilih) - jiwa
        if selisih == 0:
            return dipilih
        terpilih = {r.keluarga.pk for r in dipilih}
        terbaik = None  # (remaining difference, index, household) of the best single swap
        for i, lama in enumerate(dipilih):
            for baru in urut:
                sisa = abs(selisih + baru.jiwa - lama.jiwa)
                if sisa >= abs(selisih) or (terbaik is not None and sisa >= terbaik[0]):
                    continue
                kel = baru.keluarga.kelurahan_id
                if baru.keluarga.pk in terpilih or (
                    kel != lama.keluarga.kelurahan_id and per_kel.get(kel, 0) >= per_kelurahan
                ):
                    continue
                terbaik = (sisa, i, baru)
                if sisa == 0:
                    break
            if terbaik is not None and terbaik[0] == 0:
                break
        if terbaik is None:
            return None
        _, i, baru = terbaik
        lama = dipilih[i]
        per_kel[lama.keluarga.kelurahan_id] -= 1
        per_kel[baru.keluarga.kelurahan_id] = per_kel.get(baru.keluarga.kelurahan_id, 0) + 1
        dipilih[i] = baru
    return None


def buat_kemiskinan(konteks: Konteks) -> dict[str, int]:
    pastikan_target()
    rng = konteks.rng("kemiskinan")
    calon = _calon()
    awal = pilih(rng, calon, KK_BASELINE, JIWA_BASELINE, 2) or pilih(rng, calon, KK_BASELINE, JIWA_BASELINE, 3)
    if awal is None:
        return {f"KK miskin ekstrem (registri terlalu kecil untuk {KK_BASELINE} KK / {JIWA_BASELINE} jiwa)": 0}
    kel_awal = {r.keluarga.kelurahan_id for r in awal}
    sisa = [r for r in calon if r not in awal]
    # New households come from kelurahan not on the baseline list where possible.
    rng.shuffle(sisa)
    sisa.sort(key=lambda r: r.keluarga.kelurahan_id in kel_awal)
    terpakai = {r.keluarga.pk for r in awal + sisa[:4]}
    cerita = Cerita(
        rng=rng,
        hari_ini=konteks.hari_ini,
        staf=User.objects.get(username="staf"),
        admin=User.objects.get(username="admin"),
        psm=_psm_per_kelurahan(),
        terpakai=terpakai,
    )
    return cerita.jalankan(awal, sisa)


def _psm_per_kelurahan() -> dict[int, User]:
    kelurahan = dict(Kelurahan.objects.values_list("slug", "pk"))
    psm = User.objects.filter(username__in=[f"psm.{s}" for s in kelurahan], is_active=True)
    return {kelurahan[u.username.removeprefix("psm.")]: u for u in psm}


LANGKAH: list[Langkah] = [Langkah("kemiskinan", "Kemiskinan ekstrem", sudah_ada, buat_kemiskinan)]
