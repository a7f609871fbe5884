"""The back office: Django's admin site, entered by role rather than by ``is_staff``.

Installed through ``akun.apps.BackOfficeAdminConfig`` (in place of ``django.contrib.admin`` in
``INSTALLED_APPS``), so ``django.contrib.admin.site`` and ``@admin.register`` use this site.

- Anonymous visitors are sent to the admin login page (302), as Django does.
- A signed-in user whose role is not Admin or Staf Dinsos (Pimpinan, PSM) gets 403, whatever
  ``is_staff`` says: their own pages are elsewhere, and a login page would only confuse them.
- The admin login form accepts only Admin and Staf Dinsos accounts.
"""

from __future__ import annotations

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _


class FormMasukBackOffice(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        # One message for a wrong password and a role without access: do not confirm passwords.
        "invalid_login": _(
            "Masukkan nama pengguna dan kata sandi akun Admin atau Staf Dinsos yang benar. "
            "Perhatikan huruf besar/kecil."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi admin Dinas Sosial."),
    }

    def confirm_login_allowed(self, user):
        # AuthenticationForm's check only (active); AdminAuthenticationForm would demand is_staff.
        super(AdminAuthenticationForm, self).confirm_login_allowed(user)
        if not user.pengelola:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class BackOfficeSite(admin.AdminSite):
    site_header = _("Payakumbuh Sosial: back office")
    site_title = _("Payakumbuh Sosial")
    index_title = _("Administrasi")
    login_form = FormMasukBackOffice

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_authenticated and user.is_active and user.pengelola)

    def admin_view(self, view, cacheable=False):
        bawaan = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied(_("Back office hanya untuk peran Admin dan Staf Dinsos."))
            return bawaan(request, *args, **kwargs)

        return update_wrapper(inner, bawaan)
