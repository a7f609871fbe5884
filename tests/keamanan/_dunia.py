"""One fixture world for the security tests: a record of every kind in kelurahan A (Tanjuang Pauh)
and in kelurahan B (Napar), the fixed cast of roles, and their signed-in sessions.

Built once per test module (``dunia`` fixture in the test files, ``bangun_dunia`` here) inside an
outer transaction that is rolled back at the end of the module; each test still runs in its own
savepoint (pytest-django's ``db``), so a POST that writes is undone before the next test.

Every person, household, case and complaint of B carries a marker (name, NIK, No KK, case summary,
tracking code) listed in ``Dunia.penanda_b``: a PSM of A must never see any of them. Every NIK and
No KK of the world is in ``Dunia.nomor_lengkap``: Pimpinan must never see one whole.

Other helpers may import this module read-only.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from akun.roles import Peran
from penduduk.nik import susun_nik
from tests.bantuan.factories import BenderaFactory, KonfirmasiFactory, PenyaluranFactory
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
    UserFactory,
    UsulanKeluarFactory,
)
from tests.pengaduan.factories import PengaduanFactory
from wilayah.models import Kelurahan

PERAN = ("anonim", "psm_a", "psm_b", "staf", "pimpinan", "admin")
SISI = ("a", "b")
# Names that occur nowhere else (the name search and the leak scan look for them).
NAMA = {
    "a": {"orang": "Siti Matriksalfa", "kepala": "Bujang Matriksalfa", "kasus": "Anak terlantar Matriksalfa"},
    "b": {"orang": "Rangkayo Matriksbeta", "kepala": "Datuak Matriksbeta", "kasus": "Anak terlantar Matriksbeta"},
}
SLUG = {"a": "tanjuang-pauh", "b": "napar"}
# Every stored image differs (per side, per kind), so a served file can be told apart byte for byte.
WARNA = {
    ("kunjungan", "a"): (200, 30, 30), ("kunjungan", "b"): (150, 30, 30),
    ("bukti", "a"): (30, 200, 30), ("bukti", "b"): (30, 150, 30),
    ("lampiran", "a"): (30, 30, 200), ("lampiran", "b"): (30, 30, 150),
}  # fmt: skip


def png(warna=(200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), warna).save(buf, "PNG")
    return buf.getvalue()


def xlsx_kosong() -> bytes:
    from openpyxl import Workbook

    buf = io.BytesIO()
    Workbook().save(buf)
    return buf.getvalue()


@dataclass
class Dunia:
    pengguna: dict = field(default_factory=dict)  # peran -> User (no "anonim")
    kelurahan: dict = field(default_factory=dict)  # sisi -> Kelurahan
    objek: dict = field(default_factory=dict)  # (jenis, sisi) -> model instance
    notifikasi: dict = field(default_factory=dict)  # (peran, sisi) -> Notifikasi
    sesi: dict = field(default_factory=dict)  # peran -> session key
    penanda_b: dict = field(default_factory=dict)  # marker text -> what it is (records of B)
    nomor_lengkap: dict = field(default_factory=dict)  # full NIK / No KK -> what it is

    def klien(self, peran: str) -> Client:
        """A fresh test client signed in as ``peran`` (anonymous for "anonim")."""
        klien = Client()
        if peran != "anonim":
            klien.cookies[settings.SESSION_COOKIE_NAME] = self.sesi[peran]
        return klien

    def pk(self, jenis: str, sisi: str) -> int:
        return self.objek[jenis, sisi].pk


def _masuk(user) -> str:
    """A session for ``user`` (as ``Client.force_login`` makes it), returned by its key."""
    klien = Client()
    klien.force_login(user)
    return klien.cookies[settings.SESSION_COOKIE_NAME].value


def bangun_dunia() -> Dunia:
    from impor.models import StatusImpor, TugasImpor
    from impor.tasks import penyimpanan as penyimpanan_impor
    from ppks.models import Notifikasi, Rujukan, Tindakan
    from psm.models import Ikrar, PersetujuanIkrar

    d = Dunia()
    for sisi in SISI:
        d.kelurahan[sisi] = Kelurahan.objects.select_related("kecamatan").get(slug=SLUG[sisi])
    u = d.pengguna
    u["admin"] = UserFactory(username="matriks.admin", peran=Peran.ADMIN)
    u["staf"] = UserFactory(username="matriks.staf", peran=Peran.STAF)
    u["pimpinan"] = UserFactory(username="matriks.pimpinan", peran=Peran.PIMPINAN)
    u["psm_a"] = UserFactory(username="matriks.psm-a", peran=Peran.PSM, kelurahan=[d.kelurahan["a"]])
    u["psm_b"] = UserFactory(username="matriks.psm-b", peran=Peran.PSM, kelurahan=[d.kelurahan["b"]])
    ikrar = Ikrar.terkini()
    for peran in ("psm_a", "psm_b"):
        PersetujuanIkrar.objects.create(user=u[peran], ikrar=ikrar)
    TargetFactory()
    staf = u["staf"]
    sekarang = timezone.now()

    for sisi in SISI:
        kel, psm, nama = d.kelurahan[sisi], u[f"psm_{sisi}"], NAMA[sisi]
        o = {}
        o["keluarga"] = KeluargaFactory(kelurahan=kel)
        o["kepala"] = PendudukFactory(keluarga=o["keluarga"], kelurahan=kel, hubungan="kepala", nama=nama["kepala"])
        o["penduduk"] = PendudukFactory(
            keluarga=o["keluarga"], kelurahan=kel, hubungan="istri", nama=nama["orang"], jenis_kelamin="P"
        )
        o["ppks"] = PPKSFactory(penduduk=o["penduduk"], psm_pendamping=psm)
        o["kasus"] = KasusFactory(
            kelurahan=kel, penduduk=o["penduduk"], psm=psm, ringkasan=nama["kasus"], dibuat_oleh=staf
        )
        Tindakan.objects.create(kasus=o["kasus"], jenis="catatan", uraian=f"Catatan {nama['kasus']}", oleh=staf)
        o["rujukan"] = Rujukan.objects.create(
            kasus=o["kasus"], jenis_lembaga="kesehatan", nama_lembaga="Puskesmas Matriks", oleh=staf
        )
        o["kunjungan"] = KunjunganFactory(penduduk=o["penduduk"], oleh=psm, temuan=f"Bertemu {nama['orang']}")
        o["kunjungan"].foto.save(f"matriks-{sisi}.png", ContentFile(png(WARNA["kunjungan", sisi])), save=True)
        o["profil"] = ProfilPSMFactory(
            user=psm,
            kelurahan_utama=kel,
            nama=f"PSM Matriks {sisi.upper()}",
            nik=susun_nik(kel.kecamatan.kode.replace(".", ""), dt.date(1990, 2, 3), "L", 9000 + SISI.index(sisi)),
        )
        # Extreme poverty: one household on the list (exit can be proposed), one with a pending
        # proposal by its PSM (staff can verify it).
        o["keluarga_miskin"] = KeluargaFactory(kelurahan=kel)
        PendudukFactory(keluarga=o["keluarga_miskin"], kelurahan=kel, hubungan="kepala", nama=f"{nama['kepala']} Dua")
        o["status"] = StatusMiskinEkstremFactory(keluarga=o["keluarga_miskin"], dicatat_oleh=staf)
        keluarga_usul = KeluargaFactory(kelurahan=kel)
        PendudukFactory(keluarga=keluarga_usul, kelurahan=kel, hubungan="kepala", nama=f"{nama['kepala']} Tiga")
        status_usul = StatusMiskinEkstremFactory(keluarga=keluarga_usul, dicatat_oleh=staf)
        o["usulan"] = UsulanKeluarFactory(status_miskin=status_usul, diusulkan_oleh=psm)
        IntervensiFactory(keluarga=o["keluarga_miskin"], dicatat_oleh=staf)
        # Assistance: one waiting for the family's word, one confirmed with a receipt photo, a flag.
        o["penyaluran"] = PenyaluranFactory(keluarga=o["keluarga"], pendamping=psm, dibuat_oleh=staf)
        o["penyaluran_terkonfirmasi"] = PenyaluranFactory(
            keluarga=o["keluarga"], pendamping=psm, status="dikonfirmasi", dibuat_oleh=staf, periode=dt.date(2024, 1, 1)
        )
        o["konfirmasi"] = KonfirmasiFactory(
            penyaluran=o["penyaluran_terkonfirmasi"], nama_pengonfirmasi=nama["kepala"], dicatat_oleh=psm
        )
        o["konfirmasi"].foto_bukti.save(f"bukti-{sisi}.png", ContentFile(png(WARNA["bukti", sisi])), save=True)
        o["bendera"] = BenderaFactory(penyaluran=o["penyaluran_terkonfirmasi"], pendamping=psm)
        o["pengaduan"] = PengaduanFactory(
            kelurahan=kel, psm=psm, pelapor_nama=f"Pelapor {nama['orang']}", kasus=o["kasus"]
        )
        o["pengaduan"].lampiran.save(f"lampiran-{sisi}.png", ContentFile(png(WARNA["lampiran", sisi])), save=True)
        o["pengaduan"].penyaluran.add(o["penyaluran"])
        # Imports are not per kelurahan (Admin/Staf work); one finished preview and one finished
        # import with its rejected-rows report per side, so every import page has a record.
        o["tugas_pratinjau"] = TugasImpor.objects.create(
            jenis="penduduk", nama_berkas=f"pratinjau-{sisi}.xlsx", uji_coba=True, status=StatusImpor.SELESAI,
            jumlah_baris=1, jumlah_baru=1, dibuat_oleh=staf, selesai_pada=sekarang,
        )  # fmt: skip
        ditolak = penyimpanan_impor.save(f"ditolak/matriks-{sisi}.xlsx", ContentFile(xlsx_kosong()))
        o["tugas_hasil"] = TugasImpor.objects.create(
            jenis="penduduk", nama_berkas=f"hasil-{sisi}.xlsx", status=StatusImpor.SELESAI, jumlah_baris=1,
            jumlah_galat=1, berkas_ditolak=ditolak, dibuat_oleh=staf, selesai_pada=sekarang,
        )  # fmt: skip
        for jenis, obj in o.items():
            d.objek[jenis, sisi] = obj
        # Alerts about the case, to everyone who sees it.
        for peran in ("admin", "staf", "pimpinan", f"psm_{sisi}"):
            d.notifikasi[peran, sisi] = Notifikasi.objects.create(pengguna=u[peran], kasus=o["kasus"], jenis="darurat")

    # Records of one side that point at the other (a person moved, a case about a resident of the
    # other kelurahan, a visit made before the person moved, aid to a household that moved): the
    # viewer of one side sees the record, never the other side's person behind it.
    for sisi, lain in (("a", "b"), ("b", "a")):
        kel, o, ol = d.kelurahan[sisi], {}, {k: v for (k, s), v in d.objek.items() if s == lain}
        o["penduduk_lintas"] = PendudukFactory(
            kelurahan=kel, keluarga=ol["keluarga"], hubungan="anak", nama=f"Perantau Matriks{sisi.upper()}"
        )
        # Reported without a person, linked later: the change history names the person too.
        o["kasus_lintas"] = KasusFactory(kelurahan=kel, ringkasan=f"Kasus lintas {sisi.upper()}", dibuat_oleh=staf)
        o["kasus_lintas"].penduduk = ol["penduduk"]
        o["kasus_lintas"].save()
        o["kunjungan_lintas"] = KunjunganFactory(
            penduduk=ol["penduduk"], kelurahan=kel, oleh=u[f"psm_{sisi}"], temuan="Sebelum pindah"
        )
        o["penyaluran_lintas"] = PenyaluranFactory(
            keluarga=ol["keluarga"], kelurahan=kel, dibuat_oleh=staf, periode=dt.date(2023, 7, 1)
        )
        for jenis, obj in o.items():
            d.objek[jenis, sisi] = obj

    # Markers of B and every full number, refreshed from the database (factories compute them).
    b = {k: v for (k, s), v in d.objek.items() if s == "b"}
    d.penanda_b = {
        NAMA["b"]["orang"]: "nama penduduk B",
        NAMA["b"]["kepala"]: "nama kepala keluarga B",
        NAMA["b"]["kasus"]: "ringkasan kasus B",
        b["penduduk"].nik: "NIK penduduk B",
        b["kepala"].nik: "NIK kepala keluarga B",
        b["keluarga"].no_kk: "No KK keluarga B",
        b["keluarga_miskin"].no_kk: "No KK keluarga miskin B",
        b["pengaduan"].kode_lacak: "kode lacak pengaduan B",
        b["kasus"].nomor: "nomor kasus B",
        b["penduduk_lintas"].nama: "nama penduduk B (anggota keluarga A)",
        b["penduduk_lintas"].nik: "NIK penduduk B (anggota keluarga A)",
        b["kasus_lintas"].ringkasan: "ringkasan kasus B (tentang warga A)",
        b["kasus_lintas"].nomor: "nomor kasus B (tentang warga A)",
    }
    for (jenis, sisi), obj in d.objek.items():
        if jenis in ("penduduk", "kepala", "penduduk_lintas", "profil") and obj.nik:
            d.nomor_lengkap[obj.nik] = f"NIK {jenis} {sisi.upper()}"
        if jenis in ("keluarga", "keluarga_miskin") and obj.no_kk:
            d.nomor_lengkap[obj.no_kk] = f"No KK {jenis} {sisi.upper()}"
    for peran, user in u.items():
        d.sesi[peran] = _masuk(user)
    return d


# --- reading a response -------------------------------------------------------------------------

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def isi_teks(resp) -> str:
    """What a response shows, as text: HTML/JSON/CSV decoded, xlsx unzipped (its XML parts), images
    and PDFs empty (no text to leak)."""
    data = b"".join(resp.streaming_content) if getattr(resp, "streaming", False) else resp.content
    jenis = resp.get("Content-Type", "")
    if jenis.startswith(_XLSX) or data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        except zipfile.BadZipFile:
            pass
    if jenis.startswith(("image/", "application/pdf")):
        return ""
    return data.decode("utf-8", "replace")


def bocoran(teks: str, penanda: dict) -> list[str]:
    """The markers found in ``teks``, described."""
    return [f"{arti} ({nilai})" for nilai, arti in penanda.items() if nilai and nilai in teks]
