from django.urls import path

from dasbor import views

app_name = "dasbor"

urlpatterns = [
    path("", views.DasborView.as_view(), name="index"),
    path("laporan/", views.LaporanView.as_view(), name="laporan"),
    path("laporan/xlsx/", views.LaporanXlsxView.as_view(), name="laporan-xlsx"),
]
