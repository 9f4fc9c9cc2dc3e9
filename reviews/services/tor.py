import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from reviews import permissions as perms
from reviews.models import ExternalBody, Milestone, NotificationKind, Review, TermsOfReference
from reviews.services.common import ActionNotAllowed, run_transition
from reviews.services.notifications import notifications_queue


def tor_create(*, review: Review) -> TermsOfReference:
    return TermsOfReference.objects.create(review=review)


def _editable_tor(actor, review: Review) -> TermsOfReference:
    if not perms.can_write_tor(actor, review):
        raise PermissionDenied("Only the panel writes the terms of reference.")
    tor = TermsOfReference.objects.select_for_update().get(review=review)
    if tor.is_agreed:
        raise ActionNotAllowed("The terms of reference are agreed and can no longer be changed.")
    return tor


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
    tor = _editable_tor(actor, review)
    if period_start and period_end and period_end < period_start:
        raise ActionNotAllowed("The end of the period under review must be after its start.")
    tor.period_start, tor.period_end, tor.further_detail = period_start, period_end, further_detail
    tor.save()
    tor.focus_areas.all().delete()
    questions = [q.strip() for q in focus_areas if q.strip()]
    tor.focus_areas.bulk_create(
        [tor.focus_areas.model(terms=tor, position=i, question=q) for i, q in enumerate(questions, 1)]
    )
    wanted = {agency.pk for agency in agencies}
    current = set(review.participations.values_list("agency_id", flat=True))
    leaving = current - wanted
    if review.participations.filter(agency_id__in=leaving, imr__isnull=False).exists():
        raise ActionNotAllowed("An agency that has nominated an IMR author cannot be removed.")
    review.participations.filter(agency_id__in=leaving).delete()
    for agency_id in wanted - current:
        review.participations.create(agency_id=agency_id)
    return tor


@transaction.atomic
def tor_agree_and_share(*, actor, review: Review, note: str = "") -> Review:
    """Agree the terms of reference, record sharing them with staff and, for an SCR, queue notification 2."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    run_transition(review, "agree_terms_of_reference", actor=actor, note=note)
    now = timezone.now()
    TermsOfReference.objects.filter(review=review).update(
        agreed_at=now, agreed_by=actor, shared_with_staff_at=now
    )
    review.milestones.filter(kind=Milestone.Kind.TOR_AGREED).update(done_on=timezone.localdate())
    if review.is_scr:
        bodies = ExternalBody.objects.filter(is_active=True, receives_terms_of_reference=True)
        transaction.on_commit(lambda: _render_tor_for_notification(review.pk))
        notifications_queue(
            referral=review.referral, review=review, kind=NotificationKind.TERMS_OF_REFERENCE, bodies=bodies
        )
    return review


def _render_tor_for_notification(review_id: int) -> None:
    from reviews.tasks import tor_render_pdf

    tor_render_pdf.delay(review_id)
