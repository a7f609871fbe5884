"""Forms of the extreme-poverty pages: filters (progress, list), entry, exit proposal, verification,
intervention. Writes go through ``kemiskinan.services``; the forms only shape the input."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kemiskinan.choices import PROGRAM_POKOK, AlasanKeluar, Program
from kemiskinan.models import Intervensi, StatusMiskinEkstrem, UsulanKeluar
from penduduk.forms import _TANGGAL, NomorKKField, RegistriFilterForm, pilihan_kosong_indonesia
from penduduk.models import Keluarga, Penduduk, cari_nomor

_TEKS_PENDEK = forms.Textarea(attrs={"rows": 2})


class RupiahField(forms.IntegerField):
    """Rupiah as people type it: "Rp1.288.680", "1.288.680", "1288680" (no sen). A text input: a
    number input would refuse the dots."""

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 10**12)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            teks = re.sub(r"^\s*rp\.?\s*", "", value.strip(), flags=re.IGNORECASE)
            teks = re.sub(r",00?$", "", teks).replace(".", "").replace(" ", "")
            if teks and not (teks.isascii() and teks.isdigit()):
                raise forms.ValidationError(_("Tulis nominal rupiah dengan angka, mis. 350.000."), code="invalid")
            value = teks
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "off", "placeholder": _("mis. 350.000")})
        return attrs


def _bukan_masa_depan(tanggal: dt.date | None) -> dt.date | None:
    if tanggal and tanggal > timezone.localdate():
        raise forms.ValidationError(_("Tanggal tidak boleh di masa depan."))
    return tanggal


class WilayahFilterMixin:
    """Kecamatan/kelurahan filters of a queryset of stays (the household's kelurahan)."""

    def filter_wilayah_status(self, qs, data: dict):
        if data.get("kecamatan"):
            qs = qs.filter(keluarga__kelurahan__kecamatan=data["kecamatan"])
        if data.get("kelurahan"):
            qs = qs.filter(keluarga__kelurahan=data["kelurahan"])
        return qs


class ProgresFilterForm(WilayahFilterMixin, RegistriFilterForm):
    """``?per=dd/mm/yyyy`` (as of a past date), the area, and the chart's unit."""

    per = forms.DateField(label=_("Per tanggal"), required=False, widget=_TANGGAL)
    satuan = forms.ChoiceField(label=_("Grafik dalam"), required=False, choices=[("kk", _("KK")), ("jiwa", _("Jiwa"))])

    def __init__(self, *args, baseline: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["q"]
        self.baseline = baseline

    def clean_per(self):
        per = _bukan_masa_depan(self.cleaned_data.get("per"))
        if per and self.baseline and per < self.baseline:
            raise forms.ValidationError(
                _("Pilih tanggal pada atau sesudah baseline (%(tgl)s).") % {"tgl": f"{self.baseline:%d/%m/%Y}"}
            )
        return per

    def nilai(self) -> dict:
        return self._data()


STATUS_MASIH, STATUS_MENUNGGU, STATUS_KELUAR, STATUS_SEMUA = "", "menunggu", "keluar", "semua"
TANPA_SATU_PUN = "semua"


class KeluargaMiskinFilterForm(WilayahFilterMixin, RegistriFilterForm):
    """Filters of the household list; "tanpa" is the gap view (no PBI-JK, PKH, BPNT or usaha)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (STATUS_MASIH, _("Masih di daftar")),
            (STATUS_MENUNGGU, _("Usulan keluar menunggu verifikasi")),
            (STATUS_KELUAR, _("Sudah keluar")),
            (STATUS_SEMUA, _("Semua")),
        ],
    )
    tanpa = forms.ChoiceField(
        label=_("Belum menerima"),
        required=False,
        choices=[
            ("", _("—")),
            *((p.value, p.label) for p in PROGRAM_POKOK),
            (TANPA_SATU_PUN, _("Tidak satu pun dari keempatnya")),
        ],
        help_text=_("Keluarga yang belum tercatat menerima program ini."),
    )
    per = forms.DateField(label=_("Per tanggal"), required=False, widget=_TANGGAL)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.boleh_nomor:
            self.fields["q"].label = _("Cari nomor KK atau nama anggota")
            self.fields["q"].widget.attrs["placeholder"] = _("Nomor KK atau nama")
        else:
            self.fields["q"].label = _("Cari nama anggota keluarga")

    def clean_per(self):
        return _bukan_masa_depan(self.cleaned_data.get("per"))

    @property
    def ada_filter(self) -> bool:
        return any(self._data().get(k) for k in ("q", "kecamatan", "kelurahan", "status", "tanpa", "per"))

    def filter(self, qs, *, intervensi, usulan, penyaluran=None):
        """``intervensi``, ``usulan`` and ``penyaluran`` (bantuan distributions): the viewer's scoped
        querysets (semi-joins start from for_user)."""
        data = self._data()
        if self.nomor_ditolak:
            return qs.none()
        status, per = data.get("status", STATUS_MASIH), data.get("per")
        if status == STATUS_MASIH:
            qs = qs.terbuka_pada(per) if per else qs.terbuka()
        elif status == STATUS_MENUNGGU:
            qs = qs.terbuka().filter(pk__in=usulan.menunggu().values("status_miskin_id"))
        elif status == STATUS_KELUAR:
            qs = qs.filter(tanggal_keluar__lte=per) if per else qs.filter(tanggal_keluar__isnull=False)
        tanpa = data.get("tanpa")
        if tanpa:
            program = list(PROGRAM_POKOK) if tanpa == TANPA_SATU_PUN else [tanpa]
            penerima = intervensi.filter(program__in=program)
            if per:
                penerima = penerima.filter(tanggal__lte=per)
            qs = qs.exclude(keluarga__in=penerima.values("keluarga_id"))
            if penyaluran is not None:
                # Distributed or confirmed, to the household or a member (keluarga is set on both);
                # NOT IN over a column holding NULL matches nothing, so the NULLs are left out.
                salur = penyaluran.tersalur().filter(program__kelompok__in=program, keluarga__isnull=False)
                if per:
                    salur = salur.filter(tanggal__lte=per)
                qs = qs.exclude(keluarga__in=salur.values("keluarga_id"))
        q = data.get("q", "")
        nomor = cari_nomor(q) if q else None
        if nomor is not None:
            qs = qs.filter(keluarga__no_kk__startswith=nomor) if self.boleh_nomor else qs.none()
        elif q:
            anggota = Penduduk.objects.for_user(self.user).cari(q).values("keluarga_id")
            qs = qs.filter(keluarga__in=anggota)
        return self.filter_wilayah_status(qs, data)


class PilihKeluargaForm(forms.Form):
    """Step one of an entry without ``?keluarga=``: find the household (No KK or a member's name)."""

    cari = forms.CharField(
        label=_("Nomor KK atau nama anggota keluarga"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "placeholder": _("No. KK atau nama")}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def hasil(self) -> list[Keluarga] | None:
        if not self.is_bound or not self.is_valid() or not self.cleaned_data["cari"].strip():
            return None
        teks = self.cleaned_data["cari"]
        qs = Keluarga.objects.for_user(self.user).select_related("kelurahan")
        nomor = cari_nomor(teks)
        if nomor is not None:
            qs = qs.filter(no_kk__startswith=nomor)
        else:
            qs = qs.filter(pk__in=Penduduk.objects.for_user(self.user).cari(teks).values("keluarga_id"))
        return list(qs[:20])


class MasukForm(forms.ModelForm):
    pengeluaran_per_kapita = RupiahField(
        label=_("Pengeluaran per orang per bulan"), required=False, help_text=_("Rupiah; bila diketahui.")
    )

    class Meta:
        model = StatusMiskinEkstrem
        fields = ["sumber", "tanggal_masuk", "desil", "pengeluaran_per_kapita", "catatan"]
        widgets = {"tanggal_masuk": _TANGGAL, "catatan": _TEKS_PENDEK}
        help_texts = {"tanggal_masuk": _("Tanggal keluarga ditetapkan miskin ekstrem (mis. tanggal data P3KE).")}

    def __init__(self, *args, keluarga: Keluarga, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.keluarga = keluarga
        self.fields["desil"].widget.attrs.update({"inputmode": "numeric", "min": 1, "max": 10})
        self.fields["desil"].help_text = _("Desil kesejahteraan P3KE/DTSEN, 1-10.")
        pilihan_kosong_indonesia(self)

    def clean_tanggal_masuk(self):
        return _bukan_masa_depan(self.cleaned_data.get("tanggal_masuk"))


class UsulanKeluarForm(forms.ModelForm):
    pengeluaran_per_kapita = RupiahField(
        label=_("Pengeluaran per orang per bulan"), required=False, help_text=_("Wajib untuk graduasi.")
    )
    no_kk_tujuan = NomorKKField(
        label=_("Nomor KK keluarga tujuan"), required=False, help_text=_("Hanya bila bergabung dengan keluarga lain.")
    )

    class Meta:
        model = UsulanKeluar
        fields = ["tanggal_keluar", "alasan", "pengeluaran_per_kapita", "bukti", "keterangan"]
        widgets = {
            "tanggal_keluar": _TANGGAL,
            "alasan": forms.RadioSelect,
            "bukti": _TEKS_PENDEK,
            "keterangan": _TEKS_PENDEK,
        }

    def __init__(self, *args, user, status: StatusMiskinEkstrem, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.instance.status_miskin = status
        self.fields["tanggal_keluar"].initial = timezone.localdate()
        self.fields["alasan"].choices = AlasanKeluar.choices

    def clean_tanggal_keluar(self):
        return _bukan_masa_depan(self.cleaned_data.get("tanggal_keluar"))

    def _update_errors(self, errors):
        # The model names the household (keluarga_tujuan); the form asks for its No KK.
        galat = getattr(errors, "error_dict", None)
        if galat and "keluarga_tujuan" in galat:
            pindah = galat.pop("keluarga_tujuan")
            if "no_kk_tujuan" not in self.errors:
                galat["no_kk_tujuan"] = pindah
        super()._update_errors(errors)

    def clean(self):
        data = super().clean()
        nomor = data.get("no_kk_tujuan")
        self.instance.keluarga_tujuan = None
        if data.get("alasan") == AlasanKeluar.GABUNG and nomor:
            tujuan = Keluarga.objects.for_user(self.user).filter(no_kk=nomor).first()
            if tujuan is None:
                self.add_error("no_kk_tujuan", _("Keluarga dengan nomor KK ini tidak ada di wilayah Anda."))
            else:
                self.instance.keluarga_tujuan = tujuan
        elif data.get("alasan") == AlasanKeluar.GABUNG:
            self.add_error("no_kk_tujuan", _("Isi nomor KK keluarga tempat bergabung."))
        return data


class VerifikasiForm(forms.Form):
    keputusan = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("setuju", _("Setujui: keluarga keluar dari daftar")), ("tolak", _("Tolak: tetap di daftar"))],
        widget=forms.RadioSelect,
    )
    catatan = forms.CharField(
        label=_("Catatan verifikasi"),
        required=False,
        widget=_TEKS_PENDEK,
        help_text=_("Wajib bila ditolak: alasannya tampil di daftar."),
    )

    def clean(self):
        data = super().clean()
        if data.get("keputusan") == "tolak" and not (data.get("catatan") or "").strip():
            self.add_error("catatan", _("Tuliskan alasan usulan ditolak."))
        return data


class IntervensiForm(forms.ModelForm):
    nilai = RupiahField(
        label=_("Nilai (rupiah)"), required=False, help_text=_("Bila berupa uang atau barang bernilai.")
    )

    class Meta:
        model = Intervensi
        fields = ["program", "nama_program", "tanggal", "nilai", "sumber_dana", "keterangan"]
        widgets = {"tanggal": _TANGGAL, "keterangan": _TEKS_PENDEK}

    def __init__(self, *args, keluarga: Keluarga, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.keluarga = keluarga
        self.fields["tanggal"].initial = timezone.localdate()
        self.fields["program"].choices = [("", _("— pilih —")), *Program.choices]
        pilihan_kosong_indonesia(self)

    def clean_tanggal(self):
        return _bukan_masa_depan(self.cleaned_data.get("tanggal"))
