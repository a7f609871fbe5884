"""A small world with one record of every model in kelurahan A, and every page the roles can open.

Used by ``test_web.py`` (no inline scripts, CSRF) and ``test_xss.py`` (stored XSS). Pages are found
by walking the URL resolver and the admin registry, not listed by hand: a new URL name with a
``pk`` needs an entry in ``OBJEK_URL`` (the walk fails until it has one), a new admin model is
picked up on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html.parser import HTMLParser

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from akun.permissions import PUBLIK, SELF_GUARDED_NAMESPACES, URL_ACCESS
from akun.roles import Peran
from tests.factories import (
    IntervensiFactory,
    KasusFactory,
    KeluargaFactory,
    KunjunganFactory,
    PendudukFactory,
    PPKSFactory,
    ProfilPSMFactory,
    StatusMiskinEkstremFactory,
    TargetFactory,
    UsulanKeluarFactory,
)
from tests.psm import berikrar

# URL names that answer a file or JSON, not a page (checked elsewhere: tests/ekspor, tests/impor).
BUKAN_HTML = frozenset(
    {
        "healthz",
        "dasbor:laporan-xlsx",
        "impor:templat",
        "impor:ditolak-xlsx",
        "psm:kunjungan-foto",
        "bantuan:konfirmasi-foto",
        "pengaduan:lampiran",
    }
)

# URL name -> the world's record whose pk fills ``<int:pk>`` (a tuple: one page per record).
OBJEK_URL = {
    "penduduk:detail": "penduduk",
    "penduduk:update": "penduduk",
    "penduduk:akses": "penduduk",
    "penduduk:keluarga-detail": "keluarga",
    "penduduk:keluarga-update": "keluarga",
    "kemiskinan:detail": "keluarga",
    "kemiskinan:intervensi": "keluarga",
    "kemiskinan:usul-keluar": "status_miskin",
    "kemiskinan:verifikasi": "usulan",
    "bantuan:penyaluran-detail": "penyaluran",
    "bantuan:penyaluran-update": "penyaluran",
    "bantuan:konfirmasi": "penyaluran_menunggu",
    "bantuan:konfirmasi-foto": "penyaluran",
    "bantuan:bendera-detail": "bendera",
    "bantuan:bendera-selesaikan": "bendera",
    "pengaduan:detail": "pengaduan",
    "pengaduan:lampiran": "pengaduan",
    "pengaduan:tugaskan": "pengaduan",
    "pengaduan:status": "pengaduan",
    "pengaduan:tutup": "pengaduan",
    "pengaduan:buka": "pengaduan",
    "pengaduan:tanggapan": "pengaduan",
    "pengaduan:psm": "pengaduan",
    "pengaduan:penyaluran-tautkan": "pengaduan",
    "pengaduan:penyaluran-lepas": "pengaduan",
    "impor:progres": "impor_hasil",
    "impor:progres-bagian": "impor_hasil",
    "impor:pratinjau": "impor_pratinjau",
    "impor:konfirmasi": "impor_pratinjau",
    "impor:hasil": "impor_hasil",
    "impor:ditolak-xlsx": "impor_hasil",
    "ppks:detail": "ppks",
    "ppks:update": ("ppks", "ppks_psm_lama"),
    "ppks:kasus-detail": "kasus",
    "ppks:kasus-update": "kasus",
    "ppks:kasus-status": "kasus",
    "ppks:kasus-buka": "kasus",
    "ppks:kasus-tindakan": "kasus",
    "ppks:kasus-rujukan": "kasus",
    "ppks:rujukan-status": "rujukan",
    "ppks:notifikasi-baca": "notifikasi",
    "psm:kunjungan-detail": "kunjungan",
    "psm:kunjungan-foto": "kunjungan",
    "psm:detail": "profil_psm",
    "psm:update": "profil_psm",
    "psm:alihkan": "profil_psm",
}
OBJEK_KWARGS = {"impor:templat": {"kode": "penduduk"}}

# Extra GET pages: forms opened for a chosen record show its name.
DENGAN_PILIHAN = {
    "penduduk:create": ("keluarga", "keluarga"),
    "ppks:create": ("penduduk", "penduduk"),
    "ppks:kasus-create": ("penduduk", "penduduk"),
    "psm:kunjungan-create": ("penduduk", "penduduk"),
    "bantuan:penyaluran-create": ("keluarga", "keluarga"),
    "kemiskinan:masuk": ("keluarga", "keluarga_baru"),
}

PERAN_DEMO = {
    "admin": "user_admin",
    "staf": "user_staf",
    "pimpinan": "user_pimpinan",
    "psm": "psm_a",
}


@dataclass(frozen=True)
class Halaman:
    nama: str  # URL name, or "admin:<app>_<model>_<view>"
    url: str


def nama_url(resolver=None, prefix=""):
    """(URL name, pattern) of every named project URL outside the self-guarded admin."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace in SELF_GUARDED_NAMESPACES:
                continue
            yield from nama_url(p, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name, p


def url_untuk(nama: str, pola: URLPattern, dunia: dict) -> str:
    return semua_url(nama, pola, dunia)[0]


def semua_url(nama: str, pola: URLPattern, dunia: dict) -> list[str]:
    params = set(pola.pattern.converters)
    if not params:
        return [reverse(nama)]
    if nama in OBJEK_KWARGS:
        return [reverse(nama, kwargs=OBJEK_KWARGS[nama])]
    assert params == {"pk"} and nama in OBJEK_URL, f"{nama}: add its record to tests/keamanan/_halaman.OBJEK_URL"
    kunci = OBJEK_URL[nama]
    return [reverse(nama, kwargs={"pk": dunia[k].pk}) for k in (kunci if isinstance(kunci, tuple) else (kunci,))]


def boleh(nama: str, peran: str | None) -> bool:
    aturan = URL_ACCESS[nama]
    return aturan == PUBLIK or (peran is not None and peran in aturan)


def halaman_situs(dunia: dict, peran: str | None, *, dengan_admin: bool | None = None) -> list[Halaman]:
    """Every project URL the role may open, with the record it needs (GET pages and POST-only alike);
    the back office too for Admin and Staf unless ``dengan_admin`` says otherwise."""
    hasil = []
    for nama, pola in nama_url():
        if not boleh(nama, peran) or nama == "logout":
            continue
        urls = semua_url(nama, pola, dunia)
        hasil += [Halaman(nama, u) for u in urls]
        url = urls[0]
        if nama in DENGAN_PILIHAN:
            param, kunci = DENGAN_PILIHAN[nama]
            hasil.append(Halaman(nama, f"{url}?{param}={dunia[kunci].pk}"))
    if dengan_admin is None:
        dengan_admin = peran in {Peran.ADMIN, Peran.STAF}
    if dengan_admin:
        hasil += halaman_admin(dunia)
    return hasil


def halaman_admin(dunia: dict) -> list[Halaman]:
    """The back office: index, and per registered model its changelist, add, change and history pages."""
    hasil = [Halaman("admin:index", reverse("admin:index"))]
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        hasil.append(Halaman(f"{info}_changelist", reverse(f"{info}_changelist")))
        hasil.append(Halaman(f"{info}_add", reverse(f"{info}_add")))
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        hasil.append(Halaman(f"{info}_change", reverse(f"{info}_change", args=[obj.pk])))
        hasil.append(Halaman(f"{info}_history", reverse(f"{info}_history", args=[obj.pk])))
        if isinstance(model_admin, SimpleHistoryAdmin):
            versi = obj.history.order_by("-history_id").first()
            if versi is not None:
                hasil.append(
                    Halaman(
                        f"{info}_simple_history",
                        reverse(f"{info}_simple_history", args=[obj.pk, versi.history_id]),
                    )
                )
    return hasil


def bangun_dunia(cast: dict, kelurahan_a, keluarga_a, penduduk_a) -> dict:
    """One record of every model, in kelurahan A (the PSM's), with its links filled."""
    from bantuan.models import Bendera, Konfirmasi, Program
    from impor.models import StatusImpor, TugasImpor
    from kemiskinan.models import GarisKemiskinan
    from ppks.models import Notifikasi, Rujukan, Tindakan
    from psm.models import Pelatihan
    from tests.bantuan.factories import PenyaluranFactory
    from tests.pengaduan.factories import PengaduanFactory
    from wilayah.models import AliasWilayah

    staf, psm = cast["staf"], cast["psm_a"]
    for u in cast.values():
        if u.peran == Peran.PSM:
            berikrar(u)
    profil = ProfilPSMFactory(user=psm, kelurahan_utama=kelurahan_a)
    Pelatihan.objects.create(profil=profil, nama="Bimtek PSM", penyelenggara="Dinsos", tanggal=dt.date(2025, 2, 1))
    AliasWilayah.objects.create(alias="Tanjung Pauh Lama", kelurahan=kelurahan_a, dasar="Perda 1/2005")
    ppks = PPKSFactory(penduduk=penduduk_a, psm_pendamping=psm, catatan="Butuh kursi roda", kebutuhan_lain="Kursi roda")
    # Its PSM moved to another kelurahan: the form names them in its help text.
    ppks_psm_lama = PPKSFactory(
        penduduk=PendudukFactory(keluarga=keluarga_a, kelurahan=kelurahan_a), psm_pendamping=cast["psm_b"]
    )
    kasus = KasusFactory(
        kelurahan=kelurahan_a,
        penduduk=penduduk_a,
        psm=psm,
        petugas=staf,
        dibuat_oleh=staf,
        uraian="Lansia tinggal sendiri",
        lokasi="Simpang Tigo",
        pelapor_nama="Warga",
        pelapor_kontak="0812",
    )
    kasus_tutup = KasusFactory(
        kelurahan=kelurahan_a, status="selesai", selesai_pada=timezone.now(), alasan_tutup="Sudah ditangani",
        dibuat_oleh=staf,
    )  # fmt: skip
    Tindakan.objects.create(kasus=kasus, jenis="catatan", uraian="Asesmen awal", oleh=staf)
    rujukan = Rujukan.objects.create(kasus=kasus, jenis_lembaga="kesehatan", nama_lembaga="Puskesmas", oleh=staf,
                                     catatan="Dirujuk")  # fmt: skip
    notifikasi = Notifikasi.objects.create(pengguna=psm, kasus=kasus, jenis="darurat")
    Notifikasi.objects.create(pengguna=cast["admin"], kasus=kasus, jenis="darurat")
    Notifikasi.objects.create(pengguna=staf, kasus=kasus, jenis="darurat")
    kunjungan = KunjunganFactory(oleh=psm, penduduk=penduduk_a, tindak_lanjut="Kunjungi lagi")
    KunjunganFactory(oleh=psm, penduduk=None, keluarga=keluarga_a, tindak_lanjut="Cek KKS")
    TargetFactory(dasar="SK Walikota")
    GarisKemiskinan.objects.create(rupiah_per_orang_per_bulan=322_170, berlaku_mulai=dt.date(2023, 1, 1),
                                   sumber="BPS")  # fmt: skip
    status = StatusMiskinEkstremFactory(keluarga=keluarga_a, dicatat_oleh=staf, catatan="Rumah tidak layak")
    usulan = UsulanKeluarFactory(status_miskin=status, diusulkan_oleh=psm, keterangan="Sudah bekerja")
    keluar = StatusMiskinEkstremFactory(
        keluarga=KeluargaFactory(kelurahan=kelurahan_a), dicatat_oleh=staf, tanggal_keluar=dt.date(2024, 2, 1),
        alasan_keluar="graduasi", bukti_keluar="BA verifikasi", pengeluaran_keluar=410_000,
    )  # fmt: skip
    UsulanKeluarFactory(
        status_miskin=keluar, diusulkan_oleh=psm, status="disetujui", diverifikasi_oleh=staf,
        catatan_verifikasi="Sesuai", diverifikasi_pada=timezone.now(),
    )  # fmt: skip
    IntervensiFactory(keluarga=keluarga_a, dicatat_oleh=staf, nama_program="Bedah rumah", keterangan="Tahap 1")
    keluarga_baru = KeluargaFactory(kelurahan=kelurahan_a)
    PendudukFactory(keluarga=keluarga_baru, kelurahan=kelurahan_a, hubungan="kepala")
    program = Program.objects.order_by("pk").first()
    Program.objects.filter(pk=program.pk).update(keterangan="Program pusat")
    penyaluran = PenyaluranFactory(
        keluarga=keluarga_a, program=program, pendamping=psm, dibuat_oleh=staf, status="dikonfirmasi",
        keterangan="Tahap 1", id_eksternal="EXT-1",
    )  # fmt: skip
    Konfirmasi.objects.create(
        penyaluran=penyaluran, nilai_diterima=500_000, tanggal_terima=dt.date(2025, 2, 12),
        nama_pengonfirmasi="Bujang Sutan", catatan="Kurang Rp100.000", dicatat_oleh=psm,
    )  # fmt: skip
    penyaluran_menunggu = PenyaluranFactory(keluarga=keluarga_a, program=program, pendamping=psm, dibuat_oleh=staf)
    PenyaluranFactory(
        keluarga=keluarga_a, program=program, dibuat_oleh=staf, status="gagal", tanggal=None, alasan_gagal="Rekening"
    )
    bendera = Bendera.objects.create(
        jenis="kurang_terima", kunci="uji:web", alasan="Diterima kurang", penyaluran=penyaluran, pendamping=psm,
        kelurahan=kelurahan_a,
    )  # fmt: skip
    Bendera.objects.create(
        jenis="kurang_terima", kunci="uji:web:2", alasan="Diterima kurang", kelurahan=kelurahan_a,
        diselesaikan_pada=timezone.now(), diselesaikan_oleh=staf, catatan_penyelesaian="Sudah diklarifikasi",
    )  # fmt: skip
    pengaduan = PengaduanFactory(
        kelurahan=kelurahan_a, lokasi="Pasar Ibuh", petugas=staf, psm=psm, kasus=kasus,
        tanggapan_publik="Sedang diperiksa", resolusi="",
    )  # fmt: skip
    pengaduan.penyaluran.add(penyaluran)
    PengaduanFactory(
        kelurahan=kelurahan_a, status="selesai", ditutup_pada=timezone.now(), ditutup_oleh=staf, resolusi="Selesai"
    )
    impor_pratinjau = TugasImpor.objects.create(
        jenis="penduduk", nama_berkas="data.xlsx", lembar="Sheet1", uji_coba=True, status=StatusImpor.SELESAI,
        dibuat_oleh=staf, pesan="Pratinjau", progres=100,
    )  # fmt: skip
    impor_hasil = TugasImpor.objects.create(
        jenis="penduduk", nama_berkas="data.xlsx", lembar="Sheet1", status=StatusImpor.SELESAI, dibuat_oleh=staf,
        pesan="Selesai", progres=100, asal=impor_pratinjau,
    )  # fmt: skip
    return {
        "penduduk": penduduk_a,
        "keluarga": keluarga_a,
        "keluarga_baru": keluarga_baru,
        "ppks": ppks,
        "ppks_psm_lama": ppks_psm_lama,
        "kasus": kasus,
        "kasus_tutup": kasus_tutup,
        "rujukan": rujukan,
        "notifikasi": notifikasi,
        "kunjungan": kunjungan,
        "profil_psm": profil,
        "status_miskin": status,
        "usulan": usulan,
        "penyaluran": penyaluran,
        "penyaluran_menunggu": penyaluran_menunggu,
        "bendera": bendera,
        "pengaduan": pengaduan,
        "impor_pratinjau": impor_pratinjau,
        "impor_hasil": impor_hasil,
    }


class _PemeriksaCSP(HTMLParser):
    """Collects what a strict CSP (script-src/style-src 'self', no 'unsafe-inline') would block."""

    # A data block (json_script) is not executed, and CSP does not block it.
    TIPE_DATA = {"application/json", "application/ld+json"}

    def __init__(self, gaya_inline_boleh: bool):
        super().__init__(convert_charrefs=True)
        self.gaya_inline_boleh = gaya_inline_boleh
        self.pelanggaran: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and not a.get("src") and (a.get("type") or "").lower() not in self.TIPE_DATA:
            self.pelanggaran.append(f"<script> tanpa src: {self.get_starttag_text()}")
        if tag == "style" and not self.gaya_inline_boleh:
            self.pelanggaran.append("<style> inline")
        for nama, nilai in attrs:
            if nama.startswith("on") or nama.startswith("hx-on"):
                self.pelanggaran.append(f"atribut event {nama}= pada <{tag}>")
            if nilai and nilai.strip().lower().replace("\t", "").replace("\n", "").startswith("javascript:"):
                self.pelanggaran.append(f"URL javascript: di {nama}= pada <{tag}>")
            if nama == "style" and not self.gaya_inline_boleh:
                self.pelanggaran.append(f"atribut style= pada <{tag}>: {nilai[:60]!r}")

    handle_startendtag = handle_starttag


def pelanggaran_csp(html: str, gaya_inline_boleh: bool = False) -> list[str]:
    p = _PemeriksaCSP(gaya_inline_boleh)
    p.feed(html)
    p.close()
    return p.pelanggaran
