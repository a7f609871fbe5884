from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AkunConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "akun"
    verbose_name = _("Akun dan peran")
