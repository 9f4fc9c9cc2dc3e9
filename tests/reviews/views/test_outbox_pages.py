"""The business manager's outbox page, each review's e-mails, and failed e-mails on the home page."""

import pytest
from django.core import mail
from django.urls import reverse

from reviews.models import OutboxMessage, ReviewState

pytestmark = pytest.mark.django_db


def _messages(n, review=None, status="queued"):
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            kind="reminder",
            template="reminder",
            review=review,
            to=[f"person{i}@example.org"],
            subject=f"Reminder {i}",
            body_text="Sign in.",
            status=status,
            last_error="SMTPRecipientsRefused: refused" if status == "failed" else "",
            attempts=6 if status == "failed" else 0,
            idempotency_key=f"test:{status}:{review and review.pk}:{i}",
        )
        for i in range(n)
    )


@pytest.mark.parametrize("n", [3, 120])
def test_the_outbox_costs_the_same_queries_at_any_length(
    client, walk, cast, n, django_assert_max_num_queries
):
    review = walk.decided()
    _messages(n, review)
    client.force_login(cast["manager"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("reviews:outbox"), {"kind": "reminder"})
    listing = response.context["listing"]
    assert listing.count == n
    assert len(listing.rows) == min(n, 50)


def test_the_outbox_filters_by_review_kind_and_status(client, walk, cast):
    review = walk.decided()
    other = walk.decided()
    _messages(2, review)
    _messages(1, other, status="failed")
    client.force_login(cast["manager"])
    url = reverse("reviews:outbox")
    count = lambda **query: client.get(url, query).context["listing"].count  # noqa: E731
    notifications = OutboxMessage.objects.filter(kind="notification").count()
    assert count(review=review.reference, kind="reminder") == 2
    assert count(review=other.reference.lower()) == 1 + other.messages.filter(kind="notification").count()
    assert count(status="failed") == 1
    assert count(kind="notification") == notifications
    assert count(kind="nonsense") == OutboxMessage.objects.count()


def test_others_get_404_for_the_outbox(client, cast):
    client.force_login(cast["chair"])
    assert client.get(reverse("reviews:outbox")).status_code == 404


def test_failed_e_mails_show_on_the_managers_home_and_are_sent_again(
    client, walk, cast, django_capture_on_commit_callbacks
):
    review = walk.decided()
    _messages(1, review, status="failed")
    message = OutboxMessage.objects.get(status="failed")
    client.force_login(cast["manager"])
    home = client.get(reverse("home")).content.decode()
    assert "1 e-mail could not be sent" in home
    assert f"{review.reference}: “Reminder 0” to person0@example.org, after 6 attempts" in home
    resend = reverse("reviews:outbox-resend", args=[message.pk])
    assert resend in home
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend, {"confirm": "yes"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 7)
    assert [e.to for e in mail.outbox] == [["person0@example.org"]]
    assert "could not be sent" not in client.get(reverse("home")).content.decode()


def test_the_review_page_shows_the_reviews_e_mails_to_the_business_manager(client, walk, cast):
    review = walk.at(ReviewState.TOR_AGREED)
    client.force_login(cast["manager"])
    page = client.get(reverse("reviews:review-detail", args=[review.pk]))
    rows = page.context["review_messages"].rows
    # Notification 1's e-mails, sent before the review opened, are the review's too.
    assert sorted(m.subject for m in rows) == sorted(
        [f"{review.reference}: terms of reference agreed"] * 2
        + [f"{review.referral.reference}: a case will be considered for a serious case review"] * 2
    )
    assert "Waiting for its document" in page.content.decode()
    client.force_login(cast["chair"])
    assert client.get(reverse("reviews:review-detail", args=[review.pk])).context["review_messages"] is None
