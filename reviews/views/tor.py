from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from reviews import permissions as perms
from reviews import services
from reviews.access import get_review_for_user
from reviews.forms import NoteForm, TermsOfReferenceForm
from reviews.preconditions import unmet_preconditions
from reviews.views.forms_flow import handle_form, posted
from reviews.views.review import review_context, review_url


@login_required
def tor_edit(request, pk):
    review = get_review_for_user(request.user, pk)
    if not perms.can_write_tor(request.user, review):
        raise PermissionDenied
    tor = review.terms_of_reference
    if tor.is_agreed:
        raise Http404("The terms of reference are agreed.")
    initial = {
        "period_start": tor.period_start,
        "period_end": tor.period_end,
        "focus_areas": "\n".join(area.question for area in tor.focus_areas.all()),
        "agencies": [p.agency_id for p in review.participations.all()],
        "further_detail": tor.further_detail,
    }
    form = TermsOfReferenceForm(posted(request), initial=initial)

    def save(data):
        return services.tor_update(
            actor=request.user,
            review=review,
            period_start=data["period_start"],
            period_end=data["period_end"],
            focus_areas=form.questions(),
            agencies=data["agencies"],
            further_detail=data["further_detail"],
        )

    return handle_form(
        request,
        form=form,
        template="reviews/tor_form.html",
        context=review_context(review),
        save=save,
        success_message="Terms of reference saved as a draft.",
        success_url=review_url(review),
    )


@login_required
def tor_agree(request, pk):
    """Confirm, then agree the terms of reference and share them."""
    review = get_review_for_user(request.user, pk)
    if not perms.can_write_tor(request.user, review):
        raise PermissionDenied
    form = NoteForm(posted(request))
    context = {
        **review_context(review),
        "tor": review.terms_of_reference,
        "focus_areas": review.terms_of_reference.focus_areas.all(),
        "involved_staff": review.involved_staff.select_related("agency"),
        "participations": review.participations.select_related("agency"),
        "reasons": unmet_preconditions(review.agree_terms_of_reference),
    }
    message = "Terms of reference agreed and shared with the staff involved."
    if review.is_scr:
        message += " The notifications to the external bodies are queued with the PDF."
    return handle_form(
        request,
        form=form,
        template="reviews/tor_agree.html",
        context=context,
        save=lambda data: services.review_move(
            actor=request.user, review=review, move="agree_terms_of_reference", note=data["note"]
        ),
        success_message=message,
        success_url=review_url(review),
    )
