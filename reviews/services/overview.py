"""The independent overview author: commissioned by the LSCB, independent of the case; their report, their
critique of each IMR, and the panel's sharing of the confidential report with named managers."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from agencies.roles import Role
from reviews import permissions as perms
from reviews.models import IMR, AuditEvent, Document, DocumentVersion, OverviewShare, Review, ReviewState
from reviews.services.common import ActionNotAllowed, audit_record
from reviews.services.documents import document_add_version, document_create
from reviews.services.staff import independence_problems

# An assessment of an IMR is short: the overview report itself holds the long critique.
CRITIQUE_MAX_CHARS = 5000


@transaction.atomic
def overview_author_commission(*, actor, review: Review, author) -> Review:
    """Commission (or replace) the independent overview author; the grant follows the assignment."""
    if not perms.can_commission_overview(actor, review):
        raise PermissionDenied("Only the panel and the business manager commission the overview author.")
    # Only the review's row: FOR UPDATE may not reach the nullable side of the author's outer join.
    review = (
        Review.objects.select_for_update(of=("self",)).select_related("overview_author").get(pk=review.pk)
    )
    if review.state not in Review.BEFORE_BOARD:
        raise ActionNotAllowed(
            "The overview report has gone to the board: its author can no longer be changed."
        )
    if not author.has_role(Role.OVERVIEW_AUTHOR):
        raise ActionNotAllowed({"author": [f"{author} is not registered as an overview author"]})
    if review.overview_author_id == author.pk:
        raise ActionNotAllowed({"author": [f"{author} is already the overview author"]})
    problems = independence_problems(user=author, review=review)
    if problems:
        raise ActionNotAllowed({"author": problems})
    previous = review.overview_author
    if previous is not None:
        # The grant is the assignment itself (is_overview_author_of): replacing the author moves it.
        audit_record(
            actor=actor,
            action=AuditEvent.Action.REVOKED,
            obj=review,
            review=review,
            summary=f"{previous} is no longer the overview author",
        )
    review.overview_author = author
    # The declaration is personal: the new author signs their own.
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


def writable_overview(actor, review: Review) -> Review:
    """Lock and return the review if `actor` may write its overview report now."""
    review = Review.objects.select_for_update(of=("self",)).get(pk=review.pk)
    if not (perms.is_overview_author_of(actor, review) or perms.runs_reviews(actor)):
        raise PermissionDenied("Only the overview author writes the overview report.")
    if review.state != ReviewState.OVERVIEW:
        raise ActionNotAllowed(
            f"The overview report is written while the review is at “{ReviewState.OVERVIEW.label}”: "
            f"{review} is at “{review.get_state_display()}”."
        )
    return review


@transaction.atomic
def overview_report_upload(*, actor, review: Review, content: bytes, filename: str) -> DocumentVersion:
    """Upload the overview report: the first upload creates it, each later one is its next version."""
    review = writable_overview(actor, review)  # locked: two first uploads at once make one report
    document = review.documents.filter(kind=Document.Kind.OVERVIEW_REPORT).first()
    if document is None:
        return document_create(
            actor=actor,
            review=review,
            kind=Document.Kind.OVERVIEW_REPORT,
            title=f"Overview report, {review.reference}",
            content=content,
            filename=filename,
        )
    return document_add_version(actor=actor, document=document, content=content, filename=filename)


@transaction.atomic
def imr_critique_record(*, actor, imr: IMR, text: str) -> IMR:
    """Write the overview author's short assessment of a submitted IMR."""
    # The IMR locked before the review, as every IMR service does.
    imr = IMR.objects.select_for_update(of=("self",)).select_related("participation__agency").get(pk=imr.pk)
    review = Review.objects.select_for_update(of=("self",)).get(pk=imr.participation.review_id)
    if not (perms.is_overview_author_of(actor, review) or perms.is_panel(actor)):
        raise PermissionDenied("Only the overview author and the panel assess the IMRs.")
    if review.state not in perms.ASSESSMENT_STAGES:
        raise ActionNotAllowed(
            f"The IMRs are assessed once submitted, until the overview report goes to the board: "
            f"{review} is at “{review.get_state_display()}”."
        )
    if imr.submitted_at is None:
        raise ActionNotAllowed("The IMR has not been submitted yet: assess it once it is.")
    text = text.strip()
    if not text:
        raise ActionNotAllowed({"text": ["Enter your assessment of the IMR"]})
    if len(text) > CRITIQUE_MAX_CHARS:
        raise ActionNotAllowed({"text": [f"Assessment must be {CRITIQUE_MAX_CHARS:,} characters or fewer"]})
    if text == imr.overview_critique:
        return imr
    first = not imr.overview_critique
    imr.overview_critique, imr.critiqued_at, imr.critiqued_by = text, timezone.now(), actor
    imr.save(update_fields=["overview_critique", "critiqued_at", "critiqued_by"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATED if first else AuditEvent.Action.CHANGED,
        obj=imr,
        review=review,
        summary=f"Overview assessment of {imr.participation.agency}'s IMR {'written' if first else 'changed'}",
    )
    return imr


@transaction.atomic
def overview_share_grant(*, actor, review: Review, shared_with) -> OverviewShare:
    """Share the confidential overview report with a named senior manager of an agency taking part."""
    if not perms.can_share_overview_report(actor, review):
        raise PermissionDenied("Only the panel shares the overview report.")
    review = Review.objects.select_for_update(of=("self",)).get(pk=review.pk)
    if review.is_withdrawn:
        # Who reads the report stays as it was at the withdrawal; revoking a share is still possible.
        raise ActionNotAllowed(
            "The review has been withdrawn: the overview report is shared with nobody new."
        )
    if not (
        shared_with.is_active
        and shared_with.has_role(Role.AGENCY_SENIOR_MANAGER)
        and review.participations.filter(agency_id=shared_with.agency_id).exists()
    ):
        raise ActionNotAllowed(
            {"shared_with": [f"{shared_with} is not a senior manager of an agency taking part in {review}"]}
        )
    if review.overview_shares.filter(shared_with=shared_with, revoked_at__isnull=True).exists():
        raise ActionNotAllowed({"shared_with": [f"The overview report is already shared with {shared_with}"]})
    share = OverviewShare.objects.create(review=review, shared_with=shared_with, shared_by=actor)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.GRANTED,
        obj=share,
        review=review,
        summary=f"Overview report shared with {shared_with}",
    )
    return share


@transaction.atomic
def overview_share_revoke(*, actor, share: OverviewShare) -> OverviewShare:
    """Revoke a share of the overview report; the share stays on record, marked revoked."""
    share = (
        OverviewShare.objects.select_for_update(of=("self",))
        .select_related("review", "shared_with")
        .get(pk=share.pk)
    )
    if not perms.can_share_overview_report(actor, share.review):
        raise PermissionDenied("Only the panel revokes a share of the overview report.")
    if share.revoked_at is not None:
        raise ActionNotAllowed(f"The share with {share.shared_with} was already revoked.")
    share.revoked_at, share.revoked_by = timezone.now(), actor
    share.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.REVOKED,
        obj=share,
        review=share.review,
        summary=f"Overview report no longer shared with {share.shared_with}",
    )
    return share
