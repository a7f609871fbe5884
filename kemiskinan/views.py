"""Extreme-poverty pages to read: progress, the household list (with the gap view), the household page.

Every queryset starts from ``for_user``: a PSM sees their kelurahan only, out of area is 404.
Summaries beside the rows of a list are computed for the page only, a fixed number of queries
(``ringkas_status``). The write pages are in ``kemiskinan.views_aksi``.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from akun.akses import catat_lihat_daftar
from akun.daftar import HasilBertingkat
from akun.ekspor import EksporMixin, Kolom
from akun.mixins import FilterListMixin
from akun.models import User
from akun.permissions import user_boleh
from akun.riwayat import riwayat
from akun.roles import Peran
from bantuan.models import Penyaluran
from bantuan.views import bantuan_diterima
from kemiskinan import progres as hitungan
from kemiskinan.choices import PROGRAM_POKOK, Program, StatusUsulan
from kemiskinan.forms import KeluargaMiskinFilterForm, ProgresFilterForm, VerifikasiForm
from kemiskinan.grafik import LEBAR, RINGKAS, DataGrafik, burn_down
from kemiskinan.models import GarisKemiskinan, Intervensi, StatusMiskinEkstrem, Target, UsulanKeluar
from penduduk.models import BATAS_HASIL_CARI, Keluarga, Penduduk, ringkas_keluarga
from wilayah.models import Kelurahan


def nama_pengguna(user: User) -> str:
    return user.get_full_name() or user.username


def psm_per_kelurahan(kelurahan_ids) -> dict[int, list[str]]:
    """The active PSM of each kelurahan (the household's PSM responsible), in one query."""
    hasil: dict[int, list[str]] = defaultdict(list)
    baris = (
        User.objects.filter(peran=Peran.PSM, is_active=True, kelurahan__in=set(kelurahan_ids))
        .order_by("first_name", "last_name", "username")
        .values_list("kelurahan", "first_name", "last_name", "username")
    )
    for kel, depan, belakang, username in baris:
        hasil[kel].append(f"{depan} {belakang}".strip() or username)
    return hasil


def kunjungan_keluarga(keluarga: Keluarga, user) -> list:
    """The latest visits to the household itself and to its members the user may see (``for_user``)."""
    from psm.models import Kunjungan

    anggota = Penduduk.objects.for_user(user).filter(keluarga=keluarga).values("pk")
    return list(
        Kunjungan.objects.for_user(user)
        .filter(Q(keluarga=keluarga) | Q(penduduk__in=anggota))
        .select_related("oleh", "penduduk")
        .order_by("-tanggal", "-id")[:10]
    )


def ringkas_status(baris: list[StatusMiskinEkstrem], user) -> None:
    """Beside each stay of a page: head and members (for_user), programmes received, the missing
    ones of the gap view (interventions and bantuan distributions), the latest exit proposal and the
    kelurahan's PSM. Five queries a page."""
    if not baris:
        return
    ringkas_keluarga([s.keluarga for s in baris], user)
    keluarga_ids = {s.keluarga_id for s in baris}
    diterima: dict[int, set[str]] = defaultdict(set)
    for kel_id, program in (
        Intervensi.objects.for_user(user).filter(keluarga_id__in=keluarga_ids).values_list("keluarga_id", "program")
    ):
        diterima[kel_id].add(program)
    # Distributions recorded in the bantuan app count too (distributed or confirmed).
    for kel_id, kelompok in (
        Penyaluran.objects.for_user(user)
        .tersalur()
        .filter(keluarga_id__in=keluarga_ids)
        .order_by()
        .values_list("keluarga_id", "program__kelompok")
        .distinct()
    ):
        diterima[kel_id].add(kelompok)
    usulan: dict[int, UsulanKeluar] = {}
    for u in UsulanKeluar.objects.for_user(user).filter(status_miskin__in=[s.pk for s in baris]):
        usulan.setdefault(u.status_miskin_id, u)  # newest first (the model's ordering)
    psm = psm_per_kelurahan(s.keluarga.kelurahan_id for s in baris)
    for s in baris:
        program = diterima.get(s.keluarga_id, set())
        s.program_diterima = [Program(p).label for p in Program.values if p in program]
        s.program_kurang = [p.label for p in PROGRAM_POKOK if p.value not in program]
        s.usulan_terakhir = usulan.get(s.pk)
        s.psm = psm.get(s.keluarga.kelurahan_id, [])


def _deskripsi_proyeksi(p: hitungan.Proyeksi) -> str:
    if p.status == hitungan.TERCAPAI:
        return _("Sudah nol.")
    if p.status == hitungan.KURANG_DATA:
        return _("Belum ada proyeksi: data kurang dari sebulan.")
    if p.status == hitungan.TANPA_PROYEKSI:
        return _("Tidak ada proyeksi: enam bulan terakhir tidak ada pengurangan bersih.")
    teks = _("Proyeksi nol pada %(tgl)s") % {"tgl": f"{p.tanggal_nol:%d/%m/%Y}"}
    if p.status == hitungan.TERLAMBAT:
        return teks + _(", terlambat %(n)s bulan dari target.") % {"n": p.terlambat_bulan}
    return teks + _(", sesuai target.")


def data_grafik(p: hitungan.Progres, satuan: str) -> DataGrafik:
    label = "jiwa" if satuan == "jiwa" else "KK"
    proyeksi = p.proyeksi_jiwa if satuan == "jiwa" else p.proyeksi
    aktual = [(p.baseline, p.baseline_tercatat.satuan(satuan))]
    aktual += [(b.tanggal_akhir, b.stok_akhir.satuan(satuan)) for b in p.bulanan]
    deskripsi = _("Tercatat %(awal)s %(s)s pada %(b)s dan %(kini)s %(s)s pada %(per)s.") % {
        "awal": p.baseline_tercatat.satuan(satuan),
        "kini": p.kini.satuan(satuan),
        "s": label,
        "b": f"{p.baseline:%d/%m/%Y}",
        "per": f"{p.per:%d/%m/%Y}",
    }
    if p.target:
        deskripsi += " " + _("Garis target dari %(awal)s %(s)s ke nol pada %(t)s.") % {
            "awal": p.baseline_garis.satuan(satuan),
            "s": label,
            "t": f"{p.target.tanggal_target:%d/%m/%Y}",
        }
    deskripsi += " " + _deskripsi_proyeksi(proyeksi)
    return DataGrafik(
        judul=_("Burn-down keluarga miskin ekstrem (%(s)s) per %(per)s") % {"s": label, "per": f"{p.per:%d/%m/%Y}"},
        deskripsi=deskripsi,
        satuan=label,
        aktual=aktual,
        baseline=p.baseline,
        awal_target=p.baseline_garis.satuan(satuan) if p.target else None,
        tanggal_target=p.target.tanggal_target if p.target else None,
        tanggal_nol=proyeksi.tanggal_nol,
    )


class ProgresView(LoginRequiredMixin, TemplateView):
    """How far the area shown is from zero, and whether it will get there on time."""

    template_name = "kemiskinan/progres.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        target = Target.objects.aktif()
        form = ProgresFilterForm(
            self.request.GET or None, user=user, baseline=target.tanggal_baseline if target else None
        )
        data = form.nilai()
        hari_ini = timezone.localdate()
        per = data.get("per") or hari_ini
        qs = form.filter_wilayah_status(StatusMiskinEkstrem.objects.for_user(user), data)
        kelurahan = Kelurahan.objects.for_user(user).select_related("kecamatan")
        if data.get("kecamatan"):
            kelurahan = kelurahan.filter(kecamatan=data["kecamatan"])
        if data.get("kelurahan"):
            kelurahan = kelurahan.filter(pk=data["kelurahan"].pk)
        seluruh_kota = user.lihat_sekota and not data.get("kecamatan") and not data.get("kelurahan")
        belum_mulai = target is not None and per < target.tanggal_baseline
        p = hitungan.hitung(
            qs=qs, kelurahan=list(kelurahan), per=per, target=None if belum_mulai else target, seluruh_kota=seluruh_kota
        )
        satuan = "jiwa" if data.get("satuan") == "jiwa" else "kk"
        if seluruh_kota:
            nama_wilayah = _("Seluruh Kota Payakumbuh")
        elif data.get("kelurahan") or len(p.wilayah) == 1 and len(p.wilayah[0].anak) == 1:
            nama_wilayah = _("Kelurahan %(nama)s") % {"nama": p.wilayah[0].anak[0].nama if p.wilayah else ""}
        elif data.get("kecamatan") or len(p.wilayah) == 1:
            nama_wilayah = _("Kecamatan %(nama)s") % {"nama": p.wilayah[0].nama if p.wilayah else ""}
        else:
            nama_wilayah = ", ".join(k.nama for w in p.wilayah for k in w.anak)
        grafik = data_grafik(p, satuan)
        params = self.request.GET.copy()
        for kunci in ("kecamatan", "kelurahan", "satuan"):
            params.pop(kunci, None)
        daftar_params = {"per": f"{per:%d/%m/%Y}"} if data.get("per") else {}
        ctx.update(
            filter_form=form,
            p=p,
            per=per,
            hari_ini=hari_ini,
            belum_mulai=belum_mulai,
            seluruh_kota=seluruh_kota,
            nama_wilayah=nama_wilayah,
            satuan=satuan,
            grafik_lebar=burn_down(grafik, LEBAR, "grafik-lebar"),
            grafik_ringkas=burn_down(grafik, RINGKAS, "grafik-ringkas"),
            proyeksi_teks=_deskripsi_proyeksi(p.proyeksi),
            # Under the chart: the projection of the chart's own unit (jiwa fall at their own pace).
            proyeksi_grafik_teks=_deskripsi_proyeksi(p.proyeksi_jiwa if satuan == "jiwa" else p.proyeksi),
            garis=GarisKemiskinan.objects.pada(per),
            penduduk_kota=hitungan.PENDUDUK_KOTA,
            sumber_penduduk_kota=hitungan.SUMBER_PENDUDUK_KOTA,
            daftar_per=daftar_params.get("per", ""),
            bulanan_terbalik=list(reversed(p.bulanan)),
        )
        return ctx


def _status_tinggal(s: StatusMiskinEkstrem) -> str:
    return _("Di daftar") if s.terbuka else _("Keluar")


def _usulan_teks(s: StatusMiskinEkstrem) -> str | None:
    """The latest exit proposal of a stay still open, as the list's status cell says it."""
    u = s.usulan_terakhir
    if not (s.terbuka and u):
        return None
    if u.status == StatusUsulan.DIUSULKAN:
        return _("Usulan keluar menunggu verifikasi")
    if u.status == StatusUsulan.DITOLAK:
        return _("Usulan keluar ditolak: %(alasan)s") % {"alasan": u.catatan_verifikasi}
    return None


class KeluargaMiskinListView(EksporMixin, FilterListMixin, ListView):
    """The households on the list (or that left it), with the gap view's "belum menerima" filter."""

    template_name = "kemiskinan/keluarga_list.html"
    # One export for the list and the gap view (the "tanpa" filter): both columns are in it.
    nama_ekspor = "miskin-ekstrem"
    kolom_ekspor = (
        Kolom("Kepala keluarga", "keluarga.nama_kepala", lebar=30),
        Kolom.nomor("No. KK", "keluarga.no_kk"),
        Kolom("Jiwa", "jiwa_masuk"),
        Kolom("Kecamatan", "keluarga.kelurahan.kecamatan.nama"),
        Kolom("Kelurahan", "keluarga.kelurahan.nama"),
        Kolom("Masuk daftar", "tanggal_masuk"),
        Kolom("Sumber", "get_sumber_display"),
        Kolom("Desil", "desil"),
        Kolom("Status", _status_tinggal),
        Kolom("Tanggal keluar", "tanggal_keluar"),
        Kolom("Alasan keluar", "get_alasan_keluar_display"),
        Kolom("Usulan keluar", _usulan_teks, lebar=30),
        Kolom("Program diterima", "program_diterima", lebar=30),
        Kolom("Belum menerima", "program_kurang", lebar=30),
        Kolom("PSM kelurahan", "psm", lebar=30),
    )

    def get_queryset(self):
        user = self.request.user
        self.filter_form = KeluargaMiskinFilterForm(self.request.GET or None, user=user)
        qs = StatusMiskinEkstrem.objects.for_user(user).select_related("keluarga__kelurahan__kecamatan")
        qs = self.filter_form.filter(
            qs,
            intervensi=Intervensi.objects.for_user(user),
            usulan=UsulanKeluar.objects.for_user(user),
            penyaluran=Penyaluran.objects.for_user(user),
        )
        if self.filter_form._data().get("q"):
            return HasilBertingkat(qs, batas=BATAS_HASIL_CARI)
        return qs

    def siapkan_halaman(self, baris: list) -> None:
        ringkas_status(baris, self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        data = self.filter_form._data()
        ctx["filter_lain_aktif"] = any(data.get(k) for k in ("status", "tanpa", "per", "kecamatan", "kelurahan"))
        ctx["per"] = data.get("per")
        return ctx


class KeluargaMiskinDetailView(LoginRequiredMixin, DetailView):
    """One household: members, its stays on the list, exit proposals, interventions, visits."""

    template_name = "kemiskinan/keluarga_detail.html"
    context_object_name = "keluarga"

    def get_queryset(self):
        return Keluarga.objects.for_user(self.request.user).select_related("kelurahan__kecamatan")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, k = self.request.user, self.object
        anggota = list(Penduduk.objects.for_user(user).filter(keluarga=k).order_by("tanggal_lahir", "pk"))
        catat_lihat_daftar(self.request, anggota, objek=k)  # UU PDP: the members' NIK are on the page
        stays = list(
            StatusMiskinEkstrem.objects.for_user(user)
            .filter(keluarga=k)
            .select_related("dicatat_oleh")
            .order_by("-tanggal_masuk", "-id")
        )
        usulan = list(
            UsulanKeluar.objects.for_user(user)
            .filter(status_miskin__keluarga=k)
            .select_related("diusulkan_oleh", "diverifikasi_oleh")
        )
        # A household named in a proposal ("bergabung ke") is shown only when it is in the area.
        tujuan_ids = {u.keluarga_tujuan_id for u in usulan if u.keluarga_tujuan_id}
        tujuan = Keluarga.objects.for_user(user).in_bulk(tujuan_ids) if tujuan_ids else {}
        boleh_verifikasi = user_boleh(user, "kemiskinan:verifikasi")
        for u in usulan:
            u.tujuan_terlihat = tujuan.get(u.keluarga_tujuan_id)
            u.bisa_diverifikasi = (
                boleh_verifikasi and u.status == StatusUsulan.DIUSULKAN and u.diusulkan_oleh_id != user.pk
            )
            u.form = VerifikasiForm(prefix=f"v{u.pk}") if u.bisa_diverifikasi else None
        kini = next((s for s in stays if s.terbuka), None)
        menunggu = next((u for u in usulan if u.status == StatusUsulan.DIUSULKAN), None)
        ctx.update(
            anggota=anggota,
            kepala=next((a for a in anggota if a.hubungan == "kepala"), None),
            stays=stays,
            kini=kini,
            usulan=usulan,
            menunggu=menunggu,
            intervensi=list(Intervensi.objects.for_user(user).filter(keluarga=k).select_related("dicatat_oleh")),
            **bantuan_diterima(user, keluarga=k),
            kunjungan=kunjungan_keluarga(k, user),
            psm=psm_per_kelurahan([k.kelurahan_id]).get(k.kelurahan_id, []),
            garis=GarisKemiskinan.objects.pada(timezone.localdate()),
            boleh_usul=kini is not None and menunggu is None and user_boleh(user, "kemiskinan:usul-keluar"),
            boleh_masuk=kini is None and user_boleh(user, "kemiskinan:masuk"),
            boleh_intervensi=user_boleh(user, "kemiskinan:intervensi"),
            riwayat=riwayat(stays[0], user) if stays else [],
        )
        return ctx
