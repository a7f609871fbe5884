"""The upload form of the import page: type, file, optional sheet name.

The file is checked here only as far as is cheap and certain (size, then the real type from its
first bytes, ``impor.berkas.kenali_format``), so that a wrong file gets its message on the form and
nothing is stored; everything else (zip checks, header, rows) is the preview job's work.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from impor import pengaturan
from impor.berkas import BerkasTidakSah, kenali_format
from impor.jenis import JENIS

_SAMPEL = 64 * 1024


class FormUnggah(forms.Form):
    jenis = forms.ChoiceField(label=_l("Jenis data"), error_messages={"required": _l("Pilih jenis data.")})
    berkas = forms.FileField(
        label=_l("Berkas"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv,.txt"}),
        error_messages={
            "required": _l("Pilih berkas xlsx, xls atau csv."),
            "empty": _l("Berkas kosong."),
            "invalid": _l("Berkas tidak terkirim dengan benar; coba lagi."),
        },
    )
    lembar = forms.CharField(
        label=_l("Nama lembar (sheet)"),
        max_length=100,
        required=False,
        help_text=_l("Kosongkan untuk memakai lembar pertama. Tidak berlaku untuk csv."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jenis"].choices = [(k, j.judul) for k, j in JENIS.items()]  # the registry as it is now

    def clean_jenis(self) -> str:
        kode = self.cleaned_data["jenis"]
        if not JENIS[kode].tersedia:
            raise forms.ValidationError(_("Impor jenis ini belum tersedia."))
        return kode

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        maks = pengaturan.maks_berkas_byte()
        if berkas.size > maks:
            raise forms.ValidationError(
                _(
                    "Berkas terlalu besar (%(mb).1f MB); paling besar %(maks)d MB. "
                    "Pecah berkasnya menjadi beberapa bagian."
                )
                % {"mb": berkas.size / 1024 / 1024, "maks": maks // 1024 // 1024}
            )
        try:
            berkas.seek(0)
            kepala = berkas.read(_SAMPEL)
            berkas.seek(0)
        except OSError as exc:
            raise forms.ValidationError(_("Berkas tidak bisa dibaca; coba unggah lagi.")) from exc
        try:
            kenali_format(kepala)
        except BerkasTidakSah as exc:
            raise forms.ValidationError(exc.pesan) from exc
        return berkas

    def clean_lembar(self) -> str:
        return (self.cleaned_data.get("lembar") or "").strip()
