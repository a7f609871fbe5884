"""The four staff roles. Public visitors have no account (DESIGN.md, "Roles and access")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Peran(models.TextChoices):
    ADMIN = "admin", _("Admin")
    STAF = "staf", _("Staf Dinsos")
    PIMPINAN = "pimpinan", _("Pimpinan")
    PSM = "psm", _("PSM")


SEMUA_PERAN = frozenset(Peran.values)
# Roles that see the whole city rather than a list of kelurahan.
PERAN_SEKOTA = frozenset({Peran.ADMIN, Peran.STAF, Peran.PIMPINAN})
# Roles that may edit the registry and use the back office.
PERAN_PENGELOLA = frozenset({Peran.ADMIN, Peran.STAF})
