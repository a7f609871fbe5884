"""Forms of the public complaint pages and of the staff's triage actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from akun.models import User
from akun.parameter import id_dari
from akun.roles import PERAN_PENGELOLA, Peran
from pengaduan import kode as kode_lacak
from pengaduan.choices import STATUS_TERBUKA, STATUS_TUTUP, TRANSISI, Kategori, StatusPengaduan
from pengaduan.lampiran import periksa_lampiran
from wilayah.models import Kecamatan, Kelurahan

PENJELASAN_KATEGORI = {
    Kategori.PUNGLI: _("Ada potongan, pungutan, atau bantuan yang tidak sampai utuh."),
    Kategori.SALAH_SASARAN: _("Keluarga mampu menerima bantuan, atau keluarga miskin tidak menerima."),
    Kategori.BUTUH_BANTUAN: _(
        "Ada warga yang perlu segera ditolong (terlantar, sakit tanpa perawat, tidak punya makanan). "
        "Petugas dan PSM kelurahan langsung menerima tugas."
    ),
    Kategori.LAYANAN: _("Pelayanan Dinas Sosial yang lambat, tidak ramah, atau tidak jelas."),
}


def _label_kelurahan(k: Kelurahan) -> str:
    return f"{k.nama} (Kec. {k.kecamatan.nama})"


class _PilihanKelurahan(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _label_kelurahan(obj)


class PengaduanPublikForm(forms.Form):
    """The public form. ``situs_web`` is a honeypot: hidden from people, filled by bots."""

    kategori = forms.ChoiceField(
        label=_("Apa yang ingin Anda laporkan?"),
        choices=Kategori.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    isi = forms.CharField(
        label=_("Ceritakan apa yang terjadi"),
        min_length=20,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Siapa, apa, kapan, di mana. Untuk pungli: program bantuan, jumlah yang dipotong, oleh siapa."),
    )
    kelurahan = _PilihanKelurahan(
        label=_("Kelurahan"),
        queryset=Kelurahan.objects.select_related("kecamatan").order_by("kecamatan__nama", "nama"),
        required=False,
        help_text=_("Wajib untuk laporan warga yang butuh pertolongan."),
    )
    lokasi = forms.CharField(
        label=_("Alamat atau patokan lokasi"), max_length=255, required=False, help_text=_("Mis. RT/RW, nama jalan.")
    )
    mendesak = forms.BooleanField(
        label=_("Keadaan mendesak (perlu ditolong dalam 3 hari)"),
        required=False,
        help_text=_("Hanya untuk laporan warga yang butuh pertolongan."),
    )
    anonim = forms.BooleanField(
        label=_("Kirim tanpa nama (anonim)"),
        required=False,
        help_text=_("Nama dan kontak tidak disimpan. Anda tetap bisa mengikuti laporan dengan kode lacak."),
    )
    pelapor_nama = forms.CharField(label=_("Nama Anda"), max_length=120, required=False)
    pelapor_kontak = forms.CharField(
        label=_("Nomor HP/WhatsApp atau e-mail"),
        max_length=60,
        required=False,
        help_text=_("Agar petugas bisa menghubungi Anda bila perlu keterangan."),
    )
    lampiran = forms.FileField(
        label=_("Lampiran (tidak wajib)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )
    situs_web = forms.CharField(
        label=_("Jangan diisi"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings

        self.fields["lampiran"].help_text = _(
            "Foto (JPEG, PNG, WebP) atau PDF, maksimal %(mb)s MB. Jangan lampirkan foto KTP/KK."
        ) % {"mb": settings.PENGADUAN_LAMPIRAN_MAKS_MB}
        self.jenis_lampiran = None

    @property
    def terisi_bot(self) -> bool:
        """The honeypot was filled (read before ``is_valid``: a bot gets no field errors to learn from)."""
        return bool(self.data.get("situs_web", "").strip())

    def clean_lampiran(self):
        berkas = self.cleaned_data.get("lampiran")
        if berkas:
            self.jenis_lampiran = periksa_lampiran(berkas)
        return berkas

    def clean(self):
        data = super().clean()
        if data.get("kategori") == Kategori.BUTUH_BANTUAN and not data.get("kelurahan"):
            self.add_error("kelurahan", _("Pilih kelurahan tempat warga yang butuh pertolongan berada."))
        if data.get("kategori") != Kategori.BUTUH_BANTUAN:
            data["mendesak"] = False
        if data.get("anonim"):
            data["pelapor_nama"] = data["pelapor_kontak"] = ""
        return data


class LacakForm(forms.Form):
    kode = forms.CharField(
        label=_("Kode lacak"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "ADU-XXX-XXX-XXX",
            }
        ),
    )

    def kode_normal(self) -> str | None:
        return kode_lacak.normalisasi(self.cleaned_data.get("kode", ""))


# --- staff -------------------------------------------------------------------------------------

STATUS_SEMUA_TERBUKA = "terbuka"


class PengaduanFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua")), (STATUS_SEMUA_TERBUKA, _("Masih terbuka")), *StatusPengaduan.choices],
    )
    kategori = forms.ChoiceField(label=_("Kategori"), required=False, choices=[("", _("Semua")), *Kategori.choices])
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"), queryset=Kecamatan.objects.order_by("nama"), required=False, empty_label=_("Semua")
    )
    kelurahan = _PilihanKelurahan(
        label=_("Kelurahan"),
        queryset=Kelurahan.objects.select_related("kecamatan").order_by("kecamatan__nama", "nama"),
        required=False,
        empty_label=_("Semua"),
    )
    terlambat = forms.BooleanField(label=_("Hanya yang melewati batas waktu"), required=False)
    kode = forms.CharField(label=_("Kode lacak"), max_length=40, required=False)

    def data_bersih(self) -> dict:
        return self.cleaned_data if self.is_bound and self.is_valid() else {}

    @property
    def ada_filter(self) -> bool:
        return any(
            self.data_bersih().get(k) for k in ("status", "kategori", "kecamatan", "kelurahan", "terlambat", "kode")
        )

    def filter(self, qs):
        data = self.data_bersih()
        status = data.get("status")
        if status == STATUS_SEMUA_TERBUKA:
            qs = qs.terbuka()
        elif status:
            qs = qs.filter(status=status)
        if data.get("kategori"):
            qs = qs.filter(kategori=data["kategori"])
        if data.get("kelurahan"):
            qs = qs.filter(kelurahan=data["kelurahan"])
        elif data.get("kecamatan"):
            qs = qs.filter(kelurahan__kecamatan=data["kecamatan"])
        if data.get("terlambat"):
            qs = qs.terlambat()
        if data.get("kode"):
            qs = qs.filter(kode_lacak=kode_lacak.normalisasi(data["kode"]) or "")
        return qs


class TugaskanForm(forms.Form):
    petugas = forms.ModelChoiceField(
        label=_("Petugas"),
        queryset=User.objects.filter(is_active=True, peran__in=PERAN_PENGELOLA).order_by("first_name", "username"),
        required=False,
        empty_label=_("— belum ditugaskan —"),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=[])

    def __init__(self, *args, dari: str, **kwargs):
        super().__init__(*args, **kwargs)
        label = dict(StatusPengaduan.choices)
        self.fields["status"].choices = [(s, label[s]) for s in STATUS_TERBUKA if s in TRANSISI.get(dari, ())]


class TutupForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Hasil"),
        choices=[(s.value, s.label) for s in StatusPengaduan if s in STATUS_TUTUP],
        widget=forms.RadioSelect,
        initial=StatusPengaduan.SELESAI,
    )
    resolusi = forms.CharField(
        label=_("Catatan penyelesaian (internal)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Wajib. Apa yang ditemukan dan dilakukan; tidak tampil untuk pelapor."),
    )
    tanggapan_publik = forms.CharField(
        label=_("Tanggapan untuk pelapor (tampil pada halaman lacak)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text=_("Jangan memuat nama atau data pribadi."),
    )


class BukaForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan membuka kembali"), max_length=100)


class TanggapanForm(forms.Form):
    tanggapan_publik = forms.CharField(
        label=_("Tanggapan untuk pelapor"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text=_("Tampil pada halaman lacak. Jangan memuat nama atau data pribadi."),
    )


class PenyaluranForm(forms.Form):
    penyaluran = forms.CharField(label=_("ID penyaluran"), max_length=25)

    def clean_penyaluran(self) -> int:
        pk = id_dari(self.cleaned_data["penyaluran"].strip().lstrip("#"))
        if pk is None:
            raise forms.ValidationError(_("Isi dengan ID penyaluran (angka)."))
        return pk


class PSMForm(forms.Form):
    psm = forms.ModelChoiceField(
        label=_("PSM terkait"),
        queryset=User.objects.filter(peran=Peran.PSM).order_by("username"),
        required=False,
        empty_label=_("— tidak ada —"),
    )
