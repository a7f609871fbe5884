"""Forms of the PSM's phone pages: the visit (a routine visit is 3-4 inputs) and the visit filter."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ppks.choices import Kebutuhan
from psm.foto import validasi_foto
from psm.models import Kunjungan
from wilayah.models import Kelurahan

_TANGGAL = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
)


class FotoField(forms.ImageField):
    """An image field that refuses a file over FOTO_MAKS_MB *before* Pillow reads it.

    Django's ImageField opens the whole upload to verify it; the size (known from the upload's
    headers, no read needed) is checked first so that a 200 MB "photo" costs nothing more."""

    def to_python(self, data):
        batas = settings.FOTO_MAKS_MB * 1024 * 1024
        if data is not None and getattr(data, "size", 0) and data.size > batas:
            raise ValidationError(
                _("Foto terlalu besar (maksimal %(mb)s MB). Kecilkan ukurannya atau ambil ulang.")
                % {"mb": settings.FOTO_MAKS_MB},
                code="terlalu_besar",
            )
        try:
            return super().to_python(data)
        except ValidationError as galat:
            pesan = _("Berkas ini bukan foto. Pilih gambar JPEG, PNG atau WebP.")
            raise ValidationError(pesan, code="bukan_gambar") from galat


class KunjunganForm(forms.ModelForm):
    kebutuhan = forms.MultipleChoiceField(
        label=gettext_lazy("Kebutuhan yang ditemukan"),
        choices=Kebutuhan.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    foto = FotoField(
        label=gettext_lazy("Foto"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    class Meta:
        model = Kunjungan
        fields = ["tanggal", "temuan", "perlu_tindak_lanjut", "tindak_lanjut", "kebutuhan", "foto"]
        widgets = {
            "tanggal": _TANGGAL,
            "temuan": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"temuan": gettext_lazy("Apa yang ditemukan")}
        help_texts = {"tindak_lanjut": gettext_lazy("Mis. usulkan PBI-JK, rujuk ke puskesmas.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tanggal"].input_formats = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
        self.fields["tanggal"].initial = timezone.localdate
        self.fields["foto"].help_text = _("JPEG, PNG atau WebP, maksimal %(mb)s MB. Tidak wajib.") % {
            "mb": settings.FOTO_MAKS_MB
        }

    def clean_foto(self):
        foto = self.cleaned_data.get("foto")
        if foto:
            validasi_foto(foto)
        return foto

    def clean(self):
        data = super().clean()
        if data.get("perlu_tindak_lanjut") and not (data.get("tindak_lanjut") or "").strip():
            self.add_error("tindak_lanjut", _("Tuliskan tindak lanjut yang diperlukan."))
        return data


class KunjunganFilterForm(forms.Form):
    kelurahan = forms.ModelChoiceField(
        label=gettext_lazy("Kelurahan"),
        queryset=Kelurahan.objects.none(),
        required=False,
        empty_label=gettext_lazy("Semua kelurahan"),
    )
    dari = forms.DateField(label=gettext_lazy("Dari tanggal"), required=False, widget=_TANGGAL)
    sampai = forms.DateField(label=gettext_lazy("Sampai tanggal"), required=False, widget=_TANGGAL)
    saya = forms.BooleanField(label=gettext_lazy("Kunjungan saya saja"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kelurahan"].queryset = Kelurahan.objects.for_user(user).order_by("nama")
        for nama in ("dari", "sampai"):
            self.fields[nama].input_formats = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
        self.data_bersih = self.cleaned_data if self.is_bound and self.is_valid() else {}

    @property
    def ada_filter(self) -> bool:
        return any(self.data_bersih.get(k) for k in ("kelurahan", "dari", "sampai", "saya"))

    def filter(self, qs):
        data = self.data_bersih
        if self.is_bound and not self.is_valid():
            return qs
        if data.get("kelurahan"):
            qs = qs.filter(kelurahan=data["kelurahan"])
        if data.get("dari"):
            qs = qs.filter(tanggal__gte=data["dari"])
        if data.get("sampai"):
            qs = qs.filter(tanggal__lte=data["sampai"])
        if data.get("saya"):
            qs = qs.filter(oleh=self.user)
        return qs
