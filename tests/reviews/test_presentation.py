"""What the pages say and how, for people who cannot rely on colour, sight or a mouse."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Milestone, ReviewState
from tests.html import parse

TODAY = timezone.localdate()


def day(date) -> str:
    return f"{date.day} {date:%b %Y}"


# The tracker's timeline chart


def marker_shape(marker) -> str:
    shape = marker.all("circle") + marker.all("path")
    classes = set().union(*(element.classes for element in shape))
    if "app-chart__milestone--overdue" in classes:
        return "cross"
    if "app-chart__milestone--done" in classes:
        return "filled circle"
    return "hollow circle" if "app-chart__milestone" in classes else "none"


@pytest.mark.django_db
def test_tracker_chart_shows_each_milestone_by_shape_and_again_in_words(client, walk, cast):
    review = walk.at(ReviewState.AGENCIES_ENGAGED)
    walk.decided("case")
    # The IMR authors were due two days ago and are not nominated: that milestone is overdue.
    review.milestones.filter(kind=Milestone.Kind.AUTHORS_NOMINATED).update(
        due_on=TODAY - datetime.timedelta(days=2)
    )
    client.force_login(cast["manager"])
    page = parse(client.get(reverse("reviews:tracker")).content)

    rows, markers = [], []
    for m in review.milestones.order_by("due_on", "pk"):
        status = "done" if m.done_on else "overdue" if m.due_on < TODAY else "not yet due"
        shape = {"done": "filled circle", "overdue": "cross", "not yet due": "hollow circle"}[status]
        in_words = f"Done {day(m.done_on)}" if m.done_on else status.capitalize()
        rows.append((m.get_kind_display(), day(m.due_on), in_words))
        markers.append((f"{m.get_kind_display()}, due {day(m.due_on)}: {status}", shape))
    assert {shape for _, shape in markers} == {"filled circle", "cross", "hollow circle"}

    # In words: a table per review, inside a details element just after the chart.
    chart_box = page.one(cls="app-chart")
    details = page.one("details", id="chart-table")
    assert details.position > chart_box.position
    assert details.one("summary").text() == "The chart's milestones in words"
    table = next(t for t in details.all("table") if t.one("caption").text().startswith(review.reference))
    assert [
        tuple(cell.text() for cell in row.all("th") + row.all("td")) for row in table.one("tbody").all("tr")
    ] == rows
    assert table.parent.attrs["aria-label"] == f"Milestones of {review.reference}"

    # The chart's text alternative says where the dates are, truthfully.
    description = page.one(id="chart-description").text()
    assert "table above" not in description
    assert "listed in words under the chart" in description
    svg = page.one("svg", cls="app-chart__svg")
    assert (svg.attrs["role"], svg.attrs["aria-describedby"]) == ("img", "chart-description")

    # In the chart: a filled circle when done, a cross when overdue, a hollow circle when not yet due.
    bar = next(g for g in svg.all("g") if g.all("text") and g.all("text")[0].text() == review.reference)
    assert [
        (marker.one("title").text(), marker_shape(marker))
        for marker in bar.all("g")
        if "transform" in marker.attrs
    ] == markers

    # The key names each shape.
    key = page.one("ul", id="chart-legend")
    assert [(item.text(), marker_shape(item)) for item in key.all("li")] == [
        ("Milestone done", "filled circle"),
        ("Milestone not yet due", "hollow circle"),
        ("Milestone overdue", "cross"),
        ("Original due date of an extended review", "none"),
        ("Today", "none"),
    ]
