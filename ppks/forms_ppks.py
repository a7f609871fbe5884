"""Forms of the PPKS registry pages: the list filter, the person picker and the registration form."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from akun.models import User
from akun.roles import Peran
from penduduk.forms import _TANGGAL, PILIHAN_KOSONG, RegistriFilterForm, pilihan_kosong_indonesia
from penduduk.models import Penduduk
from ppks.choices import Kebutuhan, StatusPPKS
from ppks.models import PPKS, JenisPPKS

# The list shows who is still PPKS unless asked otherwise: "bukan PPKS lagi" rows are history.
STATUS_MASIH = ""
STATUS_SEMUA = "semua"
# "Belum dikunjungi lebih dari N hari" (PPKSQuerySet.tanpa_kunjungan_sejak: never visited counts too).
PILIHAN_HARI = (30, 60, 90, 180)
BATAS_PILIH_PENDUDUK = 20


def nama_pengguna(user: User) -> str:
    return user.get_full_name() or user.username


class PSMChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return nama_pengguna(obj)


def psm_aktif():
    return (
        User.objects.filter(peran=Peran.PSM, is_active=True)
        .only("pk", "username", "first_name", "last_name")
        .order_by("first_name", "last_name", "username")
    )


class PPKSFilterForm(RegistriFilterForm):
    """Search, area, jenis, status, pendamping and "not visited for N days" filters of the PPKS list.

    Name search reuses the registry's (``PendudukQuerySet.cari``, from ``for_user``); a role that
    sees numbers masked searches by name only (``RegistriFilterForm.clean_q``). A sensitive jenis
    is no choice for Pimpinan (``JenisPPKS.terlihat_oleh``): a stale link with one drops the filter.
    """

    jenis = forms.ModelChoiceField(
        label=_("Jenis PPKS"), queryset=JenisPPKS.objects.none(), required=False, empty_label=_("Semua jenis")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (STATUS_MASIH, _("Masih PPKS")),
            *StatusPPKS.choices,
            (STATUS_SEMUA, _("Semua status")),
        ],
    )
    psm = PSMChoiceField(
        label=_("PSM pendamping"), queryset=User.objects.none(), required=False, empty_label=_("Semua PSM")
    )
    belum_dikunjungi = forms.TypedChoiceField(
        label=_("Belum dikunjungi"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Semua")), *((str(n), _("Lebih dari %(n)s hari") % {"n": n}) for n in PILIHAN_HARI)],
        help_text=_("Termasuk yang belum pernah dikunjungi."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["jenis"].queryset = JenisPPKS.objects.terlihat_oleh(user)
        psm = psm_aktif()
        if not user.lihat_sekota:
            psm = psm.filter(kelurahan__in=user.kelurahan_ids()).distinct()
        self.fields["psm"].queryset = psm
        if self.boleh_nomor:
            self.fields["q"].label = _("Cari nama atau NIK")
            self.fields["q"].widget.attrs["placeholder"] = _("Nama atau NIK")

    @property
    def ada_pencarian(self) -> bool:
        return bool(self._data().get("q"))

    @property
    def ada_filter(self) -> bool:
        return any(
            self._data().get(k) for k in ("q", "kecamatan", "kelurahan", "jenis", "status", "psm", "belum_dikunjungi")
        )

    def filter_tanpa_jenis(self, qs):
        """Every filter but the jenis: the counts per jenis are computed over this."""
        data = self._data()
        if self.nomor_ditolak:
            return qs.none()
        if data.get("kecamatan"):
            qs = qs.filter(penduduk__kelurahan__kecamatan=data["kecamatan"])
        if data.get("kelurahan"):
            qs = qs.filter(penduduk__kelurahan=data["kelurahan"])
        status = data.get("status", STATUS_MASIH)
        if status == STATUS_MASIH:
            qs = qs.aktif()
        elif status != STATUS_SEMUA:
            qs = qs.filter(status=status)
        if data.get("psm"):
            qs = qs.filter(psm_pendamping=data["psm"])
        if data.get("belum_dikunjungi"):
            qs = qs.tanpa_kunjungan_sejak(data["belum_dikunjungi"])
        if data.get("q"):
            # The persons searched are those the viewer may see; a semi-join, not a join per row.
            orang = Penduduk.objects.for_user(self.user).cari(data["q"], boleh_nomor=self.boleh_nomor)
            qs = qs.filter(penduduk__in=orang.values("pk"))
        return qs

    def filter(self, qs):
        qs = self.filter_tanpa_jenis(qs)
        jenis = self._data().get("jenis")
        return qs.filter(jenis=jenis) if jenis else qs


class PilihPendudukForm(forms.Form):
    """Step one of registering without ``?penduduk=``: find the person (NIK or name) in the user's area."""

    cari = forms.CharField(
        label=_("NIK atau nama penduduk"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "placeholder": _("NIK atau nama")}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def hasil(self) -> list[Penduduk] | None:
        """Persons in the area matching the search (names starting with it first), or None before a search."""
        if not self.is_bound or not self.is_valid() or not self.cleaned_data["cari"].strip():
            return None
        qs = Penduduk.objects.for_user(self.user).select_related("kelurahan")
        return list(qs.cari_berurut(self.cleaned_data["cari"])[:BATAS_PILIH_PENDUDUK])


class PPKSForm(forms.ModelForm):
    """A PPKS registration of one person (fixed by the view); saved through ``ppks_simpan``."""

    kebutuhan = forms.MultipleChoiceField(
        label=_("Kebutuhan"),
        required=False,
        choices=Kebutuhan.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Centang semua yang dibutuhkan; yang lain tulis di bawah."),
    )

    class Meta:
        model = PPKS
        fields = [
            "jenis", "status", "tanggal_selesai", "alasan_selesai", "kebutuhan", "kebutuhan_lain", "sumber",
            "psm_pendamping", "terakhir_dikunjungi", "terdata_pada", "catatan",
        ]  # fmt: skip
        widgets = {
            "tanggal_selesai": _TANGGAL,
            "terakhir_dikunjungi": _TANGGAL,
            "terdata_pada": _TANGGAL,
            "kebutuhan_lain": forms.Textarea(attrs={"rows": 2}),
            "catatan": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"psm_pendamping": PSMChoiceField}
        help_texts = {
            "tanggal_selesai": _("Hanya bila status “Bukan PPKS lagi”."),
            "alasan_selesai": _("Hanya bila status “Bukan PPKS lagi”, mis. sudah mandiri, meninggal, pindah."),
            "terakhir_dikunjungi": _("Kosongkan bila belum pernah dikunjungi."),
        }

    def __init__(self, *args, user: User, penduduk: Penduduk, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.penduduk = penduduk
        self.ppks_ganda: PPKS | None = None
        if not self.instance.pk:
            self.instance.penduduk = penduduk
        # Retired jenis are no choice for a new registration; an old one keeps its own.
        self.fields["jenis"].queryset = JenisPPKS.objects.filter(Q(aktif=True) | Q(pk=self.instance.jenis_id))
        psm = psm_aktif().filter(kelurahan=penduduk.kelurahan_id)
        self.fields["psm_pendamping"].queryset = psm
        # crispy renders help_text unescaped: escape the data put into it (stored XSS, tests/keamanan/test_xss.py).
        self.fields["psm_pendamping"].help_text = _("PSM yang bertugas di kelurahan %(kel)s.") % {
            "kel": escape(penduduk.kelurahan.nama)
        }
        if not self.instance.pk and user.is_psm and user.pk in {p.pk for p in psm}:
            self.fields["psm_pendamping"].initial = user.pk
        lama = self.instance.psm_pendamping if self.instance.psm_pendamping_id else None
        if lama is not None and lama not in psm:
            self.fields["psm_pendamping"].help_text = _(
                "%(nama)s tidak lagi bertugas di kelurahan ini: pilih PSM pendamping yang baru."
            ) % {"nama": escape(nama_pengguna(lama))}
        pilihan_kosong_indonesia(self)
        self.fields["psm_pendamping"].empty_label = _("— belum ada —")
        self.fields["jenis"].empty_label = PILIHAN_KOSONG

    def clean_kebutuhan(self) -> list[str]:
        dipilih = set(self.cleaned_data.get("kebutuhan") or [])
        return [nilai for nilai in Kebutuhan.values if nilai in dipilih]

    def _bukan_masa_depan(self, nama: str):
        tanggal = self.cleaned_data.get(nama)
        if tanggal and tanggal > timezone.localdate():
            raise forms.ValidationError(_("Tanggal tidak boleh di masa depan."))
        return tanggal

    def clean_terakhir_dikunjungi(self):
        return self._bukan_masa_depan("terakhir_dikunjungi")

    def clean_terdata_pada(self):
        return self._bukan_masa_depan("terdata_pada")

    def clean(self):
        data = super().clean()
        jenis, status = data.get("jenis"), data.get("status")
        if jenis and status and status != StatusPPKS.BUKAN_PPKS:
            # The model's constraint decides (ppks_simpan → full_clean); this finds the row to link to.
            self.ppks_ganda = (
                PPKS.objects.for_user(self.user)
                .aktif()
                .filter(penduduk=self.penduduk, jenis=jenis)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if self.ppks_ganda is not None:
                self.add_error(
                    "jenis",
                    _("%(nama)s sudah terdaftar aktif sebagai PPKS jenis ini. Ubah data yang sudah ada.")
                    % {"nama": self.penduduk.nama},
                )
        return data
