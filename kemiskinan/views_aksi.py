"""Extreme-poverty pages that write: enter a household, propose an exit, verify it, record help.

The permission map decides the role (403); ``for_user`` decides the area (404); the service
decides the rest (maker-checker) and what it refuses becomes a message on the form
(``galat_ke_form``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView

from akun.parameter import id_wajib
from kemiskinan import services
from kemiskinan.choices import StatusUsulan
from kemiskinan.forms import IntervensiForm, MasukForm, PilihKeluargaForm, UsulanKeluarForm, VerifikasiForm
from kemiskinan.models import GarisKemiskinan, StatusMiskinEkstrem, UsulanKeluar
from penduduk.models import Keluarga, ringkas_keluarga
from penduduk.views import galat_ke_form


def _halaman_keluarga(keluarga_id: int) -> str:
    return reverse("kemiskinan:detail", args=[keluarga_id])


class _FormKeluargaMixin(LoginRequiredMixin):
    """A form about one household in the user's area; the household in the context."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["keluarga"] = self.keluarga
        if self.keluarga is not None:
            ringkas_keluarga([self.keluarga], self.request.user)
        return ctx


class MasukView(_FormKeluargaMixin, FormView):
    """Put a household on the list (``?keluarga=<id>``; without it, find the household first)."""

    template_name = "kemiskinan/masuk_form.html"
    form_class = MasukForm

    def dispatch(self, request, *args, **kwargs):
        self.keluarga = None
        if request.user.is_authenticated and "keluarga" in request.GET:
            self.keluarga = get_object_or_404(
                Keluarga.objects.for_user(request.user).select_related("kelurahan__kecamatan"),
                pk=id_wajib(request.GET["keluarga"]),
            )
            if StatusMiskinEkstrem.objects.filter(keluarga=self.keluarga, tanggal_keluar__isnull=True).exists():
                messages.info(request, _("Keluarga ini sudah tercatat di daftar miskin ekstrem."))
                return redirect(_halaman_keluarga(self.keluarga.pk))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.keluarga is None:
            form = PilihKeluargaForm(request.GET if "cari" in request.GET else None, user=request.user)
            hasil = form.hasil()
            if hasil:
                ringkas_keluarga(hasil, request.user)
            return self.render_to_response({"pilih_form": form, "hasil": hasil, "view": self, "keluarga": None})
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.keluarga is None:
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["keluarga"] = self.keluarga
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["jiwa_registri"] = services.jiwa_di_registri(self.keluarga)
        return ctx

    def form_valid(self, form):
        status = form.save(commit=False)
        with galat_ke_form(form):
            services.status_masuk(status=status, oleh=self.request.user)
        if form.errors:
            status.pk = None
            status._state.adding = True
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Keluarga tercatat masuk daftar miskin ekstrem sejak %(tgl)s (%(jiwa)s jiwa).")
            % {"tgl": f"{status.tanggal_masuk:%d/%m/%Y}", "jiwa": status.jiwa_masuk},
        )
        return redirect(_halaman_keluarga(self.keluarga.pk))


class UsulKeluarView(_FormKeluargaMixin, FormView):
    """Propose an exit (PSM from a phone, or staff)."""

    template_name = "kemiskinan/usulan_form.html"
    form_class = UsulanKeluarForm

    def dispatch(self, request, *args, **kwargs):
        self.keluarga = None
        if request.user.is_authenticated:
            self.status = get_object_or_404(
                StatusMiskinEkstrem.objects.for_user(request.user).select_related("keluarga__kelurahan__kecamatan"),
                pk=kwargs["pk"],
            )
            self.keluarga = self.status.keluarga
            if not self.status.terbuka:
                messages.info(request, _("Keluarga ini sudah keluar dari daftar."))
                return redirect(_halaman_keluarga(self.keluarga.pk))
            if UsulanKeluar.objects.filter(status_miskin=self.status, status=StatusUsulan.DIUSULKAN).exists():
                messages.info(request, _("Sudah ada usulan keluar yang menunggu verifikasi untuk keluarga ini."))
                return redirect(_halaman_keluarga(self.keluarga.pk))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, status=self.status)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(status=self.status, garis=GarisKemiskinan.objects.pada(timezone.localdate()))
        return ctx

    def form_valid(self, form):
        usulan = form.save(commit=False)
        with galat_ke_form(form):
            services.keluar_usulkan(usulan=usulan, oleh=self.request.user)
        if form.errors:
            usulan.pk = None
            usulan._state.adding = True
            return self.form_invalid(form)
        messages.success(self.request, _("Usulan keluar terkirim; menunggu verifikasi staf Dinas Sosial."))
        return redirect(_halaman_keluarga(self.keluarga.pk))


class VerifikasiView(_FormKeluargaMixin, FormView):
    """Approve or reject a pending proposal. The proposer gets 403 (maker-checker)."""

    template_name = "kemiskinan/verifikasi_form.html"
    form_class = VerifikasiForm

    def dispatch(self, request, *args, **kwargs):
        self.keluarga = None
        if request.user.is_authenticated:
            self.usulan = get_object_or_404(
                UsulanKeluar.objects.for_user(request.user).select_related(
                    "status_miskin__keluarga__kelurahan__kecamatan", "diusulkan_oleh"
                ),
                pk=kwargs["pk"],
            )
            self.keluarga = self.usulan.status_miskin.keluarga
            if self.usulan.status != StatusUsulan.DIUSULKAN:
                messages.info(request, _("Usulan ini sudah diverifikasi."))
                return redirect(_halaman_keluarga(self.keluarga.pk))
            if self.usulan.diusulkan_oleh_id == request.user.pk:
                raise PermissionDenied(_("Usulan ini Anda sendiri yang membuat; verifikasi harus oleh staf lain."))
        return super().dispatch(request, *args, **kwargs)

    def get_prefix(self):
        return f"v{self.usulan.pk}"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        tujuan_id = self.usulan.keluarga_tujuan_id
        tujuan = Keluarga.objects.for_user(self.request.user).filter(pk=tujuan_id).first() if tujuan_id else None
        self.usulan.tujuan_terlihat = tujuan
        ctx.update(u=self.usulan, status=self.usulan.status_miskin, tujuan=tujuan)
        return ctx

    def form_valid(self, form):
        setuju = form.cleaned_data["keputusan"] == "setuju"
        with galat_ke_form(form):
            services.usulan_verifikasi(
                usulan=self.usulan, oleh=self.request.user, setuju=setuju, catatan=form.cleaned_data["catatan"]
            )
        if form.errors:
            return self.form_invalid(form)
        if setuju:
            messages.success(self.request, _("Usulan disetujui: keluarga keluar dari daftar miskin ekstrem."))
        else:
            messages.success(self.request, _("Usulan ditolak: keluarga tetap di daftar, alasannya tercatat."))
        return redirect(_halaman_keluarga(self.keluarga.pk))


class IntervensiView(_FormKeluargaMixin, FormView):
    """Record help a household received."""

    template_name = "kemiskinan/intervensi_form.html"
    form_class = IntervensiForm

    def dispatch(self, request, *args, **kwargs):
        self.keluarga = None
        if request.user.is_authenticated:
            self.keluarga = get_object_or_404(
                Keluarga.objects.for_user(request.user).select_related("kelurahan__kecamatan"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["keluarga"] = self.keluarga
        return kwargs

    def form_valid(self, form):
        intervensi = form.save(commit=False)
        with galat_ke_form(form):
            services.intervensi_catat(intervensi=intervensi, oleh=self.request.user)
        if form.errors:
            intervensi.pk = None
            intervensi._state.adding = True
            return self.form_invalid(form)
        messages.success(self.request, _("Intervensi %(nama)s tercatat.") % {"nama": intervensi.nama_tampil})
        return redirect(_halaman_keluarga(self.keluarga.pk))
