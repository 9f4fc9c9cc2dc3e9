from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class SignInForm(AuthenticationForm):
    """Django's sign-in form, its refusal shown at the username so the error summary can link to it."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            # A wrong username or password (or an inactive account) is not any one field's
            # fault, but GOV.UK error summaries link each message to a field: the first.
            self.add_error("username", error)
            return self.cleaned_data
