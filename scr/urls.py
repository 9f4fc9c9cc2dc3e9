from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from agencies.forms import SignInForm
from reviews.views import core as review_views

admin.site.site_header = "Serious case reviews: administration"
admin.site.site_title = "Serious case reviews"

urlpatterns = [
    path("", review_views.home, name="home"),
    path("healthz", review_views.healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url=static("images/favicon.svg"), permanent=True)),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("reviews.urls")),
]
