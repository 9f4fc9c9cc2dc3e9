"""An agency's IMR: its author, the author's declaration, interviews and the feedback to staff."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from agencies.roles import Role
from reviews import permissions as perms
from reviews.models import IMR, AgencyParticipation, AuditEvent, Interview
from reviews.services.chronology import writable_imr
from reviews.services.common import ActionNotAllowed, Problems, audit_record, check_date, refuse_if_withdrawn
from reviews.services.participation import check_engagement, mark_agencies_milestone
from reviews.services.staff import independence_problems


def _grant_imr(user, imr) -> None:
    assign_perm(perms.VIEW_IMR, user, imr)
    assign_perm(perms.CHANGE_IMR, user, imr)
    assign_perm(perms.VIEW_REVIEW, user, imr.participation.review)


def _revoke_imr(user, imr) -> None:
    remove_perm(perms.VIEW_IMR, user, imr)
    remove_perm(perms.CHANGE_IMR, user, imr)
    review = imr.participation.review
    still_authoring = IMR.objects.filter(participation__review=review, author=user).exclude(pk=imr.pk)
    if not still_authoring.exists():
        remove_perm(perms.VIEW_REVIEW, user, review)


@transaction.atomic
def imr_nominate_author(*, actor, participation: AgencyParticipation, author) -> IMR:
    """Nominate (or replace) the agency's IMR author; the access grant follows the author."""
    participation = (
        AgencyParticipation.objects.select_for_update(of=("self",))
        .select_related("review", "agency")
        .get(pk=participation.pk)
    )
    check_engagement(actor, participation)
    if not author.has_role(Role.IMR_AUTHOR):
        raise ActionNotAllowed({"author": [f"{author} is not registered as an IMR author"]})
    problems = independence_problems(user=author, review=participation.review)
    if problems:
        raise ActionNotAllowed({"author": problems})
    imr = IMR.objects.select_for_update(of=("self",)).filter(participation=participation).first()
    now = timezone.now()
    if imr is None:
        imr = IMR.objects.create(
            participation=participation, author=author, nominated_by=actor, nominated_at=now
        )
    else:
        if not imr.is_editable:
            raise ActionNotAllowed("The IMR has been submitted: its author can no longer be changed.")
        if imr.author_id == author.pk:
            raise ActionNotAllowed({"author": [f"{author} is already the IMR author"]})
        _revoke_imr(imr.author, imr)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.REVOKED,
            obj=imr,
            review=participation.review,
            summary=f"{imr.author} is no longer the IMR author for {participation.agency}",
        )
        # The declaration is personal: the new author signs their own.
        imr.author, imr.nominated_by, imr.nominated_at, imr.declaration_signed_at = author, actor, now, None
        imr.save()
    _grant_imr(author, imr)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.ASSIGNED,
        obj=imr,
        review=participation.review,
        summary=f"{author} nominated as IMR author for {participation.agency}",
    )
    mark_agencies_milestone(participation.review)
    return imr


@transaction.atomic
def imr_sign_declaration(*, actor, imr: IMR) -> IMR:
    """Record the author's signed declaration of independence from the case."""
    imr = IMR.objects.select_for_update(of=("self",)).select_related("participation__review").get(pk=imr.pk)
    if imr.author_id != actor.pk:
        raise PermissionDenied("Only the nominated author signs their declaration.")
    refuse_if_withdrawn(imr.participation.review_id, what="its IMRs")
    if imr.declaration_signed_at is not None:
        raise ActionNotAllowed("You have already signed the declaration.")
    problems = independence_problems(user=actor, review=imr.participation.review)
    if problems:
        raise ActionNotAllowed(problems)
    imr.declaration_signed_at = timezone.now()
    imr.save(update_fields=["declaration_signed_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SIGNED,
        obj=imr,
        review=imr.participation.review,
        summary=f"{actor} signed the independence declaration",
    )
    return imr


@transaction.atomic
def imr_record_feedback(*, actor, imr: IMR, held_on: datetime.date) -> IMR:
    """Record the author's feedback meeting with the agency's staff (guide §6.4)."""
    imr = IMR.objects.select_for_update(of=("self",)).select_related("participation__review").get(pk=imr.pk)
    if imr.author_id != actor.pk:
        raise PermissionDenied("Only the IMR's author records the feedback meeting.")
    refuse_if_withdrawn(imr.participation.review_id, what="its IMRs")
    if not imr.is_submitted:
        raise ActionNotAllowed("Feed back to staff once the IMR is submitted.")
    problems = Problems()
    check_date(
        problems,
        held_on,
        field="held_on",
        what="the date of the feedback meeting",
        earliest=timezone.localdate(imr.submitted_at),
        earliest_is="the day the IMR was submitted",
        not_future=True,
    )
    problems.raise_any()
    imr.feedback_meeting_on = held_on
    imr.save(update_fields=["feedback_meeting_on"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        obj=imr,
        review=imr.participation.review,
        summary=f"Feedback meeting on {held_on:%-d %B %Y} recorded",
    )
    return imr


@transaction.atomic
def interview_record(
    *, actor, imr: IMR, staff, held_on: datetime.date, tor_shared_on: datetime.date, notes: str = ""
) -> Interview:
    """Record an interview with a member of staff, and when the ToR was shared with them."""
    imr = writable_imr(actor, imr)
    review = imr.participation.review
    _check_interview(imr, staff=staff, held_on=held_on, tor_shared_on=tor_shared_on)
    interview = Interview.objects.create(
        imr=imr, staff=staff, held_on=held_on, tor_shared_on=tor_shared_on, notes=notes.strip()
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        obj=interview,
        review=review,
        summary=f"Interview with {staff} on {held_on:%-d %B %Y} recorded",
    )
    return interview


def _check_interview(imr: IMR, *, staff, held_on: datetime.date, tor_shared_on: datetime.date) -> None:
    """An interview's rules: the agency's own staff, the terms of reference shared first, no future date."""
    review = imr.participation.review
    problems = Problems()
    if staff.review_id != review.pk or staff.is_withdrawn:
        problems.add(f"{staff} is not recorded as staff involved in this review", field="staff")
    elif staff.agency_id != imr.participation.agency_id:
        problems.add(
            f"{staff} is not {imr.participation.agency}'s staff: interview your own agency's", field="staff"
        )
    agreed = review.terms_of_reference.agreed_at
    check_date(
        problems,
        tor_shared_on,
        field="tor_shared_on",
        what="the date the terms of reference were shared",
        earliest=timezone.localdate(agreed) if agreed else None,
        earliest_is="the day they were agreed",
        latest=held_on,
        latest_is="the date of the interview",
    )
    check_date(problems, held_on, field="held_on", what="the date of the interview", not_future=True)
    problems.raise_any()


def _locked_interview(actor, interview: Interview) -> tuple[IMR, Interview]:
    imr = writable_imr(actor, interview.imr)
    interview = Interview.objects.select_for_update().filter(imr=imr, pk=interview.pk).first()
    if interview is None:
        raise ActionNotAllowed("The interview has been deleted meanwhile.")
    return imr, interview


@transaction.atomic
def interview_change(
    *,
    actor,
    interview: Interview,
    staff,
    held_on: datetime.date,
    tor_shared_on: datetime.date,
    notes: str = "",
) -> Interview:
    """Correct an interview's record while the IMR is editable."""
    imr, interview = _locked_interview(actor, interview)
    _check_interview(imr, staff=staff, held_on=held_on, tor_shared_on=tor_shared_on)
    interview.staff, interview.held_on, interview.tor_shared_on, interview.notes = (
        staff,
        held_on,
        tor_shared_on,
        notes.strip(),
    )
    interview.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        obj=interview,
        review=imr.participation.review,
        summary=f"Interview with {staff} on {held_on:%-d %B %Y} corrected",
    )
    return interview


@transaction.atomic
def interview_delete(*, actor, interview: Interview) -> None:
    """Delete an interview recorded by mistake while the IMR is editable; the audit log keeps what it was."""
    imr, interview = _locked_interview(actor, interview)
    summary = f"Interview with {interview.staff} on {interview.held_on:%-d %B %Y} deleted"
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETED,
        obj=interview,
        review=imr.participation.review,
        summary=summary,
    )
    interview.delete()
