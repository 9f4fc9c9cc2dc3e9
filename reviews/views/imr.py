"""An agency's IMR: its page, its author's declaration and its moves."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from reviews import permissions as perms
from reviews import services
from reviews.access import get_imr_for_user
from reviews.forms import DeclarationForm, InterviewForm, NoteForm
from reviews.preconditions import available_moves
from reviews.views.forms_flow import handle_form, posted
from reviews.views.review import move_history, review_context

START_INTRO = (
    "You will build the chronology, interview staff (sharing the terms of reference with each of them) "
    "and write the report."
)


def imr_url(imr) -> str:
    return reverse("reviews:imr-detail", args=[imr.pk])


@login_required
def imr_detail(request, pk):
    imr = get_imr_for_user(request.user, pk)
    context = {
        **review_context(imr.participation.review),
        "imr": imr,
        "entry_count": imr.chronology_entries.count(),
        "interviews": imr.interviews.select_related("staff"),
        "can_write": perms.can_write_imr(request.user, imr),
        "moves": available_moves(imr, request.user),
        "history": move_history(imr, request.user),
    }
    return render(request, "reviews/imr_detail.html", context)


@login_required
def imr_declaration(request, pk):
    imr = get_imr_for_user(request.user, pk)
    if imr.author_id != request.user.pk:
        raise Http404("Only the nominated author signs the declaration.")
    return handle_form(
        request,
        form=DeclarationForm(posted(request)),
        template="reviews/declaration_form.html",
        context={**review_context(imr.participation.review), "imr": imr},
        save=lambda data: services.imr_sign_declaration(actor=request.user, imr=imr),
        success_message="Independence declaration signed.",
        success_url=imr_url(imr),
    )


@login_required
def imr_move(request, pk, move):
    """Confirm a move of the IMR (GET), then make it (POST)."""
    imr = get_imr_for_user(request.user, pk)
    offered = next((m for m in available_moves(imr, request.user) if m["name"] == move), None)
    if offered is None:
        raise Http404("That move is not available.")
    return handle_form(
        request,
        form=NoteForm(posted(request)),
        template="reviews/move_confirm.html",
        context={
            **review_context(imr.participation.review),
            "move": offered,
            "moving": imr,
            "moving_name": "IMR",
            "caption": f"{imr.participation.review.reference} · {imr.participation.agency}",
            "back_url": imr_url(imr),
            "back_text": "Back to the IMR",
            "intro": START_INTRO if move == "start" else "",
        },
        save=lambda data: services.imr_move(actor=request.user, imr=imr, move=move, note=data["note"]),
        success_message=f"Done: {offered['label']}.",
        success_url=imr_url(imr),
    )


@login_required
def interview_add(request, pk):
    """Record an interview with a member of staff: refused when they had not had the terms of reference first."""
    imr = get_imr_for_user(request.user, pk)
    if not perms.can_write_imr(request.user, imr):
        raise PermissionDenied("Only the IMR's author records interviews, until the IMR is submitted.")
    review = imr.participation.review
    return handle_form(
        request,
        form=InterviewForm(posted(request), review=review),
        template="reviews/review_form.html",
        context={
            **review_context(review),
            "imr": imr,
            "title": "Record an interview",
            "submit": "Record the interview",
            "cancel_url": imr_url(imr),
        },
        save=lambda data: services.interview_record(actor=request.user, imr=imr, **data),
        success_message=lambda interview: f"Interview with {interview.staff.pseudonym} recorded.",
        success_url=f"{imr_url(imr)}#interviews",
    )
