"""The review's state machine: every legal move, and for each state the moves it refuses, with reasons."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django_fsm_log.models import StateLog

from reviews import services
from reviews.models import Review, ReviewState
from reviews.preconditions import unmet_preconditions
from reviews.services import ActionNotAllowed
from tests.walk import NEXT_MOVE

S = ReviewState

LABEL = {
    S.TOR_DRAFTING: "Terms of reference drafted",
    S.TOR_AGREED: "Terms of reference agreed and shared",
    S.AGENCIES_ENGAGED: "Agencies engaged",
    S.IMRS_IN_PROGRESS: "IMRs in progress",
    S.IMRS_SUBMITTED: "IMRs submitted",
    S.OVERVIEW: "Overview report",
    S.AT_BOARD: "With the board",
    S.ACTION_PLAN: "LSCB action plan",
    S.WITH_OFSTED: "Sent to Ofsted and GOL",
    S.EXECUTIVE_SUMMARY: "Executive summary",
    S.CLOSED: "Closed",
    S.WITHDRAWN: "Withdrawn",
}
OPEN_STATES = [state for state in S if state not in (S.CLOSED, S.WITHDRAWN)]

# Each transition: its label, and the stages it may leave from, as the refusal names them.
TRANSITIONS = {
    "agree_terms_of_reference": ("Agree and share the terms of reference", "“Terms of reference drafted”"),
    "engage_agencies": (
        "Ask the agencies to secure files and nominate IMR authors",
        "“Terms of reference agreed and shared”",
    ),
    "start_imrs": ("Start the IMRs", "“Agencies engaged”"),
    "complete_imrs": ("Record that every IMR is submitted", "“IMRs in progress”"),
    "start_overview": ("Start the overview", "“IMRs submitted”"),
    "send_to_board": ("Send the overview report to the board", "“Overview report”"),
    "board_approve": ("Approve the overview report", "“With the board”"),
    "board_return": ("Return the overview report to its author", "“With the board”"),
    "send_to_ofsted": ("Send the report and action plan to Ofsted and GOL", "“LSCB action plan”"),
    "prepare_executive_summary": (
        "Prepare the executive summary",
        "“LSCB action plan” or “Sent to Ofsted and GOL”",
    ),
    "close": ("Close the review", "“Executive summary”"),
    "withdraw": ("Withdraw the review", " or ".join(f"“{LABEL[state]}”" for state in OPEN_STATES)),
}

LEGAL_FROM = {
    S.TOR_DRAFTING: {"agree_terms_of_reference", "withdraw"},
    S.TOR_AGREED: {"engage_agencies", "withdraw"},
    S.AGENCIES_ENGAGED: {"start_imrs", "withdraw"},
    S.IMRS_IN_PROGRESS: {"complete_imrs", "withdraw"},
    S.IMRS_SUBMITTED: {"start_overview", "withdraw"},
    S.OVERVIEW: {"send_to_board", "withdraw"},
    S.AT_BOARD: {"board_approve", "board_return", "withdraw"},
    S.ACTION_PLAN: {"send_to_ofsted", "prepare_executive_summary", "withdraw"},
    S.WITH_OFSTED: {"prepare_executive_summary", "withdraw"},
    S.EXECUTIVE_SUMMARY: {"close", "withdraw"},
    # Both ends are final: a closed review is not withdrawn, a withdrawn one neither closed nor resumed.
    S.CLOSED: set(),
    S.WITHDRAWN: set(),
}


def _move(walk, review, name, actor_key, note=""):
    return services.review_move(actor=walk.cast[actor_key], review=review, move=name, note=note)


LEGAL_MOVES = [
    # (review type, from, transition, actor, to)
    *[
        ("scr", source, name, who, target)
        for source, (name, who), target in zip(
            list(NEXT_MOVE), NEXT_MOVE.values(), [*list(NEXT_MOVE)[1:], S.CLOSED], strict=True
        )
    ],
    ("scr", S.AT_BOARD, "board_return", "board", S.OVERVIEW),
    ("case", S.ACTION_PLAN, "prepare_executive_summary", "manager", S.EXECUTIVE_SUMMARY),
    ("management", S.EXECUTIVE_SUMMARY, "close", "manager", S.CLOSED),
    # The panel chair withdraws a review from any open stage, with a reason.
    *[("scr", source, "withdraw", "chair", S.WITHDRAWN) for source in OPEN_STATES],
    ("case", S.ACTION_PLAN, "withdraw", "chair", S.WITHDRAWN),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("review_type", "source", "name", "who", "target"), LEGAL_MOVES)
def test_legal_move_changes_stage_and_is_logged(walk, review_type, source, name, who, target):
    review = walk.ready(walk.at(source, review_type))
    assert unmet_preconditions(getattr(review, name)) == []

    moved = _move(walk, review, name, who, note="Agreed at the meeting.")

    assert Review.objects.get(pk=review.pk).state == target
    log = StateLog.objects.for_(moved).latest()
    assert (log.source_state, log.state, log.transition, log.by, log.description) == (
        source,
        target,
        name,
        walk.cast[who],
        "Agreed at the meeting.",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(S))
def test_moves_from_other_stages_are_refused_with_the_stage_named(walk, state):
    review = walk.at(state)
    illegal = sorted(set(TRANSITIONS) - LEGAL_FROM[state])
    for name in illegal:
        label, sources = TRANSITIONS[name]
        expected = f"Review is at “{LABEL[state]}”: “{label}” can only be done at {sources}."
        assert unmet_preconditions(getattr(review, name)) == [expected], name
        with pytest.raises(ActionNotAllowed) as refused:
            services.review_move(actor=walk.cast["chair"], review=review, move=name)
        assert refused.value.reasons == [expected]
        assert Review.objects.get(pk=review.pk).state == state


def _reasons(review, name):
    return unmet_preconditions(getattr(Review.objects.get(pk=review.pk), name))


@pytest.mark.django_db
def test_terms_of_reference_cannot_be_agreed_until_complete(walk):
    review = walk.at(S.TOR_DRAFTING)
    review.participations.all().delete()
    assert _reasons(review, "agree_terms_of_reference") == [
        "Add at least one focus area to the terms of reference.",
        "Set the period under review in the terms of reference.",
        "Choose the agencies asked to take part.",
        "Record the staff involved in the case, so the terms of reference can be shared with them.",
    ]
    with pytest.raises(ActionNotAllowed):
        services.review_move(actor=walk.cast["chair"], review=review, move="agree_terms_of_reference")
    assert Review.objects.get(pk=review.pk).state == S.TOR_DRAFTING
    assert not StateLog.objects.for_(review).exists()


@pytest.mark.django_db
def test_imrs_cannot_start_until_every_agency_has_secured_files_and_a_signed_author(walk):
    review = walk.at(S.AGENCIES_ENGAGED)
    assert _reasons(review, "start_imrs") == [
        "Leeds Teaching Hospitals has not confirmed that its case files are secured.",
        "Leeds Teaching Hospitals has not nominated an IMR author.",
        "West Yorkshire Police has not confirmed that its case files are secured.",
        "West Yorkshire Police has not nominated an IMR author.",
    ]
    hospital = review.participations.get(agency=walk.cast["hospital"])
    services.participation_secure_files(
        actor=walk.cast["agencymanager"],
        participation=hospital,
        originals_location="Records office",
        copies_made=True,
    )
    services.imr_nominate_author(
        actor=walk.cast["agencymanager"], participation=hospital, author=walk.cast["author"]
    )
    assert _reasons(review, "start_imrs") == [
        "Grace Adeyemi, Leeds Teaching Hospitals's IMR author, has not signed the independence declaration.",
        "West Yorkshire Police has not confirmed that its case files are secured.",
        "West Yorkshire Police has not nominated an IMR author.",
    ]


@pytest.mark.django_db
def test_imrs_submitted_needs_every_imr_and_its_feedback_meeting(walk):
    review = walk.at(S.IMRS_IN_PROGRESS)
    assert _reasons(review, "complete_imrs") == [
        "Leeds Teaching Hospitals's IMR has not been submitted.",
        "Leeds Teaching Hospitals's IMR author has not recorded the feedback meeting with staff.",
        "West Yorkshire Police's IMR has not been submitted.",
        "West Yorkshire Police's IMR author has not recorded the feedback meeting with staff.",
    ]
    walk.complete_imr(review.participations.get(agency=walk.cast["hospital"]).imr, feedback=False)
    assert _reasons(review, "complete_imrs") == [
        "Leeds Teaching Hospitals's IMR author has not recorded the feedback meeting with staff.",
        "West Yorkshire Police's IMR has not been submitted.",
        "West Yorkshire Police's IMR author has not recorded the feedback meeting with staff.",
    ]


@pytest.mark.django_db
def test_overview_needs_a_commissioned_author_who_signed(walk):
    review = walk.at(S.IMRS_SUBMITTED)
    assert _reasons(review, "start_overview") == ["Commission an independent overview author."]
    services.overview_author_commission(
        actor=walk.cast["manager"], review=review, author=walk.cast["overview"]
    )
    assert _reasons(review, "start_overview") == [
        "Alison Frost, the overview author, has not signed the independence declaration."
    ]


@pytest.mark.django_db
def test_board_needs_report_recommendations_and_accepted_imrs(walk):
    review = walk.at(S.OVERVIEW)
    assert _reasons(review, "send_to_board") == [
        "Upload the overview report.",
        "Record the overview report's recommendations.",
        "Leeds Teaching Hospitals's IMR has not been accepted by the overview author.",
        "West Yorkshire Police's IMR has not been accepted by the overview author.",
    ]


@pytest.mark.django_db
def test_action_plan_must_cover_every_overview_recommendation(walk):
    # The overview's recommendations are recorded before the board approves the report.
    review = walk.ready(walk.at(S.OVERVIEW))
    services.recommendation_add(actor=walk.cast["chair"], review=review, text="A second recommendation.")
    review = walk.move(walk.move(review))
    assert review.state == S.ACTION_PLAN
    assert _reasons(review, "send_to_ofsted") == [
        "Add the actions of the LSCB action plan.",
        "Prepare the submission pack for Ofsted and GOL.",
    ]
    first = review.recommendations.get(imr__isnull=True, number=1)
    services.action_item_add(
        actor=walk.cast["manager"],
        review=review,
        agency=None,
        recommendation=first,
        description="Publish the guidance.",
        owner="LSCB",
        due_on=review.current_due_date,
    )
    assert _reasons(review, "send_to_ofsted") == [
        "Overview recommendation 2 has no action in the LSCB action plan.",
        "Prepare the submission pack for Ofsted and GOL.",
    ]


@pytest.mark.django_db
def test_an_scr_goes_to_ofsted_before_its_summary(walk):
    review = walk.ready(walk.at(S.ACTION_PLAN))
    assert _reasons(review, "prepare_executive_summary") == [
        "A serious case review is sent to Ofsted and GOL before its executive summary."
    ]
    review = services.review_move(actor=walk.cast["manager"], review=review, move="send_to_ofsted")
    assert _reasons(review, "prepare_executive_summary") == ["Record Ofsted's grade and feedback."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("review_type", "label"), [("case", "case review"), ("management", "management review")]
)
def test_case_and_management_reviews_cannot_go_to_ofsted(walk, review_type, label):
    review = walk.ready(walk.at(S.ACTION_PLAN, review_type))
    assert _reasons(review, "send_to_ofsted") == [
        f"A {label} is not sent to Ofsted or GOL: only serious case reviews are."
    ]
    with pytest.raises(ActionNotAllowed):
        services.review_move(actor=walk.cast["manager"], review=review, move="send_to_ofsted")
    assert [s for s in review.stages() if s == S.WITH_OFSTED] == []
    # Nor can anything write the state behind the machine's back.
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(state=S.WITH_OFSTED)


@pytest.mark.django_db
def test_closing_needs_summary_actions_and_the_end_support_meeting(walk):
    review = walk.at(S.EXECUTIVE_SUMMARY)
    assert _reasons(review, "close") == [
        "Publish the executive summary on the LSCB website.",
        "Send the executive summary to the staff involved.",
        "3 actions are not yet complete.",
        "Hold the closing staff support meeting and record it.",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "name", "who"),
    [
        (S.TOR_DRAFTING, "agree_terms_of_reference", "manager"),
        (S.TOR_DRAFTING, "agree_terms_of_reference", "author"),
        (S.TOR_AGREED, "engage_agencies", "author"),
        (S.AGENCIES_ENGAGED, "start_imrs", "agencymanager"),
        (S.IMRS_IN_PROGRESS, "complete_imrs", "qa"),
        (S.IMRS_SUBMITTED, "start_overview", "overview"),
        (S.OVERVIEW, "send_to_board", "board"),
        (S.AT_BOARD, "board_approve", "chair"),
        (S.ACTION_PLAN, "send_to_ofsted", "qa"),
        (S.EXECUTIVE_SUMMARY, "close", "board"),
        # Only the panel chair withdraws a review: not a panel member, nor the business manager.
        *[
            (S.IMRS_IN_PROGRESS, "withdraw", who)
            for who in ("panel", "manager", "board", "qa", "overview", "agencymanager", "author")
        ],
    ],
)
def test_move_by_the_wrong_role_is_denied_and_nothing_changes(walk, source, name, who):
    review = walk.ready(walk.at(source))
    with pytest.raises(PermissionDenied):
        _move(walk, review, name, who)
    assert Review.objects.get(pk=review.pk).state == source


@pytest.mark.django_db
def test_state_field_is_protected(walk):
    review = walk.at(S.TOR_DRAFTING)
    with pytest.raises(AttributeError):
        review.state = S.CLOSED


@pytest.mark.django_db
def test_concurrent_move_is_refused(walk):
    from django_fsm import ConcurrentTransition

    review = walk.ready(walk.at(S.TOR_AGREED))
    stale = Review.objects.get(pk=review.pk)
    services.review_move(actor=walk.cast["manager"], review=review, move="engage_agencies")
    stale.engage_agencies(by=walk.cast["manager"])
    with pytest.raises(ConcurrentTransition):
        stale.save()


@pytest.mark.django_db
def test_board_return_needs_a_reason(walk):
    review = walk.at(S.AT_BOARD)
    with pytest.raises(ActionNotAllowed) as refused:
        services.review_move(actor=walk.cast["board"], review=review, move="board_return", note="  ")
    assert refused.value.by_field() == {"note": ["Say why the board is returning the overview report"]}
    assert Review.objects.get(pk=review.pk).state == S.AT_BOARD


@pytest.mark.django_db
def test_withdrawal_needs_a_reason(walk):
    review = walk.at(S.AGENCIES_ENGAGED)
    with pytest.raises(ActionNotAllowed) as refused:
        services.review_move(actor=walk.cast["chair"], review=review, move="withdraw", note=" \n ")
    assert refused.value.by_field() == {"note": ["Say why the review is withdrawn"]}
    assert Review.objects.get(pk=review.pk).state == S.AGENCIES_ENGAGED
    assert not StateLog.objects.for_(review).filter(transition="withdraw").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("source", [S.TOR_DRAFTING, S.OVERVIEW, S.EXECUTIVE_SUMMARY])
def test_withdrawal_keeps_the_stage_it_was_made_at(walk, source):
    review = walk.at(source)
    withdrawn = services.review_move(actor=walk.cast["chair"], review=review, move="withdraw", note="Merged.")
    fresh = Review.objects.get(pk=withdrawn.pk)
    assert (fresh.state, fresh.withdrawn_from, fresh.stage_reached) == (S.WITHDRAWN, source, source)
    assert (fresh.is_open, fresh.is_withdrawn) == (False, True)
    assert fresh.withdrawal.description == "Merged."
    assert fresh.withdrawal.by == walk.cast["chair"]
    # Ended, but never counted as closed.
    assert list(Review.objects.ended()) == [fresh]
    assert list(Review.objects.withdrawn()) == [fresh]
    assert list(Review.objects.closed()) == []
    assert list(Review.objects.open()) == []
