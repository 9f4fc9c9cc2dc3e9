import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from reviews import permissions as perms
from reviews.models import ExecutiveSummary, Review
from reviews.services.common import ActionNotAllowed, audit_record


def _real_names_in(review: Review, text: str) -> list[str]:
    lowered = text.lower()
    names = [s.real_name for s in review.involved_staff.all()]
    names.append(review.referral.child_name)
    names += [line.split(",")[0].strip() for line in review.referral.family_members.splitlines()]
    return sorted({name for name in names if name and name.lower() in lowered})


@transaction.atomic
def summary_save(*, actor, review: Review, text: str) -> ExecutiveSummary:
    """Write or rewrite the draft executive summary."""
    if not (perms.runs_reviews(actor) or perms.is_overview_author_of(actor, review)):
        raise PermissionDenied("You may not write the executive summary.")
    if not text.strip():
        raise ActionNotAllowed("Enter the executive summary.")
    summary, _ = ExecutiveSummary.objects.update_or_create(review=review, defaults={"text": text.strip()})
    return summary


@transaction.atomic
def summary_publish(
    *, actor, review: Review, publish_from: datetime.date, publish_until: datetime.date | None
) -> ExecutiveSummary:
    """Publish the executive summary for a window; refused while it holds a real name."""
    if not perms.runs_reviews(actor):
        raise PermissionDenied("Only the panel and the business manager publish the executive summary.")
    summary = ExecutiveSummary.objects.select_for_update().filter(review=review).first()
    if summary is None:
        raise ActionNotAllowed("Write the executive summary before publishing it.")
    names = _real_names_in(review, summary.text)
    if names:
        raise ActionNotAllowed(
            [f"The executive summary names “{name}”: replace the name before publishing." for name in names]
        )
    if publish_until is not None and publish_until <= publish_from:
        raise ActionNotAllowed("The end of the publication window must be after its start.")
    summary.publish_from, summary.publish_until, summary.published_by = publish_from, publish_until, actor
    summary.save()
    audit_record(
        actor=actor, action="changed", obj=summary, review=review, summary="Executive summary published"
    )
    return summary


@transaction.atomic
def summary_mark_sent_to_staff(*, actor, review: Review, sent_on: datetime.date) -> ExecutiveSummary:
    if not perms.runs_reviews(actor):
        raise PermissionDenied("Only the panel and the business manager send the executive summary.")
    summary = ExecutiveSummary.objects.select_for_update().filter(review=review).first()
    if summary is None or summary.publish_from is None:
        raise ActionNotAllowed("Publish the executive summary before sending it to staff.")
    summary.sent_to_staff_on = sent_on
    summary.save(update_fields=["sent_to_staff_on"])
    return summary


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
    if grade not in dict(Review._meta.get_field("ofsted_grade").choices):
        raise ActionNotAllowed("Choose Ofsted's grade.")
    review.ofsted_grade, review.ofsted_feedback, review.ofsted_graded_on = grade, feedback.strip(), graded_on
    review.save(update_fields=["ofsted_grade", "ofsted_feedback", "ofsted_graded_on", "updated_at"])
    return review
