from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PsmConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "psm"
    verbose_name = _("Pekerja Sosial Masyarakat")
