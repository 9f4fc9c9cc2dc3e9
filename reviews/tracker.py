"""The business manager's tracker: every open review against its four-month window."""

import datetime
from dataclasses import dataclass

import django_filters
from django.db.models import (
    Case,
    CharField,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Greatest

from reviews.deadlines import AMBER_DAYS, Rag
from reviews.lists import Sort
from reviews.models import AuditEvent, Milestone, Review, ReviewState, ReviewType
from reviews.models.review_states import OPEN
from reviews.timeline import MilestoneRow, Timeline, review_timeline


def tracker_queryset(user, *, today):
    """The open reviews `user` may see, annotated in SQL with what the tracker filters and sorts by.

    - `next_due`: the due date of the first milestone not yet done (the completion milestone
      moves with any extension);
    - `rag_rank`: 0 red, 1 amber, 2 green. A review is as late as its next undone milestone, or
      its due date when every milestone is done: the same rule as `review_timeline`;
    - `stage_rank`: the stage's place in the process; `type_label`: the type as people read it;
    - `last_activity`: the later of the review's last change and its last audit row.
    """
    effective_due = Case(
        When(kind=Milestone.Kind.REVIEW_COMPLETE, then=OuterRef("current_due_date")),
        default=F("due_on"),
        output_field=DateField(),
    )
    next_open = (
        Milestone.objects.filter(review=OuterRef("pk"), done_on__isnull=True)
        .annotate(effective_due=effective_due)
        .order_by("effective_due", "pk")
        .values("effective_due")[:1]
    )
    latest_audit = AuditEvent.objects.filter(review=OuterRef("pk")).order_by("-at").values("at")[:1]
    amber_until = today + datetime.timedelta(days=AMBER_DAYS)
    return (
        Review.objects.visible_to(user)
        .open()
        .annotate(
            next_due=Subquery(next_open, output_field=DateField()),
            status_date=Coalesce("next_due", "current_due_date"),
            rag_rank=Case(
                When(status_date__lt=today, then=Value(0)),
                When(status_date__lte=amber_until, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            stage_rank=Case(
                *[When(state=state, then=Value(rank)) for rank, state in enumerate(ReviewState)],
                output_field=IntegerField(),
            ),
            type_label=Case(
                *[When(review_type=value, then=Value(str(label))) for value, label in ReviewType.choices],
                output_field=CharField(),
            ),
            last_activity=Greatest(
                "updated_at", Coalesce(Subquery(latest_audit, output_field=DateTimeField()), "updated_at")
            ),
        )
    )


RAG_RANK = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}

SORTS = (
    Sort("reference", "Reference", ("reference",)),
    Sort("type", "Type", ("type_label", "reference")),
    Sort("stage", "Stage", ("stage_rank", "reference")),
    Sort("decided", "Decided", ("decision_date", "reference")),
    Sort("left", "Days left", ("current_due_date", "reference")),
    Sort("next", "Next milestone", ("next_due", "reference")),
    Sort("status", "Status", ("rag_rank", "status_date", "reference")),
    Sort("activity", "Last activity", ("last_activity", "reference")),
)


class TrackerFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(
        label="Stage",
        field_name="state",
        empty_label="Any stage",
        choices=[(s.value, s.label) for s in ReviewState if s in OPEN],
    )
    type = django_filters.ChoiceFilter(
        label="Type", field_name="review_type", empty_label="Any type", choices=ReviewType.choices
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        empty_label="Any status",
        choices=[
            (Rag.RED.value, "Red: overdue"),
            (Rag.AMBER.value, f"Amber: due within {AMBER_DAYS} days"),
            (Rag.GREEN.value, "Green"),
        ],
        method="filter_status",
    )

    class Meta:
        model = Review
        fields = ["stage", "type", "status"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(rag_rank=RAG_RANK[Rag(value)])


def with_timelines(reviews, *, today) -> list["TrackerRow"]:
    """Rows for the reviews of one page: their milestones in one query, each timeline built from them."""
    reviews = list(reviews)
    prefetch_related_objects(
        reviews, Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk"))
    )
    return [
        TrackerRow(
            review, review_timeline(review, review.milestones.all(), today=today), review.last_activity
        )
        for review in reviews
    ]


@dataclass(frozen=True)
class TrackerRow:
    review: Review
    timeline: Timeline
    last_activity: datetime.datetime

    @property
    def next_due(self):
        nxt = self.timeline.next_milestone
        return nxt.due_on if nxt else None


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
