"""The integrated chronology's readings: likely duplicates, gaps in which no agency saw the child, lanes."""

import datetime

import pytest

from reviews import services
from reviews.integrated import (
    SIMILARITY_THRESHOLD,
    Gap,
    entries_of,
    gaps,
    is_similar,
    lanes,
    likely_duplicates,
    similarity,
)
from reviews.models import ChronologyEntry, ReviewState

D = datetime.date


def started_imrs(walk):
    """R1 at "IMRs in progress", the hospital's and the police's IMRs started: {agency kind: imr}."""
    review = walk.at(ReviewState.IMRS_IN_PROGRESS)
    imrs = {}
    for participation in review.participations.select_related("imr__author", "agency"):
        imrs[participation.agency.kind] = services.imr_move(
            actor=participation.imr.author, imr=participation.imr, move="start"
        )
    return review, imrs


def add(
    imr, day, summary="Routine visit.", *, contact_type="home visit", with_whom="child", approximate=False
):
    return ChronologyEntry.objects.create(
        imr=imr,
        date=day,
        date_is_approximate=approximate,
        contact_type=contact_type,
        with_whom=with_whom,
        practitioner="Health Visitor 1",
        summary=summary,
    )


# Realistic pairs: the same contact as two agencies wrote it, and different contacts on one day.
SAME = [
    (
        "Home visit by HV, mother present, child seen asleep",
        "HV home visit \u2013 child asleep, mother present",
    ),
    ("Strategy discussion held; agreed s47 enquiry", "Strategy discussion: s47 enquiry agreed"),
    (
        "Child brought to A&E by mother with bruise to left cheek",
        "Mother took child to A&E, bruising to left cheek",
    ),
    (
        "Police called to address after neighbour reported shouting",
        "Neighbour reported shouting; police attended the address",
    ),
    (
        "Joint home visit with social worker, child seen in bedroom",
        "Joint visit with HV; child seen in her bedroom",
    ),
    (
        "Initial child protection conference, child made subject of a plan",
        "Child protection conference: child made subject of a plan",
    ),
    # Nearly the same words, the opposite meaning: flagged, and the reader sees both summaries.
    ("Missed GP appointment for 8 week check", "Attended GP appointment for 8 week check"),
]
DIFFERENT = [
    (
        "Home visit by HV, mother present, child seen asleep",
        "Phone call to mother about missed nursery sessions",
    ),
    ("Home visit by HV, mother present, child seen asleep", "Home visit, no answer at the door"),
    ("Child brought to A&E by mother with bruise to left cheek", "Child seen in clinic for immunisations"),
    ("Strategy discussion held; agreed s47 enquiry", "Strategy discussion held; no further action agreed"),
    ("Home visit, mother present", "Home visit, father present, child not seen"),
]


@pytest.mark.parametrize(("one", "other"), SAME)
def test_the_same_contact_in_two_agencies_words_is_similar(one, other):
    assert is_similar(one, other) and is_similar(other, one)


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_contacts_on_one_day_are_not_similar(one, other):
    assert not is_similar(one, other) and not is_similar(other, one)


@pytest.mark.parametrize(
    ("one", "other", "score", "similar"),
    [
        # Just above the threshold of 78: the same A&E attendance in two agencies' words.
        (
            "Child brought to A&E by mother with bruise to left cheek",
            "Mother took child to A&E, bruising to left cheek",
            79.6,
            True,
        ),
        # Just below it: two strategy discussions of one day that agreed different things.
        (
            "Strategy discussion held; agreed s47 enquiry",
            "Strategy discussion held; no further action agreed",
            76.1,
            False,
        ),
    ],
)
def test_the_threshold_is_78_on_token_sort_ratio(one, other, score, similar):
    assert SIMILARITY_THRESHOLD == 78
    assert similarity(one, other) == pytest.approx(score, abs=0.05)
    assert is_similar(one, other) is similar


@pytest.mark.django_db
def test_likely_duplicates_are_other_agencies_entries_on_the_same_day_with_a_similar_summary(
    walk, django_assert_num_queries
):
    review, imrs = started_imrs(walk)
    health, police = imrs["health_trust"], imrs["police"]
    visit = add(health, D(2012, 3, 3), "Home visit by HV, mother present, child seen asleep")
    same = add(police, D(2012, 3, 3), "HV home visit \u2013 child asleep, mother present")
    # Not flagged: the same agency, another day, a different summary, a month alone.
    again = add(health, D(2012, 3, 3), "HV home visit - child asleep, mother present")
    add(police, D(2012, 3, 4), "Home visit by HV, mother present, child seen asleep")
    other = add(police, D(2012, 3, 3), "Phone call to mother about missed nursery sessions")
    month = add(health, D(2012, 4, 1), "Strategy discussion held", approximate=True)
    add(police, D(2012, 4, 1), "Strategy discussion held", approximate=True)
    rows = list(entries_of(review))
    with django_assert_num_queries(1):
        found = likely_duplicates(review, rows)
    assert {pk: [d.pk for d in dups] for pk, dups in found.items()} == {
        visit.pk: [same.pk],
        same.pk: [visit.pk, again.pk],
        again.pk: [same.pk],
    }
    assert found[visit.pk][0].agency == police.participation.agency.name
    assert other.pk not in found and month.pk not in found


@pytest.mark.django_db
def test_gaps_are_the_days_between_two_sightings_longer_than_the_setting(
    walk, settings, django_assert_num_queries
):
    settings.CHRONOLOGY_GAP_DAYS = 28
    review, imrs = started_imrs(walk)
    health, police = imrs["health_trust"], imrs["police"]
    add(health, D(2012, 1, 1))
    # 28 days unseen (2 to 29 January): not a gap.
    add(police, D(2012, 1, 30), contact_type="office or clinic appointment")
    # 29 days unseen (31 January to 28 February, 2012 a leap year): a gap.
    add(health, D(2012, 2, 29))
    # Not sightings: a phone call with the child, a visit to the mother, a month alone.
    add(health, D(2012, 3, 15), contact_type="phone call")
    add(police, D(2012, 3, 20), with_whom="mother")
    add(police, D(2012, 4, 1), approximate=True)
    # Seen twice on one day, by two agencies: one sighting.
    add(health, D(2012, 5, 1))
    add(police, D(2012, 5, 1), contact_type="assessment")
    add(police, D(2012, 5, 10), contact_type="meeting")
    with django_assert_num_queries(1):
        found = gaps(review)
    assert found == [Gap(D(2012, 1, 31), D(2012, 2, 28)), Gap(D(2012, 3, 1), D(2012, 4, 30))]
    assert [gap.days for gap in found] == [29, 61]
    assert gaps(review, longer_than=29) == [Gap(D(2012, 3, 1), D(2012, 4, 30))]
    settings.CHRONOLOGY_GAP_DAYS = 60
    assert gaps(review) == [Gap(D(2012, 3, 1), D(2012, 4, 30))]
    settings.CHRONOLOGY_GAP_DAYS = 61
    assert gaps(review) == []


@pytest.mark.django_db
def test_lanes_count_each_agencys_contacts_by_month_in_two_queries(walk, django_assert_num_queries):
    review, imrs = started_imrs(walk)
    health, police = imrs["health_trust"], imrs["police"]
    add(police, D(2011, 12, 30), with_whom="mother")
    add(health, D(2012, 1, 1))
    add(health, D(2012, 1, 20), with_whom="mother")
    add(health, D(2013, 2, 1))
    with django_assert_num_queries(2):
        found = lanes(review)
    assert [(lane.agency, lane.count, lane.first, lane.last, lane.seen) for lane in found] == [
        (police.participation.agency.name, 1, D(2011, 12, 30), D(2011, 12, 30), 0),
        (health.participation.agency.name, 3, D(2012, 1, 1), D(2013, 2, 1), 2),
    ]
    assert found[1].months == {D(2012, 1, 1): (2, 1), D(2013, 2, 1): (1, 1)}
    assert found[1].years == {2012: 2, 2013: 1}
