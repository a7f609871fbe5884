"""django-import-export in the back office, on the role-based access of ``akun.admin_base``.

- ``EksporMixin``: every registered ModelAdmin has ``<model>/export/`` (xlsx, csv). Export is
  allowed to whoever may view the model (``has_view_permission``); the rows are the admin's
  ``get_queryset`` (scoped) with the changelist's filters and search applied. Escaping of
  formula-like cells and NIK/No KK as text are done by the resources (``akun.resources``).
- ``ImporEksporMixin``: also ``<model>/import/`` (xlsx, csv), for the roles in ``Akses.impor``
  (by default those who may both add and change: an import does both).
- The import is all-or-nothing: the preview (dry run) shows every row error and offers no
  confirmation while there are any; the confirmation rolls everything back on any error. The
  uploaded file is checked first (size, real type, zip bomb: ``impor.berkas``), and the name of
  the temporary file carried by the confirmation form is signed, so a tampered form can neither
  read another file nor cause a 500.
"""

from __future__ import annotations

import contextlib
import io
import os

from django import forms
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ImportForm

from akun.admin_base import peran_dari
from akun.ekspor import maks_baris
from impor import pengaturan
from impor.berkas import BerkasTidakSah, kenali_format, periksa_zip

_GARAM = "akun.admin_iex.impor"


class CSVAman(base_formats.CSV):
    """CSV; escaping is done by the resource (``akun.resources.aman``), not by the format, whose
    own escaping (``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT``) only strips a leading "=" and
    turns every cell, even an empty one, into text."""

    def _escape_formulae(self, dataset):
        return None


class XLSXAman(base_formats.XLSX):
    """xlsx; escaping by the resource (see ``CSVAman``); a zip bomb is refused before openpyxl
    opens the file."""

    def _escape_formulae(self, dataset):
        return None

    def create_dataset(self, in_stream):
        periksa_zip(io.BytesIO(in_stream))
        return super().create_dataset(in_stream)


FORMAT_IEX = [XLSXAman, CSVAman]
_JENIS_BERKAS = {XLSXAman: "xlsx", CSVAman: "csv"}


class FormImpor(ImportForm):
    """The upload step: size and real type checked before anything reads the file."""

    def __init__(self, formats, resources, **kwargs):
        self._formats = formats
        super().__init__(formats, resources, **kwargs)

    def clean(self):
        data = super().clean()
        berkas = data.get("import_file")
        nomor = data.get("format")
        if berkas is None or nomor in (None, ""):
            return data
        if berkas.size > pengaturan.maks_berkas_byte():
            raise forms.ValidationError(
                _("Berkas terlalu besar (batas %(mb)s MB).") % {"mb": pengaturan.maks_berkas_byte() // (1024 * 1024)}
            )
        kepala = berkas.read(8192)
        berkas.seek(0)
        try:
            nyata = kenali_format(kepala)
        except BerkasTidakSah as exc:
            raise forms.ValidationError(exc.pesan) from None
        diminta = _JENIS_BERKAS.get(self._formats[int(nomor)])
        if nyata != diminta:
            raise forms.ValidationError(
                _("Isi berkas ini %(nyata)s, bukan %(diminta)s: pilih format yang sesuai.")
                % {"nyata": nyata, "diminta": diminta}
            )
        return data


class FormKonfirmasiImpor(ConfirmImportForm):
    """The confirmation step: the temporary file's name is signed (for this user, one hour)."""

    user_pk = None
    jumlah_format = len(FORMAT_IEX)

    def clean_import_file_name(self):
        try:
            nama, pemilik = signing.loads(self.cleaned_data["import_file_name"], salt=_GARAM, max_age=3600)
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(_("Formulir konfirmasi tidak sah atau kedaluwarsa; unggah ulang.")) from None
        if pemilik != self.user_pk:
            raise forms.ValidationError(_("Formulir konfirmasi tidak sah atau kedaluwarsa; unggah ulang."))
        return os.path.basename(str(nama))

    def clean_format(self):
        nilai = self.cleaned_data["format"]
        if not nilai.isdigit() or int(nilai) >= self.jumlah_format:
            raise forms.ValidationError(_("Format tidak dikenal."))
        return nilai

    def clean_resource(self):
        nilai = self.cleaned_data.get("resource") or "0"
        if not nilai.isdigit():
            raise forms.ValidationError(_("Resource tidak dikenal."))
        return nilai


class EksporMixin(ExportMixin):
    """Export (xlsx, csv) for whoever may view the model; the resource gets the user."""

    formats = FORMAT_IEX
    export_formats = FORMAT_IEX
    import_formats = FORMAT_IEX

    def has_export_permission(self, request) -> bool:
        return peran_dari(request) is not None and self.has_view_permission(request)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**kwargs, "user": request.user}

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # As django-import-export's, but "binary" is asked of the format: its own check compares
        # exact classes and would write dates and numbers of our xlsx subclass as text.
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(request, queryset, force_native_type=file_format.is_binary(), **kwargs)
        hasil = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            hasil = hasil.encode(encoding)
        return hasil

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        # The same bound as the list exports (akun/ekspor.py): a changelist of a million persons is
        # not built into one spreadsheet in a request; the count stops at the bound + 1.
        maks = maks_baris()
        if queryset.order_by()[: maks + 1].count() > maks:
            messages.error(
                request,
                _("Lebih dari %(n)s baris: persempit dengan filter atau pencarian, lalu ekspor lagi.")
                % {"n": f"{maks:,}".replace(",", ".")},
            )
            return HttpResponseRedirect(self._url("changelist"))
        return super()._do_file_export(file_format, request, queryset, export_form=export_form)

    def export_action(self, request):
        if not self.has_export_permission(request):
            raise PermissionDenied
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            # A filter the changelist cannot apply: the changelist says so (as Django does).
            return HttpResponseRedirect(self._url("changelist") + "?e=1")

    def _url(self, halaman: str) -> str:
        app, model = self.get_model_info()
        return reverse(f"{self.admin_site.name}:{app}_{model}_{halaman}")


class ImporEksporMixin(ImportExportMixin, EksporMixin):
    """Import and export (xlsx, csv). Import for the roles in ``akses.impor``."""

    import_form_class = FormImpor
    confirm_form_class = FormKonfirmasiImpor
    import_error_display = ("message", "row")

    def has_import_permission(self, request) -> bool:
        return self._boleh(request, "impor")

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.pop("request", None)
        # All or nothing: a row error rolls the whole confirmation back.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def get_confirm_form_initial(self, request, import_form):
        awal = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            awal["import_file_name"] = signing.dumps([awal["import_file_name"], request.user.pk], salt=_GARAM)
        return awal

    def create_confirm_form(self, request, import_form=None):
        form = super().create_confirm_form(request, import_form)
        form.user_pk = request.user.pk
        form.jumlah_format = len(self.get_import_formats())
        return form

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, BerkasTidakSah):
            form.add_error("import_file", e.pesan)
        elif isinstance(e, UnicodeDecodeError):
            form.add_error("import_file", _("Berkas CSV harus UTF-8 (simpan ulang sebagai “CSV UTF-8”)."))
        else:
            form.add_error("import_file", _("Berkas tidak bisa dibaca; periksa format yang dipilih."))

    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        try:
            return super().process_import(request, **kwargs)
        except (OSError, ValueError, IndexError, BerkasTidakSah, UnicodeDecodeError):
            messages.error(request, _("Berkas sementara tidak ditemukan atau tidak terbaca; unggah ulang berkasnya."))
            return HttpResponseRedirect(self._url("import"))

    def import_action(self, request, **kwargs):
        respons = super().import_action(request, **kwargs)
        # A preview without a confirmation (row errors, unreadable file) leaves nothing to
        # confirm: its temporary copy (personal data) is deleted at once.
        konteks = getattr(respons, "context_data", None) or {}
        form = konteks.get("form")
        if form is not None and "confirm_form" not in konteks and form.is_bound:
            berkas = (getattr(form, "cleaned_data", None) or {}).get("import_file")
            nama = getattr(berkas, "tmp_storage_name", None)
            if nama:
                self._hapus_sementara(nama)
        return respons

    def _hapus_sementara(self, nama: str) -> None:
        penyimpanan = self.get_tmp_storage_class()(name=os.path.basename(nama), **self.get_tmp_storage_class_kwargs())
        with contextlib.suppress(OSError):
            penyimpanan.remove()

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                _("Impor dibatalkan: ada baris yang ditolak; tidak ada yang disimpan. Perbaiki berkasnya."),
            )
            return HttpResponseRedirect(self._url("import"))
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        from import_export.results import RowResult

        messages.success(
            request,
            _("Impor selesai: %(baru)s baru, %(ubah)s diubah, %(tetap)s tidak berubah.")
            % {
                "baru": result.totals[RowResult.IMPORT_TYPE_NEW],
                "ubah": result.totals[RowResult.IMPORT_TYPE_UPDATE],
                "tetap": result.totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )
