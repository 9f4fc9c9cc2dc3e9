"""Action items: open → in progress → completed → verified by the QA sub-group (or reopened)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from reviews import services
from reviews.models import ActionItem, ActionState, ReviewState
from reviews.preconditions import unmet_preconditions
from reviews.services import ActionNotAllowed

A = ActionState

LABEL = {
    A.OPEN: "Open",
    A.IN_PROGRESS: "In progress",
    A.COMPLETED: "Completed",
    A.VERIFIED: "Verified by the QA sub-group",
}
TRANSITIONS = {
    "start": ("Start the action", "“Open”"),
    "complete": ("Mark the action complete", "“In progress”"),
    "verify": ("Verify the action", "“Completed”"),
    "reopen": ("Reopen the action", "“Completed” or “Verified by the QA sub-group”"),
}
LEGAL_FROM = {
    A.OPEN: {"start"},
    A.IN_PROGRESS: {"complete"},
    A.COMPLETED: {"verify", "reopen"},
    A.VERIFIED: {"reopen"},
}


@pytest.fixture
def lscb_action(walk):
    review = walk.at(ReviewState.ACTION_PLAN)
    return services.action_item_add(
        actor=walk.cast["manager"],
        review=review,
        agency=None,
        description="Publish bruising guidance.",
        owner="LSCB business manager",
        due_on=datetime.date(2027, 3, 1),
    )


def action_in(walk, item, state):
    manager, qa = walk.cast["manager"], walk.cast["qa"]
    if state == A.OPEN:
        return item
    item = services.action_item_move(actor=manager, item=item, move="start")
    if state == A.IN_PROGRESS:
        return item
    item = services.action_item_move(
        actor=manager, item=item, evidence="Guidance on the website.", move="complete"
    )
    if state == A.COMPLETED:
        return item
    return services.action_item_move(actor=qa, item=item, move="verify")


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(A))
def test_action_refuses_moves_from_other_states(walk, lscb_action, state):
    item = action_in(walk, lscb_action, state)
    assert item.state == state
    for name in sorted(set(TRANSITIONS) - LEGAL_FROM[state]):
        label, sources = TRANSITIONS[name]
        expected = f"Action item is at “{LABEL[state]}”: “{label}” can only be done at {sources}."
        assert unmet_preconditions(getattr(item, name)) == [expected]


@pytest.mark.django_db
def test_action_legal_moves(walk, lscb_action):
    manager, qa = walk.cast["manager"], walk.cast["qa"]
    item = services.action_item_move(actor=manager, item=lscb_action, move="start")
    assert item.state == A.IN_PROGRESS
    with pytest.raises(ActionNotAllowed) as refused:
        services.action_item_move(actor=manager, item=item, evidence="   ", move="complete")
    assert refused.value.reasons == ["Record the evidence that the action is complete."]
    assert ActionItem.objects.get(pk=item.pk).state == A.IN_PROGRESS

    item = services.action_item_move(
        actor=manager, item=item, evidence="Published on 1 March.", move="complete"
    )
    assert (item.state, item.evidence, item.completed_on is not None) == (
        A.COMPLETED,
        "Published on 1 March.",
        True,
    )
    item = services.action_item_move(actor=qa, item=item, note="The link is broken.", move="reopen")
    assert (item.state, item.completed_on) == (A.IN_PROGRESS, None)
    item = services.action_item_move(actor=manager, item=item, evidence="Link mended.", move="complete")
    item = services.action_item_move(actor=qa, item=item, move="verify")
    assert item.state == A.VERIFIED
    # Later evidence shows it did not work: the QA sub-group reopens a verified action, with a reason.
    with pytest.raises(ActionNotAllowed) as refused:
        services.action_item_move(actor=qa, item=item, note="  ", move="reopen")
    assert refused.value.reasons == ["Say why the action is reopened"]
    item = services.action_item_move(
        actor=qa, item=item, note="A second bruising case in May.", move="reopen"
    )
    assert (item.state, item.completed_on) == (A.IN_PROGRESS, None)


@pytest.mark.django_db
def test_only_the_qa_subgroup_verifies(walk, lscb_action):
    item = action_in(walk, lscb_action, A.COMPLETED)
    with pytest.raises(PermissionDenied):
        services.action_item_move(actor=walk.cast["manager"], item=item, move="verify")
    assert ActionItem.objects.get(pk=item.pk).state == A.COMPLETED


@pytest.mark.django_db
def test_agency_plan_is_written_by_its_own_agency_only(walk, lscb_action):
    review = lscb_action.plan.review
    with pytest.raises(PermissionDenied):
        services.action_item_add(
            actor=walk.cast["author2"],
            review=review,
            agency=walk.cast["hospital"],
            description="x",
            owner="y",
            due_on=datetime.date(2027, 1, 1),
        )


@pytest.mark.django_db
def test_database_refuses_a_completed_action_without_evidence(lscb_action):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.filter(pk=lscb_action.pk).update(state=A.COMPLETED, evidence="")
