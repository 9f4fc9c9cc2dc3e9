"""The action plans' charts: status by agency or review, overdue by agency, a review's burn-down.

Server-rendered SVG, written as reviews/charts.py writes the tracker's: every piece of text escaped,
the rest numbers and fixed markup. Each chart is an image with its own title and description, its
colours set on the shapes (so that it looks the same on a page, in a PDF, or embedded elsewhere),
and never told by colour alone: each status has its own fill pattern and a key, counts are
written on the bars, and the two burn-down lines differ in dash and marker and are named at
their ends. Each chart has a table with the same figures, its text alternative.
"""

import datetime
import math
from collections.abc import Callable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reviews import action_progress
from reviews.action_progress import AgencyCount, BurnDown, StatusCounts
from reviews.charts import _lane_name_lines
from reviews.models import ActionState

WIDTH = 960
LABEL_WIDTH = 230
ROW = 36
BAR = 22
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
SECONDARY = "#505a5f"

# Each status: its fill, its edge (at least 3:1 against white), its pattern, and the colour of its count.
STATUS_STYLE = {
    # Grey, not red: red is kept for overdue, as on the monitoring list.
    ActionState.OPEN: {"fill": "#f3f2f1", "edge": "#505a5f", "pattern": "hatch", "text": TEXT},
    ActionState.IN_PROGRESS: {"fill": "#fff7bf", "edge": "#594d00", "pattern": "dots", "text": TEXT},
    ActionState.COMPLETED: {"fill": "#5694ca", "edge": "#003078", "pattern": None, "text": TEXT},
    ActionState.VERIFIED: {"fill": "#005a30", "edge": "#002d18", "pattern": None, "text": "#ffffff"},
}
STATUS_WORDS = {
    ActionState.OPEN: "Open",
    ActionState.IN_PROGRESS: "In progress",
    ActionState.COMPLETED: "Completed",
    ActionState.VERIFIED: "Verified",
}
OVERDUE_FILL = "#d4351c"
DUE_LINE = "#1d70b8"
COMPLETED_LINE = "#005a30"
TODAY_LINE = "#505a5f"


def _open_svg(chart_id: str, width: int, height: int, title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart__svg" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'font-family="Arial, Helvetica, sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )


PLURALS = {"agency": "agencies"}


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun if count == 1 else PLURALS.get(noun, noun + 's')}"


def _nice_step(largest: int, ticks: int = 5) -> int:
    """A round step (1, 2, 5, 10, 20, 50 …) that gives about `ticks` grid lines up to `largest`."""
    if largest <= ticks:
        return 1
    raw = largest / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


def _patterns(chart_id: str) -> str:
    """The fill patterns of the statuses, named after the chart so that two charts on a page do not share ids."""
    parts = ["<defs>"]
    for state, style in STATUS_STYLE.items():
        if style["pattern"] == "hatch":
            mark = f'<path d="M-1 1L1 -1M0 8L8 0M7 9L9 7" stroke="{style["edge"]}" stroke-width="1.5"/>'
        elif style["pattern"] == "dots":
            mark = f'<circle cx="4" cy="4" r="1.6" fill="{style["edge"]}"/>'
        else:
            continue
        parts.append(
            f'<pattern id="{chart_id}-{state.value}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{style["fill"]}"/>{mark}</pattern>'
        )
    parts.append("</defs>")
    return "".join(parts)


def _status_fill(chart_id: str, state) -> str:
    style = STATUS_STYLE[state]
    return f"url(#{chart_id}-{state.value})" if style["pattern"] else style["fill"]


def _status_key(chart_id: str, x: int, y: int) -> str:
    """The key, in the chart itself: a swatch and a word for each status."""
    parts = []
    for state, words in STATUS_WORDS.items():
        style = STATUS_STYLE[state]
        parts.append(
            f'<rect x="{x}" y="{y - 12}" width="16" height="16" fill="{_status_fill(chart_id, state)}" '
            f'stroke="{style["edge"]}"/><text x="{x + 22}" y="{y + 1}" font-size="14" fill="{TEXT}">{words}</text>'
        )
        x += 22 + len(words) * 8 + 24
    return "".join(parts)


def _row_label(y: int, label: str) -> str:
    lines = _lane_name_lines(label)
    top = y + ROW / 2 - (len(lines) - 1) * 7 + 5
    return (
        f'<text x="0" y="{top}" font-size="14" fill="{TEXT}"><title>{escape(label)}</title>'
        + "".join(
            f'<tspan x="0" dy="{0 if number == 0 else 14}">{escape(line)}</tspan>'
            for number, line in enumerate(lines)
        )
        + "</text>"
    )


def _x_grid(step: int, largest: int, x0: int, scale: float, top: int, bottom: int) -> str:
    parts = []
    for value in range(0, largest + 1, step):
        x = round(x0 + value * scale, 1)
        parts.append(
            f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{x}" y="{bottom + 16}" font-size="13" fill="{SECONDARY}" text-anchor="middle">{value:,}</text>'
        )
    return "".join(parts)


def status_description(rows: list[StatusCounts], noun: str) -> str:
    """The chart's figures in one sentence: 12 actions of 3 agencies: 5 open, 3 in progress, …"""
    totals = {state: sum(row.count(state) for row in rows) for state in ActionState}
    every = sum(totals.values())
    by_state = ", ".join(f"{totals[state]:,} {STATUS_WORDS[state].lower()}" for state in ActionState)
    return (
        f"One bar for each {noun}, split by status: {_plural(every, 'action')} of {_plural(len(rows), noun)}, "
        f"{by_state}. The table after the chart gives every figure."
    )


def status_bars_svg(
    rows: list[StatusCounts], *, chart_id: str, title: str, noun: str = "agency"
) -> SafeString:
    """Stacked horizontal bars: one per agency or review, split into open, in progress, completed and verified."""
    if not rows:
        return SafeString("")
    largest = max(row.total for row in rows) or 1
    step = _nice_step(largest)
    largest = math.ceil(largest / step) * step
    top, x0, x1 = 40, LABEL_WIDTH, WIDTH - 50
    scale = (x1 - x0) / largest
    bottom = top + ROW * len(rows)
    height = bottom + 26
    parts = [
        _open_svg(chart_id, WIDTH, height, title, status_description(rows, noun)),
        _patterns(chart_id),
        _status_key(chart_id, x0, 16),
        _x_grid(step, largest, x0, scale, top, bottom),
    ]
    for index, row in enumerate(rows):
        y = top + index * ROW
        bar_y = y + (ROW - BAR) / 2
        parts.append(f"<g>{_row_label(y, row.label)}")
        x = x0
        for state in ActionState:
            count = row.count(state)
            if not count:
                continue
            width = round(count * scale, 1)
            style = STATUS_STYLE[state]
            parts.append(
                f'<rect x="{round(x, 1)}" y="{bar_y}" width="{width}" height="{BAR}" '
                f'fill="{_status_fill(chart_id, state)}" stroke="{style["edge"]}" stroke-width="1">'
                f"<title>{escape(row.label)}: {count:,} {STATUS_WORDS[state].lower()}</title></rect>"
            )
            # The count on its segment when it fits, on a white ground so the pattern never hides it.
            digits = len(f"{count:,}")
            if width >= digits * 8 + 8:
                centre = round(x + width / 2, 1)
                parts.append(
                    f'<rect x="{centre - digits * 4 - 3}" y="{bar_y + 3}" width="{digits * 8 + 6}" height="16" '
                    f'rx="2" fill="#ffffff"/>'
                    f'<text x="{centre}" y="{bar_y + 16}" font-size="13" font-weight="bold" fill="{TEXT}" '
                    f'text-anchor="middle" aria-hidden="true">{count:,}</text>'
                )
            x += count * scale
        parts.append(
            f'<text x="{round(x + 6, 1)}" y="{bar_y + 16}" font-size="14" font-weight="bold" fill="{TEXT}" '
            f'aria-hidden="true">{row.total:,}</text></g>'
        )
    parts.append("</svg>")
    # Safe: every piece of text above is escaped, the rest is numbers and fixed markup.
    return mark_safe("".join(parts))  # nosec B308, B703


def _table(caption: str, headers: list[str], body: list[str], *, label: str) -> str:
    head = "".join(
        f'<th scope="col" class="govuk-table__header{" govuk-table__header--numeric" if index else ""}">'
        f"{escape(header)}</th>"
        for index, header in enumerate(headers)
    )
    return (
        f'<div class="app-table-scroll" role="region" aria-label="{escape(label)}" tabindex="0">'
        f'<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">'
        f'{escape(caption)}</caption><thead class="govuk-table__head"><tr class="govuk-table__row">{head}</tr>'
        f'</thead><tbody class="govuk-table__body">{"".join(body)}</tbody></table></div>'
    )


def _number(value: int) -> str:
    return f'<td class="govuk-table__cell govuk-table__cell--numeric">{value:,}</td>'


def status_table(
    rows: list[StatusCounts],
    *,
    caption: str,
    row_header: str,
    href: Callable[[StatusCounts], str] | None = None,
) -> SafeString:
    """The status chart in words: a row per agency or review, a column per status, and the totals."""
    body = []
    for row in rows:
        name = escape(row.label)
        if href is not None:
            name = f'<a class="govuk-link" href="{escape(href(row))}">{name}</a>'
        body.append(
            f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{name}</th>'
            + "".join(_number(row.count(state)) for state in ActionState)
            + _number(row.total)
            + "</tr>"
        )
    if len(rows) > 1:
        body.append(
            '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">All</th>'
            + "".join(_number(sum(row.count(state) for row in rows)) for state in ActionState)
            + _number(sum(row.total for row in rows))
            + "</tr>"
        )
    headers = [row_header, *STATUS_WORDS.values(), "All"]
    # Safe: every piece of text above is escaped, the rest is numbers and fixed markup.
    return mark_safe(_table(caption, headers, body, label=caption))  # nosec B308, B703


def overdue_bars_svg(rows: list[AgencyCount], *, chart_id: str, title: str) -> SafeString:
    """Horizontal bars: how many actions each agency has overdue, the count written at the end of each bar."""
    if not rows:
        return SafeString("")
    largest = max(row.count for row in rows)
    step = _nice_step(largest)
    largest = math.ceil(largest / step) * step
    top, x0, x1 = 12, LABEL_WIDTH, WIDTH - 50
    scale = (x1 - x0) / largest
    bottom = top + ROW * len(rows)
    every = sum(row.count for row in rows)
    description = (
        f"One bar for each agency with an overdue action: {_plural(every, 'action')} overdue in all, "
        f"of {_plural(len(rows), 'agency')}. The table after the chart gives every figure."
    )
    parts = [
        _open_svg(chart_id, WIDTH, bottom + 26, title, description),
        _x_grid(step, largest, x0, scale, top, bottom),
    ]
    for index, row in enumerate(rows):
        y = top + index * ROW
        bar_y = y + (ROW - BAR) / 2
        width = round(row.count * scale, 1)
        parts.append(
            f"<g>{_row_label(y, row.label)}"
            f'<rect x="{x0}" y="{bar_y}" width="{width}" height="{BAR}" fill="{OVERDUE_FILL}">'
            f"<title>{escape(row.label)}: {row.count:,} overdue</title></rect>"
            f'<text x="{round(x0 + width + 6, 1)}" y="{bar_y + 16}" font-size="14" font-weight="bold" '
            f'fill="{TEXT}" aria-hidden="true">{row.count:,}</text></g>'
        )
    parts.append("</svg>")
    # Safe: every piece of text above is escaped, the rest is numbers and fixed markup.
    return mark_safe("".join(parts))  # nosec B308, B703


def overdue_table(rows: list[AgencyCount], *, caption: str) -> SafeString:
    """The overdue chart in words."""
    body = [
        f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{escape(row.label)}</th>'
        f"{_number(row.count)}</tr>"
        for row in rows
    ]
    # Safe: every piece of text above is escaped, the rest is numbers and fixed markup.
    return mark_safe(_table(caption, ["Agency", "Overdue actions"], body, label=caption))  # nosec B308, B703


def _month_end(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


def _month_label(month: datetime.date, first: bool) -> str:
    return f"{month:%b} {month.year}" if first or month.month == 1 else f"{month:%b}"


def burn_down_description(burn: BurnDown) -> str:
    last = burn.months[-1]
    now = [row for row in burn.months if row.month <= burn.today][-1:] or burn.months[:1]
    now = now[0]
    return (
        f"Two lines, month by month from {burn.months[0].month:%B %Y} to {last.month:%B %Y}: the actions due "
        f"by the end of each month (dashed, square markers) and those completed by then (solid, round "
        f"markers). {last.due:,} of {burn.total:,} due by the end of {last.month:%B %Y}; "
        f"{now.completed:,} completed so far. The table after the chart gives every month's figures."
    )


def burn_down_svg(burn: BurnDown, *, chart_id: str, title: str) -> SafeString:
    """Two lines over the months: the actions due by the end of each month, and those completed by then."""
    if not burn.months:
        return SafeString("")
    height, top, bottom = 330, 40, 280
    x0, x1 = 60, WIDTH - 130
    start, end = burn.months[0].month, _month_end(burn.months[-1].month)
    days = (end - start).days + 1
    largest = max(burn.total, 1)
    step = _nice_step(largest)
    largest = math.ceil(largest / step) * step

    def x_of(day: datetime.date) -> float:
        return round(x0 + ((day - start).days + 1) / days * (x1 - x0), 1)

    def y_of(value: int) -> float:
        return round(bottom - value / largest * (bottom - top), 1)

    parts = [_open_svg(chart_id, WIDTH, height, title, burn_down_description(burn))]
    # The key, above the plot.
    parts.append(
        f'<line x1="{x0}" y1="14" x2="{x0 + 30}" y2="14" stroke="{DUE_LINE}" stroke-width="3" stroke-dasharray="8 4"/>'
        f'<rect x="{x0 + 11}" y="10" width="8" height="8" fill="{DUE_LINE}"/>'
        f'<text x="{x0 + 38}" y="19" font-size="14" fill="{TEXT}">Due by the end of the month</text>'
        f'<line x1="{x0 + 260}" y1="14" x2="{x0 + 290}" y2="14" stroke="{COMPLETED_LINE}" stroke-width="3"/>'
        f'<circle cx="{x0 + 275}" cy="14" r="4.5" fill="{COMPLETED_LINE}"/>'
        f'<text x="{x0 + 298}" y="19" font-size="14" fill="{TEXT}">Completed by then</text>'
    )
    for value in range(0, largest + 1, step):
        y = y_of(value)
        parts.append(
            f'<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{x0 - 8}" y="{y + 5}" font-size="13" fill="{SECONDARY}" text-anchor="end">{value:,}</text>'
        )
    # A month's name under its span; every month's when there is room, else every few.
    span = (x1 - x0) / len(burn.months)
    every = max(1, math.ceil(48 / span))
    for index, row in enumerate(burn.months):
        left = x_of(row.month) - round((1 / days) * (x1 - x0), 1)
        parts.append(f'<line x1="{left}" y1="{bottom}" x2="{left}" y2="{bottom + 5}" stroke="{SECONDARY}"/>')
        if index % every == 0:
            parts.append(
                f'<text x="{round(left + span / 2, 1)}" y="{bottom + 20}" font-size="13" fill="{SECONDARY}" '
                f'text-anchor="middle">{_month_label(row.month, index == 0)}</text>'
            )
    parts.append(f'<line x1="{x0}" y1="{bottom}" x2="{x1}" y2="{bottom}" stroke="{TEXT}" stroke-width="1"/>')
    if start <= burn.today <= end:
        x = x_of(burn.today)
        parts.append(
            f'<line x1="{x}" y1="{top - 6}" x2="{x}" y2="{bottom}" stroke="{TODAY_LINE}" stroke-width="2" '
            f'stroke-dasharray="2 3"/><text x="{x}" y="{bottom + 38}" font-size="13" fill="{TODAY_LINE}" '
            f'text-anchor="middle">Today</text>'
        )
    due_points = [(x_of(_month_end(row.month)), y_of(row.due)) for row in burn.months]
    # What is completed is known up to today: the completed line stops at this month.
    so_far = [row for row in burn.months if row.month <= burn.today] or burn.months[:1]
    done_points = [(x_of(_month_end(row.month)), y_of(row.completed)) for row in so_far]
    # Each line starts from nothing at the start of the first month.
    origin = f"{x0},{bottom} "
    parts.append(
        f'<polyline points="{origin}{" ".join(f"{x},{y}" for x, y in due_points)}" fill="none" '
        f'stroke="{DUE_LINE}" stroke-width="3" stroke-dasharray="8 4"/>'
        f'<polyline points="{origin}{" ".join(f"{x},{y}" for x, y in done_points)}" fill="none" '
        f'stroke="{COMPLETED_LINE}" stroke-width="3"/>'
    )
    for row, (x, y) in zip(burn.months, due_points, strict=True):
        parts.append(
            f'<rect x="{x - 4.5}" y="{y - 4.5}" width="9" height="9" fill="{DUE_LINE}">'
            f"<title>By the end of {row.month:%B %Y}: {row.due:,} due</title></rect>"
        )
    for row, (x, y) in zip(so_far, done_points, strict=True):
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="5" fill="{COMPLETED_LINE}" stroke="#ffffff" stroke-width="1.5">'
            f"<title>By the end of {row.month:%B %Y}: {row.completed:,} completed</title></circle>"
        )
    # The lines named at their ends; apart, should their last points be close.
    last_due, last_done = due_points[-1][1], done_points[-1][1]
    if abs(last_due - last_done) < 18:
        if last_due <= last_done:
            last_done = last_due + 18
        else:
            last_due = last_done + 18
    final, done_x = burn.months[-1], done_points[-1][0]
    if done_x < x1 and abs(last_done - due_points[-1][1]) >= 18:
        last_done = done_points[-1][1]
    parts.append(
        f'<text x="{x1 + 10}" y="{last_due + 5}" font-size="14" font-weight="bold" fill="{DUE_LINE}">'
        f"Due {final.due:,}</text>"
        f'<rect x="{done_x + 6}" y="{last_done + (5 if done_x >= x1 else -10) - 14}" '
        f'width="{len(f"Completed {so_far[-1].completed:,}") * 8.6 + 8}" height="19" fill="#ffffff"/>'
        f'<text x="{done_x + 10}" y="{last_done + (5 if done_x >= x1 else -10)}" font-size="14" '
        f'font-weight="bold" fill="{COMPLETED_LINE}">Completed {so_far[-1].completed:,}</text></svg>'
    )
    # Safe: every piece of text above is escaped, the rest is numbers and fixed markup.
    return mark_safe("".join(parts))  # nosec B308, B703


def burn_down_table(burn: BurnDown, *, caption: str) -> SafeString:
    """The burn-down in words: each month, the actions due by its end and those completed by then."""
    body = [
        f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{row.month:%B %Y}</th>'
        + _number(row.due)
        + (
            _number(row.completed)
            if row.month <= burn.today
            else '<td class="govuk-table__cell govuk-table__cell--numeric">Not yet</td>'
        )
        + "</tr>"
        for row in burn.months
    ]
    headers = ["Month", "Due by its end", "Completed by its end"]
    # Safe: every piece of text above is escaped, the rest is numbers and fixed markup.
    return mark_safe(_table(caption, headers, body, label=caption))  # nosec B308, B703


__all__ = [
    "burn_down_svg",
    "burn_down_table",
    "overdue_bars_svg",
    "overdue_table",
    "review_progress_charts",
    "status_bars_svg",
    "status_table",
]


def review_progress_charts(review, *, today: datetime.date) -> dict:
    """The figures, charts and tables of one review's progress: for its page and its PDF (four queries)."""
    by_agency = action_progress.status_by_agency(review=review)
    burn = action_progress.burn_down(review, today=today)
    overdue = action_progress.overdue_by_agency(today=today, review=review)
    return {
        "today": today,
        "by_agency": by_agency,
        "status_svg": status_bars_svg(
            by_agency, chart_id="status-agency", title="Actions by status, each agency"
        ),
        "status_table": status_table(
            by_agency, caption="Actions by status, each agency", row_header="Agency"
        ),
        "burn": burn,
        "burn_svg": burn_down_svg(
            burn, chart_id="burn-down", title="Actions due and completed, month by month"
        ),
        "burn_table": burn_down_table(burn, caption="Actions due and completed by the end of each month"),
        "overdue": overdue,
        "overdue_total": sum(row.count for row in overdue),
        "overdue_svg": overdue_bars_svg(
            overdue, chart_id="overdue-agency", title="Overdue actions, each agency"
        ),
        "overdue_table": overdue_table(overdue, caption="Overdue actions, each agency"),
        "overdue_actions": list(action_progress.overdue_actions(review, today=today)),
    }
