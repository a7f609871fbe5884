"""A person's access log (UU PDP 27/2022): who saw their full NIK or sensitive data, who downloaded a
file about them, when and from where. Admin and Staf only (the permission map); the person comes
through ``for_user`` like every registry page. Rows are written by ``akun.akses``; the page only
reads them, newest first, with the project's list pattern (``FilterListMixin``, two-way paginator
over the ``(penduduk, -waktu, -id)`` index).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from akun.mixins import FilterListMixin
from akun.models import LogAkses
from penduduk.models import Penduduk

# How the page names the record a row is about (``LogAkses.jenis_objek``).
NAMA_OBJEK = {
    "penduduk.penduduk": _("Penduduk"),
    "penduduk.keluarga": _("Keluarga"),
    "ppks.ppks": _("PPKS"),
    "ppks.kasus": _("Kasus"),
    "psm.kunjungan": _("Kunjungan"),
    "bantuan.konfirmasi": _("Konfirmasi penerimaan"),
    "pengaduan.pengaduan": _("Pengaduan"),
}


class PendudukAksesView(FilterListMixin, ListView):
    template_name = "penduduk/penduduk_akses.html"
    paginate_by = 50
    filter_form = None

    def get_queryset(self):
        self.penduduk = get_object_or_404(
            Penduduk.objects.for_user(self.request.user).select_related("kelurahan"), pk=self.kwargs["pk"]
        )
        return LogAkses.objects.filter(penduduk=self.penduduk).order_by("-waktu", "-id")

    def siapkan_halaman(self, baris: list) -> None:
        for log in baris:
            log.nama_objek = NAMA_OBJEK.get(log.jenis_objek, log.jenis_objek)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["penduduk"] = self.penduduk
        return ctx
