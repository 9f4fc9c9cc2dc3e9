"""Paging through long lists in the browser: the filter and the sort stay with every page."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from reviews.models import Review, ReviewType

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def many(demo):
    """The demo data and 250 more reviews over every stage and type."""
    call_command("bench_data", reviews=250, stdout=None)


def caption(page):
    return page.locator("#list-summary").inner_text()


def test_the_business_manager_pages_through_the_tracker_with_a_filter_kept(many, open_page, axe, live_server):
    case_reviews = Review.objects.open().filter(review_type=ReviewType.CASE_REVIEW).count()
    assert case_reviews > 50, "the bench data gives more than a page of open case reviews"
    page = open_page("manager", width=1280)
    page.get_by_role("link", name="Tracker").first.click()
    axe.check(page)

    page.get_by_label("Type").select_option(label="Case review")
    page.get_by_role("button", name="Filter").click()
    assert re.match(rf"^{case_reviews} reviews, sorted by days left", caption(page))
    assert "page 1 of" in caption(page)
    types = page.locator("#tracker-table tbody tr td:nth-child(2)").all_inner_texts()
    assert len(types) == 50 and set(types) == {"Case review"}
    first_page = page.locator("#tracker-table tbody tr td:first-child a").all_inner_texts()
    axe.check(page)

    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
    assert "type=case" in page.url and "page=2" in page.url
    assert "page 2 of" in caption(page)
    second_page = page.locator("#tracker-table tbody tr td:first-child a").all_inner_texts()
    assert set(page.locator("#tracker-table tbody tr td:nth-child(2)").all_inner_texts()) == {"Case review"}
    assert set(second_page).isdisjoint(first_page)
    # The filter form still shows the filter in force, and the chart draws this page's reviews.
    assert page.get_by_label("Type").input_value() == "case"
    assert page.locator(".app-chart__label").all_text_contents() == second_page
    axe.check(page)

    # Sorting by a column keeps the filter and starts again from the first page.
    page.locator("#tracker-table thead").get_by_role("link", name="Reference").click()
    assert "type=case" in page.url and "sort=reference" in page.url and "page=" not in page.url
    references = page.locator("#tracker-table tbody tr td:first-child a").all_inner_texts()
    assert references == sorted(references)
    assert page.locator("#tracker-table thead th[aria-sort=ascending]").inner_text().startswith("Reference")
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
    assert "type=case" in page.url and "sort=reference" in page.url and "page=2" in page.url
    later = page.locator("#tracker-table tbody tr td:first-child a").all_inner_texts()
    assert later == sorted(later) and later[0] > references[-1]
    axe.check(page)
    assert axe.violations == []


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("manager", "reviews:referral-list"),
        ("qa", "reviews:action-list"),
        ("author", "reviews:imr-list"),
        ("agencymanager", "reviews:participation-list"),
        ("board", "home"),
        ("qa", "home"),
    ],
)
def test_the_paged_lists_and_home_pages_pass_axe(many, open_page, axe, live_server, who, url):
    page = open_page(who, width=1280)
    page.goto(live_server.url + reverse(url))
    assert page.locator("main h1").count() == 1
    axe.check(page)
    pagination = page.get_by_role("navigation", name="Pages")
    if pagination.count():
        pagination.get_by_role("link", name="Next").click()
        axe.check(page)
    assert axe.violations == []


def test_the_integrated_chronology_with_its_swimlanes_gaps_and_a_date_error_passes_axe(
    demo, open_page, axe, live_server
):
    import datetime

    from reviews import scenarios
    from reviews.models import IMR, ChronologyEntry

    review = Review.objects.filter(participations__imr__isnull=False).order_by("pk").first()
    imrs = list(IMR.objects.filter(participation__review=review))
    ChronologyEntry.objects.bulk_create(
        scenarios.invented_contacts(imrs=imrs, count=120, first_day=datetime.date(2019, 1, 1), days=900)
    )
    page = open_page("manager", width=1280)
    page.goto(live_server.url + reverse("reviews:review-detail", args=[review.pk]))
    page.get_by_role("link", name="Integrated chronology").click()
    assert page.locator("main h1").inner_text().endswith("Integrated chronology")
    assert page.locator("svg.app-chart__svg title").first.count() == 1
    page.get_by_text("The chart in words").click()
    axe.check(page)
    page.get_by_label("From").fill("31/02/2020")
    page.get_by_role("button", name="Filter").click()
    assert (
        "Enter the “From” date as a date, like 27/03/2025"
        in page.locator(".govuk-error-message").inner_text()
    )
    axe.check(page)
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
    assert "page=2" in page.url
    axe.check(page)
    assert axe.violations == []
