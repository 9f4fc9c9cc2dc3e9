"""A person's own work, each as a whole list: their IMRs, their agency's part in reviews, the actions due.

The home page shows the first few of each, most urgent first, and links here for the rest.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from agencies.roles import Role
from reviews.filters import IMRFilter, ParticipationFilter
from reviews.lists import Sort, list_page
from reviews.models import IMR, AgencyParticipation
from reviews.models.references import reference_order


def my_imrs(user):
    return IMR.objects.filter(author=user).select_related("participation__review", "participation__agency")


def agency_participations(user):
    return AgencyParticipation.objects.filter(agency_id=user.agency_id).select_related(
        "review", "agency", "imr"
    )


@login_required
def imr_list(request):
    if not request.user.has_role(Role.IMR_AUTHOR):
        raise Http404("No IMRs here.")
    listing = list_page(
        request,
        my_imrs(request.user).with_progress(),
        filterset_class=IMRFilter,
        sorts=(
            Sort("due", "IMRs due", ("imrs_due_on",)),
            Sort("review", "Review", (reference_order("participation__review__reference"),)),
            Sort("stage", "Status", ("state",)),
        ),
        default_sort="due",
    )
    return render(request, "reviews/imr_list.html", {"listing": listing})


@login_required
def participation_list(request):
    user = request.user
    if not (user.has_role(Role.AGENCY_SENIOR_MANAGER) and user.agency_id):
        raise Http404("No agency work here.")
    listing = list_page(
        request,
        agency_participations(user),
        filterset_class=ParticipationFilter,
        sorts=(
            Sort("due", "Review due", ("review__current_due_date",)),
            Sort("review", "Review", (reference_order("review__reference"),)),
        ),
        default_sort="due",
    )
    return render(request, "reviews/participation_list.html", {"listing": listing})
