"""The registry in the back office: Admin and Staf Dinsos view, add and change; Admin deletes.

Writes go through ``penduduk.services`` (validation, scope check, history user), the same as the
registry pages; NIK and Nomor KK are checked by ``penduduk.nik`` and its warnings shown after
saving.

Import and export (xlsx, csv) through ``penduduk.resources``: matched by NIK and No KK, saved
through the same services; Admin and Staf import and export.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from akun.admin_base import AKSES_REGISTRI, FilterRelasiTerbatas, PeranAdminMixin, RiwayatAdmin
from akun.admin_iex import ImporEksporMixin
from akun.akses import catat_lihat, catat_lihat_daftar
from akun.versi import VersiAdminMixin, VersiFormMixin
from penduduk.forms import (
    AnggotaVersiForm,
    BaseAnggotaFormSet,
    KonfirmasiGandaMixin,
    NomorIndukField,
    NomorKKField,
    cari_kemungkinan_ganda,
)
from penduduk.models import Keluarga, Penduduk, cari_nomor, ringkas_keluarga
from penduduk.nik import periksa_nik, periksa_no_kk
from penduduk.resources import KeluargaResource, PendudukResource
from penduduk.services import keluarga_atur_anggota, keluarga_simpan, penduduk_simpan

_TERISI_OTOMATIS = _("Kosongkan untuk mengisi otomatis dari NIK.")
# NomorIndukField strips spaces/dots, validates with penduduk.nik and leaves room in the input.
_INPUT_NOMOR = forms.TextInput(attrs={"class": "vTextField"})


@admin.display(description=_("kecamatan"), ordering="kelurahan__kecamatan__kode")
def kecamatan(obj: Penduduk | Keluarga):
    return obj.kelurahan.kecamatan


def _peringatan_nik(request, orang: Penduduk, *, sebut_nama: bool = False) -> None:
    if not orang.nik:
        return
    hasil = periksa_nik(orang.nik, jenis_kelamin=orang.jenis_kelamin, tanggal_lahir=orang.tanggal_lahir)
    for pesan in hasil.peringatan:
        messages.warning(request, f"{orang.nama}: {pesan}" if sebut_nama else pesan)


class PendudukAdminForm(VersiFormMixin, KonfirmasiGandaMixin, forms.ModelForm):
    user = None  # set per request by PendudukAdmin.get_form (the duplicate check is scoped)

    class Meta:
        model = Penduduk
        fields = [
            "nik", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "keluarga", "hubungan", "kelurahan",
            "alamat", "rt", "rw", "telepon", "status", "pekerjaan", "pendidikan", "disabilitas",
        ]  # fmt: skip
        field_classes = {"nik": NomorIndukField}
        widgets = {"nik": _INPUT_NOMOR}
        error_messages = {"nik": {"unique": _("NIK ini sudah terdaftar.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for nama in ("tanggal_lahir", "jenis_kelamin"):
            if nama in self.fields:
                self.fields[nama].help_text = _TERISI_OTOMATIS

    def clean(self):
        data = super().clean()
        if "hubungan" in self.fields and data.get("hubungan") and not data.get("keluarga"):
            self.add_error(
                "hubungan", _("Hubungan dalam keluarga hanya diisi bila penduduk tercatat dalam sebuah keluarga.")
            )
        self._periksa_ganda(data)
        return data

    def _periksa_ganda(self, data) -> None:
        nik = data.get("nik")
        info = periksa_nik(nik).info if nik else None
        lahir = data.get("tanggal_lahir") or (info.tanggal_lahir if info else None)
        berubah = not self.instance.pk or {"nama", "tanggal_lahir"} & set(self.changed_data)
        if self.errors or not data.get("nama") or not lahir or not berubah:
            return
        self.catat_ganda(
            cari_kemungkinan_ganda(
                user=self.user, nama=data["nama"], tanggal_lahir=lahir, nik=nik, kecuali_pk=self.instance.pk
            )
        )
        galat = self.galat_ganda()
        if galat is not None:
            tautan = format_html_join(
                ", ",
                '<a href="{}" target="_blank" rel="noopener">{} ({}, {})</a>',
                (
                    (
                        reverse("admin:penduduk_penduduk_change", args=[d.pk]),
                        d.nama,
                        d.tanggal_lahir.strftime("%d/%m/%Y"),
                        d.kelurahan,
                    )
                    for d in self.duplikat
                ),
            )
            self.add_error(None, galat)
            if tautan:
                self.add_error(None, format_html("{} {}", _("Kemungkinan sama dengan:"), tautan))


@admin.register(Penduduk)
class PendudukAdmin(VersiAdminMixin, ImporEksporMixin, RiwayatAdmin):
    akses = AKSES_REGISTRI
    resource_classes = [PendudukResource]
    form = PendudukAdminForm
    list_display = [
        "nama",
        "nik",
        "jenis_kelamin",
        "tanggal_lahir",
        "keluarga",
        "hubungan",
        "kelurahan",
        kecamatan,
        "status",
        "diubah_pada",
    ]
    list_filter = [
        "status",
        "jenis_kelamin",
        "disabilitas",
        ("kelurahan__kecamatan", FilterRelasiTerbatas),
        ("kelurahan", FilterRelasiTerbatas),
    ]
    list_select_related = ["kelurahan__kecamatan", "keluarga"]
    search_fields = ["nama"]  # enables the search box; the search itself is get_search_results
    search_help_text = _("Cari dengan NIK, nama, atau nomor KK.")
    autocomplete_fields = ["kelurahan", "keluarga"]
    readonly_fields = ["dibuat_pada", "diubah_pada"]
    fieldsets = [
        (
            _("Identitas"),
            {"fields": ["nik", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "konfirmasi_ganda", "versi"]},
        ),
        (_("Keluarga"), {"fields": ["keluarga", "hubungan"]}),
        (_("Domisili"), {"fields": ["kelurahan", "alamat", "rt", "rw", "telepon"]}),
        (_("Keadaan sosial"), {"fields": ["status", "pekerjaan", "pendidikan", "disabilitas"]}),
        (_("Pencatatan"), {"fields": ["dibuat_pada", "diubah_pada"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def get_search_results(self, request, queryset, search_term):
        # The registry's own indexed search (NIK prefix, or a part of the normalised name through
        # the trigram index), not Django's OR of icontains over joins; a number also finds the
        # members of the households whose No KK starts with it.
        teks = search_term.strip()
        if not teks:
            return queryset, False
        nomor = cari_nomor(teks)
        if nomor is not None:
            kk = Keluarga.objects.for_user(request.user).filter(no_kk__startswith=nomor).values("pk")
            return queryset.filter(Q(nik__startswith=nomor) | Q(keluarga__in=kk)), False
        return queryset.cari(teks), False

    def changelist_view(self, request, extra_context=None):
        resp = super().changelist_view(request, extra_context)
        cl = (getattr(resp, "context_data", None) or {}).get("cl")
        if cl is not None and request.method == "GET":
            # UU PDP: the rows on the page show full NIKs (one INSERT); filtered by disability, the
            # page also says who has one.
            baris = list(cl.result_list)
            sensitif = [o.pk for o in baris if o.disabilitas] if any("disabilitas" in k for k in request.GET) else ()
            catat_lihat_daftar(request, baris, sensitif_ids=sensitif)
        return resp

    def change_view(self, request, object_id, form_url="", extra_context=None):
        resp = super().change_view(request, object_id, form_url, extra_context)
        orang = (getattr(resp, "context_data", None) or {}).get("original")
        if orang is not None and request.method == "GET":
            catat_lihat(request, orang, sensitif=bool(orang.disabilitas))  # UU PDP: NIK and disability
        return resp

    def save_model(self, request, obj, form, change):
        penduduk_simpan(penduduk=obj, oleh=request.user, versi=getattr(form, "versi_dikirim", None))
        _peringatan_nik(request, obj)

    def delete_model(self, request, obj):
        obj._history_user = request.user
        super().delete_model(request, obj)


class KeluargaAdminForm(VersiFormMixin, forms.ModelForm):
    class Meta:
        model = Keluarga
        fields = ["no_kk", "kelurahan", "alamat", "rt", "rw", "id_keluarga_p3ke", "id_keluarga_dtsen"]
        field_classes = {"no_kk": NomorKKField}
        widgets = {"no_kk": _INPUT_NOMOR}
        error_messages = {"no_kk": {"unique": _("Nomor KK ini sudah dipakai keluarga lain.")}}


class AnggotaAdminForm(AnggotaVersiForm):
    tanpa_versi_bila_baru = False


class AnggotaInline(PeranAdminMixin, admin.TabularInline):
    """Members of the household, with the essentials; the rest on the person's own page. Each
    existing row carries its version and a stale one is refused on that row (akun/versi.py)."""

    akses = AKSES_REGISTRI
    model = Penduduk
    fk_name = "keluarga"
    form = AnggotaAdminForm
    formset = BaseAnggotaFormSet
    fields = ["nik", "nama", "hubungan", "jenis_kelamin", "tanggal_lahir", "status", "versi"]

    def get_formset(self, request, obj=None, **kwargs):
        # "versi" is declared by the form; Django refuses to build it from the non-editable column.
        kwargs["fields"] = [f for f in kwargs.get("fields") or self.fields if f != "versi"]
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.user = request.user
        formset.form.periksa_di_form = True
        return formset

    extra = 1
    show_change_link = True
    verbose_name = _("anggota keluarga")
    verbose_name_plural = _("anggota keluarga")

    def has_delete_permission(self, request, obj=None) -> bool:
        # Ticking a member here releases them from the household (KeluargaAdmin.save_formset); it
        # deletes nobody, so whoever may change the household may do it.
        return self.has_change_permission(request, obj)


@admin.register(Keluarga)
class KeluargaAdmin(VersiAdminMixin, ImporEksporMixin, RiwayatAdmin):
    akses = AKSES_REGISTRI
    resource_classes = [KeluargaResource]
    form = KeluargaAdminForm
    inlines = [AnggotaInline]
    list_display = [
        "no_kk",
        "nama_kepala",
        "jumlah_anggota",
        "kelurahan",
        kecamatan,
        "alamat",
        "rt",
        "rw",
        "diubah_pada",
    ]
    list_filter = [("kelurahan__kecamatan", FilterRelasiTerbatas), ("kelurahan", FilterRelasiTerbatas)]
    list_select_related = ["kelurahan__kecamatan"]
    search_fields = ["alamat"]  # enables the search box; the search itself is get_search_results
    search_help_text = _("Cari dengan nomor KK, alamat, ID P3KE/DTSEN, atau NIK/nama anggota.")
    autocomplete_fields = ["kelurahan"]
    readonly_fields = ["dibuat_pada", "diubah_pada"]
    fieldsets = [
        (None, {"fields": ["no_kk", "kelurahan", "alamat", "rt", "rw", "versi"]}),
        (_("ID eksternal"), {"fields": ["id_keluarga_p3ke", "id_keluarga_dtsen"]}),
        (_("Pencatatan"), {"fields": ["dibuat_pada", "diubah_pada"]}),
    ]

    def get_changelist_instance(self, request):
        # Head and member count for the rows of the page only, from the members the user may see.
        cl = super().get_changelist_instance(request)
        cl.result_list = list(cl.result_list)
        ringkas_keluarga(cl.result_list, request.user)
        return cl

    @admin.display(description=_("kepala keluarga"))
    def nama_kepala(self, obj: Keluarga) -> str | None:
        return getattr(obj, "nama_kepala", None)

    @admin.display(description=_("jumlah anggota"))
    def jumlah_anggota(self, obj: Keluarga) -> int:
        return getattr(obj, "jumlah_anggota", 0)

    def get_search_results(self, request, queryset, search_term):
        # Members are matched in a subquery on the indexed person search (no join, no DISTINCT).
        teks = search_term.strip()
        if not teks:
            return queryset, False
        anggota = Penduduk.objects.for_user(request.user)
        cocok = Q(id_keluarga_p3ke=teks) | Q(id_keluarga_dtsen=teks)
        nomor = cari_nomor(teks)
        if nomor is not None:
            cocok |= Q(no_kk__startswith=nomor) | Q(pk__in=anggota.filter(nik__startswith=nomor).values("keluarga_id"))
        else:
            cocok |= Q(alamat__icontains=teks) | Q(pk__in=anggota.cari(teks).values("keluarga_id"))
        return queryset.filter(cocok), False

    def save_model(self, request, obj, form, change):
        keluarga_simpan(keluarga=obj, oleh=request.user, versi=getattr(form, "versi_dikirim", None))
        if obj.no_kk:
            for pesan in periksa_no_kk(obj.no_kk).peringatan:
                messages.warning(request, pesan)

    def delete_model(self, request, obj):
        obj._history_user = request.user
        super().delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Penduduk:
            return super().save_formset(request, form, formset, change)
        anggota = formset.save(commit=False)
        # "Delete" in the members inline releases the person from the household, as on the site:
        # the person stays in the registry.
        keluarga_atur_anggota(
            keluarga=form.instance,
            oleh=request.user,
            anggota=anggota,
            dilepas=formset.deleted_objects,
            versi_anggota={f.instance.pk: f.versi_dikirim for f in formset.forms if f.instance.pk},
        )
        for orang in anggota:
            _peringatan_nik(request, orang, sebut_nama=True)
        formset.save_m2m()
