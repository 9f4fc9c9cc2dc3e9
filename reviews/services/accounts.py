"""Signing in: every sign-in, failure, lockout and sign-out in the audit log; lockouts cleared; two-factor devices.

The sign-in rows are written from Django's and django-axes' sign-in signals (agencies/signin.py),
which pass only what the person typed as their username and the address the request came from:
never the password.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, Q, Value
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from reviews import permissions as perms
from reviews.models import AuditEvent
from reviews.services.common import ActionNotAllowed, audit_record

A = AuditEvent.Action

# What a person typed as their username, as the log keeps it: short, on one line.
USERNAME_KEPT = 150

CODE_NOT_CORRECT = "The code is not correct. Check your authenticator app and enter the code it shows now"


def _typed(username) -> str:
    text = "".join(ch if ch.isprintable() else " " for ch in str(username or ""))
    return text[:USERNAME_KEPT]


def _account(username):
    """The account a typed username names, or an unsaved one (the log names the kind, with no id)."""
    User = get_user_model()
    found = User.objects.filter(username=username).first() if username else None
    return found or User()


def sign_in_record(*, user, address: str | None) -> AuditEvent:
    """Record that `user` signed in with their password, from `address`."""
    return audit_record(
        actor=user,
        action=A.SIGNED_IN,
        obj=user,
        summary=f"Signed in as “{user.get_username()}”",
        address=address,
    )


def sign_out_record(*, user, address: str | None) -> AuditEvent:
    """Record that `user` signed out."""
    return audit_record(
        actor=user,
        action=A.SIGNED_OUT,
        obj=user,
        summary=f"Signed out “{user.get_username()}”",
        address=address,
    )


def sign_in_failure_record(*, username, address: str | None, locked: bool) -> AuditEvent:
    """Record a refused sign-in: a wrong username or password, or a try while locked out."""
    why = "locked out" if locked else "wrong username or password"
    return audit_record(
        actor=None,
        action=A.SIGN_IN_FAILED,
        obj=_account(username),
        summary=f"Sign-in as “{_typed(username)}” refused: {why}",
        address=address,
    )


def lockout_record(*, username, address: str | None, failures: int) -> AuditEvent:
    """Record that a username and an address were locked out after too many failed sign-ins."""
    return audit_record(
        actor=None,
        action=A.LOCKED_OUT,
        obj=_account(username),
        summary=f"Locked out after {failures} failed sign-ins: “{_typed(username)}” from {address or 'an unknown address'}",
        address=address,
    )


def current_lockouts():
    """The failed sign-ins that lock a username or an address now (those within the cool-off)."""
    from axes.models import AccessAttempt
    from django.db.models import Sum

    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    limit = settings.AXES_FAILURE_LIMIT
    locked_usernames = (
        recent.exclude(username=None)
        .values("username")
        .annotate(total=Sum("failures_since_start"))
        .filter(total__gte=limit)
        .values("username")
    )
    locked_addresses = (
        recent.exclude(ip_address=None)
        .values("ip_address")
        .annotate(total=Sum("failures_since_start"))
        .filter(total__gte=limit)
        .values("ip_address")
    )
    return recent.filter(Q(username__in=locked_usernames) | Q(ip_address__in=locked_addresses)).annotate(
        locked_until=ExpressionWrapper(
            F("attempt_time") + Value(settings.AXES_COOLOFF_TIME, output_field=DurationField()),
            output_field=DateTimeField(),
        )
    )


@transaction.atomic
def lockout_clear(*, actor, attempt) -> int:
    """Let the username and the address of `attempt` sign in again: forget their failed sign-ins.

    Returns how many failed sign-ins were forgotten.
    """
    from axes.models import AccessAttempt

    if not perms.can_clear_lockouts(actor):
        raise ActionNotAllowed(["Only the business manager clears a lockout."])
    matching = AccessAttempt.objects.filter(Q(username=attempt.username) | Q(ip_address=attempt.ip_address))
    failures = sum(matching.values_list("failures_since_start", flat=True))
    matching.delete()
    audit_record(
        actor=actor,
        action=A.LOCKOUT_CLEARED,
        obj=_account(attempt.username),
        summary=f"Cleared the lockout of “{_typed(attempt.username)}” from {attempt.ip_address or 'an unknown address'} "
        f"({failures} failed sign-ins forgotten)",
        address=attempt.ip_address,
    )
    return failures


# Two-factor sign-in


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def two_factor_confirm(*, actor, key: str, code: str) -> TOTPDevice:
    """Keep the authenticator app whose secret is `key`, once it has shown a correct code."""
    if TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True).exists():
        raise ActionNotAllowed(
            ["Two-factor sign-in is already set up. Remove it first to set up another app."]
        )
    device = TOTPDevice(user=actor, name="Authenticator app", key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    if not code.isdigit() or not totp.verify(int(code), tolerance=device.tolerance):
        raise ActionNotAllowed({"code": [CODE_NOT_CORRECT]})
    # The code that confirmed the app cannot be used again to sign in.
    device.last_t = totp.t()
    device.drift = totp.drift
    # The confirming code is the first one used.
    device.last_used_at = timezone.now()
    device.save()
    audit_record(actor=actor, action=A.DEVICE_ADDED, obj=device, summary="Set up two-factor sign-in")
    return device


def _wait_words(until) -> str:
    seconds = max(1, int((until - timezone.now()).total_seconds() + 0.999))
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def two_factor_verify(*, actor, code: str, address: str | None = None) -> TOTPDevice:
    """Accept `code` from `actor`'s authenticator app as the second step of signing in.

    A wrong code is recorded and makes the next try wait (django-otp's throttling: 1, 2, 4… seconds);
    both are kept even though the refusal is raised.
    """
    device, refusal = _verify(actor, code, address)
    if refusal:
        raise ActionNotAllowed({"code": [refusal]})
    return device


@transaction.atomic
def _verify(actor, code, address):
    device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True).first()
    if device is None:
        raise ActionNotAllowed(["Two-factor sign-in is not set up for this account."])
    allowed, details = device.verify_is_allowed()
    if not allowed:
        refusal = f"You entered a wrong code too many times. Wait {_wait_words(details['locked_until'])} and try again"
    elif device.verify_token(code):
        audit_record(
            actor=actor,
            action=A.CODE_ACCEPTED,
            obj=device,
            summary="Two-factor code accepted",
            address=address,
        )
        return device, None
    else:
        refusal = CODE_NOT_CORRECT
    audit_record(
        actor=actor,
        action=A.CODE_REFUSED,
        obj=device,
        summary=f"Two-factor code refused ({device.throttling_failure_count} wrong in a row)",
        address=address,
    )
    return device, refusal


@transaction.atomic
def two_factor_remove(*, actor, user=None) -> int:
    """Remove the authenticator app of `user` (the actor's own by default): they sign in with a password only."""
    user = user or actor
    if user != actor and not actor.is_superuser:
        raise ActionNotAllowed(["Only the person themselves or a superuser removes two-factor sign-in."])
    devices = list(TOTPDevice.objects.select_for_update().filter(user=user))
    if not devices:
        raise ActionNotAllowed(["Two-factor sign-in is not set up for this account."])
    for device in devices:
        audit_record(
            actor=actor,
            action=A.DEVICE_REMOVED,
            obj=device,
            summary="Removed two-factor sign-in" + ("" if user == actor else f" of “{user.get_username()}”"),
        )
        device.delete()
    return len(devices)
