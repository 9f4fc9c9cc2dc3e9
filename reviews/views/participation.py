"""An agency's part in a review: securing its case files and nominating its IMR author."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404

from reviews import permissions as perms
from reviews import services
from reviews.access import get_review_for_user
from reviews.forms import NominateAuthorForm, SecureFilesForm
from reviews.models import AgencyParticipation
from reviews.views.forms_flow import handle_form, posted
from reviews.views.review import review_context, review_url


def _participation_for(request, pk, participation_pk):
    review = get_review_for_user(request.user, pk)
    participation = get_object_or_404(
        AgencyParticipation.objects.select_related("agency", "imr__author"),
        review=review,
        pk=participation_pk,
    )
    if not perms.can_engage_agency(request.user, participation):
        raise Http404("No agency of this review is yours to engage.")
    return review, participation


@login_required
def participation_secure_files(request, pk, participation_pk):
    review, participation = _participation_for(request, pk, participation_pk)
    initial = {"originals_location": participation.originals_location}
    return handle_form(
        request,
        form=SecureFilesForm(posted(request), initial=initial),
        template="reviews/participation_form.html",
        context={
            **review_context(review),
            "participation": participation,
            "title": f"Confirm {participation.agency}'s case files are secured",
        },
        save=lambda data: services.participation_secure_files(
            actor=request.user, participation=participation, **data
        ),
        success_message=f"{participation.agency}'s case files are recorded as secured.",
        success_url=review_url(review),
    )


@login_required
def participation_nominate(request, pk, participation_pk):
    review, participation = _participation_for(request, pk, participation_pk)
    return handle_form(
        request,
        form=NominateAuthorForm(posted(request), agency=participation.agency),
        template="reviews/participation_form.html",
        context={
            **review_context(review),
            "participation": participation,
            "title": f"Nominate {participation.agency}'s IMR author",
        },
        save=lambda data: services.imr_nominate_author(
            actor=request.user, participation=participation, **data
        ),
        success_message="IMR author nominated. They now have access to the IMR and must sign the declaration.",
        success_url=review_url(review),
    )
