from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST


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
