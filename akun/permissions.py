"""The one permission map: URL name → roles allowed (DESIGN.md, "Roles and access").

``RoleAccessMiddleware`` enforces it for every request, before the view runs; a URL name missing
here is refused (deny by default) and ``tests/akun/test_permission_map.py`` fails. Where a role is
allowed but the record is out of its area, the view's ``for_user`` queryset answers 404.
"""

from __future__ import annotations

from akun.roles import PERAN_PENGELOLA, SEMUA_PERAN, Peran

PUBLIK = "publik"  # no login needed

_TULIS_REGISTRI = PERAN_PENGELOLA | {Peran.PSM}
_LIHAT_KOTA = PERAN_PENGELOLA | {Peran.PIMPINAN}

URL_ACCESS: dict[str, frozenset[str] | str] = {
    # akun
    "login": PUBLIK,
    "logout": PUBLIK,
    "home": SEMUA_PERAN,
    "healthz": PUBLIK,
    # penduduk: the registry
    "penduduk:list": SEMUA_PERAN,
    "penduduk:detail": SEMUA_PERAN,
    "penduduk:create": _TULIS_REGISTRI,
    "penduduk:update": _TULIS_REGISTRI,
    "penduduk:akses": PERAN_PENGELOLA,  # the person's access log (UU PDP): Admin and Staf only
    "penduduk:keluarga-list": SEMUA_PERAN,
    "penduduk:keluarga-detail": SEMUA_PERAN,
    "penduduk:keluarga-create": _TULIS_REGISTRI,
    "penduduk:keluarga-update": _TULIS_REGISTRI,
    # ppks: PPKS registry and rapid-response cases (Pimpinan views; PSM in their kelurahan)
    "ppks:list": SEMUA_PERAN,
    "ppks:detail": SEMUA_PERAN,
    "ppks:create": _TULIS_REGISTRI,
    "ppks:update": _TULIS_REGISTRI,
    "ppks:kasus-board": SEMUA_PERAN,
    "ppks:kasus-list": SEMUA_PERAN,
    "ppks:kasus-detail": SEMUA_PERAN,
    "ppks:kasus-create": _TULIS_REGISTRI,
    "ppks:kasus-update": _TULIS_REGISTRI,
    "ppks:kasus-status": _TULIS_REGISTRI,
    "ppks:kasus-buka": _TULIS_REGISTRI,
    "ppks:kasus-tindakan": _TULIS_REGISTRI,
    "ppks:kasus-rujukan": _TULIS_REGISTRI,
    "ppks:rujukan-status": _TULIS_REGISTRI,
    "ppks:notifikasi-baca": SEMUA_PERAN,
    # psm: the PSM's phone pages (visits: staff too), and staff pages about PSM
    "psm:beranda": frozenset({Peran.PSM}),
    "psm:ikrar": frozenset({Peran.PSM}),
    "psm:kunjungan-list": SEMUA_PERAN,
    "psm:kunjungan-create": _TULIS_REGISTRI,
    "psm:kunjungan-detail": SEMUA_PERAN,
    "psm:kunjungan-foto": SEMUA_PERAN,
    "psm:list": _LIHAT_KOTA,
    "psm:detail": _LIHAT_KOTA,
    "psm:create": PERAN_PENGELOLA,
    "psm:update": PERAN_PENGELOLA,
    "psm:alihkan": PERAN_PENGELOLA,
    "psm:ikrar-rekap": _LIHAT_KOTA,
    "psm:cakupan": _LIHAT_KOTA,
    "psm:beban": _LIHAT_KOTA,
    # kemiskinan: extreme-poor households. Pimpinan views; a PSM views and proposes exits in their
    # kelurahan; only Staf/Admin enter households, record help and verify (never their own proposal,
    # kemiskinan.services).
    "kemiskinan:progres": SEMUA_PERAN,
    "kemiskinan:list": SEMUA_PERAN,
    "kemiskinan:detail": SEMUA_PERAN,
    "kemiskinan:masuk": PERAN_PENGELOLA,
    "kemiskinan:intervensi": PERAN_PENGELOLA,
    "kemiskinan:usul-keluar": _TULIS_REGISTRI,
    "kemiskinan:verifikasi": PERAN_PENGELOLA,
    # bantuan: programmes, distributions, receipt confirmation, integrity flags (issue 10).
    # Pimpinan views; a PSM sees and confirms distributions of their kelurahan, never the flags.
    "bantuan:penyaluran-list": SEMUA_PERAN,
    "bantuan:penyaluran-detail": SEMUA_PERAN,
    "bantuan:penyaluran-create": PERAN_PENGELOLA,
    "bantuan:penyaluran-update": PERAN_PENGELOLA,
    "bantuan:penyaluran-massal": PERAN_PENGELOLA,
    "bantuan:menunggu": SEMUA_PERAN,
    "bantuan:konfirmasi": _TULIS_REGISTRI,
    "bantuan:konfirmasi-foto": SEMUA_PERAN,
    "bantuan:bendera-list": _LIHAT_KOTA,
    "bantuan:bendera-detail": _LIHAT_KOTA,
    "bantuan:bendera-selesaikan": PERAN_PENGELOLA,
    # pengaduan: public complaints. Filed and followed without login; staff triage; a PSM never
    # sees complaints (they may be about the PSM).
    # The three public pages are rate-limited per address (pengaduan.pembatasan); Pimpinan reads
    # complaints, only Admin/Staf act on them.
    "pengaduan:buat": PUBLIK,
    "pengaduan:terkirim": PUBLIK,
    "pengaduan:lacak": PUBLIK,
    "pengaduan:list": _LIHAT_KOTA,
    "pengaduan:detail": _LIHAT_KOTA,
    "pengaduan:lampiran": _LIHAT_KOTA,
    "pengaduan:tugaskan": PERAN_PENGELOLA,
    "pengaduan:status": PERAN_PENGELOLA,
    "pengaduan:tutup": PERAN_PENGELOLA,
    "pengaduan:buka": PERAN_PENGELOLA,
    "pengaduan:tanggapan": PERAN_PENGELOLA,
    "pengaduan:psm": PERAN_PENGELOLA,
    "pengaduan:penyaluran-tautkan": PERAN_PENGELOLA,
    "pengaduan:penyaluran-lepas": PERAN_PENGELOLA,
    # dasbor: the leadership dashboard and the monthly report (issue 12). A PSM sees their kelurahan.
    "dasbor:index": SEMUA_PERAN,
    "dasbor:laporan": SEMUA_PERAN,
    "dasbor:laporan-xlsx": SEMUA_PERAN,
    # impor: spreadsheet import pages (issue 11). Admin and Staf only; they see every job (shared
    # office work). The rejected-rows xlsx holds personal data: the same two roles.
    "impor:unggah": PERAN_PENGELOLA,
    "impor:riwayat": PERAN_PENGELOLA,
    "impor:templat": PERAN_PENGELOLA,
    "impor:progres": PERAN_PENGELOLA,
    "impor:progres-bagian": PERAN_PENGELOLA,
    "impor:pratinjau": PERAN_PENGELOLA,
    "impor:konfirmasi": PERAN_PENGELOLA,
    "impor:hasil": PERAN_PENGELOLA,
    "impor:ditolak-xlsx": PERAN_PENGELOLA,
}

# URL namespaces that guard themselves (Django admin checks roles in its ModelAdmins).
SELF_GUARDED_NAMESPACES = frozenset({"admin"})


def peran_boleh(peran: str, url_name: str) -> bool:
    aturan = URL_ACCESS.get(url_name)
    if aturan is None:
        return False
    return aturan == PUBLIK or peran in aturan


def user_boleh(user, url_name: str) -> bool:
    """Whether ``user`` may open ``url_name`` (for navigation and buttons)."""
    aturan = URL_ACCESS.get(url_name)
    if aturan == PUBLIK:
        return True
    if user is None or not user.is_authenticated:
        return False
    return peran_boleh(user.peran_efektif, url_name)


def lihat_nik_lengkap(user) -> bool:
    """Pimpinan sees NIK and No KK masked; Staf, Admin and the PSM of the record's kelurahan see
    them whole. A PSM only ever reaches records of their own kelurahan (``for_user``), so role is
    enough.

    A masked role also sees an age instead of a birth date (the date is part of the NIK) and may
    not search by number at all (every search by number is an oracle for the hidden digits).
    """
    return bool(user and user.is_authenticated and not user.is_pimpinan)


def boleh_cari_nomor(user) -> bool:
    """Whether ``user`` may search by NIK or No KK (only roles that see the numbers whole)."""
    return lihat_nik_lengkap(user)
