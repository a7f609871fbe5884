"""The public pages: file a complaint, see its tracking code once, follow it by that code.

No login (``PUBLIK`` in ``akun.permissions``); CSRF stays on (the form sets the cookie on GET,
the POST carries the token, as for the login page). Both POSTs are rate-limited per client address
(``pengaduan.pembatasan``).

- The tracking code never travels in a URL (no GET parameter that lands in proxy logs or the
  browser history): after filing, the code is put in the session and the browser is redirected
  to ``terkirim``, which takes it out of the session and shows it once (post-redirect-get; a
  reload shows nothing). The follow page takes the code in a POST form.
- A lookup answers "not found" the same way for a code that never existed and for a complaint
  closed more than ``PENGADUAN_LACAK_HARI_SETELAH_TUTUP`` days ago, with the same single query,
  and shows only the category, status, dates and the public response: never the text, the place
  or who filed it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from pengaduan import pembatasan, services
from pengaduan.choices import STATUS_TERBUKA, JenisPermintaan
from pengaduan.forms import PENJELASAN_KATEGORI, LacakForm, PengaduanPublikForm
from pengaduan.lampiran import nama_simpan
from pengaduan.models import Pengaduan

SESI_KODE = "pengaduan_kode_baru"
KOLOM_LACAK = ("kode_lacak", "kategori", "status", "diterima_pada", "batas_waktu", "tanggapan_publik", "ditutup_pada")


class PengaduanBuatView(View):
    template_name = "pengaduan/publik_form.html"

    def _tampil(self, request, form, status=200, **lain):
        kategori = [(pilihan, PENJELASAN_KATEGORI[pilihan.data["value"]]) for pilihan in form["kategori"]]
        konteks = {
            "form": form,
            "kategori": kategori,
            "batas_hari": settings.PENGADUAN_BATAS_HARI,
            **lain,
        }
        return render(request, self.template_name, konteks, status=status)

    def get(self, request):
        return self._tampil(request, PengaduanPublikForm())

    def post(self, request):
        if pembatasan.melebihi_batas(request, JenisPermintaan.KIRIM):
            return self._tampil(request, PengaduanPublikForm(), status=429, dibatasi=True)
        form = PengaduanPublikForm(request.POST, request.FILES)
        if form.terisi_bot:
            # Counted like a filing, stored nowhere; the bot learns nothing from field errors.
            pembatasan.catat(request, JenisPermintaan.KIRIM)
            return self._tampil(request, PengaduanPublikForm(), status=400, ditolak=True)
        if not form.is_valid():
            return self._tampil(request, form)
        data = form.cleaned_data
        pengaduan = Pengaduan(
            kategori=data["kategori"],
            isi=data["isi"].strip(),
            lokasi=data["lokasi"].strip(),
            kelurahan=data["kelurahan"],
            anonim=data["anonim"],
            pelapor_nama=data["pelapor_nama"].strip(),
            pelapor_kontak=data["pelapor_kontak"].strip(),
        )
        if data["lampiran"]:
            berkas = data["lampiran"]
            berkas.name = nama_simpan(form.jenis_lampiran)  # the uploaded name is dropped
            pengaduan.lampiran = berkas
        try:
            pengaduan = services.pengaduan_ajukan(pengaduan=pengaduan, mendesak=data["mendesak"])
        except ValidationError as exc:
            if pengaduan.lampiran and pengaduan.lampiran._committed:
                pengaduan.lampiran.delete(save=False)  # the transaction rolled back: no orphan file
            form.add_error(None, exc.messages)
            return self._tampil(request, form)
        pembatasan.catat(request, JenisPermintaan.KIRIM)
        request.session[SESI_KODE] = pengaduan.kode_lacak
        return redirect("pengaduan:terkirim")


class TerkirimView(View):
    """Shows the new code once (taken out of the session); afterwards only the follow page."""

    def get(self, request):
        kode = request.session.pop(SESI_KODE, None)
        return render(
            request,
            "pengaduan/publik_terkirim.html",
            {"kode": kode, "batas_hari": settings.PENGADUAN_BATAS_HARI, "form": LacakForm()},
        )


def cari_untuk_lacak(kode: str | None) -> Pengaduan | None:
    """One query whatever the input: a malformed code looks up the empty string (never a code)."""
    batas_tutup = timezone.now() - dt.timedelta(days=settings.PENGADUAN_LACAK_HARI_SETELAH_TUTUP)
    return (
        Pengaduan.objects.filter(kode_lacak=kode or "")
        .filter(Q(status__in=STATUS_TERBUKA) | Q(ditutup_pada__gte=batas_tutup))
        .only(*KOLOM_LACAK)
        .first()
    )


class LacakView(View):
    template_name = "pengaduan/publik_lacak.html"

    def get(self, request):
        return render(request, self.template_name, {"form": LacakForm()})

    def post(self, request):
        if pembatasan.melebihi_batas(request, JenisPermintaan.LACAK):
            return render(request, self.template_name, {"form": LacakForm(), "dibatasi": True}, status=429)
        pembatasan.catat(request, JenisPermintaan.LACAK)
        form = LacakForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        hasil = cari_untuk_lacak(form.kode_normal())
        return render(
            request,
            self.template_name,
            {"form": LacakForm(), "dicari": True, "hasil": hasil},
        )
