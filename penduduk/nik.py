"""NIK and Nomor KK: normalisation, validation and the facts a NIK encodes.

One module for forms, admin, imports and demo data alike (DOMAIN.md, "NIK and Nomor KK").

A NIK is ``PP KK CC DDMMYY SSSS``: province, kab/kota and kecamatan of first registration, birth
date with DD + 40 for women, and a serial from 0001. There is no check digit. *Errors* reject a
value (wrong length, impossible date, zero serial, placeholders); *warnings* never do (unknown
region, sex or birth date that differ from the record, a value that arrived as a number), because
Dukcapil never changes a NIK to fix a wrong birth date.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Kemendagri province codes (Permendagri wilayah), including the Papua provinces of 2022.
KODE_PROVINSI = frozenset(
    {
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
        "31", "32", "33", "34", "35", "36",
        "51", "52", "53",
        "61", "62", "63", "64", "65",
        "71", "72", "73", "74", "75", "76",
        "81", "82",
        "91", "92", "93", "94", "95", "96", "97",
    }
)  # fmt: skip
KODE_KOTA_PAYAKUMBUH = "1376"
KODE_KECAMATAN_PAYAKUMBUH = frozenset({"137601", "137602", "137603", "137604", "137605"})

LAKI_LAKI = "L"
PEREMPUAN = "P"

_STRIP = re.compile(r"[\s.\-'’`‘\"]")
_ANGKA_16 = re.compile(r"[0-9]{16}")


@dataclass(frozen=True)
class InfoNIK:
    """What a valid NIK says about its holder."""

    nik: str
    kode_wilayah: str  # 6 digits: province, kab/kota, kecamatan of first registration
    tanggal_lahir: date
    jenis_kelamin: str  # "L" or "P"
    nomor_urut: str

    @property
    def kode_kota(self) -> str:
        return self.kode_wilayah[:4]

    @property
    def dari_payakumbuh(self) -> bool:
        return self.kode_kota == KODE_KOTA_PAYAKUMBUH


@dataclass
class HasilPeriksa:
    """Result of checking one raw value: the normalised value, errors and warnings."""

    nilai: str
    galat: list[str] = field(default_factory=list)
    peringatan: list[str] = field(default_factory=list)
    info: InfoNIK | None = None

    @property
    def sah(self) -> bool:
        return not self.galat


def _sebagai_teks(raw: object, label: str, peringatan: list[str]) -> str:
    """Turn a cell or form value into digits-only text, flagging values that came as numbers."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, (int, float, Decimal)):
        # Excel keeps 15 significant digits: a 16-digit number has probably lost its last one.
        peringatan.append(
            _(
                "%(label)s tersimpan sebagai angka di berkas sumber; digit terakhir mungkin "
                "rusak (Excel hanya menyimpan 15 digit). Periksa dengan KTP/KK."
            )
            % {"label": label}
        )
        if isinstance(raw, float):
            if raw != raw or raw in (float("inf"), float("-inf")):  # NaN/inf
                return str(raw)
            raw = int(raw) if raw.is_integer() else raw
        if isinstance(raw, Decimal) and raw == raw.to_integral_value():
            raw = int(raw)
        return str(raw)
    if raw.__class__ is str and raw.isascii() and raw.isdigit():
        return raw  # the common case (imports: 100,000 of them): nothing to normalise or strip
    # NFKC turns fullwidth and other compatibility digits into ASCII; anything else non-ASCII
    # stays and is rejected below, so a stored NIK is always 16 ASCII digits.
    return _STRIP.sub("", unicodedata.normalize("NFKC", str(raw)))


def normalisasi(raw: object) -> str:
    """Digits-only text of a NIK or KK value (spaces, dots, dashes, apostrophes removed)."""
    return _sebagai_teks(raw, "", [])


def _placeholder(nilai: str) -> bool:
    """One digit repeated (1111111111111111): a filler, not a number."""
    return bool(nilai) and nilai == nilai[0] * len(nilai)


def _tanggal_dari_digit(dd: int, mm: int, yy: int, hari_ini: date) -> date | None:
    """Birth date from DDMMYY: 20YY unless that is in the future, else 19YY."""
    for abad in (2000, 1900):
        try:
            kandidat = date(abad + yy, mm, dd)
        except ValueError:
            return None
        if kandidat <= hari_ini:
            return kandidat
    return None


def periksa_nik(
    raw: object,
    *,
    jenis_kelamin: str | None = None,
    tanggal_lahir: date | None = None,
    hari_ini: date | None = None,
) -> HasilPeriksa:
    """Check a NIK; compare it with the sex and birth date on record when they are given."""
    peringatan: list[str] = []
    nilai = _sebagai_teks(raw, "NIK", peringatan)
    hasil = HasilPeriksa(nilai=nilai, peringatan=peringatan)
    if not _ANGKA_16.fullmatch(nilai):
        hasil.galat.append(
            _("NIK harus 16 digit angka (terisi %(n)d karakter).") % {"n": len(nilai)}
            if nilai.isascii() and nilai.isdigit()
            else _("NIK hanya boleh berisi angka (16 digit).")
        )
        return hasil
    if _placeholder(nilai):
        hasil.galat.append(_("NIK %(nik)s bukan NIK sebenarnya (angka pengisi).") % {"nik": nilai})
        return hasil

    dd, mm, yy = int(nilai[6:8]), int(nilai[8:10]), int(nilai[10:12])
    serial = nilai[12:]
    if 1 <= dd <= 31:
        jk = LAKI_LAKI
    elif 41 <= dd <= 71:
        jk, dd = PEREMPUAN, dd - 40
    else:
        hasil.galat.append(_("Tanggal lahir dalam NIK tidak sah (digit 7-8 harus 01-31 atau 41-71)."))
        return hasil
    if not 1 <= mm <= 12:
        hasil.galat.append(_("Bulan lahir dalam NIK tidak sah (digit 9-10 harus 01-12)."))
        return hasil
    lahir = _tanggal_dari_digit(dd, mm, yy, hari_ini or timezone.localdate())
    if lahir is None:
        hasil.galat.append(
            _("Tanggal lahir dalam NIK (%(tgl)s) bukan tanggal yang ada di kalender.")
            % {"tgl": f"{dd:02d}/{mm:02d}/{yy:02d}"}
        )
        return hasil
    if serial == "0000":
        hasil.galat.append(_("Nomor urut NIK (4 digit terakhir) tidak boleh 0000."))
        return hasil

    hasil.info = InfoNIK(nik=nilai, kode_wilayah=nilai[:6], tanggal_lahir=lahir, jenis_kelamin=jk, nomor_urut=serial)
    peringatan.extend(_peringatan_wilayah(nilai[:6], "NIK"))
    if jenis_kelamin and jenis_kelamin != jk:
        peringatan.append(
            _("Jenis kelamin tercatat berbeda dengan NIK (NIK menunjukkan %(jk)s).")
            % {"jk": _("laki-laki") if jk == LAKI_LAKI else _("perempuan")}
        )
    # Two-digit years are ambiguous for the very old: the century is not compared.
    if tanggal_lahir and (tanggal_lahir.day, tanggal_lahir.month, tanggal_lahir.year % 100) != (
        lahir.day,
        lahir.month,
        lahir.year % 100,
    ):
        peringatan.append(
            _(
                "Tanggal lahir tercatat berbeda dengan NIK (NIK menunjukkan %(tgl)s). "
                "Hal ini bisa sah: Dukcapil tidak mengubah NIK."
            )
            % {"tgl": lahir.strftime("%d/%m/%Y")}
        )
    return hasil


def _peringatan_wilayah(kode6: str, label: str) -> list[str]:
    if kode6[:2] not in KODE_PROVINSI:
        return [_("Kode provinsi %(kode)s pada %(label)s tidak dikenal.") % {"kode": kode6[:2], "label": label}]
    if kode6[:4] == KODE_KOTA_PAYAKUMBUH and kode6 not in KODE_KECAMATAN_PAYAKUMBUH:
        return [
            _("Kode kecamatan %(kode)s pada %(label)s tidak ada di Kota Payakumbuh.") % {"kode": kode6, "label": label}
        ]
    return []


def periksa_no_kk(raw: object) -> HasilPeriksa:
    """Check a Nomor KK: 16 digits, not a placeholder; unknown region prefix is a warning."""
    peringatan: list[str] = []
    nilai = _sebagai_teks(raw, "Nomor KK", peringatan)
    hasil = HasilPeriksa(nilai=nilai, peringatan=peringatan)
    if not _ANGKA_16.fullmatch(nilai):
        hasil.galat.append(
            _("Nomor KK harus 16 digit angka (terisi %(n)d karakter).") % {"n": len(nilai)}
            if nilai.isascii() and nilai.isdigit()
            else _("Nomor KK hanya boleh berisi angka (16 digit).")
        )
        return hasil
    if _placeholder(nilai):
        hasil.galat.append(_("Nomor KK %(kk)s bukan nomor sebenarnya (angka pengisi).") % {"kk": nilai})
        return hasil
    if nilai[12:] == "0000":
        hasil.galat.append(_("Nomor urut KK (4 digit terakhir) tidak boleh 0000."))
        return hasil
    peringatan.extend(_peringatan_wilayah(nilai[:6], "Nomor KK"))
    return hasil


def validate_nik(value: object) -> None:
    """Model/form validator: raises on errors only (warnings are shown by the form)."""
    hasil = periksa_nik(value)
    if hasil.galat:
        raise ValidationError(hasil.galat, code="nik_tidak_sah")


def validate_no_kk(value: object) -> None:
    hasil = periksa_no_kk(value)
    if hasil.galat:
        raise ValidationError(hasil.galat, code="no_kk_tidak_sah")


def samarkan(nomor: str | None) -> str:
    """A NIK or No KK masked for roles that do not need it: the region code only (1376••••••••••••).

    Nothing after the region is shown: the rest of a NIK is kecamatan, birth date (+40 for women)
    and a serial, and of a No KK kecamatan, issue date and serial, which a page showing sex, age
    and kecamatan would otherwise let a reader rebuild.
    """
    if not nomor:
        return ""
    if len(nomor) < 8:
        return "•" * len(nomor)
    return f"{nomor[:4]}{'•' * (len(nomor) - 4)}"


def susun_nik(kode_wilayah: str, tanggal_lahir: date, jenis_kelamin: str, nomor_urut: int) -> str:
    """The NIK these facts give (demo data and tests; the inverse of ``periksa_nik``)."""
    dd = tanggal_lahir.day + (40 if jenis_kelamin == PEREMPUAN else 0)
    return f"{kode_wilayah}{dd:02d}{tanggal_lahir:%m%y}{nomor_urut:04d}"


def susun_no_kk(kode_wilayah: str, tanggal_terbit: date, nomor_urut: int) -> str:
    """A Nomor KK: region where issued, issue date DDMMYY, serial."""
    return f"{kode_wilayah}{tanggal_terbit:%d%m%y}{nomor_urut:04d}"
