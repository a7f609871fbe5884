"""Reference data: Admin manages it, Staf Dinsos may look it up (DESIGN.md, "Roles and access").

Import and export (xlsx, csv) through ``wilayah.resources``: Admin imports, Admin and Staf
export. The kelurahan import only updates the official figures of existing kelurahan.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from akun.admin_base import AKSES_REFERENSI, FilterRelasiTerbatas, PeranAdminMixin
from akun.admin_iex import ImporEksporMixin
from wilayah.models import AliasWilayah, Kecamatan, Kelurahan
from wilayah.nama import normalisasi_nama_wilayah
from wilayah.resources import AliasWilayahResource, KecamatanResource, KelurahanResource


@admin.register(Kecamatan)
class KecamatanAdmin(ImporEksporMixin, PeranAdminMixin, admin.ModelAdmin):
    akses = AKSES_REFERENSI
    resource_classes = [KecamatanResource]
    list_display = ["nama", "kode", "kode_bps", "jumlah_kelurahan"]
    search_fields = ["nama", "kode", "kode_bps"]
    ordering = ["kode"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_jumlah_kelurahan=Count("kelurahan", distinct=True))

    @admin.display(description=_("jumlah kelurahan"), ordering="_jumlah_kelurahan")
    def jumlah_kelurahan(self, obj: Kecamatan) -> int:
        return obj._jumlah_kelurahan


@admin.register(Kelurahan)
class KelurahanAdmin(ImporEksporMixin, PeranAdminMixin, admin.ModelAdmin):
    akses = AKSES_REFERENSI
    resource_classes = [KelurahanResource]
    list_display = ["nama", "kecamatan", "kode", "kode_bps", "jumlah_penduduk", "jumlah_kk"]
    # Official population and household figures are typed in here (by Admin; Staf sees them read-only).
    list_editable = ["jumlah_penduduk", "jumlah_kk"]
    list_filter = [("kecamatan", FilterRelasiTerbatas)]
    list_select_related = ["kecamatan"]
    search_fields = ["nama", "kode", "kode_bps", "slug"]
    autocomplete_fields = ["kecamatan"]
    prepopulated_fields = {"slug": ["nama"]}
    ordering = ["kode"]
    fieldsets = [
        (None, {"fields": ["nama", "slug", "kecamatan"]}),
        (_("Kode"), {"fields": ["kode", "kode_bps"]}),
        (_("Jumlah resmi"), {"fields": ["jumlah_penduduk", "jumlah_kk"]}),
    ]


class AliasWilayahForm(forms.ModelForm):
    class Meta:
        model = AliasWilayah
        fields = ["alias", "kelurahan", "kecamatan", "dasar"]

    def clean(self):
        data = super().clean()
        # The database constraint, said in words before it would be a bare constraint error.
        if bool(data.get("kelurahan")) == bool(data.get("kecamatan")):
            raise forms.ValidationError(_("Pilih tepat satu: kelurahan atau kecamatan (tidak keduanya)."))
        # alias_normal is not a form field, so Django's unique check skips it: check here.
        alias = data.get("alias")
        if alias:
            normal = normalisasi_nama_wilayah(alias)
            lain = AliasWilayah.objects.filter(alias_normal=normal).exclude(pk=self.instance.pk).first()
            if lain is not None:
                self.add_error(
                    "alias",
                    _("Nama lain ini sudah terdaftar: %(alias)s.") % {"alias": lain},
                )
        return data


class JenisWilayahFilter(admin.SimpleListFilter):
    title = _("nama lain untuk")
    parameter_name = "untuk"

    def lookups(self, request, model_admin):
        return [("kelurahan", _("Kelurahan")), ("kecamatan", _("Kecamatan"))]

    def queryset(self, request, queryset):
        if self.value() == "kelurahan":
            return queryset.filter(kelurahan__isnull=False)
        if self.value() == "kecamatan":
            return queryset.filter(kecamatan__isnull=False)
        return queryset


@admin.register(AliasWilayah)
class AliasWilayahAdmin(ImporEksporMixin, PeranAdminMixin, admin.ModelAdmin):
    """``alias_normal`` is computed by the model's ``clean()``, which the admin form's
    ``full_clean`` runs before saving."""

    akses = AKSES_REFERENSI
    resource_classes = [AliasWilayahResource]
    form = AliasWilayahForm
    list_display = ["alias", "kelurahan", "kecamatan", "bentuk_baku"]
    list_filter = [JenisWilayahFilter]
    list_select_related = ["kelurahan", "kecamatan"]
    search_fields = ["alias", "alias_normal", "kelurahan__nama", "kecamatan__nama"]
    autocomplete_fields = ["kelurahan", "kecamatan"]
    readonly_fields = ["bentuk_baku"]
    fields = ["alias", "bentuk_baku", "kelurahan", "kecamatan", "dasar"]

    @admin.display(description=_("bentuk baku (untuk pencocokan nama)"), ordering="alias_normal")
    def bentuk_baku(self, obj: AliasWilayah) -> str:
        return obj.alias_normal
