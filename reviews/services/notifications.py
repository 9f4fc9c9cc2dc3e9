from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from reviews import permissions as perms
from reviews.models import AuditEvent, Notification, NotificationKind, OutboxMessage
from reviews.services.common import ActionNotAllowed, audit_record
from reviews.services.outbox import message_queue

# The notifications that carry a document, and wait for it before their e-mail goes.
CARRIES_DOCUMENT = {NotificationKind.TERMS_OF_REFERENCE, NotificationKind.REPORT_COMPLETE}


def notifications_queue(
    *, actor, referral, kind: str, bodies, review=None, attachment=None
) -> list[Notification]:
    """Queue one notification per body, once: queuing again changes nothing.

    A body with an e-mail address gets it by e-mail through the outbox; for one without, the
    business manager sends it some other way and records when.
    """
    queued = []
    for body in bodies:
        notification, created = Notification.objects.get_or_create(
            referral=referral,
            kind=kind,
            body=body,
            defaults={"review": review, "attachment": attachment},
        )
        if created:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.QUEUED,
                obj=notification,
                review=review,
                summary=f"{notification} queued",
            )
            if body.email:
                _notification_email(actor, notification)
        queued.append(notification)
    return queued


def _notification_email(actor, notification: Notification) -> OutboxMessage:
    review = notification.review
    # No link to the product: the external bodies have no account. The e-mail gives the reference
    # and whom to ask (the LSCB business manager) instead.
    return message_queue(
        actor=actor,
        kind=OutboxMessage.Kind.NOTIFICATION,
        template=f"notification-{notification.kind}",
        key=f"notification:{notification.pk}",
        to=[notification.body.email],
        context={
            "notification": notification,
            "referral": notification.referral,
            "review": review,
            "body": notification.body,
        },
        review=review,
        notification=notification,
        attachment=notification.attachment,
        attachment_required=notification.kind in CARRIES_DOCUMENT,
    )


def _locked(actor, notification: Notification) -> Notification:
    if not perms.is_business_manager(actor):
        raise PermissionDenied("Only the business manager sends notifications.")
    return Notification.objects.select_for_update(of=("self",)).select_related("body").get(pk=notification.pk)


@transaction.atomic
def notification_mark_sent(*, actor, notification: Notification) -> Notification:
    """Record that the business manager sent a queued notification."""
    notification = _locked(actor, notification)
    if notification.status == Notification.Status.SENT:
        raise ActionNotAllowed(f"{notification} was already sent on {notification.sent_at:%-d %B %Y}.")
    message = OutboxMessage.objects.filter(notification=notification).first()
    if message is not None and message.status != OutboxMessage.Status.FAILED:
        # Its e-mail records when it went; a hand-made record beside it would say otherwise.
        raise ActionNotAllowed(
            f"{notification} goes by e-mail ({message.get_status_display().lower()}): the outbox records when it went."
        )
    notification.status = Notification.Status.SENT
    notification.sent_at = timezone.now()
    notification.sent_by = actor
    notification.save(update_fields=["status", "sent_at", "sent_by"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SENT,
        obj=notification,
        review=notification.review,
        summary=f"{notification} marked as sent",
    )
    return notification


@transaction.atomic
def notification_undo_sent(*, actor, notification: Notification, note: str) -> Notification:
    """Put a notification marked as sent by mistake back in the queue; the audit log keeps the earlier record."""
    notification = _locked(actor, notification)
    if notification.status != Notification.Status.SENT:
        raise ActionNotAllowed(f"{notification} has not been marked as sent.")
    if notification.sent_by_email:
        raise ActionNotAllowed(f"{notification} left the product by e-mail: that record cannot be undone.")
    if not note.strip():
        raise ActionNotAllowed({"note": ["Say why the notification was not sent after all"]})
    was = f"{notification.sent_at:%-d %B %Y %H:%M} by {notification.sent_by}"
    notification.status = Notification.Status.QUEUED
    notification.sent_at = None
    notification.sent_by = None
    notification.save(update_fields=["status", "sent_at", "sent_by"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UNDONE,
        obj=notification,
        review=notification.review,
        summary=f"{notification} back in the queue (was marked as sent {was}): {note.strip()}",
    )
    return notification
