"""Issue 8: coverage per kelurahan and caseload per PSM on a hand-made fixture; constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from akun.roles import Peran
from tests.factories import (
    KasusFactory,
    KeluargaFactory,
    KunjunganFactory,
    PendudukFactory,
    PPKSFactory,
    StatusMiskinEkstremFactory,
    UserFactory,
)
from wilayah.models import Kelurahan

pytestmark = pytest.mark.django_db


def _hari(n):
    return timezone.localdate() - dt.timedelta(days=n)


def _baris(resp) -> dict:
    return {b.kelurahan.slug: b for g in resp.context["kecamatan"] for b in g.baris}


def test_cakupan_angka(client, user_staf, psm_a, kelurahan_a, kelurahan_b):
    UserFactory(peran=Peran.PSM, kelurahan=[kelurahan_a])  # a second PSM in Tanjuang Pauh
    UserFactory(peran=Peran.PSM, kelurahan=[kelurahan_b], is_active=False)  # Napar: only an inactive one
    nonaktif = UserFactory(peran=Peran.PSM, kelurahan=[kelurahan_b], is_active=False)
    a = lambda: PendudukFactory(kelurahan=kelurahan_a)  # noqa: E731
    PPKSFactory(penduduk=a(), psm_pendamping=psm_a, terakhir_dikunjungi=_hari(10))
    PPKSFactory(penduduk=a(), psm_pendamping=psm_a, terakhir_dikunjungi=_hari(120))  # overdue
    PPKSFactory(penduduk=a(), psm_pendamping=None)  # no pendamping, never visited
    PPKSFactory(penduduk=a(), status="bukan_ppks", tanggal_selesai=_hari(5), alasan_selesai="x")  # not counted
    PPKSFactory(penduduk=PendudukFactory(kelurahan=kelurahan_b), psm_pendamping=nonaktif, terakhir_dikunjungi=_hari(1))
    dikunjungi, lama, baru_masuk = (KeluargaFactory(kelurahan=kelurahan_a) for _ in range(3))
    for k in (dikunjungi, lama, baru_masuk):
        StatusMiskinEkstremFactory(keluarga=k)
    StatusMiskinEkstremFactory(
        keluarga=KeluargaFactory(kelurahan=kelurahan_a), tanggal_keluar=_hari(3), alasan_keluar="pindah"
    )  # left the list: not counted
    KunjunganFactory(keluarga=dikunjungi, penduduk=None, tanggal=_hari(5))
    KunjunganFactory(keluarga=lama, penduduk=None, tanggal=_hari(45))

    client.force_login(user_staf)
    resp = client.get(reverse("psm:cakupan"))
    baris = _baris(resp)
    assert len(baris) == Kelurahan.objects.count() == 47
    a_, b_ = baris["tanjuang-pauh"], baris["napar"]
    assert (a_.psm_aktif, a_.ppks, a_.ppks_tanpa_pendamping, a_.ppks_terlambat) == (2, 3, 1, 2)
    assert (a_.miskin_ekstrem, a_.miskin_tanpa_kunjungan) == (3, 2)
    assert (b_.psm_aktif, b_.ppks, b_.ppks_tanpa_pendamping, b_.ppks_terlambat) == (0, 1, 1, 0)
    assert b_.tanpa_psm and not a_.tanpa_psm
    assert kelurahan_b in resp.context["tanpa_psm"]
    html = resp.content.decode()
    assert f"{reverse('ppks:list')}?kelurahan={kelurahan_a.pk}&amp;belum_dikunjungi=90" in html
    assert "tanpa PSM" in html


def test_cakupan_jumlah_query_konstan(client, user_staf, kelurahan_a, kelurahan_b):
    client.force_login(user_staf)

    def isi(n):
        for i in range(n):
            kel = kelurahan_a if i % 2 else kelurahan_b
            u = UserFactory(peran=Peran.PSM, kelurahan=[kel])
            PPKSFactory(penduduk=PendudukFactory(kelurahan=kel), psm_pendamping=u)
            StatusMiskinEkstremFactory(keluarga=KeluargaFactory(kelurahan=kel))

    isi(3)
    client.get(reverse("psm:cakupan"))
    with CaptureQueriesContext(connection) as sedikit:
        client.get(reverse("psm:cakupan"))
    isi(27)
    with CaptureQueriesContext(connection) as banyak:
        client.get(reverse("psm:cakupan"))
    assert len(banyak) == len(sedikit)


def test_beban_kerja_angka_dan_urutan(client, user_pimpinan, psm_a, psm_b, kelurahan_a, kelurahan_b):
    for hari in (10, 100, None):
        PPKSFactory(
            penduduk=PendudukFactory(kelurahan=kelurahan_a),
            psm_pendamping=psm_a,
            terakhir_dikunjungi=hari and _hari(hari),
        )
    KasusFactory(kelurahan=kelurahan_a, psm=psm_a)
    orang_b = PendudukFactory(kelurahan=kelurahan_b)
    PPKSFactory(penduduk=orang_b, psm_pendamping=psm_b, terakhir_dikunjungi=_hari(2))
    KunjunganFactory(oleh=psm_b, penduduk=orang_b, tanggal=_hari(2))
    KunjunganFactory(oleh=psm_b, penduduk=orang_b, tanggal=_hari(40))
    client.force_login(user_pimpinan)
    resp = client.get(reverse("psm:beban"))
    akun = {u.pk: u for u in resp.context["akun"]}
    a, b = akun[psm_a.pk], akun[psm_b.pk]
    assert (a.jumlah_ppks, a.jumlah_kasus, a.jumlah_ppks_terlambat, a.kunjungan_30) == (3, 1, 2, 0)
    assert (b.jumlah_ppks, b.jumlah_kasus, b.jumlah_ppks_terlambat, b.kunjungan_30) == (1, 0, 0, 1)
    assert b.aktivitas_terakhir == _hari(2) and a.aktivitas_terakhir is None
    assert [u.pk for u in resp.context["akun"]] == [psm_a.pk, psm_b.pk]  # most overdue first
    urut = lambda k: [u.pk for u in client.get(reverse("psm:beban"), {"urut": k}).context["akun"]]  # noqa: E731
    assert urut("-kunjungan") == [psm_b.pk, psm_a.pk]
    assert urut("ppks") == [psm_b.pk, psm_a.pk]
    assert urut("nama; DROP TABLE") == [psm_a.pk, psm_b.pk]  # not whitelisted: the default order


def test_beban_kerja_jumlah_query_konstan(client, user_staf, kelurahan_a):
    client.force_login(user_staf)

    def isi(n):
        for _ in range(n):
            u = UserFactory(peran=Peran.PSM, kelurahan=[kelurahan_a])
            orang = PendudukFactory(kelurahan=kelurahan_a)
            PPKSFactory(penduduk=orang, psm_pendamping=u)
            KasusFactory(kelurahan=kelurahan_a, psm=u)
            KunjunganFactory(oleh=u, penduduk=orang)

    isi(3)
    client.get(reverse("psm:beban"))
    with CaptureQueriesContext(connection) as sedikit:
        client.get(reverse("psm:beban"))
    isi(27)
    with CaptureQueriesContext(connection) as banyak:
        client.get(reverse("psm:beban"))
    assert len(banyak) == len(sedikit)
