import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from reviews import deadlines
from reviews import permissions as perms
from reviews.models import (
    ExternalBody,
    Milestone,
    Notification,
    NotificationKind,
    PanelDecision,
    PanelMeeting,
    Referral,
    Review,
    ReviewType,
)
from reviews.services.common import ActionNotAllowed, audit_record
from reviews.services.notifications import notifications_queue
from reviews.services.tor import tor_create


def _next_reference(model, prefix: str, year: int) -> str:
    stem = f"{prefix}-{year}-"
    taken = model.objects.filter(reference__startswith=stem).values_list("reference", flat=True)
    numbers = [int(ref.removeprefix(stem)) for ref in taken if ref.removeprefix(stem).isdigit()]
    return f"{stem}{max(numbers, default=0) + 1:03d}"


@transaction.atomic
def referral_log(
    *,
    actor,
    referring_agency,
    child_name: str,
    child_date_of_birth: datetime.date | None,
    child_unborn: bool,
    family_members: str,
    incident_date: datetime.date,
    incident_kind: str,
    summary: str,
    agencies_involved,
    police_investigating: bool,
) -> Referral:
    """Log a referral and queue notification 1 to the external bodies."""
    if not perms.can_log_referral(actor):
        raise PermissionDenied("You may not log referrals.")
    errors = []
    if child_unborn and child_date_of_birth:
        errors.append("An unborn child has no date of birth: enter one or the other.")
    if not child_unborn and child_date_of_birth is None:
        errors.append("Enter the child's date of birth, or say the child is unborn.")
    if child_date_of_birth and child_date_of_birth > timezone.localdate():
        errors.append("The child's date of birth must be in the past.")
    if incident_date > timezone.localdate():
        errors.append("The date of the incident must be today or in the past.")
    if errors:
        raise ActionNotAllowed(errors)
    referral = Referral.objects.create(
        reference=_next_reference(Referral, "REF", timezone.localdate().year),
        referring_agency=referring_agency,
        referred_by=actor,
        child_name=child_name,
        child_date_of_birth=child_date_of_birth,
        child_unborn=child_unborn,
        family_members=family_members,
        incident_date=incident_date,
        incident_kind=incident_kind,
        summary=summary,
        police_investigating=police_investigating,
    )
    referral.agencies_involved.set(agencies_involved)
    audit_record(actor=actor, action="created", obj=referral, summary=f"Logged referral {referral}")
    notifications_queue(
        referral=referral,
        kind=NotificationKind.REFERRAL_TO_PANEL,
        bodies=ExternalBody.objects.filter(is_active=True, receives_referral_notices=True),
    )
    return referral


@transaction.atomic
def panel_meeting_record(
    *, actor, held_on: datetime.date, attendees, other_attendees: str = ""
) -> PanelMeeting:
    """Record a panel meeting and who attended."""
    if not perms.is_panel(actor):
        raise PermissionDenied("Only the panel records its meetings.")
    meeting = PanelMeeting.objects.create(held_on=held_on, chair=actor, other_attendees=other_attendees)
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def referral_decide(
    *,
    actor,
    referral: Referral,
    meeting: PanelMeeting,
    criteria: dict[str, bool],
    outcome: str,
    rationale: str,
    criterion_a_justification: str = "",
) -> PanelDecision:
    """Record the panel's decision; any review decided on opens and its clock starts."""
    if not perms.can_decide_referral(actor):
        raise PermissionDenied("Only the panel decides on referrals.")
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.is_decided:
        raise ActionNotAllowed(f"The panel has already decided on referral {referral}.")
    missing = [name for name in PanelDecision.CRITERIA if name not in criteria]
    if missing:
        raise ActionNotAllowed([f"Say whether {PanelDecision.CRITERIA[name].lower()}." for name in missing])
    justification = criterion_a_justification.strip()
    if criteria["criterion_a"] and outcome != PanelDecision.Outcome.SCR and not justification:
        raise ActionNotAllowed(
            "The child died and abuse or neglect is suspected, so the panel should hold a serious "
            "case review: explain why it decided otherwise."
        )
    if not rationale.strip():
        raise ActionNotAllowed("Enter the panel's rationale for the decision.")
    if meeting.held_on < referral.received_at.date() - datetime.timedelta(days=1):
        raise ActionNotAllowed("The panel meeting cannot be before the referral was received.")
    decision = PanelDecision.objects.create(
        referral=referral,
        meeting=meeting,
        outcome=outcome,
        rationale=rationale.strip(),
        criterion_a_justification=justification,
        decided_by=actor,
        **{name: bool(criteria[name]) for name in PanelDecision.CRITERIA},
    )
    audit_record(
        actor=actor, action="decided", obj=decision, summary=f"{referral}: {decision.get_outcome_display()}"
    )
    if outcome != PanelDecision.Outcome.NO_REVIEW:
        review_open(referral=referral, review_type=outcome, decision_date=meeting.held_on, actor=actor)
    return decision


def review_open(*, actor, referral: Referral, review_type: str, decision_date: datetime.date) -> Review:
    """Open the review decided on, with its due date and milestones computed and stored."""
    months = settings.REVIEW_TIMEFRAME_MONTHS[review_type]
    due = deadlines.review_due_date(decision_date, months)
    prefix = {ReviewType.SCR: "SCR", ReviewType.CASE_REVIEW: "CR", ReviewType.MANAGEMENT_REVIEW: "MR"}
    review = Review.objects.create(
        reference=_next_reference(Review, prefix[review_type], decision_date.year),
        referral=referral,
        review_type=review_type,
        decision_date=decision_date,
        due_date=due,
        current_due_date=due,
        police_investigation_open=referral.police_investigating,
    )
    offsets = deadlines.milestone_due_dates(decision_date, settings.REVIEW_MILESTONE_OFFSET_DAYS)
    Milestone.objects.bulk_create(
        [Milestone(review=review, kind=kind, due_on=due_on) for kind, due_on in offsets.items()]
        + [Milestone(review=review, kind=Milestone.Kind.REVIEW_COMPLETE, due_on=due)]
    )
    for agency in referral.agencies_involved.all():
        review.participations.create(agency=agency)
    tor_create(review=review)
    Notification.objects.filter(referral=referral, review__isnull=True).update(review=review)
    audit_record(actor=actor, action="created", obj=review, review=review, summary=f"Opened {review}")
    return review
