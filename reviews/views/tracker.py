"""The tracker: the open reviews a person may see, against their four-month windows."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from reviews import permissions as perms
from reviews.charts import chart_svg, chart_words, marker
from reviews.deadlines import Rag
from reviews.lists import list_page
from reviews.tracker import SORTS, TrackerFilter, timeline_chart, tracker_queryset, with_timelines


@login_required
def tracker(request):
    """Filtered, sorted and paged in the database; the chart and the milestones drawn for the page's rows."""
    if not perms.can_list_reviews(request.user):
        raise Http404("No reviews here.")
    today = timezone.localdate()
    # The withdrawn reviews are listed apart, chosen from the status filter: never among the open ones.
    withdrawn = request.GET.get("status") == Rag.WITHDRAWN
    listing = list_page(
        request,
        tracker_queryset(request.user, withdrawn=withdrawn),
        filterset_class=TrackerFilter,
        filterset_kwargs={"today": today},
        sorts=SORTS,
        default_sort="left",
    )
    rows = with_timelines(listing.rows, today=today)
    chart = timeline_chart(rows, today=today)
    context = {
        "listing": listing,
        "rows": rows,
        "chart": chart,
        "chart_svg": chart_svg(chart) if chart else "",
        "chart_words": chart_words(chart) if chart else "",
        "markers": {status.value: marker(status) for status in (Rag.DONE, Rag.GREEN, Rag.RED)},
        "today": today,
        "withdrawn": withdrawn,
        "sees_all": perms.sees_all_reviews(request.user),
    }
    return render(request, "reviews/tracker.html", context)
