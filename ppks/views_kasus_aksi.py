"""The POST-only actions of a case's detail page: add an action, change the status, reopen, refer,
update a referral; and marking an alert as read.

Each finds its record through ``for_user`` (out of area: 404), goes through the service, and turns
what the service refuses into an error message in Bahasa Indonesia, with nothing written. Pimpinan
never gets here: the permission map answers 403 before the view runs.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from penduduk.views import galat_ke_form
from ppks.choices import StatusKasus
from ppks.forms_kasus import BukaKembaliForm, RujukanForm, RujukanStatusForm, StatusForm, TindakanForm
from ppks.models import Kasus, Notifikasi, Rujukan
from ppks.services import kasus_buka_kembali, kasus_ubah_status, rujukan_buat, rujukan_ubah_status, tindakan_catat


def _pesan_galat(request, form) -> None:
    """Every error of ``form`` as one message (the form itself is not shown again)."""
    teks = [str(e) for e in form.non_field_errors()]
    for nama, galat in form.errors.items():
        if nama != "__all__":
            label = form.fields[nama].label if nama in form.fields else nama
            teks.extend(f"{label}: {e}" for e in galat)
    messages.error(request, _("Belum tersimpan. %(galat)s") % {"galat": " ".join(teks)})


class _AksiKasusView(LoginRequiredMixin, View):
    """POST a small form about one case; redirect back to the case page (at ``jangkar``).

    With ``tampil_ulang``, a refused form is shown again on the case page with what was typed
    (a long action report typed on a phone is not lost); otherwise the refusal is a message.
    """

    http_method_names = ["post"]
    form_class = None
    jangkar = ""
    tampil_ulang = False
    nama_form = ""

    def ambil_kasus(self, pk) -> Kasus:
        return get_object_or_404(Kasus.objects.for_user(self.request.user), pk=pk)

    def jalankan(self, kasus: Kasus, data: dict) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError

    def buat_form(self, kasus: Kasus):
        return self.form_class(self.request.POST)

    def post(self, request, pk):
        kasus = self.ambil_kasus(pk)
        form = self.buat_form(kasus)
        pesan = ""
        if form.is_valid():
            with galat_ke_form(form):
                pesan = self.jalankan(kasus, form.cleaned_data)
        if form.errors:
            _pesan_galat(request, form)
            if self.tampil_ulang:
                return self.tampilkan_kasus(kasus.pk, form)
        else:
            messages.success(request, pesan)
        return redirect(f"{kasus.get_absolute_url()}#{self.jangkar}" if self.jangkar else kasus.get_absolute_url())

    def tampilkan_kasus(self, pk, form):
        from ppks.views_kasus import KasusDetailView

        detail = KasusDetailView()
        detail.setup(self.request, pk=pk)
        detail.object = detail.get_object()
        return detail.render_to_response(detail.get_context_data(object=detail.object, **{self.nama_form: form}))


class TindakanView(_AksiKasusView):
    form_class = TindakanForm
    jangkar = "lini-masa"
    tampil_ulang = True
    nama_form = "form_tindakan"

    def buat_form(self, kasus):
        return TindakanForm(self.request.POST, auto_id="tindakan_%s")

    def jalankan(self, kasus, data):
        tindakan_catat(
            kasus=kasus, oleh=self.request.user, jenis=data["jenis"], uraian=data["uraian"], waktu=data["waktu"]
        )
        return _("Tindakan tercatat.")


class KasusStatusView(_AksiKasusView):
    form_class = StatusForm
    jangkar = "status"

    def jalankan(self, kasus, data):
        kasus = kasus_ubah_status(kasus=kasus, oleh=self.request.user, status=data["status"], alasan=data["alasan"])
        return _("Status kasus %(nomor)s sekarang: %(status)s.") % {
            "nomor": kasus.nomor,
            "status": StatusKasus(kasus.status).label,
        }


class KasusBukaKembaliView(_AksiKasusView):
    form_class = BukaKembaliForm
    jangkar = "status"

    def jalankan(self, kasus, data):
        kasus = kasus_buka_kembali(kasus=kasus, oleh=self.request.user, alasan=data["alasan"])
        return _("Kasus %(nomor)s dibuka kembali (status: %(status)s).") % {
            "nomor": kasus.nomor,
            "status": StatusKasus(kasus.status).label,
        }


class RujukanView(_AksiKasusView):
    form_class = RujukanForm
    jangkar = "rujukan"
    tampil_ulang = True
    nama_form = "form_rujukan"

    def buat_form(self, kasus):
        return RujukanForm(self.request.POST, auto_id="rujukan_%s", instance=Rujukan(kasus=kasus))

    def jalankan(self, kasus, data):
        rujukan = Rujukan(kasus=kasus, **data)
        rujukan_buat(rujukan=rujukan, oleh=self.request.user)
        return _("Rujukan ke %(lembaga)s tercatat.") % {"lembaga": rujukan.nama_lembaga}


class RujukanStatusView(_AksiKasusView):
    """Update a referral's status (the URL names the referral; its case must be in the area)."""

    form_class = RujukanStatusForm
    jangkar = "rujukan"

    def ambil_kasus(self, pk) -> Kasus:
        self.rujukan = get_object_or_404(Rujukan.objects.for_user(self.request.user).select_related("kasus"), pk=pk)
        return self.rujukan.kasus

    def jalankan(self, kasus, data):
        rujukan = rujukan_ubah_status(
            rujukan=self.rujukan, oleh=self.request.user, status=data["status"], catatan=data["catatan"]
        )
        return _("Rujukan ke %(lembaga)s: %(status)s.") % {
            "lembaga": rujukan.nama_lembaga,
            "status": rujukan.get_status_display(),
        }


class NotifikasiBacaView(LoginRequiredMixin, View):
    """Mark one of the user's own alerts as read and open its case (another user's alert: 404)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        notifikasi = get_object_or_404(Notifikasi.objects.select_related("kasus"), pk=pk, pengguna=request.user)
        Notifikasi.objects.filter(pk=notifikasi.pk, dibaca_pada__isnull=True).update(dibaca_pada=timezone.now())
        return redirect(notifikasi.kasus)
