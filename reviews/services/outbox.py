"""The outbox: every e-mail is a row written with its cause, and delivered by a task after commit.

A message is queued in the transaction of the change that causes it, and handed to Celery
only once that transaction commits, so a refused or rolled-back change sends nothing and a
committed one is never forgotten. Delivery locks the row and sends only a queued message, so
a task run twice (a retry, a worker lost and its task run again) sends once.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from reviews import permissions as perms
from reviews.models import AuditEvent, Notification, OutboxMessage
from reviews.services.common import ActionNotAllowed, audit_record


class DeliveryFailed(Exception):
    """The mail server refused or could not be reached; the delivery task tries again later."""


# What a stored error means, in the words the business manager reads; the first that matches wins.
# The error itself stays on the row and in the audit log, and is shown beside these words.
FAILURE_WORDS = (
    (
        ("SMTPAuthenticationError", "Authentication"),
        "The product could not sign in to the mail server: its mail settings need checking.",
    ),
    (
        ("SMTPRecipientsRefused", "recipient"),
        "The mail server refused the address the e-mail was sent to: check the address.",
    ),
    (("TimeoutError", "timed out", "timeout"), "The mail server did not answer in time."),
    (
        (
            "ConnectionRefusedError",
            "Connection refused",
            "gaierror",
            "Name or service not known",
            "unreachable",
        ),
        "The mail server could not be reached.",
    ),
)


def failure_words(last_error: str) -> str:
    """Say in plain words why an e-mail could not be sent; "" when no error is recorded."""
    if not last_error:
        return ""
    lowered = last_error.lower()
    for clues, words in FAILURE_WORDS:
        if any(clue.lower() in lowered for clue in clues):
            return words
    return "The mail server did not accept the e-mail."


def site_link(path: str) -> str:
    """Return the full address of a page of the product, for an e-mail."""
    return f"{settings.SITE_URL}{path}"


def email_render(template: str, context: dict) -> tuple[str, str, str]:
    """Render templates/emails/<template>-subject.txt, -body.txt and -body.html."""
    subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
    text = render_to_string(f"emails/{template}-body.txt", context)
    html = render_to_string(f"emails/{template}-body.html", context)
    return subject[:300], text, html


def deliver_on_commit(message_ids) -> None:
    """Hand the messages to Celery once the current transaction has committed."""
    from reviews.tasks import deliver_message

    ids = list(message_ids)
    if ids:
        # robust: a broker that is down must not turn a committed change into an error page; the
        # rows stay queued (see docs/outbox.md).
        transaction.on_commit(lambda: [deliver_message.delay(pk) for pk in ids], robust=True)


def stale_queued_hand_off(*, older_than) -> int:
    """Hand to Celery again every message still queued `older_than` after it was queued; return how many.

    A message whose hand-off was lost (the broker down as its change committed, a queue purged)
    would otherwise wait for ever. Handing one over twice is harmless: delivery sends it once.
    """
    ids = list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.QUEUED, queued_at__lt=timezone.now() - older_than
        )
        .exclude(attachment_required=True, attachment__isnull=True)
        .values_list("pk", flat=True)
    )
    from reviews.tasks import deliver_message

    for pk in ids:
        deliver_message.delay(pk)
    return len(ids)


def message_queue(
    *,
    actor,
    kind: str,
    template: str,
    key: str,
    to: list[str],
    cc: list[str] = (),
    context: dict,
    review=None,
    notification=None,
    attachment=None,
    attachment_required: bool = False,
    summary_recipient=None,
) -> OutboxMessage:
    """Write one message to the outbox, once per key, and deliver it after commit."""
    subject, text, html = email_render(template, context)
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "kind": kind,
            "template": template,
            "review": review,
            "notification": notification,
            "to": list(to),
            "cc": [address for address in cc if address not in to],
            "subject": subject,
            "body_text": text,
            "body_html": html,
            "attachment": attachment,
            "attachment_required": attachment_required,
            "summary_recipient": summary_recipient,
            "queued_by": actor if actor is not None and actor.is_authenticated else None,
        },
    )
    if created:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.QUEUED,
            obj=message,
            review=review,
            summary=f"E-mail “{subject}” queued to {', '.join(message.to)}",
        )
        deliver_on_commit([message.pk])
    return message


def notification_attach(*, notification: Notification, version) -> Notification:
    """Attach a stored document to a queued notification and send its e-mail once committed.

    The terms of reference (notification 2) are attached as their PDF is frozen; the submission
    pack (notification 3) is attached here by whatever prepares it. Attaching again changes nothing.
    """
    with transaction.atomic():
        updated = Notification.objects.filter(pk=notification.pk, attachment__isnull=True).update(
            attachment=version
        )
        waiting = list(
            OutboxMessage.objects.filter(
                notification_id=notification.pk, attachment__isnull=True, status=OutboxMessage.Status.QUEUED
            ).values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=waiting).update(attachment=version)
        if updated:
            audit_record(
                actor=None,
                action=AuditEvent.Action.CHANGED,
                obj=notification,
                review=notification.review,
                summary=f"{version.original_filename} attached to {notification}",
            )
        deliver_on_commit(waiting)
    notification.attachment = version
    return notification


def _email(message: OutboxMessage) -> EmailMultiAlternatives:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.to,
        cc=message.cc,
        # The same Message-ID on every attempt: a receiving server that saw it already can tell.
        headers={"Message-ID": f"<outbox-{message.pk}@{domain}>"},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    if message.attachment_id:
        version = message.attachment
        with version.file.open("rb") as stored:
            email.attach(version.original_filename, stored.read(), version.content_type)
    return email


def outbox_deliver(*, message_id: int, last_attempt: bool = True) -> OutboxMessage | None:
    """Send a queued message once; record the attempt, and after the last one that fails, the failure.

    Raises DeliveryFailed (after recording the attempt) when a later attempt should follow.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(of=("self",))
            .select_related("attachment", "notification")
            .filter(pk=message_id)
            .first()
        )
        # Sent already (a task run twice), failed for good, or gone: nothing to do.
        if message is None or message.status != OutboxMessage.Status.QUEUED:
            return message
        if message.waiting_for_attachment:
            # Sent when its document is attached (notification_attach).
            return message
        message.attempts += 1
        # The row stays locked while the mail server talks: a second run of the same task
        # waits here, then finds the message sent.
        try:
            _email(message).send()
        except OSError as error:  # smtplib.SMTPException is an OSError, as are refused connections.
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if last_attempt:
                message.status = OutboxMessage.Status.FAILED
            message.save(update_fields=["attempts", "last_error", "status"])
            if last_attempt:
                audit_record(
                    actor=None,
                    action=AuditEvent.Action.FAILED,
                    obj=message,
                    review=message.review,
                    summary=f"E-mail “{message.subject}” failed after {message.attempts} attempts: "
                    f"{message.last_error}",
                )
                return message
            failure = error
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            # An earlier attempt's error no longer describes the message; the audit log keeps it.
            message.last_error = ""
            message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
            if message.notification_id:
                Notification.objects.filter(
                    pk=message.notification_id, status=Notification.Status.QUEUED
                ).update(status=Notification.Status.SENT, sent_at=message.sent_at, sent_by_email=True)
            if message.summary_recipient_id:
                _summary_copy_delivered(message)
            audit_record(
                actor=None,
                action=AuditEvent.Action.SENT,
                obj=message,
                review=message.review,
                summary=f"E-mail “{message.subject}” sent to {', '.join(message.to + message.cc)}",
            )
            return message
    raise DeliveryFailed(message.last_error) from failure


def _summary_copy_delivered(message: OutboxMessage) -> None:
    """Mark the member of staff's copy as sent; once every copy has gone, the summary counts as sent.

    Staff without an address get their copy by hand, so while any current member of staff has none,
    the business manager still records the sending (summary_mark_sent_to_staff).
    """
    from reviews.models import ExecutiveSummary, SummaryRecipient

    sent_on = timezone.localdate(message.sent_at)
    SummaryRecipient.objects.filter(
        pk=message.summary_recipient_id, status=SummaryRecipient.Status.DUE
    ).update(status=SummaryRecipient.Status.SENT, sent_on=sent_on)
    summary = ExecutiveSummary.objects.select_for_update(of=("self",)).get(
        recipients__pk=message.summary_recipient_id
    )
    if (
        summary.sent_to_staff_on is not None
        or summary.recipients.filter(status=SummaryRecipient.Status.DUE).exists()
    ):
        return
    if summary.review.involved_staff.current().filter(email="").exists():
        return
    summary.sent_to_staff_on = sent_on
    summary.save(update_fields=["sent_to_staff_on"])
    audit_record(
        actor=None,
        action=AuditEvent.Action.SENT,
        obj=summary,
        review=summary.review,
        summary=f"Executive summary sent by e-mail to every member of staff involved, the last on {sent_on:%-d %B %Y}",
    )


@transaction.atomic
def outbox_resend(*, actor, message: OutboxMessage) -> OutboxMessage:
    """Queue a failed message again; the business manager does this from the home or outbox page."""
    if not perms.is_business_manager(actor):
        raise PermissionDenied("Only the business manager resends e-mails.")
    message = (
        OutboxMessage.objects.select_for_update(of=("self",))
        .select_related("notification__body")
        .get(pk=message.pk)
    )
    if message.status != OutboxMessage.Status.FAILED:
        raise ActionNotAllowed(f"“{message}” has not failed: it is {message.get_status_display().lower()}.")
    notification = message.notification
    if notification is not None:
        if notification.status == Notification.Status.SENT:
            raise ActionNotAllowed(
                f"{notification} was recorded as sent by other means: it is not e-mailed again."
            )
        if not notification.body.email:
            raise ActionNotAllowed(
                f"{notification.body} has no e-mail address now: record the notification as sent."
            )
        # The body's address as it is now: a corrected address is what the message goes to.
        message.to = [notification.body.email]
    message.status = OutboxMessage.Status.QUEUED
    message.save(update_fields=["status", "to"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.QUEUED,
        obj=message,
        review=message.review,
        summary=f"E-mail “{message.subject}” queued again after: {message.last_error}",
    )
    deliver_on_commit([message.pk])
    return message
