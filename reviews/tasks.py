from celery import shared_task

from reviews.models import Review
from reviews.pdf import terms_of_reference_pdf
from reviews.services import tor_freeze_pdf


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def tor_render_pdf(review_id: int) -> None:
    """Render the agreed ToR once and store it as the review's frozen copy; safe to run twice."""
    review = Review.objects.select_related("referral", "terms_of_reference").get(pk=review_id)
    if review.documents.filter(kind="tor").exists():
        return
    tor_freeze_pdf(review=review, content=terms_of_reference_pdf(review))
