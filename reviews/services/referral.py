import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reviews import deadlines
from reviews import permissions as perms
from reviews.models import (
    AuditEvent,
    ExternalBody,
    Milestone,
    Notification,
    NotificationKind,
    OutboxMessage,
    PanelDecision,
    PanelDecisionRevision,
    PanelMeeting,
    ReferenceCounter,
    Referral,
    Review,
    ReviewType,
    TermsOfReference,
)
from reviews.services.common import ActionNotAllowed, Problems, audit_record, check_date, long_date
from reviews.services.notifications import notifications_queue
from reviews.services.timetable import refresh_next_due

REVIEW_PREFIX = {ReviewType.SCR: "SCR", ReviewType.CASE_REVIEW: "CR", ReviewType.MANAGEMENT_REVIEW: "MR"}
# A referral for the same child within this time is probably the same one submitted twice.
DUPLICATE_WINDOW = datetime.timedelta(hours=24)


def next_reference(prefix: str, year: int) -> str:
    """Allocate the next reference of a kind and year, e.g. REF-2026-007; safe when many ask at once.

    The counter row is created if missing (a conflict with a concurrent creation is
    ignored), then locked: concurrent callers wait for each other's commit. The
    caller must be inside a transaction.
    """
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(prefix=prefix, year=year, last_number=0)], ignore_conflicts=True
    )
    counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
    ReferenceCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    return f"{prefix}-{year}-{counter.last_number + 1:03d}"


def _earlier_referral_for(agency, child_name: str, child_date_of_birth, since) -> Referral | None:
    # Only the agency's own referrals: telling one agency what another has referred would leak it.
    return (
        Referral.objects.filter(
            referring_agency=agency,
            child_name__iexact=child_name.strip(),
            child_date_of_birth=child_date_of_birth,
            received_at__gte=since,
        )
        .order_by("-received_at")
        .first()
    )


@transaction.atomic
def referral_log(
    *,
    actor,
    child_name: str,
    child_date_of_birth: datetime.date | None,
    child_unborn: bool,
    family_members: str,
    incident_date: datetime.date,
    incident_kind: str,
    summary: str,
    agencies_involved,
    police_investigating: bool,
    log_another: bool = False,
) -> Referral:
    """Log a referral in the referrer's own agency's name and queue notification 1 to the external bodies.

    A referral for the same child in the last day is refused unless `log_another`
    says the referrer means to log a second one: a resubmitted form must not
    reach the panel, and GOL and Ofsted, twice.
    """
    if not perms.can_log_referral(actor):
        raise PermissionDenied("Only an agency's safeguarding lead logs referrals.")
    today = timezone.localdate()
    problems = Problems()
    if not child_name.strip():
        problems.add("Enter the child's full name", field="child_name")
    if child_unborn and child_date_of_birth:
        problems.add("Leave the date of birth empty for an unborn child", field="child_date_of_birth")
    if not child_unborn and child_date_of_birth is None:
        problems.add(
            "Enter the child's date of birth, or say the child is unborn", field="child_date_of_birth"
        )
    check_date(
        problems, incident_date, field="incident_date", what="the date of the incident", not_future=True
    )
    check_date(
        problems,
        child_date_of_birth,
        field="child_date_of_birth",
        what="the child's date of birth",
        latest=incident_date if incident_date and incident_date <= today else today,
        latest_is="the date of the incident" if incident_date and incident_date <= today else "",
    )
    if not summary.strip():
        problems.add("Enter a summary of the incident", field="summary")
    if not list(agencies_involved):
        problems.add("Select the agencies involved with the child or family", field="agencies_involved")
    problems.raise_any()
    # Taking the reference first locks the year's counter: a resubmission waits here for the first to commit.
    reference = next_reference("REF", today.year)
    earlier = _earlier_referral_for(
        actor.agency, child_name, child_date_of_birth, timezone.now() - DUPLICATE_WINDOW
    )
    if earlier is not None and not log_another:
        raise ActionNotAllowed(
            {
                "log_another": [
                    f"{earlier.referring_agency} logged a referral for {earlier.child_name} on "
                    f"{timezone.localtime(earlier.received_at):%-d %B %Y at %H:%M} ({earlier.reference}). "
                    "If this is a different referral, confirm you want to log another"
                ]
            }
        )
    referral = Referral.objects.create(
        reference=reference,
        referring_agency=actor.agency,
        referred_by=actor,
        child_name=child_name.strip(),
        child_date_of_birth=child_date_of_birth,
        child_unborn=child_unborn,
        family_members=family_members.strip(),
        incident_date=incident_date,
        incident_kind=incident_kind,
        summary=summary.strip(),
        police_investigating=police_investigating,
    )
    referral.agencies_involved.set(agencies_involved)
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATED, obj=referral, summary=f"Logged referral {referral}"
    )
    notifications_queue(
        actor=actor,
        referral=referral,
        kind=NotificationKind.REFERRAL_TO_PANEL,
        bodies=ExternalBody.objects.filter(is_active=True, receives_referral_notices=True),
    )
    return referral


def _check_decision(
    problems: Problems, *, criteria: dict[str, bool], outcome: str, rationale: str, justification: str
):
    for name in PanelDecision.CRITERIA:
        if name not in criteria:
            problems.add(f"Say whether {PanelDecision.CRITERIA[name].lower()}", field=name)
    if outcome not in PanelDecision.Outcome.values:
        problems.add("Select the panel's decision", field="outcome")
    elif criteria.get("criterion_a") and outcome != PanelDecision.Outcome.SCR and not justification:
        problems.add(
            "Explain why there is no serious case review when the child died and abuse or neglect is suspected",
            field="criterion_a_justification",
        )
    if not rationale.strip():
        problems.add("Enter the panel's rationale", field="rationale")


@transaction.atomic
def referral_decide(
    *,
    actor,
    referral: Referral,
    held_on: datetime.date,
    attendees,
    other_attendees: str = "",
    criteria: dict[str, bool],
    outcome: str,
    rationale: str,
    criterion_a_justification: str = "",
) -> PanelDecision:
    """Record the panel meeting and its decision together; any review decided on opens and its clock starts."""
    if not perms.can_decide_referral(actor):
        raise PermissionDenied("Only the panel decides on referrals.")
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.is_decided:
        raise ActionNotAllowed(f"The panel has already decided on referral {referral}.")
    attendees = list(attendees)
    justification = criterion_a_justification.strip()
    problems = Problems()
    # The panel can meet on a case phoned through the evening before the referral is
    # logged the next morning: a meeting one day before the logged date is accepted.
    received_on = timezone.localdate(referral.received_at)
    check_date(
        problems,
        held_on,
        field="held_on",
        what="the date of the panel meeting",
        earliest=received_on - datetime.timedelta(days=1),
        earliest_is="the day before the referral was received",
        not_future=True,
    )
    if not attendees:
        problems.add("Select the panel members who attended", field="attendees")
    _check_decision(
        problems, criteria=criteria, outcome=outcome, rationale=rationale, justification=justification
    )
    problems.raise_any()
    meeting = PanelMeeting.objects.create(
        held_on=held_on, chair=actor, other_attendees=other_attendees.strip()
    )
    meeting.attendees.set(attendees)
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
        actor=actor,
        action=AuditEvent.Action.DECIDED,
        obj=decision,
        summary=f"{referral}: {decision.get_outcome_display()} (panel meeting of {long_date(held_on)})",
    )
    if outcome != PanelDecision.Outcome.NO_REVIEW:
        _review_open(referral=referral, review_type=outcome, decision_date=held_on, actor=actor)
    return decision


@transaction.atomic
def referral_decision_correct(
    *,
    actor,
    decision: PanelDecision,
    criteria: dict[str, bool],
    outcome: str,
    rationale: str,
    criterion_a_justification: str = "",
    reason: str,
) -> PanelDecision:
    """Correct the panel's decision; the original stays on record with the reason for the correction.

    A decision can no longer be corrected once its review has reached the board.
    An outcome can move between the kinds of review, or from "no review" to a
    review (which then opens); an open review cannot be turned into "no review".
    """
    if not perms.can_decide_referral(actor):
        raise PermissionDenied("Only the panel corrects its decisions.")
    decision = (
        PanelDecision.objects.select_for_update(of=("self",))
        .select_related("referral", "meeting")
        .get(pk=decision.pk)
    )
    review = Review.objects.select_for_update().filter(referral=decision.referral_id).first()
    if review is not None and review.state not in Review.BEFORE_BOARD:
        raise ActionNotAllowed(
            f"{review} has reached the board: the panel's decision can no longer be corrected."
        )
    justification = criterion_a_justification.strip()
    problems = Problems()
    if not reason.strip():
        problems.add("Say why the decision is being corrected", field="reason")
    _check_decision(
        problems, criteria=criteria, outcome=outcome, rationale=rationale, justification=justification
    )
    if review is not None and outcome == PanelDecision.Outcome.NO_REVIEW:
        problems.add(
            f"{review} is already open: the decision can be corrected to another kind of review, "
            "not to no review",
            field="outcome",
        )
    problems.raise_any()
    changes = _decision_changes(decision, criteria=criteria, outcome=outcome, rationale=rationale.strip())
    PanelDecisionRevision.objects.create(
        decision=decision,
        outcome=decision.outcome,
        rationale=decision.rationale,
        criterion_a_justification=decision.criterion_a_justification,
        reason=reason.strip(),
        corrected_by=actor,
        **{name: getattr(decision, name) for name in PanelDecision.CRITERIA},
    )
    for name in PanelDecision.CRITERIA:
        setattr(decision, name, bool(criteria[name]))
    decision.outcome, decision.rationale = outcome, rationale.strip()
    decision.criterion_a_justification = justification
    decision.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CORRECTED,
        obj=decision,
        review=review,
        summary=f"{decision.referral}: decision corrected ({changes})",
    )
    if review is None and outcome != PanelDecision.Outcome.NO_REVIEW:
        _review_open(
            referral=decision.referral,
            review_type=outcome,
            decision_date=decision.meeting.held_on,
            actor=actor,
        )
    elif review is not None and review.review_type != outcome:
        review.review_type = outcome
        review.save(update_fields=["review_type", "updated_at"])
    return decision


def _decision_changes(decision: PanelDecision, *, criteria, outcome, rationale) -> str:
    """Say in words what a correction changes, for the activity log."""
    changes = []
    if outcome != decision.outcome:
        changes.append(f"{decision.get_outcome_display()} to {PanelDecision.Outcome(outcome).label}")
    for name in PanelDecision.CRITERIA:
        if bool(criteria[name]) != getattr(decision, name):
            changes.append(
                f"criterion ({name[-1]}) {'now applies' if criteria[name] else 'no longer applies'}"
            )
    if rationale != decision.rationale:
        changes.append("rationale rewritten")
    return "; ".join(changes) or "justification rewritten"


def _review_open(*, actor, referral: Referral, review_type: str, decision_date: datetime.date) -> Review:
    """Open the review decided on, with its due date and milestones computed and stored."""
    months = settings.REVIEW_TIMEFRAME_MONTHS[review_type]
    due = deadlines.review_due_date(decision_date, months)
    review = Review.objects.create(
        reference=next_reference(REVIEW_PREFIX[review_type], decision_date.year),
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
    refresh_next_due(review)
    for agency in referral.agencies_involved.all():
        review.participations.create(agency=agency)
    TermsOfReference.objects.create(review=review)
    # Notification 1's e-mails belong to the review too: its page lists them. The e-mails first,
    # then the notifications, in the order delivery locks them, so the two never wait on each other.
    OutboxMessage.objects.filter(notification__referral=referral, review__isnull=True).update(review=review)
    Notification.objects.filter(referral=referral, review__isnull=True).update(review=review)
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATED, obj=review, review=review, summary=f"Opened {review}"
    )
    return review
