from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.views.generic import TemplateView

from penduduk.choices import StatusPenduduk
from penduduk.models import Keluarga, Penduduk
from wilayah.models import Kelurahan


def _hitung(model, **filter_) -> Subquery:
    qs = model.objects.filter(kelurahan=OuterRef("pk"), **filter_).order_by().values("kelurahan")
    return Coalesce(Subquery(qs.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0)


class HomeView(LoginRequiredMixin, TemplateView):
    """One home page; what it shows depends on the role (template branches on ``peran``)."""

    template_name = "akun/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        wilayah = (
            Kelurahan.objects.for_user(user)
            .select_related("kecamatan")
            .annotate(
                jml_penduduk=_hitung(Penduduk, status=StatusPenduduk.HIDUP),
                jml_keluarga=_hitung(Keluarga),
            )
        )
        ctx["wilayah"] = list(wilayah)
        ctx["total_penduduk"] = sum(k.jml_penduduk for k in ctx["wilayah"])
        ctx["total_keluarga"] = sum(k.jml_keluarga for k in ctx["wilayah"])
        per_kecamatan: dict[str, dict[str, int]] = {}
        for k in ctx["wilayah"]:
            baris = per_kecamatan.setdefault(k.kecamatan.nama, {"kelurahan": 0, "penduduk": 0, "keluarga": 0})
            baris["kelurahan"] += 1
            baris["penduduk"] += k.jml_penduduk
            baris["keluarga"] += k.jml_keluarga
        ctx["per_kecamatan"] = per_kecamatan
        ctx["tanpa_nik"] = (
            Penduduk.objects.for_user(user).filter(Q(nik__isnull=True), status=StatusPenduduk.HIDUP).count()
        )
        ctx["terbaru"] = Penduduk.objects.for_user(user).select_related("kelurahan").order_by("-diubah_pada")[:8]
        return ctx


def healthz(request):
    """Liveness and database check for the reverse proxy / monitoring."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
