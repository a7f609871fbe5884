"""Receipt confirmation, built for a PSM's phone: the distributions of my kelurahan waiting for the
family's word, a short form, and the receipt photo served from private storage after a scope check.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView

from akun.berkas_privat import sajikan_gambar
from akun.mixins import FilterListMixin
from bantuan import services
from bantuan.choices import StatusPenyaluran
from bantuan.forms import KonfirmasiForm, PenyaluranFilterForm
from bantuan.models import Konfirmasi, Penyaluran
from bantuan.views import siapkan_penerima
from penduduk.views import galat_ke_form
from psm.views_lapangan import IkrarWajibMixin


def menunggu_konfirmasi(user):
    """Distributed and not yet confirmed, in the user's area (oldest first: waiting longest)."""
    return Penyaluran.objects.for_user(user).filter(status=StatusPenyaluran.DISALURKAN)


class MenungguListView(FilterListMixin, ListView):
    template_name = "bantuan/menunggu_list.html"

    def get_queryset(self):
        user = self.request.user
        self.filter_form = PenyaluranFilterForm(self.request.GET or None, user=user)
        del self.filter_form.fields["status"]
        qs = self.filter_form.filter(menunggu_konfirmasi(user)).select_related("program", "keluarga", "penduduk")
        return qs.order_by("tanggal", "id")

    def siapkan_halaman(self, baris: list) -> None:
        siapkan_penerima(baris, self.request.user)


class KonfirmasiView(LoginRequiredMixin, IkrarWajibMixin, FormView):
    """A PSM confirms after accepting the pledge (which is about exactly this: no cut of the aid)."""

    template_name = "bantuan/konfirmasi_form.html"
    form_class = KonfirmasiForm

    def dispatch(self, request, *args, **kwargs):
        self.penyaluran = None
        if request.user.is_authenticated:
            self.penyaluran = get_object_or_404(
                Penyaluran.objects.for_user(request.user).select_related("program", "keluarga", "penduduk"),
                pk=kwargs["pk"],
            )
            if self.penyaluran.status != StatusPenyaluran.DISALURKAN:
                messages.info(request, _("Penyaluran ini tidak menunggu konfirmasi."))
                return redirect(self.penyaluran.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["penyaluran"] = self.penyaluran
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        siapkan_penerima([self.penyaluran], self.request.user)
        ctx["p"] = self.penyaluran
        return ctx

    def form_valid(self, form):
        konfirmasi = form.save(commit=False)
        with galat_ke_form(form):
            services.konfirmasi_catat(konfirmasi=konfirmasi, oleh=self.request.user)
        if form.errors:
            konfirmasi.pk = None
            konfirmasi._state.adding = True
            return self.form_invalid(form)
        if konfirmasi.nilai_diterima < self.penyaluran.nilai:
            messages.warning(
                self.request,
                _(
                    "Konfirmasi tercatat. Diterima kurang dari yang disalurkan: ditandai untuk diperiksa "
                    "staf Dinas Sosial."
                ),
            )
        else:
            messages.success(self.request, _("Konfirmasi penerimaan tercatat. Terima kasih."))
        return redirect(reverse("bantuan:menunggu"))


class BuktiFotoView(LoginRequiredMixin, View):
    """The receipt photo, streamed from private storage to a viewer in scope; 404 otherwise."""

    def get(self, request, pk):
        konfirmasi = get_object_or_404(Konfirmasi.objects.for_user(request.user), penyaluran_id=pk)
        return sajikan_gambar(konfirmasi.foto_bukti, f"bukti-{pk}", request=request)
