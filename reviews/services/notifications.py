from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from reviews import permissions as perms
from reviews.models import Notification
from reviews.services.common import ActionNotAllowed, audit_record


def notifications_queue(*, referral, kind: str, bodies, review=None, attachment=None) -> list[Notification]:
    """Queue one notification per body, once: queuing again changes nothing."""
    queued = []
    for body in bodies:
        notification, _ = Notification.objects.get_or_create(
            referral=referral,
            kind=kind,
            body=body,
            defaults={"review": review, "attachment": attachment},
        )
        queued.append(notification)
    return queued


@transaction.atomic
def notification_mark_sent(*, actor, notification: Notification) -> Notification:
    """Record that the business manager sent a queued notification."""
    if not perms.is_business_manager(actor):
        raise PermissionDenied("Only the business manager sends notifications.")
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.status == Notification.Status.SENT:
        raise ActionNotAllowed(f"{notification} was already sent on {notification.sent_at:%d %B %Y}.")
    notification.status = Notification.Status.SENT
    notification.sent_at = timezone.now()
    notification.sent_by = actor
    notification.save(update_fields=["status", "sent_at", "sent_by"])
    audit_record(
        actor=actor, action="sent", obj=notification, review=notification.review, summary=str(notification)
    )
    return notification
