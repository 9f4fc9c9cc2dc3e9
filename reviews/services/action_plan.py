import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from reviews import permissions as perms
from reviews.models import ActionItem, ActionPlan, MonitoringNote, Recommendation
from reviews.services.common import ActionNotAllowed, run_transition


@transaction.atomic
def recommendation_add(*, actor, review, text: str, imr=None) -> Recommendation:
    """Add the next numbered recommendation of an IMR, or of the overview report."""
    if imr is not None:
        if not perms.can_write_imr(actor, imr):
            raise PermissionDenied("Only the IMR's author records its recommendations.")
    elif not (perms.is_overview_author_of(actor, review) or perms.runs_reviews(actor)):
        raise PermissionDenied("Only the overview author records the overview's recommendations.")
    if not text.strip():
        raise ActionNotAllowed("Enter the recommendation.")
    siblings = Recommendation.objects.filter(review=review, imr=imr)
    number = siblings.count() + 1
    return Recommendation.objects.create(review=review, imr=imr, number=number, text=text.strip())


@transaction.atomic
def action_item_add(
    *, actor, review, agency, description: str, owner: str, due_on: datetime.date, recommendation=None
) -> ActionItem:
    """Add an action to the agency's action plan, or to the LSCB's when `agency` is None."""
    plan, _ = ActionPlan.objects.get_or_create(review=review, agency=agency)
    if not perms.can_update_action_plan(actor, plan):
        raise PermissionDenied("You may not change this action plan.")
    errors = []
    if not description.strip():
        errors.append("Enter what the action is.")
    if not owner.strip():
        errors.append("Enter who owns the action.")
    if recommendation is not None and recommendation.review_id != review.pk:
        errors.append("The recommendation belongs to another review.")
    if errors:
        raise ActionNotAllowed(errors)
    return ActionItem.objects.create(
        plan=plan,
        description=description.strip(),
        owner=owner.strip(),
        due_on=due_on,
        recommendation=recommendation,
    )


def _locked(item: ActionItem) -> ActionItem:
    return ActionItem.objects.select_for_update().select_related("plan").get(pk=item.pk)


@transaction.atomic
def action_item_start(*, actor, item: ActionItem) -> ActionItem:
    return run_transition(_locked(item), "start", actor=actor)


@transaction.atomic
def action_item_complete(*, actor, item: ActionItem, evidence: str) -> ActionItem:
    """Mark an action complete with the evidence for it."""
    item = _locked(item)
    item.evidence = evidence.strip()
    return run_transition(item, "complete", actor=actor, on=timezone.localdate())


@transaction.atomic
def action_item_verify(*, actor, item: ActionItem, note: str = "") -> ActionItem:
    """The QA sub-group confirms the action is done."""
    return run_transition(_locked(item), "verify", actor=actor, note=note)


@transaction.atomic
def action_item_reopen(*, actor, item: ActionItem, note: str) -> ActionItem:
    if not note.strip():
        raise ActionNotAllowed("Say why the action is reopened.")
    return run_transition(_locked(item), "reopen", actor=actor, note=note.strip())


@transaction.atomic
def monitoring_note_add(*, actor, item: ActionItem, note: str) -> MonitoringNote:
    if not perms.can_monitor_actions(actor):
        raise PermissionDenied("Only the QA sub-group records monitoring.")
    if not note.strip():
        raise ActionNotAllowed("Enter the monitoring note.")
    return MonitoringNote.objects.create(item=item, note=note.strip(), recorded_by=actor)
