"""Date arithmetic for the review timetable: pure functions, no ORM, no clock.

A review is due a whole number of calendar months after the panel's decision.
When the decision falls on a day the target month lacks (31 October + 4 months),
the due date is that month's last day (28 or 29 February): a review is never
given less than its months, and never spills into the month after.
"""

import calendar
import datetime
from collections.abc import Mapping
from enum import StrEnum


class Rag(StrEnum):
    """Red/amber/green status of a date that is due."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    DONE = "done"


def add_months(start: datetime.date, months: int) -> datetime.date:
    """Return the date `months` calendar months after `start`, clamped to the month's end."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def review_due_date(decision_date: datetime.date, months: int) -> datetime.date:
    """Return the date a review decided on `decision_date` must be complete."""
    if months < 1:
        raise ValueError("A review's timeframe is at least one month.")
    return add_months(decision_date, months)


def milestone_due_dates(
    decision_date: datetime.date, offsets_in_days: Mapping[str, int]
) -> dict[str, datetime.date]:
    """Return each milestone's due date, counted in calendar days from the decision."""
    return {kind: decision_date + datetime.timedelta(days=days) for kind, days in offsets_in_days.items()}


def days_between(start: datetime.date, end: datetime.date) -> int:
    return (end - start).days


AMBER_DAYS = 14


def rag_status(
    due: datetime.date, *, today: datetime.date, done: bool = False, amber_days: int = AMBER_DAYS
) -> Rag:
    """Return red when overdue, amber within `amber_days` of the due date, else green."""
    if done:
        return Rag.DONE
    if today > due:
        return Rag.RED
    if (due - today).days <= amber_days:
        return Rag.AMBER
    return Rag.GREEN
