"""PSM in the back office (DESIGN.md, "Roles and access").

- Profil PSM (+ trainings inline): Admin and Staf view, add and change; Admin deletes. Saved
  through ``psm.services.profil_simpan`` like the site's form.
- Ikrar: Admin adds new versions (the newest is the one every PSM must accept); Staf reads. A
  version somebody has accepted is never changed or deleted: it is the text they agreed to.
- Persetujuan ikrar: read only (made by the PSM on their pledge page).
- Kunjungan: read only (recorded on the site); photos are personal data served by a scoped view,
  never shown here.
- Import/export (xlsx, csv, ``psm.resources``): Profil PSM is imported by Admin and Staf
  (matched by username, through ``psm.services``); the rest is export only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from akun.admin_base import (
    AKSES_REGISTRI,
    HANYA_ADMIN,
    PENGELOLA,
    Akses,
    FilterRelasiTerbatas,
    PeranAdminMixin,
    RiwayatAdmin,
)
from akun.admin_iex import EksporMixin, ImporEksporMixin
from akun.models import User
from akun.roles import Peran
from penduduk.forms import NomorIndukField
from psm import services
from psm.models import Ikrar, Kunjungan, Pelatihan, PersetujuanIkrar, ProfilPSM
from psm.resources import IkrarResource, KunjunganResource, PersetujuanIkrarResource, ProfilPSMResource

TIDAK_ADA = frozenset()
AKSES_IKRAR = Akses(lihat=PENGELOLA, tambah=HANYA_ADMIN, ubah=HANYA_ADMIN, hapus=HANYA_ADMIN)
AKSES_BACA = Akses(lihat=PENGELOLA, tambah=TIDAK_ADA, ubah=TIDAK_ADA, hapus=TIDAK_ADA)


class PelatihanInline(PeranAdminMixin, admin.TabularInline):
    akses = AKSES_REGISTRI
    model = Pelatihan
    extra = 1
    fields = ["nama", "penyelenggara", "tanggal"]


class ProfilPSMAdminForm(forms.ModelForm):
    nik = NomorIndukField(label=_("NIK"), required=False)

    class Meta:
        model = ProfilPSM
        fields = [
            "user", "nik", "nama", "telepon", "nomor_sk", "tanggal_sk", "aktif_mulai", "aktif_sampai",
            "koordinator", "kelurahan_utama",
        ]  # fmt: skip

    def clean(self):
        # The service's area rule, checked while validating: a refusal is a message, not a 500.
        data = super().clean()
        user = data.get("user") or getattr(self.instance, "user", None)
        kel = data.get("kelurahan_utama")
        if user is not None and kel is not None and kel.pk not in user.kelurahan_ids():
            self.add_error("kelurahan_utama", _("Kelurahan utama harus salah satu kelurahan wilayah kerja akun."))
        return data


@admin.register(ProfilPSM)
class ProfilPSMAdmin(ImporEksporMixin, RiwayatAdmin):
    akses = AKSES_REGISTRI
    resource_classes = [ProfilPSMResource]
    form = ProfilPSMAdminForm
    inlines = [PelatihanInline]
    list_display = [
        "nama", "user", "kelurahan_utama", "telepon", "nomor_sk", "koordinator", "aktif_mulai", "aktif_sampai",
    ]  # fmt: skip
    list_select_related = ["user", "kelurahan_utama"]
    list_filter = ["koordinator", ("kelurahan_utama", FilterRelasiTerbatas)]
    search_fields = ["nama", "=user__username", "nomor_sk"]
    search_help_text = _("Cari dengan nama, nama pengguna (lengkap) atau nomor SK.")
    readonly_fields = ["dibuat_pada", "diubah_pada"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(peran=Peran.PSM, is_superuser=False).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.profil_simpan(profil=obj, oleh=request.user)

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            services.pelatihan_simpan(pelatihan=obj, oleh=request.user)
        for obj in formset.deleted_objects:
            services.pelatihan_hapus(pelatihan=obj, oleh=request.user)

    def delete_model(self, request, obj):
        obj._history_user = request.user
        super().delete_model(request, obj)


class IkrarAdminForm(forms.ModelForm):
    class Meta:
        model = Ikrar
        fields = ["versi", "judul", "teks", "berlaku_sejak"]
        widgets = {"teks": forms.Textarea(attrs={"rows": 14, "cols": 90})}


@admin.register(Ikrar)
class IkrarAdmin(EksporMixin, RiwayatAdmin):
    akses = AKSES_IKRAR
    resource_classes = [IkrarResource]
    form = IkrarAdminForm
    list_display = ["versi", "judul", "berlaku_sejak", "jumlah_persetujuan", "dibuat_pada"]
    ordering = ["-versi"]
    readonly_fields = ["dibuat_pada"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(jumlah_persetujuan_=Count("persetujuan"))

    @admin.display(description=_("persetujuan"))
    def jumlah_persetujuan(self, obj: Ikrar) -> int:
        return getattr(obj, "jumlah_persetujuan_", 0)

    def get_changeform_initial_data(self, request):
        awal = super().get_changeform_initial_data(request)
        terkini = Ikrar.terkini()
        awal.setdefault("versi", (Ikrar.objects.aggregate(m=Max("versi"))["m"] or 0) + 1)
        if terkini is not None:
            awal.setdefault("judul", terkini.judul)
            awal.setdefault("teks", terkini.teks)
        return awal

    @staticmethod
    def _sudah_disetujui(obj) -> bool:
        return obj is not None and obj.pk is not None and obj.persetujuan.exists()

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not self._sudah_disetujui(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not self._sudah_disetujui(obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one version at a time, where the check applies
        return actions

    def save_model(self, request, obj, form, change):
        obj.full_clean()
        obj._history_user = request.user
        obj.save()


@admin.register(PersetujuanIkrar)
class PersetujuanIkrarAdmin(EksporMixin, PeranAdminMixin, admin.ModelAdmin):
    akses = AKSES_BACA
    resource_classes = [PersetujuanIkrarResource]
    list_display = ["user", "ikrar", "disetujui_pada"]
    list_select_related = ["user", "ikrar"]
    list_filter = ["ikrar"]
    search_fields = ["=user__username"]
    search_help_text = _("Cari dengan nama pengguna (lengkap).")


@admin.register(Kunjungan)
class KunjunganAdmin(EksporMixin, RiwayatAdmin):
    akses = AKSES_BACA
    resource_classes = [KunjunganResource]
    list_display = ["tanggal", "oleh", "subjek_ringkas", "kelurahan", "perlu_tindak_lanjut"]
    list_select_related = ["oleh", "kelurahan", "penduduk", "keluarga", "kasus"]
    list_filter = ["perlu_tindak_lanjut", ("kelurahan", FilterRelasiTerbatas)]
    sortable_by = ["tanggal"]
    search_fields = ["=oleh__username"]
    search_help_text = _("Cari dengan nama pengguna PSM/petugas (lengkap).")
    # The photo is personal data with its own scoped view: not shown in the back office.
    fields = [
        "oleh", "tanggal", "penduduk", "keluarga", "kasus", "kelurahan", "temuan", "kebutuhan",
        "perlu_tindak_lanjut", "tindak_lanjut", "dibuat_pada",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("yang dikunjungi"))
    def subjek_ringkas(self, obj: Kunjungan) -> str:
        if obj.penduduk_id:
            return obj.penduduk.nama
        if obj.keluarga_id:
            return _("Keluarga · %(alamat)s") % {"alamat": obj.keluarga.alamat}
        return obj.kasus.nomor if obj.kasus_id else "—"
