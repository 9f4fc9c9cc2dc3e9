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
    # A review the panel withdrew: ended, but never done; no date of it is due any more.
    WITHDRAWN = "withdrawn"


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


def reminder_due_dates(
    today: datetime.date,
    *,
    days_before: tuple[int, ...] | list[int] = (14, 7, 1, 0),
    overdue_every: int = 7,
    overdue_max_weeks: int = 260,
) -> dict[datetime.date, int]:
    """Return each due date whose reminder falls on `today`, with its offset in days.

    The offset is the days from today to the due date: 14, 7 and 1 before it, 0 on the day,
    and -7, -14, … while it is overdue (one reminder every `overdue_every` days, for at most
    `overdue_max_weeks` such steps). Plain day counting: month ends and 29 February need
    nothing special, and the tests show it.
    """
    dates = {today + datetime.timedelta(days=days): days for days in days_before if days >= 0}
    if overdue_every > 0:
        for step in range(1, overdue_max_weeks + 1):
            dates[today - datetime.timedelta(days=step * overdue_every)] = -step * overdue_every
    return dates


def reminder_key(thing: str, pk: int, due_on: datetime.date, offset: int) -> str:
    """Return the idempotency key of one reminder: the thing, its due date and the offset."""
    return f"reminder:{thing}:{pk}:{due_on.isoformat()}:{offset}"
