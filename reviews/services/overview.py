"""The independent overview author: commissioned by the LSCB, independent of the case."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from agencies.roles import Role
from reviews import permissions as perms
from reviews.models import AuditEvent, Review
from reviews.services.common import ActionNotAllowed, audit_record
from reviews.services.staff import independence_problems


@transaction.atomic
def overview_author_commission(*, actor, review: Review, author) -> Review:
    """Commission the independent overview author; the grant follows the assignment."""
    if not perms.can_commission_overview(actor, review):
        raise PermissionDenied("Only the panel and the business manager commission the overview author.")
    review = Review.objects.select_for_update().get(pk=review.pk)
    if not author.has_role(Role.OVERVIEW_AUTHOR):
        raise ActionNotAllowed({"author": [f"{author} is not registered as an overview author"]})
    problems = independence_problems(user=author, review=review)
    if problems:
        raise ActionNotAllowed({"author": problems})
    review.overview_author = author
    review.overview_declaration_signed_at = None
    review.save(update_fields=["overview_author", "overview_declaration_signed_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.ASSIGNED,
        obj=review,
        review=review,
        summary=f"{author} commissioned as overview author",
    )
    return review


@transaction.atomic
def overview_sign_declaration(*, actor, review: Review) -> Review:
    """Record the overview author's signed declaration of independence from the case."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.overview_author_id != actor.pk:
        raise PermissionDenied("Only the overview author signs their declaration.")
    if review.overview_declaration_signed_at is not None:
        raise ActionNotAllowed("You have already signed the declaration.")
    problems = independence_problems(user=actor, review=review)
    if problems:
        raise ActionNotAllowed(problems)
    review.overview_declaration_signed_at = timezone.now()
    review.save(update_fields=["overview_declaration_signed_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SIGNED,
        obj=review,
        review=review,
        summary=f"{actor} signed the overview author's independence declaration",
    )
    return review
