from django.urls import path

from impor import views

app_name = "impor"

urlpatterns = [
    path("", views.UnggahView.as_view(), name="unggah"),
    path("riwayat/", views.RiwayatView.as_view(), name="riwayat"),
    path("templat/<slug:kode>.xlsx", views.TemplatView.as_view(), name="templat"),
    path("<int:pk>/progres/", views.ProgresView.as_view(), name="progres"),
    path("<int:pk>/progres/bagian/", views.ProgresBagianView.as_view(), name="progres-bagian"),
    path("<int:pk>/pratinjau/", views.PratinjauView.as_view(), name="pratinjau"),
    path("<int:pk>/konfirmasi/", views.KonfirmasiView.as_view(), name="konfirmasi"),
    path("<int:pk>/hasil/", views.HasilView.as_view(), name="hasil"),
    path("<int:pk>/baris-ditolak.xlsx", views.BarisDitolakView.as_view(), name="ditolak-xlsx"),
]
