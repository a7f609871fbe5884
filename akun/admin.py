"""User accounts in the back office: Admin only (DESIGN.md, "Users, reference data")."""

from __future__ import annotations

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields as iex_fields

from akun.admin_base import AKSES_HANYA_ADMIN, HANYA_ADMIN, Akses, FilterRelasiTerbatas, PeranAdminMixin, RiwayatAdmin
from akun.admin_iex import EksporMixin
from akun.models import LogAkses, User
from akun.resources import (
    LogGagalMasukResource,
    LogMasukResource,
    PenggunaResource,
    PercobaanMasukResource,
    SumberDayaDasar,
)


class HanyaBacaMixin:
    """A back-office page that shows and exports, and never adds, changes or deletes (logs)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class WilayahPenggunaMixin:
    """A PSM needs at least one kelurahan (``User.validate_wilayah``), checked before saving."""

    def clean(self):
        data = super().clean()
        if "peran" in self.fields and "kelurahan" in self.fields:
            calon = User(
                peran=data.get("peran") or self.instance.peran,
                is_superuser=data.get("is_superuser", self.instance.is_superuser),
            )
            try:
                calon.validate_wilayah(data.get("kelurahan"))
            except ValidationError as e:
                self.add_error(None, e)
        return data


class PenggunaTambahForm(WilayahPenggunaMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["username"]


class PenggunaUbahForm(WilayahPenggunaMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = [
            "username", "password", "first_name", "last_name", "email", "telepon",
            "peran", "kelurahan", "is_active", "is_superuser",
        ]  # fmt: skip


_PERAN_DAN_WILAYAH = (
    _("Peran dan wilayah kerja"),
    {
        "fields": ["peran", "kelurahan"],
        "description": _(
            "Akses ditentukan oleh peran. PSM wajib memiliki minimal satu kelurahan; "
            "Admin, Staf Dinsos dan Pimpinan melihat seluruh kota."
        ),
    },
)


@admin.register(User)
class PenggunaAdmin(EksporMixin, RiwayatAdmin, DjangoUserAdmin):
    """Django's UserAdmin (password hashing, password change page) with role and kelurahan.

    Group and model permissions are left out of the form: access follows the role alone.
    Export only (``akun.resources.PenggunaResource``, no password hash): accounts and passwords
    are never imported from a spreadsheet.
    """

    akses = AKSES_HANYA_ADMIN
    resource_classes = [PenggunaResource]
    form = PenggunaUbahForm
    add_form = PenggunaTambahForm
    list_display = ["username", "nama_lengkap", "peran", "daftar_kelurahan", "is_active", "last_login"]
    list_filter = ["peran", "is_active", "is_superuser", ("kelurahan", FilterRelasiTerbatas)]
    search_fields = ["username", "first_name", "last_name", "email", "telepon"]
    autocomplete_fields = ["kelurahan"]
    filter_horizontal = []
    readonly_fields = ["last_login", "date_joined"]
    date_hierarchy = "date_joined"
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Data pribadi"), {"fields": ["first_name", "last_name", "email", "telepon"]}),
        _PERAN_DAN_WILAYAH,
        (_("Status akun"), {"fields": ["is_active", "is_superuser"]}),
        (_("Tanggal penting"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "usable_password", "password1", "password2"]}),
        (_("Data pribadi"), {"fields": ["first_name", "last_name", "email", "telepon"]}),
        _PERAN_DAN_WILAYAH,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("kelurahan")

    @admin.display(description=_("nama"), ordering="first_name")
    def nama_lengkap(self, obj: User) -> str:
        return obj.get_full_name()

    @admin.display(description=_("kelurahan wilayah kerja"))
    def daftar_kelurahan(self, obj: User) -> str:
        # From the prefetch: one query for the whole page, not one per row.
        return ", ".join(k.nama for k in obj.kelurahan.all())


# Access follows the role, so Django's groups are not used: hide them rather than half-use them.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


# django-axes: Admin reads the login logs and unlocks an account by deleting its failed attempts.
# Re-registered with role access; Django's model permissions would hide them from a non-superuser Admin.
AKSES_LOG_MASUK = Akses(lihat=HANYA_ADMIN, tambah=frozenset(), ubah=frozenset(), hapus=frozenset())


class PercobaanMasukAdmin(EksporMixin, PeranAdminMixin, axes_admin.AccessAttemptAdmin):
    resource_classes = [PercobaanMasukResource]
    akses = Akses(lihat=HANYA_ADMIN, tambah=frozenset(), ubah=frozenset(), hapus=HANYA_ADMIN)


class LogMasukAdmin(EksporMixin, PeranAdminMixin, axes_admin.AccessLogAdmin):
    resource_classes = [LogMasukResource]
    akses = AKSES_LOG_MASUK


class LogGagalMasukAdmin(EksporMixin, PeranAdminMixin, axes_admin.AccessFailureLogAdmin):
    resource_classes = [LogGagalMasukResource]
    akses = AKSES_LOG_MASUK


for _model, _model_admin in [
    (AccessAttempt, PercobaanMasukAdmin),
    (AccessLog, LogMasukAdmin),
    (AccessFailureLog, LogGagalMasukAdmin),
]:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _model_admin)


# django-tasks' database backend (the job queue of the import): Admin reads the job rows; nobody
# writes them here. Re-registered with role access like the login logs above.
if django_apps.is_installed("django_tasks_db"):
    from django_tasks_db.admin import DBTaskResultAdmin
    from django_tasks_db.models import DBTaskResult

    from akun.resources import resource_log

    TugasLatarResource = resource_log(
        DBTaskResult._meta.label,
        ("id", "task_path", "status", "queue_name", "priority", "enqueued_at", "started_at", "finished_at"),
    )

    class TugasLatarAdmin(HanyaBacaMixin, EksporMixin, PeranAdminMixin, DBTaskResultAdmin):
        akses = AKSES_LOG_MASUK
        resource_classes = [TugasLatarResource]

    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)
    admin.site.register(DBTaskResult, TugasLatarAdmin)


# The access log of personal data (UU PDP, ``akun.akses``): Admin reads and exports it (an audit or a
# breach report); nobody adds, changes or deletes a row here (append-only, also refused by the model).
_KOLOM_LOG_AKSES = (
    "id", "waktu", "nama_pengguna", "peran", "user_id", "aksi", "penduduk_id", "jenis_objek", "objek_id",
    "nama_url", "rincian", "alamat_ip",
)  # fmt: skip


class LogAksesResource(SumberDayaDasar):
    """Export only. The ids are written as stored (the person or account may since be deleted)."""

    user_id = iex_fields.Field(attribute="user_id", column_name="user_id")
    penduduk_id = iex_fields.Field(attribute="penduduk_id", column_name="penduduk_id")

    class Meta:
        model = LogAkses
        fields = _KOLOM_LOG_AKSES
        export_order = _KOLOM_LOG_AKSES


class LogAksesAdmin(HanyaBacaMixin, EksporMixin, PeranAdminMixin, admin.ModelAdmin):
    akses = AKSES_LOG_MASUK
    resource_classes = [LogAksesResource]
    list_display = ["waktu", "nama_pengguna", "peran", "aksi", "penduduk_id", "jenis_objek", "objek_id", "nama_url"]
    list_filter = ["aksi", "peran"]
    fields = [
        "waktu", "nama_pengguna", "peran", "user_id", "aksi", "penduduk_id", "jenis_objek", "objek_id",
        "nama_url", "rincian", "alamat_ip",
    ]  # fmt: skip
    readonly_fields = fields
    ordering = ["-waktu", "-id"]
    list_per_page = 50

    def get_actions(self, request):
        return {}  # no "delete selected"


admin.site.register(LogAkses, LogAksesAdmin)
