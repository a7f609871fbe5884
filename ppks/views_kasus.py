"""Case pages (placeholder until the case pages land in this change)."""

from django.http import Http404
from django.views import View


class _Belum(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


PapanKasusView = KasusListView = KasusFormView = KasusDetailView = KasusStatusView = _Belum
KasusBukaKembaliView = TindakanView = RujukanView = RujukanStatusView = NotifikasiBacaView = _Belum
