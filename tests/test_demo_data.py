from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from agencies.models import Agency, User
from reviews.management.commands.demo_data import DEMO_PASSWORD, PEOPLE
from reviews.models import (
    IMR,
    ActionItem,
    ChronologyEntry,
    Document,
    ExecutiveSummary,
    ExternalBody,
    MonitoringNote,
    ProgressUpdate,
    Referral,
    Review,
    ReviewState,
    Theme,
)
from reviews.monitoring import monitored_actions

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
        for model in (
            Agency,
            User,
            Referral,
            Review,
            ChronologyEntry,
            ExternalBody,
            Theme,
            ActionItem,
            ProgressUpdate,
            MonitoringNote,
            Document,
        )
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
def test_demo_data_gives_the_qa_sub_group_action_plans_to_monitor(settings):
    settings.DEMO = True
    call_command("demo_data", stdout=None)
    qa = User.objects.get(username="qa")
    today = timezone.localdate()
    seen = monitored_actions(qa, today=today)
    by_review = {}
    for item in seen:
        colours = by_review.setdefault(item.plan.review.referral.child_name, {})
        colours[item.rag] = colours.get(item.rag, 0) + 1
    # Red, amber, green and done on the published case review and the management review at board;
    # the SCR's two IMR actions, due in two weeks.
    assert by_review == {
        "Kayden Moss": {"red": 3, "amber": 4, "green": 3, "done": 1},
        "Amira Haddad": {"red": 2, "amber": 3, "done": 1},
        "Leo Marsh": {"amber": 2},
    }
    assert seen.count() == ActionItem.objects.count() == 19
    # Agencies' plans and the LSCB's, some of its actions owned by an agency.
    assert set(seen.values_list("agency_name", flat=True)) == {
        "Northbridge Teaching Hospitals NHS Trust",
        "Northbridge Police",
        "Northbridge Children's Social Care",
        "Riverside Medical Practice",
        "LSCB",
    }
    assert dict(seen.values_list("state").annotate(n=Count("pk")).values_list("state", "n")) == {
        "open": 12,
        "in_progress": 5,
        "completed": 1,
        "verified": 1,
    }
    # Every overdue action is due on or after its review's panel decision.
    for item in seen.filter(rag="red"):
        assert item.plan.review.decision_date <= item.due_on < today
    # Both done actions: their evidence written and a PDF uploaded.
    for item in seen.filter(state__in=ActionItem.DONE):
        assert item.evidence and item.completed_on == today
        version = item.evidence_documents.get().versions.get()
        assert version.original_filename.endswith(".pdf")
        assert version.uploaded_by.username in {"agencymanager", "author2", "manager"}
    verified = seen.get(state="verified")
    assert verified.plan.review.referral.child_name == "Kayden Moss"
    assert ProgressUpdate.objects.count() == 6
    assert ProgressUpdate.objects.filter(item__state="in_progress").values("item").distinct().count() == 5
    assert set(MonitoringNote.objects.values_list("recorded_by__username", flat=True)) == {"qa"}
    assert MonitoringNote.objects.count() == 3
    assert MonitoringNote.objects.filter(item__due_on__lt=today, item__state="in_progress").count() == 2


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
