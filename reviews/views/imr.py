"""An agency's IMR: its page, its author's declaration and its moves."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from reviews import permissions as perms
from reviews import services, uploads
from reviews.access import get_imr_for_user, get_writable_imr_for_user
from reviews.forms import (
    AgencyActionForm,
    ConfirmForm,
    DeclarationForm,
    FeedbackMeetingForm,
    InterviewForm,
    NoteForm,
    RecommendationForm,
    ReportUploadForm,
    ReturnNoteForm,
)
from reviews.lists import Sort, list_page
from reviews.models import IMR, ActionItem, Document, DocumentVersion
from reviews.preconditions import available_moves
from reviews.services.moves import note_needed
from reviews.views.forms_flow import handle_form, posted
from reviews.views.review import move_history, review_context

START_INTRO = (
    "You will build the chronology, interview staff (sharing the terms of reference with each of them) "
    "and write the report."
)


def imr_url(imr) -> str:
    return reverse("reviews:imr-detail", args=[imr.pk])


INTERVIEWS_PER_PAGE = 20


def _tasks(imr, progress) -> list[dict]:
    """The author's list of what submission needs, each done or still to do, each linked to where it is done."""
    answered = progress.has_recommendations and not progress.unanswered_recommendations
    signed = bool(imr.declaration_signed_at)
    return [
        {
            "name": "Sign the independence declaration",
            "done": signed,
            # Signed once, never again: then there is nowhere to go.
            "href": None if signed else reverse("reviews:imr-declaration", args=[imr.pk]),
        },
        {
            "name": "Build the chronology",
            "done": progress.has_chronology,
            "href": reverse("reviews:chronology", args=[imr.pk]),
        },
        {
            "name": "Upload the report",
            "done": progress.has_report,
            "href": reverse("reviews:imr-report", args=[imr.pk]),
        },
        {
            "name": "Record the recommendations",
            "done": progress.has_recommendations,
            "href": "#recommendations",
        },
        {"name": "Add an action for each recommendation", "done": answered, "href": "#action-plan"},
    ]


@login_required
def imr_detail(request, pk):
    """The IMR's page: what it holds, what is missing before it can be submitted, and who may do what next."""
    imr = get_imr_for_user(request.user, pk)
    user = request.user
    history = move_history(imr, user)
    returned = next((entry for entry in history if entry.transition == "return_for_work"), None)
    report_versions = DocumentVersion.objects.filter(
        document__imr=imr, document__kind=Document.Kind.IMR_REPORT
    ).select_related("uploaded_by")
    progress = IMR.objects.with_progress().get(pk=imr.pk)
    context = {
        **review_context(imr.participation.review),
        "imr": imr,
        "progress": progress,
        "tasks": _tasks(imr, progress),
        "entry_count": imr.chronology_entries.count(),
        "interviews": list_page(
            request,
            imr.interviews.select_related("staff"),
            sorts=(Sort("held_on", "Date", ("held_on",)),),
            default_sort="held_on",
            per_page=INTERVIEWS_PER_PAGE,
        ),
        "report": report_versions.order_by("-number").first(),
        "report_versions": report_versions.count(),
        "recommendations": imr.recommendations.prefetch_related(
            Prefetch("actions", ActionItem.objects.order_by("due_on", "pk")), "themes"
        ).order_by("number"),
        # Only those who run reviews open an IMR and may tag its recommendations.
        "can_tag_themes": perms.can_tag_themes(user),
        "can_write": perms.can_write_imr(user, imr),
        "is_author": imr.author_id == user.pk,
        "return_note": returned
        if imr.state == IMR.State.RETURNED and returned and returned.note_visible
        else None,
        "moves": available_moves(imr, user),
        "history": history,
        # The overview author's assessment is part of the confidential overview report.
        "sees_assessment": imr.submitted_at is not None
        and perms.can_read_assessments(user, imr.participation.review),
        "can_assess": perms.can_assess_imr(user, imr),
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
        if request.method == "POST":
            services.access_denied_record(
                actor=request.user,
                obj=imr,
                review=imr.participation.review,
                summary=f"Tried “{move}” on {imr}: not a move open to them now",
            )
        raise Http404("That move is not available.")
    returning = move == "return_for_work"
    return handle_form(
        request,
        form=ReturnNoteForm(posted(request))
        if returning
        else NoteForm(posted(request), needed=note_needed(imr, move)),
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
            "warning": "Its author can change it and submit it again." if returning else "",
        },
        save=lambda data: services.imr_move(actor=request.user, imr=imr, move=move, note=data["note"]),
        success_message=f"Done: {offered['label']}.",
        success_url=imr_url(imr),
    )


@login_required
def interview_add(request, pk):
    """Record an interview with a member of staff: refused when they had not had the terms of reference first."""
    imr = get_writable_imr_for_user(
        request.user, pk, refusal="Only the IMR's author records interviews, until the IMR is submitted."
    )
    review = imr.participation.review
    return handle_form(
        request,
        form=InterviewForm(posted(request), imr=imr),
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


def _form_context(imr, **more):
    return {**review_context(imr.participation.review), "imr": imr, "cancel_url": imr_url(imr), **more}


@login_required
def imr_report(request, pk):
    """The IMR report's versions, each downloaded through the audited view; its author uploads the next one."""
    imr = get_imr_for_user(request.user, pk)
    can_write = perms.can_write_imr(request.user, imr)
    if request.method == "POST" and not can_write:
        refusal = "Only the IMR's author uploads its report, until the IMR is submitted."
        services.access_denied_record(
            actor=request.user,
            obj=imr,
            review=imr.participation.review,
            summary=f"Tried to change {imr}: {refusal}",
        )
        raise PermissionDenied(refusal)
    form = ReportUploadForm(posted(request), request.FILES or None)

    def save(data):
        upload = data["file"]
        # One byte past the limit at most: enough for the service to refuse a file that grew.
        content = upload.read(uploads.max_bytes() + 1)
        return services.imr_report_upload(actor=request.user, imr=imr, content=content, filename=upload.name)

    return handle_form(
        request,
        form=form,
        template="reviews/imr_report.html",
        context=_form_context(
            imr,
            can_write=can_write,
            versions=DocumentVersion.objects.filter(
                document__imr=imr, document__kind=Document.Kind.IMR_REPORT
            )
            .select_related("uploaded_by")
            .order_by("-number"),
            max_size_words=uploads.size_words(),
        ),
        save=save,
        success_message=lambda version: f"Report uploaded as version {version.number}.",
        success_url=f"{imr_url(imr)}#report",
    )


@login_required
def recommendation_add(request, pk):
    imr = get_writable_imr_for_user(
        request.user, pk, refusal="Only the IMR's author records its recommendations, until it is submitted."
    )
    return handle_form(
        request,
        form=RecommendationForm(posted(request)),
        template="reviews/review_form.html",
        context=_form_context(imr, title="Add a recommendation", submit="Add the recommendation"),
        save=lambda data: services.recommendation_add(
            actor=request.user, review=imr.participation.review, imr=imr, text=data["text"]
        ),
        success_message=lambda rec: f"Recommendation {rec.number} recorded.",
        success_url=f"{imr_url(imr)}#recommendations",
    )


@login_required
def recommendation_change(request, pk, number):
    imr = get_writable_imr_for_user(
        request.user, pk, refusal="Only the IMR's author changes its recommendations, until it is submitted."
    )
    recommendation = imr.recommendations.filter(number=number).first()
    if recommendation is None:
        raise Http404("The IMR has no recommendation with that number.")
    return handle_form(
        request,
        form=RecommendationForm(posted(request), initial={"text": recommendation.text}),
        template="reviews/review_form.html",
        context=_form_context(imr, title=f"Change recommendation {number}", submit="Save the recommendation"),
        save=lambda data: services.recommendation_change(
            actor=request.user, recommendation=recommendation, text=data["text"]
        ),
        success_message=f"Recommendation {number} saved.",
        success_url=f"{imr_url(imr)}#recommendations",
    )


@login_required
def imr_action_add(request, pk):
    """An action of the agency's action plan, answering one of the IMR's recommendations."""
    imr = get_writable_imr_for_user(
        request.user,
        pk,
        refusal="Only the IMR's author adds to the action plan here, until the IMR is submitted.",
    )
    initial = {}
    if request.GET.get("recommendation", "").isdigit():
        initial["recommendation"] = imr.recommendations.filter(number=request.GET["recommendation"]).first()
    review = imr.participation.review
    return handle_form(
        request,
        form=AgencyActionForm(posted(request), imr=imr, initial=initial),
        template="reviews/review_form.html",
        context=_form_context(
            imr, title=f"Add an action to {imr.participation.agency}'s action plan", submit="Add the action"
        ),
        save=lambda data: services.action_item_add(
            actor=request.user, review=review, agency=imr.participation.agency, **data
        ),
        success_message="Action added to the action plan.",
        success_url=f"{imr_url(imr)}#action-plan",
    )


@login_required
def imr_feedback(request, pk):
    """The author records the meeting at which they fed back the IMR's findings to staff."""
    imr = get_imr_for_user(request.user, pk)
    if imr.author_id != request.user.pk:
        raise PermissionDenied("Only the IMR's author records the feedback meeting.")
    return handle_form(
        request,
        form=FeedbackMeetingForm(
            posted(request), initial={"held_on": imr.feedback_meeting_on} if imr.feedback_meeting_on else None
        ),
        template="reviews/review_form.html",
        context=_form_context(
            imr, title="Record the feedback meeting with staff", submit="Record the meeting"
        ),
        save=lambda data: services.imr_record_feedback(actor=request.user, imr=imr, held_on=data["held_on"]),
        success_message="Feedback meeting recorded.",
        success_url=f"{imr_url(imr)}#feedback",
    )


def _interview(request, pk, interview_pk):
    imr = get_writable_imr_for_user(
        request.user, pk, refusal="Only the IMR's author changes its interviews, until the IMR is submitted."
    )
    interview = imr.interviews.select_related("staff").filter(pk=interview_pk).first()
    if interview is None:
        raise Http404("No such interview in this IMR.")
    return imr, interview


@login_required
def interview_change(request, pk, interview_pk):
    imr, interview = _interview(request, pk, interview_pk)
    initial = {
        "staff": interview.staff,
        "held_on": interview.held_on,
        "tor_shared_on": interview.tor_shared_on,
        "notes": interview.notes,
    }
    return handle_form(
        request,
        form=InterviewForm(posted(request), imr=imr, initial=initial),
        template="reviews/review_form.html",
        context=_form_context(imr, title="Correct an interview", submit="Save the interview"),
        save=lambda data: services.interview_change(actor=request.user, interview=interview, **data),
        success_message=lambda changed: f"Interview with {changed.staff.pseudonym} saved.",
        success_url=f"{imr_url(imr)}#interviews",
    )


@login_required
def interview_delete(request, pk, interview_pk):
    imr, interview = _interview(request, pk, interview_pk)
    return handle_form(
        request,
        form=ConfirmForm(posted(request)),
        template="reviews/confirm.html",
        context=_form_context(
            imr,
            title="Delete this interview?",
            caption=f"{imr.participation.review.reference} · {imr.participation.agency}",
            explanation=f"The interview with {interview.staff.pseudonym} on {interview.held_on:%-d %B %Y} leaves "
            "the IMR. The activity log keeps a record that it was deleted.",
            submit="Delete the interview",
        ),
        save=lambda data: services.interview_delete(actor=request.user, interview=interview),
        success_message="Interview deleted.",
        success_url=f"{imr_url(imr)}#interviews",
    )
