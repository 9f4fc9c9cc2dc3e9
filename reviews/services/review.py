import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from reviews import permissions as perms
from reviews.models import (
    BoardDecision,
    CounsellingOffer,
    Extension,
    InvolvedStaff,
    Milestone,
    PoliceAdvice,
    Review,
    StaffSupportMeeting,
)
from reviews.services.common import ActionNotAllowed, audit_record, run_transition
from reviews.services.participation import _independence_problems

# Milestones a stage move completes.
MILESTONE_DONE_BY = {
    "complete_imrs": Milestone.Kind.IMRS_SUBMITTED,
    "send_to_board": Milestone.Kind.OVERVIEW_TO_BOARD,
    "close": Milestone.Kind.REVIEW_COMPLETE,
}


def _locked(review: Review) -> Review:
    return Review.objects.select_for_update().get(pk=review.pk)


@transaction.atomic
def review_move(*, actor, review: Review, transition: str, note: str = "") -> Review:
    """Move a review to its next stage, if the actor may and every precondition is met."""
    if transition in {"agree_terms_of_reference", "board_approve", "board_return"}:
        raise ValueError(f"Use the dedicated service for {transition}.")
    review = run_transition(_locked(review), transition, actor=actor, note=note)
    kind = MILESTONE_DONE_BY.get(transition)
    if kind:
        review.milestones.filter(kind=kind, done_on__isnull=True).update(done_on=timezone.localdate())
    return review


@transaction.atomic
def review_board_decide(*, actor, review: Review, approve: bool, note: str = "") -> BoardDecision:
    """Record the board's approval of the overview report, or its return with reasons."""
    if not approve and not note.strip():
        raise ActionNotAllowed("Say why the board is returning the overview report.")
    review = run_transition(
        _locked(review), "board_approve" if approve else "board_return", actor=actor, note=note.strip()
    )
    decision = BoardDecision.objects.create(
        review=review,
        outcome=BoardDecision.Outcome.APPROVED if approve else BoardDecision.Outcome.RETURNED,
        note=note.strip(),
        decided_by=actor,
    )
    audit_record(
        actor=actor, action="decided", obj=decision, review=review, summary=decision.get_outcome_display()
    )
    return decision


@transaction.atomic
def review_extend(
    *, actor, review: Review, new_due_date: datetime.date, reason: str, agreed_by: str
) -> Extension:
    """Extend the review's due date; the original and earlier dates stay on record."""
    if not perms.can_extend_review(actor, review):
        raise PermissionDenied("Only the business manager records extensions.")
    review = _locked(review)
    errors = []
    if not review.is_open:
        errors.append("A closed review cannot be extended.")
    if new_due_date <= review.current_due_date:
        errors.append(f"The new due date must be after the current one, {review.current_due_date:%-d %B %Y}.")
    if not reason.strip():
        errors.append("Enter the reason for the extension.")
    if not agreed_by.strip():
        errors.append("Enter who agreed the extension.")
    if errors:
        raise ActionNotAllowed(errors)
    extension = Extension.objects.create(
        review=review,
        previous_due_date=review.current_due_date,
        new_due_date=new_due_date,
        reason=reason.strip(),
        agreed_by=agreed_by.strip(),
        recorded_by=actor,
    )
    review.current_due_date = new_due_date
    review.save(update_fields=["current_due_date", "updated_at"])
    audit_record(
        actor=actor,
        action="changed",
        obj=extension,
        review=review,
        summary=f"Extended to {new_due_date:%d %B %Y}",
    )
    return extension


@transaction.atomic
def police_advice_record(
    *, actor, review: Review, given_on: datetime.date, source: str, advice: str
) -> PoliceAdvice:
    """Record the police's current advice on what staff may discuss."""
    if not perms.can_record_police_advice(actor, review):
        raise PermissionDenied("Only the business manager records police advice.")
    if not advice.strip() or not source.strip():
        raise ActionNotAllowed("Enter the advice and who gave it.")
    if given_on > timezone.localdate():
        raise ActionNotAllowed("The advice must have been given: enter today's date or a past one.")
    return PoliceAdvice.objects.create(
        review=review, given_on=given_on, source=source.strip(), advice=advice.strip(), recorded_by=actor
    )


@transaction.atomic
def review_set_police_investigation(*, actor, review: Review, is_open: bool) -> Review:
    """Open or close the police investigation flag."""
    if not perms.can_record_police_advice(actor, review):
        raise PermissionDenied("Only the business manager records the police investigation.")
    review = _locked(review)
    review.police_investigation_open = is_open
    review.save(update_fields=["police_investigation_open", "updated_at"])
    return review


@transaction.atomic
def involved_staff_add(
    *,
    actor,
    review: Review,
    agency,
    pseudonym: str,
    real_name: str,
    role_title: str,
    email: str = "",
    user=None,
) -> InvolvedStaff:
    """Record a member of staff involved in the case, under a pseudonym."""
    if not perms.runs_reviews(actor):
        raise PermissionDenied("Only the panel and the business manager record staff involved.")
    if review.involved_staff.filter(pseudonym__iexact=pseudonym.strip()).exists():
        raise ActionNotAllowed(f"The pseudonym “{pseudonym}” is already used in this review.")
    staff = InvolvedStaff.objects.create(
        review=review,
        agency=agency,
        pseudonym=pseudonym.strip(),
        real_name=real_name.strip(),
        role_title=role_title.strip(),
        email=email,
        user=user,
    )
    audit_record(
        actor=actor, action="created", obj=staff, review=review, summary=f"Recorded {staff.pseudonym}"
    )
    return staff


@transaction.atomic
def support_meeting_record(
    *, actor, review: Review, kind: str, held_on: datetime.date, attendees=(), notes: str = ""
) -> StaffSupportMeeting:
    """Record a staff support meeting hosted by the LSCB."""
    if not perms.can_organise_staff_support(actor, review):
        raise PermissionDenied("Only the business manager records staff support meetings.")
    if held_on > timezone.localdate():
        raise ActionNotAllowed("Record a meeting once it has been held: the date is in the future.")
    meeting = StaffSupportMeeting.objects.create(
        review=review, kind=kind, held_on=held_on, notes=notes, recorded_by=actor
    )
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def overview_author_commission(*, actor, review: Review, author) -> Review:
    """Commission the independent overview author; the grant follows the assignment."""
    from agencies.roles import Role

    if not perms.can_commission_overview(actor, review):
        raise PermissionDenied("Only the panel and the business manager commission the overview author.")
    review = _locked(review)
    if not author.has_role(Role.OVERVIEW_AUTHOR):
        raise ActionNotAllowed(f"{author} is not registered as an overview author.")
    problems = _independence_problems(user=author, review=review)
    if problems:
        raise ActionNotAllowed(problems)
    review.overview_author = author
    review.overview_declaration_signed_at = None
    review.save(update_fields=["overview_author", "overview_declaration_signed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="assigned",
        obj=review,
        review=review,
        summary=f"{author} commissioned as overview author",
    )
    return review


@transaction.atomic
def overview_sign_declaration(*, actor, review: Review) -> Review:
    review = _locked(review)
    if review.overview_author_id != actor.pk:
        raise PermissionDenied("Only the overview author signs their declaration.")
    problems = _independence_problems(user=actor, review=review)
    if problems:
        raise ActionNotAllowed(problems)
    review.overview_declaration_signed_at = timezone.now()
    review.save(update_fields=["overview_declaration_signed_at", "updated_at"])
    return review


@transaction.atomic
def counselling_offer_record(
    *, actor, staff: InvolvedStaff, offered_on: datetime.date, offered_by: str, response: str
) -> CounsellingOffer:
    """Record counselling or other support offered to a member of staff involved."""
    if not perms.can_organise_staff_support(actor, staff.review):
        raise PermissionDenied("Only the business manager records counselling offers.")
    if offered_on > timezone.localdate():
        raise ActionNotAllowed("Record an offer once it has been made: the date is in the future.")
    return CounsellingOffer.objects.create(
        staff=staff, offered_on=offered_on, offered_by=offered_by.strip(), response=response
    )
