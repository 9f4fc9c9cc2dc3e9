"""The health check, answered before anything reads the request's host."""

from reviews.views.core import healthz


class HealthCheckMiddleware:
    """Answer /healthz first.

    The container's health check and a load balancer ask by the server's own address, which is
    not among ALLOWED_HOSTS once the site's real name is set there; and over plain http, which
    the SSL redirect would turn away. The answer says only whether the database answers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)
