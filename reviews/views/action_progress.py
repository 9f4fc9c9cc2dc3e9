"""How the action plans are getting on: every review's at a glance, and one review's in full."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from reviews import action_progress, services
from reviews import permissions as perms
from reviews.access import get_action_progress_review_for_user
from reviews.action_charts import (
    overdue_bars_svg,
    overdue_table,
    review_progress_charts,
    status_bars_svg,
    status_table,
)
from reviews.views.review import review_context

# The reviews charted at a glance: those with the most actions outstanding.
REVIEW_ROWS = 20


@login_required
def action_charts(request):
    """Every action plan at a glance: status by review and by agency, overdue by agency."""
    user = request.user
    if not perms.can_view_action_progress(user):
        services.access_denied_record(
            actor=user, obj=user, review=None, summary="Tried to open the action plans at a glance"
        )
        raise Http404("No action plans here.")
    today = timezone.localdate()
    by_review = action_progress.status_by_review(limit=REVIEW_ROWS, outstanding_only=True)
    by_agency = action_progress.status_by_agency()
    overdue = action_progress.overdue_by_agency(today=today)
    caption = "Actions by status, each review with actions outstanding"
    context = {
        "today": today,
        "review_rows": REVIEW_ROWS,
        "by_review": by_review,
        "reviews_outstanding": action_progress.reviews_with_outstanding_actions(),
        "review_svg": status_bars_svg(by_review, chart_id="status-review", title=caption, noun="review"),
        "review_table": status_table(
            by_review,
            caption=caption,
            row_header="Review",
            href=lambda row: reverse("reviews:action-progress", args=[row.pk]),
        ),
        "by_agency": by_agency,
        "agency_svg": status_bars_svg(
            by_agency, chart_id="status-agency", title="Actions by status, each agency"
        ),
        "agency_table": status_table(
            by_agency, caption="Actions by status, each agency", row_header="Agency"
        ),
        "overdue": overdue,
        "overdue_total": sum(row.count for row in overdue),
        "overdue_svg": overdue_bars_svg(
            overdue, chart_id="overdue-agency", title="Overdue actions, each agency"
        ),
        "overdue_table": overdue_table(overdue, caption="Overdue actions, each agency"),
    }
    return render(request, "reviews/action_charts.html", context)


@login_required
def review_action_progress(request, pk):
    """One review's action plans: status by agency, burn-down, overdue by agency and the overdue actions."""
    review = get_action_progress_review_for_user(request.user, pk)
    context = {**review_context(review), **review_progress_charts(review, today=timezone.localdate())}
    return render(request, "reviews/action_progress.html", context)
