from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from reviews import permissions as perms
from reviews.models import IMR, AgencyParticipation, Milestone, ReviewState
from reviews.services.common import ActionNotAllowed, audit_record


def _independence_problems(*, user, review) -> list[str]:
    """Return why `user` is not independent of the case; empty when they are."""
    full_name = user.get_full_name().strip().lower()
    for staff in review.involved_staff.all():
        if staff.user_id == user.pk or (full_name and staff.real_name.strip().lower() == full_name):
            return [
                f"{user} is recorded as staff involved in this case ({staff.pseudonym}), "
                "so cannot be an author: choose someone with no direct involvement."
            ]
    return []


def _check_engagement(actor, participation) -> None:
    if not perms.can_engage_agency(actor, participation):
        raise PermissionDenied("Only the agency's senior manager engages the agency.")
    if participation.review.state not in (
        ReviewState.TOR_AGREED,
        ReviewState.AGENCIES_ENGAGED,
        ReviewState.IMRS_IN_PROGRESS,
    ):
        raise ActionNotAllowed(
            f"The review is at “{participation.review.get_state_display()}”: agencies are engaged "
            "once the terms of reference are agreed."
        )


def _mark_agencies_milestone(review) -> None:
    ready = all(p.files_secured_at and hasattr(p, "imr") for p in review.participations.select_related("imr"))
    if ready:
        review.milestones.filter(kind=Milestone.Kind.AUTHORS_NOMINATED, done_on__isnull=True).update(
            done_on=timezone.localdate()
        )


@transaction.atomic
def participation_secure_files(
    *, actor, participation: AgencyParticipation, originals_location: str, copies_made: bool
) -> AgencyParticipation:
    """Confirm the agency's case files are secured: where the originals are, whether copies were made."""
    participation = (
        AgencyParticipation.objects.select_for_update().select_related("review").get(pk=participation.pk)
    )
    _check_engagement(actor, participation)
    if not originals_location.strip():
        raise ActionNotAllowed("Enter where the original case files are locked away.")
    participation.files_secured_at = timezone.now()
    participation.files_secured_by = actor
    participation.originals_location = originals_location.strip()
    participation.copies_made = copies_made
    participation.save()
    audit_record(
        actor=actor,
        action="changed",
        obj=participation,
        review=participation.review,
        summary=f"{participation.agency} secured its case files",
    )
    _mark_agencies_milestone(participation.review)
    return participation


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
        AgencyParticipation.objects.select_for_update()
        .select_related("review", "agency")
        .get(pk=participation.pk)
    )
    _check_engagement(actor, participation)
    from agencies.roles import Role

    if not author.has_role(Role.IMR_AUTHOR):
        raise ActionNotAllowed(f"{author} is not registered as an IMR author.")
    problems = _independence_problems(user=author, review=participation.review)
    if problems:
        raise ActionNotAllowed(problems)
    imr = IMR.objects.select_for_update().filter(participation=participation).first()
    now = timezone.now()
    if imr is None:
        imr = IMR.objects.create(
            participation=participation, author=author, nominated_by=actor, nominated_at=now
        )
    else:
        if not imr.is_editable:
            raise ActionNotAllowed("The IMR has been submitted: its author can no longer be changed.")
        if imr.author_id == author.pk:
            raise ActionNotAllowed(f"{author} is already the IMR author.")
        _revoke_imr(imr.author, imr)
        audit_record(
            actor=actor,
            action="revoked",
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
        action="assigned",
        obj=imr,
        review=participation.review,
        summary=f"{author} nominated as IMR author for {participation.agency}",
    )
    _mark_agencies_milestone(participation.review)
    return imr


@transaction.atomic
def imr_sign_declaration(*, actor, imr: IMR) -> IMR:
    """Record the author's signed declaration of independence from the case."""
    imr = IMR.objects.select_for_update().select_related("participation__review").get(pk=imr.pk)
    if imr.author_id != actor.pk:
        raise PermissionDenied("Only the nominated author signs their declaration.")
    if imr.declaration_signed_at is not None:
        raise ActionNotAllowed("You have already signed the declaration.")
    problems = _independence_problems(user=actor, review=imr.participation.review)
    if problems:
        raise ActionNotAllowed(problems)
    imr.declaration_signed_at = timezone.now()
    imr.save(update_fields=["declaration_signed_at"])
    audit_record(
        actor=actor,
        action="changed",
        obj=imr,
        review=imr.participation.review,
        summary=f"{actor} signed the independence declaration",
    )
    return imr
