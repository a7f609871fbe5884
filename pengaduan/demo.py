"""The complaints part of ``seed_demo`` (last: it reads distributions, PSM and staff from the DB).

One step, ``pengaduan`` (``sudah_ada``: any complaint). About 30 complaints over the last two
months, the way a Dinsos inbox looks:

* every state: new, in review, followed up, closed (selesai) and rejected, with a resolution
  note and a public response on the closed ones; some open ones past their 14-day deadline;
* all four categories, about half anonymous; staff (``staf``, else ``admin``) assigned to the
  ones being handled;
* one pungli complaint linked to a distribution of the ``bantuan`` demo and to that
  distribution's PSM pendamping, when the bantuan step produced distributions (read from the
  database; without any, the link is skipped and the complaint stays unlinked);
* one "butuh bantuan" complaint that opened a rapid-response Kasus (source pengaduan) through
  ``ppks.services.kasus_buat`` acting as the public form's system account, as the form does.

Written with ``bulk_create_with_history`` (one history row each, reason ``ALASAN_RIWAYAT``);
the Kasus and the links are a handful of single writes with history. Deterministic:
``konteks.rng("pengaduan")`` draws everything, tracking codes included, and times count back from
the start of ``konteks.hari_ini``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from akun.models import User
from akun.roles import Peran
from bantuan.models import Penyaluran
from penduduk.demo import ALASAN_RIWAYAT, Konteks, Langkah, _nama_orang, _simpan, _telepon
from pengaduan import kode as kode_lacak
from pengaduan.choices import STATUS_TUTUP, Kategori
from pengaduan.choices import StatusPengaduan as S
from pengaduan.models import Pengaduan
from pengaduan.services import _buka_kasus
from wilayah.models import Kelurahan

# (status, how many, of which overdue): the overdue ones were received more than 14 days ago.
RENCANA = ((S.BARU, 8, 2), (S.DITELAAH, 6, 2), (S.DITINDAKLANJUTI, 5, 1), (S.SELESAI, 8, 0), (S.DITOLAK, 3, 0))

ISI = {
    Kategori.PUNGLI: (
        "Bantuan PKH tahap ini dipotong Rp100.000 oleh oknum saat pencairan, katanya untuk uang administrasi.",
        "Sembako BPNT yang diterima kurang dari daftar: beras 5 kg, bukan 10 kg seperti yang diumumkan.",
        "Ada yang meminta uang Rp50.000 agar nama dimasukkan ke daftar penerima bantuan.",
    ),
    Kategori.SALAH_SASARAN: (
        "Tetangga kami punya mobil dan toko, tetapi tetap menerima PKH setiap triwulan.",
        "Keluarga janda dengan tiga anak di ujung gang tidak pernah menerima bantuan apa pun.",
        "Penerima BPNT di RT kami sudah meninggal tahun lalu, tetapi bantuannya masih dicairkan.",
    ),
    Kategori.BUTUH_BANTUAN: (
        "Seorang nenek tinggal sendiri di pondok dekat sawah, sakit dan tidak ada yang merawat.",
        "Anak-anak terlihat mengemis di simpang lampu merah sampai malam, tanpa orang tua.",
    ),
    Kategori.LAYANAN: (
        "Sudah tiga kali datang ke kantor untuk surat keterangan tidak mampu, selalu disuruh kembali besok.",
        "Petugas di loket tidak menjelaskan syarat pendaftaran PBI-JK dengan jelas.",
        "Pengaduan saya bulan lalu belum ada kabarnya sama sekali.",
    ),
}
BOBOT_KATEGORI = ((Kategori.PUNGLI, 30), (Kategori.SALAH_SASARAN, 35), (Kategori.LAYANAN, 25),
                  (Kategori.BUTUH_BANTUAN, 10))  # fmt: skip
RESOLUSI = {
    S.SELESAI: (
        "Klarifikasi ke penerima dan pendamping; potongan dikembalikan, pendamping diberi teguran tertulis.",
        "Verifikasi lapangan bersama PSM; data penerima diperbarui di DTSEN pada pemutakhiran berikutnya.",
        "Keluarga diusulkan sebagai penerima PBI-JK dan BPNT; usulan sudah dikirim ke Kemensos.",
    ),
    S.DITOLAK: (
        "Tidak ada keterangan yang dapat diverifikasi (lokasi dan program tidak disebutkan).",
        "Di luar kewenangan Dinas Sosial; diteruskan ke instansi terkait.",
    ),
}
TANGGAPAN = {
    S.SELESAI: "Pengaduan Anda sudah kami tindak lanjuti. Terima kasih telah melapor.",
    S.DITOLAK: (
        "Pengaduan belum dapat kami tindak lanjuti karena keterangan kurang. Silakan kirim ulang dengan rincian."
    ),
    S.DITINDAKLANJUTI: "Pengaduan sedang diperiksa di lapangan.",
}
LOKASI = ("RT 01 RW 02", "dekat masjid", "Jl. Soekarno Hatta", "belakang pasar", "simpang tiga", "RT 03 RW 01")


def sudah_ada() -> bool:
    return Pengaduan.objects.exists()


def _kode(rng) -> str:
    isi = "".join(rng.choice(kode_lacak.ALFABET) for _ in range(kode_lacak.PANJANG))
    return f"{kode_lacak.AWALAN}-{isi[:3]}-{isi[3:6]}-{isi[6:]}"


def _staf() -> User | None:
    return User.objects.filter(username__in=("staf", "admin"), is_active=True).order_by("-username").first()


def buat_pengaduan(konteks: Konteks) -> dict[str, int]:
    rng = konteks.rng("pengaduan")
    awal_hari = timezone.make_aware(dt.datetime.combine(konteks.hari_ini, dt.time()))
    kelurahan = list(Kelurahan.objects.order_by("kode"))
    staf = _staf()
    batas = settings.PENGADUAN_BATAS_HARI
    baru: list[Pengaduan] = []
    kode_dipakai: set[str] = set()
    for status, jumlah, terlambat in RENCANA:
        for i in range(jumlah):
            hari = rng.randint(batas + 1, 45) if i < terlambat else rng.randint(0, batas - 1)
            if status in STATUS_TUTUP:
                hari = rng.randint(5, 60)
            diterima = awal_hari - dt.timedelta(days=hari, hours=rng.randint(7, 20), minutes=rng.randint(0, 59))
            kategori = rng.choices(*zip(*BOBOT_KATEGORI, strict=True))[0]
            if kategori == Kategori.BUTUH_BANTUAN:
                kategori = Kategori.SALAH_SASARAN  # the one "butuh bantuan" comes with its Kasus below
            anonim = rng.random() < 0.5
            nama = " ".join(_nama_orang(rng, rng.choice(("L", "P")))) if not anonim else ""
            kode = _kode(rng)
            while kode in kode_dipakai:
                kode = _kode(rng)
            kode_dipakai.add(kode)
            p = Pengaduan(
                kode_lacak=kode,
                kategori=kategori,
                isi=rng.choice(ISI[kategori]),
                lokasi=rng.choice(LOKASI),
                kelurahan=rng.choice(kelurahan),
                anonim=anonim,
                pelapor_nama=nama,
                pelapor_kontak=_telepon(rng) if nama else "",
                status=status,
                diterima_pada=diterima,
                batas_waktu=diterima + dt.timedelta(days=batas),
                petugas=staf if status != S.BARU else None,
                tanggapan_publik=TANGGAPAN.get(status, ""),
            )
            if status in STATUS_TUTUP:
                p.resolusi = rng.choice(RESOLUSI[status])
                p.ditutup_pada = diterima + dt.timedelta(days=rng.randint(2, batas), hours=rng.randint(1, 6))
                p.ditutup_oleh = staf
            baru.append(p)
    if staf is None:  # no staff account to have closed them: keep the open ones only
        baru = [p for p in baru if p.status not in STATUS_TUTUP]
    _simpan(Pengaduan, baru)
    hasil = {"pengaduan": len(baru)}

    # One pungli complaint about a distribution of the bantuan demo and its PSM pendamping.
    penyaluran = (
        Penyaluran.objects.filter(pendamping__peran=Peran.PSM).select_related("pendamping").order_by("id").first()
    )
    if penyaluran is not None:
        p = Pengaduan.objects.filter(kode_lacak__in=kode_dipakai, status=S.DITELAAH).order_by("diterima_pada").first()
        if p is not None:
            p.kategori = Kategori.PUNGLI
            p.isi = (
                f"Bantuan {penyaluran.program} periode {penyaluran.periode:%m/%Y} tidak diterima utuh; "
                "pendamping meminta bagian dari uang yang dicairkan."
            )
            p.kelurahan_id = penyaluran.kelurahan_id
            p.psm = penyaluran.pendamping
            p._change_reason = ALASAN_RIWAYAT
            p.save()
            p.penyaluran.add(penyaluran)
            hasil["pengaduan tertaut penyaluran"] = 1

    # One "butuh bantuan" complaint that opened a Kasus, as the public form does.
    diterima = awal_hari - dt.timedelta(days=1, hours=rng.randint(8, 16))
    kode = _kode(rng)
    while kode in kode_dipakai:
        kode = _kode(rng)
    p = Pengaduan(
        kode_lacak=kode,
        kategori=Kategori.BUTUH_BANTUAN,
        isi=ISI[Kategori.BUTUH_BANTUAN][0],
        lokasi="pondok dekat sawah, RT 02",
        kelurahan=rng.choice(kelurahan),
        anonim=True,
        status=S.BARU,
        diterima_pada=diterima,
        batas_waktu=diterima + dt.timedelta(days=batas),
    )
    p = _simpan(Pengaduan, [p])[0]
    p.kasus = _buka_kasus(p, mendesak=True)
    p._change_reason = ALASAN_RIWAYAT
    p.save()
    hasil["pengaduan membuka kasus"] = 1
    hasil["pengaduan"] += 1
    return hasil


LANGKAH = [Langkah("pengaduan", "Pengaduan masyarakat", sudah_ada, buat_pengaduan)]
