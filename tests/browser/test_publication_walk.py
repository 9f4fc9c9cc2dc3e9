"""A serious case review from its LSCB action plan to closed, and its summary on the public page, in a browser."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from agencies.models import Agency, User
from agencies.roles import Role
from reviews import services
from reviews.management.commands.demo_data import DEMO_PASSWORD
from reviews.models import ActionItem, Notification, Review, ReviewState
from tests.walk import ReviewWalk

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate


@pytest.fixture
def scr(settings):
    """A serious case review of the demo's people at "LSCB action plan", its plan still empty."""
    settings.DEBUG = True
    call_command("demo_data", stdout=None)
    police = Agency.objects.get(name="Northbridge Police")
    policemanager = User(username="policemanager", first_name="Ian", last_name="Stokes", agency=police)
    policemanager.set_password(DEMO_PASSWORD)
    policemanager.save()
    policemanager.groups.add(Group.objects.get(name=Role.AGENCY_SENIOR_MANAGER))
    cast = {user.username: user for user in User.objects.all()}
    cast |= {
        "hospital": Agency.objects.get(name="Northbridge Teaching Hospitals NHS Trust"),
        "police": police,
    }
    review = ReviewWalk(cast).at(ReviewState.ACTION_PLAN)
    for recommendation in review.recommendations.filter(imr__isnull=True):
        services.action_item_add(
            actor=cast["manager"],
            review=review,
            agency=None,
            recommendation=recommendation,
            description="Publish the guidance.",
            owner="LSCB business manager",
            due_on=TODAY() + datetime.timedelta(days=30),
        )
    return review, cast


def test_scr_from_its_action_plan_to_closed_and_its_summary_public(walk, axe, scr):
    review, _cast = scr
    page = walk.page

    # The business manager prepares the submission pack and sends it to Ofsted and GOL.
    walk.sign_in("manager")
    walk.goto(f"/reviews/{review.pk}/")
    walk.click("link", "Prepare the submission pack for Ofsted and GOL")
    walk.click("button", "Prepare the submission pack")
    assert "Submission pack prepared as version 1" in walk.success()
    walk.click("link", f"Back to {review.reference}")
    walk.click("link", "Send the report and action plan to Ofsted and GOL")
    walk.click("button", "Send the report and action plan to Ofsted and GOL")
    assert sorted(
        Notification.objects.filter(review=review, kind="report").values_list("body__name", flat=True)
    ) == [
        "Government Office for London",
        "Ofsted",
    ]

    # Ofsted's grade comes back; the review moves on to its executive summary.
    walk.click("link", "Record Ofsted's grade")
    walk.click("button", "Record the grade")
    assert "Select Ofsted's grade" in walk.errors()
    page.get_by_label("Good").check()
    walk.date("graded_on", TODAY())
    page.get_by_label("Ofsted's feedback (optional)").fill(
        "A clear analysis of how the agencies worked together."
    )
    walk.click("button", "Record the grade")
    assert "Ofsted's grade recorded: Good." in walk.success()
    walk.click("link", "Prepare the executive summary")
    walk.click("button", "Prepare the executive summary")
    walk.sign_out()

    # The overview author writes the summary; the check lists the names left in it.
    walk.sign_in("overview")
    walk.goto(f"/reviews/{review.pk}/")
    walk.click("link", "Write the executive summary")
    page.get_by_label("Title on the public page (optional)").fill("Child E")
    page.get_by_label("Executive summary", exact=True).fill(
        "ellie carter, aged two, was admitted with a fractured skull.\n\nThe health visitor had seen a bruise."
    )
    walk.click("button", "Save the executive summary")
    assert "names the child as “Ellie Carter” in paragraph 1" in page.locator("#names-found").inner_text()
    page.get_by_label("Executive summary", exact=True).fill(
        "A child aged two was admitted with a fractured skull.\n\nThe health visitor had seen a bruise."
    )
    walk.click("button", "Save the executive summary")
    assert "No name known to the review was found" in page.locator("#names-found").inner_text()
    walk.sign_out()

    # The business manager publishes it and records it sent to the staff.
    walk.sign_in("manager")
    walk.goto(f"/reviews/{review.pk}/")
    walk.click("link", "Publish the executive summary")
    walk.date("publish_from", TODAY())
    walk.click("button", "Publish")
    assert "Executive summary published" in walk.success()
    walk.click("link", "Record that the summary was sent to the staff involved")
    walk.date("sent_on", TODAY())
    walk.click("button", "Record it")
    # Closing still waits for the actions and the closing support meeting, and says so.
    blocked = page.locator(".govuk-inset-text", has_text="Close the review: not yet").inner_text()
    assert "actions are not yet complete" in blocked
    assert "Hold the closing staff support meeting and record it." in blocked
    # The closing support meeting, recorded by the business manager.
    walk.click("link", "Record a support meeting")
    page.get_by_label("At the end of the review").check()
    walk.date("held_on", TODAY())
    walk.click("button", "Save")
    assert "Staff support meeting recorded." in walk.success()
    walk.sign_out()
    # Each action's owner starts it and completes it with its evidence, on the action's own page.
    owners: dict[str, list[int]] = {}
    for item in ActionItem.objects.filter(plan__review=review).select_related("plan__agency").order_by("pk"):
        owner = (
            "manager"
            if item.plan.is_lscb_plan
            else "author"
            if item.plan.agency.name.startswith("Northbridge Teaching")
            else "author2"
        )
        owners.setdefault(owner, []).append(item.pk)
    for owner, pks in owners.items():
        walk.sign_in(owner)
        for pk in pks:
            walk.goto(f"/actions/{pk}/")
            walk.click("link", "Start the action")
            walk.click("button", "Start the action")
            walk.click("link", "Mark the action complete")
            page.get_by_label("What shows the action is complete?").fill("Done: an audit of 20 case files.")
            walk.click("button", "Mark the action complete")
            assert "Done: Mark the action complete." in walk.success()
        walk.sign_out()

    # The chair closes it.
    walk.sign_in("chair")
    walk.goto(f"/reviews/{review.pk}/")
    walk.click("link", "Close the review")
    walk.click("button", "Close the review")
    assert Review.objects.get(pk=review.pk).state == ReviewState.CLOSED
    walk.sign_out()

    # Anyone reads the summary, signed out.
    walk.goto("/summaries/")
    walk.click("link", "Child E")
    assert walk.h1() == "Child E: executive summary"
    assert "The health visitor had seen a bruise." in page.locator("main").inner_text()
    assert len(axe.pages) > 15
    assert axe.violations == []
