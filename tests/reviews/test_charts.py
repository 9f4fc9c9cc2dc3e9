"""The tracker's chart and the list filters write escaped, well-formed markup."""

import datetime
import itertools
from types import SimpleNamespace
from xml.etree import ElementTree

from django.template import Context, Template
from django.utils import timezone

from reviews.charts import chart_svg, chart_words, rag_tag, short_date
from reviews.deadlines import Rag
from reviews.timeline import review_timeline
from reviews.tracker import MilestoneFact, TrackerRow, timeline_chart

TODAY = datetime.date(2026, 11, 30)


def row(reference, *, extended=False):
    decided = TODAY - datetime.timedelta(days=40)
    due = datetime.date(2027, 3, 30)
    review = SimpleNamespace(
        pk=1,
        reference=reference,
        decision_date=decided,
        due_date=due,
        current_due_date=due + datetime.timedelta(days=30 if extended else 0),
        is_open=True,
        state="imrs_in_progress",
    )
    milestones = [
        MilestoneFact(
            1, 1, "tor_agreed", decided + datetime.timedelta(days=14), decided + datetime.timedelta(days=10)
        ),
        MilestoneFact(2, 1, "authors_nominated", decided + datetime.timedelta(days=21), None),
        MilestoneFact(3, 1, "review_complete", due, None),
    ]
    return TrackerRow(review, review_timeline(review, milestones, today=TODAY), timezone.now())


def test_the_chart_escapes_what_it_writes_and_parses_as_xml():
    hostile = '<script>alert("x")</script>&'
    chart = timeline_chart([row(hostile, extended=True), row("SCR-2026-001")], today=TODAY)
    svg = str(chart_svg(chart))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    tree = ElementTree.fromstring(svg)
    labels = [
        t.text for t in tree.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "app-chart__label"
    ]
    assert labels == [hostile, "SCR-2026-001"]
    titles = [t.text for t in tree.iter("{http://www.w3.org/2000/svg}title")]
    assert titles[1:4] == [
        "Terms of reference agreed, due 4 Nov 2026: done",
        "IMR authors nominated, files secured, due 11 Nov 2026: overdue",
        "Review complete, due 29 Apr 2027: not yet due",
    ]
    # The original due date of the extended review is marked; the other has no such line.
    assert (
        len(
            [
                line
                for line in tree.iter("{http://www.w3.org/2000/svg}line")
                if line.get("class") == "app-chart__original"
            ]
        )
        == 1
    )
    words = str(chart_words(chart))
    assert "<script>" not in words
    assert "decided 21 Oct 2026, due 29 Apr 2027 (extended; originally 30 Mar 2027)" in words
    assert '<td class="govuk-table__cell">Done 31 Oct 2026</td>' in words
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in words


def test_short_dates_and_tags_read_as_the_template_filters_wrote_them():
    assert short_date(datetime.date(2027, 1, 5)) == "5 Jan 2027"
    rendered = Template("{% load lists %}{{ d|day }}|{{ t|day }}|{{ n|day }}").render(
        Context(
            {
                "d": datetime.date(2026, 3, 3),
                "t": datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC),
                "n": None,
            }
        )
    )
    # 23:30 UTC on 30 June is 00:30 on 1 July in London.
    assert rendered == "3 Mar 2026|1 Jul 2026|"
    assert rag_tag(Rag.AMBER) == '<strong class="govuk-tag govuk-tag--yellow">Due soon</strong>'
    assert rag_tag(Rag.RED, "<b>") == '<strong class="govuk-tag govuk-tag--red">&lt;b&gt;</strong>'
    assert rag_tag(Rag.DONE) == '<strong class="govuk-tag govuk-tag--grey">Done</strong>'


def old_row(reference, decided):
    review = SimpleNamespace(
        pk=1,
        reference=reference,
        decision_date=decided,
        due_date=decided + datetime.timedelta(days=121),
        current_due_date=decided + datetime.timedelta(days=121),
        is_open=True,
        state="imrs_in_progress",
    )
    milestones = [MilestoneFact(1, 1, "review_complete", review.due_date, None)]
    return TrackerRow(review, review_timeline(review, milestones, today=TODAY), timezone.now())


def test_a_page_of_long_overdue_reviews_draws_each_bar_from_its_decision():
    """Reviews decided two years ago start at their decision, not at a cut-off before today."""
    rows = [
        old_row(f"CR-2024-{i:03d}", datetime.date(2024, 12, 1) + datetime.timedelta(days=20 * i))
        for i in range(5)
    ]
    chart = timeline_chart(rows, today=TODAY)
    starts = [bar.x_start for bar in chart.bars]
    assert min(starts) > chart.label_width
    assert starts == sorted(starts) and len(set(starts)) == 5
    assert all(bar.width > 50 for bar in chart.bars)
    labelled = [x for x, label in chart.ticks if label]
    assert all(b - a >= 60 for a, b in itertools.pairwise(labelled))
    # The first label carries its year, whatever its month.
    assert next(label for _, label in chart.ticks if label)[-4:] in {"2024", "2025"}


def test_a_mistyped_far_due_date_does_not_squeeze_the_others():
    rows = [old_row("CR-2026-001", TODAY - datetime.timedelta(days=30)), row("SCR-2026-002")]
    far = old_row("SCR-2026-003", TODAY - datetime.timedelta(days=10))
    far.review.current_due_date = datetime.date(9999, 12, 31)
    chart = timeline_chart([*rows, far], today=TODAY)
    assert chart.bars[0].width > 100
    assert chart.bars[2].x_due <= chart.width
