"""Distribution pages: the list, a distribution's page, recording one, recording many.

Every queryset starts from ``for_user`` (a PSM sees their kelurahan; out of area is 404). Names of
recipients beside rows are computed for the page only, through ``for_user`` (``siapkan_penerima``).
Receipt confirmation is in ``bantuan.views_konfirmasi``, integrity flags in ``bantuan.views_bendera``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from akun.ekspor import EksporMixin, Kolom, nama_akun
from akun.mixins import FilterListMixin
from akun.parameter import id_dari, id_wajib
from akun.permissions import user_boleh
from akun.riwayat import riwayat
from bantuan import services
from bantuan.choices import StatusPenyaluran
from bantuan.forms import PenyaluranFilterForm, PenyaluranForm, PenyaluranMassalForm
from bantuan.models import Bendera, Penyaluran
from penduduk.models import Keluarga, Penduduk, ringkas_keluarga
from penduduk.views import galat_ke_form

KOLOM_DAFTAR = ("program", "kelurahan", "pendamping", "keluarga", "penduduk", "konfirmasi")


def siapkan_penerima(baris: list, user) -> None:
    """``penerima`` and ``penerima_url`` on each distribution of a page: the person's name, or the
    household's head, only when the viewer may see them (two queries a page)."""
    orang_ids = {p.penduduk_id for p in baris if p.penduduk_id}
    orang = (
        dict(Penduduk.objects.for_user(user).filter(pk__in=orang_ids).values_list("pk", "nama")) if orang_ids else {}
    )
    keluarga = {p.keluarga_id: p.keluarga for p in baris if p.keluarga_id and not p.penduduk_id}
    terlihat = (
        set(Keluarga.objects.for_user(user).filter(pk__in=keluarga).values_list("pk", flat=True)) if keluarga else set()
    )
    ringkas_keluarga([k for pk, k in keluarga.items() if pk in terlihat], user)
    for p in baris:
        if p.keluarga_id in terlihat and not p.penduduk_id:
            p.keluarga.nama_kepala = keluarga[p.keluarga_id].nama_kepala  # one household, several rows
    for p in baris:
        p.penerima, p.penerima_url = _("(di luar wilayah Anda)"), None
        if p.penduduk_id and p.penduduk_id in orang:
            p.penerima = orang[p.penduduk_id]
            p.penerima_url = p.penduduk.get_absolute_url()
        elif not p.penduduk_id and p.keluarga_id in terlihat:
            p.penerima = _("KK %(nama)s") % {"nama": p.keluarga.nama_kepala or _("(kepala belum tercatat)")}
            p.penerima_url = p.keluarga.get_absolute_url()


def _nilai_diterima(p: Penyaluran):
    try:
        return p.konfirmasi
    except Penyaluran.konfirmasi.RelatedObjectDoesNotExist:
        return None


def _periode(p: Penyaluran) -> str:
    return f"{p.periode:%m/%Y}"


class PenyaluranListView(EksporMixin, FilterListMixin, ListView):
    """Distributions in the viewer's area, newest period first (indexes: penyaluran_*_idx)."""

    template_name = "bantuan/penyaluran_list.html"
    nama_ekspor = "penyaluran"
    # The recipient as the page names it (``siapkan_penerima``: only who the viewer may see).
    kolom_ekspor = (
        Kolom("Program", "program.kode"),
        Kolom("Nama program", "program.nama", lebar=30),
        Kolom("Periode", _periode),
        Kolom("Tanggal salur", "tanggal"),
        Kolom("Saluran", "get_saluran_display"),
        Kolom("Penerima", "penerima", lebar=30),
        Kolom("Kelurahan", "kelurahan.nama"),
        Kolom("Nilai (Rp)", "nilai"),
        Kolom("Nilai diterima (Rp)", "konf.nilai_diterima"),
        Kolom("Status", "get_status_display"),
        Kolom("Pendamping", lambda p: nama_akun(p.pendamping)),
    )

    def get_queryset(self):
        user = self.request.user
        self.filter_form = PenyaluranFilterForm(self.request.GET or None, user=user)
        qs = Penyaluran.objects.for_user(user).select_related(*KOLOM_DAFTAR)
        qs = self.filter_form.filter(qs)
        self.pendamping_id = id_dari(self.request.GET.get("pendamping", ""))
        if self.pendamping_id:
            qs = qs.filter(pendamping_id=self.pendamping_id)
        return qs.order_by("-periode", "-id")

    def siapkan_halaman(self, baris: list) -> None:
        siapkan_penerima(baris, self.request.user)
        for p in baris:
            p.konf = _nilai_diterima(p)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["ada_filter"] = self.filter_form.ada_filter or bool(self.pendamping_id)
        return ctx


class PenyaluranDetailView(LoginRequiredMixin, DetailView):
    template_name = "bantuan/penyaluran_detail.html"
    context_object_name = "p"

    def get_queryset(self):
        return Penyaluran.objects.for_user(self.request.user).select_related(
            "program",
            "kelurahan__kecamatan",
            "pendamping",
            "keluarga",
            "penduduk",
            "dibuat_oleh",
            "konfirmasi__dicatat_oleh",
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, p = self.request.user, self.object
        siapkan_penerima([p], user)
        konf = _nilai_diterima(p)
        boleh_bendera = user_boleh(user, "bantuan:bendera-list")
        ctx.update(
            konf=konf,
            selisih=(p.nilai - konf.nilai_diterima) if konf else None,
            boleh_ubah=user_boleh(user, "bantuan:penyaluran-update"),
            boleh_konfirmasi=p.status == StatusPenyaluran.DISALURKAN and user_boleh(user, "bantuan:konfirmasi"),
            # A PSM never sees flags (they may be about the PSM).
            bendera=list(Bendera.objects.for_user(user).filter(penyaluran=p)) if boleh_bendera else None,
            riwayat=riwayat(p, user),
            riwayat_konfirmasi=riwayat(konf, user) if konf else [],
        )
        return ctx


class PenyaluranFormView(LoginRequiredMixin, FormView):
    """Record (``?keluarga=<id>`` or ``?penduduk=<id>``, or a No KK/NIK typed) or change one."""

    template_name = "bantuan/penyaluran_form.html"
    form_class = PenyaluranForm

    def dispatch(self, request, *args, **kwargs):
        self.object, self.keluarga, self.penduduk = None, None, None
        if request.user.is_authenticated:
            user = request.user
            if "pk" in kwargs:
                self.object = get_object_or_404(Penyaluran.objects.for_user(user), pk=kwargs["pk"])
            elif "penduduk" in request.GET:
                self.penduduk = get_object_or_404(Penduduk.objects.for_user(user), pk=id_wajib(request.GET["penduduk"]))
            elif "keluarga" in request.GET:
                self.keluarga = get_object_or_404(Keluarga.objects.for_user(user), pk=id_wajib(request.GET["keluarga"]))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, instance=self.object, keluarga=self.keluarga, penduduk=self.penduduk)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(objek=self.object, keluarga=self.keluarga, penduduk=self.penduduk)
        if self.object:
            siapkan_penerima([self.object], self.request.user)
        elif self.keluarga:
            ringkas_keluarga([self.keluarga], self.request.user)
        return ctx

    def form_valid(self, form):
        penyaluran = form.save(commit=False)
        baru = penyaluran.pk is None
        with galat_ke_form(form):
            services.penyaluran_simpan(penyaluran=penyaluran, oleh=self.request.user)
        if form.errors:
            if baru:
                penyaluran.pk = None
                penyaluran._state.adding = True
            return self.form_invalid(form)
        messages.success(self.request, _("Penyaluran tersimpan.") if not baru else _("Penyaluran tercatat."))
        return redirect(penyaluran.get_absolute_url())


class PenyaluranMassalView(LoginRequiredMixin, FormView):
    """Many households at once: the first press shows how many (and who), the second records."""

    template_name = "bantuan/penyaluran_massal.html"
    form_class = PenyaluranMassalForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        keluarga = form.keluarga()
        if "simpan" not in self.request.POST:
            contoh = list(keluarga.select_related("kelurahan").order_by("kelurahan__nama", "pk")[:20])
            ringkas_keluarga(contoh, self.request.user)
            return self.render_to_response(
                self.get_context_data(form=form, pratinjau=True, jumlah=keluarga.count(), contoh=contoh)
            )
        contoh = form.save(commit=False)
        hasil = None
        with galat_ke_form(form):
            hasil = services.penyaluran_massal(
                contoh=contoh,
                keluarga_ids=list(keluarga.values_list("pk", flat=True)),
                oleh=self.request.user,
                pendamping_psm=form.cleaned_data.get("pendamping_psm", False),
            )
        if form.errors or hasil is None:
            return self.form_invalid(form)
        baru, dilewati = hasil
        pesan = _("%(n)s penyaluran tercatat.") % {"n": len(baru)}
        if dilewati:
            pesan += " " + _("%(n)s keluarga dilewati karena sudah menerima program ini untuk periode yang sama.") % {
                "n": dilewati
            }
        messages.success(self.request, pesan)
        return redirect(f"{reverse('bantuan:penyaluran-list')}?program={contoh.program_id}")


BATAS_RIWAYAT_BANTUAN = 20


def bantuan_diterima(user, **penerima) -> dict:
    """The newest distributions of a household (``keluarga=``) or a person (``penduduk=``) the user
    may see, bounded, for the registry's pages (one query)."""
    baris = list(
        Penyaluran.objects.for_user(user)
        .filter(**penerima)
        .select_related("program", "konfirmasi")
        .order_by("-periode", "-id")[: BATAS_RIWAYAT_BANTUAN + 1]
    )
    for p in baris:
        p.konf = _nilai_diterima(p)
    return {"daftar_bantuan": baris[:BATAS_RIWAYAT_BANTUAN], "bantuan_lebih": len(baris) > BATAS_RIWAYAT_BANTUAN}
