"""The back office: who may enter, and an access matrix over every registered ModelAdmin.

Implemented behaviour, asserted exactly: anonymous visitors get a 302 to the admin login page;
signed-in Pimpinan and PSM get 403 on every admin page (even with ``is_staff``); Admin and Staf
Dinsos get 200 where their role allows the action and 403 where it does not. The matrix covers
the import/export pages too (``<model>/export/`` everywhere, ``<model>/import/`` and
``process_import/`` where the model may be imported): "ekspor" and "impor" in ATURAN.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from akun.admin_base import Akses, PeranAdminMixin
from akun.admin_site import BackOfficeSite
from akun.models import LogAkses, User
from akun.roles import Peran
from impor.models import TugasImpor
from ppks.models import Notifikasi
from psm.models import Ikrar, PersetujuanIkrar
from tests.factories import (
    PASSWORD,
    KasusFactory,
    KunjunganFactory,
    PPKSFactory,
    ProfilPSMFactory,
    UserFactory,
    jenis_ppks,
)
from wilayah.models import AliasWilayah

pytestmark = pytest.mark.django_db

SEMUA_AKSI = frozenset({"lihat", "tambah", "ubah", "hapus", "ekspor", "impor"})
LIHAT = frozenset({"lihat", "ekspor"})  # whoever may view a model may export it
REFERENSI = {"admin": SEMUA_AKSI, "staf": LIHAT}
REGISTRI = {"admin": SEMUA_AKSI, "staf": frozenset({"lihat", "tambah", "ubah", "ekspor", "impor"})}
HANYA_ADMIN = {"admin": SEMUA_AKSI, "staf": frozenset()}
BACA = {"admin": LIHAT, "staf": LIHAT}
HANYA_ADMIN_BACA = {"admin": LIHAT, "staf": frozenset()}

# Every model registered in the back office, with what Admin and Staf may do there. A new
# ModelAdmin must be added here (test_setiap_model_terdaftar_punya_aturan fails otherwise).
# Export is everywhere (for whoever may view); import only for the models in DAPAT_DIIMPOR.
ATURAN: dict[str, dict[str, frozenset[str]]] = {
    "akun.user": {"admin": SEMUA_AKSI - {"impor"}, "staf": frozenset()},  # export only: no passwords
    "akun.logakses": HANYA_ADMIN_BACA,  # the UU PDP access log: Admin reads and exports; nobody writes
    "wilayah.kecamatan": REFERENSI,
    "wilayah.kelurahan": REFERENSI,
    "wilayah.aliaswilayah": REFERENSI,
    "penduduk.penduduk": REGISTRI,
    "penduduk.keluarga": REGISTRI,
    "ppks.jenisppks": REFERENSI,  # Admin deletes only a jenis nothing uses
    "ppks.ppks": REGISTRI,
    "ppks.kasus": {k: v - {"impor"} for k, v in REGISTRI.items()},  # export only: the status workflow
    "ppks.notifikasi": HANYA_ADMIN_BACA,
    "psm.profilpsm": REGISTRI,
    "psm.ikrar": {"admin": SEMUA_AKSI - {"impor"}, "staf": LIHAT},  # a version with acceptances: read-only
    "psm.persetujuanikrar": BACA,
    "psm.kunjungan": BACA,
    # kemiskinan: the target and the line are settings; stays, proposals and help are written on the
    # site only (maker-checker in kemiskinan.services), so the back office only shows them.
    "kemiskinan.target": {"admin": SEMUA_AKSI - {"impor"}, "staf": LIHAT},  # export only: no natural key
    "kemiskinan.gariskemiskinan": REFERENSI,
    "kemiskinan.statusmiskinekstrem": BACA,
    "kemiskinan.usulankeluar": BACA,
    "kemiskinan.intervensi": BACA,
    # pengaduan: read-only in the back office (triage only through pengaduan.services on the site);
    # Admin may delete spam.
    "pengaduan.pengaduan": {"admin": LIHAT | {"hapus"}, "staf": LIHAT},
    # bantuan: programmes are reference data; distributions are recorded on the site (services) and
    # imported/exported here; confirmations and integrity flags are read-only, flags never deleted.
    "bantuan.program": REFERENSI,
    # Distributions: the form is read-only, the import writes through bantuan.services.
    "bantuan.penyaluran": {"admin": LIHAT | {"impor"}, "staf": LIHAT | {"impor"}},
    "bantuan.konfirmasi": BACA,
    "bantuan.bendera": BACA,
    # django-axes login logs: Admin reads them; deleting an attempt unlocks an account.
    "axes.accessattempt": {"admin": LIHAT | {"hapus"}, "staf": frozenset()},
    "axes.accesslog": HANYA_ADMIN_BACA,
    "axes.accessfailurelog": HANYA_ADMIN_BACA,
    # Import jobs: the record of who imported what; read and export only (impor/admin.py).
    "impor.tugasimpor": BACA,
    # django-tasks' job rows (the import queue): Admin reads them.
    "django_tasks_database.dbtaskresult": HANYA_ADMIN_BACA,
}
TANPA_OBJEK = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog", "django_tasks_database.dbtaskresult"}
# Models with an import page (the others are export only, for the reasons in their resources).
DAPAT_DIIMPOR = {label for label, aturan in ATURAN.items() if any("impor" in a for a in aturan.values())}
DITOLAK = ["pimpinan", "psm_a", "psm_b"]


def _label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _url(label: str, halaman: str, obj=None) -> str:
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{halaman}", args=[obj.pk] if obj is not None else [])


@pytest.fixture
def objek(psm_a, kelurahan_a, penduduk_a, keluarga_a):
    kasus = KasusFactory(kelurahan=kelurahan_a)
    return {
        "akun.user": psm_a,
        "akun.logakses": LogAkses.objects.create(
            nama_pengguna="staf", peran="staf", aksi="lihat_nik", penduduk=penduduk_a
        ),
        "wilayah.kecamatan": kelurahan_a.kecamatan,
        "wilayah.kelurahan": kelurahan_a,
        "wilayah.aliaswilayah": AliasWilayah.objects.order_by("pk").first(),
        "penduduk.penduduk": penduduk_a,
        "penduduk.keluarga": keluarga_a,
        "ppks.jenisppks": jenis_ppks("KAT"),
        "ppks.ppks": PPKSFactory(penduduk=penduduk_a),
        "ppks.kasus": kasus,
        "ppks.notifikasi": Notifikasi.objects.create(pengguna=psm_a, kasus=kasus, jenis="darurat"),
        "psm.profilpsm": ProfilPSMFactory(user=psm_a),
        "psm.ikrar": Ikrar.objects.create(versi=2, teks="Ikrar versi uji, belum disetujui siapa pun."),
        "psm.persetujuanikrar": PersetujuanIkrar.objects.create(user=psm_a, ikrar=Ikrar.objects.get(versi=1)),
        "psm.kunjungan": KunjunganFactory(penduduk=penduduk_a),
        **_objek_kemiskinan(keluarga_a),
        **_objek_bantuan(keluarga_a),
        **_objek_pengaduan(kelurahan_a),
        "impor.tugasimpor": TugasImpor.objects.create(jenis="penduduk", nama_berkas="uji.xlsx"),
    }


def _objek_kemiskinan(keluarga) -> dict:
    from kemiskinan.models import GarisKemiskinan
    from tests.factories import IntervensiFactory, StatusMiskinEkstremFactory, TargetFactory, UsulanKeluarFactory

    status = StatusMiskinEkstremFactory(keluarga=keluarga)
    return {
        "kemiskinan.target": TargetFactory(),
        "kemiskinan.gariskemiskinan": GarisKemiskinan.objects.order_by("pk").first(),
        "kemiskinan.statusmiskinekstrem": status,
        "kemiskinan.usulankeluar": UsulanKeluarFactory(status_miskin=status),
        "kemiskinan.intervensi": IntervensiFactory(keluarga=keluarga),
    }


def _objek_pengaduan(kelurahan) -> dict:
    from tests.pengaduan.factories import PengaduanFactory

    return {"pengaduan.pengaduan": PengaduanFactory(kelurahan=kelurahan)}


def _objek_bantuan(keluarga) -> dict:
    from bantuan.models import Program
    from tests.bantuan.factories import BenderaFactory, KonfirmasiFactory

    konfirmasi = KonfirmasiFactory(penyaluran__keluarga=keluarga)
    return {
        "bantuan.program": Program.objects.get(kode="CSR"),
        "bantuan.penyaluran": konfirmasi.penyaluran,
        "bantuan.konfirmasi": konfirmasi,
        "bantuan.bendera": BenderaFactory(penyaluran=konfirmasi.penyaluran),
    }


def test_situs_admin_adalah_back_office_berbasis_peran():
    situs = admin.site._wrapped if hasattr(admin.site, "_wrapped") else admin.site
    assert isinstance(situs, BackOfficeSite), (
        'INSTALLED_APPS harus memuat "akun.apps.BackOfficeAdminConfig" sebagai ganti "django.contrib.admin"'
    )


def test_setiap_model_terdaftar_punya_aturan():
    terdaftar = {_label(m) for m in admin.site._registry}
    assert terdaftar == set(ATURAN), "Tambahkan model admin baru ke ATURAN di tests/akun/test_admin.py"


def test_setiap_model_admin_memakai_akses_peran():
    tanpa = [_label(m) for m, ma in admin.site._registry.items() if not isinstance(ma, PeranAdminMixin)]
    assert tanpa == [], f"ModelAdmin tanpa PeranAdminMixin (akses menurut peran): {tanpa}"


def test_akses_menolak_peran_di_luar_back_office():
    with pytest.raises(ValueError, match="tidak boleh masuk back office"):
        Akses(lihat=frozenset({Peran.PIMPINAN}))


# --- Entering the site -------------------------------------------------------------------------


@pytest.mark.parametrize("peran", ["admin", "staf"])
def test_admin_dan_staf_masuk_tanpa_is_staff(client, cast, peran):
    assert not cast[peran].is_staff
    client.force_login(cast[peran])
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("peran", DITOLAK)
def test_pimpinan_dan_psm_ditolak_403_walau_is_staff(client, cast, peran):
    user = cast[peran]
    user.is_staff = True
    user.save()
    client.force_login(user)
    resp = client.get(reverse("admin:index"))
    assert resp.status_code == 403
    assert "Back office hanya untuk peran Admin dan Staf Dinsos" in resp.content.decode()


def test_anonim_diarahkan_ke_login_admin(client):
    url = reverse("admin:penduduk_penduduk_changelist")
    resp = client.get(url)
    assert resp.status_code == 302
    assert resp["Location"] == f"{reverse('admin:login')}?next={url}"


def test_superuser_berperan_psm_tetap_admin(client):
    user = UserFactory(username="super", peran=Peran.PSM, is_superuser=True)
    client.force_login(user)
    assert client.get(_url("akun.user", "changelist")).status_code == 200


def test_indeks_staf_hanya_menampilkan_model_yang_boleh(client, user_staf, user_admin):
    client.force_login(user_staf)
    resp = client.get(reverse("admin:index"))
    model_staf = {m["object_name"] for app in resp.context["app_list"] for m in app["models"]}
    assert model_staf == {
        "Penduduk",
        "Keluarga",
        "Kecamatan",
        "Kelurahan",
        "AliasWilayah",
        "JenisPPKS",
        "PPKS",
        "Kasus",
        "ProfilPSM",
        "Ikrar",
        "PersetujuanIkrar",
        "Kunjungan",
        "Target",
        "GarisKemiskinan",
        "StatusMiskinEkstrem",
        "UsulanKeluar",
        "Intervensi",
        "Program",
        "Penyaluran",
        "Konfirmasi",
        "Bendera",
        "Pengaduan",
        "TugasImpor",
    }

    client.force_login(user_admin)
    resp = client.get(reverse("admin:index"))
    model_admin = {m["object_name"] for app in resp.context["app_list"] for m in app["models"]}
    assert model_admin >= model_staf | {"User", "AccessAttempt"}
    assert "Group" not in model_admin


def test_login_admin_menerima_staf_dan_menolak_psm(client, user_staf, psm_a):
    masuk = {"password": PASSWORD, "next": reverse("admin:index")}
    resp = client.post(reverse("admin:login"), {**masuk, "username": "staf"})
    assert resp.status_code == 302
    assert resp["Location"] == reverse("admin:index")

    client.logout()
    psm_a.is_staff = True
    psm_a.save()
    resp = client.post(reverse("admin:login"), {**masuk, "username": psm_a.username})
    assert resp.status_code == 200
    assert "akun Admin atau Staf Dinsos yang benar" in resp.content.decode()
    assert "_auth_user_id" not in client.session


# --- Access matrix over changelist / add / change / delete / history of every model -------------


def _kasus_matriks():
    for label, aturan in ATURAN.items():
        for peran in ("admin", "staf"):
            yield pytest.param(label, peran, aturan[peran], id=f"{label}-{peran}")


@pytest.mark.parametrize(("label", "peran", "boleh"), list(_kasus_matriks()))
def test_matriks_akses_admin_dan_staf(client, cast, objek, label, peran, boleh):
    client.force_login(cast[peran])
    lihat = bool(boleh & {"lihat", "ubah"})

    assert client.get(_url(label, "changelist")).status_code == (200 if lihat else 403)
    assert client.get(_url(label, "add")).status_code == (200 if "tambah" in boleh else 403)
    _periksa_impor_ekspor(client, label, boleh)
    if label in TANPA_OBJEK:
        return

    obj = objek[label]
    resp = client.get(_url(label, "change", obj))
    assert resp.status_code == (200 if lihat else 403)
    if lihat:
        # View-only roles get the read-only form.
        assert resp.context["has_change_permission"] is ("ubah" in boleh)
    assert client.get(_url(label, "delete", obj)).status_code == (200 if "hapus" in boleh else 403)
    if hasattr(obj, "history"):
        assert client.get(_url(label, "history", obj)).status_code == (200 if lihat else 403)

    if "ubah" not in boleh:
        assert client.post(_url(label, "change", obj), {}).status_code == 403
    if "hapus" not in boleh:
        assert client.post(_url(label, "delete", obj), {"post": "yes"}).status_code == 403
        assert type(obj).objects.filter(pk=obj.pk).exists()


def _periksa_impor_ekspor(client, label: str, boleh: frozenset[str]) -> None:
    assert ("ekspor" in boleh) == bool(boleh & {"lihat", "ubah"}), "ekspor mengikuti hak melihat"
    kode_ekspor = 200 if "ekspor" in boleh else 403
    assert client.get(_url(label, "export")).status_code == kode_ekspor
    assert client.post(_url(label, "export"), {"format": "1"}).status_code == kode_ekspor
    if label not in DAPAT_DIIMPOR:
        with pytest.raises(NoReverseMatch):
            _url(label, "import")
        return
    kode_impor = 200 if "impor" in boleh else 403
    assert client.get(_url(label, "import")).status_code == kode_impor
    if "impor" not in boleh:
        assert client.post(_url(label, "import"), {}).status_code == 403
        assert client.post(_url(label, "process_import"), {}).status_code == 403


@pytest.mark.parametrize("label", sorted(set(ATURAN) - TANPA_OBJEK))
@pytest.mark.parametrize("peran", DITOLAK)
def test_matriks_pimpinan_dan_psm_ditolak_di_setiap_halaman(client, cast, objek, label, peran):
    client.force_login(cast[peran])
    obj = objek[label]
    for url in (
        _url(label, "changelist"),
        _url(label, "add"),
        _url(label, "change", obj),
        _url(label, "delete", obj),
        _url(label, "history", obj),
        *_url_impor_ekspor(label),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    assert client.post(_url(label, "delete", obj), {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def _url_impor_ekspor(label: str) -> list[str]:
    halaman = ["export"] + (["import", "process_import"] if label in DAPAT_DIIMPOR else [])
    return [_url(label, h) for h in halaman]


@pytest.mark.parametrize("label", sorted(ATURAN))
def test_matriks_anonim_ke_login(client, label):
    for url in (_url(label, "changelist"), *_url_impor_ekspor(label)):
        resp = client.get(url)
        assert resp.status_code == 302, url
        assert resp["Location"].startswith(reverse("admin:login"))


# --- User admin ---------------------------------------------------------------------------------


def _data_pengguna_baru(**ubah):
    data = {
        "username": "psm.baru",
        "usable_password": "true",
        "password1": "Rahasia-Payakumbuh-2025",
        "password2": "Rahasia-Payakumbuh-2025",
        "first_name": "Rina",
        "last_name": "",
        "email": "",
        "telepon": "",
        "peran": Peran.PSM,
    }
    data.update(ubah)
    return data


def test_tambah_psm_tanpa_kelurahan_ditolak(client, user_admin):
    client.force_login(user_admin)
    resp = client.post(_url("akun.user", "add"), _data_pengguna_baru())
    assert resp.status_code == 200
    assert "PSM harus memiliki minimal satu kelurahan wilayah kerja." in resp.content.decode()
    assert resp.context["adminform"].form.errors["kelurahan"]
    assert not User.objects.filter(username="psm.baru").exists()


def test_tambah_psm_dengan_kelurahan_dan_kata_sandi(client, user_admin, kelurahan_a):
    client.force_login(user_admin)
    resp = client.post(_url("akun.user", "add"), _data_pengguna_baru(kelurahan=[kelurahan_a.pk]))
    assert resp.status_code == 302
    baru = User.objects.get(username="psm.baru")
    assert baru.peran == Peran.PSM
    assert list(baru.kelurahan.all()) == [kelurahan_a]
    assert baru.check_password("Rahasia-Payakumbuh-2025")
    assert baru.history.first().history_user == user_admin


def test_ubah_psm_mengosongkan_kelurahan_ditolak(client, user_admin, psm_a, kelurahan_a):
    client.force_login(user_admin)
    data = {
        "username": psm_a.username,
        "first_name": psm_a.first_name,
        "last_name": "",
        "email": "",
        "telepon": "0812",
        "peran": Peran.PSM,
        "is_active": "on",
    }
    resp = client.post(_url("akun.user", "change", psm_a), data)
    assert resp.status_code == 200
    assert "PSM harus memiliki minimal satu kelurahan wilayah kerja." in resp.content.decode()
    psm_a.refresh_from_db()
    assert psm_a.telepon == ""
    assert list(psm_a.kelurahan.all()) == [kelurahan_a]

    # Staf Dinsos sees the whole city: no kelurahan needed.
    resp = client.post(_url("akun.user", "change", psm_a), {**data, "peran": Peran.STAF})
    assert resp.status_code == 302
    psm_a.refresh_from_db()
    assert psm_a.peran == Peran.STAF


def test_ganti_kata_sandi_lewat_admin(client, user_admin, psm_a):
    client.force_login(user_admin)
    url = reverse("admin:auth_user_password_change", args=[psm_a.pk])
    assert client.get(url).status_code == 200
    resp = client.post(
        url, {"usable_password": "true", "password1": "Sandi-Baru-Kuat-77", "password2": "Sandi-Baru-Kuat-77"}
    )
    assert resp.status_code == 302
    psm_a.refresh_from_db()
    assert psm_a.check_password("Sandi-Baru-Kuat-77")


def test_staf_tidak_boleh_menambah_atau_mengubah_pengguna(client, user_staf, psm_a):
    client.force_login(user_staf)
    assert client.get(_url("akun.user", "add")).status_code == 403
    resp = client.post(_url("akun.user", "add"), _data_pengguna_baru(peran=Peran.ADMIN))
    assert resp.status_code == 403
    assert not User.objects.filter(username="psm.baru").exists()
    url = reverse("admin:auth_user_password_change", args=[psm_a.pk])
    assert client.get(url).status_code == 403


def test_daftar_pengguna_jumlah_query_tetap(client, user_admin, kelurahan_a, kelurahan_b):
    client.force_login(user_admin)
    url = _url("akun.user", "changelist")

    def hitung() -> int:
        client.get(url)  # warm-up: session, content types
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        UserFactory(username=f"psm.sedikit{i}", peran=Peran.PSM, kelurahan=[kelurahan_a, kelurahan_b])
    sedikit = hitung()
    for i in range(27):
        UserFactory(username=f"psm.banyak{i}", peran=Peran.PSM, kelurahan=[kelurahan_a])
    assert hitung() == sedikit


def test_daftar_pengguna_menampilkan_peran_dan_kelurahan(client, user_admin, psm_a, kelurahan_a):
    client.force_login(user_admin)
    resp = client.get(_url("akun.user", "changelist"), {"q": psm_a.username})
    isi = resp.content.decode()
    assert psm_a.username in isi
    assert kelurahan_a.nama in isi
    assert "PSM" in isi


def test_pilihan_fk_dibatasi_for_user(psm_a, kelurahan_a):
    """FK/M2M choices go through ``for_user``: a PSM (were one ever let in) sees their kelurahan only."""
    model_admin = admin.site._registry[User]
    request = RequestFactory().get("/")
    request.user = psm_a
    field = model_admin.formfield_for_manytomany(User._meta.get_field("kelurahan"), request)
    assert list(field.queryset) == [kelurahan_a]


def test_site_khusus_tidak_bergantung_pada_is_staff(rf, user_staf, user_pimpinan):
    site = BackOfficeSite()
    request = rf.get("/")
    request.user = user_staf
    assert site.has_permission(request)
    user_pimpinan.is_staff = True
    request.user = user_pimpinan
    assert not site.has_permission(request)
    assert AdminSite().has_permission(request)  # Django's own site would have let is_staff in
