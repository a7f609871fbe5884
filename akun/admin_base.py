"""Role-based access for every ModelAdmin of the back office (DESIGN.md, "Roles and access").

Django's model permissions (``auth.Permission``, groups) are not used: what a user may do in the
admin follows from their role, like everywhere else in the application. Each ModelAdmin declares
``akses = Akses(...)`` (who may view, add, change, delete); querysets and FK choices go through
``Model.objects.for_user(user)``, the one scoping mechanism. The site itself
(``akun.admin_site.BackOfficeSite``) only lets Admin and Staf Dinsos in at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from akun.parameter import id_dari
from akun.roles import PERAN_PENGELOLA, Peran

HANYA_ADMIN = frozenset({Peran.ADMIN})
PENGELOLA = PERAN_PENGELOLA


@dataclass(frozen=True)
class Akses:
    """Which roles may view, add, change and delete one model in the back office.

    ``impor``: who may import a spreadsheet through the admin (``akun.admin_iex``, only for
    ModelAdmins that offer import). By default those who may both add and change, since an
    import does both; set it where rows are written through a service rather than the form.
    """

    lihat: frozenset[str] = HANYA_ADMIN
    tambah: frozenset[str] = HANYA_ADMIN
    ubah: frozenset[str] = HANYA_ADMIN
    hapus: frozenset[str] = HANYA_ADMIN
    impor: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if self.impor is None:
            object.__setattr__(self, "impor", frozenset(self.tambah) & frozenset(self.ubah))
        # Pimpinan and PSM never enter the back office: a declaration naming them is a mistake.
        for aksi in ("lihat", "tambah", "ubah", "hapus", "impor"):
            lebih = set(getattr(self, aksi)) - PERAN_PENGELOLA
            if lebih:
                raise ValueError(f"Akses.{aksi}: peran {sorted(lebih)} tidak boleh masuk back office")


# Users and reference data: "Admin only"; Staf may look reference data up.
AKSES_HANYA_ADMIN = Akses()
AKSES_REFERENSI = Akses(lihat=PENGELOLA)
# The registry: Admin and Staf view, add and change; deleting records with history is Admin's.
AKSES_REGISTRI = Akses(lihat=PENGELOLA, tambah=PENGELOLA, ubah=PENGELOLA, hapus=HANYA_ADMIN)


def peran_dari(request) -> str | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.peran_efektif


def batasi(queryset: models.QuerySet, user) -> models.QuerySet:
    """``queryset.for_user(user)`` when the model takes part in scoping, else unchanged."""
    if hasattr(queryset, "for_user"):
        return queryset.for_user(user)
    return queryset


class ChangeListAman(ChangeList):
    """Django's changelist, with a filter link it cannot compute turned into the admin's "invalid
    filter" notice instead of a 500: a year the database cannot hold (``?dibuat_pada__year=9999``
    overflows the date hierarchy; ``=0`` or ``=10000`` fail when the query is built)."""

    TAHUN = range(1900, 2201)

    def get_filters(self, request):
        for kunci, nilai in self.params.items():
            if kunci.endswith("__year") and (id_dari(str(nilai)) or 0) not in self.TAHUN:
                raise IncorrectLookupParameters(kunci)
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as exc:
            raise IncorrectLookupParameters(exc) from exc

    def get_results(self, request):
        try:
            return super().get_results(request)
        except (ValueError, OverflowError) as exc:
            raise IncorrectLookupParameters(exc) from exc


class PeranAdminMixin:
    """Permissions from ``akses`` and the user's role; querysets and choices through ``for_user``.

    Works for ``ModelAdmin`` and ``InlineModelAdmin`` alike (inlines pass ``obj`` to
    ``has_add_permission``).
    """

    akses: Akses = AKSES_HANYA_ADMIN
    # A changelist counts its rows once (the paginator); Django's second, unfiltered count and
    # the facet counts would each scan a million-row table again.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def _boleh(self, request, aksi: str) -> bool:
        peran = peran_dari(request)
        return peran is not None and peran in getattr(self.akses, aksi)

    def has_module_permission(self, request) -> bool:
        return any(self._boleh(request, aksi) for aksi in ("lihat", "tambah", "ubah", "hapus"))

    def has_view_permission(self, request, obj=None) -> bool:
        # As in Django, whoever may change may also view.
        return self._boleh(request, "lihat") or self._boleh(request, "ubah")

    def has_add_permission(self, request, obj=None) -> bool:
        return self._boleh(request, "tambah")

    def has_change_permission(self, request, obj=None) -> bool:
        return self._boleh(request, "ubah")

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._boleh(request, "hapus")

    def get_queryset(self, request):
        return batasi(super().get_queryset(request), request.user)

    def get_changelist(self, request, **kwargs):
        return ChangeListAman

    def _queryset_pilihan(self, db_field, request, **kwargs):
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(kwargs.get("using"))
        return batasi(queryset, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs["queryset"] = self._queryset_pilihan(db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not db_field.remote_field.through._meta.auto_created:
            return None
        kwargs["queryset"] = self._queryset_pilihan(db_field, request, **kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class FilterRelasiTerbatas(admin.RelatedFieldListFilter):
    """A related-field filter whose choices are scoped with ``for_user`` like everything else."""

    def field_choices(self, field, request, model_admin):
        queryset = batasi(field.related_model._default_manager.all(), request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in queryset]


class RiwayatAdmin(PeranAdminMixin, SimpleHistoryAdmin):
    """Base for models with history: role access plus simple-history's history pages, scoped.

    simple-history looks a record up in the history table when it is missing from
    ``get_queryset`` (to show deleted records), and its per-version page reads the history table
    directly: both would show a record outside the user's area, so they answer 404 for it.
    """

    def _pastikan_dalam_wilayah(self, request, object_id) -> None:
        if self.get_object(request, object_id) is not None:
            return
        try:
            ada = self.model._default_manager.filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            raise Http404 from None
        if ada:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._pastikan_dalam_wilayah(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if id_dari(version_id) is None:
            raise Http404
        self._pastikan_dalam_wilayah(request, object_id)
        # simple-history saves an old version back on POST for anyone who may *view* the record;
        # a revert is a change (and for maker-checker records, a bypass of the service): only with
        # change permission, and never for models whose admin is read-only.
        if request.method == "POST" and not self.has_change_permission(request, self.get_object(request, object_id)):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None) -> bool:
        return not self.has_change_permission(request, obj)
