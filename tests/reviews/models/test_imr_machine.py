"""The IMR's own machine: nominated → in progress → submitted → returned / accepted."""

import pytest
from django.core.exceptions import PermissionDenied
from django_fsm_log.models import StateLog

from reviews import services
from reviews.models import IMR, IMRState, ReviewState
from reviews.preconditions import unmet_preconditions
from reviews.services import ActionNotAllowed

IS = IMRState

LABEL = {
    IS.NOMINATED: "Author nominated",
    IS.IN_PROGRESS: "In progress",
    IS.SUBMITTED: "Submitted",
    IS.RETURNED: "Returned for more work",
    IS.ACCEPTED: "Accepted",
}
TRANSITIONS = {
    "start": ("Start the IMR", "“Author nominated”"),
    "submit": ("Submit the IMR", "“In progress” or “Returned for more work”"),
    "return_for_work": ("Return the IMR for more work", "“Submitted”"),
    "accept": ("Accept the IMR", "“Submitted”"),
}
LEGAL_FROM = {
    IS.NOMINATED: {"start"},
    IS.IN_PROGRESS: {"submit"},
    IS.SUBMITTED: {"return_for_work", "accept"},
    IS.RETURNED: {"submit"},
    IS.ACCEPTED: set(),
}


@pytest.fixture
def hospital_imr(walk):
    review = walk.ready(walk.at(ReviewState.AGENCIES_ENGAGED))
    services.review_move(actor=walk.cast["manager"], review=review, move="start_imrs")
    return review.participations.get(agency=walk.cast["hospital"]).imr


def imr_in(walk, imr, state) -> IMR:
    author, overview = walk.cast["author"], walk.cast["overview"]
    if state == IS.NOMINATED:
        return imr
    if state == IS.IN_PROGRESS:
        return services.imr_move(actor=author, imr=imr, move="start")
    walk.complete_imr(imr)
    if state in (IS.RETURNED, IS.ACCEPTED):
        review = imr.participation.review
        services.overview_author_commission(actor=walk.cast["manager"], review=review, author=overview)
        if state == IS.RETURNED:
            return services.imr_move(
                actor=overview, imr=imr, move="return_for_work", note="Analyse the missed appointments."
            )
        return services.imr_move(actor=overview, imr=imr, move="accept")
    return IMR.objects.get(pk=imr.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(IS))
def test_imr_refuses_moves_from_other_states(walk, hospital_imr, state):
    imr = imr_in(walk, hospital_imr, state)
    assert imr.state == state
    for name in sorted(set(TRANSITIONS) - LEGAL_FROM[state]):
        label, sources = TRANSITIONS[name]
        expected = f"IMR is at “{LABEL[state]}”: “{label}” can only be done at {sources}."
        assert unmet_preconditions(getattr(imr, name)) == [expected]
        with pytest.raises(ActionNotAllowed) as refused:
            services.imr_move(actor=walk.cast["author"], imr=imr, move=name)
        assert refused.value.reasons == [expected]


@pytest.mark.django_db
def test_imr_walks_every_legal_move_with_log(walk, hospital_imr, second_hospital_author):
    author, overview = second_hospital_author, walk.cast["overview"]
    # A new author's declaration is their own to sign.
    hospital_imr = services.imr_nominate_author(
        actor=walk.cast["agencymanager"], participation=hospital_imr.participation, author=author
    )
    with pytest.raises(ActionNotAllowed) as refused:
        services.imr_move(actor=author, imr=hospital_imr, move="start")
    assert refused.value.reasons == ["Nina Patel has not signed the independence declaration."]

    services.imr_sign_declaration(actor=author, imr=hospital_imr)
    imr = services.imr_move(actor=author, imr=hospital_imr, move="start")
    assert imr.state == IS.IN_PROGRESS
    assert unmet_preconditions(imr.submit) == [
        "Add the chronology: it has no entries.",
        "Upload the IMR report.",
        "Record the IMR's recommendations.",
    ]
    walk.complete_imr(imr)
    imr = IMR.objects.get(pk=imr.pk)
    assert imr.state == IS.SUBMITTED and imr.submitted_at is not None
    review = imr.participation.review
    services.overview_author_commission(actor=walk.cast["manager"], review=review, author=overview)

    imr = services.imr_move(
        actor=overview, imr=imr, note="Say more about supervision.", move="return_for_work"
    )
    assert imr.state == IS.RETURNED
    imr = services.imr_move(actor=author, imr=imr, note="Supervision section added.", move="submit")
    assert imr.state == IS.SUBMITTED
    imr = services.imr_move(actor=overview, imr=imr, move="accept")
    assert imr.state == IS.ACCEPTED

    log = list(
        StateLog.objects.for_(imr)
        .order_by("timestamp", "pk")
        .values_list("source_state", "state", "by__username", "description")
    )
    assert log == [
        ("nominated", "in_progress", "author3", None),
        ("in_progress", "submitted", "author3", None),
        ("submitted", "returned", "overview", "Say more about supervision."),
        ("returned", "submitted", "author3", "Supervision section added."),
        ("submitted", "accepted", "overview", None),
    ]


@pytest.mark.django_db
def test_submitted_imr_is_read_only_for_its_author(walk, hospital_imr):
    imr = imr_in(walk, hospital_imr, IS.SUBMITTED)
    with pytest.raises(ActionNotAllowed) as refused:
        services.chronology_entry_add(
            actor=walk.cast["author"],
            imr=imr,
            date=imr.submitted_at.date(),
            contact_type="other",
            with_whom="child",
            practitioner="Health Visitor 1",
            summary="Late addition",
        )
    assert refused.value.reasons == ["The IMR has been submitted and can no longer be changed."]
    assert imr.chronology_entries.count() == 1


@pytest.mark.django_db
def test_return_for_work_needs_a_note_and_the_right_person(walk, hospital_imr):
    imr = imr_in(walk, hospital_imr, IS.SUBMITTED)
    with pytest.raises(ActionNotAllowed) as refused:
        services.imr_move(actor=walk.cast["chair"], imr=imr, note=" ", move="return_for_work")
    assert refused.value.by_field() == {"note": ["Say what more work the IMR needs"]}
    # The overview author is not yet commissioned on this review: not theirs to critique.
    with pytest.raises(PermissionDenied):
        services.imr_move(actor=walk.cast["overview"], imr=imr, note="More please.", move="return_for_work")
    with pytest.raises(PermissionDenied):
        services.imr_move(actor=walk.cast["author2"], imr=imr, move="accept")
    assert IMR.objects.get(pk=imr.pk).state == IS.SUBMITTED


@pytest.mark.django_db
def test_other_agency_author_cannot_move_this_imr(walk, hospital_imr):
    with pytest.raises(PermissionDenied):
        services.imr_move(actor=walk.cast["author2"], imr=hospital_imr, move="start")
    assert IMR.objects.get(pk=hospital_imr.pk).state == IS.NOMINATED
