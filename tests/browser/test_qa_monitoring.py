"""The QA sub-group's monitoring meeting in a browser: the overdue actions, a monitoring note, a verification."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import ActionItem, MonitoringNote, Review

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "Discussed at the sub-group: the owner is asked for the training register by the next meeting."


def caption(page):
    return page.locator("#list-summary").inner_text()


def filter_actions(page, label, option):
    page.get_by_label(label).select_option(label=option)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()


def history(page):
    return page.locator("#history ~ div table tbody tr").all_inner_texts()


def test_the_qa_sub_group_monitors_the_overdue_actions_and_verifies_a_completed_one(
    demo, open_page, axe, live_server
):
    today = timezone.localdate()
    overdue = ActionItem.objects.filter(due_on__lt=today).exclude(state__in=ActionItem.DONE)
    assert overdue.count() == 5, "the demo gives the sub-group overdue actions to talk about"
    page = open_page("qa", width=1280)
    page.set_default_timeout(10_000)

    # The monitoring page, from the navigation.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Actions", exact=True).click()
    assert page.locator("main h1").inner_text() == "Actions"
    assert caption(page).startswith(f"{ActionItem.objects.count()} actions, sorted by due")
    axe.check(page)

    # The red ones: every overdue action, and nothing else.
    filter_actions(page, "Red, amber or green", "Red: overdue")
    assert "colour=red" in page.url
    assert caption(page).startswith(f"{overdue.count()} actions, sorted by due")
    rows = page.locator("main table tbody tr")
    assert rows.count() == overdue.count()
    assert set(rows.locator("td:nth-child(5)").all_inner_texts()) == {"Overdue"}
    descriptions = rows.locator("td:nth-child(7) a").all_inner_texts()
    first = overdue.order_by("due_on", "pk").first()
    assert descriptions[0] == first.description
    assert rows.first.locator("td:nth-child(7) div").inner_text() == f"Owner: {first.owner}"
    axe.check(page)

    # The CSV of the filtered list, as its link downloads it: the header row, then the red rows.
    href = page.get_by_role("link", name="CSV").get_attribute("href")
    assert "colour=red" in href
    download = page.request.get(live_server.url + href)
    assert download.ok and download.headers["content-type"].startswith("text/csv")
    lines = download.text().lstrip("\ufeff").splitlines()
    assert lines[0] == (
        "Review,Agency,Plan,Recommendation,Action,Owner,How we will know it worked,Due,Status,Colour,"
        "Completed on,Evidence,Last update from its owner,Latest progress,Latest monitoring note,"
        "Last reminder sent"
    )
    assert len(lines) == 1 + overdue.count() and all(",Red," in line for line in lines[1:])

    # The first overdue action, and a monitoring note on it: refused empty, then recorded.
    rows.first.locator("td:nth-child(7) a").click()
    assert page.url == live_server.url + reverse("reviews:action-detail", args=[first.pk])
    assert page.locator("main h1").inner_text() == "Action"
    assert "Overdue" in page.locator(".govuk-summary-list").inner_text()
    axe.check(page)
    page.get_by_role("link", name="Record a monitoring note").click()
    axe.check(page)
    page.get_by_role("button", name="Record the note").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter the monitoring note" in summary.inner_text()
    assert summary.get_by_role("link", name="Enter the monitoring note").count() == 1
    axe.check(page)
    page.get_by_label("Monitoring note").fill(NOTE)
    page.get_by_role("button", name="Record the note").click()
    assert page.url == live_server.url + reverse("reviews:action-detail", args=[first.pk])
    assert "Monitoring note recorded." in page.locator(".govuk-notification-banner--success").inner_text()
    assert MonitoringNote.objects.filter(item=first, note=NOTE, recorded_by__username="qa").count() == 1
    newest = history(page)[0]
    assert "Fiona MacLeod" in newest and "Monitoring note" in newest and NOTE in newest
    axe.check(page)

    # A completed action, found through the status filter, verified.
    page.get_by_role("link", name="Back to the actions").click()
    filter_actions(page, "Status", "Completed")
    completed = ActionItem.objects.filter(state=ActionItem.State.COMPLETED)
    assert caption(page).startswith(f"{completed.count()} action")
    assert set(page.locator("main table tbody tr td:nth-child(4)").all_inner_texts()) == {"Completed"}
    axe.check(page)
    item = completed.order_by("due_on", "pk").first()
    page.get_by_role("link", name=item.description).click()
    assert page.locator("#evidence ~ table").inner_text().count(".pdf") == 1
    axe.check(page)
    page.get_by_role("link", name="Verify the action").click()
    assert page.locator("main h1").inner_text() == "Verify the action?"
    axe.check(page)
    page.get_by_role("button", name="Verify the action").click()
    assert "Done: Verify the action." in page.locator(".govuk-notification-banner--success").inner_text()
    status = page.locator(".govuk-summary-list__row", has_text="Status").locator("dd").inner_text()
    assert status.startswith("Verified by the QA sub-group")
    newest = history(page)[0]
    assert "Fiona MacLeod" in newest and "Completed → Verified by the QA sub-group" in newest
    item.refresh_from_db()
    assert item.state == ActionItem.State.VERIFIED
    # Verified, the action may still be reopened should later evidence show it did not work.
    assert page.get_by_role("link", name="Verify the action").count() == 0
    assert page.get_by_role("link", name="Reopen the action").count() == 1
    axe.check(page)

    # The charts across reviews, one review's progress and the themes that recur.
    page.goto(live_server.url + reverse("reviews:action-charts"))
    assert page.locator("main h1").count() == 1
    axe.check(page)
    review = Review.objects.get(referral__child_name="Kayden Moss")
    page.goto(live_server.url + f"/reviews/{review.pk}/action-plan/progress/")
    assert page.locator("main h1").count() == 1
    axe.check(page)
    page.goto(live_server.url + reverse("reviews:theme-recurrence"))
    assert page.locator("main h1").count() == 1
    axe.check(page)
    assert len(axe.pages) == 13
    assert axe.violations == []
