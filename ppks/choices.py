"""Code lists of PPKS registration and rapid-response cases."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kelompok(models.TextChoices):
    ANAK = "anak", _("Anak")
    LANJUT_USIA = "lanjut_usia", _("Lanjut usia")
    DISABILITAS = "disabilitas", _("Disabilitas")
    TUNA_SOSIAL = "tuna_sosial", _("Tuna sosial")
    KORBAN = "korban", _("Korban")
    KEMISKINAN = "kemiskinan", _("Kemiskinan")
    LAINNYA = "lainnya", _("Lainnya")


class StatusPPKS(models.TextChoices):
    AKTIF = "aktif", _("Aktif")
    DALAM_PENANGANAN = "dalam_penanganan", _("Dalam penanganan")
    TERTANGANI = "tertangani", _("Tertangani")
    BUKAN_PPKS = "bukan_ppks", _("Bukan PPKS lagi")


class SumberData(models.TextChoices):
    DTKS = "dtks", _("DTKS/DTSEN")
    PSM = "psm", _("Pendataan PSM")
    LAPORAN = "laporan", _("Laporan warga")
    INSTANSI = "instansi", _("Instansi")


class Kebutuhan(models.TextChoices):
    """What a PPKS resident needs: structured, so Dinsos can count and plan; free text beside it."""

    PANGAN = "pangan", _("Pangan/sembako")
    JAMINAN_KESEHATAN = "jaminan_kesehatan", _("Jaminan kesehatan (PBI-JK)")
    LAYANAN_KESEHATAN = "layanan_kesehatan", _("Layanan kesehatan/rehabilitasi medis")
    ALAT_BANTU = "alat_bantu", _("Alat bantu disabilitas")
    ADMINDUK = "adminduk", _("Dokumen kependudukan (KTP/KK/akta)")
    PENDIDIKAN = "pendidikan", _("Pendidikan/sekolah")
    TEMPAT_TINGGAL = "tempat_tinggal", _("Tempat tinggal/RTLH")
    USAHA = "usaha", _("Bantuan usaha/pekerjaan")
    PSIKOSOSIAL = "psikososial", _("Pendampingan psikososial")
    HUKUM = "hukum", _("Perlindungan/pendampingan hukum")
    PANTI = "panti", _("Rehabilitasi sosial/panti")
    TUNAI = "tunai", _("Bantuan tunai")


class SumberKasus(models.TextChoices):
    PSM = "psm", _("PSM")
    WARGA = "warga", _("Laporan warga")
    MEDSOS = "medsos", _("Media sosial/viral")
    INSTANSI = "instansi", _("Instansi")
    PENGADUAN = "pengaduan", _("Pengaduan publik")


class Urgensi(models.TextChoices):
    DARURAT = "darurat", _("Darurat")
    TINGGI = "tinggi", _("Tinggi")
    BIASA = "biasa", _("Biasa")


class StatusKasus(models.TextChoices):
    BARU = "baru", _("Baru")
    DIVERIFIKASI = "diverifikasi", _("Diverifikasi")
    DITANGANI = "ditangani", _("Ditangani")
    DIRUJUK = "dirujuk", _("Dirujuk")
    SELESAI = "selesai", _("Selesai")
    DITUTUP = "ditutup", _("Ditutup")


STATUS_TERBUKA = (StatusKasus.BARU, StatusKasus.DIVERIFIKASI, StatusKasus.DITANGANI, StatusKasus.DIRUJUK)


class JenisTindakan(models.TextChoices):
    ASESMEN = "asesmen", _("Asesmen")
    KUNJUNGAN = "kunjungan", _("Kunjungan")
    LAYANAN = "layanan", _("Layanan/bantuan diberikan")
    RUJUKAN = "rujukan", _("Rujukan")
    CATATAN = "catatan", _("Catatan")
    STATUS = "status", _("Perubahan status")


class JenisLembaga(models.TextChoices):
    KESEHATAN = "kesehatan", _("Puskesmas/RSUD/Dinas Kesehatan")
    DUKCAPIL = "dukcapil", _("Disdukcapil")
    KEMENSOS = "kemensos", _("Panti/sentra Kemensos")
    LKS = "lks", _("LKS (lembaga kesejahteraan sosial)")
    POLISI = "polisi", _("Kepolisian")
    SEKOLAH = "sekolah", _("Sekolah/Dinas Pendidikan")
    LAINNYA = "lainnya", _("Lainnya")


class StatusRujukan(models.TextChoices):
    DIKIRIM = "dikirim", _("Dikirim")
    DITERIMA = "diterima", _("Diterima lembaga")
    DITOLAK = "ditolak", _("Ditolak lembaga")
    SELESAI = "selesai", _("Selesai dilayani")


class JenisNotifikasi(models.TextChoices):
    DARURAT = "darurat", _("Kasus darurat baru")
    TERLAMBAT = "terlambat", _("Kasus melewati batas waktu")
