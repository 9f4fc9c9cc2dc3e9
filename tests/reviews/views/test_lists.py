"""Lists filter and page in the database, with the same number of queries whatever their length."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import ReviewState
from tests.factories import ReferralFactory


def referrals(cast, n, **fields):
    return [
        ReferralFactory(
            reference=f"REF-T-{fields.get('tag', 'x')}-{i}",
            referring_agency=cast["referrer"].agency,
            referred_by=cast["referrer"],
            **{k: v for k, v in fields.items() if k != "tag"},
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_the_referral_list_filters_by_decision_and_year(client, walk, cast):
    decided = walk.decided().referral
    waiting = walk.referral()
    old = referrals(cast, 1, tag="old", received_at=timezone.now().replace(year=2024))[0]
    client.force_login(cast["chair"])
    url = reverse("reviews:referral-list")

    def listed(**params):
        return [r.reference for r in client.get(url, params).context["listing"].rows]

    this_year = str(timezone.localdate().year)
    assert listed() == [waiting.reference, decided.reference, old.reference]
    assert listed(status="awaiting") == [waiting.reference, old.reference]
    assert listed(status="decided") == [decided.reference]
    assert listed(year="2024") == [old.reference]
    assert listed(status="awaiting", year=this_year) == [waiting.reference]
    # A year with no referral is no choice: the list shows unfiltered rather than failing.
    assert listed(year="1066") == [waiting.reference, decided.reference, old.reference]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 60])
def test_the_referral_list_costs_the_same_queries_at_any_length(
    client, cast, count, django_assert_max_num_queries
):
    referrals(cast, count, tag=str(count))
    client.force_login(cast["chair"])
    with django_assert_max_num_queries(9):
        response = client.get(reverse("reviews:referral-list"), {"status": "awaiting"})
    assert len(response.context["listing"].rows) == min(count, 50)
    assert response.context["listing"].count == count


@pytest.mark.django_db
@pytest.mark.parametrize("reviews", [1, 6])
def test_the_agency_managers_home_costs_the_same_queries_at_any_length(
    client, walk, cast, reviews, django_assert_max_num_queries
):
    for _ in range(reviews):
        review = walk.at(ReviewState.AGENCIES_ENGAGED)
        services_nominate(walk, review)
    client.force_login(cast["agencymanager"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("home"))
    engagements = response.context["engagements"]
    assert (len(engagements.rows), engagements.total) == (min(reviews, 5), reviews)


def services_nominate(walk, review):
    """The hospital nominates its author but has not yet secured its files: one thing still to do."""
    from reviews import services

    participation = review.participations.get(agency=walk.cast["hospital"])
    services.imr_nominate_author(
        actor=walk.cast["agencymanager"], participation=participation, author=walk.cast["author"]
    )


# The tracker: filtered, sorted and paged in SQL


def tracker(client, **params):
    return client.get(reverse("reviews:tracker"), params)


def shown(response):
    return [row.review.reference for row in response.context["rows"]]


@pytest.mark.django_db
def test_the_trackers_status_and_next_milestone_in_sql_agree_with_the_timeline_on_every_day(walk, cast):
    """The SQL (next undone milestone, the red/amber/green filter) gives what the review page shows."""
    from reviews.models import Extension, Milestone
    from reviews.tracker import TrackerFilter, tracker_queryset, with_timelines

    fresh = walk.decided("scr")
    agreed = walk.at(ReviewState.TOR_AGREED)
    extended = walk.decided("case")
    Extension.objects.create(
        review=extended,
        previous_due_date=extended.due_date,
        new_due_date=extended.due_date + datetime.timedelta(days=40),
        reason="Criminal trial",
        agreed_by="Chair",
        recorded_by=cast["manager"],
    )
    type(extended).objects.filter(pk=extended.pk).update(
        current_due_date=extended.due_date + datetime.timedelta(days=40)
    )
    # Every milestone done but the completion: the status comes from the extended due date.
    Milestone.objects.filter(review=extended).exclude(kind="review_complete").update(
        done_on=timezone.localdate()
    )
    # Changed behind the services' back: store the next dates as the services would.
    type(extended).objects.refresh_next_due()
    start = min(r.decision_date for r in (fresh, agreed, extended))
    seen = set()
    days = range(-5, 200, 3)
    for offset in days:
        today = start + datetime.timedelta(days=offset)
        annotated = list(tracker_queryset(cast["manager"]).order_by("pk"))
        rows = with_timelines(annotated, today=today)
        for row, review in zip(rows, annotated, strict=True):
            assert review.next_due_on == row.next_due, (today, review.reference)
        for band in ("red", "amber", "green"):
            filtered = TrackerFilter(
                {"status": band}, queryset=tracker_queryset(cast["manager"]), today=today
            )
            expected = {row.review.pk for row in rows if row.timeline.status == band}
            assert set(filtered.qs.values_list("pk", flat=True)) == expected, (today, band)
            seen |= {band} if expected else set()
    assert seen == {"red", "amber", "green"}


@pytest.mark.django_db
def test_the_tracker_sorts_by_every_column_in_both_directions(client, walk, cast):
    from reviews.tracker import SORTS

    for review_type in ("scr", "case", "management"):
        walk.decided(review_type)
    walk.at(ReviewState.TOR_AGREED)
    client.force_login(cast["manager"])
    keys = {
        "reference": lambda row: row.review.reference,
        "type": lambda row: (row.review.get_review_type_display(), row.review.reference),
        "stage": lambda row: (list(ReviewState).index(row.review.state), row.review.reference),
        "decided": lambda row: (row.review.decision_date, row.review.reference),
        "left": lambda row: (row.timeline.days_left, row.review.reference),
        "next": lambda row: (row.next_due, row.review.reference),
        "status": lambda row: (
            ["red", "amber", "green"].index(row.timeline.status),
            row.next_due or row.review.current_due_date,
            row.review.reference,
        ),
        "activity": lambda row: (row.last_activity, row.review.reference),
    }
    assert set(keys) == {sort.key for sort in SORTS}
    for key, by in keys.items():
        rows = tracker(client, sort=key).context["rows"]
        assert [r.review.reference for r in rows] == [r.review.reference for r in sorted(rows, key=by)], key
        descending = tracker(client, sort=key, order="desc")
        assert shown(descending) == [r.review.reference for r in sorted(rows, key=by, reverse=True)], key
        assert descending.context["listing"].descending is True


@pytest.mark.django_db
def test_the_tracker_filters_by_stage_type_and_status(client, walk, cast):
    from reviews.models import Milestone

    scr = walk.at(ReviewState.TOR_AGREED)
    case = walk.decided("case")
    late = walk.decided("management")
    Milestone.objects.filter(review=late, kind="tor_agreed").update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    type(late).objects.filter(pk=late.pk).refresh_next_due()
    client.force_login(cast["manager"])
    assert shown(tracker(client, type="case")) == [case.reference]
    assert shown(tracker(client, stage="tor_agreed")) == [scr.reference]
    assert shown(tracker(client, status="red")) == [late.reference]
    assert set(shown(tracker(client, status="green"))) | set(shown(tracker(client, status="amber"))) == {
        scr.reference,
        case.reference,
    }
    assert shown(tracker(client, status="red", type="case")) == []
    # Values that are not among the choices are ignored, never an error.
    response = tracker(client, status="purple", stage="<script>", type="x" * 5000, sort="nonsense", page="-4")
    assert response.status_code == 200
    assert len(shown(response)) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 55])
def test_the_tracker_pages_with_the_filter_and_sort_kept(
    client, walk, cast, count, django_assert_max_num_queries
):
    for _ in range(count):
        walk.decided("case")
    walk.decided("scr")
    client.force_login(cast["manager"])
    with django_assert_max_num_queries(8):
        response = tracker(client, type="case", sort="reference", order="desc")
    listing = response.context["listing"]
    assert listing.count == count
    assert len(shown(response)) == min(count, 50)
    # The chart is drawn for the rows of the page only.
    assert len(response.context["chart"].bars) == min(count, 50)
    page = response.content.decode()
    assert f"{count} reviews, sorted by reference, descending" in page
    if count > 50:
        assert 'href="?type=case&amp;sort=reference&amp;order=desc&amp;page=2"' in page
        second = tracker(client, type="case", sort="reference", order="desc", page=2)
        assert len(shown(second)) == count - 50
        assert set(shown(second)).isdisjoint(shown(response))
        every = shown(response) + shown(second)
        assert every == sorted(every, reverse=True)
    else:
        assert "govuk-pagination" not in page
    # The sort links keep the filter and start again from the first page.
    assert 'href="?type=case&amp;sort=stage&amp;order=asc"' in page


# Home pages: the first few of each list, and a link to the rest


def lscb_actions(walk, cast, n, *, spread):
    """A review at its LSCB action plan with n actions, due from 10 days on, `spread` days apart."""
    from reviews import services

    review = walk.at(ReviewState.ACTION_PLAN)
    for i in range(n):
        services.action_item_add(
            actor=cast["manager"],
            review=review,
            agency=None,
            description=f"Action {i}",
            owner="LSCB business manager",
            due_on=timezone.localdate() + datetime.timedelta(days=10 + i * spread),
        )


HOME_ROLES = ["chair", "manager", "board", "qa", "agencymanager", "author", "overview", "referrer"]


def fill(walk, cast, n):
    """n of everything a home page lists: referrals awaiting, reviews, IMRs, agency work, actions due."""

    for _ in range(n):
        walk.referral()
        review = walk.at(ReviewState.AGENCIES_ENGAGED)
        services_nominate(walk, review)
    lscb_actions(walk, cast, n, spread=0)


@pytest.mark.django_db
@pytest.mark.parametrize("who", HOME_ROLES)
def test_no_home_page_grows_with_the_data(client, walk, cast, who, django_assert_max_num_queries):
    from reviews.views.core import HOME_LIMIT

    fill(walk, cast, 1)
    client.force_login(cast[who])
    with django_assert_max_num_queries(14) as small:
        client.get(reverse("home"))
    fill(walk, cast, HOME_LIMIT + 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("home"))
    lists = [
        response.context.get(name)
        for name in (
            "referrals_awaiting",
            "open_reviews",
            "my_imrs",
            "engagements",
            "actions_due",
            "my_referrals",
        )
    ]
    shown_lists = [few for few in lists if few is not None]
    assert shown_lists, who
    for few in shown_lists:
        assert len(few.rows) <= HOME_LIMIT
        if few.total > HOME_LIMIT:
            assert "See all" in response.content.decode()


@pytest.mark.django_db
def test_home_lists_the_most_urgent_first_and_links_to_the_whole_list(client, walk, cast):
    from reviews.models import Milestone
    from reviews.views.core import HOME_LIMIT

    reviews = [walk.decided("case") for _ in range(HOME_LIMIT + 1)]
    late = reviews[-1]
    Milestone.objects.filter(review=late, kind="tor_agreed").update(
        due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    type(late).objects.filter(pk=late.pk).refresh_next_due()
    client.force_login(cast["board"])
    response = client.get(reverse("home"))
    few = response.context["open_reviews"]
    assert few.rows[0].review == late
    assert (len(few.rows), few.total) == (HOME_LIMIT, HOME_LIMIT + 1)
    assert f"See all {HOME_LIMIT + 1} open reviews in the tracker" in response.content.decode()


# A person's own lists


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 7])
def test_the_imr_and_agency_lists_cost_the_same_queries_at_any_length(
    client, walk, cast, n, django_assert_max_num_queries
):
    for _ in range(n):
        services_nominate(walk, walk.at(ReviewState.AGENCIES_ENGAGED))
    client.force_login(cast["author"])
    with django_assert_max_num_queries(6):
        response = client.get(reverse("reviews:imr-list"))
    assert response.context["listing"].count == n
    assert len(response.context["listing"].rows) == n
    assert client.get(reverse("reviews:imr-list"), {"state": "submitted"}).context["listing"].count == 0
    client.force_login(cast["agencymanager"])
    with django_assert_max_num_queries(6):
        response = client.get(reverse("reviews:participation-list"), {"needs": "action"})
    assert response.context["listing"].count == n


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 60])
def test_the_action_list_costs_the_same_queries_at_any_length(
    client, walk, cast, n, django_assert_max_num_queries
):

    lscb_actions(walk, cast, n, spread=1)
    client.force_login(cast["qa"])
    with django_assert_max_num_queries(6):
        response = client.get(reverse("reviews:action-list"), {"due": "30"})
    listing = response.context["listing"]
    assert listing.count == min(n, 21)
    assert len(listing.rows) == min(n, 21, 50)
    dues = [item.due_on for item in listing.rows]
    assert dues == sorted(dues)


@pytest.mark.django_db
def test_the_imr_pages_banner_costs_no_queries_of_its_own(client, walk, cast):
    """The review, its referral and decision come with the IMR: the criterion (a) banner asks nothing more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for departs in (False, True):
        kwargs = {"criteria": ("criterion_a",), "justification": "The family asked."} if departs else {}
        review = walk.decided("case" if departs else "scr", **kwargs)
        while review.state != ReviewState.IMRS_IN_PROGRESS:
            walk.ready(review)
            review = walk.move(review)
        imr = review.participations.get(agency=cast["hospital"]).imr
        assert review.departs_from_criterion_a() is departs
        client.force_login(cast["author"])
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("reviews:imr-detail", args=[imr.pk])).content.decode()
        assert ("Criterion (a) applies" in page) is departs
        counts[departs] = len(queries.captured_queries)
        standalone = [
            q["sql"]
            for q in queries.captured_queries
            if 'FROM "reviews_paneldecision"' in q["sql"] or 'FROM "reviews_referral"' in q["sql"]
        ]
        assert standalone == []
    assert counts[True] == counts[False]


@pytest.mark.django_db
@pytest.mark.parametrize("review_type", ["scr", "management"])
def test_the_stored_next_milestone_follows_the_review_through_every_stage_and_extension(
    walk, cast, review_type
):
    """The services keep `next_due_on`: at every stage it is the timeline's next undone milestone."""
    from reviews import services
    from reviews.models import Review
    from reviews.timeline import review_timeline

    def expected(review):
        timeline = review_timeline(review, review.milestones.all(), today=timezone.localdate())
        return timeline.next_milestone.due_on if timeline.next_milestone else None

    review = walk.decided(review_type)
    seen = []
    while review.state != ReviewState.CLOSED:
        review = Review.objects.get(pk=review.pk)
        assert review.next_due_on == expected(review), review.state
        seen.append(review.next_due_on)
        if review.state == ReviewState.IMRS_IN_PROGRESS:
            services.review_extend(
                actor=cast["manager"],
                review=review,
                new_due_date=review.current_due_date + datetime.timedelta(days=30),
                reason="A criminal trial",
                agreed_by="The LSCB chair",
            )
            review = Review.objects.get(pk=review.pk)
            assert review.next_due_on == expected(review)
        walk.ready(review)
        review = walk.move(review)
    review = Review.objects.get(pk=review.pk)
    assert review.next_due_on is None
    # It moved on as the milestones were done, and never went back.
    dated = [day for day in seen if day is not None]
    assert dated == sorted(dated) and len(set(dated)) >= 3


@pytest.mark.django_db
def test_last_activity_is_the_last_change_not_the_last_look(client, walk, cast):
    """Every audited change moves the tracker's "last activity"; looking at the review does not."""
    from reviews import services
    from reviews.models import AuditEvent, Review

    review = walk.decided("scr")
    opened = Review.objects.get(pk=review.pk).last_activity_at
    assert (
        opened
        == AuditEvent.objects.filter(review=review).exclude(action__in=AuditEvent.LOOKS).latest("at").at
    )
    client.force_login(cast["manager"])
    client.get(reverse("reviews:review-activity", args=[review.pk]))
    client.force_login(cast["author"])
    assert client.get(reverse("reviews:review-detail", args=[review.pk])).status_code == 404
    assert AuditEvent.objects.filter(review=review, action__in=AuditEvent.LOOKS).count() == 2
    assert Review.objects.get(pk=review.pk).last_activity_at == opened
    services.police_advice_record(
        actor=cast["manager"],
        review=review,
        given_on=timezone.localdate(),
        source="DI Reid",
        advice="Do not interview the parents before the police do.",
    )
    changed = Review.objects.get(pk=review.pk).last_activity_at
    assert changed > opened
    assert changed == AuditEvent.objects.filter(review=review).latest("at").at


@pytest.mark.django_db
def test_the_activity_log_costs_the_same_queries_at_any_length(
    client, walk, cast, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reviews.models import AuditEvent

    review = walk.decided("scr")
    client.force_login(cast["manager"])
    url = reverse("reviews:review-activity", args=[review.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=cast["chair"],
            action=AuditEvent.Action.CHANGED,
            review=review,
            object_type="reviews.review",
            object_id=str(review.pk),
            summary=f"Change {i}",
        )
        for i in range(120)
    )
    with django_assert_max_num_queries(len(short.captured_queries)):
        response = client.get(url, {"kind": "changed"})
    assert response.context["page"].paginator.count == 120
    assert len(response.context["page"].object_list) == 50


@pytest.mark.django_db
def test_last_activity_never_moves_back_when_an_earlier_change_commits_later(walk, cast):
    """A service that waited for the review's row behind another may write an earlier time last."""
    from reviews.models import AuditEvent, Review
    from reviews.services.common import audit_record

    review = walk.decided("scr")
    later = timezone.now() + datetime.timedelta(seconds=5)
    Review.objects.filter(pk=review.pk).update(last_activity_at=later)
    audit_record(
        actor=cast["manager"], action=AuditEvent.Action.CHANGED, obj=review, review=review, summary="x"
    )
    assert Review.objects.get(pk=review.pk).last_activity_at == later


@pytest.mark.django_db
def test_list_links_carry_the_lists_own_parameters_only(client, walk, cast):
    for _ in range(3):
        walk.decided("case")
    client.force_login(cast["manager"])
    page = tracker(client, type="case", sort="stage", junk="x" * 2000, utm="<b>").content.decode()
    assert "junk" not in page and "utm" not in page
    assert 'href="?type=case&amp;sort=reference&amp;order=asc"' in page


@pytest.mark.django_db
def test_the_referral_list_has_a_heading_per_column_and_says_its_order_rightly(client, walk, cast):
    from tests.html import parse

    walk.referral()
    walk.decided()
    client.force_login(cast["chair"])
    page = parse(client.get(reverse("reviews:referral-list")).content)
    headers = page.one("thead").all("th")
    cells = page.one("tbody").all("tr")[0].all("td")
    assert [h.text().split(",")[0].replace("▼", "").strip() for h in headers] == [
        "Received",
        "Reference",
        "Referred by",
        "Decision",
    ]
    assert len(cells) == len(headers)
    # Newest first, and said so: descending.
    assert headers[0].attrs["aria-sort"] == "descending"
    assert "sorted by received, descending" in page.one(id="list-summary").text()


@pytest.mark.django_db
def test_actions_sort_by_status_in_the_order_of_the_workflow(client, walk, cast):
    from reviews import services
    from reviews.models import ActionItem

    lscb_actions(walk, cast, 3, spread=1)
    first, second, _ = ActionItem.objects.filter(plan__agency__isnull=True).order_by("due_on")
    services.action_item_move(actor=cast["manager"], item=second, move="start")
    services.action_item_move(actor=cast["manager"], item=first, move="start")
    services.action_item_move(actor=cast["manager"], item=first, move="complete", evidence="Done and shown.")
    client.force_login(cast["qa"])
    listing = client.get(reverse("reviews:action-list"), {"sort": "status"}).context["listing"]
    states = [item.state for item in listing.rows]
    assert states[-3:] == ["open", "in_progress", "completed"]


@pytest.mark.django_db
def test_the_authors_home_lists_the_imrs_still_to_write_and_links_to_them(client, walk, cast):
    from reviews.views.core import HOME_LIMIT

    for _ in range(HOME_LIMIT + 1):
        services_nominate(walk, walk.at(ReviewState.AGENCIES_ENGAGED))
    done = walk.at(ReviewState.IMRS_SUBMITTED)
    client.force_login(cast["author"])
    response = client.get(reverse("home"))
    few = response.context["my_imrs"]
    assert (len(few.rows), few.total) == (HOME_LIMIT, HOME_LIMIT + 1)
    assert all(imr.state in ("nominated", "in_progress", "returned") for imr in few.rows)
    page = response.content.decode()
    assert (
        f'href="{reverse("reviews:imr-list")}?state=to_write">See all {HOME_LIMIT + 1} IMRs still to write'
        in page
    )
    listing = client.get(reverse("reviews:imr-list"), {"state": "to_write"}).context["listing"]
    assert listing.count == HOME_LIMIT + 1
    assert client.get(reverse("reviews:imr-list")).context["listing"].count == HOME_LIMIT + 2
    assert done.participations.get(agency=cast["hospital"]).imr.state == "submitted"


@pytest.mark.django_db
def test_an_authors_tracker_follows_their_grant(client, walk, cast, second_hospital_author):
    """Nominated, the author sees the review in their tracker; replaced, they no longer do."""
    from reviews import services

    review = walk.at(ReviewState.AGENCIES_ENGAGED)
    other = walk.at(ReviewState.AGENCIES_ENGAGED)
    services_nominate(walk, review)
    client.force_login(cast["author"])
    assert shown(tracker(client)) == [review.reference]
    participation = review.participations.get(agency=cast["hospital"])
    services.imr_nominate_author(
        actor=cast["agencymanager"], participation=participation, author=second_hospital_author
    )
    assert shown(tracker(client)) == []
    client.force_login(second_hospital_author)
    assert shown(tracker(client)) == [review.reference]
    assert other.reference not in shown(tracker(client))
