"""Signing in safely: the business manager's locked accounts, and two-factor sign-in for everyone."""

import base64
import binascii
import io

import django_filters
import django_otp
import qrcode
import qrcode.image.svg
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from agencies.forms import TwoFactorCodeForm
from agencies.middleware import finish_two_factor, step_owed
from agencies.signin import client_address
from reviews import permissions as perms
from reviews import services
from reviews.forms import ConfirmForm
from reviews.lists import Sort, list_page
from reviews.services.accounts import confirmed_device, current_lockouts
from reviews.views.forms_flow import handle_form, posted

# Locked accounts


class LockoutFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(
        label="Username", lookup_expr="icontains", help_text="All or part of the username typed"
    )

    class Meta:
        model = AccessAttempt
        fields = ["username"]


def _refuse_unless_manager(request, obj, summary: str) -> None:
    if not perms.can_clear_lockouts(request.user):
        services.access_denied_record(actor=request.user, obj=obj, review=None, summary=summary)
        raise Http404("No such page.")


@login_required
def lockout_list(request):
    """Who cannot sign in now because of failed sign-ins: by username or by address, for the business manager."""
    _refuse_unless_manager(request, AccessAttempt(), "Tried to open the locked accounts")
    listing = list_page(
        request,
        current_lockouts(),
        filterset_class=LockoutFilter,
        sorts=(
            Sort("when", "Last failed", ("attempt_time",)),
            Sort("username", "Username", ("username",)),
            Sort("address", "Address", ("ip_address",)),
        ),
        default_sort="when",
        default_descending=True,
    )
    return render(
        request,
        "agencies/lockout_list.html",
        {
            "listing": listing,
            "cool_off_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            "limit": settings.AXES_FAILURE_LIMIT,
        },
    )


@login_required
def lockout_clear(request, pk):
    """Confirm (GET), then forget (POST) the failed sign-ins of a username and an address."""
    attempt = AccessAttempt.objects.filter(pk=pk).first()
    if attempt is None:
        raise Http404("No such lockout.")
    _refuse_unless_manager(request, attempt, f"Tried to clear the lockout of “{attempt.username}”")
    back = reverse("accounts:lockout-list")
    return handle_form(
        request,
        form=ConfirmForm(posted(request)),
        template="reviews/confirm.html",
        context={
            "title": f"Let “{attempt.username}” sign in again?",
            "caption": "Locked accounts",
            "explanation": f"This forgets every failed sign-in as “{attempt.username}” and from the address "
            f"{attempt.ip_address}, so both can sign in again at once. Check first with the person that "
            "the failed sign-ins were theirs.",
            "submit": "Clear the lockout",
            "cancel_url": back,
        },
        save=lambda data: services.lockout_clear(actor=request.user, attempt=attempt),
        success_message=f"“{attempt.username}” and the address {attempt.ip_address} can sign in again.",
        success_url=back,
    )


# Two-factor sign-in


def _next(request) -> str:
    """Where to go once the step is done: the page the person was going to, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


# The secret of the app being set up, kept in the session until a code confirms it.
PENDING_KEY = "two_factor_pending_key"


def _pending_key(request) -> str:
    key = request.session.get(PENDING_KEY)
    if not key:
        key = request.session[PENDING_KEY] = default_key()
    return key


def _qr_data_uri(text: str) -> str:
    # An image (a data: address the Content-Security-Policy allows), not inline SVG markup.
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def two_factor_setup(request):
    """Set up two-factor sign-in: scan the QR code (or type the key) into an app, then enter its code."""
    device = confirmed_device(request.user)
    if device is not None:
        return render(request, "agencies/two_factor_status.html", {"device": device})
    key = _pending_key(request)
    unsaved = TOTPDevice(user=request.user, key=key)
    try:
        secret = base64.b32encode(binascii.unhexlify(key)).decode().rstrip("=")
    except (binascii.Error, ValueError):
        request.session.pop(PENDING_KEY, None)
        return redirect(request.get_full_path())

    def confirmed(data):
        device = services.two_factor_confirm(actor=request.user, key=key, code=data["code"])
        request.session.pop(PENDING_KEY, None)
        django_otp.login(request, device)
        finish_two_factor(request)
        return device

    return handle_form(
        request,
        form=TwoFactorCodeForm(posted(request)),
        template="agencies/two_factor_setup.html",
        context={
            "qr": _qr_data_uri(unsaved.config_url),
            "secret": _grouped(secret),
            "next": _next(request),
            "required": step_owed(request) is not None,
        },
        save=confirmed,
        success_message="Two-factor sign-in is set up. You will be asked for a code each time you sign in.",
        success_url=lambda device: _next(request),
    )


@login_required
def two_factor_verify(request):
    """The second step of signing in: the code from the person's authenticator app."""
    if confirmed_device(request.user) is None:
        return redirect(_next(request))

    def verified(data):
        device = services.two_factor_verify(
            actor=request.user, code=data["code"], address=client_address(request)
        )
        django_otp.login(request, device)
        finish_two_factor(request)
        return device

    return handle_form(
        request,
        form=TwoFactorCodeForm(posted(request)),
        template="agencies/two_factor_verify.html",
        context={"next": _next(request)},
        save=verified,
        success_message="Signed in.",
        success_url=lambda device: _next(request),
    )


@login_required
def two_factor_remove(request):
    """Confirm (GET), then remove (POST) the person's own authenticator app."""
    if confirmed_device(request.user) is None:
        return redirect("accounts:two-factor-setup")
    back = reverse("accounts:two-factor-setup")
    required = perms.must_use_two_factor(request.user)
    return handle_form(
        request,
        form=ConfirmForm(posted(request)),
        template="reviews/confirm.html",
        context={
            "title": "Remove two-factor sign-in?",
            "caption": "Two-factor sign-in",
            "explanation": "You will sign in with your password only"
            + (
                ", until you set up an app again: your role needs one before any other page."
                if required
                else "."
            )
            + " Remove it from your authenticator app too.",
            "submit": "Remove two-factor sign-in",
            "cancel_url": back,
        },
        save=lambda data: services.two_factor_remove(actor=request.user),
        success_message="Two-factor sign-in is removed.",
        success_url=back,
    )


# Sessions


@require_POST
@never_cache
def session_keep_alive(request):
    """Start the signed-in person's idle time again: "Stay signed in" in the timeout warning.

    Saving the session (SessionMiddleware does, as the response goes out) moves its end on
    to SESSION_COOKIE_AGE seconds from now. Without a session there is nothing to keep: 403,
    and the page sends the person to sign in.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    request.session.modified = True
    return HttpResponse(status=204)
