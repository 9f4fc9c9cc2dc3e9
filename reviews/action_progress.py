"""How the action plans are getting on: counts by status, overdue actions and burn-down, each one query.

Every figure is counted by the database (GROUP BY), never by walking the actions in Python, so a
page costs the same for ten actions as for ten thousand. An action belongs to its owning agency:
the plan's agency for an agency's own plan, the action's `owner_agency` on the LSCB's plan, and
the LSCB itself when neither is set.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower, TruncMonth

from reviews.deadlines import Rag, add_months, rag_status
from reviews.models import ActionItem, ActionState, MonitoringNote

LSCB = "LSCB"
OPEN_STATES = (ActionState.OPEN, ActionState.IN_PROGRESS)


@dataclass(frozen=True)
class StatusCounts:
    """One row of a status chart: an agency's or a review's actions, counted by status."""

    label: str
    pk: int | None
    open: int = 0
    in_progress: int = 0
    completed: int = 0
    verified: int = 0

    @property
    def total(self) -> int:
        return self.open + self.in_progress + self.completed + self.verified

    @property
    def outstanding(self) -> int:
        """Not yet done: open or in progress."""
        return self.open + self.in_progress

    def count(self, state) -> int:
        return getattr(self, ActionState(state).value)


@dataclass(frozen=True)
class AgencyCount:
    label: str
    pk: int | None
    count: int


@dataclass(frozen=True)
class BurnDownMonth:
    """By the end of `month` (its first day): how many actions were due, and how many completed."""

    month: datetime.date
    due: int
    completed: int


@dataclass(frozen=True)
class BurnDown:
    months: list[BurnDownMonth]
    total: int
    today: datetime.date


def _state_counts() -> dict:
    return {state.value: Count("pk", filter=Q(state=state)) for state in ActionState}


def _owning_agency() -> dict:
    """The owning agency's pk and name as annotations: the plan's, else the action's, else the LSCB."""
    return {
        "agency_pk": Coalesce(F("plan__agency_id"), F("owner_agency_id")),
        "agency_name": Coalesce(F("plan__agency__name"), F("owner_agency__name"), Value(LSCB)),
    }


# Agencies by name, the LSCB's own actions last: the same order on every database.
AGENCY_ORDER = (Case(When(agency_pk__isnull=True, then=1), default=0), Lower("agency_name"), "agency_pk")


def _actions(review=None):
    items = ActionItem.objects.agreed().order_by()
    return items.monitored() if review is None else items.filter(plan__review=review)


def status_by_agency(*, review=None) -> list[StatusCounts]:
    """Return each owning agency's actions counted by status, across every review or on `review`."""
    rows = (
        _actions(review)
        .annotate(**_owning_agency())
        .values("agency_pk", "agency_name")
        .annotate(**_state_counts())
        .order_by(*AGENCY_ORDER)
    )
    return [
        StatusCounts(
            label=row["agency_name"], pk=row["agency_pk"], **{s.value: row[s.value] for s in ActionState}
        )
        for row in rows
    ]


def status_by_review(*, limit: int | None = None, outstanding_only: bool = False) -> list[StatusCounts]:
    """Return each review's actions counted by status: those with the most outstanding first.

    `outstanding_only` keeps the reviews with an action open or in progress; `limit` the first so many.
    """
    rows = (
        ActionItem.objects.agreed()
        .monitored()
        .order_by()
        .values(review_pk=F("plan__review_id"), reference=F("plan__review__reference"))
        .annotate(**_state_counts(), outstanding=Count("pk", filter=Q(state__in=OPEN_STATES)))
        .order_by("-outstanding", "reference")
    )
    if outstanding_only:
        rows = rows.filter(outstanding__gt=0)
    if limit is not None:
        rows = rows[:limit]
    return [
        StatusCounts(
            label=row["reference"], pk=row["review_pk"], **{s.value: row[s.value] for s in ActionState}
        )
        for row in rows
    ]


def reviews_with_outstanding_actions() -> int:
    """Return how many reviews have an action open or in progress."""
    return (
        ActionItem.objects.agreed()
        .monitored()
        .filter(state__in=OPEN_STATES)
        .values("plan__review_id")
        .distinct()
        .order_by()
        .count()
    )


def overdue_filter(today: datetime.date) -> Q:
    """Overdue: due before today and not yet done. An action due today is not overdue until tomorrow."""
    return Q(due_on__lt=today, state__in=OPEN_STATES)


def overdue_by_agency(*, today: datetime.date, review=None) -> list[AgencyCount]:
    """Return how many actions each owning agency has overdue on `today`, most first; agencies with none left out."""
    rows = (
        _actions(review)
        .filter(overdue_filter(today))
        .annotate(**_owning_agency())
        .values("agency_pk", "agency_name")
        .annotate(count=Count("pk"))
        .order_by("-count", *AGENCY_ORDER)
    )
    return [AgencyCount(label=row["agency_name"], pk=row["agency_pk"], count=row["count"]) for row in rows]


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first day of every month from `first`'s to `last`'s, both included."""
    month, end = first.replace(day=1), last.replace(day=1)
    months = []
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def burn_down(review, *, today: datetime.date) -> BurnDown:
    """Return the review's burn-down: month by month, the actions due by its end against those completed by then.

    From the month of the earliest due date to that of today or of the latest due date, whichever
    is later. Actions completed before the first month count in it (the figures are cumulative).
    """
    items = _actions(review)
    due = (
        items.annotate(month=TruncMonth("due_on"), series=Value("due"))
        .values("month", "series")
        .annotate(n=Count("pk"))
    )
    completed = (
        items.filter(completed_on__isnull=False, state__in=ActionItem.DONE)
        .annotate(month=TruncMonth("completed_on"), series=Value("completed"))
        .values("month", "series")
        .annotate(n=Count("pk"))
    )
    # One query: both series' monthly counts, side by side.
    counts = {"due": {}, "completed": {}}
    for month, series, n in due.union(completed, all=True).values_list("month", "series", "n"):
        if isinstance(month, datetime.datetime):
            month = month.date()
        counts[series][month] = n
    if not counts["due"]:
        return BurnDown(months=[], total=0, today=today)
    months = month_range(min(counts["due"]), max(max(counts["due"]), today))
    rows, due_so_far, completed_so_far = [], 0, 0
    # Anything completed before the first month is already done by its end.
    completed_so_far = sum(n for month, n in counts["completed"].items() if month < months[0])
    for month in months:
        due_so_far += counts["due"].get(month, 0)
        completed_so_far += counts["completed"].get(month, 0)
        rows.append(BurnDownMonth(month=month, due=due_so_far, completed=completed_so_far))
    return BurnDown(months=rows, total=sum(counts["due"].values()), today=today)


def overdue_actions(review, *, today: datetime.date):
    """The review's overdue actions, the longest overdue first, with their owning agency's name."""
    return (
        ActionItem.objects.agreed()
        .filter(plan__review=review)
        .filter(overdue_filter(today))
        .annotate(agency_name=_owning_agency()["agency_name"])
        .order_by("due_on", "pk")
    )


def action_rag(item, *, today: datetime.date) -> Rag:
    """Red when overdue, amber when due within ACTION_AMBER_DAYS, green otherwise; done actions have none."""
    return rag_status(
        item.due_on, today=today, done=item.state in ActionItem.DONE, amber_days=settings.ACTION_AMBER_DAYS
    )


def report_actions(review):
    """Every action of the review with its owning agency and its last monitoring note, in one query."""
    last_note = MonitoringNote.objects.filter(item=OuterRef("pk")).order_by("-recorded_at", "-pk")
    return (
        ActionItem.objects.agreed()
        .filter(plan__review=review)
        .annotate(
            agency_name=_owning_agency()["agency_name"],
            last_note=Subquery(last_note.values("note")[:1]),
            last_note_at=Subquery(last_note.values("recorded_at")[:1]),
        )
        .order_by("agency_name", "due_on", "pk")
    )
