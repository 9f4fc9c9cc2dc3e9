from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Agency, User


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "email"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(User)
class PersonAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "job_title", "is_active"]
    list_filter = ["groups", "agency", "is_active", "is_staff"]
    list_select_related = ["agency"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Agency", {"fields": ("agency", "job_title")}),
    )


# An authenticator app is added and removed by its owner on the Two-factor sign-in page (or, for a
# lost phone, with `manage.py two_factor_remove`), each in the audit log; its secret never shows here.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
