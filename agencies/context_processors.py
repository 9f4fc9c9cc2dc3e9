from django.conf import settings


def in_words(seconds: int) -> str:
    """30 minutes, 1 minute, 90 seconds: a session's length as the sign-in page says it."""
    if seconds % 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = seconds // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def session_timeout(request):
    """How long a session lasts without a request, and when the pages warn that it is ending."""
    return {
        "session_timeout": {
            "seconds": settings.SESSION_COOKIE_AGE,
            "in_words": in_words(settings.SESSION_COOKIE_AGE),
            "warning_seconds": settings.SESSION_WARNING_SECONDS,
        }
    }
