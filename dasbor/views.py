"""The leadership dashboard and the monthly report (HTML for print, xlsx).

All three pages compute their figures with ``dasbor.angka.hitung`` for the same area and month, so
the report agrees with the dashboard by construction. The area comes from ``?kecamatan=`` /
``?kelurahan=`` within the viewer's own (``dasbor.wilayah``), the month from ``?periode=YYYY-MM``
(``dasbor.periode``); bad values are ignored, never a 500.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from akun.permissions import user_boleh
from dasbor import angka, grafik
from dasbor.laporan import buku_kerja, nama_berkas
from dasbor.periode import periode_dari, pilihan_periode
from dasbor.wilayah import wilayah_dari
from kemiskinan import progres as hitungan
from kemiskinan.grafik import LEBAR, RINGKAS, burn_down
from kemiskinan.templatetags.kemiskinan import angka as angka_id
from kemiskinan.templatetags.kemiskinan import rupiah
from kemiskinan.views import _deskripsi_proyeksi, data_grafik
from ppks.forms_ppks import PILIHAN_HARI
from psm.jadwal import interval_hari


def tautan(user, nama: str, **params) -> str | None:
    """The URL of a list the user may open, with its filters; None when not allowed or not there
    (yet: the bantuan and pengaduan lists land in their own issue)."""
    if not user_boleh(user, nama):
        return None
    try:
        url = reverse(nama)
    except NoReverseMatch:
        return None
    q = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{q}" if q else url


# The per-kelurahan table: key, heading, attribute; who sees the column is decided in ``_kolom``.
KOLOM = (
    ("ppks", _("PPKS"), "ppks"),
    ("kasus", _("Kasus terbuka"), "kasus_terbuka"),
    ("terlambat", _("Kasus terlambat"), "kasus_terlambat"),
    ("kk", _("Miskin ekstrem (KK)"), "miskin_kk"),
    ("jiwa", _("Miskin ekstrem (jiwa)"), "miskin_jiwa"),
    ("salur", _("Penyaluran"), "salur_jumlah"),
    ("rupiah", _("Rupiah tersalur"), "salur_rupiah"),
    ("bendera", _("Bendera terbuka"), "bendera_terbuka"),
    ("aduan", _("Aduan terlambat"), "aduan_terlambat"),
    ("psm", _("PSM aktif"), "psm_aktif"),
)


class _Konteks:
    """The area, the month and the figures of a request (shared by the three views)."""

    def siapkan(self):
        user = self.request.user
        self.wilayah = wilayah_dari(user, self.request.GET)
        self.periode, _sah = periode_dari(self.request.GET.get("periode"))
        self.r = angka.hitung(user, self.wilayah, self.periode)
        return self.r

    def params(self, **tambah) -> str:
        p = {**self.wilayah.params(), "periode": self.periode.kode, **tambah}
        return urlencode({k: v for k, v in p.items() if v})


def _kolom(r: angka.Ringkasan) -> list[tuple[str, str, str]]:
    return [k for k in KOLOM if (k[0] != "bendera" or r.lihat_bendera) and (k[0] != "aduan" or r.lihat_aduan)]


def ubin(r: angka.Ringkasan, user, wilayah_params: dict, periode) -> list[dict]:
    """The headline tiles, in sections; each links to the filtered list behind it."""
    t, p = r.total, r.progres
    area = wilayah_params
    per = {} if periode.berjalan else {"per": f"{periode.akhir:%d/%m/%Y}"}
    hari_ppks = interval_hari("ppks")
    belum = {"belum_dikunjungi": str(hari_ppks)} if hari_ppks in PILIHAN_HARI else {}
    bagian = [
        {
            "judul": _("PPKS"),
            "catatan": _("Terdaftar per %(tgl)s; status saat ini.") % {"tgl": f"{periode.akhir:%d/%m/%Y}"},
            "ubin": [
                {"label": _("PPKS terdaftar"), "nilai": t.ppks, "url": tautan(user, "ppks:list", **area),
                 "sub": _("%(n)s baru bulan ini") % {"n": grafik.angka_id(t.ppks_baru)}},
                {"label": _("Aktif"), "nilai": t.ppks_aktif, "url": tautan(user, "ppks:list", status="aktif", **area)},
                {"label": _("Dalam penanganan"), "nilai": t.ppks_penanganan,
                 "url": tautan(user, "ppks:list", status="dalam_penanganan", **area)},
                {"label": _("Tertangani"), "nilai": t.ppks_tertangani,
                 "url": tautan(user, "ppks:list", status="tertangani", **area)},
            ],
        },
        {
            "judul": _("Kasus respons cepat"),
            "catatan": _("Terbuka dan terlambat: saat ini."),
            "ubin": [
                {"label": _("Kasus terbuka"), "nilai": t.kasus_terbuka, "url": tautan(user, "ppks:kasus-board", **area),
                 "sub": _("%(m)s dilaporkan, %(s)s selesai bulan ini")
                 % {"m": grafik.angka_id(t.kasus_masuk), "s": grafik.angka_id(t.kasus_selesai)}},
                {"label": _("Darurat"), "nilai": t.kasus_darurat, "bahaya": bool(t.kasus_darurat),
                 "url": tautan(user, "ppks:kasus-board", urgensi="darurat", **area)},
                {"label": _("Tinggi"), "nilai": t.kasus_tinggi,
                 "url": tautan(user, "ppks:kasus-board", urgensi="tinggi", **area)},
                {"label": _("Biasa"), "nilai": t.kasus_biasa,
                 "url": tautan(user, "ppks:kasus-board", urgensi="biasa", **area)},
                {"label": _("Melewati batas waktu"), "nilai": t.kasus_terlambat, "bahaya": bool(t.kasus_terlambat),
                 "url": tautan(user, "ppks:kasus-board", terlambat="on", **area)},
            ],
        },
        {
            "judul": _("Kemiskinan ekstrem"),
            "catatan": _("Per %(tgl)s.") % {"tgl": f"{p.per:%d/%m/%Y}"},
            "ubin": [
                {"label": _("KK miskin ekstrem"), "nilai": p.kini.kk,
                 "url": tautan(user, "kemiskinan:list", **area, **per),
                 "sub": _("baseline %(b)s, target 0") % {"b": grafik.angka_id(p.baseline_garis.kk)}},
                {"label": _("Jiwa"), "nilai": p.kini.jiwa, "url": tautan(user, "kemiskinan:progres", **area, **per),
                 "sub": (_("%(p)s%% penduduk") % {"p": str(p.persen).replace(".", ",")}) if p.persen is not None
                 else _("baseline %(b)s") % {"b": grafik.angka_id(p.baseline_garis.jiwa)}},
                {"label": _("Proyeksi nol"), "teks": f"{p.proyeksi.tanggal_nol:%m/%Y}" if p.proyeksi.tanggal_nol
                 else "—", "url": tautan(user, "kemiskinan:progres", **area, **per),
                 "sub": _deskripsi_proyeksi(p.proyeksi), "bahaya": p.proyeksi.status == hitungan.TERLAMBAT},
            ],
        },
        {
            "judul": _("Bantuan sosial"),
            "catatan": _("Tersalur pada %(bulan)s.") % {"bulan": periode.nama},
            "ubin": [
                {"label": _("Penyaluran"), "nilai": t.salur_jumlah,
                 "url": tautan(user, "bantuan:penyaluran-list", **area, periode=periode.kode),
                 "sub": _("%(n)s dikonfirmasi keluarga") % {"n": grafik.angka_id(t.salur_dikonfirmasi)}},
                {"label": _("Rupiah tersalur"), "teks": f"Rp{grafik.angka_id(t.salur_rupiah)}",
                 "url": tautan(user, "bantuan:penyaluran-list", **area, periode=periode.kode),
                 "sub": _("Rp%(n)s diterima menurut keluarga") % {"n": grafik.angka_id(t.salur_diterima_rupiah)}},
            ]
            + (
                [{"label": _("Bendera integritas terbuka"), "nilai": t.bendera_terbuka,
                  "bahaya": bool(t.bendera_terbuka), "url": tautan(user, "bantuan:bendera-list", **area)}]
                if r.lihat_bendera
                else []
            ),
        },
    ]  # fmt: skip
    if r.lihat_aduan:
        bagian.append(
            {
                "judul": _("Pengaduan"),
                "catatan": _("Terlambat: saat ini."),
                "ubin": [
                    {
                        "label": _("Pengaduan melewati batas waktu"),
                        "nilai": t.aduan_terlambat,
                        "bahaya": bool(t.aduan_terlambat),
                        "url": tautan(user, "pengaduan:list", terlambat="1", **area),
                    },
                    {
                        "label": _("Pengaduan terbuka"),
                        "nilai": t.aduan_terbuka,
                        "url": tautan(user, "pengaduan:list", **area),
                        "sub": _("%(n)s masuk bulan ini") % {"n": grafik.angka_id(t.aduan_masuk)},
                    },
                ],
            }  # fmt: skip
        )
    cakupan = tautan(user, "psm:cakupan") or tautan(user, "psm:beranda")
    bagian.append(
        {
            "judul": _("Cakupan PSM"),
            "catatan": _("Saat ini."),
            "ubin": [
                {
                    "label": _("Kelurahan tanpa PSM aktif"),
                    "nilai": t.tanpa_psm,
                    "bahaya": bool(t.tanpa_psm),
                    "url": cakupan,
                    "sub": ", ".join(k.nama for k in r.kelurahan_tanpa_psm[:3])
                    + ("…" if len(r.kelurahan_tanpa_psm) > 3 else ""),
                },
                {
                    "label": _("PPKS belum dikunjungi"),
                    "nilai": t.ppks_belum_dikunjungi,
                    "url": tautan(user, "ppks:list", **area, **belum),
                    "sub": _("lebih dari %(n)s hari") % {"n": hari_ppks},
                },
                {
                    "label": _("Keluarga miskin ekstrem belum dikunjungi"),
                    "nilai": t.miskin_tanpa_kunjungan,
                    "url": cakupan,
                    "sub": _("lebih dari %(n)s hari") % {"n": interval_hari("miskin_ekstrem")},
                },
            ],
        }  # fmt: skip
    )
    return bagian


def durasi_teks(d) -> str:
    """A response time as people say it: "5 jam 20 menit", "2 hari 3 jam"."""
    if d is None:
        return "—"
    menit = int(d.total_seconds() // 60)
    hari, sisa = divmod(menit, 24 * 60)
    jam, menit = divmod(sisa, 60)
    if hari:
        return _("%(h)s hari %(j)s jam") % {"h": hari, "j": jam}
    return _("%(j)s jam %(m)s menit") % {"j": jam, "m": menit}


def _sel(kunci: str, nilai: int) -> str:
    return rupiah(nilai) if kunci == "rupiah" else angka_id(nilai)


class DasborView(LoginRequiredMixin, _Konteks, TemplateView):
    template_name = "dasbor/index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        r = self.siapkan()
        kolom = _kolom(r)
        urut = self.request.GET.get("urut", "")
        kunci = urut.lstrip("-")
        atribut = {k: a for k, _l, a in kolom}
        datar = None
        if kunci in atribut:
            datar = sorted(
                r.kelurahan, key=lambda b: (getattr(b, atribut[kunci]), b.nama), reverse=urut.startswith("-")
            )
        else:
            urut = ""
        p = r.progres

        def sel(b: angka.Baris) -> str:
            # The row's cells as one safe string: ~650 cells rendered by template tags and
            # localised number filters cost ~25 ms at the city level; this costs ~1 ms.
            return format_html_join(
                "", '<td class="text-end">{}</td>', ((_sel(k, getattr(b, a)),) for k, _l, a in kolom)
            )

        ctx.update(
            r=r,
            t=r.total,
            wilayah=self.wilayah,
            periode=self.periode,
            pilihan_periode=pilihan_periode(),
            bagian=ubin(r, user, self.wilayah.params(), self.periode),
            kolom=[
                {
                    "kunci": k,
                    "label": label,
                    "atribut": a,
                    "urut": k if urut != k else f"-{k}",
                    "aktif": urut.lstrip("-") == k,
                    "turun": urut == f"-{k}",
                }
                for k, label, a in kolom
            ],  # fmt: skip
            baris_datar=[(b, sel(b)) for b in datar] if datar is not None else None,
            kecamatan=[(kec, sel(kec), [(b, sel(b)) for b in kec.anak]) for kec in r.kecamatan],
            total_kolom=sel(r.total),
            urut=urut,
            params_dasar=urlencode({"periode": self.periode.kode}),
            params=self.params(),
            params_urut=self.params(urut=urut),
            jenis_terlihat=[(j, j.sensitif and user.is_pimpinan) for j in r.jenis],
            grafik_jenis=grafik.batang_mendatar(
                [(j.nama, j.jumlah) for j in r.jenis],
                judul=_("PPKS per jenis"),
                deskripsi=_("%(n)s PPKS terdaftar per %(tgl)s, %(j)s jenis.")
                % {"n": grafik.angka_id(r.total.ppks), "tgl": f"{self.periode.akhir:%d/%m/%Y}", "j": len(r.jenis)},
                id_awalan="grafik-jenis",
            ),
            grafik_kasus=grafik.grafik_kasus(r.bulan, r.kasus_bulanan, "grafik-kasus"),
            grafik_bantuan=grafik.grafik_bantuan(r.bulan, r.bantuan_bulanan, "grafik-bantuan"),
            grafik_miskin_lebar=burn_down(data_grafik(p, "kk"), LEBAR, "grafik-miskin-lebar"),
            grafik_miskin_ringkas=burn_down(data_grafik(p, "kk"), RINGKAS, "grafik-miskin-ringkas"),
            boleh_laporan=user_boleh(user, "dasbor:laporan"),
        )
        return ctx


class LaporanView(LoginRequiredMixin, _Konteks, TemplateView):
    """The monthly report as a print-ready A4 page (print to PDF from the browser)."""

    template_name = "dasbor/laporan.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        r = self.siapkan()
        ctx.update(
            r=r,
            t=r.total,
            wilayah=self.wilayah,
            periode=self.periode,
            pilihan_periode=pilihan_periode(),
            params=self.params(),
            proyeksi_teks=_deskripsi_proyeksi(r.progres.proyeksi),
            grafik_miskin=burn_down(data_grafik(r.progres, "kk"), LEBAR, "laporan-miskin"),
            jenis_kelurahan=[
                (
                    j,
                    [
                        (k.nama, j.per_kelurahan[k.kelurahan_id])
                        for k in r.kelurahan
                        if k.kelurahan_id in j.per_kelurahan
                    ],
                )
                for j in r.jenis
            ],
            median_jam=durasi_teks(r.median_respons),
            bantuan_program=[
                (kode, seri[-1][0], seri[-1][1]) for kode, seri in r.bantuan_bulanan.items() if seri[-1][0]
            ],
        )
        return ctx


class LaporanXlsxView(LoginRequiredMixin, _Konteks, View):
    """The same report as an xlsx workbook: a sheet per section, numbers as numbers."""

    def get(self, request, *args, **kwargs):
        r = self.siapkan()
        isi = buku_kerja(r)
        resp = HttpResponse(isi, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        resp["Content-Disposition"] = f'attachment; filename="{nama_berkas(r)}"'
        return resp
