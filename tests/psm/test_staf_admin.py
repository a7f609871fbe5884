"""Issue 8: the back office for PSM: a pledge version somebody accepted is read-only; new
versions are added by Admin; visits are read only and show no photo."""

import pytest
from django.urls import reverse

from psm.models import Ikrar, PersetujuanIkrar, ProfilPSM
from tests.factories import KunjunganFactory

pytestmark = pytest.mark.django_db


def test_ikrar_yang_sudah_disetujui_tidak_bisa_diubah_atau_dihapus(client, user_admin, psm_a):
    v1 = Ikrar.terkini()
    PersetujuanIkrar.objects.create(user=psm_a, ikrar=v1)
    client.force_login(user_admin)
    resp = client.get(reverse("admin:psm_ikrar_change", args=[v1.pk]))
    assert resp.status_code == 200 and resp.context["has_change_permission"] is False
    assert client.post(reverse("admin:psm_ikrar_change", args=[v1.pk]), {"teks": "diubah"}).status_code == 403
    assert client.post(reverse("admin:psm_ikrar_delete", args=[v1.pk]), {"post": "yes"}).status_code == 403
    v1.refresh_from_db()
    assert "diubah" not in v1.teks


def test_admin_menambah_versi_baru(client, user_admin, user_staf):
    client.force_login(user_admin)
    resp = client.get(reverse("admin:psm_ikrar_add"))
    assert resp.context["adminform"].form.initial["versi"] == 2
    data = {"versi": 2, "judul": "Ikrar PSM Kota Payakumbuh", "teks": "Kami PSM ... tidak memungut pungli.",
            "berlaku_sejak": "01/12/2026"}  # fmt: skip
    assert client.post(reverse("admin:psm_ikrar_add"), data).status_code == 302
    assert Ikrar.terkini().versi == 2
    client.force_login(user_staf)
    assert client.get(reverse("admin:psm_ikrar_add")).status_code == 403


def test_kunjungan_di_admin_tanpa_foto(client, user_staf, penduduk_a):
    kunjungan = KunjunganFactory(penduduk=penduduk_a)
    client.force_login(user_staf)
    resp = client.get(reverse("admin:psm_kunjungan_change", args=[kunjungan.pk]))
    assert resp.status_code == 200 and "foto" not in resp.context["adminform"].form.fields
    assert "foto" not in resp.content.decode().lower().split("</form>")[0].split('name="')[-1]


def test_profil_psm_lewat_admin_memakai_layanan(client, user_staf, psm_a, kelurahan_b):
    client.force_login(user_staf)
    data = {
        "user": psm_a.pk, "nama": "Nurhayati", "nik": "", "telepon": "0812", "nomor_sk": "", "tanggal_sk": "",
        "aktif_mulai": "", "aktif_sampai": "", "kelurahan_utama": kelurahan_b.pk,
        "pelatihan-TOTAL_FORMS": "0", "pelatihan-INITIAL_FORMS": "0",
        "pelatihan-MIN_NUM_FORMS": "0", "pelatihan-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    resp = client.post(reverse("admin:psm_profilpsm_add"), data)
    assert resp.status_code == 200  # the primary kelurahan is not the account's: refused
    assert not ProfilPSM.objects.exists()
