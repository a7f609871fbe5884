from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from akun.permissions import PUBLIK, SELF_GUARDED_NAMESPACES, URL_ACCESS

logger = logging.getLogger(__name__)


class RoleAccessMiddleware:
    """Enforces ``akun.permissions.URL_ACCESS`` on every resolved URL, before the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or (match.namespaces and match.namespaces[0] in SELF_GUARDED_NAMESPACES):
            return None
        aturan = URL_ACCESS.get(match.view_name)
        if aturan is None:
            logger.error("URL %s has no entry in akun.permissions.URL_ACCESS", match.view_name)
            raise PermissionDenied(_("Halaman ini belum memiliki aturan akses."))
        if aturan == PUBLIK:
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.peran_efektif not in aturan:
            raise PermissionDenied(_("Peran Anda tidak diizinkan membuka halaman ini."))
        return None


class SessionTimeoutMiddleware:
    """Ends a session after an idle period and after an absolute maximum (a working day).

    Django's own SESSION_COOKIE_AGE is only an absolute limit renewed on every write; an idle
    limit needs the last-activity time kept in the session.
    """

    KEY_MULAI = "_sesi_mulai"
    KEY_AKTIF = "_sesi_aktif"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            mulai = request.session.get(self.KEY_MULAI, now)
            aktif = request.session.get(self.KEY_AKTIF, now)
            if now - aktif > settings.SESSION_IDLE_SECONDS or now - mulai > settings.SESSION_MAX_SECONDS:
                logout(request)
                messages.info(request, _("Sesi Anda berakhir karena tidak aktif. Silakan masuk lagi."))
                return redirect_to_login(request.get_full_path())
            # Assigning marks the session modified (a database write): do it only when needed, and
            # refresh the activity stamp at most once a minute.
            if self.KEY_MULAI not in request.session:
                request.session[self.KEY_MULAI] = mulai
            if now - aktif >= 60 or self.KEY_AKTIF not in request.session:
                request.session[self.KEY_AKTIF] = now
        return self.get_response(request)


def _ada_nul(data) -> bool:
    return any("\x00" in kunci or any("\x00" in v for v in data.getlist(kunci)) for kunci in data)


class TolakNulMiddleware:
    """Answers 400 with a clear page for a NUL character in the query string or form data.

    PostgreSQL cannot store or compare a string holding NUL: psycopg2 raises ``ValueError`` deep in
    an admin filter, a search or an autocomplete term, which was a 500. Forms already refuse NUL
    per field (Django's ``ProhibitNullCharactersValidator``); this covers everything else at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _ada_nul(request.GET) or (request.method == "POST" and _ada_nul(request.POST)):
            return render(request, "400.html", {"pesan": _("Isian berisi karakter yang tidak diizinkan.")}, status=400)
        return self.get_response(request)


class TanpaCacheMiddleware:
    """``Cache-Control: no-store`` on every page Django renders (static files are served before it).

    Pages hold personal data: on a shared phone the back button after logout must show nothing,
    and no proxy may keep a copy. A response that set its own caching (none does today) keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


class DatabaseSibukMiddleware:
    """A write that still meets a locked SQLite database (after the busy timeout) answers 503 with
    "try again" instead of a 500. On PostgreSQL a lost connection lands here too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # On SQLite only a lock is "busy"; its other OperationalErrors ("no such table") are bugs and
        # stay 500s. On PostgreSQL an OperationalError is a lost or refused connection.
        if isinstance(exception, OperationalError) and (
            connection.vendor != "sqlite" or "locked" in str(exception) or "busy" in str(exception)
        ):
            logger.warning("Database busy or unavailable: %s", exception)
            halaman = loader.get_template("503.html").render()
            return HttpResponse(halaman, status=503, headers={"Retry-After": "5"})
        return None
