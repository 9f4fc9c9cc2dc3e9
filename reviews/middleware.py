from django.utils.cache import patch_cache_control


class ConfidentialPagesMiddleware:
    """Keep every response to a signed-in person out of browser and shared caches.

    Every page behind sign-in shows confidential material (names, IMRs, the identity
    register), so no store, shared or private, may keep a copy. A view that sets its own
    Cache-Control (never_cache on downloads and the health check) keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Cache-Control first: the health check and static files need no session lookup.
        if not response.has_header("Cache-Control") and request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
