"""Two-factor sign-in: after the password, the code (or, where it is required, setting up an app) comes first."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

# The step a signed-in person still owes, kept in their session: "verify" (enter a code) or "setup".
SESSION_KEY = "two_factor_step"
VERIFY, SETUP = "verify", "setup"


def _has_device(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def start_two_factor(request, user) -> None:
    """On signing in with a password: ask for a code when the person has an app (one query, at sign-in only)."""
    if _has_device(user):
        request.session[SESSION_KEY] = VERIFY
    else:
        request.session.pop(SESSION_KEY, None)


def finish_two_factor(request) -> None:
    request.session.pop(SESSION_KEY, None)


def step_owed(request) -> str | None:
    """The step the signed-in person must take before any other page, if any."""
    from reviews import permissions as perms

    user = request.user
    if not user.is_authenticated:
        return None
    step = request.session.get(SESSION_KEY)
    if step:
        return step
    # Where it is required, a session that somehow skipped the step (signed in before REQUIRE_2FA
    # was turned on, say) is checked every time; it costs a query only until the code is given.
    if perms.must_use_two_factor(user) and not user.is_verified():
        return VERIFY if _has_device(user) else SETUP
    return None


class TwoFactorMiddleware:
    """Send a signed-in person who owes a two-factor step to its page, from any page but a few.

    After django-otp's OTPMiddleware (which knows whether the session has given a code).
    """

    STEP_PAGES = {VERIFY: "accounts:two-factor-verify", SETUP: "accounts:two-factor-setup"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = step_owed(request)
        if step is not None:
            target = reverse(self.STEP_PAGES[step])
            always = {reverse("logout"), reverse("healthz"), "/favicon.ico"}
            path = request.path
            if (
                path != target
                and path not in always
                and not path.startswith("/" + settings.STATIC_URL.lstrip("/"))
            ):
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
