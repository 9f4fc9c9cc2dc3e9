"""The integrated chronology page: every agency's contacts in time order, with duplicates and gaps flagged."""

import datetime

import pytest
from django.urls import reverse

from reviews import scenarios
from reviews.models import AuditEvent, ChronologyEntry
from tests.reviews.test_integrated import add, started_imrs

D = datetime.date
GAP = "No agency saw the child for 61 days: 2 January \u2013 2 March 2012"


def url(review):
    return reverse("reviews:integrated-chronology", args=[review.pk])


def shown(response):
    """The rows of the page as the reader meets them: gaps in their place among the contacts."""
    rows = []
    listing = response.context["listing"]
    for entry in listing.rows:
        gaps = [f"gap: {words}" for words in entry.gaps_words]
        duplicates = "".join(f" [also {other.agency}]" for other in entry.duplicates)
        contact = f"{entry.date:%Y-%m-%d} {entry.imr.participation.agency.kind}: {entry.summary}{duplicates}"
        # Newest first, a gap follows the contact that ends it.
        rows.extend([contact, *gaps] if listing.descending else [*gaps, contact])
    return rows


@pytest.fixture
def review_with_contacts(walk):
    review, imrs = started_imrs(walk)
    health, police = imrs["health_trust"], imrs["police"]
    add(health, D(2012, 1, 1), "Home visit by HV, mother present, child seen asleep")
    add(police, D(2012, 1, 1), "HV home visit, child asleep, mother present", contact_type="meeting")
    add(police, D(2012, 1, 20), "Phone call with mother", contact_type="phone call", with_whom="mother")
    add(police, D(2012, 3, 3), "Child seen at the police station with mother", contact_type="meeting")
    entry = add(health, D(2012, 3, 10), "Clinic, child weighed", contact_type="office or clinic appointment")
    entry.key_practice_episode = True
    entry.save()
    return review, imrs


@pytest.mark.django_db
def test_the_panel_reads_every_agencys_contacts_with_duplicates_and_gaps_in_their_place(
    client, cast, review_with_contacts
):
    review, _ = review_with_contacts
    client.force_login(cast["chair"])
    response = client.get(url(review))
    assert response.status_code == 200
    assert shown(response) == [
        "2012-01-01 health_trust: Home visit by HV, mother present, child seen asleep [also West Yorkshire Police]",
        "2012-01-01 police: HV home visit, child asleep, mother present [also Leeds Teaching Hospitals]",
        f"gap: {GAP}",
        "2012-01-20 police: Phone call with mother",
        "2012-03-03 police: Child seen at the police station with mother",
        "2012-03-10 health_trust: Clinic, child weighed",
    ]
    page = response.content.decode()
    assert "<strong>1 gap</strong> of more than 28 days in which no agency saw the child" in page
    assert "2 contacts on this page possibly recorded by another agency too" in page
    assert f'<strong class="govuk-tag govuk-tag--red">Gap</strong> {GAP}</td>' in page
    # Newest first, the gap is still between the contacts it separates.
    response = client.get(url(review), {"sort": "date", "order": "desc"})
    assert shown(response) == [
        "2012-03-10 health_trust: Clinic, child weighed",
        "2012-03-03 police: Child seen at the police station with mother",
        "2012-01-20 police: Phone call with mother",
        f"gap: {GAP}",
        "2012-01-01 police: HV home visit, child asleep, mother present [also Leeds Teaching Hospitals]",
        "2012-01-01 health_trust: Home visit by HV, mother present, child seen asleep [also West Yorkshire Police]",
    ]


@pytest.mark.django_db
def test_the_swimlanes_show_each_agency_and_the_gap_and_say_it_in_words(client, cast, review_with_contacts):
    review, _ = review_with_contacts
    client.force_login(cast["manager"])
    page = client.get(url(review)).content.decode()
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="app-chart__svg"') == 1
    assert "<title>Leeds Teaching Hospitals, January 2012: 1 contact, the child seen in 1</title>" in page
    assert "<title>West Yorkshire Police, January 2012: 2 contacts, the child seen in 1</title>" in page
    assert f"<title>{GAP}</title>" in page
    assert (
        '<th scope="row" class="govuk-table__header">West Yorkshire Police</th>'
        '<td class="govuk-table__cell">1 Jan 2012</td><td class="govuk-table__cell">3 Mar 2012</td>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>'
        '<td class="govuk-table__cell">2012: 3</td>'
    ) in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"agency": "police"}, ["2012-01-01", "2012-01-20", "2012-03-03"]),
        ({"date_from": "20/01/2012", "date_to": "2012-03-03"}, ["2012-01-20", "2012-03-03"]),
        ({"contact_type": "meeting"}, ["2012-01-01", "2012-03-03"]),
        ({"key": "yes"}, ["2012-03-10"]),
    ],
)
def test_the_filters(client, cast, review_with_contacts, params, expected):
    review, imrs = review_with_contacts
    if params.get("agency") == "police":
        params = {"agency": imrs["police"].participation.agency_id}
    client.force_login(cast["chair"])
    response = client.get(url(review), params)
    assert [f"{entry.date:%Y-%m-%d}" for entry in response.context["listing"].rows] == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"date_from": "yesterday"}, {"date_from": ["Enter the “From” date as a date, like 27/03/2025"]}),
        ({"date_from": "31/02/2012"}, {"date_from": ["Enter the “From” date as a date, like 27/03/2025"]}),
        (
            {"date_to": "03/2012"},
            {"date_to": ["Enter the “To” date as a whole date, like 27/03/2025, not a month"]},
        ),
        ({"date_from": "01/01/1900"}, {"date_from": ["The “From” date must be on or after 1 January 1990"]}),
        ({"date_to": "01/01/2999"}, {"date_to": ["The “To” date must be today or in the past"]}),
        (
            {"date_from": "01/03/2012", "date_to": "01/01/2012"},
            {"date_to": ["The “To” date must be the same as or after the “From” date"]},
        ),
        ({"date_from": "x" * 5000}, {"date_from": ["Enter the “From” date as a date, like 27/03/2025"]}),
        ({"agency": "abc", "contact_type": "séance", "key": "\x00", "page": "-1", "sort": "x"}, None),
    ],
)
def test_bad_filters_never_fail_the_page_and_say_what_is_wrong(
    client, cast, review_with_contacts, params, errors
):
    review, _ = review_with_contacts
    client.force_login(cast["chair"])
    response = client.get(url(review), params)
    assert response.status_code == 200
    form = response.context["listing"].filters
    if errors is not None:
        assert {name: list(messages) for name, messages in form.errors.items()} == errors
        assert f"Error:</span> {next(iter(errors.values()))[0]}" in response.content.decode()
    # A value that cannot be used is not applied; the date from of the range is.
    assert response.context["listing"].count == (2 if params.get("date_from") == "01/03/2012" else 5)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["chair", "panel", "manager", "overview"])
def test_each_look_is_in_the_audit_log(client, walk, cast, review_with_contacts, who):
    review, _ = review_with_contacts
    if who == "overview":
        review.overview_author = cast["overview"]
        review.save(update_fields=["overview_author"])
    client.force_login(cast[who])
    assert client.get(url(review)).status_code == 200
    event = AuditEvent.objects.filter(review=review, action=AuditEvent.Action.VIEWED).latest("at")
    assert (event.actor, event.summary) == (cast[who], f"Viewed the integrated chronology of {review}")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["author", "author2", "agencymanager", "board", "qa", "referrer", "overview"])
def test_anyone_else_gets_404_and_a_denied_row(client, cast, review_with_contacts, who):
    review, _ = review_with_contacts
    client.force_login(cast[who])
    denied = AuditEvent.objects.filter(action=AuditEvent.Action.DENIED).count()
    assert client.get(url(review)).status_code == 404
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DENIED).count() == denied + 1
    assert not AuditEvent.objects.filter(
        review=review, action=AuditEvent.Action.VIEWED, actor=cast[who]
    ).exists()


@pytest.mark.django_db
def test_the_review_page_links_to_it_for_those_allowed(client, cast, review_with_contacts):
    review, _ = review_with_contacts
    link = f'href="{url(review)}"'
    client.force_login(cast["manager"])
    assert link in client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    client.force_login(cast["author"])
    assert link not in client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [50, 5000])
def test_the_page_costs_the_same_queries_at_50_and_5000_contacts_from_8_agencies(
    client, cast, walk, count, django_assert_max_num_queries
):
    review, imrs = started_imrs(walk)
    imrs = [
        *imrs.values(),
        *scenarios.add_agencies_taking_part(
            review=review, count=6, author=cast["author"], nominated_by=cast["agencymanager"]
        ),
    ]
    ChronologyEntry.objects.bulk_create(
        scenarios.invented_contacts(imrs=imrs, count=count, first_day=D(2010, 1, 1), days=6 * 365),
        batch_size=1000,
    )
    client.force_login(cast["chair"])
    with django_assert_max_num_queries(13):
        response = client.get(url(review), {"page": 2})
    listing = response.context["listing"]
    # Page 2 of 50 contacts is out of range: the last page, the first, is shown.
    assert (listing.count, len(listing.rows)) == (count, 50)
    assert len(response.context["lanes"]) == 8
