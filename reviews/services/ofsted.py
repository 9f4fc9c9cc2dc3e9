"""Ofsted's grade of a serious case review."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from reviews import permissions as perms
from reviews.models import AuditEvent, Review
from reviews.services.common import ActionNotAllowed, Problems, audit_record, check_date


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
        problems.add("Choose Ofsted's grade", field="grade")
    check_date(
        problems,
        graded_on,
        field="graded_on",
        what="the date of Ofsted's grade",
        earliest=review.decision_date,
        earliest_is="the date of the panel's decision",
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
