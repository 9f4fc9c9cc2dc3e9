from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_fsm_log.models import StateLog

from reviews import permissions as perms
from reviews import services
from reviews.access import get_review_for_user
from reviews.forms import (
    CounsellingOfferForm,
    ExtensionForm,
    InvolvedStaffForm,
    NoteForm,
    PoliceAdviceForm,
    SupportMeetingForm,
)
from reviews.models import CounsellingOffer, Notification
from reviews.preconditions import available_moves
from reviews.timeline import review_timeline
from reviews.views.forms_flow import handle_form, posted


def review_url(review) -> str:
    return reverse("reviews:review-detail", args=[review.pk])


def review_context(review) -> dict:
    """What every page of a review shows: the police banner and the criterion (a) flag."""
    return {
        "review": review,
        "police_advice": review.police_advice.first() if review.police_investigation_open else None,
    }


@login_required
def review_detail(request, pk):
    review = get_review_for_user(request.user, pk)
    user = request.user
    today = timezone.localdate()
    support_meetings = list(review.support_meetings.prefetch_related("attendees"))
    kinds = {meeting.kind for meeting in support_meetings}
    context = {
        **review_context(review),
        "stages": review.stages(),
        "stage_index": review.stages().index(review.state),
        "moves": available_moves(review, user),
        "timeline": review_timeline(review, review.milestones.all(), today=today),
        "extensions": review.extensions.select_related("recorded_by"),
        "advice_history": review.police_advice.select_related("recorded_by"),
        "participations": [
            (participation, perms.can_engage_agency(user, participation))
            for participation in review.participations.select_related(
                "agency", "imr__author", "files_secured_by"
            )
        ],
        "involved_staff": review.involved_staff.select_related("agency"),
        "can_see_identities": perms.can_view_identities(user, review),
        "support_meetings": support_meetings,
        "missing_support": [
            label
            for kind, label in (("beginning", "at the beginning"), ("end", "at the end"))
            if kind not in kinds
        ],
        "counselling_offers": CounsellingOffer.objects.filter(staff__review=review).select_related("staff"),
        "notifications": review.notifications.select_related("body", "sent_by"),
        "history": StateLog.objects.for_(review).select_related("by", "content_type").order_by("-timestamp"),
        "tor": review.terms_of_reference,
        "can": {
            "extend": perms.can_extend_review(user, review),
            "police": perms.can_record_police_advice(user, review),
            "support": perms.can_organise_staff_support(user, review),
            "staff": perms.runs_reviews(user),
            "write_tor": perms.can_write_tor(user, review),
            "notify": perms.is_business_manager(user),
        },
    }
    return render(request, "reviews/review_detail.html", context)


DEDICATED = {"agree_terms_of_reference": "reviews:tor-agree"}


@login_required
def review_move(request, pk, transition):
    """Confirm a stage move (GET), then make it (POST)."""
    review = get_review_for_user(request.user, pk)
    move = next((m for m in available_moves(review, request.user) if m["name"] == transition), None)
    if move is None:
        raise Http404("That move is not available.")
    if transition in DEDICATED:
        return redirect(DEDICATED[transition], pk=review.pk)
    form = NoteForm(posted(request))

    def save(data):
        if transition in ("board_approve", "board_return"):
            services.review_board_decide(
                actor=request.user, review=review, approve=transition == "board_approve", note=data["note"]
            )
        else:
            services.review_move(actor=request.user, review=review, transition=transition, note=data["note"])

    return handle_form(
        request,
        form=form,
        template="reviews/move_confirm.html",
        context={**review_context(review), "move": move},
        save=save,
        success_message=f"Done: {move['label'].lower()}.",
        success_url=review_url(review),
    )


def _review_form_page(
    request, pk, *, allowed, form_class, title, save, message, template="reviews/review_form.html"
):
    review = get_review_for_user(request.user, pk)
    if not allowed(request.user, review):
        raise PermissionDenied
    form = form_class(posted(request), review=review)
    return handle_form(
        request,
        form=form,
        template=template,
        context={**review_context(review), "title": title},
        save=lambda data: save(request.user, review, data),
        success_message=message,
        success_url=review_url(review),
    )


@login_required
def review_extend(request, pk):
    return _review_form_page(
        request,
        pk,
        allowed=perms.can_extend_review,
        form_class=ExtensionForm,
        title="Extend the review",
        save=lambda user, review, data: services.review_extend(actor=user, review=review, **data),
        message="Extension recorded. The original due date stays on record.",
    )


@login_required
def police_advice_add(request, pk):
    return _review_form_page(
        request,
        pk,
        allowed=perms.can_record_police_advice,
        form_class=PoliceAdviceForm,
        title="Record the police's advice",
        save=lambda user, review, data: services.police_advice_record(actor=user, review=review, **data),
        message="Police advice recorded. Every page of the review now shows it.",
    )


@login_required
@require_POST
def police_investigation_toggle(request, pk):
    review = get_review_for_user(request.user, pk)
    if not perms.can_record_police_advice(request.user, review):
        raise PermissionDenied
    is_open = request.POST.get("open") == "yes"
    services.review_set_police_investigation(actor=request.user, review=review, is_open=is_open)
    messages.success(
        request, "Police investigation marked open." if is_open else "Police investigation marked closed."
    )
    return redirect(review_url(review))


@login_required
def involved_staff_add(request, pk):
    return _review_form_page(
        request,
        pk,
        allowed=lambda user, review: perms.runs_reviews(user),
        form_class=InvolvedStaffForm,
        title="Add a member of staff involved",
        save=lambda user, review, data: services.involved_staff_add(actor=user, review=review, **data),
        message="Member of staff added.",
    )


@login_required
def support_meeting_add(request, pk):
    return _review_form_page(
        request,
        pk,
        allowed=perms.can_organise_staff_support,
        form_class=SupportMeetingForm,
        title="Record a staff support meeting",
        save=lambda user, review, data: services.support_meeting_record(actor=user, review=review, **data),
        message="Staff support meeting recorded.",
    )


@login_required
def counselling_offer_add(request, pk):
    return _review_form_page(
        request,
        pk,
        allowed=perms.can_organise_staff_support,
        form_class=CounsellingOfferForm,
        title="Record an offer of counselling",
        save=lambda user, review, data: services.counselling_offer_record(actor=user, **data),
        message="Counselling offer recorded.",
    )


@login_required
def identity_register(request, pk):
    """Who is behind each pseudonym: for the panel, the business manager and the review's authors; audited."""
    review = get_review_for_user(request.user, pk)
    if not perms.can_view_identities(request.user, review):
        raise Http404("No identity register here.")
    services.audit_record(
        actor=request.user,
        action="viewed",
        obj=review,
        review=review,
        summary=f"Viewed the identity register of {review}",
    )
    context = {
        **review_context(review),
        "involved_staff": review.involved_staff.select_related("agency"),
    }
    return render(request, "reviews/identity_register.html", context)


@login_required
@require_POST
def notification_send(request, pk):
    """The business manager records that a queued notification went to its body."""
    if not perms.is_business_manager(request.user):
        raise Http404("No such notification.")
    notification = Notification.objects.select_related("referral", "review").filter(pk=pk).first()
    if notification is None:
        raise Http404("No such notification.")
    try:
        services.notification_mark_sent(actor=request.user, notification=notification)
    except services.ActionNotAllowed as refusal:
        messages.error(request, " ".join(refusal.reasons))
    else:
        messages.success(request, f"{notification} marked as sent.")
    if notification.review_id:
        return redirect(review_url(notification.review))
    return redirect("reviews:referral-detail", pk=notification.referral_id)
