"""Sessions that end after SESSION_COOKIE_AGE seconds without a request (docs/security.md, "Sessions").

The session engine (SESSION_ENGINE = "agencies.sessions") is Django's database sessions,
which also remember when the session read from the database ends. A request of a signed-in
person moves that end on to SESSION_COOKIE_AGE seconds from now, by saving the session; to
save a write on every page, only once the end is SESSION_REFRESH_SECONDS nearer than that
(a minute by default; a tenth of a session shorter than ten minutes). The session therefore
lasts between SESSION_COOKIE_AGE minus that minute and SESSION_COOKIE_AGE after the last
request, and pages are told exactly how long it has left (`seconds_left`), for the timeout
warning.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.shortcuts import resolve_url
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    """Django's database sessions, knowing when the session they read ends."""

    ends = None

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self.ends = session.expire_date if session else None
        return session


def seconds_left(session) -> int:
    """How long the session has without another request, once this request is answered."""
    ends = getattr(session, "ends", None)
    if session.modified or ends is None:
        # Saved at the end of this request, with the whole length again.
        return settings.SESSION_COOKIE_AGE
    return max(0, int((ends - timezone.now()).total_seconds()))


def refresh_after() -> int:
    """Seconds since the last save after which a request saves the session again (a tenth of a short one)."""
    return min(settings.SESSION_REFRESH_SECONDS, settings.SESSION_COOKIE_AGE // 10)


class IdleTimeoutMiddleware:
    """Move a signed-in person's session end on to SESSION_COOKIE_AGE from now, at most once a minute.

    Placed after SessionMiddleware, which saves a modified session, with its new end, as the
    response goes out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        had_cookie = settings.SESSION_COOKIE_NAME in request.COOKIES
        signed_in = session.get(SESSION_KEY) is not None
        if had_cookie and signed_in:
            unrefreshed = settings.SESSION_COOKIE_AGE - seconds_left(session)
            if unrefreshed >= refresh_after():
                session.modified = True
        response = self.get_response(request)
        if request.method == "POST" and had_cookie and not signed_in and _to_sign_in(response, request):
            # A form sent after its session ended: the sign-in page says that nothing was saved.
            response["Location"] += "&ended=1" if "?" in response["Location"] else "?ended=1"
        return response


def _to_sign_in(response, request) -> bool:
    """A form turned away to the sign-in page (not the sign-out the timeout warning sends itself)."""
    return (
        response.status_code == 302
        and response["Location"].split("?")[0] == resolve_url(settings.LOGIN_URL)
        and request.path_info != resolve_url("logout")
    )
