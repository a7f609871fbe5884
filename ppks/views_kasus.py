"""Rapid-response case pages: the board, the list, the form and the detail page.

Every queryset starts from ``for_user`` (out of area is 404); every write goes through
``ppks.services``; the POST-only actions of the detail page live in ``ppks.views_kasus_aksi``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from akun.akses import catat_lihat
from akun.daftar import HasilBertingkat
from akun.ekspor import EksporMixin, Kolom, nama_akun
from akun.mixins import FilterListMixin
from akun.parameter import id_wajib
from akun.riwayat import riwayat
from penduduk.models import BATAS_HASIL_CARI, Penduduk
from penduduk.views import galat_ke_form
from ppks.alur import BISA_DIBUKA_KEMBALI, BUTUH_ALASAN, TRANSISI
from ppks.choices import StatusKasus, StatusRujukan, Urgensi
from ppks.forms_kasus import (
    BukaKembaliForm,
    KasusFilterForm,
    KasusForm,
    PapanFilterForm,
    RujukanForm,
    TindakanForm,
    TutupForm,
)
from ppks.models import JenisPPKS, Kasus, syarat_terlambat
from ppks.services import kasus_buat, kasus_ubah
from ppks.templatetags.kasus import format_wib, jenis_untuk, waktu_relatif
from ppks.views_kasus_aksi import (  # noqa: F401 (the URLconf finds every case view here)
    KasusBukaKembaliView,
    KasusStatusView,
    NotifikasiBacaView,
    RujukanStatusView,
    RujukanView,
    TindakanView,
)
from ppks.whatsapp import tautan_whatsapp

_KOLOM_KARTU = ("kelurahan", "jenis", "petugas", "psm")
# Kelurahan listed in the board's per-kelurahan box (city-wide roles).
JUMLAH_KELURAHAN_TERATAS = 8

# The buttons of the workflow, in the order a case goes (ditutup has its own form with a reason).
_URUTAN = [StatusKasus.DIVERIFIKASI, StatusKasus.DITANGANI, StatusKasus.DIRUJUK, StatusKasus.SELESAI]
_TOMBOL = {
    StatusKasus.DIVERIFIKASI: gettext_lazy("Verifikasi"),
    StatusKasus.DITANGANI: gettext_lazy("Mulai ditangani"),
    StatusKasus.DIRUJUK: gettext_lazy("Tandai dirujuk"),
    StatusKasus.SELESAI: gettext_lazy("Tandai selesai"),
}


class EksporKasusMixin(EksporMixin):
    """The export of the board and of the case list: the cards' facts, one row per case. The jenis
    reads as the page shows it to the user (``jenis_untuk``: Pimpinan never sees a sensitive one)."""

    nama_ekspor = "kasus"

    def get_kolom_ekspor(self) -> list[Kolom]:
        user = self.request.user
        return [
            Kolom("Nomor", "nomor"),
            Kolom("Ringkasan", "ringkasan", lebar=40),
            Kolom("Jenis PPKS", lambda k: jenis_untuk(k.jenis, user) if k.jenis_id else None, lebar=25),
            Kolom("Kelurahan", "kelurahan.nama"),
            Kolom("Sumber", "get_sumber_display"),
            Kolom("Urgensi", "get_urgensi_display"),
            Kolom("Viral", "viral"),
            Kolom("Status", "get_status_display"),
            Kolom("Dilaporkan", "dibuat_pada"),
            Kolom("Batas respons", "batas_respons"),
            Kolom("Direspons pada", "direspons_pada"),
            Kolom("Terlambat", lambda k: k.terlambat),
            Kolom("PSM", lambda k: nama_akun(k.psm)),
            Kolom("Petugas", lambda k: nama_akun(k.petugas)),
        ]


def _tautan_dengan(params: QueryDict, **ubah) -> str:
    """The board's query string with some values replaced (and the page dropped)."""
    baru = params.copy()
    baru.pop("page", None)
    for kunci, nilai in ubah.items():
        if nilai in (None, ""):
            baru.pop(kunci, None)
        else:
            baru[kunci] = nilai
    return baru.urlencode()


class PapanKasusView(EksporKasusMixin, FilterListMixin, ListView):
    """Open cases, the nearest deadline first (overdue ones therefore on top), with counts."""

    template_name = "ppks/kasus_board.html"
    paginate_by = 30
    nama_ekspor = "kasus-terbuka"

    def get_queryset(self):
        user = self.request.user
        self.filter_form = PapanFilterForm(self.request.GET or None, user=user)
        self.terbuka = Kasus.objects.for_user(user).terbuka()
        # Open cases are few (kasus_terbuka_idx holds only them); the order is total.
        return self.filter_form.filter(self.terbuka).select_related(*_KOLOM_KARTU).urut_papan()

    def _jumlah(self) -> dict:
        """Counts per urgency and overdue, in one grouped query (the urgency filter left out, so the
        chips show what each choice would list)."""
        sekarang = timezone.now()
        return self.filter_form.filter(self.terbuka, dengan_urgensi=False).aggregate(
            semua=Count("id"),
            terlambat=Count("id", filter=syarat_terlambat(sekarang)),
            **{u.value: Count("id", filter=Q(urgensi=u.value)) for u in Urgensi},
        )

    def _per_kelurahan(self) -> list[dict]:
        """The kelurahan with most open cases (city-wide roles), one grouped query."""
        sekarang = timezone.now()
        return list(
            self.terbuka.order_by()
            .values("kelurahan_id", "kelurahan__nama")
            .annotate(n=Count("id"), terlambat=Count("id", filter=syarat_terlambat(sekarang)))
            .order_by("-terlambat", "-n", "kelurahan__nama")[:JUMLAH_KELURAHAN_TERATAS]
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        jumlah = self._jumlah()
        params = self.request.GET
        dipilih = self.filter_form.data_bersih.get("urgensi", "")
        ctx["jumlah"] = jumlah
        ctx["chip_urgensi"] = [
            {
                "nilai": u.value,
                "label": u.label,
                "n": jumlah[u.value],
                "aktif": dipilih == u.value,
                "params": _tautan_dengan(params, urgensi="" if dipilih == u.value else u.value),
            }
            for u in Urgensi
        ]
        ctx["params_terlambat"] = _tautan_dengan(params, terlambat="" if params.get("terlambat") else "on")
        if user.lihat_sekota:
            ctx["per_kelurahan"] = self._per_kelurahan()
        ctx["ada_filter"] = any(params.get(k) for k in ("urgensi", "kecamatan", "kelurahan", "saya", "terlambat"))
        return ctx


class KasusListView(EksporKasusMixin, FilterListMixin, ListView):
    """Every case, newest report first (the model's ordering, kasus_urutan_idx)."""

    template_name = "ppks/kasus_list.html"

    def get_queryset(self):
        self.filter_form = KasusFilterForm(self.request.GET or None, user=self.request.user)
        qs = self.filter_form.filter(Kasus.objects.for_user(self.request.user)).select_related(*_KOLOM_KARTU)
        if self.filter_form.data_bersih.get("q"):
            # A free-text search counts up to the cap and asks to narrow past it (README).
            return HasilBertingkat(qs, batas=BATAS_HASIL_CARI)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["ada_filter"] = any(
            self.request.GET.get(k) for k in ("q", "status", "urgensi", "sumber", "kecamatan", "kelurahan")
        )
        return ctx


class KasusFormView(LoginRequiredMixin, FormView):
    """Report (no pk) or edit a case, through ``kasus_buat`` / ``kasus_ubah``."""

    template_name = "ppks/kasus_form.html"
    form_class = KasusForm

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        self.penduduk = None
        if request.user.is_authenticated:
            if "pk" in kwargs:
                self.object = get_object_or_404(
                    Kasus.objects.for_user(request.user).select_related("kelurahan", "psm", "jenis"), pk=kwargs["pk"]
                )
            elif "penduduk" in request.GET:
                self.penduduk = get_object_or_404(
                    Penduduk.objects.for_user(request.user).select_related("kelurahan"),
                    pk=id_wajib(request.GET["penduduk"]),
                )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, instance=self.object, penduduk=self.penduduk)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["kasus"] = self.object
        # UU PDP access log: the form shows the linked person's NIK (as the viewer may see it) and,
        # on an edit, the case's sensitive jenis, as the case page does.
        kasus = self.object
        sensitif = kasus is not None and kasus.jenis_id is not None and kasus.jenis.sensitif
        catat_lihat(self.request, ctx["form"].penduduk_tampil, sensitif=sensitif, objek=kasus)
        return ctx

    def form_valid(self, form):
        kasus = form.save()
        baru = kasus.pk is None
        with galat_ke_form(form):
            if baru:
                kasus_buat(kasus=kasus, oleh=self.request.user)
            else:
                # kasus_ubah takes the workflow columns (status, clock) from the locked row, so a
                # form opened before someone closed the case cannot put the old status back.
                kasus_ubah(kasus=kasus, oleh=self.request.user, versi=form.versi_dikirim)
        if form.errors:
            if baru:
                kasus.pk = None
                kasus.nomor = None
                kasus._state.adding = True
            return self.form_invalid(form)
        if baru:
            messages.success(
                self.request,
                _("Kasus %(nomor)s tercatat. Batas respons: %(batas)s (%(sisa)s).")
                % {
                    "nomor": kasus.nomor,
                    "batas": format_wib(kasus.batas_respons),
                    "sisa": waktu_relatif(kasus.batas_respons),
                },
            )
        else:
            messages.success(self.request, _("Kasus %(nomor)s tersimpan.") % {"nomor": kasus.nomor})
        return redirect(kasus)


class KasusDetailView(LoginRequiredMixin, DetailView):
    template_name = "ppks/kasus_detail.html"
    context_object_name = "kasus"

    def get_queryset(self):
        return Kasus.objects.for_user(self.request.user).select_related(
            "kelurahan__kecamatan", "jenis", "petugas", "psm", "dibuat_oleh"
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        kasus = self.object
        # Pimpinan reads cases without the identity of the person concerned (name, NIK, age, link):
        # a case's text says what happened, so a name beside it would disclose it (UU PDP).
        ctx["identitas_disembunyikan"] = user.is_pimpinan and kasus.penduduk_id is not None
        ctx["penduduk"] = (
            Penduduk.objects.for_user(user).filter(pk=kasus.penduduk_id).first()
            if kasus.penduduk_id and not user.is_pimpinan
            else None
        )
        ctx["tindakan"] = kasus.tindakan.select_related("oleh")
        ctx["rujukan"] = list(kasus.rujukan.select_related("oleh"))
        boleh = TRANSISI.get(kasus.status, frozenset())
        ctx["tombol_status"] = [(s, _TOMBOL[s]) for s in _URUTAN if s in boleh]
        ctx["boleh_tutup"] = bool(boleh & BUTUH_ALASAN)
        ctx["boleh_buka"] = kasus.status in BISA_DIBUKA_KEMBALI
        # A refused action form comes back bound (ppks.views_kasus_aksi), with what was typed.
        ctx.setdefault("form_tindakan", TindakanForm(auto_id="tindakan_%s"))
        ctx.setdefault("form_tutup", TutupForm(auto_id="tutup_%s"))
        ctx.setdefault("form_buka", BukaKembaliForm(auto_id="buka_%s"))
        ctx.setdefault("form_rujukan", RujukanForm(auto_id="rujukan_%s"))
        ctx["pilihan_status_rujukan"] = StatusRujukan.choices
        ctx["tautan_wa"] = tautan_whatsapp(kasus, self.request.build_absolute_uri(kasus.get_absolute_url()))
        ctx["riwayat"] = _riwayat_kasus(kasus, user)
        # UU PDP access log: the person's NIK, and a sensitive jenis (Pimpinan sees neither).
        sensitif = not user.is_pimpinan and kasus.jenis_id is not None and kasus.jenis.sensitif
        catat_lihat(self.request, ctx["penduduk"], sensitif=sensitif, objek=kasus)
        return ctx


def _riwayat_kasus(kasus: Kasus, user) -> list:
    """The change history; for Pimpinan a sensitive jenis reads "(dirahasiakan)" there too, and the
    person linked to the case is never named."""
    entri = riwayat(kasus, user)
    if not user.is_pimpinan:
        return entri
    label_jenis = str(Kasus._meta.get_field("jenis").verbose_name)
    label_orang = str(Kasus._meta.get_field("penduduk").verbose_name)
    rahasia = set(JenisPPKS.objects.filter(sensitif=True).values_list("nama", flat=True))
    tersamar = _("(dirahasiakan)")
    for e in entri:
        for c in e.perubahan:
            if c.label == label_jenis:
                c.lama = tersamar if c.lama in rahasia else c.lama
                c.baru = tersamar if c.baru in rahasia else c.baru
            elif c.label == label_orang:
                c.lama = tersamar if c.lama != "—" else c.lama
                c.baru = tersamar if c.baru != "—" else c.baru
    return entri
