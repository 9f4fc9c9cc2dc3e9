"""The standard chronology template's values (domain.md), read the same way from the browser and a spreadsheet.

Each reader takes the text a person typed or a cell held and returns the value, or raises
ValueError with a message that names what is wrong in words: the form shows it on its field,
the importer with its row and column.
"""

import datetime
import re

DAY_FORMATS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("year", "month", "day")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("day", "month", "year")),
)
MONTH_FORMATS = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), ("year", "month")),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), ("month", "year")),
)
TIME_FORMAT = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def read_date(text: str) -> tuple[datetime.date, bool]:
    """Return the date and whether it is approximate (a month alone, held as the month's first day).

    Accepts YYYY-MM-DD and DD/MM/YYYY (UK order, never US), and YYYY-MM or MM/YYYY for a month.
    """
    text = " ".join(str(text).split())
    if not text:
        raise ValueError("Enter the date of the contact")
    for pattern, names in DAY_FORMATS:
        if match := pattern.match(text):
            parts = dict(zip(names, map(int, match.groups()), strict=True))
            try:
                return datetime.date(parts["year"], parts["month"], parts["day"]), False
            except ValueError:
                raise ValueError(f"{text} is not a date") from None
    for pattern, names in MONTH_FORMATS:
        if match := pattern.match(text):
            parts = dict(zip(names, map(int, match.groups()), strict=True))
            if not 1 <= parts["month"] <= 12 or parts["year"] < 1:
                raise ValueError(f"{text} is not a month")
            return datetime.date(parts["year"], parts["month"], 1), True
    raise ValueError(
        f"{text} is not a date: write it as 27/03/2025 or 2025-03-27, or 03/2025 if only the month is known"
    )


def read_time(text: str) -> datetime.time | None:
    """HH:MM, 24-hour; empty for none."""
    text = str(text).strip()
    if not text:
        return None
    match = TIME_FORMAT.match(text)
    if match:
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        if hour < 24 and minute < 60 and second < 60:
            return datetime.time(hour, minute)
    raise ValueError(f"{text} is not a time: write it as 14:30, on the 24-hour clock")


def read_choice(text: str, choices, *, what: str) -> str:
    """One of the allowed values, in any case, by its value or its label."""
    wanted = " ".join(str(text).split()).casefold()
    for value, label in choices:
        if wanted in (str(value).casefold(), str(label).casefold()):
            return value
    allowed = ", ".join(str(value) for value, _ in choices)
    if not wanted:
        raise ValueError(f"Enter {what}: one of {allowed}")
    raise ValueError(f"{text} is not {what}: use one of {allowed}")


def read_yes_no(text) -> bool:
    wanted = str(text).strip().casefold()
    if wanted in YES:
        return True
    if wanted in NO:
        return False
    raise ValueError(f"{text} is not yes or no")


def show_date(day: datetime.date, approximate: bool) -> str:
    """As the template writes it: 27/03/2025, or 03/2025 for a month alone."""
    return f"{day:%m/%Y}" if approximate else f"{day:%d/%m/%Y}"
