"""The outbox: each e-mail a row written with its cause, delivered once after commit (eager tasks)."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from reviews import services
from reviews.models import AuditEvent, Notification, OutboxMessage, ReviewState
from reviews.services.common import ActionNotAllowed
from tests.factories import ExternalBodyFactory

S = ReviewState
DAY = datetime.timedelta(days=1)
TODAY = timezone.localdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusing_mail_server(monkeypatch):
    """Every e-mail is refused, as a mail server that is down would."""
    calls = []

    def refuse(self, messages):
        calls.append(messages)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    return calls


def test_a_referral_queues_one_e_mail_per_body_in_its_transaction(walk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        referral = walk.referral()
        messages = OutboxMessage.objects.filter(notification__referral=referral).order_by("to")
        # Written with the referral, and nothing sent before it commits.
        assert [(m.to, m.status, m.kind) for m in messages] == [
            (["government.office.for.london@example.org"], "queued", "notification"),
            (["ofsted@example.org"], "queued", "notification"),
        ]
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert sorted(email.to[0] for email in mail.outbox) == [
        "government.office.for.london@example.org",
        "ofsted@example.org",
    ]
    assert all(
        email.subject == f"{referral.reference}: a case will be considered for a serious case review"
        for email in mail.outbox
    )
    # The case outline is anonymised: no name of the child or the family.
    for email in mail.outbox:
        assert "Ellie" not in email.body and "Carter" not in email.body
        assert "Ellie" not in email.alternatives[0][0]
    assert set(messages.values_list("status", flat=True)) == {"sent"}
    notification = referral.notifications.get(body__name="Ofsted")
    assert (notification.status, notification.sent_by_email, notification.sent_by) == ("sent", True, None)


def test_a_body_without_an_address_keeps_the_manual_record(walk, django_capture_on_commit_callbacks):
    ExternalBodyFactory(name="National panel", email="")
    with django_capture_on_commit_callbacks(execute=True):
        referral = walk.referral()
    portal = referral.notifications.get(body__name="National panel")
    assert not OutboxMessage.objects.filter(notification=portal).exists()
    assert portal.status == "queued"
    assert len(mail.outbox) == 2
    services.notification_mark_sent(actor=walk.cast["manager"], notification=portal)
    portal.refresh_from_db()
    assert (portal.status, portal.sent_by) == ("sent", walk.cast["manager"])


def test_a_refused_move_writes_no_message(walk, django_capture_on_commit_callbacks):
    review = walk.decided()  # the terms of reference not yet written: agreeing them is refused
    before = OutboxMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ActionNotAllowed):
        services.review_move(actor=walk.cast["chair"], review=review, move="agree_terms_of_reference")
    assert OutboxMessage.objects.count() == before
    assert not Notification.objects.filter(review=review, kind="tor").exists()


def test_notification_2_waits_for_the_terms_of_reference_and_carries_them(
    walk, django_capture_on_commit_callbacks
):
    review = walk.ready(walk.at(S.TOR_DRAFTING))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_move(actor=walk.cast["chair"], review=review, move="agree_terms_of_reference")
    messages = OutboxMessage.objects.filter(review=review, notification__kind="tor")
    assert messages.count() == 2
    # The PDF was rendered on commit, attached, and only then the e-mails went.
    assert set(messages.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == 2
    for email in mail.outbox:
        ((filename, content, content_type),) = email.attachments
        assert (filename, content_type) == (f"{review.reference}-terms-of-reference.pdf", "application/pdf")
        assert content.startswith(b"%PDF")
    assert set(review.notifications.filter(kind="tor").values_list("status", flat=True)) == {"sent"}


def test_notification_3_goes_with_the_submission_pack(walk, django_capture_on_commit_callbacks):
    review = walk.ready(walk.at(S.ACTION_PLAN))
    pack = review.documents.get(kind="ofsted_pack").versions.order_by("-number").first()
    with django_capture_on_commit_callbacks(execute=True):
        review = services.review_move(actor=walk.cast["manager"], review=review, move="send_to_ofsted")
    messages = OutboxMessage.objects.filter(notification__review=review, notification__kind="report")
    assert sorted(m.subject for m in messages) == [
        f"{review.reference}: serious case review report for grading",
        f"{review.reference}: serious case review report for information",
    ]
    assert set(messages.values_list("status", flat=True)) == {"sent"}
    assert [e.attachments[0][0] for e in mail.outbox if "report" in e.subject] == [pack.original_filename] * 2
    for email in mail.outbox:
        if "report" in email.subject:
            assert email.attachments[0][1].startswith(b"%PDF")


def test_a_message_delivered_twice_is_sent_once(walk):
    message = walk.referral().notifications.get(body__name="Ofsted").message
    services.outbox_deliver(message_id=message.pk)
    services.outbox_deliver(message_id=message.pk)
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<outbox-{message.pk}@")


def test_a_refused_e_mail_is_retried_then_failed_and_resent(
    walk, settings, refusing_mail_server, django_capture_on_commit_callbacks
):
    from reviews.tasks import deliver_message

    with django_capture_on_commit_callbacks(execute=True):
        referral = walk.referral()
    # Eager: the first attempt and every retry, at once.
    attempts = deliver_message.max_retries + 1
    assert len(refusing_mail_server) == 2 * attempts
    message = referral.notifications.get(body__name="Ofsted").message
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", attempts)
    assert message.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert AuditEvent.objects.filter(action="failed", object_id=str(message.pk)).count() == 1
    assert list(OutboxMessage.objects.failed().order_by("pk")) == list(
        OutboxMessage.objects.filter(notification__referral=referral).order_by("pk")
    )

    with pytest.raises(ActionNotAllowed):
        services.outbox_resend(
            actor=walk.cast["manager"], message=walk.referral().notifications.first().message
        )


def test_the_business_manager_resends_a_failed_message(walk, django_capture_on_commit_callbacks):
    message = walk.referral().notifications.get(body__name="Ofsted").message
    OutboxMessage.objects.filter(pk=message.pk).update(status="failed", attempts=6, last_error="Refused")
    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_resend(actor=walk.cast["manager"], message=message)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 7)
    assert [e.to for e in mail.outbox] == [["ofsted@example.org"]]


def test_only_the_business_manager_resends(walk):
    from django.core.exceptions import PermissionDenied

    message = walk.referral().notifications.get(body__name="Ofsted").message
    OutboxMessage.objects.filter(pk=message.pk).update(status="failed")
    with pytest.raises(PermissionDenied):
        services.outbox_resend(actor=walk.cast["chair"], message=message)


# Reminders


def test_the_sweep_queues_each_reminder_once(walk, django_capture_on_commit_callbacks):
    review = walk.decided()
    tor_due = review.milestones.get(kind="tor_agreed").due_on
    on = tor_due - DAY  # and IMR authors are due to be nominated in 8 days: no reminder
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_queue(on=on) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_queue(on=on) == 0
    (email,) = mail.outbox
    assert email.to == [walk.cast["chair"].email]
    assert email.cc == [walk.cast["manager"].email]
    assert email.subject == f"{review.reference}: terms of reference due tomorrow"
    assert email.body.startswith(
        f"The terms of reference of review {review.reference} are due to be agreed tomorrow, {tor_due:%A %-d %B %Y}.\n"
    )
    assert email.body.endswith(
        "This is a reminder from the LSCB's serious case review system. The LSCB business manager receives a copy.\n\n"
    )
    assert f"/reviews/{review.pk}/" in email.body
    # No confidential content: nothing of the referral's summary or the child.
    assert "Ellie" not in email.body and "fractured" not in email.body
    message = OutboxMessage.objects.get(kind="reminder")
    key = f"reminder:milestone:{review.milestones.get(kind='tor_agreed').pk}:{tor_due.isoformat()}:1"
    assert message.idempotency_key == key


def test_the_sweep_reminds_imr_authors_and_action_owners(walk, django_capture_on_commit_callbacks, cast):
    from agencies.roles import Role
    from tests.factories import UserFactory

    review = walk.at(S.IMRS_IN_PROGRESS)
    due = review.milestones.get(kind="imrs_submitted").due_on
    with django_capture_on_commit_callbacks(execute=True):
        count = services.reminders_queue(on=due)
    imr_reminders = OutboxMessage.objects.filter(idempotency_key__startswith="reminder:imr:")
    assert count == 2 + 1  # each agency's IMR author, and the milestone to the chair
    assert sorted(m.to[0] for m in imr_reminders) == ["author2@example.org", "author@example.org"]
    assert {m.subject for m in imr_reminders} == {f"{review.reference}: your IMR due today"}

    UserFactory(username="hospitalboss", agency=cast["hospital"], roles=[Role.AGENCY_SENIOR_MANAGER])
    plan_review = walk.at(S.ACTION_PLAN)
    item = services.action_item_add(
        actor=cast["agencymanager"],
        review=plan_review,
        agency=cast["hospital"],
        description="Train the ward staff.",
        owner="Head of nursing",
        due_on=TODAY() + 30 * DAY,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_queue(on=item.due_on + 14 * DAY)
    message = OutboxMessage.objects.get(idempotency_key=f"reminder:action:{item.pk}:{item.due_on}:-14")
    assert message.to == ["agencymanager@example.org", "hospitalboss@example.org"]
    assert message.cc == ["manager@example.org"]
    assert message.subject == f"{plan_review.reference}: an action of the action plan overdue"
    assert "Train the ward staff" not in message.body_text


def test_a_done_milestone_is_not_reminded(walk):
    review = walk.decided()
    milestone = review.milestones.get(kind="tor_agreed")
    milestone.done_on = TODAY()
    milestone.save()
    services.reminders_queue(on=milestone.due_on)
    assert not OutboxMessage.objects.filter(
        idempotency_key__startswith=f"reminder:milestone:{milestone.pk}:"
    ).exists()


def test_send_reminders_prints_how_many_it_queued(walk, capsys, django_capture_on_commit_callbacks):
    review = walk.decided()
    on = review.milestones.get(kind="tor_agreed").due_on - DAY
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=on):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders")
        call_command("send_reminders")
    assert capsys.readouterr().out == "Queued 1 reminder.\nQueued 0 reminders.\n"


def test_a_message_whose_hand_off_was_lost_is_handed_over_again(walk):
    from reviews.tasks import redeliver_stale_messages

    referral = walk.referral()  # its e-mails queued, never handed over (the transaction never commits)
    review = walk.at(S.TOR_AGREED)  # notification 2, waiting for its document
    OutboxMessage.objects.update(queued_at=timezone.now() - datetime.timedelta(hours=1))
    assert redeliver_stale_messages() == OutboxMessage.objects.filter(attachment_required=False).count()
    assert set(
        OutboxMessage.objects.filter(notification__referral=referral).values_list("status", flat=True)
    ) == {"sent"}
    assert set(review.messages.filter(notification__kind="tor").values_list("status", flat=True)) == {
        "queued"
    }
    assert redeliver_stale_messages() == 0


def test_a_reminder_reads_as_if_rendered_on_its_own(walk):
    """Reminders are rendered once per shape and filled in: the result is the template's, exactly."""
    from reviews.services.outbox import email_render
    from reviews.services.reminders import MILESTONE_WORDS, reminder_context

    review = walk.decided()
    milestone = review.milestones.get(kind="tor_agreed")
    on = milestone.due_on + 7 * DAY
    services.reminders_queue(on=on)
    message = OutboxMessage.objects.get(idempotency_key__startswith=f"reminder:milestone:{milestone.pk}:")
    alone = email_render(
        "reminder",
        reminder_context(
            MILESTONE_WORDS["tor_agreed"],
            review.reference,
            milestone.due_on,
            -7,
            f"http://127.0.0.1:8000/reviews/{review.pk}/#timeline",
            copied=True,
        ),
    )
    assert (message.subject, message.body_text, message.body_html) == alone
    assert message.subject == f"{review.reference}: terms of reference overdue"


def test_notification_e_mails_give_the_reference_and_whom_to_ask_not_a_link(
    walk, settings, django_capture_on_commit_callbacks
):
    # The external bodies have no account: a link to the product would lead to a sign-in page.
    with django_capture_on_commit_callbacks(execute=True):
        referral = walk.referral()
    (email,) = [e for e in mail.outbox if e.to == ["ofsted@example.org"]]
    assert settings.SITE_URL not in email.body and settings.SITE_URL not in email.alternatives[0][0]
    assert "We will tell you the panel's decision" not in email.body
    assert (
        "If the panel decides on a serious case review, you will be told when its terms of reference are "
        "agreed (notification 2).\n\nPlease quote the reference in any reply. If you have a question, reply "
        "to this e-mail or contact the LSCB business manager.\n" in email.body
    )
    assert f"Reference: {referral.reference}\n" in email.body

    review = walk.ready(walk.at(S.TOR_DRAFTING))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_move(actor=walk.cast["chair"], review=review, move="agree_terms_of_reference")
    for email in mail.outbox:
        assert settings.SITE_URL not in email.body and settings.SITE_URL not in email.alternatives[0][0]
        assert (
            f"Please quote the reference, {review.reference}, in any reply. If you have a question, reply to "
            "this e-mail or contact the LSCB business manager.\n" in email.body
        )


@pytest.mark.parametrize(
    "last_error, words",
    [
        ("ConnectionRefusedError: [Errno 111] Connection refused", "The mail server could not be reached."),
        ("gaierror: [Errno -2] Name or service not known", "The mail server could not be reached."),
        ("TimeoutError: timed out", "The mail server did not answer in time."),
        (
            "SMTPRecipientsRefused: {'ofsted@example.org': (550, b'5.1.1 User unknown')}",
            "The mail server refused the address the e-mail was sent to: check the address.",
        ),
        (
            "SMTPAuthenticationError: (535, b'5.7.8 Authentication credentials invalid')",
            "The product could not sign in to the mail server: its mail settings need checking.",
        ),
        (
            "SMTPServerDisconnected: Connection unexpectedly closed",
            "The mail server did not accept the e-mail.",
        ),
        ("", ""),
    ],
)
def test_a_delivery_error_is_put_in_plain_words(last_error, words):
    from reviews.services.outbox import failure_words

    assert failure_words(last_error) == words


def test_a_message_sent_after_a_failed_attempt_keeps_no_error(walk):
    message = walk.referral().notifications.get(body__name="Ofsted").message
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=1, last_error="TimeoutError: timed out")
    services.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, "")
