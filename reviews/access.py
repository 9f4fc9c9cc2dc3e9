"""Fetch objects for a user: a 404 for anyone without a grant, so existence does not leak."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from reviews import permissions as perms
from reviews.models import IMR, DocumentVersion, Referral, Review
from reviews.services import access_denied_record, confidential_view_record


def _denied(user, obj, review, summary: str) -> None:
    # Signed-in people only: anonymous requests never reach these helpers (login_required).
    if user.is_authenticated:
        access_denied_record(actor=user, obj=obj, review=review, summary=summary)


def get_review_for_user(user, pk) -> Review:
    review = get_object_or_404(
        Review.objects.select_related("referral__decision", "overview_author").prefetch_related(
            "participations"
        ),
        pk=pk,
    )
    if not perms.can_view_review(user, review):
        _denied(user, review, review, f"Tried to open {review}")
        raise Http404("No review matches the given query.")
    return review


def get_integrated_chronology_review_for_user(user, pk) -> Review:
    """Return the review if `user` may read every agency's chronology of it; else 404 and a denied row."""
    review = get_review_for_user(user, pk)
    if not perms.can_view_integrated_chronology(user, review):
        _denied(user, review, review, f"Tried to open the integrated chronology of {review}")
        raise Http404("No review matches the given query.")
    return review


def get_integrated_chronology_for_user(user, pk) -> Review:
    """Return the review whose agencies' chronologies `user` may read together; the look is audited."""
    review = get_integrated_chronology_review_for_user(user, pk)
    confidential_view_record(
        actor=user, obj=review, review=review, summary=f"Viewed the integrated chronology of {review}"
    )
    return review


def get_action_progress_review_for_user(user, pk) -> Review:
    """Return the review if `user` may follow the progress of every action plan of it; else 404 and a denied row."""
    review = get_review_for_user(user, pk)
    if not perms.can_view_action_progress(user):
        _denied(user, review, review, f"Tried to open the action plans' progress of {review}")
        raise Http404("No review matches the given query.")
    return review


def get_overview_review_for_user(user, pk, *, what: str = "the overview report") -> Review:
    """Return the review if `user` may read its overview report; 404 and a denied row if not; the look audited."""
    review = get_review_for_user(user, pk)
    if not perms.can_view_overview_report(user, review):
        _denied(user, review, review, f"Tried to open {what} of {review}")
        raise Http404("No review matches the given query.")
    confidential_view_record(actor=user, obj=review, review=review, summary=f"Viewed {what} of {review}")
    return review


def get_imr_for_user(user, pk, *, record_view: bool = True) -> IMR:
    """Return the IMR and write the view to the audit log (IMRs are confidential).

    `record_view=False` for pages that show nothing of the IMR's content (its PDF's state, say).
    """
    imr = get_object_or_404(
        IMR.objects.select_related(
            "participation__review__referral__decision", "participation__agency", "author"
        ),
        pk=pk,
    )
    review = imr.participation.review
    if not perms.can_view_imr(user, imr):
        _denied(user, imr, review, f"Tried to open {imr}")
        raise Http404("No IMR matches the given query.")
    if record_view:
        confidential_view_record(actor=user, obj=imr, review=review, summary=f"Viewed {imr}")
    return imr


def get_writable_imr_for_user(user, pk, *, refusal: str) -> IMR:
    """The IMR if `user` may write it now: 404 for those who may not see it, 403 with `refusal` for readers."""
    imr = get_imr_for_user(user, pk)
    if not perms.can_write_imr(user, imr):
        _denied(user, imr, imr.participation.review, f"Tried to change {imr}: {refusal}")
        raise PermissionDenied(refusal)
    return imr


def get_referral_for_user(user, pk) -> Referral:
    referral = get_object_or_404(Referral.objects.select_related("referring_agency"), pk=pk)
    if not perms.can_view_referral(user, referral):
        raise Http404("No referral matches the given query.")
    return referral


def get_document_version_for_user(user, pk) -> DocumentVersion:
    """Return the version if `user` may read it; confidential kinds are written to the audit log."""
    version = get_object_or_404(
        DocumentVersion.objects.select_related(
            "document__review", "document__imr__participation__review", "document__action__plan__review"
        ),
        pk=pk,
    )
    document = version.document
    if not perms.can_view_document(user, document):
        _denied(user, version, document.review, f"Tried to download {document} version {version.number}")
        raise Http404("No document matches the given query.")
    if document.is_confidential:
        confidential_view_record(
            actor=user,
            obj=version,
            review=document.review,
            summary=f"Downloaded {document} version {version.number}",
            downloaded=True,
        )
    return version
