"""After the board: the submission to Ofsted and GOL, the executive summary, and its public page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from reviews import permissions as perms
from reviews import services
from reviews.access import get_review_for_user
from reviews.forms import ConfirmForm, OfstedGradeForm, PublishForm, SentToStaffForm, SummaryForm
from reviews.models import Document, DocumentVersion, ExecutiveSummary, ReviewState, SummaryRecipient
from reviews.names import paragraphs
from reviews.services.ofsted import latest_version
from reviews.services.summary import WRITING_STAGES, name_refusal, published_pdf, summary_names_found
from reviews.views.forms_flow import handle_form, posted
from reviews.views.review import review_context, review_url


def _scr_for_manager(request, pk):
    """A serious case review, for those who run reviews: a case or management review has no Ofsted step."""
    review = get_review_for_user(request.user, pk)
    if not review.is_scr:
        raise Http404("Only serious case reviews go to Ofsted.")
    if not perms.can_manage_review(request.user, review):
        raise PermissionDenied
    return review


def ofsted_url(review) -> str:
    return reverse("reviews:ofsted", args=[review.pk])


@login_required
def ofsted(request, pk):
    """The submission to Ofsted and GOL: prepare the pack (POST), see each version, the grade."""
    review = _scr_for_manager(request, pk)
    context = {
        **review_context(review),
        "packs": DocumentVersion.objects.filter(
            document__review=review, document__kind=Document.Kind.OFSTED_PACK
        )
        .select_related("uploaded_by")
        .order_by("-number"),
        "report": latest_version(review, Document.Kind.OVERVIEW_REPORT),
        "can_prepare": review.state == ReviewState.ACTION_PLAN,
        "can_grade": review.state == ReviewState.WITH_OFSTED,
        "notifications": review.notifications.filter(kind="report").select_related(
            "body", "sent_by", "attachment", "message"
        ),
    }
    return handle_form(
        request,
        form=ConfirmForm(posted(request)),
        template="reviews/ofsted.html",
        context=context,
        save=lambda data: services.ofsted_pack_prepare(actor=request.user, review=review),
        success_message=lambda version: f"Submission pack prepared as version {version.number}.",
        success_url=ofsted_url(review),
    )


@login_required
def ofsted_grade(request, pk):
    review = _scr_for_manager(request, pk)
    if review.state != ReviewState.WITH_OFSTED:
        raise Http404("Ofsted grades the review once it has been sent to them.")
    initial = (
        {
            "grade": review.ofsted_grade,
            "graded_on": review.ofsted_graded_on,
            "feedback": review.ofsted_feedback,
        }
        if review.ofsted_grade
        else None
    )
    return handle_form(
        request,
        form=OfstedGradeForm(posted(request), initial=initial),
        template="reviews/review_form.html",
        context={
            **review_context(review),
            "title": "Record Ofsted's grade",
            "submit": "Record the grade",
            "cancel_url": ofsted_url(review),
        },
        save=lambda data: services.review_record_ofsted_grade(actor=request.user, review=review, **data),
        success_message=lambda review: f"Ofsted's grade recorded: {review.get_ofsted_grade_display()}.",
        success_url=review_url(review),
    )


# The executive summary


def _summary_review(request, pk, *, allowed, stages):
    review = get_review_for_user(request.user, pk)
    if review.state not in stages:
        raise Http404("Not at this stage of the review.")
    if not allowed(request.user, review):
        raise PermissionDenied
    return review


def _may_write(user, review) -> bool:
    return perms.runs_reviews(user) or perms.is_overview_author_of(user, review)


@login_required
def summary_edit(request, pk):
    """Write the executive summary; the names the check finds in the saved text are shown above the form."""
    review = _summary_review(request, pk, allowed=_may_write, stages=WRITING_STAGES)
    summary = ExecutiveSummary.objects.filter(review=review).first()
    found = summary_names_found(review, title=summary.title, text=summary.text) if summary else []
    return handle_form(
        request,
        form=SummaryForm(
            posted(request), initial={"title": summary.title, "text": summary.text} if summary else None
        ),
        template="reviews/summary_form.html",
        context={
            **review_context(review),
            "summary": summary,
            "names_found": [name_refusal(name) for name in found],
            "can_publish": perms.runs_reviews(request.user) and review.state == ReviewState.EXECUTIVE_SUMMARY,
        },
        save=lambda data: services.summary_save(actor=request.user, review=review, **data),
        success_message="Executive summary saved.",
        success_url=reverse("reviews:summary-edit", args=[review.pk]),
    )


@login_required
def summary_publish(request, pk):
    review = _summary_review(
        request,
        pk,
        allowed=lambda user, review: perms.runs_reviews(user),
        stages=(ReviewState.EXECUTIVE_SUMMARY,),
    )
    summary = ExecutiveSummary.objects.filter(review=review).first()
    initial = (
        {"publish_from": summary.publish_from, "publish_until": summary.publish_until}
        if summary and summary.is_published
        else None
    )
    return handle_form(
        request,
        form=PublishForm(posted(request), initial=initial),
        template="reviews/summary_publish.html",
        context={
            **review_context(review),
            "summary": summary,
            "staff_with_address": review.involved_staff.current().exclude(email="").count(),
        },
        save=lambda data: services.summary_publish(actor=request.user, review=review, **data),
        success_message="Executive summary published. A copy is due to each member of staff involved.",
        success_url=review_url(review),
    )


@login_required
def summary_sent(request, pk):
    review = _summary_review(
        request,
        pk,
        allowed=lambda user, review: perms.runs_reviews(user),
        stages=(ReviewState.EXECUTIVE_SUMMARY,),
    )
    return handle_form(
        request,
        form=SentToStaffForm(posted(request)),
        template="reviews/summary_sent.html",
        context={
            **review_context(review),
            "copies": SummaryRecipient.objects.filter(summary__review=review).select_related("staff"),
            "by_hand": review.involved_staff.current().filter(email=""),
            "title": "Record that the executive summary was sent to the staff involved",
            "submit": "Record it",
        },
        save=lambda data: services.summary_mark_sent_to_staff(actor=request.user, review=review, **data),
        success_message="Recorded: the executive summary was sent to the staff involved.",
        success_url=review_url(review),
    )


# The public pages: no sign-in, published summaries only, inside their window.


def _published(pk):
    return get_object_or_404(
        ExecutiveSummary.objects.published(on=timezone.localdate()).select_related("review"), pk=pk
    )


def public_summary_list(request):
    summaries = (
        ExecutiveSummary.objects.published(on=timezone.localdate())
        .select_related("review")
        .order_by("-publish_from", "-pk")
    )
    return render(request, "public/summary_list.html", {"summaries": summaries})


def public_summary(request, pk):
    summary = _published(pk)
    return render(
        request, "public/summary_detail.html", {"summary": summary, "paragraphs": paragraphs(summary.text)}
    )


def public_summary_pdf(request, pk):
    summary = _published(pk)
    version = published_pdf(summary)
    if version is None:
        raise Http404("No PDF of this summary.")
    response = FileResponse(version.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="executive-summary-{summary.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
