from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from reviews import permissions as perms
from reviews import services
from reviews.access import get_referral_for_user
from reviews.filters import ReferralFilter
from reviews.forms import DecisionCorrectionForm, PanelDecisionForm, ReferralForm
from reviews.lists import Sort, list_page
from reviews.models import PanelDecision, Referral, Review
from reviews.models.references import reference_order
from reviews.views.forms_flow import handle_form, posted


@login_required
def referral_list(request):
    """Referrals, newest first, 50 a page, filtered by decision and year received."""
    user = request.user
    if perms.runs_reviews(user):
        referrals = Referral.objects.all()
    elif perms.can_log_referral(user):
        referrals = Referral.objects.filter(referred_by=user)
    else:
        raise Http404("No referrals here.")
    listing = list_page(
        request,
        referrals.select_related("referring_agency", "decision", "review"),
        filterset_class=ReferralFilter,
        sorts=(
            Sort("received", "Received", ("received_at",)),
            Sort("reference", "Reference", (reference_order(),)),
        ),
        default_sort="received",
        default_descending=True,
    )
    context = {"listing": listing, "can_log": perms.can_log_referral(user)}
    return render(request, "reviews/referral_list.html", context)


@login_required
def referral_create(request):
    if not perms.can_log_referral(request.user):
        raise PermissionDenied
    form = ReferralForm(posted(request))
    return handle_form(
        request,
        form=form,
        template="reviews/referral_form.html",
        context={"agency": request.user.agency},
        save=lambda data: services.referral_log(actor=request.user, **data),
        success_message="Referral logged. The external bodies are due to be told it will go to the panel.",
        success_url=lambda referral: reverse("reviews:referral-detail", args=[referral.pk]),
    )


@login_required
def referral_detail(request, pk):
    referral = get_referral_for_user(request.user, pk)
    decision = getattr(referral, "decision", None)
    context = {
        "referral": referral,
        "agencies": referral.agencies_involved.all(),
        "decision": decision,
        # The referrer learns the outcome, not the review: see docs/access-decisions.md.
        "review_link": getattr(referral, "review", None) if perms.runs_reviews(request.user) else None,
        # The criteria, the rationale and their history are the panel's and the business manager's.
        "show_decision": decision is not None and perms.runs_reviews(request.user),
        "revisions": decision.revisions.select_related("corrected_by")
        if decision and perms.runs_reviews(request.user)
        else [],
        "can_correct": decision is not None and perms.can_decide_referral(request.user),
        "notifications": referral.notifications.select_related("body", "sent_by", "attachment", "message"),
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
        # A second submission (the back button, another tab): say so, and show the decision recorded.
        messages.info(request, f"The panel's decision on {referral.reference} is already recorded.")
        return redirect("reviews:referral-detail", pk=referral.pk)
    form = PanelDecisionForm(posted(request), initial={"attendees": [request.user.pk]})

    def save(data):
        services.referral_decide(
            actor=request.user,
            referral=referral,
            held_on=data["held_on"],
            attendees=data["attendees"],
            other_attendees=data["other_attendees"],
            **form.decision(),
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


@login_required
def referral_decision_correct(request, pk):
    """The panel corrects its decision; the original is kept with the reason."""
    referral = get_referral_for_user(request.user, pk)
    if not perms.can_decide_referral(request.user):
        raise PermissionDenied
    decision = getattr(referral, "decision", None)
    if decision is None:
        raise Http404("The panel has not decided on this referral.")
    initial = {
        **{name: "yes" if getattr(decision, name) else "no" for name in PanelDecision.CRITERIA},
        "outcome": decision.outcome,
        "rationale": decision.rationale,
        "criterion_a_justification": decision.criterion_a_justification,
    }
    form = DecisionCorrectionForm(posted(request), initial=initial)
    return handle_form(
        request,
        form=form,
        template="reviews/decision_correct.html",
        context={"referral": referral, "decision": decision},
        save=lambda data: services.referral_decision_correct(
            actor=request.user, decision=decision, reason=data["reason"], **form.decision()
        ),
        success_message="The panel's decision is corrected. The original stays on record.",
        success_url=reverse("reviews:referral-detail", args=[referral.pk]),
    )
