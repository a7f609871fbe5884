"""Staff pages of complaints: the list, the complaint page with its actions, the attachment.

Admin, Staf and Pimpinan reach them (the permission map); Pimpinan only reads (403 on every
action). A PSM never does: 403 from the map, and ``Pengaduan.objects.for_user`` answers nothing
for a PSM as a second wall. Actions are POST-only and redirect back to the complaint page with a
message (what a service refuses is shown there, nothing is written).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from akun.akses import Aksi, catat_akses
from akun.daftar import HasilBertingkat
from akun.ekspor import EksporMixin, Kolom, nama_akun
from akun.mixins import FilterListMixin
from akun.permissions import user_boleh
from bantuan.models import Penyaluran
from penduduk.models import BATAS_HASIL_CARI
from pengaduan import services
from pengaduan.forms import (
    BukaForm,
    PengaduanFilterForm,
    PenyaluranForm,
    PSMForm,
    StatusForm,
    TanggapanForm,
    TugaskanForm,
    TutupForm,
)
from pengaduan.lampiran import kenali
from pengaduan.models import Pengaduan
from pengaduan.riwayat import boleh_lihat_pelapor, riwayat_pengaduan


def url_penyaluran(p: Penyaluran) -> str | None:
    try:
        return p.get_absolute_url()
    except NoReverseMatch:  # the distribution pages are another app's; link when they exist
        return None


class PengaduanListView(EksporMixin, FilterListMixin, ListView):
    """Complaints, newest first (index ``pengaduan_urut_idx``), filtered by status, category,
    area and overdue; the count stops at ``BATAS_HASIL_CARI``. Three queries a page."""

    template_name = "pengaduan/pengaduan_list.html"
    # The export reads the whole filtered list (up to EKSPOR_MAKS_BARIS), not the page's count cap.
    nama_ekspor = "pengaduan"
    kolom_ekspor = (
        Kolom("Kode lacak", "kode_lacak"),
        Kolom("Status", "get_status_display"),
        Kolom("Terlambat", lambda p: p.terlambat),
        Kolom("Kategori", "get_kategori_display", lebar=25),
        Kolom("Kecamatan", "kelurahan.kecamatan.nama"),
        Kolom("Kelurahan", "kelurahan.nama"),
        Kolom("Diterima pada", "diterima_pada"),
        Kolom("Batas waktu", "batas_waktu"),
        Kolom("Petugas", lambda p: nama_akun(p.petugas)),
    )

    def get_queryset(self):
        self.filter_form = PengaduanFilterForm(self.request.GET or None)
        qs = Pengaduan.objects.for_user(self.request.user).select_related("kelurahan__kecamatan", "petugas")
        return HasilBertingkat(self.filter_form.filter(qs), batas=BATAS_HASIL_CARI)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["batas_hasil"] = BATAS_HASIL_CARI
        return ctx


class PengaduanDetailView(LoginRequiredMixin, DetailView):
    template_name = "pengaduan/pengaduan_detail.html"
    context_object_name = "pengaduan"

    def get_queryset(self):
        return Pengaduan.objects.for_user(self.request.user).select_related(
            "kelurahan__kecamatan", "petugas", "psm", "kasus", "ditutup_oleh"
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, p = self.request.user, self.object
        penyaluran = list(
            Penyaluran.objects.for_user(user)
            .filter(pengaduan=p)
            .select_related("program", "kelurahan", "pendamping", "keluarga", "penduduk")
            .order_by("-periode", "-id")
        )
        for baris in penyaluran:
            baris.url = url_penyaluran(baris)
        boleh_ubah = user_boleh(user, "pengaduan:tutup")
        ctx.update(
            penyaluran=penyaluran,
            lihat_pelapor=boleh_lihat_pelapor(user),
            boleh_ubah=boleh_ubah,
            riwayat=riwayat_pengaduan(p, user),
            kasus_url=reverse("ppks:kasus-detail", args=[p.kasus_id]) if p.kasus_id else None,
        )
        if boleh_ubah:
            ctx.update(
                form_tugaskan=TugaskanForm(initial={"petugas": p.petugas_id}),
                form_status=StatusForm(dari=p.status),
                form_tutup=TutupForm(initial={"tanggapan_publik": p.tanggapan_publik}),
                form_buka=BukaForm(),
                form_tanggapan=TanggapanForm(initial={"tanggapan_publik": p.tanggapan_publik}),
                form_penyaluran=PenyaluranForm(),
                form_psm=PSMForm(initial={"psm": p.psm_id}),
            )
        return ctx


class _AksiView(LoginRequiredMixin, View):
    """POST a form, call a service, go back to the complaint page with a message."""

    http_method_names = ["post"]
    form_class = None
    pesan_berhasil = ""

    def form(self, pengaduan):
        return self.form_class(self.request.POST)

    def jalankan(self, pengaduan: Pengaduan, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, pk):
        pengaduan = get_object_or_404(Pengaduan.objects.for_user(request.user), pk=pk)
        form = self.form(pengaduan)
        if form.is_valid():
            try:
                with transaction.atomic():
                    self.jalankan(pengaduan, form.cleaned_data)
            except ValidationError as exc:
                for pesan in exc.messages:
                    messages.error(request, pesan)
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, self.pesan_berhasil)
        else:
            for galat in form.errors.values():
                for pesan in galat:
                    messages.error(request, pesan)
        return redirect(pengaduan.get_absolute_url())


class TugaskanView(_AksiView):
    form_class = TugaskanForm
    pesan_berhasil = _("Petugas disimpan.")

    def jalankan(self, pengaduan, data):
        services.pengaduan_tugaskan(pengaduan=pengaduan, petugas=data["petugas"], oleh=self.request.user)


class StatusView(_AksiView):
    pesan_berhasil = _("Status diubah.")

    def form(self, pengaduan):
        return StatusForm(self.request.POST, dari=pengaduan.status)

    def jalankan(self, pengaduan, data):
        services.pengaduan_ubah_status(pengaduan=pengaduan, status=data["status"], oleh=self.request.user)


class TutupView(_AksiView):
    form_class = TutupForm
    pesan_berhasil = _("Pengaduan ditutup.")

    def jalankan(self, pengaduan, data):
        services.pengaduan_tutup(
            pengaduan=pengaduan,
            status=data["status"],
            resolusi=data["resolusi"],
            tanggapan_publik=data["tanggapan_publik"],
            oleh=self.request.user,
        )


class BukaView(_AksiView):
    form_class = BukaForm
    pesan_berhasil = _("Pengaduan dibuka kembali.")

    def jalankan(self, pengaduan, data):
        services.pengaduan_buka_kembali(pengaduan=pengaduan, alasan=data["alasan"], oleh=self.request.user)


class TanggapanView(_AksiView):
    form_class = TanggapanForm
    pesan_berhasil = _("Tanggapan untuk pelapor disimpan.")

    def jalankan(self, pengaduan, data):
        services.pengaduan_tanggapi(
            pengaduan=pengaduan, tanggapan_publik=data["tanggapan_publik"], oleh=self.request.user
        )


class PSMView(_AksiView):
    form_class = PSMForm
    pesan_berhasil = _("PSM terkait disimpan.")

    def jalankan(self, pengaduan, data):
        services.pengaduan_tautkan_psm(pengaduan=pengaduan, psm=data["psm"], oleh=self.request.user)


class PenyaluranTautkanView(_AksiView):
    form_class = PenyaluranForm
    pesan_berhasil = _("Penyaluran ditautkan.")

    def jalankan(self, pengaduan, data):
        services.pengaduan_tautkan_penyaluran(
            pengaduan=pengaduan, penyaluran_id=data["penyaluran"], oleh=self.request.user
        )


class PenyaluranLepasView(_AksiView):
    form_class = PenyaluranForm
    pesan_berhasil = _("Tautan penyaluran dilepas.")

    def jalankan(self, pengaduan, data):
        services.pengaduan_lepas_penyaluran(
            pengaduan=pengaduan, penyaluran_id=data["penyaluran"], oleh=self.request.user
        )


class LampiranView(LoginRequiredMixin, View):
    """The attachment from private storage, re-checked by content before it is served: an image
    inline with its own type, a PDF as a download; never as HTML, never sniffed."""

    def get(self, request, pk):
        pengaduan = get_object_or_404(Pengaduan.objects.for_user(request.user), pk=pk)
        if not pengaduan.lampiran:
            raise Http404
        try:
            berkas = pengaduan.lampiran.open("rb")
        except OSError:
            raise Http404 from None
        jenis = kenali(berkas)
        if jenis is None:
            berkas.close()
            raise Http404
        catat_akses(request, Aksi.UNDUH_BERKAS, objek=pengaduan, rincian=f"lampiran-{pengaduan.pk}")
        resp = FileResponse(berkas, content_type=jenis.mime)
        cara = "attachment" if jenis.ekstensi == "pdf" else "inline"
        resp["Content-Disposition"] = f'{cara}; filename="pengaduan-{pengaduan.pk}.{jenis.ekstensi}"'
        resp["Cache-Control"] = "private, no-store"
        resp["X-Content-Type-Options"] = "nosniff"
        resp["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return resp
