from django.contrib.auth import views as auth_views
from django.urls import path

from akun import views
from akun.forms import LoginForm

urlpatterns = [
    path(
        "masuk/",
        views.MasukView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("", views.HomeView.as_view(), name="home"),
]
