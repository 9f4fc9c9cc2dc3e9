"""The anonymised executive summary: the one public document."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from reviews import deadlines
from reviews import permissions as perms
from reviews.models import AuditEvent, ExecutiveSummary, Review
from reviews.services.common import ActionNotAllowed, Problems, audit_record, check_date

# A publication window longer than this is a typing mistake.
MAX_PUBLICATION_YEARS = 10


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
        raise ActionNotAllowed({"text": ["Enter the executive summary"]})
    summary, created = ExecutiveSummary.objects.update_or_create(
        review=review, defaults={"text": text.strip()}
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATED if created else AuditEvent.Action.CHANGED,
        obj=summary,
        review=review,
        summary="Executive summary drafted" if created else "Executive summary redrafted",
    )
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
    problems = Problems()
    for name in _real_names_in(review, summary.text):
        problems.add(f"The executive summary names “{name}”: replace the name before publishing.")
    today = timezone.localdate()
    check_date(
        problems,
        publish_from,
        field="publish_from",
        what="the first day of publication",
        earliest=review.decision_date,
        earliest_is="the date of the panel's decision",
        latest=today + datetime.timedelta(days=365),
        latest_is="a year from today",
    )
    if publish_until is not None and publish_from is not None:
        if publish_until <= publish_from:
            problems.add("The end of the publication window must be after its start", field="publish_until")
        check_date(
            problems,
            publish_until,
            field="publish_until",
            what="the last day of publication",
            earliest=None,
            latest=deadlines.add_months(publish_from, 12 * MAX_PUBLICATION_YEARS),
            latest_is=f"{MAX_PUBLICATION_YEARS} years after the first day",
        )
    problems.raise_any()
    summary.publish_from, summary.publish_until, summary.published_by = publish_from, publish_until, actor
    summary.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        obj=summary,
        review=review,
        summary=f"Executive summary published from {publish_from:%-d %B %Y}",
    )
    return summary


@transaction.atomic
def summary_mark_sent_to_staff(*, actor, review: Review, sent_on: datetime.date) -> ExecutiveSummary:
    """Record that the executive summary went to every member of staff involved (guide §9.2)."""
    if not perms.runs_reviews(actor):
        raise PermissionDenied("Only the panel and the business manager send the executive summary.")
    summary = ExecutiveSummary.objects.select_for_update().filter(review=review).first()
    if summary is None or summary.publish_from is None:
        raise ActionNotAllowed("Publish the executive summary before sending it to staff.")
    problems = Problems()
    check_date(
        problems,
        sent_on,
        field="sent_on",
        what="the date it was sent",
        earliest=review.decision_date,
        earliest_is="the date of the panel's decision",
        not_future=True,
    )
    problems.raise_any()
    summary.sent_to_staff_on = sent_on
    summary.save(update_fields=["sent_to_staff_on"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SENT,
        obj=summary,
        review=review,
        summary=f"Executive summary sent to the staff involved on {sent_on:%-d %B %Y}",
    )
    return summary
