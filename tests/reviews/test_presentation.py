"""What the pages say and how, for people who cannot rely on colour, sight or a mouse."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.models import Milestone, ReviewState
from reviews.preconditions import transitions_named
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
    type(review).objects.filter(pk=review.pk).refresh_next_due()
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


# The police banner and the criterion (a) warning


BANNER_PAGES = [
    ("chair", "reviews:review-detail", "review"),
    ("manager", "reviews:review-extend", "review"),
    ("chair", "reviews:tor-edit", "review"),
    ("chair", "reviews:tor-agree", "review"),
    ("manager", "reviews:identity-register", "review"),
    ("manager", "reviews:review-move", "move"),
    ("agencymanager", "reviews:participation-secure-files", "participation"),
    ("agencymanager", "reviews:participation-nominate", "participation"),
    ("author", "reviews:imr-detail", "imr"),
    ("author", "reviews:imr-declaration", "imr"),
    ("author", "reviews:imr-move", "imr-start"),
    ("chair", "reviews:review-activity", "review"),
    ("manager", "reviews:police-investigation", "review"),
    ("manager", "reviews:support-meeting-add", "review"),
    ("manager", "reviews:involved-staff-correct", "staff"),
    ("manager", "reviews:involved-staff-withdraw", "staff"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "url_name", "target"), BANNER_PAGES)
def test_police_banner_and_criterion_a_warning_sit_in_main_after_the_h1(
    client, walk, cast, who, url_name, target
):
    flagged = {
        "criteria": ("criterion_a",),
        "justification": "Coroner: natural causes.",
        "police_investigating": True,
    }
    if url_name.startswith("reviews:tor-"):
        review = walk.decided("case", **flagged)
    else:
        review = walk.at(ReviewState.AGENCIES_ENGAGED, "case", **flagged)
    assert review.police_investigation_open and review.departs_from_criterion_a
    participation = review.participations.get(agency=cast["hospital"])
    args = {
        "review": [review.pk],
        "move": [review.pk, "start_imrs"],
        "participation": [review.pk, participation.pk],
    }
    if target == "staff":
        args["staff"] = [review.pk, review.involved_staff.first().pk]
    if target.startswith("imr"):
        imr = services.imr_nominate_author(
            actor=cast["agencymanager"], participation=participation, author=cast["author"]
        )
        args["imr"] = [imr.pk]
        args["imr-start"] = [imr.pk, "start"]
    client.force_login(cast[who])
    response = client.get(reverse(url_name, args=args[target]))
    assert response.status_code == 200

    page = parse(response.content)
    main = page.one("main")
    h1 = page.one("h1")
    banner = page.one(id="police-banner-title")
    warning = page.one(cls="app-criterion-a")
    assert h1.inside(main) and banner.inside(main) and warning.inside(main)
    assert h1.position < warning.position and h1.position < banner.position
    # No heading comes before the page's h1, and the skip link to main passes over nothing of the review.
    assert all(heading.position > h1.position for heading in page.all("h2"))


# Move buttons


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("move", "declared_style", "button"),
    [
        ("board_return", None, "govuk-button govuk-button--warning"),
        ("board_approve", None, "govuk-button"),
        ("board_approve", "secondary", "govuk-button govuk-button--secondary"),
    ],
)
def test_move_buttons_take_the_style_the_move_declares(
    client, walk, cast, monkeypatch, move, declared_style, button
):
    review = walk.at(ReviewState.AT_BOARD)
    if declared_style:
        monkeypatch.setitem(transitions_named(review, move)[0].custom, "style", declared_style)
    client.force_login(cast["board"])
    url = reverse("reviews:review-move", args=[review.pk, move])
    review_page = parse(client.get(reverse("reviews:review-detail", args=[review.pk])).content)
    assert review_page.one("a", href=url).attrs["class"] == button
    confirm_page = parse(client.get(url).content)
    assert confirm_page.one("main").one("button", type="submit").attrs["class"] == button
