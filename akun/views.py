from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import LoginView
from django.db import connection
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import resolve
from django.views.generic import TemplateView

from penduduk.choices import StatusPenduduk
from penduduk.models import Keluarga, Penduduk
from ppks.models import Kasus, Notifikasi, syarat_terlambat
from wilayah.models import Kelurahan


class MasukView(LoginView):
    """Django's login, minus its redirect loop: a logged-in user sent to ``?next=/masuk/`` (a
    bookmark, an old tab) was redirected to the login page itself, which Django turns into a 500.
    A ``next`` that points at the login page is dropped, so they land on the home page."""

    def get_redirect_url(self):
        url = super().get_redirect_url()
        if url:
            try:
                if resolve(urlsplit(url).path).url_name == "login":
                    return ""
            except Http404:
                return url
        return url


class HomeView(LoginRequiredMixin, TemplateView):
    """One home page; what it shows depends on the role (template branches on ``peran``).

    The counts are grouped queries over the rows the user may see (``for_user``): one pass over
    each table for all kelurahan at once, never a subquery per kelurahan. ``COUNT(*)``, not
    ``COUNT(id)``: the partial index on kelurahan answers it alone (an index-only scan).
    """

    template_name = "akun/home.html"

    def dispatch(self, request, *args, **kwargs):
        # A PSM's home is their caseload on the phone (psm:beranda, behind the pledge).
        if request.user.is_authenticated and request.user.is_psm:
            return redirect("psm:beranda")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        penduduk = {
            baris["kelurahan"]: baris
            for baris in Penduduk.objects.for_user(user)
            .filter(status=StatusPenduduk.HIDUP)
            .order_by()
            .values("kelurahan")
            .annotate(n=Count("*"))
        }
        keluarga = dict(
            Keluarga.objects.for_user(user)
            .order_by()
            .values("kelurahan")
            .annotate(n=Count("*"))
            .values_list("kelurahan", "n")
        )
        wilayah = list(Kelurahan.objects.for_user(user).select_related("kecamatan"))
        for k in wilayah:
            k.jml_penduduk = penduduk.get(k.pk, {}).get("n", 0)
            k.jml_keluarga = keluarga.get(k.pk, 0)
        ctx["wilayah"] = wilayah
        ctx["total_penduduk"] = sum(k.jml_penduduk for k in wilayah)
        ctx["total_keluarga"] = sum(k.jml_keluarga for k in wilayah)
        # Its own query: the partial index of the living without NIK is tiny, and counting it in
        # the grouped query above would make that one read every row instead of an index.
        ctx["tanpa_nik"] = Penduduk.objects.for_user(user).filter(status=StatusPenduduk.HIDUP, nik__isnull=True).count()
        per_kecamatan: dict[str, dict[str, int]] = {}
        for k in wilayah:
            baris = per_kecamatan.setdefault(k.kecamatan.nama, {"kelurahan": 0, "penduduk": 0, "keluarga": 0})
            baris["kelurahan"] += 1
            baris["penduduk"] += k.jml_penduduk
            baris["keluarga"] += k.jml_keluarga
        ctx["per_kecamatan"] = per_kecamatan
        ctx["terbaru"] = Penduduk.objects.for_user(user).select_related("kelurahan").order_by("-diubah_pada")[:8]
        ctx.update(self._kasus(user))
        return ctx

    @staticmethod
    def _kasus(user) -> dict:
        """Open and overdue cases of the user's area, and the user's unread alerts (check_deadlines)."""
        return HomeView._jumlah_kasus(user) | {"notifikasi": HomeView._notifikasi(user)}

    @staticmethod
    def _jumlah_kasus(user) -> dict:
        """Open and overdue cases of the user's area (one query)."""
        terbuka = Kasus.objects.for_user(user).terbuka()
        jumlah = terbuka.aggregate(terbuka=Count("*"), terlambat=Count("pk", filter=syarat_terlambat()))
        return {"kasus_terbuka": jumlah["terbuka"], "kasus_terlambat": jumlah["terlambat"]}

    @staticmethod
    def _notifikasi(user):
        """The user's ten latest unread alerts on cases of their area (lazy: one query when shown)."""
        return (
            Notifikasi.objects.filter(
                pengguna=user, dibaca_pada__isnull=True, kasus__in=Kasus.objects.for_user(user).values("pk")
            )
            .select_related("kasus__kelurahan")
            .order_by("-dibuat_pada", "-id")[:10]
        )


def healthz(request):
    """Liveness and database check for the reverse proxy / monitoring."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
