"""The product's own error pages with debug pages off: never Django's URL list or a traceback."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client
from django.urls import path, reverse

from reviews.models import ReviewState
from scr.urls import urlpatterns as product_urlpatterns


def forbidden(request):
    raise PermissionDenied("Only the panel chair records the panel's decision.")


def broken(request):
    child = "Ellie Carter"  # a local variable a technical 500 page would print
    raise RuntimeError(f"Lost the chronology of {child}")


# The product's URLs plus two test-only views; the tests below make this module the URLconf.
urlpatterns = [
    path("test-only/forbidden/", forbidden),
    path("test-only/broken/", broken),
    *product_urlpatterns,
]

NOT_FOUND = [
    "<title>Page not found \N{EN DASH} Serious case reviews</title>",
    '<h1 class="govuk-heading-l">Page not found</h1>',
    '<p class="govuk-body">If you typed the web address, check it is correct.</p>',
    '<p class="govuk-body">If you pasted the web address, check you copied the entire address.</p>',
]
SERVER_ERROR = [
    "<title>Sorry, there is a problem with the service \N{EN DASH} Serious case reviews</title>",
    '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>',
    '<p class="govuk-body">Try again later.</p>',
]


@pytest.fixture(autouse=True)
def _debug_pages_off(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


@pytest.mark.django_db
def test_unknown_url_answers_the_products_404_page_without_the_url_list(client):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert all(text in page for text in NOT_FOUND)
    assert "Using the URLconf" not in page
    assert "test-only/forbidden/" not in page
    assert "reviews/&lt;int:pk&gt;" not in page and "reviews/<int:pk>" not in page


def test_another_agencys_imr_answers_the_same_404_page(client, walk, cast):
    review = walk.at(ReviewState.IMRS_IN_PROGRESS)
    hospital_imr = review.participations.get(agency=cast["hospital"]).imr
    client.force_login(cast["author2"])
    response = client.get(reverse("reviews:imr-detail", args=[hospital_imr.pk]))
    page = response.content.decode()
    assert response.status_code == 404
    assert all(text in page for text in NOT_FOUND)
    # Signed in, the page keeps the person's navigation; it never says what was refused.
    assert "Sign out" in page
    assert "No IMR matches the given query." not in page


@pytest.mark.django_db
def test_permission_denied_answers_the_products_403_page(client):
    response = client.get("/test-only/forbidden/")
    page = response.content.decode()
    assert response.status_code == 403
    assert (
        "<title>You do not have permission to see this page \N{EN DASH} Serious case reviews</title>" in page
    )
    assert '<h1 class="govuk-heading-l">You do not have permission to see this page</h1>' in page
    assert "Only the panel chair records the panel's decision." not in page


@pytest.mark.django_db
def test_an_exception_answers_the_products_500_page_without_a_traceback():
    client = Client(raise_request_exception=False)
    response = client.get("/test-only/broken/")
    page = response.content.decode()
    assert response.status_code == 500
    assert all(text in page for text in SERVER_ERROR)
    for technical in ("Traceback", "RuntimeError", "Lost the chronology", "Ellie Carter", "Local vars"):
        assert technical not in page


def test_the_500_page_renders_with_no_request_and_no_context():
    page = render_to_string("500.html")
    assert all(text in page for text in SERVER_ERROR)
    # No script, so it needs no Content-Security-Policy nonce (there is no request to carry one).
    assert "<script" not in page
    assert 'href="/static/css/scr.min.css"' in page


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_answers_the_products_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "chair", "password": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert '<h1 class="govuk-heading-l">Sorry, you need to try that again</h1>' in page
    assert "CSRF verification failed" not in page
    assert "DEBUG=True" not in page


def test_favicon_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, "/static/images/favicon.svg")
