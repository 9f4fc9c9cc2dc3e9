from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from reviews import permissions as perms
from reviews.deadlines import Rag
from reviews.models import ReviewState, ReviewType
from reviews.tracker import SORTS, timeline_chart, tracker_rows


@login_required
def tracker(request):
    if not perms.runs_reviews(request.user):
        raise Http404("The tracker is for the panel and the business manager.")
    today = timezone.localdate()
    params = {
        "stage": request.GET.get("stage", ""),
        "type": request.GET.get("type", ""),
        "status": request.GET.get("status", ""),
        "sort": request.GET.get("sort", "left") if request.GET.get("sort") in SORTS else "left",
        "order": "desc" if request.GET.get("order") == "desc" else "asc",
    }
    rows = tracker_rows(
        today=today,
        stage=params["stage"],
        review_type=params["type"],
        status=params["status"],
        sort=params["sort"],
        descending=params["order"] == "desc",
    )
    context = {
        "rows": rows,
        "chart": timeline_chart(rows, today=today),
        "today": today,
        "params": params,
        "stages": [s for s in ReviewState if s != ReviewState.CLOSED],
        "types": ReviewType.choices,
        "statuses": [
            (Rag.RED, "Red: overdue"),
            (Rag.AMBER, "Amber: due within 14 days"),
            (Rag.GREEN, "Green"),
        ],
        "columns": [
            ("reference", "Reference"),
            ("type", "Type"),
            ("stage", "Stage"),
            ("decided", "Decided"),
            ("left", "Days left"),
            ("next", "Next milestone"),
            ("status", "Status"),
            ("activity", "Last activity"),
        ],
    }
    return render(request, "reviews/tracker.html", context)
