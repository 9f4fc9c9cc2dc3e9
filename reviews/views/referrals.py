from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from reviews import permissions as perms
from reviews import services
from reviews.access import get_referral_for_user
from reviews.forms import PanelDecisionForm, ReferralForm
from reviews.models import PanelDecision, Referral, Review
from reviews.views.forms_flow import handle_form, posted


@login_required
def referral_list(request):
    user = request.user
    if perms.runs_reviews(user):
        referrals = Referral.objects.all()
    elif perms.can_log_referral(user):
        referrals = Referral.objects.filter(referred_by=user)
    else:
        raise Http404("No referrals here.")
    referrals = referrals.select_related("referring_agency", "decision", "review").order_by("-received_at")
    return render(request, "reviews/referral_list.html", {"referrals": referrals})


@login_required
def referral_create(request):
    if not perms.can_log_referral(request.user):
        raise PermissionDenied
    initial = {"referring_agency": request.user.agency_id}
    form = ReferralForm(posted(request), initial=initial)
    return handle_form(
        request,
        form=form,
        template="reviews/referral_form.html",
        context={},
        save=lambda data: services.referral_log(actor=request.user, **data),
        success_message="Referral logged. The external bodies are due to be told it will go to the panel.",
        success_url=lambda referral: reverse("reviews:referral-detail", args=[referral.pk]),
    )


@login_required
def referral_detail(request, pk):
    referral = get_referral_for_user(request.user, pk)
    context = {
        "referral": referral,
        "agencies": referral.agencies_involved.all(),
        "decision": getattr(referral, "decision", None),
        "notifications": referral.notifications.select_related("body", "sent_by"),
        "can_notify": perms.is_business_manager(request.user),
        "can_decide": perms.can_decide_referral(request.user) and not referral.is_decided,
    }
    return render(request, "reviews/referral_detail.html", context)


@login_required
def referral_decide(request, pk):
    referral = get_referral_for_user(request.user, pk)
    if not perms.can_decide_referral(request.user):
        raise PermissionDenied
    if referral.is_decided:
        raise Http404("The panel has already decided on this referral.")
    form = PanelDecisionForm(posted(request), referral=referral, initial={"attendees": [request.user.pk]})

    def save(data):
        meeting = services.panel_meeting_record(
            actor=request.user,
            held_on=data["held_on"],
            attendees=data["attendees"],
            other_attendees=data["other_attendees"],
        )
        services.referral_decide(
            actor=request.user,
            referral=referral,
            meeting=meeting,
            criteria={name: data[name] for name in PanelDecision.CRITERIA},
            outcome=data["outcome"],
            rationale=data["rationale"],
            criterion_a_justification=data["criterion_a_justification"],
        )
        return Review.objects.filter(referral=referral).first()

    return handle_form(
        request,
        form=form,
        template="reviews/decision_form.html",
        context={"referral": referral},
        save=save,
        success_message="The panel's decision is recorded.",
        success_url=lambda review: (
            reverse("reviews:review-detail", args=[review.pk])
            if review
            else reverse("reviews:referral-detail", args=[pk])
        ),
    )
