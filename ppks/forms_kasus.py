"""Forms of the case pages: the board and list filters, the case form, and the small forms of the
detail page (action, status, reopen, referral). Choices are scoped to the user's area; the
services check again whatever the form sends."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from akun.models import User
from akun.permissions import boleh_cari_nomor
from akun.roles import PERAN_PENGELOLA, Peran
from akun.versi import VersiFormMixin
from penduduk.forms import KelurahanChoiceField, NomorIndukField, pilihan_kosong_indonesia
from penduduk.models import Penduduk, cari_nomor
from ppks.alur import batas_jam
from ppks.choices import JenisTindakan, StatusKasus, StatusRujukan, SumberKasus, Urgensi
from ppks.models import JenisPPKS, Kasus, Rujukan, syarat_terlambat
from wilayah.models import Kecamatan, Kelurahan

_TANGGAL = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


def lama_respons(urgensi: str) -> str:
    """The response time of an urgency as people say it: "24 jam", "3 hari", "7 hari"."""
    jam = batas_jam(urgensi)
    if jam >= 48 and jam % 24 == 0:
        return _("%(n)d hari") % {"n": jam // 24}
    return _("%(n)d jam") % {"n": jam}


# --- filters of the board and the list -----------------------------------------------------------


class _WilayahFilterForm(forms.Form):
    """Area filters scoped to the user's area. An invalid value (a stale link) drops that filter
    only: it is simply missing from ``cleaned_data``."""

    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"), queryset=Kecamatan.objects.none(), required=False, empty_label=_("Semua kecamatan")
    )
    kelurahan = KelurahanChoiceField(
        label=_("Kelurahan"), queryset=Kelurahan.objects.none(), required=False, empty_label=_("Semua kelurahan")
    )
    urgensi = forms.ChoiceField(
        label=_("Urgensi"), required=False, choices=[("", _("Semua urgensi")), *Urgensi.choices]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kecamatan"].queryset = Kecamatan.objects.for_user(user)
        self.fields["kelurahan"].queryset = Kelurahan.objects.for_user(user).select_related("kecamatan")

    @property
    def data_bersih(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def filter_wilayah(self, qs):
        data = self.data_bersih
        if data.get("kecamatan"):
            qs = qs.filter(kelurahan__kecamatan=data["kecamatan"])
        if data.get("kelurahan"):
            qs = qs.filter(kelurahan=data["kelurahan"])
        return qs


class PapanFilterForm(_WilayahFilterForm):
    saya = forms.BooleanField(label=_("Hanya yang ditugaskan ke saya"), required=False)
    terlambat = forms.BooleanField(label=_("Hanya yang terlambat"), required=False)

    def filter(self, qs, *, dengan_urgensi: bool = True):
        """The board's filters; without the urgency one for the counts per urgency at the top."""
        data = self.data_bersih
        qs = self.filter_wilayah(qs)
        if data.get("saya"):
            qs = qs.filter(Q(petugas=self.user) | Q(psm=self.user))
        if data.get("terlambat"):
            qs = qs.filter(syarat_terlambat())
        if dengan_urgensi and data.get("urgensi"):
            qs = qs.filter(urgensi=data["urgensi"])
        return qs


class KasusFilterForm(_WilayahFilterForm):
    q = forms.CharField(label=_("Cari nomor kasus atau ringkasan"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua status")), *StatusKasus.choices]
    )
    sumber = forms.ChoiceField(
        label=_("Sumber"), required=False, choices=[("", _("Semua sumber")), *SumberKasus.choices]
    )
    field_order = ["q", "status", "urgensi", "sumber", "kecamatan", "kelurahan"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "enterkeyhint": "search", "placeholder": _("KS-2026-000123 atau kata kunci")}
        )

    def filter(self, qs):
        data = self.data_bersih
        qs = self.filter_wilayah(qs)
        for kolom in ("status", "urgensi", "sumber"):
            if data.get(kolom):
                qs = qs.filter(**{kolom: data[kolom]})
        q = (data.get("q") or "").strip()
        if q:
            cocok = Q(nomor__icontains=q)
            # A role that sees NIKs masked gets no number search (README): digits find case numbers
            # only, never a NIK someone typed into a summary.
            if cari_nomor(q) is None or boleh_cari_nomor(self.user):
                cocok |= Q(ringkasan__icontains=q)
            qs = qs.filter(cocok)
        return qs


# --- the case form ---------------------------------------------------------------------------------


class PSMChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        wilayah = ", ".join(k.nama for k in obj.kelurahan.all())
        nama = obj.get_full_name() or obj.username
        return f"{nama} ({wilayah})" if wilayah else nama


class PetugasChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class KasusForm(VersiFormMixin, forms.ModelForm):
    """Take in or edit a case. The first fields are all a darurat report needs on a phone."""

    nik_penduduk = NomorIndukField(
        label=_("NIK orang yang dilaporkan"),
        required=False,
        help_text=_("Bila sudah diketahui dan terdaftar di registri. Boleh kosong: hubungkan nanti."),
    )
    lepas_penduduk = forms.BooleanField(label=_("Lepaskan hubungan dengan penduduk ini"), required=False)

    class Meta:
        model = Kasus
        fields = [
            "ringkasan", "kelurahan", "urgensi", "viral", "lokasi",
            "sumber", "uraian", "jenis", "petugas", "psm", "pelapor_nama", "pelapor_kontak",
        ]  # fmt: skip
        widgets = {
            "urgensi": forms.RadioSelect,
            "uraian": forms.Textarea(attrs={"rows": 3}),
            "pelapor_kontak": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }
        field_classes = {"kelurahan": KelurahanChoiceField, "psm": PSMChoiceField, "petugas": PetugasChoiceField}

    def __init__(self, *args, user: User, penduduk: Penduduk | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.penduduk_terpilih = penduduk
        wilayah = Kelurahan.objects.for_user(user)
        self.fields["kelurahan"].queryset = wilayah.select_related("kecamatan")
        self.fields["jenis"].queryset = JenisPPKS.objects.filter(aktif=True)
        self.fields["jenis"].help_text = _("Boleh kosong bila belum jelas.")
        self.fields["petugas"].queryset = User.objects.filter(
            Q(peran__in=PERAN_PENGELOLA) | Q(is_superuser=True), is_active=True
        ).order_by("first_name", "username")
        anggota_wilayah = User.kelurahan.through.objects.filter(kelurahan__in=wilayah).values("user_id")
        self.fields["psm"].queryset = (
            User.objects.filter(is_active=True, is_superuser=False, peran=Peran.PSM, pk__in=anggota_wilayah)
            .prefetch_related("kelurahan")
            .order_by("first_name", "username")
        )
        self.fields["psm"].help_text = _("PSM yang bertugas di kelurahan kasus ini.")
        self.fields["urgensi"].choices = [
            (nilai, _("%(label)s: respons dalam %(lama)s") % {"label": label, "lama": lama_respons(nilai)})
            for nilai, label in Urgensi.choices
        ]
        self.fields["viral"].help_text = _(
            "Kasus yang viral di media sosial selalu berurgensi Darurat (respons dalam %(lama)s), apa pun "
            "pilihan urgensinya."
        ) % {"lama": lama_respons(Urgensi.DARURAT)}
        self.fields["ringkasan"].widget.attrs.setdefault("placeholder", _("Mis. Lansia tinggal sendiri, sakit"))
        self.fields["lokasi"].widget.attrs.setdefault("placeholder", _("Alamat atau patokan, mis. depan Pasar Ibuh"))
        if not self.instance.pk:
            self._isi_awal(user, penduduk)
        if not boleh_cari_nomor(user):
            del self.fields["nik_penduduk"]
        if not self.instance.penduduk_id:
            del self.fields["lepas_penduduk"]
        pilihan_kosong_indonesia(self)

    def _isi_awal(self, user: User, penduduk: Penduduk | None) -> None:
        ids = user.kelurahan_ids() if user.is_psm else []
        if penduduk is not None and self.fields["kelurahan"].queryset.filter(pk=penduduk.kelurahan_id).exists():
            self.fields["kelurahan"].initial = penduduk.kelurahan_id
        elif len(ids) == 1:
            self.fields["kelurahan"].initial = ids[0]
        self.fields["sumber"].initial = SumberKasus.PSM if user.is_psm else SumberKasus.WARGA
        if user.is_psm:
            self.fields["psm"].initial = user.pk
        elif user.pengelola:
            self.fields["petugas"].initial = user.pk

    @property
    def penduduk_tampil(self) -> Penduduk | None:
        """The linked person as this user may see them (None: none, or out of the user's area)."""
        if self.penduduk_terpilih is not None:
            return self.penduduk_terpilih
        if not self.instance.penduduk_id:
            return None
        if not hasattr(self, "_penduduk_tampil"):
            self._penduduk_tampil = Penduduk.objects.for_user(self.user).filter(pk=self.instance.penduduk_id).first()
        return self._penduduk_tampil

    def clean_nik_penduduk(self) -> str | None:
        nik = self.cleaned_data.get("nik_penduduk")
        if not nik:
            return None
        orang = Penduduk.objects.for_user(self.user).filter(nik=nik).first()
        if orang is None:
            raise forms.ValidationError(
                _(
                    "Tidak ada penduduk dengan NIK ini di wilayah Anda. Kosongkan dulu (kasus boleh dicatat "
                    "tanpa identitas), lalu daftarkan orangnya di registri penduduk."
                )
            )
        self.penduduk_terpilih = orang
        return nik

    def clean(self):
        data = super().clean()
        if data.get("viral"):
            data["urgensi"] = Urgensi.DARURAT
        psm, kelurahan = data.get("psm"), data.get("kelurahan")
        if psm is not None and kelurahan is not None and kelurahan.pk not in psm.kelurahan_ids():
            self.add_error("psm", _("PSM ini tidak bertugas di kelurahan %(kel)s.") % {"kel": kelurahan.nama})
        return data

    def save(self, commit: bool = False) -> Kasus:
        """The case with the form's values, not saved: the view hands it to the service."""
        kasus = super().save(commit=False)
        if self.penduduk_terpilih is not None:
            kasus.penduduk = self.penduduk_terpilih
        elif self.cleaned_data.get("lepas_penduduk"):
            kasus.penduduk = None
        return kasus


# --- the small forms of the detail page ------------------------------------------------------------


class TindakanForm(forms.Form):
    jenis = forms.ChoiceField(
        label=_("Jenis tindakan"),
        choices=[(n, label) for n, label in JenisTindakan.choices if n != JenisTindakan.STATUS],
    )
    uraian = forms.CharField(label=_("Uraian"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    waktu = forms.DateTimeField(
        label=_("Waktu"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Kosongkan untuk waktu sekarang."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["waktu"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_waktu(self):
        waktu = self.cleaned_data.get("waktu")
        if waktu is not None and waktu > timezone.now():
            raise forms.ValidationError(_("Waktu tindakan tidak boleh di masa depan."))
        if waktu is not None and waktu.year < 1900:
            raise forms.ValidationError(_("Waktu tindakan tidak boleh sebelum kasus dilaporkan."))
        return waktu


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=StatusKasus.choices)
    alasan = forms.CharField(label=_("Catatan"), required=False, max_length=255)


class TutupForm(forms.Form):
    alasan = forms.CharField(
        label=_("Alasan kasus ditutup"),
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": _("Mis. laporan tidak terbukti, orang tidak ditemukan")}),
    )


class BukaKembaliForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan dibuka kembali"), max_length=500)


class RujukanForm(forms.ModelForm):
    class Meta:
        model = Rujukan
        fields = ["jenis_lembaga", "nama_lembaga", "tanggal", "catatan"]
        widgets = {"tanggal": _TANGGAL, "catatan": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nama_lembaga"].widget.attrs.setdefault("placeholder", _("Mis. RSUD Adnaan WD"))
        self.fields["tanggal"].required = False
        self.fields["tanggal"].initial = timezone.localdate
        self.fields["tanggal"].help_text = _("Kosongkan untuk hari ini.")
        pilihan_kosong_indonesia(self)

    def clean_tanggal(self):
        tanggal = self.cleaned_data.get("tanggal") or timezone.localdate()
        if tanggal > timezone.localdate():
            raise forms.ValidationError(_("Tanggal rujukan tidak boleh di masa depan."))
        if tanggal.year < 1900:
            raise forms.ValidationError(_("Tanggal rujukan tidak boleh sebelum kasus dilaporkan."))
        return tanggal


class RujukanStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status rujukan"), choices=StatusRujukan.choices)
    catatan = forms.CharField(label=_("Catatan"), required=False, max_length=1000)
