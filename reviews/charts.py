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

BAR_STATUS = {Rag.RED: "Overdue", Rag.AMBER: "Due soon", Rag.GREEN: "On track", Rag.DONE: "Done"}
TAG = {
    Rag.RED: ("red", "Overdue"),
    Rag.AMBER: ("yellow", "Due soon"),
    Rag.GREEN: ("green", "On track"),
    Rag.DONE: ("grey", "Done"),
}


def rag_tag(status, label: str = "") -> SafeString:
    """A red/amber/green status as a GOV.UK tag, in words: never told by its colour alone."""
    colour, default = TAG.get(status, TAG[Rag.DONE])
    return mark_safe(f'<strong class="govuk-tag govuk-tag--{colour}">{escape(label or default)}</strong>')


def short_date(day: datetime.date) -> str:
    """3 Mar 2026, as the template filter date:"j M Y" writes it."""
    return f"{day.day} {day:%b} {day.year}"


CROSS = "M-6-6L6 6M6-6L-6 6"
MARKERS = {
    Rag.DONE: mark_safe('<circle r="6" class="app-chart__milestone app-chart__milestone--done"/>'),
    Rag.RED: mark_safe(
        f'<path d="{CROSS}" class="app-chart__milestone--overdue-halo"/>'
        f'<path d="{CROSS}" class="app-chart__milestone--overdue"/>'
    ),
}
PLAIN_MARKER = mark_safe('<circle r="5.5" class="app-chart__milestone"/>')


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
    return mark_safe("".join(parts))


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
    return mark_safe("".join(parts))
