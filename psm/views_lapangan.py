"""The PSM's phone pages: the pledge, the beranda (caseload), visits and their photos.

Every queryset starts from ``for_user`` (out of area is 404); writes go through ``psm.services``;
the caseload pages are behind the pledge (``IkrarWajibMixin``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from akun.berkas_privat import sajikan_gambar
from akun.ekspor import EksporMixin, Kolom, nama_akun
from akun.mixins import FilterListMixin
from akun.parameter import id_dari, id_wajib
from akun.views import HomeView
from penduduk.models import Keluarga, Penduduk
from penduduk.views import galat_ke_form
from ppks.choices import Kebutuhan
from ppks.models import Kasus
from psm import beban, cache_beranda
from psm.forms_lapangan import KunjunganFilterForm, KunjunganForm
from psm.models import Ikrar, Kunjungan, PersetujuanIkrar
from psm.services import ikrar_setujui, kunjungan_catat, sudah_ikrar
from wilayah.models import Kelurahan

_KOLOM_DAFTAR = ("oleh", "penduduk", "keluarga", "kasus", "kelurahan")


def tujuan_aman(request, bawaan: str) -> str:
    """``?next`` (GET or POST) when it points into this site, else ``bawaan``."""
    nilai = request.POST.get("next") or request.GET.get("next") or ""
    if nilai and url_has_allowed_host_and_scheme(
        nilai, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nilai
    return bawaan


class IkrarWajibMixin:
    """A PSM who has not accepted the current pledge is sent to it first (then back here)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not sudah_ikrar(request.user):
            return redirect(f"{reverse('psm:ikrar')}?{urlencode({'next': request.get_full_path()})}")
        return super().dispatch(request, *args, **kwargs)


class IkrarView(LoginRequiredMixin, TemplateView):
    """The pledge text and one button; afterwards, when it was accepted."""

    template_name = "psm/lapangan_ikrar.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ikrar = Ikrar.terkini()
        ctx["ikrar"] = ikrar
        ctx["persetujuan"] = (
            PersetujuanIkrar.objects.filter(user=self.request.user, ikrar=ikrar).first() if ikrar else None
        )
        ctx["next"] = tujuan_aman(self.request, "")
        ctx["tujuan"] = tujuan_aman(self.request, reverse("psm:beranda"))
        return ctx

    def post(self, request, *args, **kwargs):
        ikrar = Ikrar.objects.filter(pk=id_dari(request.POST.get("ikrar"))).first()
        if ikrar is None or ikrar != Ikrar.terkini():
            messages.error(request, _("Ikrar ini sudah diganti versi yang lebih baru. Bacalah lalu tekan lagi."))
            return redirect(request.get_full_path())
        ikrar_setujui(user=request.user, ikrar=ikrar)
        messages.success(request, _("Terima kasih. Ikrar Anda tercatat."))
        return redirect(tujuan_aman(request, reverse("psm:beranda")))


class BerandaPSMView(LoginRequiredMixin, IkrarWajibMixin, TemplateView):
    """The PSM's home on a phone: who needs a visit most, my open cases, one tap to act."""

    template_name = "psm/lapangan_beranda.html"

    def dispatch(self, request, *args, **kwargs):
        # The area, the pledge and the caseload version (psm/jurnal.py) in one query, read before
        # anything the page shows, so a write that lands while the page is built is never hidden.
        # Only a PSM reaches this view (akun.permissions.URL_ACCESS).
        if request.user.is_authenticated:
            self.versi = cache_beranda.siapkan(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if len(messages.get_messages(request)):
            # A message to show once ("Kunjungan tersimpan"): this page is rendered, not kept.
            return super().get(request, *args, **kwargs)

        def halaman() -> str:
            ctx = self.get_context_data(**kwargs) | {"csrf_token": cache_beranda.TANDA_CSRF}
            return render_to_string(self.template_name, ctx, request=request)

        return HttpResponse(cache_beranda.halaman(request, self.versi, halaman))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["wilayah"] = list(Kelurahan.objects.for_user(user).order_by("nama").values_list("nama", flat=True))
        ctx["notifikasi"] = HomeView._notifikasi(user)
        url_kunjungan = reverse("psm:kunjungan-create")  # one reverse() for every row's button

        def kunjungi() -> str:
            isi = beban.perlu_dikunjungi(user) | {"url_kunjungan": url_kunjungan}
            return render_to_string("psm/_beranda_kunjungi.html", isi, request=self.request)

        def kasus() -> str:
            from bantuan.views_konfirmasi import menunggu_konfirmasi

            isi = HomeView._jumlah_kasus(user) | {
                "kasus_saya": beban.kasus_saya(user),
                "batas_kasus": beban.BATAS_KASUS,
                "url_kunjungan": url_kunjungan,
                # Distributions of my kelurahan waiting for the family's confirmation (one count).
                "menunggu_konfirmasi": menunggu_konfirmasi(user).count(),
            }
            return render_to_string("psm/_beranda_kasus.html", isi, request=self.request)

        # Each list is also kept on its own: a new minute re-renders the cases, not the 30 subjects.
        ctx["bagian_kunjungi"] = cache_beranda.ambil(user, "kunjungi", self.versi, kunjungi)
        ctx["bagian_kasus"] = cache_beranda.ambil(user, "kasus", self.versi, kasus, cache_beranda.menit())
        return ctx


class KunjunganFormView(LoginRequiredMixin, IkrarWajibMixin, FormView):
    """Record a visit to the person, household or case named in the query string."""

    template_name = "psm/lapangan_kunjungan_form.html"
    form_class = KunjunganForm
    _SUBJEK = (("penduduk", Penduduk), ("keluarga", Keluarga), ("kasus", Kasus))

    def dispatch(self, request, *args, **kwargs):
        self.subjek_field, self.subjek = None, None
        if request.user.is_authenticated:
            diberi = [(nama, model) for nama, model in self._SUBJEK if nama in request.GET]
            if len(diberi) > 1:
                raise Http404
            if diberi:
                nama, model = diberi[0]
                qs = model.objects.for_user(request.user).select_related("kelurahan")
                self.subjek_field = nama
                self.subjek = get_object_or_404(qs, pk=id_wajib(request.GET[nama]))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Kunjungan(**({self.subjek_field: self.subjek} if self.subjek else {}))
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["subjek"] = self.subjek
        ctx["subjek_field"] = self.subjek_field
        ctx["next"] = tujuan_aman(self.request, "")
        ctx["kembali"] = tujuan_aman(self.request, reverse("psm:beranda" if self.request.user.is_psm else "home"))
        return ctx

    def post(self, request, *args, **kwargs):
        if self.subjek is None:
            raise Http404
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        kunjungan = form.save(commit=False)
        with galat_ke_form(form):
            kunjungan_catat(kunjungan=kunjungan, oleh=self.request.user)
        if form.errors:
            kunjungan.pk = None
            return self.form_invalid(form)
        messages.success(self.request, _("Kunjungan tercatat."))
        bawaan = reverse("psm:beranda" if self.request.user.is_psm else "psm:kunjungan-list")
        return redirect(tujuan_aman(self.request, bawaan))


def tandai_subjek_terlihat(baris: list, user) -> None:
    """Set ``subjek_terlihat`` on each visit: whether the viewer may see who or what was visited. A
    visit stays in the kelurahan where it was made, but its person (household, case) may have moved
    since; a list never names people the viewer may not see (DESIGN.md). One query per subject type."""
    if user.lihat_sekota:
        for k in baris:
            k.subjek_terlihat = True
        return
    terlihat = {}
    for nama, model in (("penduduk", Penduduk), ("keluarga", Keluarga), ("kasus", Kasus)):
        ids = {getattr(k, f"{nama}_id") for k in baris} - {None}
        terlihat[nama] = set(model.objects.for_user(user).filter(pk__in=ids).values_list("pk", flat=True))
    for k in baris:
        nama = "penduduk" if k.penduduk_id else "keluarga" if k.keluarga_id else "kasus"
        k.subjek_terlihat = getattr(k, f"{nama}_id") in terlihat[nama]


def _subjek_kunjungan(k) -> str:
    """Who or what was visited, as the list names it."""
    if not getattr(k, "subjek_terlihat", True):
        return _("(di luar wilayah Anda)")
    if k.penduduk_id:
        return k.penduduk.nama
    if k.keluarga_id:
        return _("Keluarga di %(alamat)s") % {"alamat": k.keluarga.alamat or "—"}
    return f"{k.kasus.nomor} · {k.kasus.ringkasan}" if k.kasus_id else "—"


class KunjunganListView(EksporMixin, FilterListMixin, ListView):
    """Visits in the viewer's area, newest first (kunjungan_kel_idx: kelurahan, tanggal, id)."""

    template_name = "psm/lapangan_kunjungan_list.html"
    nama_ekspor = "kunjungan"
    kolom_ekspor = (
        Kolom("Tanggal", "tanggal"),
        Kolom("Yang dikunjungi", _subjek_kunjungan, lebar=35),
        Kolom("Kelurahan", "kelurahan.nama"),
        Kolom("Oleh", lambda k: nama_akun(k.oleh)),
        Kolom("Temuan", "temuan", lebar=50),
        Kolom("Perlu tindak lanjut", "perlu_tindak_lanjut"),
        Kolom("Tindak lanjut", "tindak_lanjut", lebar=30),
        Kolom("Ada foto", lambda k: bool(k.foto)),
    )

    def get_queryset(self):
        user = self.request.user
        self.filter_form = KunjunganFilterForm(self.request.GET or None, user=user)
        qs = Kunjungan.objects.for_user(user).select_related(*_KOLOM_DAFTAR)
        return self.filter_form.filter(qs).order_by("-tanggal", "-id")

    def siapkan_halaman(self, baris: list) -> None:
        tandai_subjek_terlihat(baris, self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["ada_filter"] = self.filter_form.ada_filter
        ctx["pilih_kelurahan"] = self.request.user.lihat_sekota or len(self.request.user.kelurahan_ids()) > 1
        return ctx


class KunjunganDetailView(LoginRequiredMixin, DetailView):
    template_name = "psm/lapangan_kunjungan_detail.html"
    context_object_name = "kunjungan"

    def get_queryset(self):
        return Kunjungan.objects.for_user(self.request.user).select_related(
            "oleh", "penduduk", "keluarga", "kasus__jenis", "kelurahan"
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        k = self.object
        user = self.request.user
        # The subject is linked only when the viewer may open it (a person may have moved away).
        ctx["subjek_terlihat"] = (
            Penduduk.objects.for_user(user).filter(pk=k.penduduk_id).exists()
            if k.penduduk_id
            else Keluarga.objects.for_user(user).filter(pk=k.keluarga_id).exists()
            if k.keluarga_id
            else Kasus.objects.for_user(user).filter(pk=k.kasus_id).exists()
        )
        label = dict(Kebutuhan.choices)
        ctx["kebutuhan"] = [str(label.get(n, n)) for n in k.kebutuhan]
        return ctx


class KunjunganFotoView(LoginRequiredMixin, View):
    """The visit's photo, streamed from private storage to a viewer in scope; 404 otherwise."""

    def get(self, request, pk):
        kunjungan = get_object_or_404(Kunjungan.objects.for_user(request.user), pk=pk)
        return sajikan_gambar(
            kunjungan.foto, f"kunjungan-{kunjungan.pk}", request=request, penduduk_id=kunjungan.penduduk_id
        )
