from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PendudukConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "penduduk"
    verbose_name = _("Registri penduduk")
