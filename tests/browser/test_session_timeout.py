"""The timeout warning (WCAG 2.2.1) and what was typed kept across the sign-out, in Chromium.

The session is made short through the settings, so the warning opens within seconds: at 130
seconds with a 120-second warning, the page warns 5 seconds after it loads (the script counts
a few seconds early, for the time the answer took to arrive).
"""

import json

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from reviews.management.commands.demo_data import DEMO_PASSWORD
from tests.browser.conftest import SHOTS

pytestmark = pytest.mark.django_db(transaction=True)


def session_end():
    (session,) = Session.objects.all()
    return session.expire_date


def test_the_warning_opens_takes_focus_and_stay_signed_in_keeps_the_session(demo, walk, axe, settings):
    settings.SESSION_COOKIE_AGE = 130
    settings.SESSION_WARNING_SECONDS = 120
    page = walk.page
    walk.sign_in("referrer")
    walk.goto(reverse("reviews:referral-create"))
    page.get_by_label("Child's full name").focus()

    dialog = page.get_by_role("alertdialog", name="You'll be signed out soon")
    dialog.wait_for(state="visible", timeout=15_000)
    focused = page.evaluate(
        "() => [document.activeElement.textContent.trim(), !!document.activeElement.closest('dialog[open]')]"
    )
    assert focused == ["Stay signed in", True]
    assert dialog.get_attribute("aria-modal") == "true"
    assert dialog.get_by_text("For your security, we will sign you out in").first.is_visible()
    assert dialog.get_by_role("button", name="Sign out").is_visible()
    axe.check(page)
    # The window as the person sees it, dialog and darkened page (docs/screenshots/session-timeout.png).
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "session-timeout.png")

    before = session_end()
    with page.expect_response(
        lambda response: response.url.endswith(reverse("session-keep-alive"))
    ) as answer:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert answer.value.status == 204
    assert dialog.is_hidden()
    # Focus goes back where it was, and the session's end has moved on by the seconds since the page loaded.
    assert page.evaluate("document.activeElement.id") == "id_child_name"
    assert (session_end() - before).total_seconds() >= 3
    # Still signed in: the next page shows.
    walk.goto(reverse("home"))
    assert walk.h1().startswith("Hello")
    assert axe.violations == []


def test_escape_keeps_the_person_signed_in_too(demo, walk, settings):
    settings.SESSION_COOKIE_AGE = 130
    settings.SESSION_WARNING_SECONDS = 120
    page = walk.page
    walk.sign_in("referrer")
    dialog = page.get_by_role("alertdialog", name="You'll be signed out soon")
    dialog.wait_for(state="visible", timeout=15_000)
    with page.expect_response(
        lambda response: response.url.endswith(reverse("session-keep-alive"))
    ) as answer:
        page.keyboard.press("Escape")
    assert (answer.value.status, dialog.is_hidden()) == (204, True)


def test_when_time_runs_out_what_was_typed_is_kept_and_put_back_after_signing_in(demo, walk, axe, settings):
    settings.SESSION_COOKIE_AGE = 8
    settings.SESSION_WARNING_SECONDS = 5
    page = walk.page
    walk.sign_in("referrer")
    walk.goto(reverse("reviews:referral-create"))
    page.get_by_label("Child's full name").fill("Sam Taylor")
    page.get_by_label("Summary of the incident").fill("Found with burns at home.")
    page.get_by_label("Serious injury").check()

    # Signed out at the end, to the sign-in page, which says why and that the text is kept.
    page.wait_for_url("**/sign-in/?timeout=1&next=%2Freferrals%2Fnew%2F", timeout=15_000)
    walk.checked()
    assert page.locator(".govuk-notification-banner__heading").inner_text() == (
        "You have been signed out because you had not used the service for 8 seconds. "
        "Sign in again to go back to the page you were on."
    )
    assert page.get_by_text("Your session ended; what you typed has been kept in this browser.").is_visible()
    kept = json.loads(page.evaluate("sessionStorage.getItem('scr-kept-form')"))
    assert (kept["path"], kept["reason"], [form["key"] for form in kept["forms"]]) == (
        "/referrals/new/",
        "timeout",
        ["#0"],
    )
    assert "csrfmiddlewaretoken" not in kept["forms"][0]["values"]

    # Signing in again goes back to the form, with what was typed put back, and the copy is gone.
    page.get_by_label("Username").fill("referrer")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(walk.base + reverse("reviews:referral-create"))
    assert page.get_by_label("Child's full name").input_value() == "Sam Taylor"
    assert page.get_by_label("Summary of the incident").input_value() == "Found with burns at home."
    assert page.get_by_label("Serious injury").is_checked()
    assert page.get_by_text("We have put back what you typed before you were signed out.").is_visible()
    assert page.evaluate("sessionStorage.getItem('scr-kept-form')") is None
    assert axe.violations == []


def test_someone_else_signing_in_gets_nothing_of_what_was_typed(demo, walk, settings):
    settings.SESSION_COOKIE_AGE = 8
    settings.SESSION_WARNING_SECONDS = 5
    page = walk.page
    walk.sign_in("referrer")
    walk.goto(reverse("reviews:referral-create"))
    page.get_by_label("Child's full name").fill("Sam Taylor")
    page.wait_for_url("**/sign-in/?timeout=1**", timeout=15_000)

    settings.SESSION_COOKIE_AGE = 1800
    walk.sign_in("manager")
    assert page.evaluate("sessionStorage.getItem('scr-kept-form')") is None
