"""Cell values as sources write them, turned into the registry's values.

Each reader takes a raw cell (str, int, float, bool, date or datetime, as calamine or csv give
it) and returns the clean value, or raises ``GalatNilai`` with an Indonesian message. Warnings go
into the ``peringatan`` list passed in. Readers of values that repeat (dates, sex, kelurahan,
relationship) are cached per import: a 100,000-row file has a few thousand distinct ones.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext as _

from impor import pengaturan
from penduduk.choices import Hubungan, JenisKelamin
from penduduk.nik import HasilPeriksa, periksa_nik, periksa_no_kk

_EXCEL_NOL = date(1899, 12, 30)
_BULAN = {
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8,
    "agu": 8, "agt": 8, "agus": 8, "aug": 8, "august": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10,
    "okt": 10, "oct": 10, "october": 10, "november": 11, "nov": 11, "nopember": 11, "desember": 12, "des": 12,
    "dec": 12, "december": 12, "january": 1, "february": 2, "march": 3, "june": 6, "july": 7,
}  # fmt: skip
_TGL_ANGKA = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$")
_TGL_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_TGL_KATA = re.compile(r"^(\d{1,2})[\s\-/]+([A-Za-z]+)\.?[\s\-/]+(\d{4})$")
_LAHIR_AWAL = date(1900, 1, 1)


def _angka(teks: str) -> bool:
    """ASCII digits only ('¹' and other Unicode digits pass ``isdigit`` but not ``int``)."""
    return teks.isascii() and teks.isdigit()


class GalatNilai(ValueError):
    """One cell's value is not acceptable; the message is shown with the row and column."""


def kosong(nilai: object) -> bool:
    return nilai is None or (isinstance(nilai, str) and not nilai.strip())


def teks(nilai: object, maks: int | None = None) -> str:
    """A cell as text: numbers without '.0', whitespace collapsed, length capped."""
    if nilai is None:
        return ""
    if isinstance(nilai, float) and nilai.is_integer():
        nilai = int(nilai)
    if isinstance(nilai, (date, datetime)):
        nilai = nilai.strftime("%d/%m/%Y")
    hasil = " ".join(str(nilai).split())
    if hasil == nilai:
        hasil = nilai  # the cell's own string: one object, not two, when a row is kept
    batas = maks or pengaturan.maks_panjang_sel()
    if len(hasil) > batas:
        raise GalatNilai(
            _("Isi terlalu panjang (%(n)d karakter; paling banyak %(maks)d).") % {"n": len(hasil), "maks": batas}
        )
    return hasil


def _nomor(nilai: object, periksa, peringatan: list[str], **kw) -> HasilPeriksa:
    if isinstance(nilai, str) and len(nilai) > 64:
        raise GalatNilai(_("Isi terlalu panjang untuk sebuah nomor."))
    if isinstance(nilai, float) and nilai.is_integer() and nilai < 1e17:
        nilai = int(nilai)  # a number cell: periksa_* flags it as at risk of precision loss
    hasil = periksa(nilai, **kw)
    if hasil.galat:
        raise GalatNilai(" ".join(hasil.galat))
    peringatan.extend(hasil.peringatan)
    return hasil


def nik(
    nilai: object,
    peringatan: list[str],
    *,
    jenis_kelamin: str | None = None,
    tanggal_lahir: date | None = None,
    hari_ini: date | None = None,
) -> HasilPeriksa:
    """A NIK as text ("'1376...", with spaces or dots) or as a number of exactly 16 digits (warned),
    compared with the sex and birth date of the row (differences are warnings)."""
    return _nomor(
        nilai, periksa_nik, peringatan, jenis_kelamin=jenis_kelamin, tanggal_lahir=tanggal_lahir, hari_ini=hari_ini
    )


def no_kk(nilai: object, peringatan: list[str]) -> str:
    return _nomor(nilai, periksa_no_kk, peringatan).nilai


def _tanggal_sah(thn: int, bln: int, hari: int) -> date:
    try:
        return date(thn, bln, hari)
    except ValueError as exc:
        raise GalatNilai(_("Tanggal %(t)s tidak ada di kalender.") % {"t": f"{hari:02d}/{bln:02d}/{thn}"}) from exc


@lru_cache(maxsize=65536)
def _tanggal_teks(isi: str) -> date:
    isi = isi.strip().lstrip("'")
    if m := _TGL_ANGKA.match(isi):  # dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy
        return _tanggal_sah(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if m := _TGL_ISO.match(isi):
        return _tanggal_sah(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _TGL_KATA.match(isi):  # 12 Agustus 1975, 12-Agu-1975
        bulan = _BULAN.get(m.group(2).lower())
        if bulan:
            return _tanggal_sah(int(m.group(3)), bulan, int(m.group(1)))
    if _angka(isi) and 1 <= len(isi) <= 5:  # an Excel serial that arrived as text
        return _serial(int(isi))
    raise GalatNilai(
        _("Tanggal “%(isi)s” tidak dikenali (pakai dd/mm/yyyy, dd-mm-yyyy, yyyy-mm-dd atau 12 Agustus 1975).")
        % {"isi": isi[:40]}
    )


def _serial(n: float) -> date:
    if not 1 <= n < 2958466:
        raise GalatNilai(_("Angka %(n)s bukan tanggal Excel yang sah.") % {"n": n})
    return _EXCEL_NOL + timedelta(days=int(n))


def tanggal(nilai: object) -> date:
    """Excel dates, serial numbers, dd/mm/yyyy, dd-mm-yyyy, yyyy-mm-dd, '12 Agustus 1975'."""
    if isinstance(nilai, datetime):
        return nilai.date()
    if isinstance(nilai, date):
        return nilai
    if isinstance(nilai, bool):
        raise GalatNilai(_("Tanggal tidak dikenali."))
    if isinstance(nilai, (int, float)):
        if nilai != nilai:  # NaN
            raise GalatNilai(_("Tanggal tidak dikenali."))
        return _serial(nilai)
    if isinstance(nilai, timedelta):
        raise GalatNilai(_("Isi sel ini jam atau durasi, bukan tanggal."))
    isi = str(nilai)
    if len(isi) > 64:
        raise GalatNilai(_("Isi terlalu panjang untuk sebuah tanggal."))
    return _tanggal_teks(isi)


def tanggal_lahir(nilai: object, hari_ini: date | None = None) -> date:
    lahir = tanggal(nilai)
    if lahir > (hari_ini or timezone.localdate()):
        raise GalatNilai(_("Tanggal lahir tidak boleh di masa depan."))
    if lahir < _LAHIR_AWAL:
        raise GalatNilai(_("Tanggal lahir sebelum tahun 1900 tidak mungkin; periksa lagi."))
    return lahir


_JK = {
    "l": JenisKelamin.LAKI_LAKI, "lk": JenisKelamin.LAKI_LAKI, "laki": JenisKelamin.LAKI_LAKI,
    "lakilaki": JenisKelamin.LAKI_LAKI, "pria": JenisKelamin.LAKI_LAKI, "1": JenisKelamin.LAKI_LAKI,
    "m": JenisKelamin.LAKI_LAKI, "male": JenisKelamin.LAKI_LAKI,
    "p": JenisKelamin.PEREMPUAN, "pr": JenisKelamin.PEREMPUAN, "perempuan": JenisKelamin.PEREMPUAN,
    "wanita": JenisKelamin.PEREMPUAN, "w": JenisKelamin.PEREMPUAN, "2": JenisKelamin.PEREMPUAN,
    "f": JenisKelamin.PEREMPUAN, "female": JenisKelamin.PEREMPUAN,
}  # fmt: skip


def _kunci(nilai: object) -> str:
    if isinstance(nilai, float) and nilai.is_integer():
        nilai = int(nilai)
    return re.sub(r"[^a-z0-9]", "", str(nilai).lower()[:64])


@lru_cache(maxsize=1024)
def jenis_kelamin(nilai: object) -> str:
    """L/P, Laki-laki/Perempuan, 1/2 (and a few more spellings)."""
    jk = _JK.get(_kunci(nilai))
    if jk is None:
        raise GalatNilai(
            _("Jenis kelamin “%(isi)s” tidak dikenali (pakai L/P, Laki-laki/Perempuan atau 1/2).")
            % {"isi": str(nilai)[:30]}
        )
    return jk.value


_H = Hubungan
_HUBUNGAN = {
    "kepala": _H.KEPALA, "kepalakeluarga": _H.KEPALA, "kepalarumahtangga": _H.KEPALA, "kk": _H.KEPALA,
    "krt": _H.KEPALA, "1": _H.KEPALA,
    "suami": _H.SUAMI, "istri": _H.ISTRI, "isteri": _H.ISTRI, "istrisuami": _H.ISTRI, "suamiistri": _H.ISTRI,
    "2": _H.ISTRI,
    "anak": _H.ANAK, "anakkandung": _H.ANAK, "anakangkat": _H.ANAK, "anaktiri": _H.ANAK, "3": _H.ANAK,
    "menantu": _H.MENANTU, "4": _H.MENANTU, "cucu": _H.CUCU, "5": _H.CUCU,
    "orangtua": _H.ORANG_TUA, "orangtuamertua": _H.ORANG_TUA, "ortu": _H.ORANG_TUA, "6": _H.ORANG_TUA,
    "mertua": _H.MERTUA, "famililain": _H.FAMILI_LAIN, "famililainnya": _H.FAMILI_LAIN, "saudara": _H.FAMILI_LAIN,
    "pembantu": _H.PEMBANTU, "pembanturumahtangga": _H.PEMBANTU, "7": _H.PEMBANTU,
    "lainnya": _H.LAINNYA, "lain": _H.LAINNYA, "lainlain": _H.LAINNYA, "8": _H.LAINNYA,
}  # fmt: skip


@lru_cache(maxsize=1024)
def hubungan(nilai: object) -> str:
    """SHDK as written on a KK or in DTKS/DTSEN (text, or the DTSEN code 1-8)."""
    h = _HUBUNGAN.get(_kunci(nilai))
    if h is None:
        raise GalatNilai(_("Hubungan keluarga “%(isi)s” tidak dikenali.") % {"isi": str(nilai)[:30]})
    return h.value


def rt_rw(nilai: object, label: str) -> str:
    """RT/RW as three digits ('1', 1.0 and '001' are all '001')."""
    isi = teks(nilai, maks=20).lstrip("'")
    if _angka(isi) and len(isi) <= 3:
        return isi.zfill(3)
    if not isi:
        return ""
    raise GalatNilai(_("%(label)s harus angka, paling banyak 3 digit.") % {"label": label})


class PencariKelurahan:
    """Kelurahan by Kemendagri code (with or without dots), official name or alias, any case.

    Built on ``wilayah.lookup.PencariWilayah`` (one index for the whole import)."""

    def __init__(self) -> None:
        from wilayah.lookup import PencariWilayah

        self._pencari = PencariWilayah()
        self._cache: dict[str, int] = {}
        self._gagal: dict[str, str] = {}
        self._kode_bps: dict[str, int] | None = None

    def _bps(self) -> dict[str, int]:
        if self._kode_bps is None:
            from wilayah.models import Kelurahan

            self._kode_bps = {
                kode.strip(): pk
                for semua, pk in Kelurahan.objects.exclude(kode_bps="").values_list("kode_bps", "pk")
                for kode in semua.replace(",", ";").split(";")
                if kode.strip()
            }
        return self._kode_bps

    def kode_bps(self, nilai: object) -> str | None:
        """The BPS code ``nilai`` is, if it is one (BPS counts two kelurahan where Kemendagri has one)."""
        angka = teks(nilai, maks=100).replace(".", "")
        return angka if angka in self._bps() else None

    def __call__(self, nilai: object) -> int:
        isi = teks(nilai, maks=100)
        if isi in self._cache:
            return self._cache[isi]
        if isi in self._gagal:
            raise GalatNilai(self._gagal[isi])
        kandidat = isi
        angka = isi.replace(".", "")
        if _angka(angka) and len(angka) == 10:  # 1376011002 -> 13.76.01.1002
            kandidat = f"{angka[:2]}.{angka[2:4]}.{angka[4:6]}.{angka[6:]}"
        pk = self._pencari.kelurahan_id(kandidat)
        if pk is None and _angka(angka) and len(angka) == 10:  # a BPS code (1376010010)
            pk = self._bps().get(angka)
        if pk is None:
            saran = self._pencari.saran(isi) if isi else []
            pesan = _("Kelurahan “%(isi)s” tidak dikenal di Kota Payakumbuh.") % {"isi": isi[:60]}
            if saran:
                pesan += " " + _("Mungkin maksudnya: %(saran)s.") % {"saran": ", ".join(saran)}
            if len(self._gagal) < 10_000:
                self._gagal[isi] = pesan
            raise GalatNilai(pesan)
        self._cache[isi] = pk
        return pk


_RIBUAN_ID = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.234.567 or 1.234.567,00
_RIBUAN_EN = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,234,567 or 1,234,567.00


def bulat(nilai: object, maks: int = 10**15) -> int:
    """A whole non-negative number: 1234, 1234.0, '1.234' or '1,234' (thousands), 'Rp 200.000,00'."""
    if isinstance(nilai, bool):
        raise GalatNilai(_("Isi harus angka."))
    if isinstance(nilai, (int, float)):
        if nilai != nilai or not float(nilai).is_integer():
            raise GalatNilai(_("Isi harus bilangan bulat."))
        angka = int(nilai)
    else:
        isi = str(nilai).strip().lstrip("'")
        if len(isi) > 40:
            raise GalatNilai(_("Isi terlalu panjang untuk sebuah angka."))
        isi = re.sub(r"^rp\.?", "", isi, flags=re.IGNORECASE).replace(" ", "").replace("\u00a0", "")
        if isi.endswith((",-", ".-")):
            isi = isi[:-2]
        if _RIBUAN_ID.match(isi):
            utuh, _koma, pecahan = isi.partition(",")
            isi = utuh.replace(".", "") + ("." + pecahan if pecahan else "")
        elif _RIBUAN_EN.match(isi):
            isi = isi.replace(",", "")
        elif re.fullmatch(r"\d+,\d{1,2}", isi):
            isi = isi.replace(",", ".")
        if not re.fullmatch(r"\d+(\.\d+)?", isi):
            raise GalatNilai(_("“%(isi)s” bukan angka.") % {"isi": str(nilai)[:30]})
        utuh, _titik, pecahan = isi.partition(".")
        if pecahan.strip("0"):
            raise GalatNilai(_("Isi harus bilangan bulat."))
        angka = int(utuh)
    if angka < 0:
        raise GalatNilai(_("Isi tidak boleh negatif."))
    if angka > maks:
        raise GalatNilai(_("Angka terlalu besar (paling besar %(maks)s).") % {"maks": f"{maks:,}".replace(",", ".")})
    return angka


def desil(nilai: object) -> int:
    """Desil kesejahteraan 1-10 ('1', 1.0, 'Desil 1')."""
    isi = nilai
    if isinstance(nilai, str):
        isi = re.sub(r"^desil\s*", "", nilai.strip(), flags=re.IGNORECASE)
    try:
        angka = bulat(isi, maks=99)
    except GalatNilai:
        raise GalatNilai(_("Desil “%(isi)s” tidak dikenali (angka 1 sampai 10).") % {"isi": str(nilai)[:20]}) from None
    if not 1 <= angka <= 10:
        raise GalatNilai(_("Desil harus 1 sampai 10."))
    return angka


_YA = {"ya", "y", "yes", "1", "true", "benar", "v", "x", "iya", "koordinator"}
_TIDAK = {"tidak", "t", "no", "n", "0", "false", "salah", "bukan", "tdk"}


def ya_tidak(nilai: object) -> bool:
    if isinstance(nilai, bool):
        return nilai
    k = _kunci(nilai)
    if k in _YA:
        return True
    if k in _TIDAK:
        return False
    raise GalatNilai(_("Isi “%(isi)s” tidak dikenali (pakai Ya atau Tidak).") % {"isi": str(nilai)[:20]})


_BULAN_TAHUN = re.compile(r"^(\d{1,2})[/\-.](\d{4})$")
_TAHUN_BULAN = re.compile(r"^(\d{4})[/\-.](\d{1,2})$")
_KATA_TAHUN = re.compile(r"^([A-Za-z]+)\.?[\s\-/]+(\d{4})$")


def periode(nilai: object) -> date:
    """A period as a date, a month ('03/2024', '2024-03', 'Maret 2024') or any date in it."""
    if isinstance(nilai, str):
        isi = nilai.strip().lstrip("'")
        if m := _BULAN_TAHUN.match(isi):
            return _tanggal_sah(int(m.group(2)), int(m.group(1)), 1)
        if m := _TAHUN_BULAN.match(isi):
            return _tanggal_sah(int(m.group(1)), int(m.group(2)), 1)
        if (m := _KATA_TAHUN.match(isi)) and m.group(1).lower() in _BULAN:
            return date(int(m.group(2)), _BULAN[m.group(1).lower()], 1)
    return tanggal(nilai)


def telepon(nilai: object) -> str:
    """A phone number as digits (a leading + kept); 8 to 15 digits."""
    isi = teks(nilai, maks=40).lstrip("'")
    angka = re.sub(r"[\s\-.()]", "", isi)
    if angka.startswith("+"):
        sah = _angka(angka[1:])
    else:
        sah = _angka(angka)
        if sah and not angka.startswith("0") and angka.startswith("8"):
            angka = "0" + angka  # a number cell drops the leading zero
    if not sah or not 8 <= len(angka.lstrip("+")) <= 15:
        raise GalatNilai(_("Nomor telepon “%(isi)s” tidak sah (8 sampai 15 angka).") % {"isi": isi[:20]})
    return angka
