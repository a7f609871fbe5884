"""Tables of the PPKS demo data (``ppks/demo.py``): who fits each jenis, and the texts of case
reports, timeline entries and referrals.

Texts are written the way Dinsos staff and PSM write them. Places are real places of Kota
Payakumbuh, each with the kelurahan it lies in; institutions are the ones a case in Payakumbuh is
referred to.
"""

from dataclasses import dataclass

from ppks.choices import JenisLembaga as JL
from ppks.choices import Kebutuhan

K = Kebutuhan


@dataclass(frozen=True)
class Profil:
    """Who fits a jenis: age range (inclusive), extra conditions, weight, needs to draw from."""

    bobot: int
    umur: tuple[int, int]
    syarat: frozenset[str]
    kebutuhan: tuple[str, ...]


def _p(bobot, umur, syarat, *kebutuhan) -> Profil:
    return Profil(bobot, umur, frozenset(syarat.split()), kebutuhan)


# syarat: "L"/"P" sex, "dis" a recorded disability, "kepala" head of household, "tanpa_nik" a person
# found without NIK (age unknown or at least the minimum).
PROFIL: dict[str, Profil] = {
    "ABT": _p(10, (0, 4), "", K.PANGAN, K.JAMINAN_KESEHATAN, K.LAYANAN_KESEHATAN, K.ADMINDUK),
    "AT": _p(30, (5, 17), "", K.PENDIDIKAN, K.PANGAN, K.ADMINDUK, K.PSIKOSOSIAL, K.JAMINAN_KESEHATAN),
    "ABH": _p(2, (12, 17), "L", K.HUKUM, K.PSIKOSOSIAL, K.PENDIDIKAN),
    "AJ": _p(5, (6, 17), "", K.PENDIDIKAN, K.PSIKOSOSIAL, K.PANTI, K.ADMINDUK),
    "ADK": _p(12, (0, 17), "dis", K.ALAT_BANTU, K.LAYANAN_KESEHATAN, K.PENDIDIKAN, K.JAMINAN_KESEHATAN),
    "AKTK": _p(2, (3, 17), "", K.PSIKOSOSIAL, K.HUKUM, K.LAYANAN_KESEHATAN),
    "AMPK": _p(3, (0, 17), "", K.PSIKOSOSIAL, K.HUKUM, K.ADMINDUK),
    "LUT": _p(85, (60, 120), "", K.PANGAN, K.JAMINAN_KESEHATAN, K.LAYANAN_KESEHATAN, K.TEMPAT_TINGGAL, K.TUNAI),
    "PD": _p(55, (18, 120), "dis", K.ALAT_BANTU, K.JAMINAN_KESEHATAN, K.LAYANAN_KESEHATAN, K.USAHA, K.TUNAI),
    "TS": _p(1, (19, 45), "P", K.PSIKOSOSIAL, K.USAHA, K.LAYANAN_KESEHATAN),
    "GEL": _p(5, (18, 120), "tanpa_nik", K.TEMPAT_TINGGAL, K.ADMINDUK, K.PANGAN, K.PANTI),
    "PENG": _p(6, (18, 120), "tanpa_nik", K.PANGAN, K.ADMINDUK, K.USAHA, K.PANTI),
    "PEM": _p(6, (25, 70), "kepala", K.USAHA, K.PANGAN, K.JAMINAN_KESEHATAN, K.PENDIDIKAN),
    "KM": _p(1, (18, 80), "", K.ADMINDUK, K.PSIKOSOSIAL),
    "BWBLP": _p(2, (20, 60), "L", K.USAHA, K.PSIKOSOSIAL, K.ADMINDUK),
    "ODHA": _p(1, (20, 55), "", K.LAYANAN_KESEHATAN, K.JAMINAN_KESEHATAN, K.PSIKOSOSIAL),
    "NAPZA": _p(2, (16, 40), "L", K.LAYANAN_KESEHATAN, K.PSIKOSOSIAL, K.PANTI),
    "KTR": _p(1, (16, 35), "P", K.HUKUM, K.PSIKOSOSIAL, K.USAHA),
    "KTK": _p(3, (18, 60), "P", K.HUKUM, K.PSIKOSOSIAL, K.LAYANAN_KESEHATAN),
    "PMBS": _p(2, (20, 50), "", K.USAHA, K.ADMINDUK, K.PSIKOSOSIAL),
    "KBA": _p(8, (21, 90), "kepala", K.TEMPAT_TINGGAL, K.PANGAN, K.TUNAI),
    "KBS": _p(3, (21, 90), "kepala", K.TEMPAT_TINGGAL, K.PANGAN, K.PSIKOSOSIAL),
    "PRSE": _p(22, (18, 59), "P kepala", K.USAHA, K.PANGAN, K.TUNAI, K.JAMINAN_KESEHATAN),
    "FM": _p(60, (25, 90), "kepala", K.PANGAN, K.JAMINAN_KESEHATAN, K.TEMPAT_TINGGAL, K.USAHA, K.TUNAI),
    "KBSP": _p(4, (25, 65), "kepala", K.PSIKOSOSIAL),
    "KAT": _p(0, (0, 120), ""),  # designated by Kemensos in remote areas; none in a city
}
# Every kelurahan first gets one of these, so the demo shows PPKS in all 47.
JENIS_UMUM = ("LUT", "FM", "PD", "AT")

# Public places where people without a known identity are found, with their kelurahan (slug).
TEMPAT_UMUM = (
    ("simpang Ampangan", "kapalo-koto-ampangan"),
    ("Pasar Ibuah", "ibuah"),
    ("simpang Labuah Basilang", "labuah-basilang"),
    ("lampu merah Tanjuang Pauh", "tanjuang-pauh"),
    ("simpang Parik Rantang", "parik-rantang"),
)


def _t(jenis, orang, sumber, urgensi, kali, ringkasan, uraian, viral=False) -> dict:
    return {"jenis": jenis, "orang": orang, "sumber": sumber, "urgensi": urgensi, "kali": kali,
            "ringkasan": ringkasan, "uraian": uraian, "viral": viral}  # fmt: skip


# Case reports. ``orang``: the person is known (a resident who fits the jenis); else nobody knows
# who it is yet. ``kali``: how often the report recurs among 60 cases (in different places).
TEMPLAT_KASUS = [
    _t("AJ", False, "medsos", "darurat", 1, "Anak lumpuh dibawa ayahnya mengemis di {tempat} (viral)",
       "Video warga di media sosial: anak sekitar 9 tahun, kaki lumpuh, dibawa mengemis pada jam sekolah. "
       "Identitas anak dan ayahnya belum diketahui.", viral=True),
    _t("AJ", False, "warga", "tinggi", 2, "Anak usia sekitar 8 tahun mengemis di {tempat}, tanpa identitas",
       "Pelapor melihat anak yang sama setiap sore sampai malam; anak tidak mau menyebut nama dan alamat."),
    _t("PENG", False, "warga", "biasa", 2, "Pengemis lansia setiap hari duduk di {tempat}",
       "Perempuan tua, tampak lemah, tidak membawa KTP. Menurut pedagang sekitar sudah berminggu-minggu."),
    _t("GEL", False, "instansi", "tinggi", 1, "Orang telantar tidur di {tempat}, tampak bingung dan sakit",
       "Laporan Satpol PP: laki-laki dewasa, tidak bisa ditanyai, diduga gangguan jiwa."),
    _t(None, False, "pengaduan", "biasa", 1, "Orang tidak dikenal meminta-minta dari rumah ke rumah sekitar {tempat}",
       "Warga resah; belum jelas apakah pengemis, gelandangan atau penipuan berkedok sumbangan."),
    _t("LUT", True, "psm", "tinggi", 8, "Lansia tinggal sendiri, tidak ada makanan",
       "Anak-anaknya merantau dan jarang mengirim uang; tetangga kadang mengantar nasi."),
    _t("LUT", True, "warga", "biasa", 5, "Lansia sakit dan tidak ada yang merawat",
       "Sudah seminggu tidak keluar rumah; keluarga terdekat tinggal di Pekanbaru."),
    _t("LUT", True, "medsos", "darurat", 1, "Nenek sebatang kara tinggal di pondok reyot di tepi sawah (viral)",
       "Unggahan warga di Facebook dibagikan ribuan kali; atap pondok bocor dan dinding dari papan lapuk.",
       viral=True),
    _t("LUT", True, "psm", "biasa", 3, "Lansia pikun sering tersesat, keluarga kewalahan",
       "Dua kali ditemukan warga berjalan sampai ke pasar pada malam hari."),
    _t("PD", True, "psm", "biasa", 5, "Penyandang disabilitas butuh kursi roda, tidak bisa keluar rumah",
       "Kursi roda lama patah; selama ini digendong keluarga bila berobat."),
    _t("PD", True, "warga", "tinggi", 2, "Penyandang disabilitas mental dipasung keluarga",
       "Kaki dirantai di belakang rumah sejak dua tahun; keluarga takut mengamuk."),
    _t("ADK", True, "instansi", "tinggi", 2, "Anak disabilitas belum pernah sekolah dan belum punya BPJS",
       "Laporan Puskesmas saat posyandu; orang tua tidak tahu ada sekolah luar biasa."),
    _t("ABT", True, "instansi", "darurat", 2, "Balita gizi buruk, orang tua tidak mampu berobat",
       "Berat badan jauh di bawah garis merah KMS; ayah buruh harian, ibu sakit."),
    _t("AT", True, "psm", "tinggi", 4, "Anak putus sekolah ditinggal orang tua merantau, diasuh nenek yang sakit",
       "Sudah tiga bulan tidak sekolah; membantu berjualan di pasar."),
    _t("AKTK", True, "instansi", "darurat", 1, "Dugaan kekerasan terhadap anak oleh orang tua tiri",
       "Laporan guru: memar di lengan dan punggung; anak takut pulang."),
    _t("KTK", True, "pengaduan", "darurat", 1, "Ibu rumah tangga korban KDRT meminta perlindungan",
       "Menelepon layanan pengaduan; suami mengancam, ia dan anak-anak menginap di rumah tetangga."),
    _t("FM", True, "psm", "biasa", 5, "Rumah keluarga miskin hampir roboh (RTLH)",
       "Tiang rumah kayu lapuk, atap seng bocor; lima orang tinggal di satu ruangan."),
    _t("FM", True, "warga", "tinggi", 4, "Keluarga tidak makan dua hari, kepala keluarga sakit dan tidak bekerja",
       "Kepala keluarga buruh harian lepas, sakit paru-paru sejak sebulan."),
    _t("FM", True, "pengaduan", "biasa", 2, "Keluarga miskin belum pernah menerima bansos",
       "Tidak terdaftar di DTSEN; tetangga dengan keadaan serupa sudah menerima BPNT."),
    _t("PRSE", True, "psm", "biasa", 3, "Janda dengan anak kecil kehilangan mata pencaharian",
       "Warung gorengannya tutup karena modal habis untuk berobat anak."),
    _t("KBA", True, "psm", "darurat", 2, "Rumah terendam banjir luapan Batang Agam",
       "Air setinggi pinggang semalaman; kasur, pakaian dan beras rusak."),
    _t("KBA", True, "warga", "tinggi", 1, "Dapur rumah rusak tertimpa pohon tumbang saat hujan angin",
       "Tidak ada korban jiwa; keluarga memasak di rumah tetangga."),
    _t("KBS", True, "instansi", "darurat", 2, "Rumah terbakar, keluarga mengungsi ke rumah kerabat",
       "Laporan Damkar: rumah semi permanen habis terbakar, dokumen kependudukan ikut terbakar."),
    _t("NAPZA", True, "pengaduan", "tinggi", 1, "Keluarga minta bantuan rehabilitasi anak yang kecanduan narkoba",
       "Orang tua datang ke kantor Dinas Sosial; anak bersedia direhabilitasi."),
    _t("PMBS", True, "instansi", "tinggi", 1, "Pekerja migran dipulangkan dari Malaysia tanpa biaya dan pekerjaan",
       "Dipulangkan lewat Dumai; tiba di Payakumbuh tanpa uang, paspor ditahan majikan."),
    _t("PEM", True, "psm", "biasa", 2, "Pemulung dengan anak usia sekolah yang tidak bersekolah",
       "Anak ikut memulung di TPA setiap hari; tidak ada biaya seragam dan buku."),
]  # fmt: skip

_PUSKESMAS = (JL.KESEHATAN, "Puskesmas setempat")
_RSUD = (JL.KESEHATAN, "RSUD dr. Adnaan WD Payakumbuh")
_BAZNAS = (JL.LAINNYA, "BAZNAS Kota Payakumbuh")


def _l(asesmen, layanan, lembaga, balasan, pantau) -> dict:
    return {"asesmen": asesmen, "layanan": layanan, "lembaga": lembaga, "balasan": balasan, "pantau": pantau}


_UMUM_LAYANAN = {
    "catatan": "Laporan diterima petugas piket; PSM kelurahan diminta mengecek ke lokasi.",
    "kunjungan": "PSM datang ke lokasi bersama perangkat kelurahan; keadaan sesuai laporan.",
}
# Per jenis: assessment, service given, referral (institution), its answer, and the follow-up visit.
LAYANAN: dict[str | None, dict] = {
    None: _l("Asesmen: identitas dan asal belum jelas; koordinasi dengan Satpol PP dan kelurahan.",
             "Dijangkau dan diberi makanan; dibawa ke rumah singgah sementara.",
             (JL.DUKCAPIL, "Disdukcapil Kota Payakumbuh"), "Identitas ditemukan lewat perekaman sidik jari.",
             "Tidak terlihat lagi di lokasi pada pengecekan ulang."),
    "AJ": _l("Asesmen: anak tidak bersekolah, dieksploitasi untuk mengemis.",
             "Anak dijangkau, diberi makan dan pakaian; orang tua diberi pembinaan.",
             (JL.LKS, "LKSA Panti Asuhan Aisyiyah Payakumbuh"), "Anak diterima di LKSA dan kembali bersekolah.",
             "Anak bersekolah; orang tua tidak lagi membawa anak ke jalan."),
    "PENG": _l("Asesmen: lansia tanpa keluarga yang merawat, mengemis untuk makan.",
               "Diberi paket sembako; dibujuk pulang dan diantar ke rumah kerabat.",
               (JL.LAINNYA, "UPTD Panti Sosial Tresna Werdha Sabai Nan Aluih, Sicincin"),
               "Diterima di panti untuk perawatan lanjut usia.", "Tidak lagi mengemis di lokasi."),
    "GEL": _l("Asesmen: diduga gangguan jiwa, butuh pemeriksaan medis.", "Dijangkau bersama Satpol PP, diberi makan.",
              (JL.KESEHATAN, "RSJ Prof. HB Saanin Padang"), "Dirawat inap; kondisi membaik.",
              "Sudah pulih dan dipulangkan ke keluarga di Lima Puluh Kota."),
    "LUT": _l("Asesmen: lansia tinggal sendiri, makan tidak teratur, belum punya PBI-JK.",
              "Diberi paket sembako dan kasur; didaftarkan program permakanan.", _PUSKESMAS,
              "Diperiksa dan mendapat obat rutin.", "Makan dua kali sehari dari program permakanan; kondisi stabil."),
    "PD": _l("Asesmen: disabilitas fisik berat, butuh alat bantu dan jaminan kesehatan.",
             "Kursi roda diserahkan; didaftarkan PBI-JK.", _RSUD, "Terapi rehabilitasi medik dua kali seminggu.",
             "Sudah bisa keluar rumah dengan kursi roda."),
    "ADK": _l("Asesmen: anak disabilitas intelektual, belum sekolah, belum punya akta.",
              "Diberi bantuan nutrisi; orang tua didampingi mengurus akta kelahiran.",
              (JL.SEKOLAH, "Dinas Pendidikan Kota Payakumbuh (SLB)"), "Anak diterima di SLB.", "Anak rutin sekolah."),
    "ABT": _l("Asesmen: gizi buruk, keluarga tanpa BPJS.", "Diberi susu dan makanan tambahan.", _PUSKESMAS,
              "Balita dirawat dan mendapat PMT pemulihan.", "Berat badan naik; kontrol rutin ke posyandu."),
    "AT": _l("Asesmen: anak putus sekolah, pengasuh sakit.",
             "Perlengkapan sekolah diberikan; nenek didaftarkan PBI-JK.",
             (JL.SEKOLAH, "Dinas Pendidikan Kota Payakumbuh"), "Anak kembali bersekolah.", "Anak hadir di sekolah."),
    "AKTK": _l("Asesmen bersama UPTD PPA: anak butuh perlindungan dan pemeriksaan visum.",
               "Anak dititipkan sementara ke keluarga ibu kandung; pendampingan psikososial.",
               (JL.POLISI, "Unit PPA Polres Payakumbuh"), "Laporan polisi diterima; proses berjalan.",
               "Anak tinggal aman bersama keluarga ibu kandung."),
    "KTK": _l("Asesmen: korban butuh tempat aman dan pendampingan hukum.",
              "Pendampingan psikososial; tempat aman sementara.",
              (JL.POLISI, "Unit PPA Polres Payakumbuh"), "Laporan diterima; pelaku dipanggil.", "Korban aman."),
    "FM": _l("Asesmen: penghasilan jauh di bawah garis kemiskinan, belum terdaftar DTSEN.",
             "Paket sembako diserahkan; diusulkan ke DTSEN dan program RTLH.", _BAZNAS,
             "Bantuan Baznas disalurkan.", "Keluarga sudah menerima bantuan; kebutuhan pokok tercukupi."),
    "PRSE": _l("Asesmen: perlu modal usaha kecil.", "Didaftarkan usulan bantuan usaha ekonomi produktif.", _BAZNAS,
               "Modal usaha Rp3.000.000 dari Baznas.", "Warung buka kembali."),
    "KBA": _l("Asesmen kerusakan: perabot dan bahan makanan rusak.",
              "Bantuan logistik (beras, selimut, matras) diserahkan.",
              (JL.LAINNYA, "BPBD Kota Payakumbuh"), "Didata untuk bantuan perbaikan rumah.",
              "Keluarga kembali ke rumah."),
    "KBS": _l("Asesmen: rumah rusak total, dokumen hilang.",
              "Bantuan tanggap darurat: sembako, pakaian, peralatan dapur.",
              (JL.DUKCAPIL, "Disdukcapil Kota Payakumbuh"), "KK dan KTP dicetak ulang.",
              "Keluarga menumpang di rumah kerabat."),
    "NAPZA": _l("Asesmen: bersedia rehabilitasi, dukungan keluarga baik.", "Konseling keluarga.",
                (JL.LAINNYA, "BNN Kota Payakumbuh (IPWL)"), "Mengikuti rehabilitasi rawat jalan.", "Rutin kontrol."),
    "PMBS": _l("Asesmen: tanpa pekerjaan dan dokumen.", "Diberi ongkos dan sembako.",
               (JL.LAINNYA, "Disnaker Kota Payakumbuh"), "Didaftarkan pelatihan kerja.", "Sudah bekerja di bengkel."),
    "PEM": _l("Asesmen: anak tidak sekolah karena biaya.", "Perlengkapan sekolah diberikan.",
              (JL.SEKOLAH, "Dinas Pendidikan Kota Payakumbuh"), "Anak didaftarkan PIP.", "Anak kembali bersekolah."),
}  # fmt: skip
for _isi in LAYANAN.values():
    _isi.update(_UMUM_LAYANAN)

ALASAN_TUTUP = (
    "Orang tidak ditemukan lagi di lokasi setelah tiga kali dicek.",
    "Ternyata warga Kabupaten Lima Puluh Kota; diserahkan ke Dinas Sosial kabupaten.",
    "Laporan ganda dengan kasus lain yang sudah ditangani.",
    "Keluarga menolak bantuan setelah dijelaskan; dicatat untuk dipantau PSM.",
)
ALASAN_BUKAN = {
    "umum": (
        "Hasil verifikasi lapangan: tidak memenuhi kriteria.",
        "Sudah mampu memenuhi kebutuhan dasar (usaha berjalan).",
        "Ditanggung keluarga yang kembali dari rantau.",
    ),
    "anak": ("Kembali diasuh orang tua dan bersekolah.",),
    "lanjut_usia": ("Tinggal bersama dan dirawat anaknya.",),
    "kemiskinan": ("Kepala keluarga sudah bekerja tetap.",),
}
CATATAN = {
    "lanjut_usia": ("Tinggal sendiri; anak merantau ke Pekanbaru.", "Penglihatan mulai kabur; perlu kacamata.",
                    "Menerima permakanan dari program Kemensos."),
    "disabilitas": ("Kursi roda lama sudah rusak.", "Perlu pendamping saat berobat ke RSUD."),
    "kemiskinan": ("Rumah berdinding papan, lantai tanah.", "Penghasilan tidak tetap, buruh harian."),
    "anak": ("Diasuh nenek.", "Belum punya akta kelahiran."),
}  # fmt: skip
KEBUTUHAN_LAIN = ("Kacamata baca", "Kasur dan selimut", "Perbaikan atap rumah yang bocor", "Popok dewasa",
                  "Susu untuk balita", "Seragam dan sepatu sekolah")  # fmt: skip
PELAPOR = ("Pak Syafri (ketua RT)", "Bu Yenni (tetangga)", "Ujang (pedagang)", "Pak Amri (garin masjid)",
           "Bu Erni (kader posyandu)", "Anonim")  # fmt: skip
