from celery import shared_task
from django.db import transaction

from reviews.models import Document, Notification, NotificationKind, Review
from reviews.pdf import terms_of_reference_pdf
from reviews.services import document_create


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def tor_render_pdf(review_id: int) -> None:
    """Render the agreed ToR as a document and attach it to the queued notifications 2."""
    review = Review.objects.select_related("referral", "terms_of_reference__agreed_by").get(pk=review_id)
    tor = review.terms_of_reference
    with transaction.atomic():
        existing = review.documents.filter(kind=Document.Kind.TERMS_OF_REFERENCE).first()
        if existing is None:
            version = document_create(
                actor=tor.agreed_by,
                review=review,
                kind=Document.Kind.TERMS_OF_REFERENCE,
                title=f"Terms of reference, {review.reference}",
                content=terms_of_reference_pdf(review),
                filename=f"{review.reference}-terms-of-reference.pdf",
                content_type="application/pdf",
            )
        else:
            version = existing.versions.latest()
        Notification.objects.filter(
            review=review, kind=NotificationKind.TERMS_OF_REFERENCE, attachment__isnull=True
        ).update(attachment=version)
