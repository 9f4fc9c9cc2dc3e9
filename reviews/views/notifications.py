"""The business manager's record of notifications to the external bodies."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse

from reviews import permissions as perms
from reviews import services
from reviews.forms import ConfirmForm, UndoSentForm
from reviews.models import Notification
from reviews.views.forms_flow import handle_form, posted


def _notification_for(request, pk) -> Notification:
    if not perms.is_business_manager(request.user):
        raise Http404("No such notification.")
    notification = (
        Notification.objects.select_related("referral", "review", "body", "sent_by").filter(pk=pk).first()
    )
    if notification is None:
        raise Http404("No such notification.")
    return notification


def _back(notification) -> str:
    if notification.review_id:
        return reverse("reviews:review-detail", args=[notification.review_id]) + "#notifications"
    return reverse("reviews:referral-detail", args=[notification.referral_id])


@login_required
def notification_mark_sent(request, pk):
    """Confirm (GET), then record (POST) that a queued notification went to its body."""
    notification = _notification_for(request, pk)
    return handle_form(
        request,
        form=ConfirmForm(posted(request)),
        template="reviews/confirm.html",
        context={
            "title": f"Mark “{notification}” as sent?",
            "caption": notification.review or notification.referral,
            "explanation": f"Confirm that you sent notification “{notification.get_kind_display()}” to "
            f"{notification.body} ({notification.body.email}). Today's date and your name are recorded.",
            "submit": "Mark as sent",
            "cancel_url": _back(notification),
        },
        save=lambda data: services.notification_mark_sent(actor=request.user, notification=notification),
        success_message=f"{notification} marked as sent.",
        success_url=_back(notification),
    )


@login_required
def notification_undo_sent(request, pk):
    """Put a notification marked as sent by mistake back in the queue, with a note."""
    notification = _notification_for(request, pk)
    return handle_form(
        request,
        form=UndoSentForm(posted(request)),
        template="reviews/confirm.html",
        context={
            "title": f"Undo “marked as sent” for {notification}?",
            "caption": notification.review or notification.referral,
            "explanation": "The notification goes back to “due to be sent”. Say why: the earlier record stays in "
            "the activity log.",
            "submit": "Undo “marked as sent”",
            "cancel_url": _back(notification),
        },
        save=lambda data: services.notification_undo_sent(
            actor=request.user, notification=notification, note=data["note"]
        ),
        success_message=f"{notification} is due to be sent again.",
        success_url=_back(notification),
    )
