from django.urls import path

from bantuan import views, views_bendera, views_konfirmasi

app_name = "bantuan"

urlpatterns = [
    path("", views.PenyaluranListView.as_view(), name="penyaluran-list"),
    path("baru/", views.PenyaluranFormView.as_view(), name="penyaluran-create"),
    path("massal/", views.PenyaluranMassalView.as_view(), name="penyaluran-massal"),
    path("<int:pk>/", views.PenyaluranDetailView.as_view(), name="penyaluran-detail"),
    path("<int:pk>/ubah/", views.PenyaluranFormView.as_view(), name="penyaluran-update"),
    path("<int:pk>/konfirmasi/", views_konfirmasi.KonfirmasiView.as_view(), name="konfirmasi"),
    path("<int:pk>/bukti/", views_konfirmasi.BuktiFotoView.as_view(), name="konfirmasi-foto"),
    path("menunggu/", views_konfirmasi.MenungguListView.as_view(), name="menunggu"),
    path("bendera/", views_bendera.BenderaListView.as_view(), name="bendera-list"),
    path("bendera/<int:pk>/", views_bendera.BenderaDetailView.as_view(), name="bendera-detail"),
    path("bendera/<int:pk>/selesaikan/", views_bendera.SelesaikanView.as_view(), name="bendera-selesaikan"),
]
