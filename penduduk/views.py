"""Registry pages. Every queryset starts from ``for_user``: out of area is 404, not 403."""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from akun.akses import catat_lihat, catat_lihat_daftar, ppks_sensitif
from akun.ekspor import EksporMixin, Kolom
from akun.mixins import FilterListMixin
from akun.parameter import id_wajib
from akun.permissions import user_boleh
from akun.riwayat import riwayat
from akun.versi import KonflikVersi, catat_konflik
from penduduk.forms import AnggotaFormSet, KeluargaFilterForm, KeluargaForm, PendudukFilterForm, PendudukForm
from penduduk.models import Keluarga, Penduduk, ringkas_keluarga
from penduduk.nik import periksa_nik
from penduduk.services import keluarga_simpan, penduduk_simpan
from ppks.models import PPKS


@contextmanager
def galat_ke_form(form):
    """Run a service call atomically; what it refuses becomes a message on the form, not a 500.

    Validation errors (also those keyed by fields the form lacks), an area refusal, a database
    constraint hit by a concurrent save (two people registering one NIK at once) and a database
    still busy after its timeout all end here.
    """
    try:
        with transaction.atomic():
            yield
    except KonflikVersi as exc:
        # Saved by somebody else since the form was opened: nothing written, the differences shown.
        catat_konflik(form, exc, user=getattr(form, "user", None))
    except ValidationError as exc:
        form.add_error(None, exc.messages)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    except IntegrityError:
        form.add_error(
            None, _("Data bentrok dengan data yang baru saja disimpan orang lain (mis. NIK/No. KK sama). Periksa lagi.")
        )
    except OperationalError:
        # SQLite still locked after its busy timeout (many saves at once): nothing was written.
        form.add_error(None, _("Server sedang sibuk sehingga data belum tersimpan. Tunggu sebentar, lalu simpan lagi."))


class PendudukListView(EksporMixin, FilterListMixin, ListView):
    template_name = "penduduk/penduduk_list.html"
    nama_ekspor = "penduduk"
    kolom_ekspor = (
        Kolom("Nama", "nama", lebar=30),
        Kolom.nomor("NIK", "nik"),
        Kolom("L/P", "jenis_kelamin"),
        Kolom.lahir("tanggal_lahir"),
        Kolom("Hubungan dalam keluarga", "get_hubungan_display"),
        Kolom("Kecamatan", "kelurahan.kecamatan.nama"),
        Kolom("Kelurahan", "kelurahan.nama"),
        Kolom("Alamat", "alamat", lebar=35),
        Kolom("RT", "rt"),
        Kolom("RW", "rw"),
        Kolom("Status", "get_status_display"),
    )

    def get_queryset(self):
        self.filter_form = PendudukFilterForm(self.request.GET or None, user=self.request.user)
        qs = Penduduk.objects.for_user(self.request.user).select_related("kelurahan__kecamatan", "keluarga")
        return self.filter_form.filter(qs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        catat_lihat_daftar(self.request, ctx["daftar"])  # the page's full NIKs, one INSERT (UU PDP)
        return ctx


class PendudukDetailView(LoginRequiredMixin, DetailView):
    template_name = "penduduk/penduduk_detail.html"
    context_object_name = "penduduk"

    def get_queryset(self):
        return Penduduk.objects.for_user(self.request.user).select_related(
            "kelurahan__kecamatan", "keluarga__kelurahan"
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p = self.object
        # The household is shown only when it is in the user's area too (a PSM's resident may
        # belong to a KK registered in another kelurahan).
        ctx["keluarga"] = Keluarga.objects.for_user(self.request.user).filter(pk=p.keluarga_id).first()
        ctx["anggota"] = (
            Penduduk.objects.for_user(self.request.user).filter(keluarga=p.keluarga_id).order_by("tanggal_lahir")
            if ctx["keluarga"]
            else []
        )
        ctx["riwayat"] = riwayat(p, self.request.user)
        # Registrations the viewer may see beside this name (Pimpinan: no sensitive jenis).
        ctx["daftar_ppks"] = list(
            PPKS.objects.terlihat_oleh(self.request.user).filter(penduduk=p).select_related("jenis")
        )
        # UU PDP access log: the NIK, the disability and the PPKS jenis shown here.
        catat_lihat(self.request, p, sensitif=bool(p.disabilitas) or ppks_sensitif(ctx["daftar_ppks"]))
        # Personal distributions (PBI-JK, ATENSI, ...) of this person (bantuan app, issue 10).
        from bantuan.views import bantuan_diterima

        ctx.update(bantuan_diterima(self.request.user, penduduk=p))
        ctx["boleh_salur"] = user_boleh(self.request.user, "bantuan:penyaluran-create")
        ctx["url_baru"] = f"{reverse('bantuan:penyaluran-create')}?penduduk={p.pk}"
        return ctx


class PendudukFormView(LoginRequiredMixin, FormView):
    """Create (no pk) or edit a person, through ``penduduk_simpan``."""

    template_name = "penduduk/penduduk_form.html"
    form_class = PendudukForm

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        self.keluarga = None
        if request.user.is_authenticated:
            if "pk" in kwargs:
                self.object = get_object_or_404(Penduduk.objects.for_user(request.user), pk=kwargs["pk"])
                # The heading names the saved person: a refused form's instance holds the user's input.
                self.nama_tersimpan = self.object.nama
            elif "keluarga" in request.GET:
                self.keluarga = get_object_or_404(
                    Keluarga.objects.for_user(request.user), pk=id_wajib(request.GET["keluarga"])
                )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, instance=self.object, keluarga=self.keluarga)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(penduduk=self.object, keluarga=self.keluarga, nama_tersimpan=getattr(self, "nama_tersimpan", ""))
        return ctx

    def form_valid(self, form):
        orang = form.save(commit=False)
        with galat_ke_form(form):
            penduduk_simpan(penduduk=orang, oleh=self.request.user, versi=form.versi_dikirim)
        if form.errors:
            if not self.object:
                orang.pk = None
                orang._state.adding = True
            return self.form_invalid(form)
        messages.success(self.request, _("Data %(nama)s tersimpan.") % {"nama": orang.nama})
        for teks in form.peringatan:
            messages.warning(self.request, teks)
        return redirect(orang)


class KeluargaListView(EksporMixin, FilterListMixin, ListView):
    template_name = "penduduk/keluarga_list.html"
    nama_ekspor = "keluarga"
    kolom_ekspor = (
        Kolom.nomor("No. KK", "no_kk"),
        Kolom("Kepala keluarga", "nama_kepala", lebar=30),
        Kolom("Jumlah anggota", "jumlah_anggota"),
        Kolom("Kecamatan", "kelurahan.kecamatan.nama"),
        Kolom("Kelurahan", "kelurahan.nama"),
        Kolom("Alamat", "alamat", lebar=35),
        Kolom("RT", "rt"),
        Kolom("RW", "rw"),
    )

    def get_queryset(self):
        self.filter_form = KeluargaFilterForm(self.request.GET or None, user=self.request.user)
        qs = Keluarga.objects.for_user(self.request.user).select_related("kelurahan__kecamatan")
        return self.filter_form.filter(qs)

    def siapkan_halaman(self, baris: list) -> None:
        ringkas_keluarga(baris, self.request.user)


class KeluargaDetailView(LoginRequiredMixin, DetailView):
    template_name = "penduduk/keluarga_detail.html"
    context_object_name = "keluarga"

    def get_queryset(self):
        anggota = Penduduk.objects.for_user(self.request.user).order_by("tanggal_lahir")
        return (
            Keluarga.objects.for_user(self.request.user)
            .select_related("kelurahan__kecamatan")
            .prefetch_related(Prefetch("anggota", queryset=anggota))
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["riwayat"] = riwayat(self.object, self.request.user)
        catat_lihat_daftar(self.request, self.object.anggota.all(), objek=self.object)  # members' NIKs (UU PDP)
        # The assistance the household received, across programmes (bantuan app, issue 10).
        from bantuan.views import bantuan_diterima

        ctx.update(bantuan_diterima(self.request.user, keluarga=self.object))
        ctx["boleh_salur"] = user_boleh(self.request.user, "bantuan:penyaluran-create")
        ctx["url_baru"] = f"{reverse('bantuan:penyaluran-create')}?keluarga={self.object.pk}"
        return ctx


class KeluargaFormView(LoginRequiredMixin, FormView):
    """Create or edit a household and its members in one form."""

    template_name = "penduduk/keluarga_form.html"
    form_class = KeluargaForm

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if request.user.is_authenticated and "pk" in kwargs:
            self.object = get_object_or_404(Keluarga.objects.for_user(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, instance=self.object)
        return kwargs

    def get_formset(self):
        data = self.request.POST if self.request.method == "POST" else None
        return AnggotaFormSet(
            data,
            instance=self.object or Keluarga(),
            prefix="anggota",
            queryset=Penduduk.objects.for_user(self.request.user).order_by("tanggal_lahir", "pk"),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("formset", self.get_formset())
        ctx["keluarga"] = self.object
        return ctx

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        formset = self.get_formset()
        if not (form.is_valid() and formset.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        keluarga = form.save(commit=False)
        anggota = [f.instance for f in formset.forms if f.has_changed() and f not in formset.deleted_forms]
        if form.anggota_terdaftar is not None:
            anggota.append(form.anggota_terdaftar)
        dilepas = [f.instance for f in formset.deleted_forms if f.instance.pk]
        baru = [o for o in [keluarga, *anggota] if o.pk is None]
        form.subform_versi = formset.forms  # a member's conflict is shown on their row (akun/versi.py)
        if not form.periksa_anggota_baru([o for o in anggota if o.pk is None]):
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        with galat_ke_form(form):
            keluarga_simpan(
                keluarga=keluarga,
                oleh=request.user,
                anggota=anggota,
                dilepas=dilepas,
                versi=form.versi_dikirim,
                versi_anggota={f.instance.pk: f.versi_dikirim for f in formset.forms if f.instance.pk},
            )
        if form.errors:
            # The transaction was rolled back: rows created in it must look new again.
            for obj in baru:
                obj.pk = None
                obj._state.adding = True
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        messages.success(request, _("Data keluarga tersimpan."))
        for teks in form.peringatan:
            messages.warning(request, teks)
        for orang in anggota:
            if orang.nik:
                hasil = periksa_nik(orang.nik, jenis_kelamin=orang.jenis_kelamin, tanggal_lahir=orang.tanggal_lahir)
                for teks in hasil.peringatan:
                    messages.warning(request, f"{orang.nama}: {teks}")
        return redirect(keluarga)
