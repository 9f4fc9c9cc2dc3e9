from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from agencies import views as agency_views
from agencies.forms import AdminSignInForm, SignInForm
from reviews.views import core as review_views

admin.site.site_header = "Serious case reviews: administration"
admin.site.site_title = "Serious case reviews"
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("", review_views.home, name="home"),
    path("healthz", review_views.healthz, name="healthz"),
    # Resolved per request: with DEBUG off the URL comes from collectstatic's manifest, which
    # need not exist when the URLs are imported (`check`, `collectstatic` itself). Temporary,
    # because the target's name carries the file's hash and changes with the file.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("images/favicon.svg"), permanent=False)),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("session/keep-alive/", agency_views.session_keep_alive, name="session-keep-alive"),
    path("", include("agencies.urls")),
    path("admin/", admin.site.urls),
    path("", include("reviews.urls")),
]
