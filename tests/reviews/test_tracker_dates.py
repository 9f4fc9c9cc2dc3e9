"""The tracker and the review page stay readable whatever date is stored."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Milestone, Review, ReviewState
from reviews.tracker import timeline_chart, tracker_queryset, with_timelines

TODAY = timezone.localdate()


@pytest.mark.django_db
def test_a_due_date_at_the_end_of_the_calendar_breaks_no_page(client, walk):
    far = walk.at(ReviewState.TOR_DRAFTING)
    near = walk.decided("case")
    # Stored before extensions were bounded: the pages must cope with any date in the database.
    Review.objects.filter(pk=far.pk).update(current_due_date=datetime.date(9999, 12, 31))
    Milestone.objects.filter(review=far, kind="review_complete").update(due_on=datetime.date(9999, 12, 31))
    Review.objects.filter(pk=far.pk).refresh_next_due()
    client.force_login(walk.cast["manager"])
    for url in (reverse("reviews:tracker"), reverse("reviews:review-detail", args=[far.pk]), reverse("home")):
        assert client.get(url).status_code == 200, url
    rows = with_timelines(tracker_queryset(walk.cast["manager"]), today=TODAY)
    chart = timeline_chart(rows, today=TODAY)
    bars = {bar.row.review.pk: bar for bar in chart.bars}
    # The near review keeps a readable bar: its four months take a fair share of the axis.
    assert bars[near.pk].x_due - bars[near.pk].x_start > 100
    assert bars[far.pk].x_due <= chart.width
    assert len(chart.ticks) <= 40
