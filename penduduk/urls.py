from django.urls import path

from penduduk import views, views_akses

app_name = "penduduk"

urlpatterns = [
    path("", views.PendudukListView.as_view(), name="list"),
    path("baru/", views.PendudukFormView.as_view(), name="create"),
    path("<int:pk>/", views.PendudukDetailView.as_view(), name="detail"),
    path("<int:pk>/ubah/", views.PendudukFormView.as_view(), name="update"),
    path("<int:pk>/akses/", views_akses.PendudukAksesView.as_view(), name="akses"),
    path("keluarga/", views.KeluargaListView.as_view(), name="keluarga-list"),
    path("keluarga/baru/", views.KeluargaFormView.as_view(), name="keluarga-create"),
    path("keluarga/<int:pk>/", views.KeluargaDetailView.as_view(), name="keluarga-detail"),
    path("keluarga/<int:pk>/ubah/", views.KeluargaFormView.as_view(), name="keluarga-update"),
]
