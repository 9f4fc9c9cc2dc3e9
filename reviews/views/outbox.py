"""The business manager's outbox: every e-mail the product sent, is sending or could not send."""

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


@login_required
def outbox_resend(request, pk):
    """Confirm (GET), then queue again (POST) a message that failed."""
    if not perms.is_business_manager(request.user):
        raise Http404("No such message.")
    message = OutboxMessage.objects.filter(pk=pk).first()
    if message is None:
        raise Http404("No such message.")
    back = reverse("reviews:outbox") + "?status=failed"
    return handle_form(
        request,
        form=ConfirmForm(posted(request)),
        template="reviews/confirm.html",
        context={
            "title": f"Send “{message}” again?",
            "caption": message.review or "Outbox",
            "explanation": f"It goes to {', '.join(message.to + message.cc)}. The last attempt failed: "
            f"{message.last_error or 'no error recorded'}.",
            "submit": "Send again",
            "cancel_url": back,
        },
        save=lambda data: services.outbox_resend(actor=request.user, message=message),
        success_message=f"“{message}” is queued to be sent again.",
        success_url=back,
    )
