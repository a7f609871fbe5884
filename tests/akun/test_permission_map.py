"""Every URL name has an access rule; unknown names are refused (deny by default)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from akun.permissions import PUBLIK, SELF_GUARDED_NAMESPACES, URL_ACCESS, peran_boleh
from akun.roles import SEMUA_PERAN


def _nama_url(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace
            if ns in SELF_GUARDED_NAMESPACES:
                continue
            yield from _nama_url(p, f"{prefix}{ns}:" if ns else prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def test_setiap_url_punya_aturan_akses():
    tanpa_aturan = sorted(set(_nama_url()) - set(URL_ACCESS))
    assert tanpa_aturan == [], f"URL tanpa entri di akun.permissions.URL_ACCESS: {tanpa_aturan}"


def test_tidak_ada_aturan_untuk_url_yang_sudah_tidak_ada():
    assert sorted(set(URL_ACCESS) - set(_nama_url())) == []


def test_aturan_hanya_memakai_peran_yang_dikenal():
    for nama, aturan in URL_ACCESS.items():
        assert aturan == PUBLIK or (aturan and set(aturan) <= SEMUA_PERAN), nama


def test_url_tanpa_aturan_ditolak():
    assert not peran_boleh("admin", "url:yang-tidak-ada")


@pytest.mark.django_db
def test_middleware_menolak_url_tanpa_aturan(client, user_staf, settings, tmp_path):
    """A URL added without a rule is refused with 403, even for a logged-in Admin."""
    import sys
    import types

    from django.http import HttpResponse
    from django.urls import path

    modul = types.ModuleType("urls_uji_tanpa_aturan")
    from payakumbuh_sosial.urls import urlpatterns

    modul.urlpatterns = [path("rahasia/", lambda r: HttpResponse("bocor"), name="rahasia"), *urlpatterns]
    sys.modules[modul.__name__] = modul
    settings.ROOT_URLCONF = modul.__name__
    client.force_login(user_staf)
    resp = client.get("/rahasia/")
    assert resp.status_code == 403
    assert b"bocor" not in resp.content
