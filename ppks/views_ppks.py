"""PPKS registry pages (placeholder until the PPKS pages land in this change)."""

from django.http import Http404
from django.views import View


class _Belum(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


PPKSListView = PPKSFormView = PPKSDetailView = _Belum
