"""Issue 5, point 7: impossible birth dates and names without a letter are refused, with a message."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from penduduk.models import Keluarga, Penduduk
from penduduk.services import penduduk_simpan
from tests.factories import PendudukFactory, data_form_penduduk
from tests.penduduk.test_keluarga_views import _formset

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("tanggal", "pesan"),
    [
        ("31/12/1899", "sebelum tahun 1900"),
        ("01/01/1850", "sebelum tahun 1900"),
        # A week ahead, not a day: params are built at collection, and a long run may cross midnight WIB.
        ((timezone.localdate() + dt.timedelta(days=7)).strftime("%d/%m/%Y"), "masa depan"),
    ],
)
def test_tanggal_lahir_mustahil_ditolak_di_form(client, user_staf, kelurahan_a, tanggal, pesan):
    client.force_login(user_staf)
    resp = client.post(reverse("penduduk:create"), data_form_penduduk(kelurahan_a, tanggal_lahir=tanggal))
    assert resp.status_code == 200
    assert pesan in " ".join(resp.context["form"].errors["tanggal_lahir"])
    assert not Penduduk.objects.exists()


def test_tanggal_lahir_1900_diterima(client, user_staf, kelurahan_a):
    client.force_login(user_staf)
    resp = client.post(reverse("penduduk:create"), data_form_penduduk(kelurahan_a, tanggal_lahir="01/01/1900"))
    assert resp.status_code == 302


@pytest.mark.parametrize("nama", ["!!!", "123", "- . -", "'''"])
def test_nama_tanpa_huruf_ditolak(client, user_staf, kelurahan_a, nama):
    """Reproduction: "!!!" was saved, and compared as an empty name by the duplicate check."""
    client.force_login(user_staf)
    resp = client.post(reverse("penduduk:create"), data_form_penduduk(kelurahan_a, nama=nama))
    assert resp.status_code == 200
    assert "Nama harus memuat huruf." in resp.context["form"].errors["nama"]
    assert not Penduduk.objects.exists()


@pytest.mark.parametrize("nama", ["Ély Rahmah", "A. Rahman", "Nurhayati 2", "La Ode"])
def test_nama_dengan_huruf_diterima(client, user_staf, kelurahan_a, nama):
    client.force_login(user_staf)
    assert client.post(reverse("penduduk:create"), data_form_penduduk(kelurahan_a, nama=nama)).status_code == 302


def test_layanan_menolak_juga(user_staf, kelurahan_a):
    orang = PendudukFactory.build(kelurahan=kelurahan_a, nama="???", nik=None, tanggal_lahir=dt.date(1800, 1, 1))
    with pytest.raises(ValidationError) as info:
        penduduk_simpan(penduduk=orang, oleh=user_staf)
    assert set(info.value.message_dict) == {"nama", "tanggal_lahir"}


def test_anggota_baru_di_form_keluarga_juga_diperiksa(client, user_staf, kelurahan_a):
    client.force_login(user_staf)
    data = {
        "no_kk": "", "kelurahan": kelurahan_a.pk, "alamat": "Jl. Sudirman", "rt": "", "rw": "",
        **_formset([{"nama": "!!!", "hubungan": "kepala", "jenis_kelamin": "L", "tanggal_lahir": "01/01/1890"}]),
    }  # fmt: skip
    resp = client.post(reverse("penduduk:keluarga-create"), data)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Nama harus memuat huruf." in html
    assert "sebelum tahun 1900" in html
    assert not Keluarga.objects.exists() and not Penduduk.objects.exists()
