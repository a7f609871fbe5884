"""The client's IP address for login throttling (django-axes) behind a reverse proxy.

Behind nginx every request comes from 127.0.0.1; without this, axes would lock a username for
everyone at once. With ``TRUSTED_PROXY_COUNT=N`` (the number of proxies in front of the app), the
address is read N entries from the right of X-Forwarded-For, the part the proxies wrote (a
client can prepend anything it likes, so the left end is never trusted).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def alamat_ip_klien(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    jumlah = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if jumlah <= 0:
        return remote
    rantai = [bagian.strip() for bagian in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if bagian.strip()]
    if len(rantai) < jumlah:
        return remote
    kandidat = rantai[-jumlah]
    try:
        return str(ipaddress.ip_address(kandidat))
    except ValueError:
        return remote
