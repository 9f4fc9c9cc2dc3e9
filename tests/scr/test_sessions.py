"""Sessions end after 30 minutes without a request and with the browser; pages warn two minutes before.

The browser side (the warning opening, "Stay signed in", what was typed kept across a sign-out)
is tested in tests/browser/test_session_timeout.py.
"""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews.models import Referral
from tests.html import parse

pytestmark = pytest.mark.django_db


def session_ends(client) -> datetime.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def set_session_end(client, when: datetime.datetime):
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=when)


def seconds_left(client) -> float:
    return (session_ends(client) - timezone.now()).total_seconds()


def test_a_session_lasts_30_minutes_without_a_request_and_ends_with_the_browser():
    assert (
        settings.SESSION_ENGINE,
        settings.SESSION_COOKIE_AGE,
        settings.SESSION_REFRESH_SECONDS,
        settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
        settings.SESSION_WARNING_SECONDS,
    ) == ("agencies.sessions", 1800, 60, True, 120)
    # After the session middleware, which saves the session it marks.
    middleware = settings.MIDDLEWARE
    assert middleware.index("agencies.sessions.IdleTimeoutMiddleware") == (
        middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1
    )


def test_signing_in_starts_a_30_minute_session_in_a_cookie_that_ends_with_the_browser(client, referrer):
    response = client.post(
        reverse("login"), {"username": referrer.username, "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # No Max-Age and no Expires: the browser forgets it when it closes.
    assert (cookie["max-age"], cookie["expires"], bool(cookie["httponly"])) == ("", "", True)
    assert 1795 <= seconds_left(client) <= 1800


def test_each_request_starts_the_30_minutes_again(client, referrer):
    client.force_login(referrer)
    set_session_end(client, timezone.now() + datetime.timedelta(seconds=60))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert 1795 <= seconds_left(client) <= 1800
    # The page counts from the whole length again.
    assert parse(response.content).one("body").attrs["data-session-seconds"] == "1800"


def test_a_request_within_a_minute_of_the_last_save_writes_nothing(client, referrer):
    client.force_login(referrer)
    ends = timezone.now() + datetime.timedelta(seconds=1750)
    set_session_end(client, ends)
    response = client.get(reverse("home"))
    assert session_ends(client) == ends
    # The page is told what is left: 1750 seconds, less the time the request took.
    assert 1745 <= int(parse(response.content).one("body").attrs["data-session-seconds"]) <= 1750


def test_a_request_a_minute_after_the_last_save_moves_the_end_on(client, referrer):
    client.force_login(referrer)
    set_session_end(client, timezone.now() + datetime.timedelta(seconds=1740))
    client.get(reverse("home"))
    assert 1795 <= seconds_left(client) <= 1800


def test_after_30_minutes_without_a_request_the_session_has_ended(client, referrer):
    client.force_login(referrer)
    set_session_end(client, timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("reviews:referral-create"))
    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('login')}?next=/referrals/new/",
    )


def test_a_form_sent_after_the_session_ended_is_not_saved_and_leads_to_sign_in_and_back(client, referrer):
    client.force_login(referrer)
    set_session_end(client, timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(reverse("reviews:referral-create"), {"child_name": "Alex Smith"})
    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('login')}?next=/referrals/new/&ended=1",
    )
    assert Referral.objects.count() == 0
    # The sign-in page says so, with or without the script that kept what was typed.
    page = client.get(response["Location"]).content.decode()
    assert "Your session had ended, so what you sent was not saved. Sign in, then send it again." in page
    # Only a form sent after its session ended: a page asked for is no news.
    assert (
        client.get(reverse("reviews:referral-create"))["Location"]
        == f"{reverse('login')}?next=/referrals/new/"
    )


# Keep-alive: "Stay signed in"


def test_keep_alive_starts_the_30_minutes_again_and_answers_no_content(client, referrer):
    client.force_login(referrer)
    set_session_end(client, timezone.now() + datetime.timedelta(seconds=100))
    response = client.post(reverse("session-keep-alive"))
    assert (response.status_code, response.content) == (204, b"")
    assert "no-store" in response["Cache-Control"]
    assert 1795 <= seconds_left(client) <= 1800


def test_keep_alive_after_the_session_ended_is_refused_and_starts_nothing(client, referrer):
    client.force_login(referrer)
    set_session_end(client, timezone.now() - datetime.timedelta(seconds=1))
    assert client.post(reverse("session-keep-alive")).status_code == 403
    assert Session.objects.filter(expire_date__gt=timezone.now()).count() == 0


def test_keep_alive_needs_the_csrf_token(referrer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(referrer)
    page = parse(client.get(reverse("home")).content)
    token = page.one("dialog").one("input", name="csrfmiddlewaretoken").attrs["value"]
    assert client.post(reverse("session-keep-alive")).status_code == 403
    assert client.post(reverse("session-keep-alive"), headers={"X-CSRFToken": token}).status_code == 204


def test_keep_alive_is_post_only(client, referrer):
    client.force_login(referrer)
    assert client.get(reverse("session-keep-alive")).status_code == 405


# The warning on the page


def test_signed_in_pages_carry_the_session_length_and_the_warning(client, referrer):
    client.force_login(referrer)
    response = client.get(reverse("reviews:referral-create"))
    page = parse(response.content)
    body = page.one("body")
    # Just signed in: the whole length left, less the time the request took.
    assert 1795 <= int(body.attrs["data-session-seconds"]) <= 1800
    assert {name: value for name, value in body.attrs.items() if name.startswith("data-session")} == {
        "data-session-seconds": body.attrs["data-session-seconds"],
        "data-session-length": "1800",
        "data-session-warning-seconds": "120",
        "data-session-user": str(referrer.pk),
    }
    dialog = page.one("dialog")
    assert {name: dialog.attrs.get(name) for name in DIALOG} == DIALOG
    assert page.one(id="session-timeout-title").text() == "You'll be signed out soon"
    assert page.one(id="session-timeout-text").attrs["aria-live"] == "polite"
    assert dialog.one("button", cls="govuk-button").text() == "Stay signed in"
    sign_out = dialog.one("form")
    assert (sign_out.attrs["method"], sign_out.attrs["action"], sign_out.one("button").text()) == (
        "post",
        reverse("logout"),
        "Sign out",
    )
    # The script is a file (the policy allows no inline script but the nonced ones).
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    script = page.one("script", src="/static/js/session-timeout.js")
    assert (script.attrs["type"], script.attrs["nonce"]) == ("module", nonce)
    assert not script.text()
    # Hidden until the script puts back what was typed.
    restored = page.one(data_session_restored="")
    assert (restored.inside(page.one("main")), "hidden" in restored.attrs, restored.attrs["role"]) == (
        True,
        True,
        "alert",
    )
    # Below the page's content: no heading of the warning comes before the page's h1.
    assert dialog.position > page.one("footer").position


DIALOG = {
    "id": "session-timeout",
    "role": "alertdialog",
    "aria-modal": "true",
    "aria-labelledby": "session-timeout-title",
    "aria-describedby": "session-timeout-text",
    "data-keep-alive-url": "/session/keep-alive/",
    "data-sign-in-url": "/sign-in/",
}


def test_the_warning_follows_the_settings(client, referrer, settings):
    settings.SESSION_COOKIE_AGE = 600
    settings.SESSION_WARNING_SECONDS = 90
    client.force_login(referrer)
    body = parse(client.get(reverse("home")).content).one("body")
    assert 595 <= int(body.attrs["data-session-seconds"]) <= 600
    assert (body.attrs["data-session-length"], body.attrs["data-session-warning-seconds"]) == ("600", "90")


def test_signed_out_pages_have_no_timer_nor_warning(client):
    page = parse(client.get(reverse("login")).content)
    assert [name for name in page.one("body").attrs if name.startswith("data-session")] == []
    assert page.all("dialog") == []
    assert page.all(data_session_restored="") == []
    # The script still runs: it says here when what was typed is kept, hidden until then.
    assert len(page.all("script", src="/static/js/session-timeout.js")) == 1
    notice = page.one(data_session_kept="")
    assert ("hidden" in notice.attrs, notice.text()) == (
        True,
        "Your session ended; what you typed has been kept in this browser. "
        "Sign in again to carry on where you were.",
    )


def test_the_sign_in_page_after_a_timeout_says_why_and_keeps_the_page_to_go_back_to(client):
    response = client.get(reverse("login"), {"timeout": "1", "next": "/referrals/new/"})
    page = parse(response.content)
    assert page.one(cls="govuk-notification-banner__heading").text() == (
        "You have been signed out because you had not used the service for 30 minutes. "
        "Sign in again to go back to the page you were on."
    )
    assert page.one("input", name="next").attrs["value"] == "/referrals/new/"
    assert parse(client.get(reverse("login")).content).all(cls="govuk-notification-banner") == []


def test_the_timeout_signs_out_to_the_sign_in_page_and_back(client, referrer):
    """What the script sends when the time runs out: the dialog's sign-out form, with next."""
    client.force_login(referrer)
    timed_out = f"{reverse('login')}?timeout=1&next=%2Freferrals%2Fnew%2F"
    response = client.post(reverse("logout"), {"next": timed_out})
    assert (response.status_code, response["Location"]) == (302, timed_out)
    assert Session.objects.count() == 0
    response = client.post(
        timed_out,
        {
            "username": referrer.username,
            "password": "correct horse battery staple",
            "next": "/referrals/new/",
        },
    )
    assert (response.status_code, response["Location"]) == (302, "/referrals/new/")
