"""Ofsted's grade of a serious case review."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from reviews import permissions as perms
from reviews.models import AuditEvent, Document, DocumentVersion, Review, ReviewState
from reviews.pdf import ofsted_pack_pdf
from reviews.services.common import ActionNotAllowed, Problems, audit_record, check_date, entered_on
from reviews.services.documents import document_add_version, document_create

# The longest feedback kept: Ofsted's letters run to a few pages.
MAX_FEEDBACK = 20_000


def latest_version(review: Review, kind: str) -> DocumentVersion | None:
    document = review.documents.filter(kind=kind).first()
    return document.versions.order_by("-number").first() if document else None


@transaction.atomic
def ofsted_pack_prepare(*, actor, review: Review) -> DocumentVersion:
    """Prepare the submission pack to Ofsted and GOL as the next version of its document.

    A serious case review's, at the LSCB action plan stage: the pack is what the move to Ofsted sends.
    """
    if not perms.can_manage_review(actor, review):
        raise PermissionDenied("Only the panel and the business manager prepare the submission pack.")
    review = Review.objects.select_for_update(of=("self",)).get(pk=review.pk)
    if not review.is_scr:
        raise ActionNotAllowed(
            f"A {review.get_review_type_display().lower()} is not sent to Ofsted or GOL: "
            "only serious case reviews are."
        )
    if review.state != ReviewState.ACTION_PLAN:
        raise ActionNotAllowed(
            "The submission pack is prepared at the “LSCB action plan” stage, before it is sent."
        )
    report = latest_version(review, Document.Kind.OVERVIEW_REPORT)
    if report is None:
        raise ActionNotAllowed("Upload the overview report before preparing the submission pack.")
    content = ofsted_pack_pdf(review, report=report)
    filename = f"{review.reference}-submission-to-ofsted.pdf"
    document = review.documents.filter(kind=Document.Kind.OFSTED_PACK).first()
    if document is None:
        return document_create(
            actor=actor,
            review=review,
            kind=Document.Kind.OFSTED_PACK,
            title=f"Submission to Ofsted and GOL, {review.reference}",
            content=content,
            filename=filename,
            content_type="application/pdf",
        )
    return document_add_version(
        actor=actor, document=document, content=content, filename=filename, content_type="application/pdf"
    )


@transaction.atomic
def review_record_ofsted_grade(
    *, actor, review: Review, grade: str, feedback: str, graded_on: datetime.date
) -> Review:
    """Record Ofsted's grade and feedback for a serious case review."""
    if not perms.runs_reviews(actor):
        raise PermissionDenied("Only the panel and the business manager record Ofsted's grade.")
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.state != Review.State.WITH_OFSTED:
        raise ActionNotAllowed("Ofsted grades a serious case review once it has been sent to them.")
    problems = Problems()
    if grade not in dict(Review._meta.get_field("ofsted_grade").choices):
        problems.add("Select Ofsted's grade", field="grade")
    if len(feedback) > MAX_FEEDBACK:
        problems.add(f"Ofsted's feedback must be {MAX_FEEDBACK:,} characters or fewer", field="feedback")
    if graded_on is None:
        problems.add("Enter the date of Ofsted's grade", field="graded_on")
    check_date(
        problems,
        graded_on,
        field="graded_on",
        what="the date of Ofsted's grade",
        earliest=entered_on(review, Review.State.WITH_OFSTED) or review.decision_date,
        earliest_is="the day the review was sent to Ofsted",
        not_future=True,
    )
    problems.raise_any()
    review.ofsted_grade, review.ofsted_feedback, review.ofsted_graded_on = grade, feedback.strip(), graded_on
    review.save(update_fields=["ofsted_grade", "ofsted_feedback", "ofsted_graded_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DECIDED,
        obj=review,
        review=review,
        summary=f"Ofsted's grade recorded: {review.get_ofsted_grade_display()}",
    )
    return review
