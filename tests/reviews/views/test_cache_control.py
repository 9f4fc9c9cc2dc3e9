"""Confidential pages are never kept in a browser's or a proxy's cache."""

import pytest
from django.urls import reverse

from reviews.models import ReviewState

NO_STORE = "private, no-store"
# What Django's never_cache sets (sign-in page, downloads, health check); left as it is.
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


@pytest.fixture
def review(walk):
    return walk.at(ReviewState.IMRS_IN_PROGRESS)


def confidential_urls(review):
    imrs = [participation.imr for participation in review.participations.order_by("agency__name")]
    return [
        reverse("home"),
        reverse("reviews:tracker"),
        reverse("reviews:referral-list"),
        reverse("reviews:referral-detail", args=[review.referral.pk]),
        reverse("reviews:review-detail", args=[review.pk]),
        reverse("reviews:identity-register", args=[review.pk]),
        *(reverse("reviews:imr-detail", args=[imr.pk]) for imr in imrs),
    ]


def test_every_confidential_page_tells_caches_not_to_store_it(client, cast, review):
    client.force_login(cast["panel"])
    urls = confidential_urls(review)
    answers = {url: (r.status_code, r.get("Cache-Control")) for url in urls for r in [client.get(url)]}
    assert len(urls) == 8
    assert answers == dict.fromkeys(urls, (200, NO_STORE))


def test_a_not_found_page_for_a_signed_in_person_is_not_stored_either(client, cast):
    client.force_login(cast["author2"])
    response = client.get("/no-such-page/")
    assert (response.status_code, response["Cache-Control"]) == (404, NO_STORE)


def test_a_view_that_sets_its_own_cache_control_keeps_it(client, cast):
    client.force_login(cast["panel"])
    response = client.get(reverse("healthz"))
    assert (response.status_code, response["Cache-Control"]) == (200, NEVER_CACHE)


@pytest.mark.django_db
def test_the_sign_in_page_still_works_for_someone_not_signed_in(client):
    response = client.get(reverse("login"))
    page = response.content.decode()
    assert (response.status_code, response["Cache-Control"]) == (200, NEVER_CACHE)
    assert '<h1 class="govuk-heading-xl">Sign in</h1>' in page
    assert 'name="csrfmiddlewaretoken"' in page


@pytest.mark.django_db
def test_the_redirect_to_sign_in_carries_no_cache_control(client):
    response = client.get(reverse("home"))
    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next=/")
    assert not response.has_header("Cache-Control")
