from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AkunConfig(AppConfig):
    default = True  # this module holds two AppConfigs; "akun" in INSTALLED_APPS means this one
    default_auto_field = "django.db.models.BigAutoField"
    name = "akun"
    verbose_name = _("Akun dan peran")


class BackOfficeAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with the role-based site (akun/admin_site.py) as its default site.

    In ``INSTALLED_APPS`` in place of ``"django.contrib.admin"``.
    """

    default = False
    default_site = "akun.admin_site.BackOfficeSite"
