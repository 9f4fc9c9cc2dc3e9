from django.conf import settings

from agencies.sessions import seconds_left


def in_words(seconds: int) -> str:
    """30 minutes, 1 minute, 90 seconds: a session's length as the sign-in page says it."""
    if seconds % 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = seconds // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def session_timeout(request):
    """How long a session lasts without a request, how long this one has left, and when pages warn."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "session_timeout": {
            "length": settings.SESSION_COOKIE_AGE,
            "in_words": in_words(settings.SESSION_COOKIE_AGE),
            "seconds_left": seconds_left(request.session) if signed_in else None,
            "warning_seconds": settings.SESSION_WARNING_SECONDS,
        }
    }
