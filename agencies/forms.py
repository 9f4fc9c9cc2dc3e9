from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class BoundedUsername:
    """Refuse a username longer than any account's before anyone tries it.

    Django's sign-in form shows the bound but never checks it, so a 5,000-character name reached
    the failed-sign-in records (and a column of 255 characters). It is refused with the usual
    words: a wrong username is never told apart from a wrong password.
    """

    def clean_username(self):
        username = self.cleaned_data.get("username") or ""
        if len(username) > get_user_model()._meta.get_field("username").max_length:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )
        return username


class AdminSignInForm(BoundedUsername, AdminAuthenticationForm):
    """The admin's sign-in form, with the same bound."""


class SignInForm(BoundedUsername, AuthenticationForm):
    """Django's sign-in form, its refusal shown at the username so the error summary can link to it."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            # A wrong username or password (or an inactive account) is not any one field's
            # fault, but GOV.UK error summaries link each message to a field: the first.
            self.add_error("username", error)
            return self.cleaned_data


class TwoFactorCodeForm(forms.Form):
    """The 6-digit code an authenticator app shows: spaces allowed, as apps show it in two groups."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows now, for example 123456",
        max_length=20,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-5", "inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "max_length": "The code must be 6 digits",
        },
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).replace("-", "")
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise ValidationError("The code must be 6 digits")
        return code
