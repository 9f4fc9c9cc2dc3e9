"""The review's activity log: every audit row of the review, for the panel and the business manager."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from reviews import permissions as perms
from reviews import services
from reviews.access import get_review_for_user
from reviews.filters import ActivityFilter
from reviews.lists import Sort, list_page
from reviews.models import AuditEvent
from reviews.views.review import review_context


@login_required
def review_activity(request, pk):
    review = get_review_for_user(request.user, pk)
    if not perms.can_view_audit_log(request.user):
        services.access_denied_record(
            actor=request.user,
            obj=review,
            review=review,
            summary=f"Tried to open the activity log of {review}",
        )
        raise Http404("No activity log here.")
    listing = list_page(
        request,
        AuditEvent.objects.filter(review=review).select_related("actor"),
        filterset_class=ActivityFilter,
        filterset_kwargs={"review": review},
        sorts=(Sort("at", "When", ("at",)),),
        default_sort="at",
    )
    page = listing.page
    # Read the page before writing this look at it, so the log shows what was there when opened.
    page.object_list = list(page.object_list)
    _ = page.paginator.count
    services.confidential_view_record(
        actor=request.user, obj=review, review=review, summary=f"Viewed the activity log of {review}"
    )
    context = {**review_context(review), "filters": listing.filters, "page": page, "query": listing.query}
    return render(request, "reviews/activity.html", context)
