"""Recommendations and the action plans that answer them."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from reviews import deadlines
from reviews import permissions as perms
from reviews.models import (
    ActionItem,
    ActionPlan,
    AuditEvent,
    Recommendation,
    Review,
    ReviewState,
)
from reviews.services.chronology import writable_imr
from reviews.services.common import ActionNotAllowed, Problems, audit_record, check_date
from reviews.services.overview import writable_overview

# An action is due within this many years: a later date is a typing mistake.
MAX_ACTION_YEARS = 5


@transaction.atomic
def recommendation_add(*, actor, review, text: str, imr=None) -> Recommendation:
    """Add the next numbered recommendation of an IMR, or of the overview report."""
    if imr is not None:
        # Numbers are per IMR: the lock on the IMR makes two adds at once 1 and 2, and refuses an add
        # that meets a submission. The IMR is locked before the review, as every IMR service does.
        imr = writable_imr(actor, imr)
    else:
        # The overview's numbers: the lock on the review makes two adds at once 1 and 2.
        review = writable_overview(actor, review)
    if not text.strip():
        raise ActionNotAllowed({"text": ["Enter the recommendation"]})
    siblings = Recommendation.objects.filter(review=review, imr=imr)
    number = (siblings.aggregate(n=Max("number"))["n"] or 0) + 1
    recommendation = Recommendation.objects.create(review=review, imr=imr, number=number, text=text.strip())
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        obj=recommendation,
        review=review,
        summary=f"{'IMR' if imr else 'Overview'} recommendation {number} recorded",
    )
    return recommendation


@transaction.atomic
def recommendation_change(*, actor, recommendation: Recommendation, text: str) -> Recommendation:
    """Reword a recommendation; its number stays."""
    if recommendation.imr_id is not None:
        # The IMR locked first: a change that meets a submission is refused.
        writable_imr(actor, recommendation.imr)
    else:
        # The review locked first, as recommendation_add locks it: a change that meets the report's
        # move to the board is refused.
        writable_overview(actor, recommendation.review)
    recommendation = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("review", "imr")
        .get(pk=recommendation.pk)
    )
    review, imr = recommendation.review, recommendation.imr
    if not text.strip():
        raise ActionNotAllowed({"text": ["Enter the recommendation"]})
    if text.strip() == recommendation.text:
        return recommendation
    recommendation.text = text.strip()
    recommendation.save(update_fields=["text"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        obj=recommendation,
        review=review,
        summary=f"{'IMR' if imr else 'Overview'} recommendation {recommendation.number} reworded",
    )
    return recommendation


@transaction.atomic
def action_item_add(
    *,
    actor,
    review,
    agency,
    description: str,
    owner: str,
    due_on: datetime.date,
    success_measure: str = "",
    recommendation=None,
    owner_agency=None,
) -> ActionItem:
    """Add an action to the agency's action plan, or to the LSCB's when `agency` is None.

    An action of the LSCB plan is owned by `owner_agency`, or by the LSCB itself when that is None;
    an agency's own plan is owned by the agency.
    """
    probe = ActionPlan(review=review, agency=agency)
    if not perms.can_update_action_plan(actor, probe):
        raise PermissionDenied("You may not change this action plan.")
    problems = Problems()
    if agency is not None and owner_agency is not None and owner_agency.pk != agency.pk:
        problems.add(f"An action of {agency}'s action plan is owned by {agency}", field="owner_agency")
    if not description.strip():
        problems.add("Enter what the action is", field="description")
    if not owner.strip():
        problems.add("Enter who owns the action", field="owner")
    today = timezone.localdate()
    check_date(
        problems,
        due_on,
        field="due_on",
        what="the due date",
        earliest=review.decision_date,
        earliest_is="the date of the panel's decision",
        latest=deadlines.add_months(today, 12 * MAX_ACTION_YEARS),
        latest_is=f"{MAX_ACTION_YEARS} years from today",
    )
    if recommendation is not None:
        if recommendation.review_id != review.pk:
            problems.add("The recommendation belongs to another review", field="recommendation")
        elif agency is None and recommendation.imr_id is not None:
            problems.add(
                "The LSCB action plan answers the overview report's recommendations", field="recommendation"
            )
        elif agency is not None and (
            recommendation.imr_id is None or recommendation.imr.participation.agency_id != agency.pk
        ):
            problems.add(f"Choose one of {agency}'s IMR recommendations", field="recommendation")
    problems.raise_any()
    if (
        recommendation is not None
        and recommendation.imr_id is not None
        and not (perms.is_agency_manager_for(actor, agency.pk) or perms.runs_reviews(actor))
    ):
        # The IMR's author plans actions while the IMR is editable: locked, so an add that meets a
        # submission is refused.
        writable_imr(actor, recommendation.imr)
    # The review locked (after any IMR, as every service does) and its stage read again: an action
    # added as the review closes is refused, never left open on a closed review.
    stage = Review.objects.select_for_update().values_list("state", flat=True).get(pk=review.pk)
    if stage == ReviewState.CLOSED:
        raise ActionNotAllowed("The review is closed: its action plans no longer change.")
    if stage == ReviewState.WITHDRAWN:
        raise ActionNotAllowed("The review has been withdrawn: its action plans can no longer be changed.")
    if agency is None and stage in (*Review.BEFORE_BOARD, ReviewState.AT_BOARD):
        raise ActionNotAllowed(
            "The LSCB action plan is built from the overview report's recommendations once the board "
            "has approved the report"
        )
    plan, _ = ActionPlan.objects.get_or_create(review=review, agency=agency)
    item = ActionItem.objects.create(
        plan=plan,
        description=description.strip(),
        owner=owner.strip(),
        due_on=due_on,
        success_measure=success_measure.strip(),
        recommendation=recommendation,
        owner_agency=owner_agency if agency is None else None,
        last_update_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        obj=item,
        review=review,
        summary=f"Action added to the {plan}",
    )
    return item
