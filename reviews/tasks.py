from celery import shared_task

from reviews.models import RenderedPdf, Review
from reviews.pdf import terms_of_reference_pdf
from reviews.services import pdf_render, tor_freeze_pdf


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def tor_render_pdf(review_id: int) -> None:
    """Render the agreed ToR once and store it as the review's frozen copy; safe to run twice."""
    review = Review.objects.select_related("referral", "terms_of_reference").get(pk=review_id)
    if review.documents.filter(kind="tor").exists():
        return
    tor_freeze_pdf(review=review, content=terms_of_reference_pdf(review))


# acks_late: a worker lost mid-render leaves the message to another; rendering twice is harmless,
# since only a job still queued is stored.
@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_pdf(rendered_pdf_id: int) -> None:
    """Render a PDF asked for in the background; a job already done is left alone."""
    rendered = RenderedPdf.objects.filter(pk=rendered_pdf_id).first()
    if rendered is not None:
        pdf_render(rendered=rendered)
