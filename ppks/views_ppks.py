"""PPKS registry pages: list with counts per jenis, detail, registration form.

Every queryset starts from ``PPKS.objects.terlihat_oleh(user)`` (``for_user`` plus: Pimpinan never
sees a sensitive jenis beside a name). Out of area is 404; Pimpinan's 403 on writes comes from the
permission map.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from akun.akses import catat_lihat, catat_lihat_daftar
from akun.daftar import HasilBertingkat
from akun.ekspor import EksporMixin, Kolom, nama_akun
from akun.mixins import FilterListMixin
from akun.parameter import id_wajib
from akun.riwayat import riwayat
from penduduk.models import BATAS_HASIL_CARI, Keluarga, Penduduk
from penduduk.views import galat_ke_form
from ppks.choices import Kebutuhan, StatusPPKS
from ppks.forms_ppks import PilihPendudukForm, PPKSFilterForm, PPKSForm
from ppks.models import PPKS, JenisPPKS, Kasus
from ppks.services import ppks_simpan


@dataclass
class JumlahJenis:
    jenis: JenisPPKS
    jumlah: int
    url: str | None  # None: a count only (a sensitive jenis for Pimpinan)
    terpilih: bool = False


def _hari_sejak(ppks: PPKS, hari_ini) -> int | None:
    return (hari_ini - ppks.terakhir_dikunjungi).days if ppks.terakhir_dikunjungi else None


class PPKSListView(EksporMixin, FilterListMixin, ListView):
    template_name = "ppks/ppks_list.html"
    # Rows from ``terlihat_oleh``: Pimpinan's export holds no sensitive jenis, as the page.
    nama_ekspor = "ppks"
    kolom_ekspor = (
        Kolom("Nama", "penduduk.nama", lebar=30),
        Kolom.nomor("NIK", "penduduk.nik"),
        Kolom("L/P", "penduduk.jenis_kelamin"),
        Kolom.lahir("penduduk.tanggal_lahir"),
        Kolom("Jenis PPKS", "jenis.nama", lebar=30),
        Kolom("Status", "get_status_display"),
        Kolom("Kebutuhan", "get_kebutuhan_display", lebar=30),
        Kolom("Kecamatan", "penduduk.kelurahan.kecamatan.nama"),
        Kolom("Kelurahan", "penduduk.kelurahan.nama"),
        Kolom("PSM pendamping", lambda p: nama_akun(p.psm_pendamping)),
        Kolom("Kunjungan terakhir", "terakhir_dikunjungi"),
        Kolom("Hari sejak kunjungan", "hari_sejak_kunjungan"),
    )

    def get_queryset(self):
        user = self.request.user
        self.filter_form = PPKSFilterForm(self.request.GET or None, user=user)
        qs = PPKS.objects.terlihat_oleh(user).select_related(
            "penduduk__kelurahan__kecamatan", "jenis", "psm_pendamping"
        )
        qs = self.filter_form.filter(qs)
        # A name search counts up to the cap and asks to narrow (README: bounded counts).
        return HasilBertingkat(qs, batas=BATAS_HASIL_CARI) if self.filter_form.ada_pencarian else qs

    def siapkan_halaman(self, baris: list) -> None:
        hari_ini = timezone.localdate()
        for p in baris:
            p.hari_sejak_kunjungan = _hari_sejak(p, hari_ini)

    def jumlah_per_jenis(self) -> list[JumlahJenis]:
        """Counts per jenis over every filter but the jenis, in one grouped query.

        Pimpinan's counts include the sensitive jenis (counts only: no link, no filter), except
        with a name search: a count beside a searched name would tell that person's jenis.
        """
        user = self.request.user
        form = self.filter_form
        if user.is_pimpinan and not form.ada_pencarian:
            dasar = PPKS.objects.for_user(user)
        else:
            dasar = PPKS.objects.terlihat_oleh(user)
        grup = form.filter_tanpa_jenis(dasar).order_by().values("jenis_id").annotate(n=Count("id"))
        jumlah = {baris["jenis_id"]: baris["n"] for baris in grup}
        terpilih = form._data().get("jenis")
        params = self.request.GET.copy()
        params.pop("page", None)
        hasil = []
        for jenis in JenisPPKS.objects.filter(pk__in=list(jumlah)):
            url = None
            if not (user.is_pimpinan and jenis.sensitif):
                params["jenis"] = str(jenis.pk)
                url = "?" + params.urlencode()
            hasil.append(JumlahJenis(jenis, jumlah[jenis.pk], url, terpilih is not None and terpilih.pk == jenis.pk))
        return hasil

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["jumlah_jenis"] = self.jumlah_per_jenis()
        ctx["ada_jumlah_saja"] = any(j.url is None for j in ctx["jumlah_jenis"])
        ctx["sensitif_tanpa_jumlah"] = self.request.user.is_pimpinan and self.filter_form.ada_pencarian
        params = self.request.GET.copy()
        params.pop("page", None)
        params.pop("jenis", None)
        ctx["url_semua_jenis"] = "?" + params.urlencode()
        ctx["jenis_terpilih"] = self.filter_form._data().get("jenis")
        data = self.filter_form._data()
        ctx["filter_lain_aktif"] = any(
            data.get(k) for k in ("jenis", "status", "belum_dikunjungi", "kecamatan", "kelurahan", "psm")
        )
        # UU PDP access log: the full NIKs and the sensitive jenis beside names on this page, one INSERT.
        baris = ctx["daftar"]
        catat_lihat_daftar(
            self.request, [p.penduduk for p in baris], sensitif_ids={p.penduduk_id for p in baris if p.jenis.sensitif}
        )
        return ctx


def riwayat_ppks(obj: PPKS, user) -> list:
    """``akun.riwayat`` for a registration: needs by their labels, and no sensitive jenis for
    Pimpinan (a registration that once had one shows it as hidden)."""
    entri = riwayat(obj, user)
    label_jenis = str(PPKS._meta.get_field("jenis").verbose_name)
    label_kebutuhan = str(PPKS._meta.get_field("kebutuhan").verbose_name)
    sensitif = (
        set(JenisPPKS.objects.filter(sensitif=True).values_list("nama", flat=True)) if user.is_pimpinan else set()
    )
    label = dict(Kebutuhan.choices)

    def kebutuhan(teks: str) -> str:
        try:
            nilai = ast.literal_eval(teks)
        except (ValueError, SyntaxError):
            return teks
        if not isinstance(nilai, list):
            return teks
        return ", ".join(str(label.get(k, k)) for k in nilai) or "—"

    for e in entri:
        for c in e.perubahan:
            if c.label == label_jenis:
                c.lama, c.baru = (_("(jenis sensitif)") if v in sensitif else v for v in (c.lama, c.baru))
            elif c.label == label_kebutuhan:
                c.lama, c.baru = kebutuhan(c.lama), kebutuhan(c.baru)
    return entri


class PPKSDetailView(LoginRequiredMixin, DetailView):
    template_name = "ppks/ppks_detail.html"
    context_object_name = "ppks"

    def get_queryset(self):
        return PPKS.objects.terlihat_oleh(self.request.user).select_related(
            "penduduk__kelurahan__kecamatan", "jenis", "psm_pendamping"
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        orang = self.object.penduduk
        ctx["penduduk"] = orang
        ctx["keluarga"] = Keluarga.objects.for_user(user).filter(pk=orang.keluarga_id).first()
        ctx["ppks_lain"] = (
            PPKS.objects.terlihat_oleh(user).filter(penduduk=orang).exclude(pk=self.object.pk).select_related("jenis")
        )
        # Pimpinan is never shown which cases concern a named person: a case's summary often says
        # what happened (violence, abuse), whatever its jenis.
        ctx["kasus"] = [] if user.is_pimpinan else Kasus.objects.for_user(user).filter(penduduk=orang)[:20]
        ctx["hari_sejak_kunjungan"] = _hari_sejak(self.object, timezone.localdate())
        ctx["riwayat"] = riwayat_ppks(self.object, user)
        catat_lihat(self.request, orang, sensitif=self.object.jenis.sensitif, objek=self.object)  # UU PDP log
        return ctx


class PPKSFormView(LoginRequiredMixin, FormView):
    """Register (``?penduduk=<id>``, else a person picker first) or edit, through ``ppks_simpan``."""

    template_name = "ppks/ppks_form.html"
    form_class = PPKSForm

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        self.penduduk = None
        if request.user.is_authenticated:
            if "pk" in kwargs:
                self.object = get_object_or_404(
                    PPKS.objects.terlihat_oleh(request.user).select_related("penduduk__kelurahan", "jenis"),
                    pk=kwargs["pk"],
                )
                self.penduduk = self.object.penduduk
            elif "penduduk" in request.GET:
                self.penduduk = get_object_or_404(
                    Penduduk.objects.for_user(request.user).select_related("kelurahan"),
                    pk=id_wajib(request.GET["penduduk"]),
                )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.penduduk is None:
            return self._pilih_penduduk()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.penduduk is None:
            return self._pilih_penduduk()
        return super().post(request, *args, **kwargs)

    def _pilih_penduduk(self):
        form = PilihPendudukForm(self.request.GET if "cari" in self.request.GET else None, user=self.request.user)
        hasil = form.hasil()
        if hasil:
            catat_lihat_daftar(self.request, hasil)  # UU PDP: the results show full NIKs
        return self.render_to_response({"pilih_form": form, "hasil": hasil, "view": self})

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, penduduk=self.penduduk, instance=self.object)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        ctx.update(
            ppks=self.object,
            penduduk=self.penduduk,
            terdaftar=PPKS.objects.terlihat_oleh(self.request.user)
            .aktif()
            .filter(penduduk=self.penduduk)
            .exclude(pk=getattr(self.object, "pk", None))
            .select_related("jenis"),
            buka_selesai=form["status"].value() == StatusPPKS.BUKAN_PPKS
            or bool({"tanggal_selesai", "alasan_selesai"} & set(form.errors)),
        )
        return ctx

    def form_valid(self, form):
        ppks = form.save(commit=False)
        with galat_ke_form(form):
            ppks_simpan(ppks=ppks, oleh=self.request.user)
        if form.errors:
            if not self.object:
                ppks.pk = None
                ppks._state.adding = True
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(nama)s tersimpan sebagai PPKS %(jenis)s.") % {"nama": self.penduduk.nama, "jenis": ppks.jenis.nama},
        )
        return redirect(ppks)
