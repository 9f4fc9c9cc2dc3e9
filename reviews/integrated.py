"""The integrated chronology: every agency's contacts of a review read together (docs/chronology.md).

Three readings of the merged entries, each a constant number of queries whatever the length:

- `likely_duplicates`: the page's rows that another agency seems to have recorded too (one query
  for the other agencies' entries on the page's dates, compared with rapidfuzz);
- `gaps`: the periods in which no agency saw the child (one query, a window over the days the
  child was seen);
- `lanes`: how many contacts each agency had each month (one query, counted in SQL), and each
  agency's first and last contact (one more).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Min, Q, Window
from django.db.models.functions import Lag, TruncMonth
from rapidfuzz import fuzz, utils

from reviews.models import ChronologyEntry, ContactType, WithWhom

# Two summaries are "similar" at this score or above (0-100). token_sort_ratio compares the words
# whatever their order, after lower-casing and dropping punctuation; the pairs it was chosen on
# are in docs/chronology.md and tests/reviews/test_integrated.py.
SIMILARITY_SCORER = fuzz.token_sort_ratio
SIMILARITY_THRESHOLD = 78

# The contacts in which someone saw the child: face to face, and with the child.
SEEN_CONTACT_TYPES = (
    ContactType.HOME_VISIT,
    ContactType.APPOINTMENT,
    ContactType.ASSESSMENT,
    ContactType.MEETING,
)
SAW_THE_CHILD = Q(with_whom=WithWhom.CHILD, contact_type__in=SEEN_CONTACT_TYPES, date_is_approximate=False)


def entries_of(review):
    """Every agency's contacts of `review`, with their agency, in date and time order."""
    return (
        ChronologyEntry.objects.filter(imr__participation__review=review)
        .select_related("imr__participation__agency")
        .order_by("date", "time", "pk")
    )


def similarity(one: str, other: str) -> float:
    return SIMILARITY_SCORER(one, other, processor=utils.default_process)


def is_similar(one: str, other: str) -> bool:
    return similarity(one, other) >= SIMILARITY_THRESHOLD


@dataclass(frozen=True)
class Duplicate:
    """Another agency's entry that seems to record the same contact."""

    pk: int
    agency: str
    summary: str
    score: float


def likely_duplicates(review, rows) -> dict[int, list[Duplicate]]:
    """Return, for each of `rows` another agency seems to have recorded too, those other entries.

    One query: the review's entries on the rows' exact dates (a month alone is never compared).
    """
    dates = {row.date for row in rows if not row.date_is_approximate}
    if not dates:
        return {}
    by_date = defaultdict(list)
    others = (
        ChronologyEntry.objects.filter(
            imr__participation__review=review, date__in=dates, date_is_approximate=False
        )
        .values_list(
            "pk", "date", "imr__participation__agency_id", "imr__participation__agency__name", "summary"
        )
        .order_by("date", "time", "pk")
    )
    for other in others:
        by_date[other[1]].append(other)
    found = {}
    for row in rows:
        if row.date_is_approximate:
            continue
        agency_id = row.imr.participation.agency_id
        matches = []
        for pk, _, other_agency, agency_name, summary in by_date.get(row.date, ()):
            if other_agency == agency_id:
                continue
            score = similarity(row.summary, summary)
            if score >= SIMILARITY_THRESHOLD:
                matches.append(Duplicate(pk=pk, agency=agency_name, summary=summary, score=score))
        if matches:
            found[row.pk] = matches
    return found


@dataclass(frozen=True)
class Gap:
    """Days in which no agency saw the child: from `first` to `last`, both included."""

    first: datetime.date
    last: datetime.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def gap_days() -> int:
    return settings.CHRONOLOGY_GAP_DAYS


def gaps(review, *, longer_than: int | None = None) -> list[Gap]:
    """The periods of more than `longer_than` days (default: the setting) between two sightings of the child.

    Set-based, one query: each sighting with the one before it in date order (LAG), filtered in
    the database to the long intervals. Two sightings on one day are 0 days apart, so the window
    need not run over distinct days: only the first sighting after a gap is kept.
    """
    longer_than = gap_days() if longer_than is None else longer_than
    previous = Window(Lag("date"), order_by=(F("date").asc(), F("pk").asc()))
    rows = (
        ChronologyEntry.objects.filter(SAW_THE_CHILD, imr__participation__review=review)
        .annotate(previous=previous)
        .annotate(interval=ExpressionWrapper(F("date") - previous, output_field=DurationField()))
        # The days between two sightings, neither counted, are the interval less one.
        .filter(interval__gt=datetime.timedelta(days=longer_than + 1))
        .order_by("date")
        .values_list("previous", "date")
    )
    return [
        Gap(first=seen_before + datetime.timedelta(days=1), last=seen - datetime.timedelta(days=1))
        for seen_before, seen in rows
    ]


def place_gaps(rows, all_gaps, *, descending=False):
    """Attach to each row the gaps that open between it and the row before it in time.

    Each row carries `previous_date`, the date of the row before it in the whole filtered list
    (a window in the list's own query), so a gap is shown once, at its place, whatever the page.
    The first row of the list shows only a gap it ends (a filter by date may start inside one).
    """
    for row in rows:
        if row.previous_date is None:
            shown = [
                gap for gap in all_gaps if gap.first <= row.date <= gap.last + datetime.timedelta(days=1)
            ]
        else:
            shown = [gap for gap in all_gaps if row.previous_date < gap.first <= row.date]
        row.gaps_before = shown[::-1] if descending else shown
    return rows


def with_previous_date(queryset):
    """Each entry with the date of the entry before it in time, among those the query keeps."""
    return queryset.annotate(
        previous_date=Window(
            Lag("date"), order_by=(F("date").asc(), F("time").asc(nulls_last=True), F("pk").asc())
        )
    )


@dataclass
class Lane:
    """One agency's contacts: counted by month, and its first and last."""

    agency: str
    count: int
    first: datetime.date
    last: datetime.date
    seen: int = 0
    months: dict = field(
        default_factory=dict
    )  # first day of the month -> (contacts, of which the child seen)

    @property
    def years(self) -> dict[int, int]:
        counts = defaultdict(int)
        for month, (contacts, _) in self.months.items():
            counts[month.year] += contacts
        return dict(sorted(counts.items()))


def _month(value) -> datetime.date:
    # TruncMonth gives a date on PostgreSQL and SQLite alike for a DateField; be tolerant of datetimes.
    return value.date() if isinstance(value, datetime.datetime) else value


def lanes(review) -> list[Lane]:
    """One lane per agency with contacts, in the order of their first contact: two queries, counted in SQL."""
    entries = ChronologyEntry.objects.filter(imr__participation__review=review)
    agency = "imr__participation__agency__name"
    summary = (
        entries.values(agency)
        .annotate(
            count=Count("pk"), first=Min("date"), last=Max("date"), seen=Count("pk", filter=SAW_THE_CHILD)
        )
        .order_by("first", agency)
    )
    by_agency = {
        row[agency]: Lane(
            agency=row[agency], count=row["count"], first=row["first"], last=row["last"], seen=row["seen"]
        )
        for row in summary
    }
    monthly = (
        entries.annotate(month=TruncMonth("date"))
        .values(agency, "month")
        .annotate(count=Count("pk"), seen=Count("pk", filter=SAW_THE_CHILD))
        .order_by()
    )
    for row in monthly:
        by_agency[row[agency]].months[_month(row["month"])] = (row["count"], row["seen"])
    return list(by_agency.values())
