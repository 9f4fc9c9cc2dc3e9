"""Which due dates a reminder falls on, day by day: month ends and leap years included."""

import datetime

import pytest

from reviews.deadlines import reminder_due_dates, reminder_key

D = datetime.date


def due_today(today, **kwargs):
    return reminder_due_dates(today, overdue_max_weeks=kwargs.pop("overdue_max_weeks", 3), **kwargs)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # An ordinary day: 14, 7, 1 days ahead, the day itself, then weekly behind.
        (
            D(2026, 6, 10),
            {
                D(2026, 6, 24): 14,
                D(2026, 6, 17): 7,
                D(2026, 6, 11): 1,
                D(2026, 6, 10): 0,
                D(2026, 6, 3): -7,
                D(2026, 5, 27): -14,
                D(2026, 5, 20): -21,
            },
        ),
        # Across a leap day: 15 February 2028 is 14 days before 29 February.
        (
            D(2028, 2, 15),
            {
                D(2028, 2, 29): 14,
                D(2028, 2, 22): 7,
                D(2028, 2, 16): 1,
                D(2028, 2, 15): 0,
                D(2028, 2, 8): -7,
                D(2028, 2, 1): -14,
                D(2028, 1, 25): -21,
            },
        ),
        # In March of a leap year: 29 February is a week overdue.
        (
            D(2028, 3, 7),
            {
                D(2028, 3, 21): 14,
                D(2028, 3, 14): 7,
                D(2028, 3, 8): 1,
                D(2028, 3, 7): 0,
                D(2028, 2, 29): -7,
                D(2028, 2, 22): -14,
                D(2028, 2, 15): -21,
            },
        ),
        # A year without 29 February, and the turn of the year.
        (
            D(2026, 12, 31),
            {
                D(2027, 1, 14): 14,
                D(2027, 1, 7): 7,
                D(2027, 1, 1): 1,
                D(2026, 12, 31): 0,
                D(2026, 12, 24): -7,
                D(2026, 12, 17): -14,
                D(2026, 12, 10): -21,
            },
        ),
        (
            D(2027, 2, 28),
            {
                D(2027, 3, 14): 14,
                D(2027, 3, 7): 7,
                D(2027, 3, 1): 1,
                D(2027, 2, 28): 0,
                D(2027, 2, 21): -7,
                D(2027, 2, 14): -14,
                D(2027, 2, 7): -21,
            },
        ),
    ],
)
def test_reminders_fall_due_on_these_dates(today, expected):
    assert due_today(today) == expected


def test_each_due_date_is_reminded_on_the_days_before_the_day_and_weekly_after():
    """Walk a due date of 29 February 2028 through every day around it."""
    due = D(2028, 2, 29)
    reminded = []
    day = D(2028, 2, 1)
    while day <= D(2028, 4, 30):
        offsets = reminder_due_dates(day)
        if due in offsets:
            reminded.append((day, offsets[due]))
        day += datetime.timedelta(days=1)
    assert reminded == [
        (D(2028, 2, 15), 14),
        (D(2028, 2, 22), 7),
        (D(2028, 2, 28), 1),
        (D(2028, 2, 29), 0),
        (D(2028, 3, 7), -7),
        (D(2028, 3, 14), -14),
        (D(2028, 3, 21), -21),
        (D(2028, 3, 28), -28),
        (D(2028, 4, 4), -35),
        (D(2028, 4, 11), -42),
        (D(2028, 4, 18), -49),
        (D(2028, 4, 25), -56),
    ]


def test_the_schedule_is_configurable():
    assert due_today(D(2026, 1, 31), days_before=[3], overdue_every=0) == {D(2026, 2, 3): 3}
    assert due_today(D(2026, 1, 31), days_before=[], overdue_every=30, overdue_max_weeks=2) == {
        D(2026, 1, 1): -30,
        D(2025, 12, 2): -60,
    }


def test_weekly_overdue_reminders_stop_after_the_limit():
    offsets = reminder_due_dates(D(2026, 6, 10), overdue_max_weeks=260)
    assert min(offsets.values()) == -260 * 7
    assert len(offsets) == 4 + 260


def test_a_reminder_key_names_the_thing_its_date_and_the_offset():
    assert reminder_key("action", 42, D(2028, 2, 29), -7) == "reminder:action:42:2028-02-29:-7"
    assert reminder_key("imr", 42, D(2028, 2, 29), -7) != reminder_key("imr", 42, D(2028, 2, 29), 0)
