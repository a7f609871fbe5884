"""Forms of the staff pages about PSM: the list filter, the profile (+ trainings) and the handover."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from akun.models import User
from akun.parameter import id_dari
from akun.roles import Peran
from penduduk.forms import _TANGGAL, KelurahanChoiceField, NomorIndukField, pilihan_kosong_indonesia
from ppks.forms_ppks import PSMChoiceField, nama_pengguna
from ppks.models import PPKS, Kasus
from psm.models import Pelatihan, ProfilPSM
from wilayah.models import Kecamatan, Kelurahan

YA_TIDAK = [("", _("Semua")), ("ya", _("Ya")), ("tidak", _("Tidak"))]


class ProfilFilterForm(forms.Form):
    """Filters of the PSM list; each row is a PSM account, with or without a profile."""

    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"), queryset=Kecamatan.objects.all(), required=False, empty_label=_("Semua kecamatan")
    )
    kelurahan = KelurahanChoiceField(
        label=_("Kelurahan"),
        queryset=Kelurahan.objects.select_related("kecamatan"),
        required=False,
        empty_label=_("Semua kelurahan"),
    )
    koordinator = forms.ChoiceField(label=_("Koordinator"), choices=YA_TIDAK, required=False)
    aktif = forms.ChoiceField(
        label=_("Akun aktif"), choices=[("", _("Semua")), ("ya", _("Aktif")), ("tidak", _("Nonaktif"))], required=False
    )
    profil = forms.ChoiceField(
        label=_("Profil"),
        choices=[("", _("Semua")), ("ada", _("Sudah punya profil")), ("belum", _("Belum punya profil"))],
        required=False,
    )

    def data_bersih(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()  # an invalid value (stale link) drops that filter only
        return self.cleaned_data

    @property
    def ada_filter(self) -> bool:
        return any(self.data_bersih().values())

    def filter(self, qs):
        data = self.data_bersih()
        if data.get("kelurahan"):
            qs = qs.filter(pk__in=User.kelurahan.through.objects.filter(kelurahan=data["kelurahan"]).values("user_id"))
        elif data.get("kecamatan"):
            pilih = User.kelurahan.through.objects.filter(kelurahan__kecamatan=data["kecamatan"])
            qs = qs.filter(pk__in=pilih.values("user_id"))
        if data.get("koordinator") == "ya":
            qs = qs.filter(profil_psm__koordinator=True)
        elif data.get("koordinator") == "tidak":
            qs = qs.exclude(profil_psm__koordinator=True)
        if data.get("aktif"):
            qs = qs.filter(is_active=data["aktif"] == "ya")
        if data.get("profil") == "ada":
            qs = qs.filter(profil_psm__isnull=False)
        elif data.get("profil") == "belum":
            qs = qs.filter(profil_psm__isnull=True)
        return qs


class PSMUserChoiceField(PSMChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{nama_pengguna(obj)} ({obj.username})"


class ProfilForm(forms.ModelForm):
    """A PSM profile; saved through ``psm.services.profil_simpan`` (which checks the primary
    kelurahan against the account's kelurahan again)."""

    nik = NomorIndukField(label=_("NIK"), required=False)

    class Meta:
        model = ProfilPSM
        fields = [
            "user", "nik", "nama", "telepon", "nomor_sk", "tanggal_sk", "aktif_mulai", "aktif_sampai",
            "koordinator", "kelurahan_utama",
        ]  # fmt: skip
        field_classes = {"user": PSMUserChoiceField, "kelurahan_utama": KelurahanChoiceField}
        widgets = {"tanggal_sk": _TANGGAL, "aktif_mulai": _TANGGAL, "aktif_sampai": _TANGGAL}

    def __init__(self, *args, pengguna: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["user"]
            pengguna = self.instance.user
        else:
            calon = User.objects.filter(peran=Peran.PSM, is_superuser=False, profil_psm__isnull=True)
            if pengguna is not None:
                calon = calon.filter(pk=pengguna.pk)
                self.fields["user"].initial = pengguna.pk
            self.fields["user"].queryset = calon.order_by("first_name", "last_name", "username")
            self.fields["user"].label = _("Akun PSM")
            self.fields["user"].help_text = _("Hanya akun PSM yang belum punya profil.")
        kelurahan = Kelurahan.objects.select_related("kecamatan").order_by("nama")
        if pengguna is not None:
            kelurahan = kelurahan.filter(pk__in=pengguna.kelurahan_ids())
        else:
            kelurahan = kelurahan.filter(pengguna__peran=Peran.PSM, pengguna__profil_psm__isnull=True).distinct()
        self.fields["kelurahan_utama"].queryset = kelurahan
        self.fields["telepon"].widget.attrs.update(inputmode="tel", placeholder="0812 3456 7890")
        pilihan_kosong_indonesia(self)


class PelatihanForm(forms.ModelForm):
    class Meta:
        model = Pelatihan
        fields = ["nama", "penyelenggara", "tanggal"]
        widgets = {"tanggal": _TANGGAL}

    def clean_tanggal(self):
        tanggal = self.cleaned_data.get("tanggal")
        if tanggal and tanggal > timezone.localdate():
            raise forms.ValidationError(_("Tanggal pelatihan tidak boleh di masa depan."))
        return tanggal


# absolute_max: a forged pelatihan-TOTAL_FORMS would otherwise build up to 1,030 rows (max_num + 1000).
PelatihanFormSet = forms.inlineformset_factory(
    ProfilPSM, Pelatihan, form=PelatihanForm, extra=1, can_delete=True, max_num=30, absolute_max=30, validate_max=True
)


class _PilihanIdField(forms.ModelMultipleChoiceField):
    """Checkboxes of row ids. A value that is no row id (e.g. 2**63) is refused before Django's
    ``pk__in`` query, which SQLite cannot bind (OverflowError: a 500, found by the form fuzzer)."""

    def _check_values(self, value):
        for pk in value:
            if id_dari(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class PPKSPilihanField(_PilihanIdField):
    def label_from_instance(self, obj: PPKS) -> str:
        return f"{obj.penduduk.nama} · {obj.jenis.nama} · {obj.penduduk.kelurahan.nama}"


class KasusPilihanField(_PilihanIdField):
    def label_from_instance(self, obj: Kasus) -> str:
        return f"{obj.nomor} · {obj.ringkasan[:60]} · {obj.kelurahan.nama}"


class AlihkanForm(forms.Form):
    """Hand over all, or the chosen, PPKS and open cases of one PSM to another (``psm_alihkan``)."""

    ke = PSMUserChoiceField(label=_("PSM penerima"), queryset=User.objects.none())
    semua = forms.TypedChoiceField(
        label=_("Yang dialihkan"),
        choices=[("1", _("Semua PPKS dampingan dan kasus terbuka")), ("0", _("Hanya yang dipilih di bawah"))],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    ppks = PPKSPilihanField(
        label=_("PPKS dampingan"), queryset=PPKS.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    kasus = KasusPilihanField(
        label=_("Kasus terbuka"), queryset=Kasus.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    catatan = forms.CharField(
        label=_("Catatan serah terima"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib. Disimpan di riwayat setiap PPKS dan kasus yang dialihkan."),
    )
    nonaktifkan = forms.BooleanField(
        label=_("Nonaktifkan akun PSM ini setelah serah terima"),
        required=False,
        help_text=_("Hanya bila semua PPKS dan kasus terbuka sudah dialihkan. Akun langsung kehilangan akses."),
    )

    def __init__(self, *args, dari: User, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.dari = dari
        wilayah = dari.kelurahan_ids()
        berbagi = User.kelurahan.through.objects.filter(kelurahan_id__in=wilayah).values("user_id")
        self.fields["ke"].queryset = (
            User.objects.filter(peran=Peran.PSM, is_active=True, is_superuser=False, pk__in=berbagi)
            .exclude(pk=dari.pk)
            .order_by("first_name", "last_name", "username")
        )
        self.fields["ke"].help_text = _("PSM aktif yang berbagi minimal satu kelurahan dengan PSM ini.")
        self.fields["ppks"].queryset = (
            PPKS.objects.for_user(viewer)
            .aktif()
            .filter(psm_pendamping=dari)
            .select_related("penduduk__kelurahan", "jenis")
            .order_by("penduduk__nama_normal", "id")
        )
        self.fields["kasus"].queryset = (
            Kasus.objects.for_user(viewer).terbuka().filter(psm=dari).select_related("kelurahan").order_by("nomor")
        )
        pilihan_kosong_indonesia(self)

    def clean(self):
        data = super().clean()
        if data.get("semua") is False and not data.get("ppks") and not data.get("kasus"):
            raise forms.ValidationError(_("Pilih minimal satu PPKS atau kasus untuk dialihkan."))
        ke = data.get("ke")
        if ke is not None and data.get("semua") is not None:
            self._cek_wilayah_penerima(ke, data)
        return data

    def _cek_wilayah_penerima(self, ke: User, data: dict) -> None:
        """Name the kelurahan the receiver does not serve, before anything is written (the service
        refuses them too)."""
        ppks, kasus = self.fields["ppks"].queryset, self.fields["kasus"].queryset
        if not data["semua"]:
            ppks = ppks.filter(pk__in=[p.pk for p in data.get("ppks") or []])
            kasus = kasus.filter(pk__in=[k.pk for k in data.get("kasus") or []])
        wilayah = set(ke.kelurahan_ids())
        luar = sorted(
            {p.penduduk.kelurahan.nama for p in ppks if p.penduduk.kelurahan_id not in wilayah}
            | {k.kelurahan.nama for k in kasus if k.kelurahan_id not in wilayah}
        )
        if luar:
            self.add_error(
                "ke",
                _("%(nama)s tidak bertugas di kelurahan %(kel)s. Pilih PSM lain, atau alihkan sebagian saja.")
                % {"nama": nama_pengguna(ke), "kel": ", ".join(luar)},
            )


def sisa_dampingan(user: User) -> tuple[int, int]:
    """(active PPKS, open cases) still assigned to ``user``: all of them, whoever looks."""
    ppks = PPKS.objects.aktif().filter(psm_pendamping=user).count()
    kasus = Kasus.objects.terbuka().filter(psm=user).count()
    return ppks, kasus


def psm_dengan_wilayah(qs):
    """PSM accounts only (a superuser is an Admin whatever its role field says)."""
    return qs.filter(Q(peran=Peran.PSM) & Q(is_superuser=False))
