from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from akun.permissions import boleh_cari_nomor
from akun.versi import VersiFormMixin
from penduduk.choices import Hubungan, StatusPenduduk
from penduduk.models import Keluarga, Penduduk, cari_nomor
from penduduk.nik import normalisasi, periksa_nik, periksa_no_kk
from wilayah.models import Kecamatan, Kelurahan

_TANGGAL = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
_ANGKA = {"inputmode": "numeric", "autocomplete": "off"}


PILIHAN_KOSONG = _("— pilih —")


def pilihan_kosong_indonesia(form: forms.BaseForm) -> None:
    """Replace Django's '---------' empty choice with an Indonesian label."""
    for kolom in form.fields.values():
        if isinstance(kolom, forms.ModelChoiceField):
            if kolom.empty_label and str(kolom.empty_label).startswith("---"):
                kolom.empty_label = PILIHAN_KOSONG
        elif isinstance(kolom, forms.ChoiceField):
            pilihan = list(kolom.choices)
            if pilihan and pilihan[0][0] == "" and str(pilihan[0][1]).startswith("---"):
                kolom.choices = [("", PILIHAN_KOSONG), *pilihan[1:]]


class NomorIndukField(forms.CharField):
    """NIK / No KK input: spaces, dots and a leading apostrophe are removed before validation,
    so the number can be typed as printed on the KTP/KK ("1376 0115 0685 0001"); the errors of
    ``penduduk.nik`` reject the value (its warnings are the form's business)."""

    def __init__(self, *args, periksa=periksa_nik, **kwargs):
        self.periksa = periksa
        super().__init__(*args, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value not in self.empty_values:
            galat = self.periksa(value).galat
            if galat:
                raise forms.ValidationError(galat)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return normalisasi(value) or self.empty_value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # The model's max_length (16) applies after normalisation; the input needs room for spaces.
        attrs.update({"maxlength": "24", "inputmode": "numeric", "autocomplete": "off"})
        return attrs


class NomorKKField(NomorIndukField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, periksa=periksa_no_kk, **kwargs)


class KelurahanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Kelurahan) -> str:
        return f"{obj.nama} ({obj.kecamatan.nama})"


PESAN_TANPA_CARI_NOMOR = _(
    "Untuk peran Anda, pencarian dengan nomor tidak tersedia karena NIK dan nomor KK tersamar. Cari dengan nama."
)


class RegistriFilterForm(forms.Form):
    """Search and area filters of the registry lists; choices are scoped to the user's area.

    An invalid value (a stale ``?kelurahan=`` link) drops that filter only, not the whole search.
    """

    q = forms.CharField(label=_("Cari NIK atau nama"), required=False)
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"), queryset=Kecamatan.objects.none(), required=False, empty_label=_("Semua kecamatan")
    )
    kelurahan = KelurahanChoiceField(
        label=_("Kelurahan"), queryset=Kelurahan.objects.none(), required=False, empty_label=_("Semua kelurahan")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Roles that see numbers masked may not search by number at all: every answer to a number
        # search (found / not found) would confirm a guess of the hidden digits.
        self.boleh_nomor = boleh_cari_nomor(user)
        self.nomor_ditolak = False
        self.fields["kecamatan"].queryset = Kecamatan.objects.for_user(user)
        self.fields["kelurahan"].queryset = Kelurahan.objects.for_user(user).select_related("kecamatan")
        self.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "enterkeyhint": "search", "placeholder": _("NIK atau nama")}
        )
        if not self.boleh_nomor:
            self.fields["q"].label = _("Cari nama")
            self.fields["q"].widget.attrs["placeholder"] = _("Nama")
            self.fields["q"].help_text = _("Hanya pencarian nama.")

    def clean_q(self) -> str:
        q = self.cleaned_data.get("q", "").strip()
        if q and not self.boleh_nomor and cari_nomor(q) is not None:
            self.nomor_ditolak = True
            raise forms.ValidationError(PESAN_TANPA_CARI_NOMOR, code="nomor_ditolak")
        return q

    def _data(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def filter_wilayah(self, qs):
        data = self._data()
        if data.get("kecamatan"):
            qs = qs.filter(kelurahan__kecamatan=data["kecamatan"])
        if data.get("kelurahan"):
            qs = qs.filter(kelurahan=data["kelurahan"])
        return qs


class PendudukFilterForm(RegistriFilterForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua status")), *StatusPenduduk.choices]
    )

    def filter(self, qs):
        data = self._data()
        if self.nomor_ditolak:
            return qs.none()
        qs = self.filter_wilayah(qs)
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        return qs.cari_berurut(data.get("q", ""), boleh_nomor=self.boleh_nomor)


class KeluargaFilterForm(RegistriFilterForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.boleh_nomor:
            self.fields["q"].label = _("Cari nomor KK atau nama anggota keluarga")
            self.fields["q"].widget.attrs["placeholder"] = _("Nomor KK atau nama")
        else:
            self.fields["q"].label = _("Cari nama anggota keluarga")

    def filter(self, qs):
        q = self._data().get("q", "").strip()
        if self.nomor_ditolak:
            return qs.none()
        nomor = cari_nomor(q) if q else None
        if nomor is not None:
            qs = qs.filter(no_kk__startswith=nomor) if self.boleh_nomor else qs.none()
        elif q:
            anggota = Penduduk.objects.for_user(self.user).cari(q).values("keluarga_id")
            qs = qs.filter(pk__in=anggota)
        return self.filter_wilayah(qs)


@dataclass
class KemungkinanGanda:
    """People with the same normalised name and birth date: links in the area, a count outside."""

    dalam_wilayah: list[Penduduk] = field(default_factory=list)
    luar_wilayah: int = 0


def cari_kemungkinan_ganda(*, user, nama: str, tanggal_lahir, nik: str | None = None, kecuali_pk=None):
    calon = Penduduk.objects.kemungkinan_ganda(nama=nama, tanggal_lahir=tanggal_lahir, kecuali_pk=kecuali_pk)
    if nik:
        calon = calon.exclude(nik=nik)
    semua = list(calon.values_list("pk", flat=True)[:20])
    if not semua:
        return KemungkinanGanda()
    dalam = list(Penduduk.objects.for_user(user).filter(pk__in=semua).select_related("kelurahan"))
    return KemungkinanGanda(dalam, len(semua) - len(dalam))


PESAN_GANDA = _(
    "Mungkin data ganda: sudah ada penduduk dengan nama dan tanggal lahir yang sama. "
    "Periksa dulu; bila memang orang berbeda, centang konfirmasi lalu simpan lagi."
)


class KonfirmasiGandaMixin(forms.Form):
    """A 'this is a different person' confirmation for forms that register new people."""

    konfirmasi_ganda = forms.BooleanField(
        label=_("Saya sudah memeriksa: ini orang yang berbeda, tetap simpan."), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplikat: list[Penduduk] = []
        self.duplikat_luar_wilayah = 0

    def catat_ganda(self, hasil: KemungkinanGanda) -> None:
        self.duplikat.extend(hasil.dalam_wilayah)
        self.duplikat_luar_wilayah += hasil.luar_wilayah

    @property
    def perlu_konfirmasi_ganda(self) -> bool:
        return bool(self.duplikat or self.duplikat_luar_wilayah)

    def galat_ganda(self) -> forms.ValidationError | None:
        """The error that stops the save until the user confirms, or None."""
        if self.perlu_konfirmasi_ganda and not self.cleaned_data.get("konfirmasi_ganda"):
            return forms.ValidationError(PESAN_GANDA, code="kemungkinan_ganda")
        return None


class PendudukForm(VersiFormMixin, KonfirmasiGandaMixin, forms.ModelForm):
    """A person, with NIK warnings and a duplicate check that asks for confirmation."""

    class Meta:
        model = Penduduk
        fields = [
            "nik", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "hubungan",
            "kelurahan", "alamat", "rt", "rw", "telepon", "status", "pekerjaan", "pendidikan", "disabilitas",
        ]  # fmt: skip
        widgets = {
            "tanggal_lahir": _TANGGAL,
            "telepon": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "rt": forms.TextInput(attrs=_ANGKA),
            "rw": forms.TextInput(attrs=_ANGKA),
        }
        field_classes = {"kelurahan": KelurahanChoiceField, "nik": NomorIndukField}
        error_messages = {"nik": {"unique": _("NIK ini sudah terdaftar.")}}

    def __init__(self, *args, user, keluarga: Keluarga | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.peringatan: list[str] = []
        self.nik_terdaftar: Penduduk | None = None
        if keluarga is not None:
            self.instance.keluarga = keluarga
        kelurahan = Kelurahan.objects.for_user(user).select_related("kecamatan")
        self.fields["kelurahan"].queryset = kelurahan
        if not self.instance.pk:
            ids = user.kelurahan_ids() if user.is_psm else []
            if keluarga is not None:
                self.fields["kelurahan"].initial = keluarga.kelurahan_id
                self.fields["alamat"].initial = keluarga.alamat
                self.fields["rt"].initial = keluarga.rt
                self.fields["rw"].initial = keluarga.rw
            elif len(ids) == 1:
                self.fields["kelurahan"].initial = ids[0]
        # The role in a household is the household's business: only with the household in the area
        # (penduduk_simpan refuses it otherwise, whatever the form sends).
        if self.instance.keluarga_id is None or not (
            keluarga is not None or Keluarga.objects.for_user(user).filter(pk=self.instance.keluarga_id).exists()
        ):
            del self.fields["hubungan"]
        self.fields["nik"].required = False
        self.fields["tanggal_lahir"].help_text = _("Kosongkan untuk mengisi otomatis dari NIK.")
        self.fields["jenis_kelamin"].help_text = _("Kosongkan untuk mengisi otomatis dari NIK.")
        pilihan_kosong_indonesia(self)

    def clean_nik(self) -> str | None:
        nik = self.cleaned_data.get("nik")
        if not nik:
            return None
        lain = Penduduk.objects.filter(nik=nik).exclude(pk=self.instance.pk).first()
        if lain is not None:
            self.nik_terdaftar = Penduduk.objects.for_user(self.user).filter(pk=lain.pk).first()
            if self.nik_terdaftar is None:
                raise forms.ValidationError(
                    _("NIK ini sudah terdaftar di kelurahan lain. Hubungi staf Dinas Sosial untuk memindahkan datanya.")
                )
            raise forms.ValidationError(_("NIK ini sudah terdaftar atas nama %(nama)s.") % {"nama": lain.nama})
        return nik

    def clean(self):
        data = super().clean()
        nik = data.get("nik")
        if nik:
            hasil = periksa_nik(nik, jenis_kelamin=data.get("jenis_kelamin"), tanggal_lahir=data.get("tanggal_lahir"))
            self.peringatan = hasil.peringatan
            if hasil.info:
                data["tanggal_lahir"] = data.get("tanggal_lahir") or hasil.info.tanggal_lahir
                data["jenis_kelamin"] = data.get("jenis_kelamin") or hasil.info.jenis_kelamin
        self._periksa_ganda(data)
        return data

    def _periksa_ganda(self, data) -> None:
        nama, lahir = data.get("nama"), data.get("tanggal_lahir")
        if not nama or not lahir or self.errors:
            return
        berubah = not self.instance.pk or {"nama", "tanggal_lahir"} & set(self.changed_data)
        if not berubah:
            return
        self.catat_ganda(
            cari_kemungkinan_ganda(
                user=self.user, nama=nama, tanggal_lahir=lahir, nik=data.get("nik"), kecuali_pk=self.instance.pk
            )
        )
        galat = self.galat_ganda()
        if galat is not None:
            raise galat


class KeluargaForm(VersiFormMixin, KonfirmasiGandaMixin, forms.ModelForm):
    """A household; also links a person already in the registry (by NIK) as a member."""

    tambah_nik = NomorIndukField(
        label=_("Tambahkan penduduk yang sudah terdaftar (NIK)"),
        required=False,
        max_length=16,
        help_text=_(
            "Untuk orang yang sudah ada di registri, mis. pindah dari KK lain. Orang baru: isi baris di bawah."
        ),
    )
    tambah_hubungan = forms.ChoiceField(
        label=_("Hubungan dalam keluarga"), required=False, choices=[("", PILIHAN_KOSONG), *Hubungan.choices]
    )

    class Meta:
        model = Keluarga
        fields = ["no_kk", "kelurahan", "alamat", "rt", "rw", "id_keluarga_p3ke", "id_keluarga_dtsen"]
        widgets = {
            "rt": forms.TextInput(attrs=_ANGKA),
            "rw": forms.TextInput(attrs=_ANGKA),
        }
        field_classes = {"kelurahan": KelurahanChoiceField, "no_kk": NomorKKField}
        error_messages = {"no_kk": {"unique": _("Nomor KK ini sudah dipakai keluarga lain.")}}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.peringatan: list[str] = []
        self.fields["kelurahan"].queryset = Kelurahan.objects.for_user(user).select_related("kecamatan")
        ids = user.kelurahan_ids() if user.is_psm else []
        if not self.instance.pk and len(ids) == 1:
            self.fields["kelurahan"].initial = ids[0]
        if not user.pengelola:
            # External ids come from DTSEN/P3KE imports, not from the field.
            del self.fields["id_keluarga_p3ke"]
            del self.fields["id_keluarga_dtsen"]
        self.anggota_terdaftar: Penduduk | None = None
        pilihan_kosong_indonesia(self)

    def clean_tambah_nik(self) -> str | None:
        nik = self.cleaned_data.get("tambah_nik")
        if not nik:
            return None
        orang = Penduduk.objects.for_user(self.user).filter(nik=nik).first()
        if orang is None:
            raise forms.ValidationError(
                _("Tidak ada penduduk dengan NIK ini di wilayah Anda. Orang baru diisi di baris 'Anggota baru'.")
            )
        if self.instance.pk and orang.keluarga_id == self.instance.pk:
            raise forms.ValidationError(_("%(nama)s sudah menjadi anggota keluarga ini.") % {"nama": orang.nama})
        if orang.keluarga_id is not None:
            if not Keluarga.objects.for_user(self.user).filter(pk=orang.keluarga_id).exists():
                raise forms.ValidationError(
                    _("Orang ini terdaftar dalam KK di kelurahan lain; pindah KK diurus staf Dinas Sosial.")
                )
            if orang.hubungan == Hubungan.KEPALA:
                raise forms.ValidationError(
                    _("%(nama)s adalah kepala keluarga lain. Tetapkan dulu kepala keluarga baru di KK itu.")
                    % {"nama": orang.nama}
                )
        self.anggota_terdaftar = orang
        return nik

    def periksa_anggota_baru(self, anggota_baru: list[Penduduk]) -> bool:
        """Duplicate check for the new member rows (after the formset validated). False: stop."""
        for orang in anggota_baru:
            if orang.nama and orang.tanggal_lahir:
                self.catat_ganda(
                    cari_kemungkinan_ganda(
                        user=self.user, nama=orang.nama, tanggal_lahir=orang.tanggal_lahir, nik=orang.nik
                    )
                )
        galat = self.galat_ganda()
        if galat is not None:
            self.add_error(None, galat)
            return False
        return True

    def clean(self):
        data = super().clean()
        if self.anggota_terdaftar is not None:
            if not data.get("tambah_hubungan"):
                self.add_error("tambah_hubungan", _("Pilih hubungan orang ini dalam keluarga."))
            else:
                self.anggota_terdaftar.hubungan = data["tambah_hubungan"]
        return data

    def clean_no_kk(self) -> str | None:
        no_kk = self.cleaned_data.get("no_kk")
        if no_kk:
            self.peringatan = periksa_no_kk(no_kk).peringatan
        return no_kk

    def clean_id_keluarga_p3ke(self):
        return self.cleaned_data.get("id_keluarga_p3ke") or None

    def clean_id_keluarga_dtsen(self):
        return self.cleaned_data.get("id_keluarga_dtsen") or None


class AnggotaForm(forms.ModelForm):
    """One member row in the household form (the essentials; the rest on the person's page)."""

    class Meta:
        model = Penduduk
        fields = ["nik", "nama", "hubungan", "jenis_kelamin", "tanggal_lahir"]
        widgets = {"tanggal_lahir": _TANGGAL}
        field_classes = {"nik": NomorIndukField}
        error_messages = {
            "nik": {
                "unique": _(
                    "NIK ini sudah terdaftar. Tambahkan orangnya lewat kolom 'Tambahkan penduduk yang sudah "
                    "terdaftar' di atas."
                )
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nik"].required = False
        self.fields["hubungan"].required = True
        # An empty first choice: a blank 'Anggota baru' row must stay unchanged, not become a head.
        self.fields["hubungan"].choices = [("", PILIHAN_KOSONG), *Hubungan.choices]
        pilihan_kosong_indonesia(self)


class AnggotaVersiForm(VersiFormMixin, AnggotaForm):
    """A member row of the site's household form: an existing member carries their own version,
    so that a household save never writes a member's row over somebody's newer edit of them."""


class BaseAnggotaFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            # Members are released from the household, never deleted from the registry.
            form.fields["DELETE"].label = _("Lepaskan dari keluarga ini")

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kepala = sum(
            1
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("hubungan") == Hubungan.KEPALA
        )
        if kepala > 1:
            raise forms.ValidationError(_("Satu keluarga hanya boleh memiliki satu kepala keluarga."))
        niks = [f.cleaned_data.get("nik") for f in self.forms if f.cleaned_data and f.cleaned_data.get("nik")]
        if len(niks) != len(set(niks)):
            raise forms.ValidationError(_("NIK yang sama diisi lebih dari sekali."))


AnggotaFormSet = forms.inlineformset_factory(
    Keluarga,
    Penduduk,
    form=AnggotaVersiForm,
    formset=BaseAnggotaFormSet,
    fk_name="keluarga",
    extra=2,
    can_delete=True,
    # A forged anggota-TOTAL_FORMS made Django build (and render) up to 2,000 member rows: 30 s
    # and 9 MB for one request (found by the form fuzzer). No KK holds 60 people.
    max_num=60,
    absolute_max=60,
    validate_max=True,
)
