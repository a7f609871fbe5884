"""Staff pages about PSM: the profile list, detail and form, the pledge record, coverage per
kelurahan, caseload per PSM and the handover when a PSM leaves.

Who may open each page is the permission map (Admin/Staf; Pimpinan reads); every count beside a
row is a grouped query for the rows shown (``psm.rekap_staf``), so the query count does not grow
with the number of PSM. Writes go through ``psm.services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from akun.ekspor import EksporMixin, Kolom, nama_akun
from akun.mixins import FilterListMixin
from akun.models import User
from akun.parameter import id_dari
from akun.riwayat import riwayat
from penduduk.views import galat_ke_form
from ppks.forms_ppks import nama_pengguna
from psm.forms_staf import (
    AlihkanForm,
    PelatihanFormSet,
    ProfilFilterForm,
    ProfilForm,
    psm_dengan_wilayah,
    sisa_dampingan,
)
from psm.jadwal import interval_hari
from psm.models import Ikrar, Kunjungan, PersetujuanIkrar, ProfilPSM
from psm.rekap_staf import cakupan, ikrar_terakhir, kelurahan_akun, ringkas_psm
from psm.services import pelatihan_hapus, pelatihan_simpan, profil_simpan, psm_alihkan, psm_nonaktifkan


def akun_psm():
    return psm_dengan_wilayah(User.objects.all())


def _ikrar_teks(u) -> str | None:
    p = u.ikrar_terakhir
    return f"v{p.ikrar.versi}" if p else None


class ProfilListView(EksporMixin, FilterListMixin, ListView):
    """Every PSM account, with its profile where there is one ("belum punya profil" filter)."""

    template_name = "psm/staf_list.html"
    nama_ekspor = "psm"
    kolom_ekspor = (
        Kolom("Nama", lambda u: u.profil.nama if u.profil else nama_akun(u), lebar=30),
        Kolom("Nama pengguna", "username"),
        Kolom("Akun aktif", "is_active"),
        Kolom("Koordinator", lambda u: bool(u.profil and u.profil.koordinator)),
        Kolom("Wilayah kerja", lambda u: [k.nama for k in u.wilayah], lebar=30),
        Kolom("Kelurahan utama", "profil.kelurahan_utama.nama"),
        Kolom("Telepon/WhatsApp", "profil.telepon"),
        Kolom("Nomor SK", "profil.nomor_sk", lebar=25),
        Kolom("Tanggal SK", "profil.tanggal_sk"),
        Kolom("Aktif sejak", "profil.aktif_mulai"),
        Kolom("Aktif sampai", "profil.aktif_sampai"),
        Kolom("Ikrar terakhir", _ikrar_teks),
        Kolom("Ikrar disetujui pada", "ikrar_terakhir.disetujui_pada"),
        Kolom("Aktivitas terakhir", "aktivitas_terakhir"),
        Kolom("PPKS didampingi", "jumlah_ppks"),
        Kolom("Kasus terbuka", "jumlah_kasus"),
    )

    def get_queryset(self):
        self.filter_form = ProfilFilterForm(self.request.GET or None)
        qs = akun_psm().select_related("profil_psm__kelurahan_utama").order_by("username", "id")
        return self.filter_form.filter(qs)

    def siapkan_halaman(self, baris: list) -> None:
        ringkas_psm(baris, self.request.user)
        for u in baris:
            u.profil = getattr(u, "profil_psm", None)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["ikrar_terkini"] = Ikrar.terkini()
        return ctx


class ProfilDetailView(LoginRequiredMixin, DetailView):
    template_name = "psm/staf_detail.html"
    context_object_name = "profil"

    def get_queryset(self):
        return ProfilPSM.objects.for_user(self.request.user).select_related("user", "kelurahan_utama")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.object.user
        ringkas_psm([user], self.request.user)
        ctx.update(
            akun=user,
            pelatihan=list(self.object.pelatihan.all()),
            persetujuan=list(
                PersetujuanIkrar.objects.filter(user=user).select_related("ikrar").order_by("-ikrar__versi")
            ),
            ikrar_terkini=Ikrar.terkini(),
            kunjungan=list(
                Kunjungan.objects.for_user(self.request.user)
                .filter(oleh=user)
                .select_related("penduduk", "keluarga", "kasus", "kelurahan")[:10]
            ),
            riwayat=riwayat(self.object, self.request.user),
            hari_ppks=interval_hari("ppks"),
        )
        return ctx


class ProfilFormView(LoginRequiredMixin, FormView):
    """Create (``?user=<id>`` preselects the account) or edit a profile and its trainings."""

    template_name = "psm/staf_form.html"
    form_class = ProfilForm

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        self.pengguna = None
        if request.user.is_authenticated:
            if "pk" in kwargs:
                self.object = get_object_or_404(
                    ProfilPSM.objects.for_user(request.user).select_related("user"), pk=kwargs["pk"]
                )
            elif id_dari(request.GET.get("user")):
                self.pengguna = get_object_or_404(
                    akun_psm().filter(profil_psm__isnull=True), pk=id_dari(request.GET["user"])
                )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(instance=self.object, pengguna=self.pengguna)
        if self.object is None and self.pengguna is not None:
            kwargs["initial"] = {
                "nama": nama_pengguna(self.pengguna),
                "telepon": self.pengguna.telepon,
                "aktif_mulai": timezone.localdate(),
            }
        return kwargs

    def _formset(self):
        data = self.request.POST if self.request.method == "POST" else None
        return PelatihanFormSet(data, instance=self.object or ProfilPSM(), prefix="pelatihan")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("formset", self._formset())
        ctx["profil"] = self.object
        return ctx

    def post(self, request, *args, **kwargs):
        form, formset = self.get_form(), self._formset()
        if not (form.is_valid() and formset.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        profil = form.save(commit=False)
        with galat_ke_form(form):
            profil_simpan(profil=profil, oleh=request.user)
            for pelatihan in formset.save(commit=False):
                pelatihan.profil = profil
                pelatihan_simpan(pelatihan=pelatihan, oleh=request.user)
            for pelatihan in formset.deleted_objects:
                pelatihan_hapus(pelatihan=pelatihan, oleh=request.user)
        if form.errors:
            if self.object is None:
                profil.pk = None
                profil._state.adding = True
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        messages.success(request, _("Profil PSM %(nama)s tersimpan.") % {"nama": profil.nama})
        return redirect(profil)


class AlihkanView(LoginRequiredMixin, FormView):
    """Hand over a PSM's residents and open cases to another PSM, then optionally deactivate."""

    template_name = "psm/staf_alihkan.html"
    form_class = AlihkanForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.profil = get_object_or_404(
                ProfilPSM.objects.for_user(request.user).select_related("user"), pk=kwargs["pk"]
            )
            self.dari = self.profil.user
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "dari": self.dari, "viewer": self.request.user}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ppks, kasus = sisa_dampingan(self.dari)
        ctx.update(profil=self.profil, akun=self.dari, sisa_ppks=ppks, sisa_kasus=kasus)
        ctx["wilayah"] = kelurahan_akun([self.dari.pk]).get(self.dari.pk, [])
        return ctx

    def post(self, request, *args, **kwargs):
        if request.POST.get("aksi") == "nonaktifkan":
            return self._nonaktifkan()
        return super().post(request, *args, **kwargs)

    def _nonaktifkan(self):
        ppks, kasus = sisa_dampingan(self.dari)
        if ppks or kasus:
            messages.error(
                self.request,
                _(
                    "Akun belum dapat dinonaktifkan: masih mendampingi %(ppks)s PPKS dan %(kasus)s kasus terbuka. "
                    "Alihkan dulu."
                )
                % {"ppks": ppks, "kasus": kasus},
            )
            return redirect("psm:alihkan", pk=self.profil.pk)
        psm_nonaktifkan(user=self.dari, oleh=self.request.user)
        messages.success(self.request, _("Akun PSM %(nama)s dinonaktifkan.") % {"nama": self.profil.nama})
        return redirect(self.profil)

    def form_valid(self, form):
        data = form.cleaned_data
        ke = data["ke"]
        ppks_ids = None if data["semua"] else [p.pk for p in data["ppks"]]
        kasus_ids = None if data["semua"] else [k.pk for k in data["kasus"]]
        jumlah = None
        with galat_ke_form(form):
            jumlah = psm_alihkan(
                dari=self.dari, ke=ke, oleh=self.request.user, catatan=data["catatan"],
                ppks_ids=ppks_ids, kasus_ids=kasus_ids,
            )  # fmt: skip
            if data["nonaktifkan"]:
                ppks, kasus = sisa_dampingan(self.dari)
                if ppks or kasus:
                    raise ValidationError(
                        _(
                            "Akun tidak dinonaktifkan dan tidak ada yang dialihkan: masih tersisa %(ppks)s PPKS dan "
                            "%(kasus)s kasus terbuka. Alihkan semuanya, atau hapus centang nonaktifkan."
                        )
                        % {"ppks": ppks, "kasus": kasus}
                    )
                psm_nonaktifkan(user=self.dari, oleh=self.request.user)
        if form.errors:
            return self.form_invalid(form)
        pesan = _("%(ppks)s PPKS dan %(kasus)s kasus terbuka dialihkan dari %(dari)s ke %(ke)s.") % {
            "ppks": jumlah["ppks"],
            "kasus": jumlah["kasus"],
            "dari": self.profil.nama,
            "ke": nama_pengguna(ke),
        }
        if data["nonaktifkan"]:
            pesan += " " + _("Akun %(nama)s dinonaktifkan.") % {"nama": self.profil.nama}
        messages.success(self.request, pesan)
        return redirect(self.profil)


class RekapIkrarView(LoginRequiredMixin, TemplateView):
    """Who accepted which version of the pledge, and when; who has not accepted the current one."""

    template_name = "psm/staf_ikrar.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        terkini = Ikrar.terkini()
        akun = list(akun_psm().filter(is_active=True).select_related("profil_psm").order_by("username", "id"))
        ids = [u.pk for u in akun]
        terakhir, wilayah = ikrar_terakhir(ids), kelurahan_akun(ids)
        for u in akun:
            u.persetujuan = terakhir.get(u.pk)
            u.wilayah = wilayah.get(u.pk, [])
            u.sudah = terkini is None or (u.persetujuan is not None and u.persetujuan.ikrar_id == terkini.pk)
        ctx.update(
            terkini=terkini,
            versi=list(Ikrar.objects.annotate(jumlah=Count("persetujuan")).order_by("-versi")),
            belum=[u for u in akun if not u.sudah],
            sudah=[u for u in akun if u.sudah],
        )
        return ctx


class CakupanView(LoginRequiredMixin, TemplateView):
    template_name = "psm/staf_cakupan.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        grup = cakupan(self.request.user)
        ctx["kecamatan"] = grup
        ctx["tanpa_psm"] = [b.kelurahan for g in grup for b in g.baris if b.tanpa_psm]
        ctx["hari_ppks"] = interval_hari("ppks")
        ctx["hari_miskin"] = interval_hari("miskin_ekstrem")
        # The PPKS list filters "not visited for N days" with fixed choices: link only when it matches.
        ctx["filter_terlambat"] = ctx["hari_ppks"] in (30, 60, 90, 180)
        return ctx


URUTAN_BEBAN = {
    "nama": lambda u: (nama_pengguna(u).lower(), u.pk),
    "ppks": lambda u: (u.jumlah_ppks, u.pk),
    "kasus": lambda u: (u.jumlah_kasus, u.pk),
    "kunjungan": lambda u: (u.kunjungan_30, u.pk),
    "terakhir": lambda u: (u.aktivitas_terakhir or timezone.datetime.min.date(), u.pk),
    "terlambat": lambda u: (u.jumlah_ppks_terlambat, u.pk),
}


class BebanKerjaView(LoginRequiredMixin, TemplateView):
    """Caseload per PSM. Sorted in Python over every PSM account (a city has tens to a few hundred
    PSM, each row's figures from grouped queries); the sort keys are a whitelist."""

    template_name = "psm/staf_beban.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        urut = self.request.GET.get("urut", "-terlambat")
        kunci = urut.removeprefix("-")
        if kunci not in URUTAN_BEBAN:
            urut, kunci = "-terlambat", "terlambat"
        semua = self.request.GET.get("nonaktif") == "1"
        qs = akun_psm().select_related("profil_psm").order_by("username", "id")
        akun = list(qs if semua else qs.filter(is_active=True))
        ringkas_psm(akun, self.request.user)
        akun.sort(key=URUTAN_BEBAN[kunci], reverse=urut.startswith("-"))
        kolom = []
        for k, label in (
            ("nama", _("PSM")),
            ("ppks", _("PPKS didampingi")),
            ("kasus", _("Kasus terbuka")),
            ("kunjungan", _("Kunjungan 30 hari")),
            ("terakhir", _("Aktivitas terakhir")),
            ("terlambat", _("PPKS terlambat dikunjungi")),
        ):
            arah = k if urut == f"-{k}" else f"-{k}"
            if k == "nama" and urut != "nama":
                arah = "nama"
            kolom.append({"kunci": k, "label": label, "urut": arah, "aktif": kunci == k, "turun": urut.startswith("-")})
        ctx.update(akun=akun, kolom=kolom, urut=urut, semua=semua, hari_ppks=interval_hari("ppks"))
        return ctx
