import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from reviews import deadlines
from reviews import permissions as perms
from reviews.models import AuditEvent, Extension, Review
from reviews.services.common import Problems, audit_record, check_date, long_date

# An extension moves the due date by at most this many years: a later date is a typing mistake.
MAX_EXTENSION_YEARS = 3


@transaction.atomic
def review_extend(
    *, actor, review: Review, new_due_date: datetime.date, reason: str, agreed_by: str
) -> Extension:
    """Extend the review's due date; the original and earlier dates stay on record."""
    if not perms.can_extend_review(actor, review):
        raise PermissionDenied("Only the business manager records extensions.")
    review = Review.objects.select_for_update().get(pk=review.pk)
    problems = Problems()
    if not review.is_open:
        problems.add(f"A {review.get_state_display().lower()} review cannot be extended.")
    current = review.current_due_date
    if new_due_date is not None and new_due_date <= current:
        problems.add(
            f"The new due date must be after the current one, {long_date(current)}", field="new_due_date"
        )
    check_date(
        problems,
        new_due_date,
        field="new_due_date",
        what="the new due date",
        earliest=None,
        latest=deadlines.add_months(current, 12 * MAX_EXTENSION_YEARS),
        latest_is=f"the date {MAX_EXTENSION_YEARS} years after the current due date",
    )
    if not reason.strip():
        problems.add("Enter the reason for the extension", field="reason")
    if not agreed_by.strip():
        problems.add("Enter who agreed the extension", field="agreed_by")
    problems.raise_any()
    extension = Extension.objects.create(
        review=review,
        previous_due_date=current,
        new_due_date=new_due_date,
        reason=reason.strip(),
        agreed_by=agreed_by.strip(),
        recorded_by=actor,
    )
    review.current_due_date = new_due_date
    review.save(update_fields=["current_due_date", "updated_at"])
    refresh_next_due(review)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        obj=extension,
        review=review,
        summary=f"Extended from {long_date(current)} to {long_date(new_due_date)}",
    )
    return extension


def refresh_next_due(review) -> None:
    """Store the review's next undone milestone date (the lists sort and filter by it)."""
    Review.objects.filter(pk=review.pk).refresh_next_due()
    review.refresh_from_db(fields=["next_due_on"])


def milestone_mark_done(review, kind) -> None:
    """Mark a milestone of the review done today, if it is not yet, and move the review's next date on.

    Part of the services that complete the step (a move, the last agency's nomination): they
    write the audit row.
    """
    review.milestones.filter(kind=kind, done_on__isnull=True).update(done_on=timezone.localdate())
    refresh_next_due(review)
