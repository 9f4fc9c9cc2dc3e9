"""The tracker: the open reviews a person may see, each against its four-month window."""

import datetime
from dataclasses import dataclass

import django_filters
from django.db.models import (
    Case,
    CharField,
    Exists,
    IntegerField,
    OuterRef,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from reviews.deadlines import AMBER_DAYS, Rag
from reviews.lists import Sort
from reviews.models import Milestone, PanelDecision, Review, ReviewState, ReviewType
from reviews.models.references import reference_order
from reviews.models.review_states import OPEN
from reviews.timeline import MilestoneRow, Timeline, review_timeline


def tracker_queryset(user, *, withdrawn: bool = False):
    """The open reviews `user` may see (or the withdrawn ones), annotated in SQL with what the tracker
    filters and sorts by.

    - the stored `next_due_on`: the due date of the first milestone not yet done (the
      completion milestone moves with any extension), kept by the services;
    - `status_date`: the date the red/amber/green status is read from. A review is as late as its
      next undone milestone, or its due date when every milestone is done: the same rule as
      `review_timeline`. Red is before today, amber within AMBER_DAYS, green after;
    - `stage_rank`: the stage's place in the process; `type_label`: the type as people read it;
    - `last_activity`: when the review last changed, stored by the audit log as it writes the
      change (looks at it and refused attempts are not activity).
    """
    return (
        Review.objects.visible_to(user).withdrawn() if withdrawn else Review.objects.visible_to(user).open()
    ).annotate(
        status_date=Coalesce("next_due_on", "current_due_date"),
        stage_rank=Case(
            *[When(state=state, then=Value(rank)) for rank, state in enumerate(ReviewState)],
            output_field=IntegerField(),
        ),
        type_label=Case(
            *[When(review_type=value, then=Value(str(label))) for value, label in ReviewType.choices],
            output_field=CharField(),
        ),
        last_activity=Coalesce("last_activity_at", "updated_at"),
        # Criterion (a) met (a child died, abuse or neglect suspected) yet no SCR held.
        criterion_a_departure=Exists(
            PanelDecision.objects.filter(referral_id=OuterRef("referral_id"), criterion_a=True).exclude(
                outcome=PanelDecision.Outcome.SCR
            )
        ),
    )


SORTS = (
    Sort("reference", "Reference", (reference_order(),)),
    Sort("type", "Type", ("type_label", reference_order())),
    Sort("stage", "Stage", ("stage_rank", reference_order())),
    Sort("decided", "Decided", ("decision_date", reference_order())),
    Sort("left", "Days left", ("current_due_date", reference_order())),
    Sort("next", "Next milestone", ("next_due_on", reference_order())),
    # Red, amber, green is the order of the status date: sorting by the date sorts by the band.
    Sort("status", "Status", ("status_date", reference_order())),
    Sort("activity", "Last activity", ("last_activity", reference_order())),
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
            (Rag.RED.value, "Overdue (red)"),
            (Rag.AMBER.value, f"Due soon, within {AMBER_DAYS} days (amber)"),
            (Rag.GREEN.value, "On track (green)"),
            # Not a band of the open reviews: the reviews the panel withdrew, kept and listed apart.
            (Rag.WITHDRAWN.value, "Withdrawn"),
        ],
        method="filter_status",
    )

    class Meta:
        model = Review
        fields = ["stage", "type", "status"]

    def filter_status(self, queryset, name, value):
        # The band is a range of the status date, so the database compares a date rather than
        # working out every review's band: red before today, amber up to AMBER_DAYS ahead.
        today = self.request_today
        amber_until = today + datetime.timedelta(days=AMBER_DAYS)
        if value == Rag.RED:
            return queryset.filter(status_date__lt=today)
        if value == Rag.AMBER:
            return queryset.filter(status_date__gte=today, status_date__lte=amber_until)
        if value == Rag.WITHDRAWN:
            return queryset  # the view lists the withdrawn reviews instead of the open ones
        return queryset.filter(status_date__gt=amber_until)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_today = today


@dataclass(frozen=True)
class MilestoneFact:
    """The columns of a milestone a timeline reads: cheaper to build than the model, 250 a page."""

    pk: int
    review_id: int
    kind: str
    due_on: datetime.date
    done_on: datetime.date | None


def with_timelines(reviews, *, today) -> list["TrackerRow"]:
    """Rows for the reviews of one page, each with its timeline: their milestones in one query.

    Read for the page's rows only, after the database has filtered, sorted and cut the page.
    """
    reviews = list(reviews)
    milestones = {review.pk: [] for review in reviews}
    for fact in Milestone.objects.filter(review__in=reviews).values_list(
        "pk", "review_id", "kind", "due_on", "done_on"
    ):
        milestones[fact[1]].append(MilestoneFact(*fact))
    return [
        TrackerRow(review, review_timeline(review, milestones[review.pk], today=today), review.last_activity)
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
AXIS_SPAN = datetime.timedelta(days=3 * 365)


def timeline_chart(rows, *, today, width=960, row_height=44, label_width=140) -> Chart | None:
    """Lay out one bar per review, from the decision date to the due date in force, on a shared time axis.

    One unit is a sixteenth of a rem: the stylesheet shows the 960-unit chart 60rem wide, so its
    text and lines grow with the reader's text size and zoom like the rest of the page.
    """
    if not rows:
        return None
    # The axis runs from the page's earliest decision to its latest due date, and shows today.
    # A due date mistyped far ahead is drawn up to AXIS_REACH after today, and the axis covers at
    # most AXIS_SPAN, so that one odd date never squeezes every other bar into a band; the
    # tables below give the exact dates.
    latest = min(max(max(row.review.current_due_date for row in rows), today), today + AXIS_REACH)
    earliest = max(min(min(row.review.decision_date for row in rows), today), latest - AXIS_SPAN)
    start = earliest - datetime.timedelta(days=7)
    end = latest + datetime.timedelta(days=14)
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
    # A label per month when there is room for it ("Jan 2026" needs about 64 units), else every
    # second or third month; the grid keeps a line for every month.
    per_month = plot * 30.4 / span
    step = 1 if per_month >= 64 else 2 if per_month >= 32 else 3
    ticks = []
    year_shown = False
    month = datetime.date(start.year, start.month, 1)
    while month <= end:
        label = ""
        if month >= start and (month.month - 1) % step == 0:
            # The year with January, and with the first label whatever its month.
            label = month.strftime("%b %Y") if month.month == 1 or not year_shown else month.strftime("%b")
            year_shown = True
        if month >= start:
            ticks.append((x(month), label))
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return Chart(
        width=width,
        height=40 + len(rows) * row_height,
        label_width=label_width,
        bars=bars,
        ticks=ticks,
        x_today=x(today),
    )
