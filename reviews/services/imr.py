import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from reviews import permissions as perms
from reviews.models import IMR, ChronologyEntry, Interview
from reviews.services.common import ActionNotAllowed, audit_record, run_transition


def _locked(imr: IMR) -> IMR:
    return (
        IMR.objects.select_for_update()
        .select_related("participation__review", "participation__agency")
        .get(pk=imr.pk)
    )


@transaction.atomic
def imr_start(*, actor, imr: IMR) -> IMR:
    """Start work on the IMR once the author has signed the declaration."""
    return run_transition(_locked(imr), "start", actor=actor)


@transaction.atomic
def imr_submit(*, actor, imr: IMR, note: str = "") -> IMR:
    """Submit the IMR; it becomes read-only for its author."""
    return run_transition(_locked(imr), "submit", actor=actor, note=note, at=timezone.now())


@transaction.atomic
def imr_return_for_work(*, actor, imr: IMR, note: str) -> IMR:
    """Return a submitted IMR to its author with the overview author's critique."""
    if not note.strip():
        raise ActionNotAllowed("Say what more work the IMR needs.")
    return run_transition(_locked(imr), "return_for_work", actor=actor, note=note.strip())


@transaction.atomic
def imr_accept(*, actor, imr: IMR, note: str = "") -> IMR:
    """Accept a submitted IMR into the overview."""
    return run_transition(_locked(imr), "accept", actor=actor, note=note)


@transaction.atomic
def imr_record_feedback(*, actor, imr: IMR, held_on: datetime.date) -> IMR:
    """Record the author's feedback meeting with the agency's staff (guide §6.4)."""
    imr = _locked(imr)
    if imr.author_id != actor.pk:
        raise PermissionDenied("Only the IMR's author records the feedback meeting.")
    if not imr.is_submitted:
        raise ActionNotAllowed("Feed back to staff once the IMR is submitted.")
    if held_on > timezone.localdate():
        raise ActionNotAllowed("The feedback meeting must have been held: enter a date in the past.")
    imr.feedback_meeting_on = held_on
    imr.save(update_fields=["feedback_meeting_on"])
    audit_record(
        actor=actor,
        action="changed",
        obj=imr,
        review=imr.participation.review,
        summary=f"Feedback meeting on {held_on:%d %B %Y} recorded",
    )
    return imr


def _writable(actor, imr: IMR) -> IMR:
    imr = _locked(imr)
    if not perms.can_write_imr(actor, imr):
        if imr.author_id == actor.pk and not imr.is_editable:
            raise ActionNotAllowed("The IMR has been submitted and can no longer be changed.")
        raise PermissionDenied("Only the IMR's author writes it.")
    return imr


@transaction.atomic
def chronology_entry_add(*, actor, imr: IMR, **fields) -> ChronologyEntry:
    """Add one row to the IMR's chronology."""
    imr = _writable(actor, imr)
    entry = ChronologyEntry(imr=imr, **fields)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def interview_record(
    *, actor, imr: IMR, staff, held_on: datetime.date, tor_shared_on: datetime.date, notes: str = ""
) -> Interview:
    """Record an interview with a member of staff, and when the ToR was shared with them."""
    imr = _writable(actor, imr)
    if staff.review_id != imr.participation.review_id:
        raise ActionNotAllowed(f"{staff} is not recorded as staff involved in this review.")
    if tor_shared_on > held_on:
        raise ActionNotAllowed(
            "Share the terms of reference with the interviewee before or at the interview."
        )
    return Interview.objects.create(
        imr=imr, staff=staff, held_on=held_on, tor_shared_on=tor_shared_on, notes=notes
    )
