"""The staff involved in a case: who they are, their support, and the police's advice on what they may discuss."""

import datetime
import re
import unicodedata

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from reviews import permissions as perms
from reviews.models import (
    AuditEvent,
    CounsellingOffer,
    InvolvedStaff,
    InvolvedStaffRevision,
    PoliceAdvice,
    Review,
    StaffSupportMeeting,
)
from reviews.models.review_states import AWAITING_AGENCIES, ReviewState
from reviews.services.common import ActionNotAllowed, Problems, audit_record, check_date


def _locked_review(review: Review) -> Review:
    return Review.objects.select_for_update(of=("self",)).select_related("referral").get(pk=review.pk)


def _since_the_incident(problems: Problems, review: Review, value, *, field: str, what: str) -> None:
    """Support and police advice follow the incident: a date between it and today."""
    check_date(
        problems,
        value,
        field=field,
        what=what,
        earliest=review.referral.incident_date,
        earliest_is="the date of the incident",
        not_future=True,
    )


def independence_problems(*, user, review) -> list[str]:
    """Return why `user` is not independent of the case; empty when they are."""
    full_name = user.get_full_name().strip().lower()
    for staff in review.involved_staff.current():
        if staff.user_id == user.pk or (full_name and staff.real_name.strip().lower() == full_name):
            return [
                f"{user} is recorded as staff involved in this case ({staff.pseudonym}), "
                "so cannot be an author: choose someone with no direct involvement."
            ]
    return []


def _visible(text: str) -> str:
    """The text as a reader sees it: compatibility forms folded, invisible characters dropped."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(char for char in folded if unicodedata.category(char) not in ("Cf", "Cc"))


def _words(text: str) -> set[str]:
    return {word for word in re.findall(r"[^\W_]+", _visible(text)) if len(word) > 1}


def _names_in(pseudonym: str, real_name: str) -> bool:
    """True when any part of the name shows in the pseudonym, even run together ("SandraBell")."""
    letters = "".join(re.findall(r"[^\W\d_]+", _visible(pseudonym)))
    return bool(_words(pseudonym) & _words(real_name)) or any(
        len(part) > 2 and part in letters for part in _words(real_name)
    )


def _check_staff(
    problems: Problems, review: Review, *, pseudonym, real_name, role_title, agency, email, staff=None
):
    if not pseudonym:
        problems.add("Enter a pseudonym", field="pseudonym")
    if not real_name:
        problems.add("Enter the person's full name", field="real_name")
    if not role_title:
        problems.add("Enter the person's role", field="role_title")
    if agency is None or not review.participations.filter(agency=agency).exists():
        problems.add("Select an agency taking part in the review", field="agency")
    if _names_in(pseudonym, real_name):
        problems.add(
            "The pseudonym must not contain any part of the person's name: use their role and a number, "
            "for example “Health Visitor 1”",
            field="pseudonym",
        )
    taken = review.involved_staff.filter(pseudonym__iexact=pseudonym)
    if staff is not None:
        taken = taken.exclude(pk=staff.pk)
    if pseudonym and taken.exists():
        problems.add(f"The pseudonym “{pseudonym}” is already used in this review", field="pseudonym")


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
    # The review row is locked so that two people adding the same pseudonym at once queue, and the
    # second is told it is taken, rather than meeting the unique constraint.
    review = _locked_review(review)
    values = {
        "pseudonym": pseudonym.strip(),
        "real_name": real_name.strip(),
        "role_title": role_title.strip(),
        "email": email.strip(),
        "agency": agency,
    }
    problems = Problems()
    _check_staff(problems, review, **values)
    problems.raise_any()
    staff = InvolvedStaff.objects.create(review=review, user=user, **values)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        obj=staff,
        review=review,
        summary=f"Recorded {staff.pseudonym}",
    )
    return staff


@transaction.atomic
def involved_staff_correct(
    *,
    actor,
    staff: InvolvedStaff,
    agency,
    pseudonym: str,
    real_name: str,
    role_title: str,
    email: str,
    reason: str,
) -> InvolvedStaff:
    """Correct an entry of the staff involved; the earlier values are kept with the reason."""
    if not perms.runs_reviews(actor):
        raise PermissionDenied("Only the panel and the business manager correct the staff involved.")
    review = _locked_review(staff.review)
    staff = InvolvedStaff.objects.select_for_update().get(pk=staff.pk, review=review)
    values = {
        "pseudonym": pseudonym.strip(),
        "real_name": real_name.strip(),
        "role_title": role_title.strip(),
        "email": email.strip(),
        "agency": agency,
    }
    problems = Problems()
    if staff.is_withdrawn:
        problems.add(f"{staff} was withdrawn: a withdrawn entry cannot be corrected.")
    if not reason.strip():
        problems.add("Say why the entry is being corrected", field="reason")
    _check_staff(problems, review, staff=staff, **values)
    problems.raise_any()
    InvolvedStaffRevision.objects.create(
        staff=staff,
        agency_id=staff.agency_id,
        pseudonym=staff.pseudonym,
        real_name=staff.real_name,
        role_title=staff.role_title,
        email=staff.email,
        reason=reason.strip(),
        corrected_by=actor,
    )
    before = staff.pseudonym
    for name, value in values.items():
        setattr(staff, name, value)
    staff.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CORRECTED,
        obj=staff,
        review=review,
        summary=f"Corrected {before}" + (f", now {staff.pseudonym}" if before != staff.pseudonym else ""),
    )
    return staff


@transaction.atomic
def involved_staff_withdraw(*, actor, staff: InvolvedStaff, reason: str) -> InvolvedStaff:
    """Withdraw an entry recorded by mistake: it stays on record, marked withdrawn, and binds nobody."""
    if not perms.runs_reviews(actor):
        raise PermissionDenied("Only the panel and the business manager withdraw staff involved.")
    review = _locked_review(staff.review)
    staff = InvolvedStaff.objects.select_for_update().get(pk=staff.pk, review=review)
    if staff.is_withdrawn:
        raise ActionNotAllowed(f"{staff} has already been withdrawn.")
    if not reason.strip():
        raise ActionNotAllowed({"reason": ["Say why the entry is being withdrawn"]})
    staff.withdrawn_at, staff.withdrawn_reason, staff.withdrawn_by = timezone.now(), reason.strip(), actor
    staff.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_by"])
    audit_record(
        actor=actor, action=AuditEvent.Action.WITHDRAWN, obj=staff, review=review, summary=f"Withdrew {staff}"
    )
    return staff


@transaction.atomic
def support_meeting_record(
    *, actor, review: Review, kind: str, held_on: datetime.date, attendees=(), notes: str = ""
) -> StaffSupportMeeting:
    """Record a staff support meeting hosted by the LSCB."""
    if not perms.can_organise_staff_support(actor, review):
        raise PermissionDenied("Only the business manager records staff support meetings.")
    review = _locked_review(review)
    problems = Problems()
    check_date(
        problems,
        held_on,
        field="held_on",
        what="the date of the meeting",
        earliest=timezone.localdate(review.referral.received_at),
        earliest_is="the day the referral was received",
        not_future=True,
    )
    # The closing meeting tells staff the outcome and the recommendations: there are none before the IMRs are in.
    if kind == StaffSupportMeeting.Kind.END and (
        review.state in AWAITING_AGENCIES or review.state == ReviewState.TOR_DRAFTING
    ):
        problems.add(
            "The meeting at the end of the review is held once the IMRs are submitted: "
            "record this one as during the review",
            field="kind",
        )
    attendees = list(attendees)
    if any(person.review_id != review.pk for person in attendees):
        problems.add("Select staff involved in this review", field="attendees")
    problems.raise_any()
    meeting = StaffSupportMeeting.objects.create(
        review=review, kind=kind, held_on=held_on, notes=notes.strip(), recorded_by=actor
    )
    meeting.attendees.set(attendees)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        obj=meeting,
        review=review,
        summary=f"Staff support meeting ({meeting.get_kind_display().lower()}) recorded",
    )
    return meeting


@transaction.atomic
def counselling_offer_record(
    *, actor, review: Review, staff: InvolvedStaff, offered_on: datetime.date, offered_by: str, response: str
) -> CounsellingOffer:
    """Record counselling or other support offered to a member of staff involved."""
    if not perms.can_organise_staff_support(actor, review):
        raise PermissionDenied("Only the business manager records counselling offers.")
    problems = Problems()
    if staff.review_id != review.pk:
        problems.add("Select a member of staff involved in this review", field="staff")
    _since_the_incident(problems, review, offered_on, field="offered_on", what="the date of the offer")
    if not offered_by.strip():
        problems.add("Enter who offered the support", field="offered_by")
    if response not in CounsellingOffer.Response.values:
        problems.add("Select the response", field="response")
    problems.raise_any()
    offer = CounsellingOffer.objects.create(
        staff=staff, offered_on=offered_on, offered_by=offered_by.strip(), response=response
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        obj=offer,
        review=review,
        summary=f"Counselling offered to {staff}",
    )
    return offer


@transaction.atomic
def police_advice_record(
    *, actor, review: Review, given_on: datetime.date, source: str, advice: str
) -> PoliceAdvice:
    """Record the police's current advice on what staff may discuss."""
    if not perms.can_record_police_advice(actor, review):
        raise PermissionDenied("Only the business manager records police advice.")
    problems = Problems()
    _since_the_incident(problems, review, given_on, field="given_on", what="the date the advice was given")
    if not source.strip():
        problems.add("Enter who gave the advice", field="source")
    if not advice.strip():
        problems.add("Enter the advice", field="advice")
    problems.raise_any()
    advice_row = PoliceAdvice.objects.create(
        review=review, given_on=given_on, source=source.strip(), advice=advice.strip(), recorded_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        obj=advice_row,
        review=review,
        summary=f"Police advice of {given_on:%-d %B %Y} recorded",
    )
    return advice_row


@transaction.atomic
def review_set_police_investigation(*, actor, review: Review, is_open: bool) -> Review:
    """Open or close the police investigation flag."""
    if not perms.can_record_police_advice(actor, review):
        raise PermissionDenied("Only the business manager records the police investigation.")
    review = _locked_review(review)
    if review.police_investigation_open == is_open:
        raise ActionNotAllowed(
            f"The police investigation is already marked {'open' if is_open else 'closed'}."
        )
    review.police_investigation_open = is_open
    review.save(update_fields=["police_investigation_open", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        obj=review,
        review=review,
        summary=f"Police investigation marked {'open' if is_open else 'closed'}",
    )
    return review
