"""No input gives a 500: junk posted to every form page is refused with a page, and nothing is saved."""

import pytest
from django.test import Client
from django.urls import reverse

from reviews.models import (
    AuditEvent,
    Extension,
    InvolvedStaff,
    InvolvedStaffRevision,
    PanelDecision,
    PanelDecisionRevision,
    PoliceAdvice,
    Referral,
    ReviewState,
)

COUNTED = (
    Referral,
    PanelDecision,
    PanelDecisionRevision,
    InvolvedStaff,
    InvolvedStaffRevision,
    Extension,
    PoliceAdvice,
)

JUNK = [
    {},
    {
        "held_on_day": "99",
        "held_on_month": "-1",
        "held_on_year": "99999",
        "attendees": ["x"],
        "outcome": "maybe",
    },
    {
        "child_date_of_birth_day": "\x00",
        "incident_date_year": "1e9",
        "agencies_involved": ["999999"],
        "referring_agency": "abc",
    },
    {"new_due_date_day": "١٢", "new_due_date_month": "٣", "new_due_date_year": "٢٠٢٧", "reason": "x" * 30000},
    # Longer than every field's bound: refused on the form, never "value too long" from the database.
    {
        name: "é" * 30000 if long_text else "x" * 310
        for name, long_text in [
            ("child_name", False),
            ("family_members", True),
            ("summary", True),
            ("other_attendees", True),
            ("rationale", True),
            ("criterion_a_justification", True),
            ("focus_areas", True),
            ("further_detail", True),
            ("role_title", False),
            ("pseudonym", False),
            ("real_name", False),
            ("email", False),
            ("reason", True),
            ("agreed_by", False),
            ("source", False),
            ("advice", True),
            ("notes", True),
            ("offered_by", False),
            ("originals_location", False),
            ("note", True),
        ]
    },
    {
        "author": "999999",
        "originals_location": " ",
        "copies_made": "perhaps",
        "agency": "-5",
        "pseudonym": "a" * 500,
    },
]


def form_urls(review, participation, referral):
    """`review` is drafting its terms of reference; `participation` belongs to one that agreed them."""
    staff = review.involved_staff.first()
    engaged = participation.review
    return [
        ("chair", reverse("reviews:referral-decision-correct", args=[review.referral_id])),
        ("manager", reverse("reviews:involved-staff-correct", args=[review.pk, staff.pk])),
        ("manager", reverse("reviews:involved-staff-withdraw", args=[review.pk, staff.pk])),
        ("agencymanager", reverse("reviews:participation-secure-files", args=[engaged.pk, participation.pk])),
        ("agencymanager", reverse("reviews:participation-nominate", args=[engaged.pk, participation.pk])),
        ("referrer", reverse("reviews:referral-create")),
        ("chair", reverse("reviews:referral-decide", args=[referral.pk])),
        ("chair", reverse("reviews:tor-edit", args=[review.pk])),
        ("manager", reverse("reviews:involved-staff-add", args=[review.pk])),
        ("manager", reverse("reviews:review-extend", args=[review.pk])),
        ("manager", reverse("reviews:police-advice-add", args=[review.pk])),
        ("manager", reverse("reviews:support-meeting-add", args=[review.pk])),
        ("manager", reverse("reviews:counselling-offer-add", args=[review.pk])),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("junk", JUNK)
def test_junk_never_gives_a_500_and_saves_nothing(client, walk, cast, junk):
    review = walk.ready(walk.at(ReviewState.TOR_DRAFTING))
    participation = walk.at(ReviewState.TOR_AGREED).participations.get(agency=cast["hospital"])
    referral = walk.referral()
    before = [model.objects.count() for model in COUNTED]
    writes = AuditEvent.objects.exclude(action__in=["viewed", "denied", *AuditEvent.SIGNING_IN]).count()
    for who, url in form_urls(review, participation, referral):
        client.force_login(cast[who])
        response = client.post(url, junk)
        assert response.status_code == 400, (url, response.status_code)
        assert "There is a problem" in response.content.decode(), url
    assert [model.objects.count() for model in COUNTED] == before
    assert (
        AuditEvent.objects.exclude(action__in=["viewed", "denied", *AuditEvent.SIGNING_IN]).count() == writes
    )
    assert not InvolvedStaff.objects.filter(withdrawn_at__isnull=False).exists()


@pytest.mark.django_db
def test_state_changes_need_the_csrf_token(walk, cast):
    review = walk.ready(walk.at(ReviewState.TOR_AGREED))
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["manager"])
    response = client.post(reverse("reviews:review-move", args=[review.pk, "engage_agencies"]), {"note": ""})
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.state == ReviewState.TOR_AGREED
