"""The account the public form acts as when a complaint opens a Kasus.

``ppks.Kasus.dibuat_oleh`` is required and ``ppks.services.kasus_buat`` checks the acting user's
area, but a citizen has no account. The form therefore acts as one dedicated account,
``sistem.pengaduan`` ("Formulir pengaduan publik"), created on first use:

* its row is **inactive** with an **unusable password**: nobody can log in with it (ModelBackend
  refuses inactive users, and there is no password to guess); it never appears among active staff
  to assign;
* its role is Staf Dinsos, the role that takes reports in for the whole city;
* :func:`akun_sistem_bertindak` returns the account with ``is_active`` set **in memory only**, for
  the one call to ``kasus_buat`` (whose area check, ``Kelurahan.objects.for_user``, refuses an
  inactive user). Nothing saves that instance's ``is_active``.

The case and the complaint's change history name this account, so staff see that the case came
from the public form. Admins must not activate it or give it a password (README "Pengaduan").
"""

from __future__ import annotations

import copy

from akun.models import User
from akun.roles import Peran

USERNAME = "sistem.pengaduan"
NAMA = "Formulir pengaduan publik"
# The change reason of every history row the public form writes.
ALASAN_FORMULIR = "Formulir pengaduan publik"


def akun_sistem() -> User:
    user, baru = User.objects.get_or_create(
        username=USERNAME,
        defaults={"peran": Peran.STAF, "first_name": NAMA, "is_active": False},
    )
    if baru:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def akun_sistem_bertindak() -> User:
    """The system account as an acting user for a service call (active in memory, never saved)."""
    user = copy.copy(akun_sistem())
    user.is_active = True
    return user
