"""Review: simple-history's "revert" page saved an old version for anyone who could view the record,
so one staff user could reopen or close an extreme-poor stay alone (bypassing maker-checker)."""

import pytest
from django.urls import reverse

from tests.factories import StatusMiskinEkstremFactory

pytestmark = pytest.mark.django_db


def test_kembalikan_versi_lama_ditolak_tanpa_izin_ubah(client, user_staf, user_admin, keluarga_a):
    stay = StatusMiskinEkstremFactory(keluarga=keluarga_a)
    versi_terbuka = stay.history.earliest("history_id").history_id
    stay.tanggal_keluar = stay.tanggal_masuk
    stay.alasan_keluar = "salah_data"
    stay._history_user = user_admin
    stay.save()
    url = reverse("admin:kemiskinan_statusmiskinekstrem_history", args=[stay.pk]) + f"{versi_terbuka}/"
    for user in (user_staf, user_admin):
        client.force_login(user)
        assert client.get(url).status_code == 200  # looking at an old version is fine
        assert client.post(url, {}).status_code == 403
    stay.refresh_from_db()
    assert stay.tanggal_keluar is not None  # still closed: nobody reverted it


def test_kembalikan_versi_lama_tetap_boleh_dengan_izin_ubah(client, user_staf, penduduk_a):
    versi = penduduk_a.history.earliest("history_id").history_id
    url = reverse("admin:penduduk_penduduk_history", args=[penduduk_a.pk]) + f"{versi}/"
    client.force_login(user_staf)
    resp = client.get(url)
    assert resp.status_code == 200 and resp.context["revert_disabled"] is False
