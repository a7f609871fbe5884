from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Payakumbuh Sosial: back office")
admin.site.site_title = _("Payakumbuh Sosial")
admin.site.index_title = _("Administrasi")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("penduduk/", include("penduduk.urls")),
    path("", include("akun.urls")),
]

handler403 = "payakumbuh_sosial.errors.forbidden"
handler404 = "payakumbuh_sosial.errors.not_found"
handler500 = "payakumbuh_sosial.errors.server_error"
