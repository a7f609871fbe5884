from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PpksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ppks"
    verbose_name = _("PPKS dan kasus")
