"""PPKS and cases in the back office (DESIGN.md, "Roles and access").

- Jenis PPKS: reference data. Admin adds and changes; Staf Dinsos looks it up. A jenis still
  named by a PPKS registration or a case is never deleted (deactivate it instead).
- PPKS and Kasus: Admin and Staf view, add and change; Admin deletes. Writes go through
  ``ppks.services`` like the site's pages. A case's status moves only on the site (its workflow
  asks for reasons and records each move in the timeline): here it is read-only.
- Tindakan and Rujukan, inline under their case: entries are added through the services;
  past entries are never edited (the timeline is the case's record).
- Notifikasi: Admin reads them (they are made by ``check_deadlines``).
- Import/export (xlsx, csv, ``ppks.resources``): Jenis PPKS (Admin imports) and PPKS (Admin and
  Staf import, through ``ppks.services``); Kasus and Notifikasi are export only (the status
  workflow and the deadline checks would be skipped by an import).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from akun.admin_base import (
    AKSES_REFERENSI,
    AKSES_REGISTRI,
    HANYA_ADMIN,
    PENGELOLA,
    Akses,
    FilterRelasiTerbatas,
    PeranAdminMixin,
    RiwayatAdmin,
)
from akun.admin_iex import EksporMixin, ImporEksporMixin
from akun.models import User
from akun.roles import Peran
from akun.versi import VersiAdminMixin, VersiFormMixin
from penduduk.models import Penduduk
from ppks import services
from ppks.choices import STATUS_TERBUKA, JenisTindakan, Kebutuhan
from ppks.models import PPKS, JenisPPKS, Kasus, Notifikasi, Rujukan, Tindakan
from ppks.nama_jenis import cari_jenis
from ppks.resources import JenisPPKSResource, KasusResource, NotifikasiResource, PPKSResource

TIDAK_ADA = frozenset()
# Timeline entries: added by Admin and Staf, never changed or deleted afterwards.
AKSES_LINIMASA = Akses(lihat=PENGELOLA, tambah=PENGELOLA, ubah=TIDAK_ADA, hapus=TIDAK_ADA)
AKSES_NOTIFIKASI = Akses(lihat=HANYA_ADMIN, tambah=TIDAK_ADA, ubah=TIDAK_ADA, hapus=TIDAK_ADA)


def _cek_layanan(form: forms.ModelForm, cek, *args) -> None:
    """A rule of ``ppks.services`` checked while the form is validated, so that a refusal is a
    message on the form rather than an error after saving."""
    try:
        cek(*args)
    except ValidationError as exc:
        form.add_error(None, exc)


def _bukan_masa_depan(form: forms.ModelForm, nama: str, pesan) -> None:
    nilai = form.cleaned_data.get(nama)
    if nilai is None:
        return
    sekarang = timezone.now() if hasattr(nilai, "hour") else timezone.localdate()
    if nilai > sekarang:
        form.add_error(nama, pesan)


# --- Jenis PPKS --------------------------------------------------------------------------------


def _pemakaian(jenis: JenisPPKS) -> tuple[int, int]:
    """(PPKS rows, Kasus rows) naming this jenis: all of them, whoever may see them."""
    if not hasattr(jenis, "_pemakaian"):
        jenis._pemakaian = (PPKS.objects.filter(jenis=jenis).count(), Kasus.objects.filter(jenis=jenis).count())
    return jenis._pemakaian


@admin.register(JenisPPKS)
class JenisPPKSAdmin(ImporEksporMixin, RiwayatAdmin):
    akses = AKSES_REFERENSI
    resource_classes = [JenisPPKSResource]
    list_display = ["nomor", "nama", "singkatan", "kelompok", "sensitif", "aktif", "jumlah_ppks", "jumlah_kasus"]
    list_display_links = ["nomor", "nama"]
    list_filter = ["kelompok", "sensitif", "aktif"]
    search_fields = ["nama", "singkatan", "alias"]  # 26 rows of reference data
    ordering = ["nomor"]
    readonly_fields = ["dipakai"]
    fields = ["nomor", "nama", "singkatan", "kelompok", "sensitif", "alias", "aktif", "dipakai"]

    def get_actions(self, request):
        # Reference data is deleted one jenis at a time, where the in-use check applies.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_changelist_instance(self, request):
        # The counts of the rows on the page, in two grouped queries, from what the user may see.
        cl = super().get_changelist_instance(request)
        cl.result_list = list(cl.result_list)
        ids = [j.pk for j in cl.result_list]
        ppks = dict(
            PPKS.objects.for_user(request.user).filter(jenis__in=ids).values_list("jenis").annotate(Count("id"))
        )
        kasus = dict(
            Kasus.objects.for_user(request.user).filter(jenis__in=ids).values_list("jenis").annotate(Count("id"))
        )
        for jenis in cl.result_list:
            jenis.jumlah_ppks_, jenis.jumlah_kasus_ = ppks.get(jenis.pk, 0), kasus.get(jenis.pk, 0)
        return cl

    @admin.display(description=_("PPKS"))
    def jumlah_ppks(self, obj: JenisPPKS) -> int:
        return getattr(obj, "jumlah_ppks_", 0)

    @admin.display(description=_("kasus"))
    def jumlah_kasus(self, obj: JenisPPKS) -> int:
        return getattr(obj, "jumlah_kasus_", 0)

    @admin.display(description=_("dipakai oleh"))
    def dipakai(self, obj: JenisPPKS) -> str:
        if obj is None or not obj.pk:
            return "-"
        ppks, kasus = _pemakaian(obj)
        return _("%(ppks)s data PPKS dan %(kasus)s kasus") % {"ppks": ppks, "kasus": kasus}

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or _pemakaian(obj) == (0, 0))

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and super().has_delete_permission(request, obj) and _pemakaian(obj) != (0, 0):
            ppks, kasus = _pemakaian(obj)
            messages.error(
                request,
                _(
                    "Jenis PPKS “%(nama)s” tidak dapat dihapus karena masih dipakai oleh %(ppks)s data PPKS dan "
                    "%(kasus)s kasus. Nonaktifkan saja (hapus centang “aktif”) agar tidak dipilih lagi."
                )
                % {"nama": obj.nama, "ppks": ppks, "kasus": kasus},
            )
            return HttpResponseRedirect(reverse("admin:ppks_jenisppks_change", args=[obj.pk]))
        return super().delete_view(request, object_id, extra_context)


# --- PPKS registrations --------------------------------------------------------------------------


class PPKSAdminForm(forms.ModelForm):
    kebutuhan = forms.MultipleChoiceField(
        label=_("kebutuhan"), choices=Kebutuhan.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = PPKS
        fields = [
            "penduduk", "jenis", "status", "tanggal_selesai", "alasan_selesai", "kebutuhan", "kebutuhan_lain",
            "sumber", "psm_pendamping", "terdata_pada", "terakhir_dikunjungi", "catatan",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        jenis = data.get("jenis")
        if jenis is not None and not jenis.aktif and (not self.instance.pk or "jenis" in self.changed_data):
            self.add_error("jenis", _("Jenis PPKS ini sudah tidak aktif; pilih jenis lain."))
        penduduk, psm = data.get("penduduk"), data.get("psm_pendamping")
        if penduduk is not None and psm is not None:
            _cek_layanan(self, services.pastikan_psm_wilayah, psm, penduduk.kelurahan_id, "psm_pendamping")
        _bukan_masa_depan(self, "terakhir_dikunjungi", _("Tanggal kunjungan tidak boleh di masa depan."))
        _bukan_masa_depan(self, "terdata_pada", _("Tanggal terdata tidak boleh di masa depan."))
        return data


class BelumDikunjungiFilter(admin.SimpleListFilter):
    title = _("kunjungan")
    parameter_name = "kunjungan"

    def lookups(self, request, model_admin):
        return [("90", _("Belum dikunjungi 90 hari")), ("belum", _("Belum pernah dikunjungi"))]

    def queryset(self, request, queryset):
        if self.value() == "90":
            return queryset.tanpa_kunjungan_sejak(90)
        if self.value() == "belum":
            return queryset.filter(terakhir_dikunjungi__isnull=True)
        return queryset


@admin.register(PPKS)
class PPKSAdmin(ImporEksporMixin, RiwayatAdmin):
    akses = AKSES_REGISTRI
    resource_classes = [PPKSResource]
    form = PPKSAdminForm
    list_display = [
        "penduduk",
        "jenis",
        "status",
        "kelurahan_domisili",
        "psm_pendamping",
        "terakhir_dikunjungi",
        "terdata_pada",
    ]
    list_select_related = ["penduduk__kelurahan", "jenis", "psm_pendamping"]
    sortable_by = ["status", "terakhir_dikunjungi", "terdata_pada"]  # no join in an ORDER BY
    list_filter = [
        "status",
        ("jenis", FilterRelasiTerbatas),
        "sumber",
        BelumDikunjungiFilter,
        ("penduduk__kelurahan", FilterRelasiTerbatas),
    ]
    search_fields = ["catatan"]  # enables the search box; the search itself is get_search_results
    search_help_text = _("Cari dengan NIK atau nama penduduk, atau nama/singkatan jenis PPKS (mis. LUT, Gepeng).")
    autocomplete_fields = ["penduduk"]
    readonly_fields = ["dibuat_pada", "diubah_pada"]
    fieldsets = [
        (None, {"fields": ["penduduk", "jenis", "status", "tanggal_selesai", "alasan_selesai"]}),
        (_("Kebutuhan"), {"fields": ["kebutuhan", "kebutuhan_lain"]}),
        (
            _("Pendataan dan pendampingan"),
            {"fields": ["sumber", "psm_pendamping", "terdata_pada", "terakhir_dikunjungi"]},
        ),
        (_("Catatan"), {"fields": ["catatan", "dibuat_pada", "diubah_pada"]}),
    ]

    @admin.display(description=_("kelurahan"))
    def kelurahan_domisili(self, obj: PPKS):
        return obj.penduduk.kelurahan

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "psm_pendamping":
            kwargs["queryset"] = User.objects.filter(peran=Peran.PSM, is_active=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        # People through the registry's indexed search, in a subquery (no join, no DISTINCT).
        teks = search_term.strip()
        if not teks:
            return queryset, False
        cocok = Q(penduduk__in=Penduduk.objects.for_user(request.user).cari(teks).values("pk"))
        jenis = cari_jenis(teks)
        if jenis:
            cocok |= Q(jenis__in=jenis)
        return queryset.filter(cocok), False

    def save_model(self, request, obj, form, change):
        services.ppks_simpan(ppks=obj, oleh=request.user)

    def delete_model(self, request, obj):
        obj._history_user = request.user
        super().delete_model(request, obj)


# --- Cases, with their timeline and referrals ----------------------------------------------------


class TindakanForm(forms.ModelForm):
    class Meta:
        model = Tindakan
        fields = ["waktu", "jenis", "uraian"]
        widgets = {"uraian": forms.Textarea(attrs={"rows": 2, "cols": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "jenis" in self.fields:  # status entries are written by the status change itself
            self.fields["jenis"].choices = [c for c in self.fields["jenis"].choices if c[0] != JenisTindakan.STATUS]

    def clean(self):
        data = super().clean()
        _bukan_masa_depan(self, "waktu", _("Waktu tindakan tidak boleh di masa depan."))
        return data


class RujukanForm(forms.ModelForm):
    class Meta:
        model = Rujukan
        fields = ["tanggal", "jenis_lembaga", "nama_lembaga", "catatan"]
        widgets = {"catatan": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def clean(self):
        data = super().clean()
        _bukan_masa_depan(self, "tanggal", _("Tanggal rujukan tidak boleh di masa depan."))
        return data


class RujukanFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kasus = self.instance
        baru = [f for f in self.extra_forms if f.has_changed() and not self._should_delete_form(f)]
        if baru and kasus.pk and kasus.status not in STATUS_TERBUKA:
            raise ValidationError(_("Kasus yang sudah selesai atau ditutup tidak bisa dirujuk."))


class _LinimasaInline(PeranAdminMixin, admin.TabularInline):
    akses = AKSES_LINIMASA
    extra = 1
    readonly_fields = ["oleh"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("oleh")


class TindakanInline(_LinimasaInline):
    model = Tindakan
    form = TindakanForm
    fields = ["waktu", "jenis", "uraian", "oleh"]


class RujukanInline(_LinimasaInline):
    model = Rujukan
    form = RujukanForm
    formset = RujukanFormSet
    fields = ["tanggal", "jenis_lembaga", "nama_lembaga", "status", "catatan", "oleh"]
    readonly_fields = ["status", "oleh"]


class KasusAdminForm(VersiFormMixin, forms.ModelForm):
    class Meta:
        model = Kasus
        fields = [
            "ringkasan", "uraian", "lokasi", "sumber", "urgensi", "viral", "pelapor_nama", "pelapor_kontak",
            "penduduk", "kelurahan", "jenis", "petugas", "psm",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        kelurahan = data.get("kelurahan")
        if kelurahan is not None and data.get("psm") is not None:
            _cek_layanan(self, services.pastikan_psm_wilayah, data["psm"], kelurahan.pk, "psm")
        if data.get("petugas") is not None:
            _cek_layanan(self, services.pastikan_petugas, data["petugas"])
        return data


class TerlambatFilter(admin.SimpleListFilter):
    title = _("batas waktu")
    parameter_name = "batas"

    def lookups(self, request, model_admin):
        return [("lewat", _("Terbuka, lewat batas waktu")), ("terbuka", _("Semua yang terbuka"))]

    def queryset(self, request, queryset):
        if self.value() == "lewat":
            return queryset.terlambat()
        if self.value() == "terbuka":
            return queryset.terbuka()
        return queryset


@admin.register(Kasus)
class KasusAdmin(VersiAdminMixin, EksporMixin, RiwayatAdmin):
    """Export only: see ``ppks.resources``."""

    akses = AKSES_REGISTRI
    resource_classes = [KasusResource]
    form = KasusAdminForm
    inlines = [TindakanInline, RujukanInline]
    list_display = [
        "nomor", "ringkasan", "status", "urgensi", "viral", "kelurahan", "jenis", "petugas", "psm", "dibuat_pada",
        "batas_respons", "lewat_batas",
    ]  # fmt: skip
    list_display_links = ["nomor", "ringkasan"]
    list_select_related = ["kelurahan", "jenis", "petugas", "psm"]
    sortable_by = ["nomor", "status", "urgensi", "dibuat_pada", "batas_respons"]  # no join in an ORDER BY
    list_filter = [
        "status",
        TerlambatFilter,
        "urgensi",
        "viral",
        "sumber",
        ("jenis", FilterRelasiTerbatas),
        ("kelurahan", FilterRelasiTerbatas),
    ]
    search_fields = ["ringkasan"]  # enables the search box; the search itself is get_search_results
    search_help_text = _("Cari dengan nomor kasus, kata dalam ringkasan, atau NIK/nama penduduk.")
    autocomplete_fields = ["penduduk", "kelurahan"]
    readonly_fields = [
        "nomor", "status", "batas_respons", "direspons_pada", "selesai_pada", "alasan_tutup", "dibuat_oleh",
        "dibuat_pada", "diubah_pada",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["nomor", "ringkasan", "uraian", "lokasi", "kelurahan", "penduduk", "jenis", "versi"]}),
        (_("Laporan"), {"fields": ["sumber", "urgensi", "viral", "pelapor_nama", "pelapor_kontak"]}),
        (_("Penanganan"), {"fields": ["petugas", "psm"]}),
        (
            _("Status (diubah lewat halaman kasus)"),
            {"fields": ["status", "dibuat_pada", "batas_respons", "direspons_pada", "selesai_pada", "alasan_tutup"]},
        ),
        (_("Pencatatan"), {"fields": ["dibuat_oleh", "diubah_pada"]}),
    ]

    @admin.display(description=_("lewat batas"), boolean=True)
    def lewat_batas(self, obj: Kasus) -> bool:
        return obj.terlambat

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "petugas":
            kwargs["queryset"] = User.objects.filter(peran__in=PENGELOLA, is_active=True).order_by("username")
        elif db_field.name == "psm":
            kwargs["queryset"] = User.objects.filter(peran=Peran.PSM, is_active=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        teks = search_term.strip()
        if not teks:
            return queryset, False
        cocok = Q(nomor__iexact=teks) | Q(ringkasan__icontains=teks)
        if teks.isascii() and teks.isdigit() and len(teks) <= 6:  # "12" finds KS-2026-000012
            cocok |= Q(nomor__endswith=f"-{int(teks):06d}")
        cocok |= Q(penduduk__in=Penduduk.objects.for_user(request.user).cari(teks).values("pk"))
        return queryset.filter(cocok), False

    def save_model(self, request, obj, form, change):
        if change:
            services.kasus_ubah(kasus=obj, oleh=request.user, versi=getattr(form, "versi_dikirim", None))
        else:
            services.kasus_buat(kasus=obj, oleh=request.user)

    def save_formset(self, request, form, formset, change):
        kasus = form.instance
        for obj in formset.save(commit=False):  # new entries only: past ones are read-only
            if isinstance(obj, Tindakan):
                services.tindakan_catat(
                    kasus=kasus, oleh=request.user, jenis=obj.jenis, uraian=obj.uraian, waktu=obj.waktu
                )
            elif isinstance(obj, Rujukan):
                obj.kasus = kasus
                services.rujukan_buat(rujukan=obj, oleh=request.user)

    def delete_model(self, request, obj):
        obj._history_user = request.user
        super().delete_model(request, obj)


# --- Notifications -------------------------------------------------------------------------------


@admin.register(Notifikasi)
class NotifikasiAdmin(EksporMixin, PeranAdminMixin, admin.ModelAdmin):
    akses = AKSES_NOTIFIKASI
    resource_classes = [NotifikasiResource]
    list_display = ["pengguna", "kasus", "jenis", "dibuat_pada", "email_terkirim_pada", "dibaca_pada"]
    list_select_related = ["pengguna", "kasus"]
    list_filter = [
        "jenis",
        ("email_terkirim_pada", admin.EmptyFieldListFilter),
        ("dibaca_pada", admin.EmptyFieldListFilter),
    ]
    search_fields = ["=pengguna__username", "=kasus__nomor"]
    search_help_text = _("Cari dengan nama pengguna atau nomor kasus (lengkap).")
