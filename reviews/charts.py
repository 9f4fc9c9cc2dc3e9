"""The tracker's timeline chart and its text alternative, written out in Python.

A page of the tracker draws 50 bars with five milestones each, and lists every milestone again
in words: some 2,000 small pieces of markup. Written with the template language they took
about 100 ms a page; joined here from f-strings, with every piece of text escaped, they take a
few. `tests/reviews/test_charts.py` checks the markup.
"""

import datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reviews.deadlines import Rag

BAR_STATUS = {
    Rag.RED: "Overdue",
    Rag.AMBER: "Due soon",
    Rag.GREEN: "On track",
    Rag.DONE: "Done",
    Rag.WITHDRAWN: "Withdrawn",
}
TAG = {
    Rag.RED: ("red", "Overdue"),
    Rag.AMBER: ("yellow", "Due soon"),
    Rag.GREEN: ("green", "On track"),
    Rag.DONE: ("grey", "Done"),
    Rag.WITHDRAWN: ("grey", "Withdrawn"),
}


def rag_tag(status, label: str = "") -> SafeString:
    """A red/amber/green status as a GOV.UK tag, in words: never told by its colour alone."""
    colour, default = TAG.get(status, TAG[Rag.DONE])
    # Safe: the label is escaped; the colour comes from the fixed table above.
    return mark_safe(f'<strong class="govuk-tag govuk-tag--{colour}">{escape(label or default)}</strong>')  # nosec B308, B703


def short_date(day: datetime.date) -> str:
    """3 Mar 2026, as the template filter date:"j M Y" writes it."""
    return f"{day.day} {day:%b} {day.year}"


CROSS = "M-6-6L6 6M6-6L-6 6"
MARKERS = {
    Rag.DONE: SafeString('<circle r="6" class="app-chart__milestone app-chart__milestone--done"/>'),
    # Fixed markup: no text from anyone.
    Rag.RED: mark_safe(  # nosec B308, B703
        f'<path d="{CROSS}" class="app-chart__milestone--overdue-halo"/>'
        f'<path d="{CROSS}" class="app-chart__milestone--overdue"/>'
    ),
}
PLAIN_MARKER = SafeString('<circle r="5.5" class="app-chart__milestone"/>')


def marker(status) -> SafeString:
    """A milestone's marker, centred on (0, 0): its shape, not only its colour, says its status."""
    return MARKERS.get(status, PLAIN_MARKER)


def _milestone_state(milestone) -> str:
    if milestone.done_on:
        return "done"
    return "overdue" if milestone.status == Rag.RED else "not yet due"


def chart_svg(chart) -> SafeString:
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart__svg" role="img" '
        'aria-labelledby="chart-title" aria-describedby="chart-description" '
        f'viewBox="0 0 {chart.width} {chart.height}" width="{chart.width}" height="{chart.height}">',
        '<title id="chart-title">Open reviews against their four-month windows</title>',
    ]
    for x, label in chart.ticks:
        parts.append(f'<line x1="{x}" y1="20" x2="{x}" y2="{chart.height}" class="app-chart__grid"/>')
        if label:
            parts.append(f'<text x="{x}" y="14" class="app-chart__tick">{escape(label)}</text>')
    for bar in chart.bars:
        status = bar.row.timeline.status
        parts.append(
            f'<g><text x="0" y="{bar.y + 16}" class="app-chart__label">{escape(bar.row.review.reference)}</text>'
            f'<text x="0" y="{bar.y + 34}" class="app-chart__status">{BAR_STATUS[status]}</text>'
            f'<rect x="{bar.x_start}" y="{bar.y + 6}" width="{bar.width}" height="20" '
            f'class="app-chart__bar app-chart__bar--{status.value}"/>'
        )
        if bar.x_original_due != bar.x_due:
            parts.append(
                f'<line x1="{bar.x_original_due}" y1="{bar.y}" x2="{bar.x_original_due}" y2="{bar.y + 32}" '
                'class="app-chart__original"/>'
            )
        for x, milestone in bar.milestones:
            parts.append(
                f'<g transform="translate({x} {bar.y + 16})"><title>{escape(milestone.label)}, '
                f"due {short_date(milestone.due_on)}: {_milestone_state(milestone)}</title>"
                f"{marker(milestone.status)}</g>"
            )
        parts.append("</g>")
    parts.append(
        f'<line x1="{chart.x_today}" y1="20" x2="{chart.x_today}" y2="{chart.height - 18}" class="app-chart__today"/>'
        f'<text x="{chart.x_today}" y="{chart.height - 4}" class="app-chart__today-label">Today</text></svg>'
    )
    # Safe: every piece of text above is escaped, the rest is numbers and fixed markup.
    return mark_safe("".join(parts))  # nosec B308, B703


def chart_words(chart) -> SafeString:
    """The chart's milestones in words: one table per review."""
    parts = []
    for bar in chart.bars:
        reference = escape(bar.row.review.reference)
        timeline = bar.row.timeline
        extended = f" (extended; originally {short_date(timeline.due_date)})" if timeline.is_extended else ""
        parts.append(
            f'<div class="app-table-scroll" role="region" aria-label="Milestones of {reference}" tabindex="0">'
            f'<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">'
            f"{reference}: decided {short_date(timeline.decision_date)}, "
            f"due {short_date(timeline.current_due_date)}{extended}</caption>"
            '<thead class="govuk-table__head"><tr class="govuk-table__row">'
            '<th scope="col" class="govuk-table__header govuk-!-width-one-half">Milestone</th>'
            '<th scope="col" class="govuk-table__header govuk-!-width-one-quarter">Due</th>'
            '<th scope="col" class="govuk-table__header">Status</th></tr></thead><tbody class="govuk-table__body">'
        )
        for milestone in timeline.milestones:
            if milestone.done_on:
                status = f"Done {short_date(milestone.done_on)}"
            elif milestone.status == Rag.RED:
                status = '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'
            else:
                status = "Not yet due"
            parts.append(
                f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{escape(milestone.label)}</th>'
                f'<td class="govuk-table__cell">{short_date(milestone.due_on)}</td>'
                f'<td class="govuk-table__cell">{status}</td></tr>'
            )
        parts.append("</tbody></table></div>")
    # Safe: every piece of text above is escaped, the rest is numbers and fixed markup.
    return mark_safe("".join(parts))  # nosec B308, B703


# The integrated chronology's swimlanes: one lane per agency, one cell per month with contacts.

SWIMLANE_WIDTH = 960
SWIMLANE_LABEL_WIDTH = 230
SWIMLANE_LANE = 36
SWIMLANE_TOP = 40
# A month's name is written under the years when a month is at least this wide.
SWIMLANE_MONTH_LABEL_WIDTH = 26
# Darker for more contacts in the month: 1, 2-3, 4-9, 10 or more (GOV.UK blue and its tints).
SWIMLANE_SHADES = ((10, "#1d70b8"), (4, "#5694ca"), (2, "#8eb8dc"), (1, "#d2e2f1"))
SWIMLANE_SEEN = "#0b0c0c"
SWIMLANE_GAP = "#f4cdc6"
SWIMLANE_GAP_EDGE = "#942514"


def _shade(count: int) -> str:
    return next(colour for least, colour in SWIMLANE_SHADES if count >= least)


def _months_between(first: datetime.date, last: datetime.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def long_date(day: datetime.date) -> str:
    """3 March 2012."""
    return f"{day.day} {day:%B} {day.year}"


def gap_words(gap) -> str:
    """No agency saw the child for 43 days: 2 March to 13 April 2012, written with an en dash."""
    first = f"{gap.first.day} {gap.first:%B}" if gap.first.year == gap.last.year else long_date(gap.first)
    return f"No agency saw the child for {gap.days} days: {first} \u2013 {long_date(gap.last)}"


def _lane_name_lines(name: str, width: int = 30) -> list[str]:
    """An agency's name on at most two lines of the lane's label, the second cut with "…" if need be."""
    lines = [""]
    for word in name.split():
        candidate = f"{lines[-1]} {word}".strip()
        if len(candidate) <= width or not lines[-1]:
            lines[-1] = candidate
        elif len(lines) == 1:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}"
    if len(lines) == 2 and len(lines[1]) > width:
        lines[1] = lines[1][: width - 1].rstrip() + "…"
    return lines


def swimlane_svg(lanes, gaps) -> SafeString:
    """One lane per agency across the months of the chronology; the gaps as shaded bands across every lane."""
    if not lanes:
        return SafeString("")
    start = min(lane.first for lane in lanes).replace(day=1)
    end = max(lane.last for lane in lanes)
    months = _months_between(start, end)
    x0, x1 = SWIMLANE_LABEL_WIDTH, SWIMLANE_WIDTH - 10
    month_width = (x1 - x0) / months
    lanes_bottom = SWIMLANE_TOP + SWIMLANE_LANE * len(lanes)
    height = lanes_bottom + 8

    def x_of(day: datetime.date) -> float:
        index = _months_between(start, day) - 1
        days_in_month = (
            (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - day.replace(day=1)
        ).days
        return round(x0 + (index + (day.day - 1) / days_in_month) * month_width, 1)

    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart__svg" role="img" '
        'aria-labelledby="swimlane-title" aria-describedby="swimlane-description" '
        f'viewBox="0 0 {SWIMLANE_WIDTH} {height}" width="{SWIMLANE_WIDTH}" height="{height}">',
        '<title id="swimlane-title">Each agency\'s contacts, month by month</title>',
    ]
    # Gaps first, behind the lanes.
    for gap in gaps:
        left, right = x_of(gap.first), x_of(gap.last + datetime.timedelta(days=1))
        parts.append(
            f'<rect x="{left}" y="{SWIMLANE_TOP - 6}" width="{max(round(right - left, 1), 1)}" '
            f'height="{lanes_bottom - SWIMLANE_TOP + 6}" fill="{SWIMLANE_GAP}" stroke="{SWIMLANE_GAP_EDGE}" '
            f'stroke-dasharray="4 3"><title>{escape(gap_words(gap))}</title></rect>'
        )
    # A line and a label at each year; each month's name too when the months are wide enough.
    for year in range(start.year, end.year + 1):
        day = max(datetime.date(year, 1, 1), start)
        x = x_of(day)
        parts.append(
            f'<line x1="{x}" y1="{SWIMLANE_TOP - 20}" x2="{x}" y2="{lanes_bottom}" class="app-chart__grid"/>'
            f'<text x="{x}" y="12" class="app-chart__tick" text-anchor="start">{year}</text>'
        )
    if month_width >= SWIMLANE_MONTH_LABEL_WIDTH:
        month = start
        while month <= end:
            x = round(x0 + (_months_between(start, month) - 0.5) * month_width, 1)
            parts.append(
                f'<text x="{x}" y="28" class="app-chart__tick" text-anchor="middle">{month:%b}</text>'
            )
            month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    for index, lane in enumerate(lanes):
        y = SWIMLANE_TOP + index * SWIMLANE_LANE
        parts.append(
            f'<g><line x1="0" y1="{y + SWIMLANE_LANE}" x2="{x1}" y2="{y + SWIMLANE_LANE}" class="app-chart__grid"/>'
            f'<text x="0" y="{y + 15}" class="app-chart__status"><title>{escape(lane.agency)}</title>'
            + "".join(
                f'<tspan x="0" dy="{0 if number == 0 else 14}">{escape(line)}</tspan>'
                for number, line in enumerate(_lane_name_lines(lane.agency))
            )
            + "</text>"
        )
        for month, (count, seen) in sorted(lane.months.items()):
            x = round(x0 + (_months_between(start, month) - 1) * month_width, 1)
            width = round(max(month_width - 1, 1.5), 1)
            seen_words = f", the child seen in {seen}" if seen else ""
            parts.append(
                f'<rect x="{x}" y="{y + 6}" width="{width}" height="20" fill="{_shade(count)}">'
                f"<title>{escape(lane.agency)}, {month:%B %Y}: {_plural(count, 'contact')}{seen_words}</title></rect>"
            )
            if seen:
                parts.append(
                    f'<rect x="{x}" y="{y + 27}" width="{width}" height="4" fill="{SWIMLANE_SEEN}"/>'
                )
        parts.append("</g>")
    parts.append("</svg>")
    # Safe: every piece of text above is escaped, the rest is numbers and fixed markup.
    return mark_safe("".join(parts))  # nosec B308, B703


def swimlane_words(lanes) -> SafeString:
    """The swimlanes in words: each agency's first and last contact, its count, the child seen, by year."""
    parts = [
        '<div class="app-table-scroll" role="region" aria-label="Each agency\'s contacts" tabindex="0">'
        '<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">'
        "Each agency's contacts, in the order of their first</caption>"
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header">Agency</th>'
        '<th scope="col" class="govuk-table__header">First contact</th>'
        '<th scope="col" class="govuk-table__header">Last contact</th>'
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Contacts</th>'
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Child seen</th>'
        '<th scope="col" class="govuk-table__header">Contacts by year</th></tr></thead>'
        '<tbody class="govuk-table__body">'
    ]
    for lane in lanes:
        years = ", ".join(f"{year}: {count:,}" for year, count in lane.years.items())
        parts.append(
            f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{escape(lane.agency)}</th>'
            f'<td class="govuk-table__cell">{short_date(lane.first)}</td>'
            f'<td class="govuk-table__cell">{short_date(lane.last)}</td>'
            f'<td class="govuk-table__cell govuk-table__cell--numeric">{lane.count:,}</td>'
            f'<td class="govuk-table__cell govuk-table__cell--numeric">{lane.seen:,}</td>'
            f'<td class="govuk-table__cell">{years}</td></tr>'
        )
    parts.append("</tbody></table></div>")
    # Safe: every piece of text above is escaped, the rest is numbers and fixed markup.
    return mark_safe("".join(parts))  # nosec B308, B703
