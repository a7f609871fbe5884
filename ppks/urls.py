from django.urls import path

from ppks import views_kasus, views_ppks

app_name = "ppks"

urlpatterns = [
    # PPKS registry
    path("ppks/", views_ppks.PPKSListView.as_view(), name="list"),
    path("ppks/baru/", views_ppks.PPKSFormView.as_view(), name="create"),
    path("ppks/<int:pk>/", views_ppks.PPKSDetailView.as_view(), name="detail"),
    path("ppks/<int:pk>/ubah/", views_ppks.PPKSFormView.as_view(), name="update"),
    # Rapid-response cases
    path("kasus/", views_kasus.PapanKasusView.as_view(), name="kasus-board"),
    path("kasus/semua/", views_kasus.KasusListView.as_view(), name="kasus-list"),
    path("kasus/baru/", views_kasus.KasusFormView.as_view(), name="kasus-create"),
    path("kasus/<int:pk>/", views_kasus.KasusDetailView.as_view(), name="kasus-detail"),
    path("kasus/<int:pk>/ubah/", views_kasus.KasusFormView.as_view(), name="kasus-update"),
    path("kasus/<int:pk>/status/", views_kasus.KasusStatusView.as_view(), name="kasus-status"),
    path("kasus/<int:pk>/buka-kembali/", views_kasus.KasusBukaKembaliView.as_view(), name="kasus-buka"),
    path("kasus/<int:pk>/tindakan/", views_kasus.TindakanView.as_view(), name="kasus-tindakan"),
    path("kasus/<int:pk>/rujukan/", views_kasus.RujukanView.as_view(), name="kasus-rujukan"),
    path("rujukan/<int:pk>/status/", views_kasus.RujukanStatusView.as_view(), name="rujukan-status"),
    path("notifikasi/<int:pk>/baca/", views_kasus.NotifikasiBacaView.as_view(), name="notifikasi-baca"),
]
