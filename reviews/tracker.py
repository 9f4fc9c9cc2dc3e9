"""The business manager's tracker: every open review against its four-month window."""

import datetime
from dataclasses import dataclass

from django.db.models import DateTimeField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce, Greatest

from reviews.deadlines import Rag
from reviews.models import AuditEvent, Milestone, Review, ReviewState, ReviewType
from reviews.timeline import SEVERITY, MilestoneRow, Timeline, review_timeline

SORTS = {
    "reference": lambda row: row.review.reference,
    "type": lambda row: (row.review.get_review_type_display(), row.review.reference),
    "stage": lambda row: (row.review.stages().index(row.review.state), row.review.reference),
    "decided": lambda row: (row.review.decision_date, row.review.reference),
    "left": lambda row: (row.timeline.days_left, row.review.reference),
    "next": lambda row: (row.next_due or datetime.date.max, row.review.reference),
    "status": lambda row: (SEVERITY.index(row.timeline.status), row.timeline.days_left),
    "activity": lambda row: (row.last_activity, row.review.reference),
}


@dataclass(frozen=True)
class TrackerRow:
    review: Review
    timeline: Timeline
    last_activity: datetime.datetime

    @property
    def next_due(self):
        nxt = self.timeline.next_milestone
        return nxt.due_on if nxt else None


def tracker_rows(*, today, stage=None, review_type=None, status=None, sort="left", descending=False):
    """Return the open reviews as rows, filtered and sorted; a fixed number of queries whatever the count."""
    latest_audit = AuditEvent.objects.filter(review=OuterRef("pk")).order_by("-at").values("at")[:1]
    reviews = (
        Review.objects.open()
        .select_related("referral__decision")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk")))
        .annotate(
            last_activity=Greatest(
                "updated_at", Coalesce(Subquery(latest_audit, output_field=DateTimeField()), "updated_at")
            )
        )
    )
    if stage in ReviewState.values:
        reviews = reviews.filter(state=stage)
    if review_type in ReviewType.values:
        reviews = reviews.filter(review_type=review_type)
    rows = [
        TrackerRow(
            review, review_timeline(review, review.milestones.all(), today=today), review.last_activity
        )
        for review in reviews
    ]
    if status in {r.value for r in Rag}:
        rows = [row for row in rows if row.timeline.status == status]
    rows.sort(key=SORTS.get(sort, SORTS["left"]), reverse=descending)
    return rows


@dataclass(frozen=True)
class ChartBar:
    row: TrackerRow
    y: int
    x_start: float
    x_due: float
    x_original_due: float
    x_today: float
    milestones: list[tuple[float, MilestoneRow]]

    @property
    def width(self) -> float:
        return round(max(self.x_due - self.x_start, 1), 1)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    bars: list[ChartBar]
    ticks: list[tuple[float, str]]
    x_today: float


AXIS_REACH = datetime.timedelta(days=548)


def timeline_chart(rows, *, today, width=960, row_height=44, label_width=140) -> Chart | None:
    """Lay out one bar per review, from the decision date to the due date in force, on a shared time axis.

    One unit is a sixteenth of a rem: the stylesheet shows the 960-unit chart 60rem wide, so its
    text and lines grow with the reader's text size and zoom like the rest of the page.
    """
    if not rows:
        return None
    # The axis covers at most AXIS_REACH either side of today: a review decided long ago, or due
    # far ahead (a mistyped extension), is drawn up to the edge rather than squeezing every other
    # bar into a band or running the dates off the calendar. The tables below give the exact dates.
    earliest, latest = today - AXIS_REACH, today + AXIS_REACH
    start = max(min(min(row.review.decision_date for row in rows), today), earliest) - datetime.timedelta(
        days=7
    )
    end = min(max(max(row.review.current_due_date for row in rows), today), latest) + datetime.timedelta(
        days=14
    )
    span = (end - start).days
    plot = width - label_width - 20

    def x(day):
        day = min(max(day, start), end)
        return round(label_width + plot * (day - start).days / span, 1)

    bars = []
    for index, row in enumerate(rows):
        review = row.review
        bars.append(
            ChartBar(
                row=row,
                y=30 + index * row_height,
                x_start=x(review.decision_date),
                x_due=x(review.current_due_date),
                x_original_due=x(review.due_date),
                x_today=x(today),
                milestones=[(x(m.due_on), m) for m in row.timeline.milestones],
            )
        )
    ticks = []
    month = datetime.date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            ticks.append(
                (x(month), month.strftime("%b %Y") if month.month == 1 or not ticks else month.strftime("%b"))
            )
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return Chart(
        width=width,
        height=40 + len(rows) * row_height,
        label_width=label_width,
        bars=bars,
        ticks=ticks,
        x_today=x(today),
    )
