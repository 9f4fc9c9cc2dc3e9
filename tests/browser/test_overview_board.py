"""The overview author writes the overview report, the panel shares it, the board returns it with a note and
then approves it, and the business manager builds the LSCB action plan: in a browser, axe on every page."""

import datetime

import pytest
from django.utils import timezone

from reviews.models import ActionItem, BoardDecision, Review, ReviewState
from reviews.sample_pdf import text_pdf

pytestmark = pytest.mark.django_db(transaction=True)

BOARD_NOTE = "Say more about how the agencies shared what they knew about the mother's new partner."


def test_overview_report_from_its_writing_to_the_lscb_action_plan(walk, axe, demo, tmp_path):
    review = Review.objects.get(referral__child_name="Leo Marsh")
    assert review.state == ReviewState.IMRS_SUBMITTED
    page = walk.page
    home = f"/reviews/{review.pk}/"

    walk.sign_in("manager")
    walk.goto(home)
    walk.click("link", "Start the overview")
    walk.click("button", "Start the overview")
    walk.sign_out()

    # The overview author assesses and accepts each IMR, uploads the report and recommends.
    walk.sign_in("overview")
    walk.goto(home)
    walk.click("link", "Write the overview report")
    assert walk.h1() == "Overview report"
    for _ in range(2):
        walk.click("link", "Write the assessment")
        page.get_by_label("Your assessment of the IMR").fill(
            "Thorough and honest; it answers the terms of reference."
        )
        walk.click("button", "Save the assessment")
        assert "Assessment of" in walk.success()
        walk.click("link", "Accept")
        walk.click("button", "Accept the IMR")
        walk.goto(f"/reviews/{review.pk}/overview/")
    report = tmp_path / "overview.pdf"
    report.write_bytes(text_pdf("Overview report"))
    walk.click("link", "Upload the report")
    walk.upload("Upload the report", report, "Upload")
    assert "Overview report uploaded as version 1." in walk.success()
    walk.click("link", "Add a recommendation")
    page.get_by_label("Recommendation").fill(
        "The LSCB should audit how agencies share news of a new partner."
    )
    walk.click("button", "Add the recommendation")
    walk.click("link", "Send the overview report to the board")
    walk.click("button", "Send the overview report to the board")
    walk.sign_out()

    # The panel shares it with the hospital's senior manager.
    walk.sign_in("chair")
    walk.goto(f"/reviews/{review.pk}/overview/")
    walk.click("link", "Share with a senior manager")
    page.get_by_label("Share with").select_option(
        label="Helen Baptiste (Northbridge Teaching Hospitals NHS Trust)"
    )
    walk.click("button", "Share the report")
    assert "Overview report shared with Helen Baptiste." in walk.success()
    walk.sign_out()

    # The board returns it with a note, which reaches the author.
    walk.sign_in("board")
    walk.goto(home)
    walk.click("link", "Read the overview report and decide")
    assert walk.h1() == "The board's decision on the overview report"
    walk.click("link", "Return the overview report to its author")
    page.get_by_label("Note").fill(BOARD_NOTE)
    walk.click("button", "Return the overview report to its author")
    walk.sign_out()
    walk.sign_in("overview")
    walk.goto(f"/reviews/{review.pk}/overview/")
    assert BOARD_NOTE in page.get_by_role("region", name="Returned by the board").inner_text()
    walk.click("link", "Send the overview report to the board")
    walk.click("button", "Send the overview report to the board")
    walk.sign_out()

    walk.sign_in("board")
    walk.goto(f"/reviews/{review.pk}/board/")
    walk.click("link", "Approve the overview report")
    walk.click("button", "Approve the overview report")
    walk.sign_out()

    # The business manager builds the LSCB action plan from the recommendations.
    walk.sign_in("manager")
    walk.goto(home)
    walk.click("link", "Add the actions of the LSCB action plan")
    assert "Recommendation 1 has no action yet." in page.locator("#unanswered").inner_text()
    walk.click("link", "Add an action")
    due = timezone.localdate() + datetime.timedelta(days=90)
    page.get_by_label("What will be done").fill("Audit 20 cases where a new partner joined the household.")
    page.get_by_label("Which agency owns it?").select_option(label="The LSCB")
    page.get_by_label("Owner").fill("LSCB Business Manager")
    walk.date("due_on", due)
    page.get_by_label("How you will know it worked").fill(
        "The audit finds the partner known to every agency."
    )
    walk.click("button", "Add the action")
    assert "Action added to the LSCB action plan." in walk.success()
    assert page.locator("#unanswered").inner_text() == "Every recommendation has at least one action."
    walk.screenshot("overview-lscb-plan")

    review.refresh_from_db()
    assert review.state == ReviewState.ACTION_PLAN
    assert list(review.board_decisions.values_list("outcome", flat=True)) == [
        BoardDecision.Outcome.RETURNED,
        BoardDecision.Outcome.APPROVED,
    ]
    assert ActionItem.objects.filter(plan__review=review, plan__agency__isnull=True).count() == 1
    assert len(axe.pages) > 30
    assert axe.violations == []
