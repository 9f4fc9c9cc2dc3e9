"""The business manager's outbox: every e-mail the product sent, is sending or could not send."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from reviews import permissions as perms
from reviews import services
from reviews.filters import OutboxFilter
from reviews.forms import ConfirmForm
from reviews.lists import Sort, list_page
from reviews.models import OutboxMessage
from reviews.services.outbox import failure_words
from reviews.views.forms_flow import handle_form, posted


@login_required
def outbox(request):
    """Every message, newest first, filtered by review, kind and status, 50 a page."""
    if not perms.is_business_manager(request.user):
        raise Http404("No outbox here.")
    listing = list_page(
        request,
        OutboxMessage.objects.select_related("review", "attachment"),
        filterset_class=OutboxFilter,
        sorts=(
            Sort("queued", "Queued", ("queued_at",)),
            Sort("sent", "Sent", ("sent_at",)),
            Sort("status", "Status", ("status", "-queued_at")),
        ),
        default_sort="queued",
        default_descending=True,
    )
    return render(request, "reviews/outbox.html", {"listing": listing})


def _message_for(request, pk) -> OutboxMessage:
    """Return the message for the business manager; to anyone else it does not exist (and the try is recorded)."""
    message = OutboxMessage.objects.select_related("review", "attachment", "queued_by").filter(pk=pk).first()
    if message is None:
        raise Http404("No such message.")
    if not perms.is_business_manager(request.user):
        services.access_denied_record(
            actor=request.user,
            obj=message,
            review=message.review,
            summary=f"Tried to open the e-mail “{message}”",
        )
        raise Http404("No such message.")
    return message


@login_required
def outbox_message(request, pk):
    """One message as it was sent: its addresses, subject, text, attachment and what became of it."""
    return render(request, "reviews/outbox_message.html", {"message": _message_for(request, pk)})


def _resent(message: OutboxMessage) -> OutboxMessage:
    # Without a broker the e-mail is delivered in-process before this returns: say what became of it.
    message.refresh_from_db(fields=["status", "attempts", "last_error", "sent_at", "to"])
    return message


def _resend_words(message: OutboxMessage) -> str:
    if message.status == OutboxMessage.Status.FAILED:
        return f"“{message}” could not be sent again. {failure_words(message.last_error)}"
    if message.status == OutboxMessage.Status.SENT:
        return f"“{message}” sent to {', '.join(message.to + message.cc)}."
    return f"“{message}” is queued to be sent again."


@login_required
def outbox_resend(request, pk):
    """Confirm (GET), then queue again (POST) a message that failed."""
    message = _message_for(request, pk)
    if request.method != "POST" and message.status != OutboxMessage.Status.FAILED:
        # Nothing to send again: the message's own page says what became of it.
        return render(request, "reviews/outbox_message.html", {"message": message, "not_failed": True})
    back = reverse("reviews:outbox") + "?status=failed"
    return handle_form(
        request,
        form=ConfirmForm(posted(request)),
        template="reviews/confirm.html",
        context={
            "title": f"Send “{message}” again?",
            "caption": message.review or "Outbox",
            "explanation": f"It goes to {', '.join(message.to + message.cc)}. The last attempt failed: "
            f"{failure_words(message.last_error) or 'no reason was recorded.'}",
            "submit": "Send again",
            "cancel_url": back,
        },
        save=lambda data: _resent(services.outbox_resend(actor=request.user, message=message)),
        success_message=_resend_words,
        success_level=lambda sent: (
            messages.ERROR if sent.status == OutboxMessage.Status.FAILED else messages.SUCCESS
        ),
        success_url=back,
    )
