"""Issue 8: "Catat kunjungan" from the person, PPKS and case pages; the person's latest visits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import KasusFactory, KunjunganFactory, PPKSFactory
from tests.psm import berikrar

pytestmark = pytest.mark.django_db


def test_tombol_catat_kunjungan_di_halaman_terkait(client, psm_a, penduduk_a, kelurahan_a):
    berikrar(psm_a)
    ppks = PPKSFactory(penduduk=penduduk_a)
    kasus = KasusFactory(kelurahan=kelurahan_a, penduduk=penduduk_a)
    client.force_login(psm_a)
    form = reverse("psm:kunjungan-create")
    for url, param in (
        (penduduk_a.get_absolute_url(), f"?penduduk={penduduk_a.pk}"),
        (ppks.get_absolute_url(), f"?penduduk={penduduk_a.pk}"),
        (kasus.get_absolute_url(), f"?kasus={kasus.pk}"),
    ):
        html = client.get(url).content.decode()
        assert f"{form}{param}&amp;next=" in html, url


def test_pimpinan_tanpa_tombol_kunjungan(client, user_pimpinan, penduduk_a):
    client.force_login(user_pimpinan)
    html = client.get(penduduk_a.get_absolute_url()).content.decode()
    assert reverse("psm:kunjungan-create") not in html


def test_kunjungan_terakhir_di_halaman_penduduk_dalam_wilayah_saja(client, psm_a, penduduk_a, kelurahan_b):
    KunjunganFactory(penduduk=penduduk_a, temuan="Kunjungan di Tanjuang Pauh")
    # Made while the person lived in Napar: the visit's scope is Napar.
    KunjunganFactory(penduduk=penduduk_a, kelurahan=kelurahan_b, temuan="Kunjungan waktu di Napar")
    client.force_login(psm_a)
    html = client.get(penduduk_a.get_absolute_url()).content.decode()
    assert "Kunjungan terakhir" in html
    assert "Kunjungan di Tanjuang Pauh" in html and "Kunjungan waktu di Napar" not in html
