import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from reviews import services
from reviews.models import Notification, PanelDecision, PanelMeeting, Referral, Review
from reviews.services import ActionNotAllowed

NO_CRITERIA = dict.fromkeys(PanelDecision.CRITERIA, False)


@pytest.fixture
def referral(walk):
    return walk.referral()


@pytest.fixture
def meeting(walk):
    """The panel meeting, as the decision page records it with the decision."""
    return {"held_on": timezone.localdate(), "attendees": [walk.cast["chair"]]}


def decide(walk, referral, meeting, outcome, *, criteria=(), justification=""):
    return services.referral_decide(
        actor=walk.cast["chair"],
        referral=referral,
        **meeting,
        criteria={**NO_CRITERIA, **dict.fromkeys(criteria, True)},
        outcome=outcome,
        rationale="Discussed at length.",
        criterion_a_justification=justification,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["case", "management", "none"])
def test_criterion_a_without_an_scr_needs_a_justification(walk, referral, meeting, outcome):
    with pytest.raises(ActionNotAllowed) as refused:
        decide(walk, referral, meeting, outcome, criteria=["criterion_a"], justification="   ")
    assert refused.value.by_field() == {
        "criterion_a_justification": [
            "Explain why there is no serious case review when the child died and abuse or neglect is suspected"
        ]
    }
    assert not PanelDecision.objects.exists()
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_criterion_a_with_justification_is_recorded_and_flagged(walk, referral, meeting):
    decision = decide(
        walk, referral, meeting, "case", criteria=["criterion_a"], justification="Coroner: natural causes."
    )
    review = Review.objects.get(referral=referral)
    assert decision.departs_from_criterion_a is True
    assert review.departs_from_criterion_a() is True
    assert (review.review_type, review.decision_date) == ("case", meeting["held_on"])


@pytest.mark.django_db
def test_criterion_a_with_an_scr_needs_no_justification(walk, referral, meeting):
    decision = decide(walk, referral, meeting, "scr", criteria=["criterion_a"])
    assert decision.departs_from_criterion_a is False
    assert Review.objects.get(referral=referral).reference == f"SCR-{meeting['held_on'].year}-001"


@pytest.mark.django_db
def test_database_also_refuses_criterion_a_without_justification(walk, referral, meeting):
    with pytest.raises(IntegrityError), transaction.atomic():
        PanelDecision.objects.create(
            referral=referral,
            meeting=PanelMeeting.objects.create(held_on=meeting["held_on"], chair=walk.cast["chair"]),
            outcome="none",
            rationale="x",
            decided_by=walk.cast["chair"],
            **{**NO_CRITERIA, "criterion_a": True},
        )


@pytest.mark.django_db
def test_no_review_decision_opens_nothing(walk, referral, meeting):
    decide(walk, referral, meeting, "none", criteria=["criterion_f"])
    assert not Review.objects.exists()
    assert Referral.objects.get(pk=referral.pk).is_decided


@pytest.mark.django_db
def test_a_referral_is_decided_once(walk, referral, meeting):
    decide(walk, referral, meeting, "management")
    with pytest.raises(ActionNotAllowed) as refused:
        decide(walk, referral, meeting, "scr")
    assert refused.value.reasons == [f"The panel has already decided on referral {referral.reference}."]
    assert Review.objects.get().review_type == "management"


@pytest.mark.django_db
def test_only_the_panel_decides(walk, referral, meeting):
    with pytest.raises(PermissionDenied):
        services.referral_decide(
            actor=walk.cast["manager"],
            referral=referral,
            **meeting,
            criteria=NO_CRITERIA,
            outcome="scr",
            rationale="x",
        )


@pytest.mark.django_db
def test_logging_a_referral_queues_notification_1_once_per_body(walk):
    referral = walk.referral()
    assert sorted(referral.notifications.values_list("kind", "body__name", "status")) == [
        ("referral", "Government Office for London", "queued"),
        ("referral", "Ofsted", "queued"),
    ]


@pytest.mark.django_db
def test_referral_dates_are_checked(walk):
    with pytest.raises(ActionNotAllowed) as refused:
        services.referral_log(
            actor=walk.cast["referrer"],
            child_name="X",
            child_date_of_birth=datetime.date(2020, 1, 1),
            child_unborn=True,
            family_members="",
            incident_date=timezone.localdate() + datetime.timedelta(days=1),
            incident_kind="other",
            summary="x",
            agencies_involved=[],
            police_investigating=False,
        )
    assert refused.value.by_field() == {
        "child_date_of_birth": ["Leave the date of birth empty for an unborn child"],
        "incident_date": ["Date of the incident must be today or in the past"],
        "agencies_involved": ["Select the agencies involved with the child or family"],
    }
    assert not Referral.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_agreeing_an_scr_tor_queues_notification_2_with_the_pdf(walk, django_capture_on_commit_callbacks):
    from reviews.models import ReviewState

    review = walk.ready(walk.at(ReviewState.TOR_DRAFTING))
    with django_capture_on_commit_callbacks(execute=True):
        services.review_move(actor=walk.cast["chair"], review=review, move="agree_terms_of_reference")
    notifications = Notification.objects.filter(review=review, kind="tor").select_related("attachment")
    assert sorted(n.body.name for n in notifications) == ["Government Office for London", "Ofsted"]
    attachment = notifications[0].attachment
    assert attachment.content_type == "application/pdf"
    with attachment.file.open("rb") as f:
        assert f.read(5) == b"%PDF-"


@pytest.mark.django_db
def test_agreeing_a_case_review_tor_notifies_nobody(walk, django_capture_on_commit_callbacks):
    from reviews.models import ReviewState

    review = walk.ready(walk.at(ReviewState.TOR_DRAFTING, "case"))
    with django_capture_on_commit_callbacks(execute=True):
        services.review_move(actor=walk.cast["chair"], review=review, move="agree_terms_of_reference")
    assert not Notification.objects.filter(kind="tor").exists()
    assert review.terms_of_reference.focus_areas.count() == 2
