from django.urls import path

from agencies import views

app_name = "accounts"
urlpatterns = [
    path("locked-accounts/", views.lockout_list, name="lockout-list"),
    path("locked-accounts/<int:pk>/clear/", views.lockout_clear, name="lockout-clear"),
    path("two-factor/", views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/remove/", views.two_factor_remove, name="two-factor-remove"),
    path("sign-in/code/", views.two_factor_verify, name="two-factor-verify"),
]
