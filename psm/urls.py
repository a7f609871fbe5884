from django.urls import path

from psm import views_lapangan, views_staf

app_name = "psm"

urlpatterns = [
    # The PSM in the field (phone)
    path("psm/", views_lapangan.BerandaPSMView.as_view(), name="beranda"),
    path("psm/ikrar/", views_lapangan.IkrarView.as_view(), name="ikrar"),
    path("kunjungan/", views_lapangan.KunjunganListView.as_view(), name="kunjungan-list"),
    path("kunjungan/baru/", views_lapangan.KunjunganFormView.as_view(), name="kunjungan-create"),
    path("kunjungan/<int:pk>/", views_lapangan.KunjunganDetailView.as_view(), name="kunjungan-detail"),
    path("kunjungan/<int:pk>/foto/", views_lapangan.KunjunganFotoView.as_view(), name="kunjungan-foto"),
    # Staff: profiles, the pledge record, coverage, caseload, handover
    path("psm/daftar/", views_staf.ProfilListView.as_view(), name="list"),
    path("psm/daftar/baru/", views_staf.ProfilFormView.as_view(), name="create"),
    path("psm/daftar/<int:pk>/", views_staf.ProfilDetailView.as_view(), name="detail"),
    path("psm/daftar/<int:pk>/ubah/", views_staf.ProfilFormView.as_view(), name="update"),
    path("psm/daftar/<int:pk>/alihkan/", views_staf.AlihkanView.as_view(), name="alihkan"),
    path("psm/ikrar/rekap/", views_staf.RekapIkrarView.as_view(), name="ikrar-rekap"),
    path("psm/cakupan/", views_staf.CakupanView.as_view(), name="cakupan"),
    path("psm/beban/", views_staf.BebanKerjaView.as_view(), name="beban"),
]
