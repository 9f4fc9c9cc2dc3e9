"""Monitoring an action to completion: its owner's progress and evidence, the QA sub-group's notes.

Every change by the action's owner stamps its `last_update_at` ("last update", which the monitoring
page shows and sorts by: a silent owner shows), and every change writes its row to the review's activity log. The action is locked first (then the review, as
every service does), so that evidence added as the QA sub-group verifies the action is either
in before the verification or refused after it.
"""

import unicodedata

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from reviews import deadlines
from reviews import permissions as perms
from reviews.models import (
    ActionItem,
    AuditEvent,
    Document,
    DocumentVersion,
    MonitoringNote,
    OutboxMessage,
    ProgressUpdate,
)
from reviews.services.action_plan import MAX_ACTION_YEARS
from reviews.services.chronology import RealNames
from reviews.services.common import ActionNotAllowed, Problems, audit_record, check_date, refuse_if_withdrawn
from reviews.services.documents import document_add_version
from reviews.services.outbox import message_queue, site_link

NOTE_MAX = 5000
TITLE_MAX = 200


def check_no_real_names(problems: Problems, review, *, field: str, text: str) -> None:
    """Refuse a real name from the review's identity register: monitoring is read by the board and QA."""
    pseudonym = RealNames(review).find(text)
    if pseudonym is not None:
        problems.add(f"Use the pseudonym “{pseudonym}”, not a real name", field=field)


def visible_title(title: str) -> str:
    """A title as it reads: spaces collapsed, and no format characters (zero-width, right-to-left override)."""
    return " ".join("".join(c for c in title if unicodedata.category(c) != "Cf").split())


def action_touch(item: ActionItem) -> None:
    """Record that the action changed now."""
    ActionItem.objects.filter(pk=item.pk).update(last_update_at=timezone.now())


def _locked(item: ActionItem) -> ActionItem:
    item = ActionItem.objects.select_for_update(of=("self",)).select_related("plan__review").get(pk=item.pk)
    refuse_if_withdrawn(item.plan.review_id, what="its action plans")
    return item


def _owner_only(actor, item: ActionItem, what: str) -> None:
    if not perms.can_update_action(actor, item):
        who = (
            "the business manager"
            if item.plan.is_lscb_plan
            else f"{item.plan.agency}'s senior manager or IMR author"
        )
        raise PermissionDenied(f"Only {who} {what} for this action.")
    if item.state == ActionItem.State.VERIFIED:
        raise ActionNotAllowed(
            "The QA sub-group has verified this action: it changes again only if the QA sub-group reopens it."
        )


def _note(problems: Problems, note: str, *, field: str, missing: str) -> str:
    note = note.strip()
    if not note:
        problems.add(missing, field=field)
    elif len(note) > NOTE_MAX:
        problems.add(f"The note must be {NOTE_MAX:,} characters or fewer", field=field)
    return note


@transaction.atomic
def action_progress_record(*, actor, item: ActionItem, note: str) -> ProgressUpdate:
    """The owner records how the action is going."""
    item = _locked(item)
    _owner_only(actor, item, "records progress")
    problems = Problems()
    note = _note(problems, note, field="note", missing="Enter the progress made")
    check_no_real_names(problems, item.plan.review, field="note", text=note)
    problems.raise_any()
    update = ProgressUpdate.objects.create(item=item, note=note, recorded_by=actor)
    if item.state == ActionItem.State.OPEN:
        # Progress on an action not yet started means it has started.
        from reviews.services.moves import _action_item_move

        _action_item_move(actor=actor, item=item, move="start", note="", evidence="")
    action_touch(item)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        obj=update,
        review=item.plan.review,
        summary=f"Progress recorded on action {item.pk}",
    )
    return update


@transaction.atomic
def action_evidence_add(
    *, actor, item: ActionItem, title: str, content: bytes, filename: str
) -> DocumentVersion:
    """The owner uploads a new piece of evidence for the action: a PDF or Word document, checked by content."""
    item = _locked(item)
    _owner_only(actor, item, "uploads evidence")
    problems = Problems()
    title = visible_title(title)
    if not title:
        problems.add("Enter what the evidence is", field="title")
    elif len(title) > TITLE_MAX:
        problems.add(f"The title must be {TITLE_MAX} characters or fewer", field="title")
    elif item.evidence_documents.filter(title__iexact=title).exists():
        problems.add(
            f"This action already has evidence called “{title}”: upload a new version of it instead",
            field="title",
        )
    check_no_real_names(problems, item.plan.review, field="title", text=title)
    problems.raise_any()
    document = Document.objects.create(
        review=item.plan.review, action=item, kind=Document.Kind.ACTION_EVIDENCE, title=title
    )
    version = document_add_version(actor=actor, document=document, content=content, filename=filename)
    action_touch(item)
    return version


@transaction.atomic
def action_evidence_version_add(
    *, actor, document: Document, content: bytes, filename: str
) -> DocumentVersion:
    """The owner uploads a new version of a piece of evidence; earlier versions are kept."""
    if document.kind != Document.Kind.ACTION_EVIDENCE:
        raise ActionNotAllowed("That document is not evidence for an action.")
    item = _locked(document.action)
    _owner_only(actor, item, "uploads evidence")
    version = document_add_version(actor=actor, document=document, content=content, filename=filename)
    action_touch(item)
    return version


@transaction.atomic
def monitoring_note_add(*, actor, item: ActionItem, note: str) -> MonitoringNote:
    """Record the QA sub-group's monitoring of an action."""
    if not perms.can_monitor_actions(actor):
        raise PermissionDenied("Only the QA sub-group records monitoring.")
    item = _locked(item)
    problems = Problems()
    note = _note(problems, note, field="note", missing="Enter the monitoring note")
    check_no_real_names(problems, item.plan.review, field="note", text=note)
    problems.raise_any()
    # Not an update from the owner: "last update" stays theirs, so a silent owner shows.
    monitoring = MonitoringNote.objects.create(item=item, note=note, recorded_by=actor)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        obj=monitoring,
        review=item.plan.review,
        summary=f"Monitoring note on action {item.pk}",
    )
    return monitoring


@transaction.atomic
def action_due_date_change(*, actor, item: ActionItem, due_on, reason: str) -> MonitoringNote:
    """The QA sub-group records a new due date agreed with the owner; the change and its reason are its note."""
    if not perms.can_monitor_actions(actor):
        raise PermissionDenied("Only the QA sub-group agrees a new due date.")
    item = _locked(item)
    if item.state in ActionItem.DONE:
        raise ActionNotAllowed("The action is done: its due date no longer changes.")
    problems = Problems()
    reason = _note(problems, reason, field="reason", missing="Say why the due date changes")
    check_no_real_names(problems, item.plan.review, field="reason", text=reason)
    if due_on == item.due_on:
        problems.add(f"The action is already due on {due_on:%-d %B %Y}", field="due_on")
    check_date(
        problems,
        due_on,
        field="due_on",
        what="the new due date",
        earliest=timezone.localdate(),
        earliest_is="today",
        latest=deadlines.add_months(timezone.localdate(), 12 * MAX_ACTION_YEARS),
        latest_is=f"{MAX_ACTION_YEARS} years from today",
    )
    problems.raise_any()
    was = item.due_on
    ActionItem.objects.filter(pk=item.pk).update(due_on=due_on)
    note = MonitoringNote.objects.create(
        item=item,
        note=f"Due date moved from {was:%-d %B %Y} to {due_on:%-d %B %Y}: {reason}",
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        obj=item,
        review=item.plan.review,
        summary=f"Action {item.pk} now due {due_on:%-d %B %Y} (was {was:%-d %B %Y})",
    )
    return note


def owner_addresses(item: ActionItem) -> list[str]:
    """Who owns the action, by e-mail: the agency's senior managers and its IMR author, or the business managers."""
    from agencies.models import User
    from agencies.roles import Role

    people = User.objects.filter(is_active=True).exclude(email="")
    if item.plan.is_lscb_plan:
        owners = people.filter(groups__name=Role.BUSINESS_MANAGER)
    else:
        owners = people.filter(
            Q(groups__name=Role.AGENCY_SENIOR_MANAGER, agency_id=item.plan.agency_id)
            | Q(
                imrs__participation__review_id=item.plan.review_id,
                imrs__participation__agency_id=item.plan.agency_id,
            )
        )
    return sorted(set(owners.values_list("email", flat=True)))


def owners_tell(*, actor, item: ActionItem, move: str) -> None:
    """E-mail the action's owners that the QA sub-group verified or reopened it: no content, a link."""
    to = owner_addresses(item)
    if not to:
        return
    review = item.plan.review
    message_queue(
        actor=actor,
        kind=OutboxMessage.Kind.ACTION_NEWS,
        template="action-monitored",
        key=f"action-{move}:{item.pk}:{timezone.now().isoformat()}",
        to=to,
        context={
            "reference": review.reference,
            "plan": f"{item.plan.agency}'s action plan" if item.plan.agency_id else "LSCB action plan",
            "verified": move == "verify",
            "link": site_link(reverse("reviews:action-detail", args=[item.pk])),
        },
        review=review,
    )
