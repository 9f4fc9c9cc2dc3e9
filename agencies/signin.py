"""Sign-in protection glue: the client's address, the lockout page, and the sign-in signals to the audit log.

django-axes counts failed sign-ins and refuses a locked username or address; this module tells it
where a request comes from and what to answer, and passes every sign-in, failure, lockout and
sign-out to the services that write the audit log (reviews/services/accounts.py).
"""

import ipaddress

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Max, Q
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone


def _valid(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The address the request came from.

    REMOTE_ADDR, unless TRUSTED_PROXY_COUNT proxies stand in front of the app: each appends the
    address it was reached from to X-Forwarded-For, so the client's is that many from the end.
    Whatever the client wrote in the header itself comes before, and is never read.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies and (address := _valid(forwarded[-proxies])):
            return address
    return _valid(request.META.get("REMOTE_ADDR"))


def lockout_ends_at(username: str | None, address: str | None):
    """When the lockout of `username` or `address` ends: the cool-off after their last counted failure."""
    from axes.models import AccessAttempt

    latest = (
        AccessAttempt.objects.filter(Q(username=username) | Q(ip_address=address))
        .filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
        .aggregate(latest=Max("attempt_time"))["latest"]
    )
    return (latest or timezone.now()) + settings.AXES_COOLOFF_TIME


def when_words(moment) -> str:
    """A time and day the GOV.UK way: "2:55pm on 30 November 2026", "midday", "midnight"."""
    if (moment.hour, moment.minute) == (12, 0):
        time = "midday"
    elif (moment.hour, moment.minute) == (0, 0):
        time = "midnight"
    else:
        time = f"{moment:%-I:%M%p}".lower()
    return f"{time} on {moment:%-d %B %Y}"


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets (429): why, until when, and who can let them in sooner."""
    from axes.helpers import get_client_username

    username = get_client_username(request, credentials)
    until = timezone.localtime(lockout_ends_at(username, getattr(request, "axes_ip_address", None)))
    context = {"until": until, "until_words": when_words(until), "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


# The audit log. Each receiver only passes what it was told to a service.


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    from agencies.middleware import start_two_factor
    from reviews import services

    services.sign_in_record(user=user, address=client_address(request) if request else None)
    if request is not None and hasattr(request, "session"):
        start_two_factor(request, user)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    from reviews import services

    if user is not None and user.is_authenticated:
        services.sign_out_record(user=user, address=client_address(request) if request else None)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    from reviews import services

    # Refused by django-axes' backend because of a lockout: marked locked, and not counted (no
    # failure number). A wrong password is counted by axes' own receiver, before or after this one.
    locked = bool(getattr(request, "axes_locked_out", False)) and (
        getattr(request, "axes_failures_since_start", None) is None
    )
    services.sign_in_failure_record(
        username=credentials.get("username"),
        address=client_address(request) if request is not None else None,
        locked=locked,
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    from reviews import services

    failures = getattr(request, "axes_failures_since_start", None)
    # axes sends this for every try refused during a lockout too: only the failure that locked is new.
    if failures is not None:
        services.lockout_record(username=username, address=ip_address, failures=failures)
