"""An agency asked to take part: its case files secured, and its IMR author nominated."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from reviews import permissions as perms
from reviews.models import AgencyParticipation, AuditEvent, Milestone
from reviews.models.review_states import AWAITING_AGENCIES
from reviews.services.common import ActionNotAllowed, audit_record
from reviews.services.timetable import milestone_mark_done


def check_engagement(actor, participation) -> None:
    """Refuse unless `actor` may engage the agency now."""
    if not perms.can_engage_agency(actor, participation):
        raise PermissionDenied("Only the agency's senior manager engages the agency.")
    # An agency secures files and (re)nominates its author from the agreed ToR until its IMR is under way:
    # a replacement author may still be needed while the IMRs are in progress.
    if participation.review.state not in AWAITING_AGENCIES:
        raise ActionNotAllowed(
            f"The review is at “{participation.review.get_state_display()}”: agencies are engaged "
            "once the terms of reference are agreed, until the IMRs are submitted."
        )


def mark_agencies_milestone(review) -> None:
    """Mark "IMR authors nominated, files secured" done once every agency has done both."""
    ready = all(p.files_secured_at and hasattr(p, "imr") for p in review.participations.select_related("imr"))
    if ready:
        milestone_mark_done(review, Milestone.Kind.AUTHORS_NOMINATED)


@transaction.atomic
def participation_secure_files(
    *, actor, participation: AgencyParticipation, originals_location: str, copies_made: bool
) -> AgencyParticipation:
    """Confirm the agency's case files are secured: where the originals are, whether copies were made."""
    participation = (
        AgencyParticipation.objects.select_for_update(of=("self",))
        .select_related("review", "agency")
        .get(pk=participation.pk)
    )
    check_engagement(actor, participation)
    if not originals_location.strip():
        raise ActionNotAllowed(
            {"originals_location": ["Enter where the original case files are locked away"]}
        )
    participation.files_secured_at = timezone.now()
    participation.files_secured_by = actor
    participation.originals_location = originals_location.strip()
    participation.copies_made = copies_made
    participation.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        obj=participation,
        review=participation.review,
        summary=f"{participation.agency} secured its case files",
    )
    mark_agencies_milestone(participation.review)
    return participation
