"""Measure the PDFs: a 2,000-entry integrated chronology against the floor, tagged and not, and a long ToR.

    .venv/bin/python bench/pdf.py [--entries 2000] [--focus-areas 2000] [--runs 1]

The floor is the time WeasyPrint needs for the same text as plain paragraphs, one per entry,
on the same page: no layout can be cheaper. Every render goes through reviews.pdf.render_html
(the restricted fetcher, the shared stylesheet), so the figures are the product's own. The
documents are built in memory from unsaved model instances: no database is needed.

This is a benchmark, not a test: it prints figures and fails nothing. docs/performance.md keeps
its output.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scr.settings.base")
# Development settings unless told otherwise (debug off is production, which needs its secrets).
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.html import escape  # noqa: E402

from agencies.models import Agency  # noqa: E402
from reviews.models import IMR, AgencyParticipation, ChronologyEntry, ContactType, Review, WithWhom  # noqa: E402
from reviews.pdf import chronology_html, render_html  # noqa: E402

WORDS = [
    "visit",
    "mother",
    "child",
    "health",
    "concerns",
    "bruise",
    "school",
    "attendance",
    "referral",
    "social",
    "care",
    "police",
    "assessment",
    "meeting",
    "strategy",
    "father",
    "missed",
    "appointment",
    "neighbour",
    "reported",
    "shouting",
    "home",
    "seen",
    "not",
    "the",
    "a",
    "of",
    "and",
    "to",
    "with",
    "was",
    "weight",
    "feeding",
    "nursery",
    "plan",
    "review",
    "discussed",
    "agreed",
    "follow",
    "up",
]
AGENCIES = [
    "Leeds Teaching Hospitals",
    "West Yorkshire Police",
    "Beeston Primary School",
    "Children's Social Care",
    "Leeds Community Healthcare",
    "Housing Leeds",
    "Probation Service",
    "GP practice",
]


def sentence(rng, low, high) -> str:
    count = rng.randint(low, high)
    return " ".join(rng.choice(WORDS) for _ in range(count)).capitalize() + "." if count else ""


def entries(count: int) -> list[ChronologyEntry]:
    """A review's entries from eight agencies, in date order, with text of the length real ones have."""
    rng = random.Random(2026)
    imrs = [IMR(participation=AgencyParticipation(agency=Agency(name=name))) for name in AGENCIES]
    start = datetime.date(2019, 1, 1)
    made = []
    for n in range(count):
        approximate = rng.random() < 0.05
        day = start + datetime.timedelta(days=n * 1460 // count)
        made.append(
            ChronologyEntry(
                imr=rng.choice(imrs),
                date=day.replace(day=1) if approximate else day,
                date_is_approximate=approximate,
                time=None if approximate else datetime.time(rng.randint(8, 18), rng.choice((0, 15, 30, 45))),
                contact_type=rng.choice(ContactType.values),
                with_whom=rng.choice(WithWhom.values),
                practitioner=f"Health Visitor {rng.randint(1, 9)}",
                summary=sentence(rng, 15, 70),
                outcome=sentence(rng, 0, 20),
                source=f"Case record {rng.randint(1000, 9999)}" if rng.random() < 0.6 else "",
                comment=sentence(rng, 0, 25) if rng.random() < 0.5 else "",
                key_practice_episode=rng.random() < 0.1,
            )
        )
    return made


def floor_html(review, rows) -> str:
    """The same text as plain paragraphs: one paragraph an entry, the page and the stylesheet unchanged."""
    html = chronology_html(review, entries=rows)
    head, _, rest = html.partition("<table")
    _, _, tail = rest.partition("</table>")
    paragraphs = "".join(
        "<p>"
        + escape(
            " ".join(
                str(part)
                for part in (
                    entry.date,
                    entry.time or "",
                    entry.imr.participation.agency.name,
                    entry.get_contact_type_display(),
                    entry.get_with_whom_display(),
                    entry.practitioner,
                    entry.summary,
                    entry.outcome,
                    entry.comment,
                    entry.source,
                    "Key practice episode" if entry.key_practice_episode else "",
                )
                if part
            )
        )
        + "</p>"
        for entry in rows
    )
    return head + paragraphs + tail


def tor_html(review, count: int) -> str:
    rng = random.Random(7)
    tor = type(
        "Terms", (), {"period_start": datetime.date(2024, 1, 1), "period_end": datetime.date(2025, 6, 30)}
    )
    tor.agreed_at, tor.agreed_by, tor.further_detail = None, None, ""
    questions = [type("Area", (), {"question": sentence(rng, 12, 40)}) for _ in range(count)]
    return render_to_string(
        "reviews/pdf/terms_of_reference.html",
        {
            "review": review,
            "draft": True,
            "tor": tor,
            "focus_areas": questions,
            "participations": [],
            "milestones": [],
            "staff": [],
        },
    )


def measure(html: str, *, tagged: bool, runs: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = len(render_html(html, tagged=tagged))
        times.append(time.perf_counter() - started)
    return statistics.median(times), size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--focus-areas", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()

    review = Review(
        reference="SCR-2026-001",
        review_type="scr",
        due_date=timezone.localdate(),
        current_due_date=timezone.localdate(),
    )
    review.departs_from_criterion_a = False
    rows = entries(args.entries)
    # Warm up: the first render loads the fonts and WeasyPrint's stylesheets.
    render_html(chronology_html(review, entries=rows[:20]))
    chosen = chronology_html(review, entries=rows)
    documents = [
        ("floor: the same text as paragraphs", floor_html(review, rows)),
        ("chosen: table-layout: fixed, four columns", chosen),
        (
            "automatic table layout, same columns",
            chosen.replace("table-layout: fixed;", "table-layout: auto;"),
        ),
    ]
    print(
        f"Integrated chronology, {args.entries} entries from {len(AGENCIES)} agencies, median of {args.runs}"
    )
    print(
        "| layout | untagged s | tagged s | tagging costs | pages' size (tagged) | ratio to the floor (tagged) |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    floor = None
    for label, html in documents:
        untagged, _ = measure(html, tagged=False, runs=args.runs)
        tagged, size = measure(html, tagged=True, runs=args.runs)
        floor = floor or tagged
        print(
            f"| {label} | {untagged:.1f} | {tagged:.1f} | {100 * (tagged / untagged - 1):+.0f}% "
            f"| {size // 1024} KB | {tagged / floor:.2f} |",
            flush=True,
        )
    html = tor_html(review, args.focus_areas)
    untagged, _ = measure(html, tagged=False, runs=args.runs)
    tagged, size = measure(html, tagged=True, runs=args.runs)
    print(
        f"\nTerms of reference with {args.focus_areas} focus areas: {untagged:.1f} s untagged, {tagged:.1f} s tagged, {size // 1024} KB"
    )


if __name__ == "__main__":
    main()
