"""Forms of the assistance pages: filters, a distribution (one or in bulk), a receipt confirmation,
a flag's resolution. Writes go through ``bantuan.services``; the forms only shape the input."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from akun.models import User
from akun.roles import Peran
from bantuan.choices import JenisBendera, StatusPenyaluran
from bantuan.models import Konfirmasi, Penyaluran, Program
from kemiskinan.forms import RupiahField
from penduduk.forms import _TANGGAL, NomorIndukField, NomorKKField, RegistriFilterForm, pilihan_kosong_indonesia
from penduduk.models import Keluarga, Penduduk

_TEKS_PENDEK = forms.Textarea(attrs={"rows": 2})
# A distribution is planned, distributed or failed here; "received" comes only from a confirmation.
STATUS_ISIAN = [(s.value, s.label) for s in StatusPenyaluran if s != StatusPenyaluran.DIKONFIRMASI]


def _program_aktif():
    return Program.objects.filter(aktif=True).order_by("kode")


def _pendamping():
    return User.objects.filter(is_active=True, peran__in=[Peran.PSM, Peran.STAF, Peran.ADMIN]).order_by(
        "first_name", "username"
    )


class PendampingField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        nama = obj.get_full_name() or obj.username
        return f"{nama} ({obj.get_peran_display()})"


class PenyaluranFilterForm(RegistriFilterForm):
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.none(), required=False, empty_label=_("Semua program")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua status")), *StatusPenyaluran.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["q"]
        self.fields["program"].queryset = Program.objects.order_by("kode")

    @property
    def ada_filter(self) -> bool:
        return any(self._data().get(k) for k in ("program", "status", "kecamatan", "kelurahan"))

    def filter(self, qs):
        data = self._data()
        if data.get("program"):
            qs = qs.filter(program=data["program"])
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        return self.filter_wilayah(qs)


class BenderaFilterForm(RegistriFilterForm):
    jenis = forms.ChoiceField(label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *JenisBendera.choices])
    keadaan = forms.ChoiceField(
        label=_("Keadaan"),
        required=False,
        choices=[("", _("Terbuka")), ("selesai", _("Sudah diselesaikan")), ("semua", _("Semua"))],
    )
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.none(), required=False, empty_label=_("Semua program")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["q"]
        self.fields["program"].queryset = Program.objects.order_by("kode")

    def filter(self, qs):
        data = self._data()
        if data.get("jenis"):
            qs = qs.filter(jenis=data["jenis"])
        keadaan = data.get("keadaan", "")
        if keadaan == "":
            qs = qs.filter(diselesaikan_pada__isnull=True)
        elif keadaan == "selesai":
            qs = qs.filter(diselesaikan_pada__isnull=False)
        if data.get("program"):
            qs = qs.filter(penyaluran__program=data["program"])
        return self.filter_wilayah(qs)


class _PenyaluranIsianMixin:
    def _siapkan(self):
        self.fields["program"].queryset = _program_aktif()
        self.fields["status"].choices = STATUS_ISIAN
        self.fields["pendamping"] = PendampingField(
            label=_("Pendamping"),
            queryset=_pendamping(),
            required=False,
            help_text=_("PSM atau staf yang mendampingi penyaluran."),
        )
        self.fields["tanggal"].initial = timezone.localdate()
        self.fields["periode"].help_text = _("Tanggal mana pun dalam periodenya; disimpan sebagai awal periode.")
        pilihan_kosong_indonesia(self)


class PenyaluranForm(_PenyaluranIsianMixin, forms.ModelForm):
    """One distribution. The recipient comes from the page it was opened on (``?keluarga=`` or
    ``?penduduk=``) or from a No KK / NIK typed here; on a change it stays as it was."""

    nilai = RupiahField(label=_("Nilai (rupiah)"))
    no_kk = NomorKKField(label=_("No. KK keluarga penerima"), required=False)
    nik = NomorIndukField(label=_("NIK penerima perorangan"), required=False)

    class Meta:
        model = Penyaluran
        fields = [
            "program",
            "periode",
            "nilai",
            "tanggal",
            "saluran",
            "pendamping",
            "status",
            "alasan_gagal",
            "keterangan",
        ]
        widgets = {"periode": _TANGGAL, "tanggal": _TANGGAL, "keterangan": _TEKS_PENDEK}

    def __init__(self, *args, user, keluarga: Keluarga | None = None, penduduk: Penduduk | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self._siapkan()
        if self.instance.pk or keluarga or penduduk:
            del self.fields["no_kk"]
            del self.fields["nik"]
        if keluarga:
            self.instance.keluarga = keluarga
        if penduduk:
            self.instance.penduduk = penduduk
        self.fields["periode"].initial = timezone.localdate().replace(day=1)

    def clean(self):
        data = super().clean()
        if "no_kk" not in self.fields:
            return data
        no_kk, nik = data.get("no_kk"), data.get("nik")
        if not no_kk and not nik:
            if not self.errors:
                self.add_error("no_kk", _("Isi No. KK keluarga penerima, atau NIK untuk bantuan perorangan."))
            return data
        if nik:
            orang = Penduduk.objects.for_user(self.user).filter(nik=nik).first()
            if orang is None:
                self.add_error("nik", _("Penduduk dengan NIK ini tidak ada di wilayah Anda."))
            else:
                self.instance.penduduk = orang
        if no_kk:
            keluarga = Keluarga.objects.for_user(self.user).filter(no_kk=no_kk).first()
            if keluarga is None:
                self.add_error("no_kk", _("Keluarga dengan No. KK ini tidak ada di wilayah Anda."))
            else:
                self.instance.keluarga = keluarga
        return data


SUMBER_MISKIN_EKSTREM, SUMBER_WILAYAH = "miskin_ekstrem", "wilayah"


class PenyaluranMassalForm(_PenyaluranIsianMixin, forms.ModelForm):
    """One distribution for each household of a selection: every household now on the extreme-poor
    list, or the households of a kelurahan/kecamatan (optionally only extreme-poor ones)."""

    nilai = RupiahField(label=_("Nilai per keluarga (rupiah)"))
    sumber = forms.ChoiceField(
        label=_("Keluarga penerima"),
        choices=[
            (SUMBER_MISKIN_EKSTREM, _("Semua keluarga yang kini di daftar miskin ekstrem")),
            (SUMBER_WILAYAH, _("Keluarga di kelurahan/kecamatan terpilih")),
        ],
        widget=forms.RadioSelect,
        initial=SUMBER_MISKIN_EKSTREM,
    )
    pendamping_psm = forms.BooleanField(
        label=_("Pendamping: PSM kelurahan masing-masing keluarga"), required=False, initial=True
    )

    class Meta:
        model = Penyaluran
        fields = ["program", "periode", "nilai", "tanggal", "saluran", "pendamping", "status", "keterangan"]
        widgets = {"periode": _TANGGAL, "tanggal": _TANGGAL, "keterangan": _TEKS_PENDEK}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self._siapkan()
        self.fields["status"].choices = [c for c in STATUS_ISIAN if c[0] != StatusPenyaluran.GAGAL]
        self.fields["periode"].initial = timezone.localdate().replace(day=1)
        self.wilayah = RegistriFilterForm(self.data or None, user=user)
        self.fields["kecamatan"] = self.wilayah.fields["kecamatan"]
        self.fields["kelurahan"] = self.wilayah.fields["kelurahan"]

    def clean(self):
        data = super().clean()
        if data.get("sumber") == SUMBER_WILAYAH and not (data.get("kecamatan") or data.get("kelurahan")):
            self.add_error("kelurahan", _("Pilih kelurahan atau kecamatan."))
        return data

    def keluarga(self):
        """The selected households, through ``for_user``."""
        from kemiskinan.models import StatusMiskinEkstrem

        data = self.cleaned_data
        qs = Keluarga.objects.for_user(self.user)
        if data["sumber"] == SUMBER_MISKIN_EKSTREM:
            qs = qs.filter(pk__in=StatusMiskinEkstrem.objects.for_user(self.user).terbuka().values("keluarga_id"))
        if data.get("kecamatan"):
            qs = qs.filter(kelurahan__kecamatan=data["kecamatan"])
        if data.get("kelurahan"):
            qs = qs.filter(kelurahan=data["kelurahan"])
        return qs


class KonfirmasiForm(forms.ModelForm):
    """Short, for a phone: amount received, date, who said so, optional photo of the receipt."""

    nilai_diterima = RupiahField(label=_("Nilai yang benar-benar diterima keluarga"))

    class Meta:
        model = Konfirmasi
        fields = ["nilai_diterima", "tanggal_terima", "nama_pengonfirmasi", "foto_bukti", "catatan"]
        widgets = {
            "tanggal_terima": _TANGGAL,
            "catatan": _TEKS_PENDEK,
            "foto_bukti": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}
            ),
        }

    def __init__(self, *args, penyaluran: Penyaluran, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.penyaluran = penyaluran
        self.fields["tanggal_terima"].initial = timezone.localdate()
        self.fields["nilai_diterima"].help_text = _("Tanyakan kepada keluarga, bukan angka di daftar.")


class SelesaikanForm(forms.Form):
    catatan = forms.CharField(
        label=_("Catatan penyelesaian"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Apa yang diperiksa, apa temuannya, apa tindak lanjutnya."),
    )
