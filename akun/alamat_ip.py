"""The client's IP address for login throttling (django-axes) behind a reverse proxy.

Behind nginx every request comes from 127.0.0.1; without this, axes would lock a username for
everyone at once. With ``TRUSTED_PROXY_COUNT=N`` (the number of proxies in front of the app), the
address is read N entries from the right of X-Forwarded-For, the part the proxies wrote (a
client can prepend anything it likes, so the left end is never trusted).
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)
_sudah_diperingatkan = False


def _peringatkan_proxy_tak_dikenal() -> None:
    """Once per process: a proxy seems to be in front, but the app does not know it is."""
    global _sudah_diperingatkan
    if not _sudah_diperingatkan:
        _sudah_diperingatkan = True
        logger.warning(
            "A request carries X-Forwarded-For but TRUSTED_PROXY_COUNT is 0: behind a reverse proxy, "
            "every client looks like the proxy and login throttling locks usernames for everyone. "
            "Set TRUSTED_PROXY_COUNT=1 (README, Security settings)."
        )


def alamat_ip_klien(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    jumlah = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if jumlah <= 0:
        if not settings.DEBUG and request.META.get("HTTP_X_FORWARDED_FOR"):
            _peringatkan_proxy_tak_dikenal()
        return remote
    rantai = [bagian.strip() for bagian in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if bagian.strip()]
    if len(rantai) < jumlah:
        return remote
    kandidat = rantai[-jumlah]
    try:
        return str(ipaddress.ip_address(kandidat))
    except ValueError:
        return remote
