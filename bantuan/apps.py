from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BantuanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bantuan"
    verbose_name = _("Bantuan sosial")
