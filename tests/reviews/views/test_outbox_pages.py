"""The business manager's outbox page, each review's e-mails, and failed e-mails on the home page."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.models import AuditEvent, Notification, OutboxMessage, ReviewState
from tests.factories import ExternalBodyFactory

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


# Each notification's state on the referral and review pages


def _row(page, name) -> str:
    """The notifications table's row of the body named `name`, as HTML."""
    table = page.content.decode().split('aria-label="Notifications"', 1)[1].split("</table>", 1)[0]
    (row,) = [row for row in table.split('<tr class="govuk-table__row">') if f">{name}<" in row]
    return row


REFUSED = "ConnectionRefusedError: [Errno 111] Connection refused"


def test_each_notification_shows_what_became_of_its_e_mail(
    client, walk, cast, django_capture_on_commit_callbacks
):
    ExternalBodyFactory(name="National panel", email="")
    referral = walk.referral()
    notification = referral.notifications.get(body__name="Ofsted")
    message = notification.message
    portal = referral.notifications.get(body__name="National panel")
    page_url = reverse("reviews:referral-detail", args=[referral.pk])
    mark_sent = reverse("reviews:notification-sent", args=[notification.pk])
    resend = reverse("reviews:outbox-resend", args=[message.pk])
    client.force_login(cast["manager"])

    row = _row(client.get(page_url), "Ofsted")
    assert '<strong class="govuk-tag govuk-tag--yellow">Being e-mailed</strong>' in row
    assert mark_sent not in row and resend not in row
    row = _row(client.get(page_url), "National panel")
    assert '<strong class="govuk-tag govuk-tag--yellow">Due to be sent</strong>' in row
    assert f'href="{reverse("reviews:notification-sent", args=[portal.pk])}">Mark as sent<' in row

    OutboxMessage.objects.filter(pk=message.pk).update(status="failed", attempts=6, last_error=REFUSED)
    row = _row(client.get(page_url), "Ofsted")
    assert '<strong class="govuk-tag govuk-tag--red">E-mail failed</strong>' in row
    assert "Being e-mailed" not in row
    assert '<p class="govuk-body govuk-!-margin-bottom-1">The mail server could not be reached.</p>' in row
    assert f'<code class="govuk-!-text-break-word">{REFUSED}</code>' in row
    assert f'href="{resend}">Send again<' in row
    assert f'href="{mark_sent}">record as sent another way<' in row

    client.post(mark_sent, {"confirm": "yes"})
    row = _row(client.get(page_url), "Ofsted")
    assert f"Sent {timezone.localdate():%-d %b %Y} by Priya Sharma" in row
    assert reverse("reviews:notification-undo", args=[notification.pk]) in row

    # Put back by "Undo": its e-mail is still the failed one, not one being sent.
    client.post(
        reverse("reviews:notification-undo", args=[notification.pk]), {"note": "Sent to the wrong team."}
    )
    row = _row(client.get(page_url), "Ofsted")
    assert '<strong class="govuk-tag govuk-tag--red">E-mail failed</strong>' in row
    assert "Being e-mailed" not in row

    with django_capture_on_commit_callbacks(execute=True):
        client.post(resend, {"confirm": "yes"})
    sent_at = Notification.objects.get(pk=notification.pk).sent_at
    row = _row(client.get(page_url), "Ofsted")
    assert f"E-mailed {timezone.localtime(sent_at):%-d %b %Y %H:%M} to ofsted@example.org" in row
    assert resend not in row and mark_sent not in row


def test_the_notifications_cost_no_query_each(client, walk, cast):
    referral = walk.referral()
    client.force_login(cast["manager"])
    url = reverse("reviews:referral-detail", args=[referral.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    services.notifications_queue(
        actor=cast["manager"],
        referral=referral,
        kind="referral",
        bodies=[ExternalBodyFactory(), ExternalBodyFactory(email=""), ExternalBodyFactory()],
    )
    with CaptureQueriesContext(connection) as more:
        page = client.get(url)
    assert len(page.context["notifications"]) == 5
    assert len(more.captured_queries) == len(few.captured_queries)


# Failures in plain words, and sending again


def test_the_home_page_and_the_outbox_put_the_failure_in_plain_words(client, walk, cast):
    review = walk.decided()
    _messages(1, review, status="failed")
    OutboxMessage.objects.filter(status="failed").update(last_error=REFUSED)
    client.force_login(cast["manager"])
    home = client.get(reverse("home")).content.decode()
    assert "after 6 attempts. The mail server could not be reached. <a " in home
    outbox = client.get(reverse("reviews:outbox")).content.decode()
    assert '<p class="govuk-body govuk-!-margin-bottom-1">The mail server could not be reached.</p>' in outbox
    for page in (home, outbox):
        # The mail server's own words only inside "Technical detail".
        assert page.count("ConnectionRefusedError") == 1
        assert f'<code class="govuk-!-text-break-word">{REFUSED}</code>' in page


def _resend(client, message):
    """Send again, and return the messages the next page shows."""
    response = client.post(
        reverse("reviews:outbox-resend", args=[message.pk]), {"confirm": "yes"}, follow=True
    )
    assert response.redirect_chain == [(reverse("reviews:outbox") + "?status=failed", 302)]
    return [(m.level_tag, m.message) for m in response.context["messages"]]


def test_sending_again_says_what_became_of_the_e_mail(client, walk, cast, monkeypatch):
    from reviews.tasks import deliver_message

    review = walk.decided()
    _messages(3, review, status="failed")
    first, second, third = OutboxMessage.objects.filter(status="failed").order_by("subject")
    client.force_login(cast["manager"])

    # Handed to a worker that has not sent it yet (this test's transaction never commits): queued.
    assert _resend(client, third) == [("success", "“Reminder 2” is queued to be sent again.")]

    # Without a broker the e-mail goes as the resend commits, before the page answers (as in `make run`).
    monkeypatch.setattr(
        "reviews.services.outbox.deliver_on_commit", lambda ids: [deliver_message.delay(pk) for pk in ids]
    )
    assert _resend(client, second) == [("success", "“Reminder 1” sent to person1@example.org.")]

    def refuse(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    shown = _resend(client, first)
    assert shown == [("error", "“Reminder 0” could not be sent again. The mail server could not be reached.")]
    first.refresh_from_db()
    assert (first.status, first.attempts, first.last_error) == ("failed", 12, REFUSED)


@pytest.mark.parametrize(
    "status, says",
    [
        ("sent", "“Reminder 0” is sent: it went on "),
        ("queued", "“Reminder 0” is queued to be sent. There is nothing to send again."),
    ],
)
def test_sending_again_a_message_that_has_not_failed_says_so(client, walk, cast, status, says):
    _messages(1, walk.decided())
    message = OutboxMessage.objects.get(kind="reminder")
    if status == "sent":
        OutboxMessage.objects.filter(pk=message.pk).update(status="sent", sent_at=timezone.now())
    client.force_login(cast["manager"])
    response = client.get(reverse("reviews:outbox-resend", args=[message.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">This e-mail has not failed</h1>' in page
    assert says in page
    assert "<form" not in page.split('id="main-content"')[1].split("</main>")[0]
    assert "no error recorded" not in page


# One message's page


def test_the_message_page_shows_the_e_mail_as_sent(client, walk, cast, django_capture_on_commit_callbacks):
    review = walk.ready(walk.at(ReviewState.TOR_DRAFTING))
    with django_capture_on_commit_callbacks(execute=True):
        services.review_move(actor=cast["chair"], review=review, move="agree_terms_of_reference")
    message = review.messages.get(notification__body__name="Ofsted", notification__kind="tor")
    OutboxMessage.objects.filter(pk=message.pk).update(body_text="Dear Ofsted,\n<b>attached</b>")
    client.force_login(cast["manager"])
    url = reverse("reviews:outbox-message", args=[message.pk])
    page = client.get(url).content.decode()
    download = reverse("reviews:document-download", args=[message.attachment_id])
    assert f'<h1 class="govuk-heading-l">{review.reference}: terms of reference agreed</h1>' in page
    assert '<dd class="govuk-summary-list__value">ofsted@example.org</dd>' in page
    assert '<strong class="govuk-tag govuk-tag--green">Sent</strong>' in page
    assert f'<a class="govuk-link" href="{download}">{review.reference}-terms-of-reference.pdf</a>' in page
    assert (
        '<div class="govuk-inset-text govuk-body app-preformatted">Dear Ofsted,\n&lt;b&gt;attached&lt;/b&gt;</div>'
        in page
    )
    # The outbox links each subject to its page, and the attachment to its download.
    outbox = client.get(reverse("reviews:outbox"), {"review": review.reference}).content.decode()
    assert f'<a class="govuk-link" href="{url}">{review.reference}: terms of reference agreed</a>' in outbox
    assert f'href="{download}">{review.reference}-terms-of-reference.pdf</a>' in outbox


def test_others_get_404_and_a_denied_row_for_a_message(client, walk, cast):
    message = walk.referral().notifications.get(body__name="Ofsted").message
    client.force_login(cast["chair"])
    assert client.get(reverse("reviews:outbox-message", args=[message.pk])).status_code == 404
    denied = AuditEvent.objects.get(action="denied", actor=cast["chair"])
    assert (denied.object_id, denied.summary) == (str(message.pk), f"Tried to open the e-mail “{message}”")


def test_the_outbox_finds_a_referrals_e_mails_by_its_reference(client, walk, cast):
    referral = walk.referral()
    client.force_login(cast["manager"])
    response = client.get(reverse("reviews:outbox"), {"review": referral.reference.lower()})
    assert sorted(m.to[0] for m in response.context["listing"].rows) == [
        "government.office.for.london@example.org",
        "ofsted@example.org",
    ]
    assert '<div class="govuk-hint" id="id_review-hint">For example, SCR-2026-002 or REF-2026-002</div>' in (
        response.content.decode()
    )
