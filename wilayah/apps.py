from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WilayahConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wilayah"
    verbose_name = _("Wilayah")
