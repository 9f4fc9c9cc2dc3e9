"""The terms of reference: drafted by the panel, then agreed (a move: see moves.py) and frozen as a PDF."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from reviews import permissions as perms
from reviews.models import AuditEvent, Document, Notification, NotificationKind, Review, TermsOfReference
from reviews.services.common import ActionNotAllowed, Problems, audit_record, check_date
from reviews.services.documents import document_create
from reviews.services.outbox import notification_attach

# The questions the panel sets the authors: a few, each a sentence or two.
MAX_FOCUS_AREAS = 30
MAX_QUESTION_LENGTH = 1000


@transaction.atomic
def tor_update(
    *,
    actor,
    review: Review,
    period_start: datetime.date | None,
    period_end: datetime.date | None,
    focus_areas: list[str],
    agencies,
    further_detail: str = "",
) -> TermsOfReference:
    """Save the draft terms of reference: period, ordered focus areas and agencies asked."""
    if not perms.can_write_tor(actor, review):
        raise PermissionDenied("Only the panel writes the terms of reference.")
    review = Review.objects.select_for_update(of=("self",)).select_related("referral").get(pk=review.pk)
    tor = TermsOfReference.objects.select_for_update().get(review=review)
    if tor.is_agreed:
        raise ActionNotAllowed("The terms of reference are agreed and can no longer be changed.")
    received_on = timezone.localdate(review.referral.received_at)
    problems = Problems()
    check_date(problems, period_start, field="period_start", what="the start of the period under review")
    check_date(
        problems,
        period_end,
        field="period_end",
        what="the end of the period under review",
        latest=received_on,
        latest_is="the day the referral was received",
    )
    if period_start and period_end and period_end < period_start:
        problems.add("End of the period under review must be after its start", field="period_end")
    questions = [q.strip() for q in focus_areas if q.strip()]
    if not questions:
        problems.add("Enter at least one focus area", field="focus_areas")
    elif len(questions) > MAX_FOCUS_AREAS:
        problems.add(f"Enter at most {MAX_FOCUS_AREAS} focus areas, one per line", field="focus_areas")
    elif any(len(q) > MAX_QUESTION_LENGTH for q in questions):
        problems.add(
            f"Each focus area must be {MAX_QUESTION_LENGTH:,} characters or fewer", field="focus_areas"
        )
    wanted = {agency.pk for agency in agencies}
    if not wanted:
        problems.add("Select the agencies asked to take part", field="agencies")
    current = set(review.participations.values_list("agency_id", flat=True))
    leaving = current - wanted
    if review.participations.filter(agency_id__in=leaving, imr__isnull=False).exists():
        problems.add("An agency that has nominated an IMR author cannot be removed", field="agencies")
    problems.raise_any()
    tor.period_start, tor.period_end, tor.further_detail = period_start, period_end, further_detail.strip()
    tor.save()
    tor.focus_areas.all().delete()
    tor.focus_areas.bulk_create(
        [tor.focus_areas.model(terms=tor, position=i, question=q) for i, q in enumerate(questions, 1)]
    )
    review.participations.filter(agency_id__in=leaving).delete()
    for agency_id in sorted(wanted - current):
        review.participations.create(agency_id=agency_id)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        obj=tor,
        review=review,
        summary="Draft terms of reference saved",
    )
    return tor


@transaction.atomic
def tor_freeze_pdf(*, review: Review, content: bytes):
    """Store the agreed terms of reference as a document, once, and attach it to the queued notifications 2.

    Safe to run twice: the second run finds the document and stores nothing new.
    """
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("terms_of_reference__agreed_by")
        .get(pk=review.pk)
    )
    tor = review.terms_of_reference
    if not tor.is_agreed:
        raise ActionNotAllowed("Only agreed terms of reference are frozen as a document.")
    existing = review.documents.filter(kind=Document.Kind.TERMS_OF_REFERENCE).first()
    if existing is not None:
        version = existing.versions.latest()
    else:
        version = document_create(
            actor=tor.agreed_by,
            review=review,
            kind=Document.Kind.TERMS_OF_REFERENCE,
            title=f"Terms of reference, {review.reference}",
            content=content,
            filename=f"{review.reference}-terms-of-reference.pdf",
            content_type="application/pdf",
        )
    for notification in Notification.objects.filter(
        review=review, kind=NotificationKind.TERMS_OF_REFERENCE, attachment__isnull=True
    ):
        notification_attach(notification=notification, version=version)
    return version
