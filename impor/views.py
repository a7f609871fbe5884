"""The staff import pages: upload → preview (a dry-run job) → confirm → progress → result; history.

Admin and Staf only (``akun.permissions.URL_ACCESS``; the job queryset is ``TugasImpor.objects
.for_user``, empty for other roles). Staff see and confirm every job, not only their own: imports
are shared office work (a colleague may finish what another started), and the history shows who
did what. A job id that does not exist, or is out of range, answers 404, never a 500.

The pages that show jobs first fail the ones whose background worker died (``impor_macet_tandai``:
no heartbeat for ``IMPOR_BATAS_DIAM_DETIK``; one cheap query when there are none), so a job never
shows "berjalan" forever; such a job is run again from its result page ("Jalankan lagi").
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView
from django_htmx.http import HttpResponseClientRedirect

from impor import pengaturan
from impor.forms import FormUnggah
from impor.jenis import JENIS
from impor.layanan import impor_buat
from impor.models import StatusImpor, TugasImpor
from impor.tasks import (
    batas_diam_detik,
    bisa_diulang,
    denyut_detik,
    hapus,
    impor_macet_tandai,
    impor_ulang,
    jalankan_tugas_impor,
    penyimpanan,
    simpan_unggahan,
)

_BIGINT_MAKS = 2**63 - 1
GALAT_PER_HALAMAN = 50
PERINGATAN_DITAMPILKAN = 50
_SELESAI = {StatusImpor.SELESAI, StatusImpor.DITOLAK, StatusImpor.GAGAL}
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ambil_tugas(user, pk: int) -> TugasImpor:
    if not 0 < pk <= _BIGINT_MAKS:
        raise Http404
    impor_macet_tandai()
    return get_object_or_404(TugasImpor.objects.for_user(user).select_related("dibuat_oleh", "asal"), pk=pk)


def sedang_berjalan(tugas: TugasImpor) -> bool:
    return tugas.status not in _SELESAI


def halaman_tugas(tugas: TugasImpor) -> str:
    """Where a job is shown now: its progress while it runs, then its preview or its result."""
    if sedang_berjalan(tugas):
        return reverse("impor:progres", args=[tugas.pk])
    if tugas.uji_coba and tugas.status == StatusImpor.SELESAI:
        return reverse("impor:pratinjau", args=[tugas.pk])
    return reverse("impor:hasil", args=[tugas.pk])


def _konteks_progres(tugas: TugasImpor) -> dict:
    sekarang = timezone.now()
    # Still waiting after half a minute: most likely no worker runs (told on the page).
    lama = tugas.status == StatusImpor.MENUNGGU and sekarang - tugas.dibuat_pada > timedelta(seconds=30)
    # Running, but no heartbeat for a while: the worker may have died (failed at the threshold).
    diam = (
        tugas.status == StatusImpor.BERJALAN
        and tugas.denyut_pada is not None
        and sekarang - tugas.denyut_pada > timedelta(seconds=max(60, 4 * denyut_detik()))
    )
    return {
        "tugas": tugas,
        "berikut": halaman_tugas(tugas),
        "menunggu_lama": lama,
        "pekerja_diam": diam,
        "batas_diam_menit": max(1, round(batas_diam_detik() / 60)),
    }


def _antre(tugas: TugasImpor) -> None:
    jalankan_tugas_impor.enqueue(tugas.pk)


class UnggahView(LoginRequiredMixin, FormView):
    template_name = "impor/unggah.html"
    form_class = FormUnggah

    def get_initial(self):
        kode = self.request.GET.get("jenis", "")
        if not (kode in JENIS and JENIS[kode].tersedia):
            kode = next((k for k, j in JENIS.items() if j.tersedia), "")  # the first type that works
        return {"jenis": kode}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["daftar_jenis"] = list(JENIS.values())
        try:
            from impor.templat import KOLOM

            ctx["ada_templat"] = set(KOLOM)
        except ImportError:  # the templates are another part of the import work
            ctx["ada_templat"] = set()
        ctx["maks_mb"] = pengaturan.maks_berkas_byte() // 1024 // 1024
        impor_macet_tandai()
        ctx["terakhir"] = TugasImpor.objects.for_user(self.request.user).select_related("dibuat_oleh")[:5]
        return ctx

    def form_valid(self, form):
        berkas = form.cleaned_data["berkas"]
        nama = simpan_unggahan(berkas)
        try:
            with transaction.atomic():
                tugas = impor_buat(
                    oleh=self.request.user,
                    nama_berkas=berkas.name or "berkas",
                    jenis=form.cleaned_data["jenis"],
                    lembar=form.cleaned_data["lembar"],
                    uji_coba=True,
                )
                TugasImpor.objects.filter(pk=tugas.pk).update(berkas_simpan=nama)
        except Exception:
            hapus(nama)
            raise
        _antre(tugas)
        return redirect("impor:progres", pk=tugas.pk)


class ProgresView(LoginRequiredMixin, View):
    """The progress bar; htmx polls ``impor:progres-bagian`` (no inline script, CSP-safe)."""

    def get(self, request, pk):
        tugas = ambil_tugas(request.user, pk)
        return render(request, "impor/progres.html", _konteks_progres(tugas))


class ProgresBagianView(LoginRequiredMixin, View):
    """The bar alone, for htmx; once the job is done htmx is told to open the next page."""

    def get(self, request, pk):
        tugas = ambil_tugas(request.user, pk)
        berikut = halaman_tugas(tugas)
        if not sedang_berjalan(tugas) and request.GET.get("lanjut"):
            if request.htmx:
                return HttpResponseClientRedirect(berikut)
            return HttpResponseRedirect(berikut)
        return render(request, "impor/_progres.html", _konteks_progres(tugas))


def _rincian(tugas: TugasImpor) -> dict:
    return tugas.rincian if isinstance(tugas.rincian, dict) else {}


def _halaman_galat(request, rincian: dict):
    galat = rincian.get("galat") or []
    return Paginator(galat if isinstance(galat, list) else [], GALAT_PER_HALAMAN).get_page(request.GET.get("page"))


def _lama_baru(v) -> tuple:
    return tuple(v) if isinstance(v, list | tuple) and len(v) == 2 else ("", v)


def _contoh(rincian: dict) -> list[dict]:
    """The sample rows (at most one page, ``impor.hasil.MAKS_CONTOH``) in a shape the template shows
    for every type: row, status, who (the other keys) and the changes."""
    hasil = []
    for c in (rincian.get("contoh") or [])[:50]:
        if not isinstance(c, dict):
            continue
        perubahan = c.get("perubahan") if isinstance(c.get("perubahan"), dict) else {}
        hasil.append(
            {
                "baris": c.get("baris"),
                "status": c.get("status", ""),
                "identitas": [(k, v) for k, v in c.items() if k not in {"baris", "status", "perubahan"} and v],
                "perubahan": [(k, *_lama_baru(v)) for k, v in perubahan.items()],
            }
        )
    return hasil


def _konteks_rincian(request, tugas: TugasImpor) -> dict:
    rincian = _rincian(tugas)
    halaman = _halaman_galat(request, rincian)
    peringatan = rincian.get("peringatan") or []
    return {
        "tugas": tugas,
        "rincian": rincian,
        "contoh": _contoh(rincian),
        "page_obj": halaman,
        "paginator": halaman.paginator,
        "is_paginated": halaman.has_other_pages(),
        "galat_lebih": rincian.get("galat_lebih") or 0,
        "peringatan": peringatan[:PERINGATAN_DITAMPILKAN],
        "peringatan_lain": max(0, len(peringatan) - PERINGATAN_DITAMPILKAN) + (rincian.get("peringatan_lebih") or 0),
        "akan_disimpan": tugas.jumlah_baru + tugas.jumlah_diubah,
    }


class PratinjauView(LoginRequiredMixin, View):
    def get(self, request, pk):
        tugas = ambil_tugas(request.user, pk)
        if sedang_berjalan(tugas) or not tugas.uji_coba or tugas.status != StatusImpor.SELESAI:
            return redirect(halaman_tugas(tugas))
        ctx = _konteks_rincian(request, tugas)
        ctx["lanjutan"] = TugasImpor.objects.filter(asal=tugas).order_by("-pk").first()
        ctx["bisa_konfirmasi"] = bool(tugas.berkas_simpan) and ctx["lanjutan"] is None
        return render(request, "impor/pratinjau.html", ctx)


class KonfirmasiView(LoginRequiredMixin, View):
    """POST ``mode=semua`` (all or nothing) or ``mode=lewati`` (only the good rows): queues the real
    import on the preview's stored file. The file is claimed atomically: a second click, or a
    second colleague, gets a message, not a second import.

    POST ``mode=ulang`` on a job whose worker stopped ("Jalankan lagi"): a new job with the same
    file and choices (``impor.tasks.impor_ulang``), claimed the same way."""

    def post(self, request, pk):
        pratinjau = ambil_tugas(request.user, pk)
        mode = request.POST.get("mode")
        if mode == "ulang":
            return self._ulang(request, pratinjau)
        if mode not in {"semua", "lewati"}:
            messages.error(request, _("Pilih salah satu tombol simpan."))
            return redirect(halaman_tugas(pratinjau))
        if not pratinjau.uji_coba or pratinjau.status != StatusImpor.SELESAI:
            messages.error(request, _("Hanya pratinjau yang selesai yang bisa dikonfirmasi."))
            return redirect(halaman_tugas(pratinjau))
        if pratinjau.jumlah_baru + pratinjau.jumlah_diubah == 0:
            messages.info(
                request, _("Tidak ada baris yang akan disimpan: semua sudah sama dengan registri atau bergalat.")
            )
            return redirect("impor:pratinjau", pk=pratinjau.pk)
        if mode == "semua" and pratinjau.jumlah_galat:
            messages.error(
                request,
                _(
                    "Ada baris bergalat: menyimpan semua pasti ditolak. "
                    "Perbaiki berkasnya, atau simpan baris yang benar saja."
                ),
            )
            return redirect("impor:pratinjau", pk=pratinjau.pk)
        nama = pratinjau.berkas_simpan
        with transaction.atomic():
            diambil = nama and TugasImpor.objects.filter(
                pk=pratinjau.pk, berkas_simpan=nama, status=StatusImpor.SELESAI
            ).update(berkas_simpan="")
            if not diambil:
                tugas = None
            else:
                tugas = impor_buat(
                    oleh=request.user,
                    nama_berkas=pratinjau.nama_berkas,
                    jenis=pratinjau.jenis,
                    lembar=pratinjau.lembar,
                    uji_coba=False,
                    lewati_galat=mode == "lewati",
                )
                TugasImpor.objects.filter(pk=tugas.pk).update(berkas_simpan=nama, asal=pratinjau)
        if tugas is None:
            lanjutan = TugasImpor.objects.filter(asal=pratinjau).order_by("-pk").first()
            if lanjutan is not None:
                messages.info(request, _("Pratinjau ini sudah dikonfirmasi."))
                return redirect(halaman_tugas(lanjutan))
            messages.error(request, _("Berkas pratinjau ini sudah dihapus; unggah ulang berkasnya."))
            return redirect("impor:unggah")
        _antre(tugas)
        return redirect("impor:progres", pk=tugas.pk)

    def _ulang(self, request, tugas: TugasImpor):
        baru = impor_ulang(tugas=tugas, oleh=request.user)
        if baru is None:
            messages.error(
                request,
                _("Impor ini tidak bisa dijalankan lagi: sudah dijalankan lagi, atau berkasnya sudah dihapus."),
            )
            return redirect(halaman_tugas(tugas))
        messages.success(
            request, _("Impor #%(lama)s dijalankan lagi sebagai #%(baru)s.") % {"lama": tugas.pk, "baru": baru.pk}
        )
        return redirect("impor:progres", pk=baru.pk)


class HasilView(LoginRequiredMixin, View):
    def get(self, request, pk):
        tugas = ambil_tugas(request.user, pk)
        if sedang_berjalan(tugas) or (tugas.uji_coba and tugas.status == StatusImpor.SELESAI):
            return redirect(halaman_tugas(tugas))  # a finished preview is shown with its confirm buttons
        ctx = _konteks_rincian(request, tugas)
        ctx["bisa_diulang"] = bisa_diulang(tugas)
        return render(request, "impor/hasil.html", ctx)


class BarisDitolakView(LoginRequiredMixin, View):
    """The rejected rows with their reasons (xlsx written by the job, ``impor.laporan``): personal
    data, so only for Admin/Staf (the permission map and ``for_user``), never cached."""

    def get(self, request, pk):
        tugas = ambil_tugas(request.user, pk)
        if not tugas.berkas_ditolak:
            raise Http404
        try:
            berkas = penyimpanan.open(tugas.berkas_ditolak, "rb")
        except OSError:
            raise Http404 from None
        resp = FileResponse(
            berkas, as_attachment=True, filename=f"impor-{tugas.pk}-baris-ditolak.xlsx", content_type=_XLSX
        )
        resp["Cache-Control"] = "private, no-store"
        resp["X-Content-Type-Options"] = "nosniff"
        return resp


class RiwayatView(LoginRequiredMixin, ListView):
    """Every import, newest first (``impor_urutan_idx``), 25 a page; one query for the page."""

    template_name = "impor/riwayat.html"
    context_object_name = "daftar"
    paginate_by = 25

    def get_queryset(self):
        impor_macet_tandai()
        return (
            TugasImpor.objects.for_user(self.request.user)
            .select_related("dibuat_oleh")
            .defer("rincian")
            .order_by("-dibuat_pada", "-id")
        )


class TemplatView(LoginRequiredMixin, View):
    """The blank template of one import type (``impor.templat``): header, an example row and a
    "Petunjuk" sheet; NIK/No KK columns formatted as text."""

    def get(self, request, kode):
        from impor import templat

        if kode not in JENIS or kode not in templat.KOLOM:
            raise Http404
        resp = HttpResponse(templat.templat_xlsx(kode), content_type=_XLSX)
        resp["Content-Disposition"] = f'attachment; filename="templat-impor-{kode}.xlsx"'
        return resp
