from django.urls import path

from kemiskinan import views, views_aksi

app_name = "kemiskinan"

urlpatterns = [
    path("", views.ProgresView.as_view(), name="progres"),
    path("keluarga/", views.KeluargaMiskinListView.as_view(), name="list"),
    path("keluarga/<int:pk>/", views.KeluargaMiskinDetailView.as_view(), name="detail"),
    path("keluarga/<int:pk>/intervensi/", views_aksi.IntervensiView.as_view(), name="intervensi"),
    path("masuk/", views_aksi.MasukView.as_view(), name="masuk"),
    path("status/<int:pk>/usul-keluar/", views_aksi.UsulKeluarView.as_view(), name="usul-keluar"),
    path("usulan/<int:pk>/verifikasi/", views_aksi.VerifikasiView.as_view(), name="verifikasi"),
]
