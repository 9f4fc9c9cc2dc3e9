from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from agencies.models import Agency, User
from reviews.management.commands.demo_data import DEMO_PASSWORD, PEOPLE
from reviews.models import (
    IMR,
    ChronologyEntry,
    ExecutiveSummary,
    ExternalBody,
    Referral,
    Review,
    ReviewState,
    Theme,
)

EXPECTED_USERS = {
    "chair",
    "panel",
    "manager",
    "referrer",
    "referrer2",
    "agencymanager",
    "author",
    "author2",
    "overview",
    "board",
    "qa",
}


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Agency, User, Referral, Review, ChronologyEntry, ExternalBody, Theme)
    }


@pytest.mark.django_db
def test_demo_data_creates_every_role_and_reviews_at_several_stages(settings):
    settings.DEMO = True
    call_command("demo_data", stdout=None)
    assert set(PEOPLE) == EXPECTED_USERS
    assert set(User.objects.values_list("username", flat=True)) == EXPECTED_USERS | {"admin"}
    for username in EXPECTED_USERS:
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert sorted(Review.objects.values_list("review_type", "state")) == [
        ("case", ReviewState.AGENCIES_ENGAGED),
        ("case", ReviewState.EXECUTIVE_SUMMARY),
        ("management", ReviewState.AT_BOARD),
        ("scr", ReviewState.IMRS_IN_PROGRESS),
        ("scr", ReviewState.IMRS_SUBMITTED),
        ("scr", ReviewState.TOR_DRAFTING),
    ]
    assert {r.review_type for r in Review.objects.all()} == {"scr", "case", "management"}
    assert Referral.objects.filter(decision__isnull=True).count() == 1
    # A newcomer finds the public page of summaries filled.
    assert ExecutiveSummary.objects.published(on=timezone.localdate()).count() == 1
    assert ChronologyEntry.objects.count() >= 9
    # The two demo authors write IMRs for two different agencies of the same review.
    scr = Review.objects.get(state=ReviewState.IMRS_IN_PROGRESS)
    authors = dict(scr.participations.values_list("imr__author__username", "agency__name"))
    assert set(authors) == {"author", "author2"} and len(set(authors.values())) == 2
    # The author has an IMR in progress with contacts; the overview author has submitted IMRs to read.
    assert IMR.objects.filter(
        author__username="author", state="in_progress", chronology_entries__isnull=False
    ).exists()
    to_read = Review.objects.get(state=ReviewState.IMRS_SUBMITTED)
    assert to_read.overview_author.username == "overview"
    assert sorted(IMR.objects.filter(participation__review=to_read).values_list("state", flat=True)) == [
        "submitted",
        "submitted",
    ]
    # The QA sub-group's themes, two of which recur across reviews.
    assert Theme.objects.count() == 7
    recurring = Theme.objects.annotate(reviews=Count("recommendations__review", distinct=True)).filter(
        reviews__gte=2
    )
    assert set(recurring.values_list("name", flat=True)) >= {"Information sharing", "Escalation of concerns"}


@pytest.mark.django_db
def test_demo_data_twice_duplicates_nothing(settings):
    settings.DEMO = True
    call_command("demo_data", stdout=None)
    first = counts()
    call_command("demo_data", stdout=None)
    assert counts() == first


@pytest.mark.django_db
def test_demo_data_runs_with_debug_off_on_a_demo_instance(settings):
    # `make run`: a demo instance with debug pages off.
    settings.DEMO, settings.DEBUG = True, False
    out = StringIO()
    call_command("demo_data", stdout=out)
    assert "Demo data ready (7 new demo cases)." in out.getvalue()
    assert User.objects.filter(username__in=EXPECTED_USERS).count() == len(EXPECTED_USERS)


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_demo_data_refuses_unless_the_instance_is_marked_as_a_demo(settings, debug):
    settings.DEMO, settings.DEBUG = False, debug
    with pytest.raises(CommandError) as refused:
        call_command("demo_data")
    assert str(refused.value) == (
        "Demo data goes only into a demo instance, so invented cases never mix with real ones. "
        "This instance is not marked as a demo: set SCR_DEMO=1 (make run does)."
    )
    assert not User.objects.exists()
    assert not Agency.objects.exists()
