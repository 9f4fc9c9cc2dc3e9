"""One action of an action plan: its page, and its moves (started, completed with evidence, verified, reopened)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from reviews import permissions as perms
from reviews import services
from reviews.forms import EvidenceForm, NoteForm
from reviews.models import ActionItem
from reviews.models.action_plan import EVIDENCE_MISSING
from reviews.preconditions import available_moves
from reviews.services.moves import note_needed
from reviews.views.forms_flow import handle_form, posted
from reviews.views.review import move_history, review_context


def can_view_action(user, item) -> bool:
    """Those who see every action plan, the plan's own owners, and the review's overview author for the LSCB's."""
    plan = item.plan
    if perms.can_list_actions(user) or perms.can_update_action_plan(user, plan):
        return True
    return plan.is_lscb_plan and perms.is_overview_author_of(user, plan.review)


def get_action_for_user(user, pk) -> ActionItem:
    item = get_object_or_404(
        ActionItem.objects.select_related(
            "plan__review__referral__decision", "plan__agency", "recommendation"
        ),
        pk=pk,
    )
    if not can_view_action(user, item):
        if user.is_authenticated:
            services.access_denied_record(
                actor=user, obj=item, review=item.plan.review, summary=f"Tried to open action {item.pk}"
            )
        raise Http404("No action matches the given query.")
    return item


def action_moves(item, user) -> list[dict]:
    """The moves offered: completing asks for its evidence on its own page, so the lack of it does not block it."""
    moves = available_moves(item, user)
    for move in moves:
        if move["name"] == "complete":
            move["reasons"] = [r for r in move["reasons"] if r != EVIDENCE_MISSING]
    return moves


def action_url(item) -> str:
    return reverse("reviews:action-detail", args=[item.pk])


@login_required
def action_detail(request, pk):
    item = get_action_for_user(request.user, pk)
    context = {
        **review_context(item.plan.review),
        "item": item,
        "moves": action_moves(item, request.user),
        "history": move_history(item, request.user),
    }
    return render(request, "reviews/action_detail.html", context)


@login_required
def action_move(request, pk, move):
    """Confirm a move of the action (GET), then make it (POST); completing asks for the evidence."""
    item = get_action_for_user(request.user, pk)
    offered = next((m for m in action_moves(item, request.user) if m["name"] == move), None)
    if offered is None:
        if request.method == "POST":
            services.access_denied_record(
                actor=request.user,
                obj=item,
                review=item.plan.review,
                summary=f"Tried “{move}” on action {item.pk}: not a move open to them now",
            )
        raise Http404("That move is not available.")
    completing = move == "complete"
    form = (
        EvidenceForm(posted(request), initial={"evidence": item.evidence})
        if completing
        else NoteForm(posted(request), needed=note_needed(item, move))
    )
    return handle_form(
        request,
        form=form,
        template="reviews/move_confirm.html",
        context={
            **review_context(item.plan.review),
            "move": offered,
            "moving": item,
            "moving_name": "action",
            "caption": f"{item.plan.review.reference} · {item.plan.agency or 'LSCB'} action plan",
            "back_url": action_url(item),
            "back_text": "Back to the action",
            "warning": "The quality-assurance sub-group verifies it or reopens it." if completing else "",
        },
        save=lambda data: services.action_item_move(
            actor=request.user,
            item=item,
            move=move,
            note=data.get("note", ""),
            evidence=data.get("evidence", ""),
        ),
        success_message=f"Done: {offered['label']}.",
        success_url=action_url(item),
    )
