"""One serious case review, from referral to IMRs in progress, as its people do it in a browser."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from agencies.models import Agency, User
from agencies.roles import Role
from reviews.management.commands.demo_data import DEMO_PASSWORD
from reviews.models import IMR, Notification, Review, ReviewState

pytestmark = pytest.mark.django_db(transaction=True)

HOSPITAL = "Northbridge Teaching Hospitals NHS Trust"
POLICE = "Northbridge Police"


@pytest.fixture
def people(settings):
    settings.DEBUG = True
    call_command("demo_data", stdout=None)
    manager = User(
        username="policemanager", first_name="Ian", last_name="Stokes", agency=Agency.objects.get(name=POLICE)
    )
    manager.set_password(DEMO_PASSWORD)
    manager.save()
    manager.groups.add(Group.objects.get(name=Role.AGENCY_SENIOR_MANAGER))


def test_scr_from_referral_to_imrs_in_progress(walk, axe, people):
    page = walk.page
    today = timezone.localdate()

    # A school's safeguarding lead refers the case.
    walk.sign_in("referrer")
    walk.click("link", "Log a referral")
    page.get_by_label("Child's full name").fill("Sam Taylor")
    walk.date("child_date_of_birth", datetime.date(2022, 6, 14))
    page.get_by_label("Family members").fill("Kelly Taylor, mother\nDean Price, mother's partner")
    walk.date("incident_date", today - datetime.timedelta(days=3))
    page.get_by_label("Serious injury").check()
    page.get_by_label("Summary of the incident").fill(
        "Sam was admitted with a head injury the family could not explain."
    )
    page.get_by_label(HOSPITAL).check()
    page.get_by_label(POLICE).check()
    page.locator("#id_police_investigating_0").check()
    walk.click("button", "Log the referral")
    reference = walk.h1()
    assert reference.startswith("REF-")
    assert "Referral logged" in walk.success()
    walk.sign_out()

    # The panel chair records the panel's decision: a serious case review.
    walk.sign_in("chair")
    walk.click("link", reference)
    walk.click("link", "Record the panel's decision")
    walk.date("held_on", today)
    for criterion, answer in zip("abcdef", [1, 0, 1, 1, 1, 0], strict=True):
        page.locator(f"#id_criterion_{criterion}_{answer}").check()
    page.get_by_label("Serious case review", exact=True).check()
    page.get_by_label("Rationale").fill(
        "A potentially life-threatening injury; agencies did not share concerns."
    )
    walk.click("button", "Record the decision")
    review_ref = walk.h1()
    review = Review.objects.get(reference=review_ref)
    assert (review.review_type, review.state, review.decision_date) == (
        "scr",
        ReviewState.TOR_DRAFTING,
        today,
    )
    assert page.locator("#police-banner-title").inner_text() == "Police investigation open"

    # The chair records the staff involved and drafts, then agrees, the terms of reference.
    walk.click("link", "Add a member of staff involved")
    page.get_by_label("Agency").select_option(label=HOSPITAL)
    page.get_by_label("Role").fill("Health visitor")
    page.get_by_label("Pseudonym").fill("Health Visitor 1")
    page.get_by_label("Full name").fill("Sandra Bell")
    walk.click("button", "Save")
    walk.click("link", "Write the terms of reference")
    walk.date("period_start", datetime.date(2022, 6, 14))
    walk.date("period_end", today - datetime.timedelta(days=3))
    page.get_by_label("Focus areas").fill(
        "Were the signs of injury recognised?\nHow did the hospital and police share information?"
    )
    walk.click("button", "Save the draft")
    walk.click("link", "Agree and share the terms of reference")
    walk.click("button", "Agree and share")
    assert "Terms of reference agreed" in walk.success()
    walk.sign_out()

    # The business manager asks the agencies to engage.
    walk.sign_in("manager")
    walk.click("link", review_ref)
    walk.click("link", "Ask the agencies to secure files and nominate IMR authors")
    walk.click("button", "Ask the agencies to secure files and nominate IMR authors")
    assert Review.objects.get(pk=review.pk).state == ReviewState.AGENCIES_ENGAGED
    walk.sign_out()

    # Each agency's senior manager secures the files and nominates its IMR author.
    for manager, agency, author in [
        ("agencymanager", HOSPITAL, "Grace Adeyemi"),
        ("policemanager", POLICE, "Colin Reid"),
    ]:
        walk.sign_in(manager)
        walk.click("link", review_ref)
        walk.click("link", f"Confirm files secured for {agency}")
        page.get_by_label("Where are the original case files locked away?").fill(
            "Records office, locked cabinet 4"
        )
        page.locator("#id_copies_made_1").check()
        walk.click("button", "Save")
        walk.click("link", f"Nominate the author for {agency}")
        page.get_by_label("IMR author").select_option(label=author)
        walk.click("button", "Save")
        assert "IMR author nominated" in walk.success()
        walk.sign_out()

    # Each author signs the independence declaration in the browser.
    for author in ["author", "author2"]:
        walk.sign_in(author)
        walk.click("link", review_ref, exact=False)
        walk.click("link", "Sign the independence declaration")
        page.get_by_label("I declare").check()
        walk.click("button", "Sign the declaration")
        assert "Independence declaration signed" in walk.success()
        walk.sign_out()

    # The business manager starts the IMRs, then looks over every review in the tracker.
    walk.sign_in("manager")
    # Home lists only the most urgent few open reviews, and the demo's others are more urgent now.
    walk.click("link", "Tracker")
    walk.click("link", review_ref)
    walk.click("link", "Start the IMRs")
    walk.click("button", "Start the IMRs")
    walk.click("link", "See who is behind each pseudonym")
    assert "Sandra Bell" in page.content()
    # A misspelt name is corrected; the earlier one stays on the register.
    walk.goto(f"/reviews/{review.pk}/")
    walk.click("link", "Correct Health Visitor 1")
    page.get_by_label("Full name").fill("Sandra Belle")
    page.get_by_label("Why is the entry being corrected?").fill("Surname misspelt.")
    walk.click("button", "Save")
    assert "Entry corrected" in walk.success()
    # Notification 2 went by e-mail to Ofsted and GOL with the agreed terms of reference attached.
    notifications = page.get_by_role("region", name="Notifications").inner_text()
    assert "E-mailed" in notifications and "scr.notifications@ofsted.example.org" in notifications
    # Everything so far is in the review's activity log.
    walk.click("link", "Activity log")
    assert walk.h1() == "Activity log"
    page.get_by_label("Kind").select_option(label="Corrected")
    walk.click("button", "Filter")
    assert "Corrected Health Visitor 1" in page.content()
    walk.click("link", "Tracker")
    page.get_by_label("Type").select_option(label="Serious case review")
    walk.click("button", "Filter")
    assert page.locator("#tracker-table").get_by_role("link", name=review_ref).count() == 1
    walk.click("link", "Days left")
    walk.click("link", "Referrals")
    walk.sign_out()
    walk.sign_in("author")
    walk.click("link", review_ref, exact=False)
    walk.click("link", "Start the IMR")
    walk.click("button", "Start the IMR")
    assert "Done: Start the IMR." in walk.success()

    review = Review.objects.get(pk=review.pk)
    assert review.state == ReviewState.IMRS_IN_PROGRESS
    assert sorted(IMR.objects.filter(participation__review=review).values_list("state", flat=True)) == [
        "in_progress",
        "nominated",
    ]
    assert Notification.objects.filter(review=review, kind="tor").count() == 2
    assert len(axe.pages) > 40
    assert axe.violations == []
