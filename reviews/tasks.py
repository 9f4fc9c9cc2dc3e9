import datetime
from importlib import import_module

from celery import shared_task
from django.conf import settings

from reviews.models import RenderedPdf, Review
from reviews.pdf import terms_of_reference_pdf
from reviews.services import pdf_render, tor_freeze_pdf
from reviews.services.outbox import DeliveryFailed, outbox_deliver, stale_queued_hand_off
from reviews.services.reminders import reminders_queue


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


# acks_late with reject_on_worker_lost: a worker lost mid-send leaves the task to be run again;
# the service sends only a message still queued, under its row lock, so it goes once.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=settings.OUTBOX_MAX_RETRIES)
def deliver_message(self, message_id: int) -> None:
    """Send one outbox message; the mail server's refusals are retried, the last one recorded as failed."""
    if self.request.is_eager:
        # In-process (no broker, as `make run`): the attempts follow one another at once.
        for attempt in range(self.max_retries + 1):
            try:
                outbox_deliver(message_id=message_id, last_attempt=attempt == self.max_retries)
                return
            except DeliveryFailed:
                continue
        return
    try:
        outbox_deliver(message_id=message_id, last_attempt=self.request.retries >= self.max_retries)
    except DeliveryFailed as failure:
        # 1, 2, 4, 8… times the backoff, at most six hours.
        wait = min(settings.OUTBOX_RETRY_BACKOFF * 2**self.request.retries, 6 * 60 * 60)
        raise self.retry(exc=failure, countdown=wait) from failure


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_reminders() -> int:
    """Queue today's reminders (Celery beat runs this daily); safe to run twice."""
    return reminders_queue()


@shared_task
def redeliver_stale_messages() -> int:
    """Hand over again messages queued long ago and never delivered (beat runs this every quarter hour)."""
    return stale_queued_hand_off(older_than=datetime.timedelta(minutes=settings.OUTBOX_STALE_MINUTES))


@shared_task
def clear_expired_sessions() -> None:
    """Delete the rows of sessions that have ended (beat runs this nightly), as `clearsessions` does."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
