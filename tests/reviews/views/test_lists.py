"""Lists filter and page in the database, with the same number of queries whatever their length."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import ReviewState
from tests.factories import ReferralFactory


def referrals(cast, n, **fields):
    return [
        ReferralFactory(
            reference=f"REF-T-{fields.get('tag', 'x')}-{i}",
            referring_agency=cast["referrer"].agency,
            referred_by=cast["referrer"],
            **{k: v for k, v in fields.items() if k != "tag"},
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_the_referral_list_filters_by_decision_and_year(client, walk, cast):
    decided = walk.decided().referral
    waiting = walk.referral()
    old = referrals(cast, 1, tag="old", received_at=timezone.now().replace(year=2024))[0]
    client.force_login(cast["chair"])
    url = reverse("reviews:referral-list")

    def listed(**params):
        return [r.reference for r in client.get(url, params).context["referrals"]]

    this_year = str(timezone.localdate().year)
    assert listed() == [waiting.reference, decided.reference, old.reference]
    assert listed(status="awaiting") == [waiting.reference, old.reference]
    assert listed(status="decided") == [decided.reference]
    assert listed(year="2024") == [old.reference]
    assert listed(status="awaiting", year=this_year) == [waiting.reference]
    # A year with no referral is no choice: the list shows unfiltered rather than failing.
    assert listed(year="1066") == [waiting.reference, decided.reference, old.reference]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 60])
def test_the_referral_list_costs_the_same_queries_at_any_length(
    client, cast, count, django_assert_max_num_queries
):
    referrals(cast, count, tag=str(count))
    client.force_login(cast["chair"])
    with django_assert_max_num_queries(9):
        response = client.get(reverse("reviews:referral-list"), {"status": "awaiting"})
    assert len(response.context["referrals"]) == min(count, 50)
    assert response.context["page"].paginator.count == count


@pytest.mark.django_db
@pytest.mark.parametrize("reviews", [1, 6])
def test_the_agency_managers_home_costs_the_same_queries_at_any_length(
    client, walk, cast, reviews, django_assert_max_num_queries
):
    for _ in range(reviews):
        review = walk.at(ReviewState.AGENCIES_ENGAGED)
        services_nominate(walk, review)
    client.force_login(cast["agencymanager"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("home"))
    assert len(response.context["engagements"]) == reviews


def services_nominate(walk, review):
    """The hospital nominates its author but has not yet secured its files: one thing still to do."""
    from reviews import services

    participation = review.participations.get(agency=walk.cast["hospital"])
    services.imr_nominate_author(
        actor=walk.cast["agencymanager"], participation=participation, author=walk.cast["author"]
    )
