from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KemiskinanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kemiskinan"
    verbose_name = _("Kemiskinan ekstrem")
