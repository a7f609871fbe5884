"""Login throttling (django-axes) that fits a shared office network and stops credential stuffing.

Axes locks a **username + address** pair after ``AXES_FAILURE_LIMIT`` failures: a colleague
behind the same office router is never locked out by someone else's typos. That alone lets one
address try a few passwords on each of the 47 predictable ``psm.<kelurahan>`` names, so this
handler also locks an **address** once its failures across all usernames reach
``AXES_IP_FAILURE_LIMIT`` (higher, because a whole office shares one address) within the same
cool-off window.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class PembatasMasuk(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        pasangan = super().get_failures(request, credentials)
        batas = settings.AXES_FAILURE_LIMIT
        alamat = getattr(request, "axes_ip_address", None)
        if pasangan >= batas or not alamat:
            return pasangan
        percobaan = AccessAttempt.objects.filter(ip_address=alamat)
        if settings.AXES_COOLOFF_TIME:
            percobaan = percobaan.filter(attempt_time__gte=get_cool_off_threshold(request))
        dari_alamat = percobaan.aggregate(n=Sum("failures_since_start"))["n"] or 0
        if dari_alamat >= settings.AXES_IP_FAILURE_LIMIT:
            # The lockout page names the cause: the address, not this username.
            request.axes_kunci_alamat = True
            return batas
        return pasangan
