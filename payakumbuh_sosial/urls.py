from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("penduduk/", include("penduduk.urls")),
    path("miskin-ekstrem/", include("kemiskinan.urls")),
    path("bantuan/", include("bantuan.urls")),
    path("pengaduan/", include("pengaduan.urls")),
    path("dasbor/", include("dasbor.urls")),
    path("impor/", include("impor.urls")),
    path("", include("ppks.urls")),
    path("", include("psm.urls")),
    path("", include("akun.urls")),
]

handler400 = "payakumbuh_sosial.errors.bad_request"
handler403 = "payakumbuh_sosial.errors.forbidden"
handler404 = "payakumbuh_sosial.errors.not_found"
handler500 = "payakumbuh_sosial.errors.server_error"
