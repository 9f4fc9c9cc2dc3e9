"""The overview: commissioning its independent author, their declaration, the report with its
recommendations and critique of each IMR, and the panel's sharing of it with named managers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from reviews import permissions as perms
from reviews import services, uploads
from reviews.access import get_overview_review_for_user, get_review_for_user
from reviews.forms import (
    CommissionOverviewForm,
    ConfirmForm,
    CritiqueForm,
    DeclarationForm,
    OverviewShareForm,
    RecommendationForm,
    ReportUploadForm,
)
from reviews.models import IMR, BoardDecision, Document, DocumentVersion, ReviewState
from reviews.preconditions import available_moves
from reviews.views.forms_flow import handle_form, posted
from reviews.views.review import review_context, review_url


def overview_url(review) -> str:
    return reverse("reviews:overview", args=[review.pk])


def overview_versions(review):
    """The overview report's versions, newest first."""
    return (
        DocumentVersion.objects.filter(document__review=review, document__kind=Document.Kind.OVERVIEW_REPORT)
        .select_related("uploaded_by")
        .order_by("-number")
    )


def overview_imrs(review):
    """The review's IMRs with what the overview author thought of each."""
    return IMR.objects.filter(participation__review=review).select_related(
        "participation__agency", "participation__review", "author", "critiqued_by"
    )


def latest_board_return(review):
    """The board's note when it has returned the report and the report is back with its author."""
    if review.state != ReviewState.OVERVIEW:
        return None
    decision = review.board_decisions.select_related("decided_by").order_by("-decided_at", "-pk").first()
    return decision if decision and decision.outcome == BoardDecision.Outcome.RETURNED else None


def _refuse_change(user, review, refusal: str):
    services.access_denied_record(
        actor=user, obj=review, review=review, summary=f"Tried to change the overview report: {refusal}"
    )
    raise PermissionDenied(refusal)


def _writable_overview(request, pk, *, refusal: str):
    """The review if the person may write its overview now: 404 without a view of the report, 403 for readers."""
    review = get_overview_review_for_user(request.user, pk)
    if not perms.can_write_overview(request.user, review):
        _refuse_change(request.user, review, refusal)
    return review


@login_required
def overview_commission(request, pk):
    """Commission, or replace, the review's independent overview author."""
    review = get_review_for_user(request.user, pk)
    if not perms.can_commission_overview(request.user, review):
        raise PermissionDenied("Only the panel and the business manager commission the overview author.")
    replacing = review.overview_author_id is not None
    return handle_form(
        request,
        form=CommissionOverviewForm(posted(request)),
        template="reviews/review_form.html",
        context={
            **review_context(review),
            "title": "Replace the overview author" if replacing else "Commission the overview author",
            "submit": "Replace the author" if replacing else "Commission the author",
            "intro": (
                f"{review.overview_author} is the overview author now. The new author takes over their "
                "access to the IMRs and the report, and signs their own declaration."
                if replacing
                else "The overview author reads every IMR and the integrated chronology, critiques each IMR "
                "and writes the overview report. They must be independent of the case."
            ),
        },
        save=lambda data: services.overview_author_commission(
            actor=request.user, review=review, author=data["author"]
        ),
        success_message=lambda review: (
            f"{review.overview_author} commissioned as overview author. They must sign the declaration."
        ),
        success_url=review_url(review),
    )


@login_required
def overview_declaration(request, pk):
    review = get_review_for_user(request.user, pk)
    if not perms.is_overview_author_of(request.user, review):
        raise Http404("Only the overview author signs the declaration.")
    return handle_form(
        request,
        form=DeclarationForm(posted(request)),
        template="reviews/declaration_form.html",
        context={
            **review_context(review),
            "caption": f"{review.reference} · Overview author",
            "who": "An overview author",
            "back_url": review_url(review),
            "back_text": f"Back to {review.reference}",
        },
        save=lambda data: services.overview_sign_declaration(actor=request.user, review=review),
        success_message="Independence declaration signed.",
        success_url=review_url(review),
    )


@login_required
def overview_detail(request, pk):
    """The overview report: its versions, recommendations, each IMR's critique, and who it is shared with."""
    review = get_overview_review_for_user(request.user, pk)
    user = request.user
    versions = overview_versions(review)
    can_write = perms.can_write_overview(user, review)
    # The assessments of every agency's IMR: not for a manager the report is only shared with.
    imrs = list(overview_imrs(review)) if perms.can_read_assessments(user, review) else []
    for imr in imrs:
        imr.can_critique = perms.can_assess_imr(user, imr)
        imr.can_move = imr.state == IMR.State.SUBMITTED and perms.can_critique_imr(user, imr)
    context = {
        **review_context(review),
        "report": versions.first(),
        "report_versions": versions.count(),
        "recommendations": review.recommendations.filter(imr__isnull=True).order_by("number"),
        "imrs": imrs,
        "board_return": latest_board_return(review),
        "shares": review.overview_shares.select_related("shared_with__agency", "shared_by", "revoked_by")
        if perms.runs_reviews(user)
        else [],
        "can_write": can_write,
        "can_share": perms.can_share_overview_report(user, review),
        "is_author": perms.is_overview_author_of(user, review),
        "at_board": review.stage_reached not in review.BEFORE_BOARD,
        # Sending the finished report to the board, with what it still needs.
        "moves": [m for m in available_moves(review, user) if m["name"] == "send_to_board"],
    }
    return render(request, "reviews/overview_detail.html", context)


@login_required
def overview_report(request, pk):
    """The overview report's versions, each downloaded through the audited view; its author uploads the next."""
    review = get_overview_review_for_user(request.user, pk)
    can_write = perms.can_write_overview(request.user, review)
    if request.method == "POST" and not can_write:
        _refuse_change(
            request.user, review, "Only the overview author uploads the report, at the overview stage."
        )

    def save(data):
        upload = data["file"]
        # One byte past the limit at most: enough for the service to refuse a file that grew.
        content = upload.read(uploads.max_bytes() + 1)
        return services.overview_report_upload(
            actor=request.user, review=review, content=content, filename=upload.name
        )

    return handle_form(
        request,
        form=ReportUploadForm(posted(request), request.FILES or None),
        template="reviews/overview_report.html",
        context={
            **review_context(review),
            "can_write": can_write,
            "versions": overview_versions(review),
            "max_size_words": uploads.size_words(),
            "cancel_url": overview_url(review),
        },
        save=save,
        success_message=lambda version: f"Overview report uploaded as version {version.number}.",
        success_url=f"{overview_url(review)}#report",
    )


def _form_context(review, **more):
    return {
        **review_context(review),
        "cancel_url": overview_url(review),
        "back_url": overview_url(review),
        "back_text": "Back to the overview report",
        **more,
    }


@login_required
def overview_recommendation_add(request, pk):
    review = _writable_overview(
        request, pk, refusal="Only the overview author records its recommendations, at the overview stage."
    )
    return handle_form(
        request,
        form=RecommendationForm(posted(request)),
        template="reviews/review_form.html",
        context=_form_context(
            review, title="Add an overview recommendation", submit="Add the recommendation"
        ),
        save=lambda data: services.recommendation_add(actor=request.user, review=review, text=data["text"]),
        success_message=lambda rec: f"Overview recommendation {rec.number} recorded.",
        success_url=f"{overview_url(review)}#recommendations",
    )


@login_required
def overview_recommendation_change(request, pk, number):
    review = _writable_overview(
        request, pk, refusal="Only the overview author changes its recommendations, at the overview stage."
    )
    recommendation = review.recommendations.filter(imr__isnull=True, number=number).first()
    if recommendation is None:
        raise Http404("The overview report has no recommendation with that number.")
    return handle_form(
        request,
        form=RecommendationForm(posted(request), initial={"text": recommendation.text}),
        template="reviews/review_form.html",
        context=_form_context(
            review, title=f"Change overview recommendation {number}", submit="Save the recommendation"
        ),
        save=lambda data: services.recommendation_change(
            actor=request.user, recommendation=recommendation, text=data["text"]
        ),
        success_message=f"Overview recommendation {number} saved.",
        success_url=f"{overview_url(review)}#recommendations",
    )


@login_required
def overview_critique(request, pk, imr_pk):
    """The overview author's short assessment of one submitted IMR."""
    review = get_overview_review_for_user(request.user, pk)
    imr = get_object_or_404(overview_imrs(review), pk=imr_pk)
    if imr.submitted_at is None:
        raise Http404("No submitted IMR of this review to assess.")
    if not perms.can_assess_imr(request.user, imr):
        _refuse_change(
            request.user,
            review,
            "Only the overview author and the panel assess the IMRs, once submitted and until the report "
            "goes to the board.",
        )
    return handle_form(
        request,
        form=CritiqueForm(
            posted(request), initial={"text": imr.overview_critique} if imr.overview_critique else None
        ),
        template="reviews/review_form.html",
        context=_form_context(
            review,
            title=f"Assess {imr.participation.agency}'s IMR",
            submit="Save the assessment",
            caption=f"{review.reference} · Confidential",
        ),
        save=lambda data: services.imr_critique_record(actor=request.user, imr=imr, text=data["text"]),
        success_message=f"Assessment of {imr.participation.agency}'s IMR saved.",
        success_url=f"{overview_url(review)}#imr-{imr.pk}",
    )


def _shareable_overview(request, pk):
    review = get_overview_review_for_user(request.user, pk)
    if not perms.can_share_overview_report(request.user, review):
        _refuse_change(request.user, review, "Only the panel shares the overview report.")
    return review


@login_required
def overview_share(request, pk):
    """The panel shares the confidential overview report with a named senior manager."""
    review = _shareable_overview(request, pk)
    return handle_form(
        request,
        form=OverviewShareForm(posted(request), review=review),
        template="reviews/review_form.html",
        context=_form_context(
            review,
            title="Share the overview report",
            submit="Share the report",
            intro="The overview report is confidential to the panel. The person you choose can read it and "
            "download it until the panel revokes the share; every look is recorded.",
        ),
        save=lambda data: services.overview_share_grant(
            actor=request.user, review=review, shared_with=data["shared_with"]
        ),
        success_message=lambda share: f"Overview report shared with {share.shared_with}.",
        success_url=f"{overview_url(review)}#sharing",
    )


@login_required
def overview_share_revoke(request, pk, share_pk):
    review = _shareable_overview(request, pk)
    share = get_object_or_404(
        review.overview_shares.select_related("shared_with"), pk=share_pk, revoked_at__isnull=True
    )
    return handle_form(
        request,
        form=ConfirmForm(posted(request)),
        template="reviews/confirm.html",
        context={
            **review_context(review),
            "title": f"Stop sharing the overview report with {share.shared_with}?",
            "submit": "Stop sharing",
            "explanation": f"{share.shared_with} will no longer be able to read or download the overview "
            "report. The share stays on record, marked revoked.",
            "cancel_url": overview_url(review),
        },
        save=lambda data: services.overview_share_revoke(actor=request.user, share=share),
        success_message=f"The overview report is no longer shared with {share.shared_with}.",
        success_url=f"{overview_url(review)}#sharing",
    )
