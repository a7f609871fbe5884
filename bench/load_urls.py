"""URLs of the load bench (bench/load_settings.py): the application's, plus a trivial page.

``/bench/ringan/`` answers "ok" through the whole middleware stack without touching the database:
the ceiling of what one Django request can cost on this machine. ``/healthz`` is not trivial enough
(a database round trip). Its name is allowed here, in the bench process only, so that the
deny-by-default permission map of the application stays as it is.
"""

from django.http import HttpResponse
from django.urls import path

from akun.permissions import PUBLIK, URL_ACCESS
from payakumbuh_sosial import urls as aplikasi

handler400 = aplikasi.handler400
handler403 = aplikasi.handler403
handler404 = aplikasi.handler404
handler500 = aplikasi.handler500

NAMA_RINGAN = "bench-ringan"
URL_ACCESS.setdefault(NAMA_RINGAN, PUBLIK)


def ringan(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/ringan/", ringan, name=NAMA_RINGAN), *aplikasi.urlpatterns]
