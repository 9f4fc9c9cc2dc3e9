"""PDFs prepared in the background: a page that asks for one and then offers it, and the download.

The page shows the PDF of the source as it is now: ready (a download link), being prepared
(the page looks again every few seconds), failed (ask again), or not yet asked for. A PDF of
an earlier state of the source is never offered. Downloads go through the access check and
into the audit log, as an attachment, never from a public URL.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache

from reviews import permissions as perms
from reviews import services
from reviews.access import (
    get_action_progress_review_for_user,
    get_imr_for_user,
    get_integrated_chronology_review_for_user,
    get_review_for_user,
)
from reviews.forms import ConfirmForm
from reviews.models import RenderedPdf
from reviews.pdf import current_pdf
from reviews.views.forms_flow import handle_form, posted
from reviews.views.review import frozen_tor_version, review_context, review_url

Kind = RenderedPdf.Kind
# How often the "being prepared" page looks again, in seconds.
REFRESH_SECONDS = 3


def _page(request, *, kind, review, imr=None, title, back_url, download_url):
    page_url = request.path
    rendered = current_pdf(kind, review, imr)
    return handle_form(
        request,
        form=ConfirmForm(posted(request)),
        template="reviews/pdf_status.html",
        context={
            **review_context(review),
            "title": title,
            "rendered": rendered,
            "back_url": back_url,
            "download_url": download_url,
            "refresh_seconds": REFRESH_SECONDS,
        },
        save=lambda data: services.pdf_request(actor=request.user, kind=kind, review=review, imr=imr),
        # The page below says whether it is ready: a background worker may already have prepared it.
        success_message="You asked for the PDF.",
        success_url=page_url,
    )


def _download(request, *, kind, review, imr=None, filename, page_url):
    """Stream the PDF of the source as it is now; anything else (none yet, stale, failed) goes to its page."""
    rendered = current_pdf(kind, review, imr)
    if rendered is None or rendered.state != RenderedPdf.State.READY:
        return redirect(page_url)
    services.confidential_view_record(
        actor=request.user,
        obj=rendered,
        review=review,
        summary=f"Downloaded the PDF of the {rendered.get_kind_display().lower()} of {imr or review}",
        downloaded=True,
    )
    response = FileResponse(
        rendered.file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# An agency's chronology


@login_required
@never_cache
def chronology_pdf_page(request, pk):
    # The page shows the PDF's state, nothing of the chronology: the download is the look.
    imr = get_imr_for_user(request.user, pk, record_view=False)
    review = imr.participation.review
    return _page(
        request,
        kind=Kind.CHRONOLOGY,
        review=review,
        imr=imr,
        title=f"Chronology of {imr.participation.agency} (PDF)",
        back_url=reverse("reviews:chronology", args=[imr.pk]),
        download_url=reverse("reviews:chronology-pdf-download", args=[imr.pk]),
    )


@login_required
@never_cache
def chronology_pdf_download(request, pk):
    imr = get_imr_for_user(request.user, pk, record_view=False)
    review = imr.participation.review
    return _download(
        request,
        kind=Kind.CHRONOLOGY,
        review=review,
        imr=imr,
        filename=f"{review.reference}-chronology-{imr.participation.agency.pk}.pdf",
        page_url=reverse("reviews:chronology-pdf", args=[imr.pk]),
    )


# The integrated chronology: every agency's entries of a review in one


@login_required
@never_cache
def integrated_chronology_pdf_page(request, pk):
    review = get_integrated_chronology_review_for_user(request.user, pk)
    return _page(
        request,
        kind=Kind.INTEGRATED_CHRONOLOGY,
        review=review,
        title="Integrated chronology (PDF)",
        back_url=review_url(review),
        download_url=reverse("reviews:integrated-chronology-pdf-download", args=[review.pk]),
    )


@login_required
@never_cache
def integrated_chronology_pdf_download(request, pk):
    review = get_integrated_chronology_review_for_user(request.user, pk)
    return _download(
        request,
        kind=Kind.INTEGRATED_CHRONOLOGY,
        review=review,
        filename=f"{review.reference}-integrated-chronology.pdf",
        page_url=reverse("reviews:integrated-chronology-pdf", args=[review.pk]),
    )


# The terms of reference


def _tor_review(request, pk):
    review = get_review_for_user(request.user, pk)
    if not perms.can_view_tor(request.user, review):
        raise Http404
    return review


@login_required
@never_cache
def tor_pdf_page(request, pk):
    """The draft terms of reference as a PDF, prepared in the background; agreed ones are frozen (tor_pdf)."""
    review = _tor_review(request, pk)
    if frozen_tor_version(review) is not None:
        return redirect("reviews:tor-pdf", pk=review.pk)
    return _page(
        request,
        kind=Kind.TERMS_OF_REFERENCE,
        review=review,
        title="Terms of reference (PDF)",
        back_url=review_url(review),
        download_url=reverse("reviews:tor-pdf", args=[review.pk]),
    )


@login_required
@never_cache
def tor_pdf(request, pk):
    """The agreed terms of reference as frozen when agreed; before that, the draft prepared in the background."""
    review = _tor_review(request, pk)
    frozen = frozen_tor_version(review)
    if frozen is None:
        return _download(
            request,
            kind=Kind.TERMS_OF_REFERENCE,
            review=review,
            filename=f"{review.reference}-terms-of-reference.pdf",
            page_url=reverse("reviews:tor-pdf-page", args=[review.pk]),
        )
    with frozen.file.open("rb") as stored:
        content = stored.read()
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{review.reference}-terms-of-reference.pdf"'
    return response


# The progress report of a review's action plans, for the QA sub-group


@login_required
@never_cache
def action_progress_pdf_page(request, pk):
    review = get_action_progress_review_for_user(request.user, pk)
    return _page(
        request,
        kind=Kind.ACTION_PROGRESS,
        review=review,
        title="Progress report of the action plans (PDF)",
        back_url=reverse("reviews:action-progress", args=[review.pk]),
        download_url=reverse("reviews:action-progress-pdf-download", args=[review.pk]),
    )


@login_required
@never_cache
def action_progress_pdf_download(request, pk):
    review = get_action_progress_review_for_user(request.user, pk)
    return _download(
        request,
        kind=Kind.ACTION_PROGRESS,
        review=review,
        filename=f"{review.reference}-action-plan-progress.pdf",
        page_url=reverse("reviews:action-progress-pdf", args=[review.pk]),
    )
