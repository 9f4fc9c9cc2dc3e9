"""One action of an action plan: its page, and its moves (started, completed with evidence, verified, reopened)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from reviews import permissions as perms
from reviews import services
from reviews.action_progress import action_rag
from reviews.forms import EvidenceForm, NoteForm
from reviews.models import ActionItem, OutboxMessage
from reviews.models.action_plan import EVIDENCE_MISSING
from reviews.preconditions import available_moves
from reviews.services.moves import note_needed
from reviews.views.forms_flow import handle_form, posted
from reviews.views.review import review_context


def get_action_for_user(user, pk) -> ActionItem:
    item = get_object_or_404(
        ActionItem.objects.select_related(
            "plan__review__referral__decision", "plan__agency", "owner_agency", "recommendation"
        ),
        pk=pk,
    )
    if not perms.can_view_action(user, item):
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
    from reviews.views.monitoring import action_history, evidence_documents

    item = get_action_for_user(request.user, pk)
    today = timezone.localdate()
    last_reminder = (
        item.messages.filter(kind=OutboxMessage.Kind.REMINDER, status=OutboxMessage.Status.SENT)
        .order_by("-sent_at")
        .first()
    )
    context = {
        **review_context(item.plan.review),
        "item": item,
        "rag": action_rag(item, today=today),
        "moves": action_moves(item, request.user),
        "history": action_history(item, request.user),
        "evidence": evidence_documents(item),
        "last_reminder": last_reminder,
        "can_update": perms.can_update_action(request.user, item) and item.state != item.State.VERIFIED,
        "can_monitor": perms.can_monitor_actions(request.user),
        "can_tag": item.recommendation is not None
        and perms.can_tag_themes(request.user)
        and perms.can_read_recommendation(request.user, item.recommendation),
        "can_list": perms.can_list_actions(request.user) or perms.sees_agency_actions(request.user),
    }
    return render(request, "reviews/action_detail.html", context)


def _holds_move(user, item, move: str) -> bool:
    """Whether `move` is one this person makes on this action in some state (the owner's or the QA sub-group's)."""
    if move in ("start", "complete"):
        return perms.can_update_action(user, item)
    if move in ("verify", "reopen"):
        return perms.can_monitor_actions(user)
    return False


# What follows each move of an action, on its confirmation page; a move not here cannot be undone.
ACTION_MOVE_WARNINGS = {
    "complete": "The quality-assurance sub-group verifies it or reopens it.",
    "verify": "The quality-assurance sub-group can still reopen it, with a reason, if later evidence shows it did not work.",
    "reopen": "Its owners are e-mailed; they record progress and complete it again. Agree a new due date with them if the old one has passed.",
}


@login_required
def action_move(request, pk, move):
    """Confirm a move of the action (GET), then make it (POST); completing asks for the evidence."""
    item = get_action_for_user(request.user, pk)
    offered = next((m for m in action_moves(item, request.user) if m["name"] == move), None)
    if offered is None and _holds_move(request.user, item, move):
        # Theirs to make, but not now: most often a second click after the first one moved it.
        messages.info(request, f"Nothing was changed: the action is now “{item.get_state_display()}”.")
        return redirect(action_url(item))
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
            "warning": ACTION_MOVE_WARNINGS.get(move, ""),
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
