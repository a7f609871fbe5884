"""The base of every django-import-export resource of the back office (admin import and export).

Every ``<app>/resources.py`` inherits ``SumberDayaDasar``, so the rules are written once:

- **Export**: text cells that a spreadsheet would run as a formula (starting with ``= + - @``,
  tab, CR or NUL) get a leading apostrophe (DESIGN.md, "Formula injection"), in xlsx and csv
  alike; numbers, dates and booleans stay as they are. NIK and No KK go out as text
  (``NomorTeksWidget``), so an xlsx keeps all 16 digits. The rows are the ModelAdmin's
  ``get_queryset`` (scoped with ``for_user``) with the changelist's filters applied.
- **Import**: rows are matched on natural keys (``import_id_fields``: NIK, No KK, kode, ...)
  among the rows the importing user may see (``get_queryset`` goes through ``for_user``: a row
  outside the user's area is "new", never attached); ``model.full_clean()`` runs
  (``clean_model_instances``); a row equal to what is stored is skipped (``skip_unchanged``), so
  importing the same file twice changes nothing; an apostrophe added by our own export is taken
  off again, so an exported file imports back unchanged. Rows are saved one by one through
  ``simpan`` (the app's service where one exists), never in bulk, so django-simple-history
  records every imported change with the importing user.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from import_export import fields, resources, widgets

from akun.admin_base import batasi
from impor import pengaturan

AWAL_RUMUS = ("=", "+", "-", "@", "\t", "\r", "\0")
# Widgets whose exported value is a number, date or flag: never a formula, never escaped (a
# negative number stays a number).
# The admin import is row by row (about 300 rows/s, DESIGN.md "Known traps"): a larger file goes
# through the import page (impor/), which is built for it.
MAKS_BARIS_IMPOR_ADMIN = 5000
_BUKAN_TEKS = (
    widgets.NumberWidget,
    widgets.DateWidget,
    widgets.DateTimeWidget,
    widgets.TimeWidget,
    widgets.DurationWidget,
    widgets.BooleanWidget,
)


def aman(nilai: object) -> object:
    """A cell value safe to open in a spreadsheet: formula-like text gets a leading apostrophe."""
    if isinstance(nilai, str) and nilai.startswith(AWAL_RUMUS):
        return "'" + nilai
    return nilai


def tanpa_pelindung(nilai: object) -> object:
    """Undo ``aman`` on import: "'=x" read back from one of our exports is "=x" again."""
    if isinstance(nilai, str) and len(nilai) > 1 and nilai[0] == "'" and nilai[1:].startswith(AWAL_RUMUS):
        return nilai[1:]
    return nilai


def baca(attribute: str, column_name: str | None = None, widget=None) -> fields.Field:
    """An export-only column, e.g. ``baca("kelurahan__nama", "kelurahan")``."""
    return fields.Field(
        attribute=attribute, column_name=column_name or attribute.split("__")[0], readonly=True, widget=widget
    )


class NomorTeksWidget(widgets.CharWidget):
    """NIK or Nomor KK: always text (an xlsx keeps 16 digits); empty is NULL.

    On import a number cell (``1.376012345678901e15``) becomes its digits, and spaces, dots and
    a leading apostrophe are dropped; the model's validators then check the 16 digits.
    """

    def __init__(self, **kwargs):
        super().__init__(allow_blank=False, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value is None:
            return None
        teks = str(value).strip().lstrip("'").replace(" ", "").replace(".", "")
        return teks or None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class TeksNullWidget(widgets.CharWidget):
    """Text of a nullable unique column (an external id): an empty cell is NULL, not ""."""

    def __init__(self, **kwargs):
        super().__init__(allow_blank=False, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        teks = "" if value is None else str(value).strip()
        return teks or None


class PilihanDaftarWidget(widgets.Widget):
    """A list of codes (a JSONField list) as "a, b, c" in one cell."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return []
        return [bagian.strip() for bagian in str(value).split(",") if bagian.strip()]

    def render(self, value, obj=None, **kwargs):
        return ", ".join(str(v) for v in (value or []))


class TerbatasFKWidget(widgets.ForeignKeyWidget):
    """A foreign key looked up by a natural key among the rows the importing user may see."""

    def __init__(self, model, field, resource=None, **kwargs):
        super().__init__(model, field, **kwargs)
        self.resource = resource

    def get_queryset(self, value, row, *args, **kwargs):
        user = getattr(self.resource, "user", None)
        return batasi(self.model._default_manager.all(), user)

    def clean(self, value, row=None, **kwargs):
        if self.field in ("nik", "no_kk"):  # a NIK typed as '1376..., with spaces, or as a number
            value = NomorTeksWidget().clean(value)
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                f"{self.model._meta.verbose_name} “{value}” tidak ditemukan (atau di luar wilayah Anda)."
            ) from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(f"{self.model._meta.verbose_name} “{value}” tidak tunggal.") from None


class SumberDayaDasar(resources.ModelResource):
    """Base resource: escaping on export, scoping, validation, idempotent re-import, history."""

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_bulk = False  # bulk writes skip save() and django-simple-history
        use_transactions = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field.widget, TerbatasFKWidget):
                field.widget.resource = self

    # --- export --------------------------------------------------------------------------------

    def get_queryset(self):
        return batasi(self._meta.model._default_manager.all(), self.user)

    def filter_export(self, queryset, **kwargs):
        # The related rows the columns read, joined once: no query per exported row.
        jalur = set()
        for field in self.get_export_fields(kwargs.get("export_fields")):
            attribute = field.attribute or ""
            if "__" in attribute:
                jalur.add(attribute.rsplit("__", 1)[0])
            elif isinstance(field.widget, widgets.ForeignKeyWidget):
                jalur.add(attribute)
        queryset = super().filter_export(queryset, **kwargs)
        return queryset.select_related(*sorted(jalur)) if jalur else queryset

    def export_field(self, field, instance, **kwargs):
        nilai = super().export_field(field, instance, **kwargs)
        if isinstance(field.widget, _BUKAN_TEKS):
            return nilai  # rendered from a number, date or flag (csv renders them as text)
        return aman(nilai)

    # --- import --------------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        if len(dataset) > MAKS_BARIS_IMPOR_ADMIN:
            raise ValidationError(
                f"Berkas ini berisi {len(dataset)} baris; impor lewat back office dibatasi "
                f"{MAKS_BARIS_IMPOR_ADMIN} baris. Pakai halaman Impor data untuk berkas besar."
            )
        super().before_import(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        batas = pengaturan.maks_panjang_sel()
        for kunci, nilai in list(row.items()):
            if isinstance(nilai, str):
                if len(nilai) > batas:
                    raise ValidationError(f"Kolom “{kunci}” lebih dari {batas} karakter.")
                row[kunci] = tanpa_pelindung(nilai.strip())
        super().before_import_row(row, **kwargs)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # Values the model derives in clean() (from the NIK, a normalised name, ...) are derived
        # before comparing, so a re-import of a row without them is still "unchanged".
        if not import_validation_errors:
            try:
                instance.clean()
            except ValidationError:
                return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def simpan(self, instance, is_create: bool) -> None:
        """Save one row; resources with a service override this to call it."""
        instance._history_user = self.user
        instance.save(force_insert=is_create)

    def do_instance_save(self, instance, is_create):
        try:
            self.simpan(instance, is_create)
        except PermissionDenied as exc:
            raise ValidationError(str(exc) or "Di luar wilayah kerja Anda.") from exc


# --- The akun app's own resources: export only ---------------------------------------------------


class PenggunaResource(SumberDayaDasar):
    """User accounts: **export only**, without the password hash. Accounts are made and changed
    in the user admin (password hashing, a PSM needs a kelurahan, the role decides access): a
    spreadsheet of users and passwords is exactly what must not exist."""

    kelurahan = fields.Field(column_name="kelurahan", readonly=True)

    class Meta:
        model = "akun.User"
        fields = (
            "username", "first_name", "last_name", "email", "telepon", "peran", "kelurahan", "is_active",
            "is_superuser", "last_login", "date_joined",
        )  # fmt: skip
        export_order = fields

    def dehydrate_kelurahan(self, user) -> str:
        return ", ".join(k.nama for k in user.kelurahan.all())


class _LogMasukResource(SumberDayaDasar):
    """django-axes login logs: **export only** (an audit trail is never written by hand)."""


def resource_log(model_label: str, kolom: tuple[str, ...]) -> type[SumberDayaDasar]:
    meta = type("Meta", (), {"model": model_label, "fields": kolom, "export_order": kolom})
    nama = model_label.split(".")[1] + "Resource"
    return type(nama, (_LogMasukResource,), {"Meta": meta, "__module__": __name__})


PercobaanMasukResource = resource_log(
    "axes.AccessAttempt", ("username", "ip_address", "user_agent", "path_info", "attempt_time", "failures_since_start")
)
LogMasukResource = resource_log(
    "axes.AccessLog", ("username", "ip_address", "user_agent", "path_info", "attempt_time", "logout_time")
)
LogGagalMasukResource = resource_log(
    "axes.AccessFailureLog", ("username", "ip_address", "user_agent", "path_info", "attempt_time", "locked_out")
)
