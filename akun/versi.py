# ruff: noqa: S608  (the SQL is built from model table names, quoted; no user input)
"""Optimistic locking: no lost updates on Penduduk, Keluarga and Kasus (issue 13, point 3).

Why: ``save()`` writes every column, so of two people who opened the same edit form the second
silently undid the first one's changes. Now:

* each model has an integer ``versi`` (``Berversi``), raised by one on **every** UPDATE of the row
  by a database trigger (``pasang_pemicu_versi``): the services, the workflow actions of a case,
  the admin, the import's bulk ``UPDATE`` / ``INSERT ... ON CONFLICT DO UPDATE``, a psql session.
  A trigger rather than code in each write path, because a path that forgets to bump the number
  would reopen the hole without any test noticing (the same reasoning as ``wilayah/salinan.py``).
  PostgreSQL: ``BEFORE UPDATE`` sets ``NEW.versi := OLD.versi + 1``. SQLite cannot change ``NEW``:
  an ``AFTER UPDATE`` trigger sets it to ``OLD.versi + 1`` whenever the statement left it at any
  other value (so a stale instance saved without a check cannot put an old number back either);
* an edit form carries the number it was opened at (hidden field ``versi``, ``VersiFormMixin``);
* the service saves with ``UPDATE ... WHERE id = %s AND versi = %s`` (``simpan_dengan_versi``
  arms it; ``Berversi._do_update`` runs it): no row updated means somebody saved in between, and
  ``KonflikVersi`` rolls the whole service call back;
* the view (``catat_konflik``) shows the form again with what the user typed, a list of the fields
  where it differs from what is saved now (label, their value, the saved value, who changed it
  and when, from the history) and the current version in the hidden field: saving again is a
  deliberate choice to put their values over the shown ones, never a silent overwrite.

``versi`` is left out of the change history: it is bookkeeping, not data, and the bulk paths
could not record it exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import migrations, models
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

# An int column holds up to 2**31 - 1 on PostgreSQL; a larger "version" is a tampered form.
VERSI_MAKS = 2_147_483_647

PESAN_VERSI_RUSAK = _(
    "Formulir ini tidak membawa versi data yang sah (mungkin halaman lama atau rusak). Tidak ada yang "
    "disimpan. Muat ulang halaman ubah, lalu isi kembali."
)
PESAN_KONFLIK = _(
    "Data ini sudah diubah orang lain setelah Anda membuka formulir, jadi isian Anda belum disimpan "
    "(tidak ada yang tertimpa)."
)
PESAN_SIMPAN_LAGI = _(
    "Isian Anda tetap ada di formulir. Periksa perbedaannya; bila Anda menyimpan lagi, isian Anda "
    "menggantikan nilai yang tersimpan sekarang."
)


class KonflikVersi(ValidationError):
    """The row was changed by somebody else since the form was opened (a ValidationError, so a
    caller that only knows those still shows a message instead of a 500)."""

    def __init__(self, obj: models.Model | None = None):
        super().__init__(PESAN_KONFLIK, code="konflik_versi")
        self.obj = obj


class Berversi(models.Model):
    """Abstract base: the ``versi`` column and the conditional UPDATE."""

    versi = models.PositiveIntegerField(_("versi"), default=1, db_default=1, editable=False)

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        harap = self.__dict__.pop("_versi_harap", None)
        kolom = self._meta.get_field("versi")
        # The trigger owns the number: Django never writes it, except as the checked next value.
        values = [v for v in values if v[0] is not kolom]
        if harap is None:
            diubah = super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
            if diubah and values:
                # What the trigger wrote, when this instance was current (a stale one is caught by
                # the next checked save anyway).
                self.versi += 1
            return diubah
        values.append((kolom, None, harap + 1))
        if not super()._do_update(base_qs.filter(versi=harap), using, pk_val, values, update_fields, True):
            raise KonflikVersi(self)
        self.versi = harap + 1
        return True


def simpan_dengan_versi(obj: Berversi, versi: int | None) -> None:
    """Arm the next ``obj.save()`` to update only the row still at ``versi`` (None: no check)."""
    if versi is not None and obj.pk is not None and not obj._state.adding:
        obj._versi_harap = versi


def periksa_versi(obj: Berversi, versi_sekarang: int, versi: int | None) -> None:
    """Early refusal when the service has already read the row (the UPDATE checks again)."""
    if versi is not None and versi != versi_sekarang:
        raise KonflikVersi(obj)


# --- the triggers --------------------------------------------------------------------------------


def tambah_kolom_versi(app_label: str, model: str) -> migrations.SeparateDatabaseAndState:
    """Add ``versi`` (NOT NULL DEFAULT 1) in place. Django's own AddField rebuilds the whole table on
    SQLite for a NOT NULL column, which drops the triggers on it (wilayah/salinan.py) and trips
    those of other tables naming it; ``ALTER TABLE ADD COLUMN`` with a constant default needs no
    rebuild there, nor a table rewrite on PostgreSQL 11+ (the CHECK costs one scan of the table)."""

    def _sql(apps, schema_editor, teks: str) -> None:
        q = schema_editor.quote_name
        schema_editor.execute(teks.format(t=q(apps.get_model(app_label, model)._meta.db_table), k=q("versi")))

    def maju(apps, schema_editor):
        jenis = "integer unsigned" if schema_editor.connection.vendor == "sqlite" else "integer"
        _sql(apps, schema_editor, "ALTER TABLE {t} ADD COLUMN {k} " + jenis + " NOT NULL DEFAULT 1 CHECK ({k} >= 0)")

    def mundur(apps, schema_editor):
        _sql(apps, schema_editor, "ALTER TABLE {t} DROP COLUMN {k}")

    return migrations.SeparateDatabaseAndState(
        state_operations=[
            migrations.AddField(
                model_name=model.lower(),
                name="versi",
                field=models.PositiveIntegerField(db_default=1, default=1, editable=False, verbose_name="versi"),
            )
        ],
        database_operations=[migrations.RunPython(maju, mundur, elidable=False)],
    )


def pasang_pemicu_versi(app_label: str, model: str, nama: str) -> migrations.RunPython:
    """Install the trigger that raises ``versi`` on every UPDATE of the table (``nama``: a short,
    unique prefix for the trigger and function names), on PostgreSQL and SQLite."""

    def _tabel(apps, schema_editor) -> str:
        return schema_editor.quote_name(apps.get_model(app_label, model)._meta.db_table)

    def maju(apps, schema_editor):
        t = _tabel(apps, schema_editor)
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {nama}_versi() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN NEW.versi := OLD.versi + 1; RETURN NEW; END $$"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {nama}_versi BEFORE UPDATE ON {t} FOR EACH ROW EXECUTE FUNCTION {nama}_versi()"
            )
            return
        # SQLite: recursive triggers are off by default, and the inner UPDATE leaves NEW = OLD + 1.
        schema_editor.execute(
            f"CREATE TRIGGER {nama}_versi AFTER UPDATE ON {t} FOR EACH ROW WHEN NEW.versi IS NOT OLD.versi + 1 "
            f"BEGIN UPDATE {t} SET versi = OLD.versi + 1 WHERE id = NEW.id; END"
        )

    def mundur(apps, schema_editor):
        t = _tabel(apps, schema_editor)
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {nama}_versi ON {t}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {nama}_versi()")
            return
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {nama}_versi")

    return migrations.RunPython(maju, mundur, elidable=False)


# --- forms ---------------------------------------------------------------------------------------


def baca_versi(nilai) -> int | None:
    """The version a form sent, or None when it is missing, not a number or out of range."""
    teks = str(nilai if nilai is not None else "").strip()
    if not teks.isascii() or not teks.isdigit() or len(teks) > 10:
        return None
    angka = int(teks)
    return angka if 1 <= angka <= VERSI_MAKS else None


class VersiField(forms.CharField):
    """The hidden version: never a change of the data (a formset saves only the rows that changed)."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data) -> bool:
        return False


class VersiFormMixin(forms.Form):
    """The hidden ``versi`` of an edit form (absent when creating). ``versi_dikirim`` is the number
    sent back; a missing or tampered one is a form error, never a 500. With ``periksa_di_form``
    the form also refuses a stale number itself (the admin, whose save cannot show a message)."""

    versi = VersiField(required=False)
    periksa_di_form = False
    # An admin inline renders the same fields on every row, the new ones too: there it stays, unused.
    tanpa_versi_bila_baru = True
    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.versi_dikirim: int | None = None
        self.konflik: Konflik | None = None
        if self.instance.pk is None:
            if self.tanpa_versi_bila_baru:
                del self.fields["versi"]
        else:
            self.initial["versi"] = self.instance.versi

    def clean_versi(self):
        if self.instance.pk is None:
            return None
        versi = baca_versi(self.cleaned_data.get("versi"))
        if versi is None:
            self.add_error(None, ValidationError(PESAN_VERSI_RUSAK, code="versi_rusak"))
        self.versi_dikirim = versi
        return versi

    def clean(self):
        data = super().clean()
        if self.periksa_di_form and self.versi_dikirim is not None and self.versi_dikirim != self.instance.versi:
            catat_konflik(self, KonflikVersi(self.instance), user=self.user, html=True)
        return data


# --- what the user is shown on a conflict --------------------------------------------------------


@dataclass
class Beda:
    label: str
    isian_anda: str
    tersimpan: str
    diubah: str = ""  # "Sari, 04/12/2026 10:15 WIB": the last change of this field, from the history


@dataclass
class Konflik:
    versi: int
    oleh: str = ""
    waktu: str = ""
    beda: list[Beda] = field(default_factory=list)
    perubahan_terakhir: list = field(default_factory=list)


def _waktu(nilai) -> str:
    return timezone.localtime(nilai).strftime("%d/%m/%Y %H:%M WIB")


def _nilai_form(form, nama: str, f):
    """The user's value of a model field as the history stores it (a related object as its id)."""
    nilai = form.cleaned_data.get(nama)
    if f.is_relation and isinstance(nilai, models.Model):
        return nilai.pk
    return nilai


def _sama(a, b) -> bool:
    return (a in (None, "") and b in (None, "")) or a == b


def susun_konflik(form, sekarang: models.Model, user) -> Konflik:
    """The fields of ``form`` whose value differs from the row as saved now, each with who last
    changed it and when (the history), and the last saved change. Values are shown as on the
    history panel (``akun.riwayat``): NIK masked for the roles that see it masked, a related record
    outside the user's area not named."""
    from akun.permissions import lihat_nik_lengkap
    from akun.riwayat import _tampil, riwayat

    model = type(sekarang)
    boleh_nik = lihat_nik_lengkap(user)
    pasangan = []
    for nama in form.fields:
        try:
            f = model._meta.get_field(nama)
        except FieldDoesNotExist:  # a form-only field: no column to compare
            continue
        if not f.concrete or nama == "versi" or nama not in form.cleaned_data:
            continue
        anda, simpan = _nilai_form(form, nama, f), getattr(sekarang, f.attname)
        if not _sama(anda, simpan):
            pasangan.append((f, anda, simpan))
    relasi: dict = {}
    for f, anda, simpan in pasangan:
        if f.is_relation:
            relasi.setdefault(f.related_model, set()).update(v for v in (anda, simpan) if v not in (None, ""))
    for related, pks in list(relasi.items()):
        qs = related._default_manager.all()
        relasi[related] = (qs.for_user(user) if hasattr(qs, "for_user") else qs).in_bulk(pks)
    terakhir_per_field = _perubahan_terakhir(sekarang, {f.name for f, _a, _s in pasangan})
    entri = riwayat(sekarang, user, batas=1)
    konflik = Konflik(versi=sekarang.versi)
    if entri:
        konflik.oleh, konflik.waktu = entri[0].oleh, _waktu(entri[0].waktu)
        konflik.perubahan_terakhir = entri[0].perubahan
    for f, anda, simpan in pasangan:
        konflik.beda.append(
            Beda(
                label=str(f.verbose_name),
                isian_anda=_tampil(model, f.name, anda, boleh_nik, relasi),
                tersimpan=_tampil(model, f.name, simpan, boleh_nik, relasi),
                diubah=terakhir_per_field.get(f.name, ""),
            )
        )
    return konflik


def _perubahan_terakhir(obj, nama_field: set[str], batas: int = 20) -> dict[str, str]:
    """For each field: "<who>, <when>" of the newest of the last ``batas`` history entries that
    changed it."""
    hasil: dict[str, str] = {}
    if not nama_field:
        return hasil
    catatan = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: batas + 1])
    for baru, lama in zip(catatan, catatan[1:], strict=False):
        for c in baru.diff_against(lama).changes:
            if c.field in nama_field and c.field not in hasil:
                pengguna = baru.history_user
                nama = (pengguna.get_full_name() or pengguna.username) if pengguna else str(_("sistem"))
                hasil[c.field] = f"{nama}, {_waktu(baru.history_date)}"
        if len(hasil) == len(nama_field):
            break
    return hasil


def catat_konflik(form, konflik: KonflikVersi, *, user, html: bool = False) -> None:
    """Turn a conflict into what the user sees: a form error, the list of differences
    (``form.konflik``) and the current version in the hidden field, so that saving again puts the
    user's values over the shown ones on purpose."""
    model = type(konflik.obj) if konflik.obj is not None else type(form.instance)
    pk = konflik.obj.pk if konflik.obj is not None else form.instance.pk
    if not isinstance(form.instance, model) or form.instance.pk != pk:
        # A record saved along with the form's own (a member row of the household form): the
        # differences go on its row, and the form says which row to look at (and is invalid, so
        # the view does not report a save that was rolled back).
        baris = next((f for f in getattr(form, "subform_versi", ()) if f.instance.pk == pk), None)
        form.add_error(
            None,
            ValidationError(
                _("Data %(nama)s sudah diubah orang lain setelah Anda membuka formulir; lihat barisnya di bawah.")
                % {"nama": getattr(baris.instance if baris else konflik.obj, "nama", "")},
                code="konflik_anggota",
            ),
        )
        if baris is None:
            return
        form = baris
    sekarang = model._default_manager.filter(pk=pk).first()
    if sekarang is None:
        form.add_error(None, ValidationError(_("Data ini sudah dihapus orang lain."), code="konflik_versi"))
        return
    form.konflik = susun_konflik(form, sekarang, user)
    # The admin shows errors only as text at the top: there the message carries the list itself.
    pesan = pesan_konflik_admin(form.konflik) if html else PESAN_KONFLIK
    form.add_error(None, ValidationError(pesan, code="konflik_versi"))
    data = form.data.copy()
    data[form.add_prefix("versi")] = str(sekarang.versi)
    form.data = data


def pesan_konflik_admin(konflik: Konflik):
    """The conflict as one admin error message (HTML, escaped)."""
    baris = format_html_join(
        "",
        "<li>{}: {} → {}{}</li>",
        (
            (b.label, b.isian_anda, b.tersimpan, format_html(" ({})", b.diubah) if b.diubah else "")
            for b in konflik.beda
        ),
    )
    oleh = (
        format_html(" " + str(_("Terakhir disimpan oleh {} pada {}.")), konflik.oleh, konflik.waktu)
        if konflik.oleh
        else ""
    )
    judul = _("Isian Anda → nilai yang tersimpan sekarang:")
    daftar = format_html(" {} <ul>{}</ul>", judul, baris) if konflik.beda else ""
    return format_html("{}{} {}{}", PESAN_KONFLIK, oleh, PESAN_SIMPAN_LAGI, daftar)


class VersiAdminMixin:
    """Admin change forms refuse a stale save: the hidden ``versi`` (the form needs
    ``VersiFormMixin`` and "versi" in a fieldset) is checked in ``clean()``, shown as an error
    with the differences, and checked again by the service's conditional UPDATE. A conflict in the
    few milliseconds between the two ends as a message and a fresh change page (all rolled back)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        # "versi" is a non-editable model field: Django refuses to build a form field from it (the
        # form declares its own), so it is left out of the list of model fields asked for.
        from django.contrib.admin.utils import flatten_fieldsets

        fields = kwargs.get("fields")
        if fields is None:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [f for f in fields if f != "versi"]
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        form.periksa_di_form = True
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        # A new record has no version yet (the form drops the field).
        return [(nama, {**opsi, "fields": [f for f in opsi["fields"] if f != "versi"]}) for nama, opsi in fieldsets]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        from django.contrib import messages
        from django.http import HttpResponseRedirect

        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except KonflikVersi:
            messages.error(request, format_html("{} {}", PESAN_KONFLIK, _("Buka lagi data terbaru di bawah.")))
            return HttpResponseRedirect(request.path)
