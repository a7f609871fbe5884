"""Integrity flags: one page with every suspicious distribution and why, a flag's page, resolving.

Staf/Admin resolve, Pimpinan reads, a PSM never reaches these pages (the permission map), because a
flag may be about the PSM.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from akun.ekspor import EksporMixin, Kolom, nama_akun
from akun.mixins import FilterListMixin
from akun.permissions import user_boleh
from akun.riwayat import riwayat
from bantuan import services
from bantuan.forms import BenderaFilterForm, SelesaikanForm
from bantuan.models import Bendera
from bantuan.views import siapkan_penerima
from penduduk.views import galat_ke_form

KOLOM = (
    "penyaluran__program",
    "penyaluran__keluarga",
    "penyaluran__penduduk",
    "pendamping",
    "kelurahan__kecamatan",
    "diselesaikan_oleh",
)


class BenderaListView(EksporMixin, FilterListMixin, ListView):
    """Open flags first by default, newest first (bendera_terbuka_idx)."""

    template_name = "bantuan/bendera_list.html"
    nama_ekspor = "bendera"
    kolom_ekspor = (
        Kolom("Jenis", "get_jenis_display", lebar=25),
        Kolom("Alasan", "alasan", lebar=50),
        Kolom("Program", "penyaluran.program.kode"),
        Kolom("Periode", lambda b: f"{b.penyaluran.periode:%m/%Y}" if b.penyaluran_id else None),
        Kolom("Nilai (Rp)", "penyaluran.nilai"),
        Kolom("Penerima", "penyaluran.penerima", lebar=30),
        Kolom("Pendamping", lambda b: nama_akun(b.pendamping)),
        Kolom("Kecamatan", "kelurahan.kecamatan.nama"),
        Kolom("Kelurahan", "kelurahan.nama"),
        Kolom("Keadaan", lambda b: _("Selesai") if b.diselesaikan_pada else _("Terbuka")),
        Kolom("Ditemukan pada", "dibuat_pada"),
        Kolom("Diselesaikan pada", "diselesaikan_pada"),
        Kolom("Diselesaikan oleh", lambda b: nama_akun(b.diselesaikan_oleh)),
    )

    def get_queryset(self):
        user = self.request.user
        self.filter_form = BenderaFilterForm(self.request.GET or None, user=user)
        qs = self.filter_form.filter(Bendera.objects.for_user(user).select_related(*KOLOM))
        return qs.order_by("-dibuat_pada", "-id")

    def siapkan_halaman(self, baris: list) -> None:
        siapkan_penerima([b.penyaluran for b in baris if b.penyaluran_id], self.request.user)


class BenderaDetailView(LoginRequiredMixin, DetailView):
    template_name = "bantuan/bendera_detail.html"
    context_object_name = "b"

    def get_queryset(self):
        return Bendera.objects.for_user(self.request.user).select_related(*KOLOM, "penyaluran__konfirmasi")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        b = self.object
        if b.penyaluran_id:
            siapkan_penerima([b.penyaluran], self.request.user)
        boleh = b.diselesaikan_pada is None and user_boleh(self.request.user, "bantuan:bendera-selesaikan")
        ctx.update(form=SelesaikanForm() if boleh else None, riwayat=riwayat(b, self.request.user))
        return ctx


class SelesaikanView(LoginRequiredMixin, FormView):
    template_name = "bantuan/bendera_detail.html"
    form_class = SelesaikanForm
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.bendera = get_object_or_404(
                Bendera.objects.for_user(request.user).select_related(*KOLOM), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def form_invalid(self, form):
        b = self.bendera
        if b.penyaluran_id:
            siapkan_penerima([b.penyaluran], self.request.user)
        return self.render_to_response({"b": b, "form": form, "riwayat": riwayat(b, self.request.user)})

    def form_valid(self, form):
        with galat_ke_form(form):
            services.bendera_selesaikan(
                bendera=self.bendera, oleh=self.request.user, catatan=form.cleaned_data["catatan"]
            )
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, _("Bendera diselesaikan; catatannya tersimpan."))
        return redirect(self.bendera.get_absolute_url())
