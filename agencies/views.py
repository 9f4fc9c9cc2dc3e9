from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST


@require_POST
@never_cache
def session_keep_alive(request):
    """Start the signed-in person's idle time again: "Stay signed in" in the timeout warning.

    The session middleware saves the session on every request (SESSION_SAVE_EVERY_REQUEST),
    which moves its end SESSION_COOKIE_AGE seconds on; this view only says so. Without a
    session there is nothing to keep: 403, and the page sends the person to sign in.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    request.session.modified = True
    return HttpResponse(status=204)
