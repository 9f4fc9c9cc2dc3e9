"""The board's page for a review: the overview report, its recommendations and the IMR critiques, and the
board's approval or return; then the LSCB action plan built from the overview recommendations."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from reviews import permissions as perms
from reviews import services
from reviews.access import get_overview_review_for_user, get_review_for_user
from reviews.forms import LSCBActionForm
from reviews.models import ActionItem, ActionPlan, ReviewState
from reviews.preconditions import available_moves
from reviews.views.forms_flow import handle_form, posted
from reviews.views.overview import overview_imrs, overview_versions
from reviews.views.review import review_context

BOARD_MOVES = ("board_approve", "board_return")
# The LSCB action plan is built once the board has approved the overview report.
PLAN_STATES = (ReviewState.ACTION_PLAN, ReviewState.WITH_OFSTED, ReviewState.EXECUTIVE_SUMMARY)


def board_url(review) -> str:
    return reverse("reviews:board", args=[review.pk])


def lscb_plan_url(review) -> str:
    return reverse("reviews:lscb-action-plan", args=[review.pk])


@login_required
def board(request, pk):
    """What the board reads before it decides, and its decisions so far: from the board stage on."""
    review = get_overview_review_for_user(request.user, pk, what="the overview report, at the board,")
    if not perms.can_read_assessments(request.user, review):
        # A manager the report is shared with reads the report on its own page, not the board's.
        services.access_denied_record(
            actor=request.user,
            obj=review,
            review=review,
            summary=f"Tried to open the board's page of {review}",
        )
        raise Http404("The board's page is for the board, the panel and the business manager.")
    if review.stage_reached in review.BEFORE_BOARD and not review.board_decisions.exists():
        raise Http404("The overview report has not been sent to the board.")
    versions = overview_versions(review)
    context = {
        **review_context(review),
        "report": versions.first(),
        "report_versions": versions.count(),
        "recommendations": review.recommendations.filter(imr__isnull=True).order_by("number"),
        "imrs": overview_imrs(review),
        "decisions": review.board_decisions.select_related("decided_by").order_by("decided_at", "pk"),
        "moves": [m for m in available_moves(review, request.user) if m["name"] in BOARD_MOVES],
    }
    return render(request, "reviews/board.html", context)


def _lscb_plan_review(request, pk):
    review = get_review_for_user(request.user, pk)
    if not perms.can_view_lscb_action_plan(request.user, review):
        services.access_denied_record(
            actor=request.user,
            obj=review,
            review=review,
            summary=f"Tried to open the LSCB action plan of {review}",
        )
        raise Http404("No LSCB action plan here.")
    return review


def _can_add(user, review) -> bool:
    return review.state in PLAN_STATES and perms.can_update_action_plan(
        user, ActionPlan(review=review, agency=None)
    )


@login_required
def lscb_action_plan(request, pk):
    """The LSCB action plan: each overview recommendation with its actions, and those with none yet."""
    review = _lscb_plan_review(request, pk)
    actions = ActionItem.objects.filter(plan__agency__isnull=True).select_related("owner_agency")
    recommendations = list(
        review.recommendations.filter(imr__isnull=True)
        .prefetch_related(Prefetch("actions", actions.order_by("due_on", "pk")), "themes")
        .order_by("number")
    )
    context = {
        **review_context(review),
        "recommendations": recommendations,
        "unanswered": [r for r in recommendations if not r.actions.all()],
        "unlinked": actions.filter(plan__review=review, recommendation__isnull=True).order_by("due_on", "pk"),
        "can_add": _can_add(request.user, review),
        # The overview's recommendations are read here by whoever may tag them (can_read_recommendation).
        "can_tag_themes": perms.can_tag_themes(request.user),
        "is_open": review.state in PLAN_STATES,
        "can_view_progress": perms.can_view_action_progress(request.user),
    }
    return render(request, "reviews/lscb_action_plan.html", context)


@login_required
def lscb_action_add(request, pk):
    """An action of the LSCB action plan, answering one of the overview report's recommendations."""
    review = _lscb_plan_review(request, pk)
    if not _can_add(request.user, review):
        raise PermissionDenied(
            "The panel and the business manager add to the LSCB action plan, once the board has approved "
            "the overview report."
        )
    initial = {}
    if request.GET.get("recommendation", "").isdigit():
        initial["recommendation"] = review.recommendations.filter(
            imr__isnull=True, number=request.GET["recommendation"]
        ).first()
    return handle_form(
        request,
        form=LSCBActionForm(posted(request), review=review, initial=initial),
        template="reviews/review_form.html",
        context={
            **review_context(review),
            "title": "Add an action to the LSCB action plan",
            "submit": "Add the action",
            "cancel_url": lscb_plan_url(review),
            "back_url": lscb_plan_url(review),
            "back_text": "Back to the LSCB action plan",
        },
        save=lambda data: services.action_item_add(actor=request.user, review=review, agency=None, **data),
        success_message="Action added to the LSCB action plan.",
        success_url=lscb_plan_url(review),
    )
