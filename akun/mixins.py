"""View mixins every app's list pages use (see ``akun.daftar`` for the pagination underneath)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin

from akun.daftar import PaginatorDuaArah


class FilterListMixin(LoginRequiredMixin):
    """A paginated list with a filter form; keeps the filter in the pagination links.

    ``siapkan_halaman`` does the work for the rows shown (summaries) once per page, in one
    query, never as a subquery evaluated for every row of the list.
    """

    paginate_by = 25
    paginator_class = PaginatorDuaArah
    context_object_name = "daftar"

    def paginate_queryset(self, queryset, page_size):
        # A stale page number (the list shrank since the link was made) shows the nearest page,
        # not a 404 that reads as "out of your area".
        paginator = self.get_paginator(queryset, page_size)
        nomor = self.request.GET.get(self.page_kwarg)
        page = paginator.get_page(paginator.num_pages if nomor == "last" else nomor)
        page.object_list = list(page.object_list)
        self.siapkan_halaman(page.object_list)
        return paginator, page, page.object_list, page.has_other_pages()

    def siapkan_halaman(self, baris: list) -> None:
        """Per-page work (summaries of the rows shown): one query for the page, never per row."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter_form"] = self.filter_form
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx["params"] = params.urlencode()
        paginator = ctx.get("paginator")
        ctx["terpotong"] = bool(paginator and getattr(paginator.object_list, "terpotong", False))
        return ctx
