"""Public pages at /pengaduan/ (no login); staff pages under /pengaduan/kelola/."""

from django.urls import path

from pengaduan import views_publik, views_staf

app_name = "pengaduan"

urlpatterns = [
    # public (PUBLIK in akun.permissions)
    path("", views_publik.PengaduanBuatView.as_view(), name="buat"),
    path("terkirim/", views_publik.TerkirimView.as_view(), name="terkirim"),
    path("lacak/", views_publik.LacakView.as_view(), name="lacak"),
    # staff
    path("kelola/", views_staf.PengaduanListView.as_view(), name="list"),
    path("kelola/<int:pk>/", views_staf.PengaduanDetailView.as_view(), name="detail"),
    path("kelola/<int:pk>/lampiran/", views_staf.LampiranView.as_view(), name="lampiran"),
    path("kelola/<int:pk>/petugas/", views_staf.TugaskanView.as_view(), name="tugaskan"),
    path("kelola/<int:pk>/status/", views_staf.StatusView.as_view(), name="status"),
    path("kelola/<int:pk>/tutup/", views_staf.TutupView.as_view(), name="tutup"),
    path("kelola/<int:pk>/buka/", views_staf.BukaView.as_view(), name="buka"),
    path("kelola/<int:pk>/tanggapan/", views_staf.TanggapanView.as_view(), name="tanggapan"),
    path("kelola/<int:pk>/psm/", views_staf.PSMView.as_view(), name="psm"),
    path("kelola/<int:pk>/penyaluran/", views_staf.PenyaluranTautkanView.as_view(), name="penyaluran-tautkan"),
    path("kelola/<int:pk>/penyaluran/lepas/", views_staf.PenyaluranLepasView.as_view(), name="penyaluran-lepas"),
]
