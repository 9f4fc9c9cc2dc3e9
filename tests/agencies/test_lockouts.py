"""The business manager's Locked accounts page, and the audit log of signing in."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from reviews.models import AuditEvent
from tests.html import parse

A = AuditEvent.Action
PASSWORD = "correct horse battery staple"

# Some personas are asked for by name (request.getfixturevalue): marked, so pytest-django runs
# these tests before the transactional ones, which empty the role groups.
pytestmark = pytest.mark.django_db


def sign_in(client, username, password, *, address="127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def locked(panel_member):
    """The panel member's ten wrong passwords, from 127.0.0.1: they are locked out."""
    from django.test import Client

    client = Client()
    for _ in range(10):
        sign_in(client, "panel", "wrong password")
    assert sign_in(client, "panel", PASSWORD).status_code == 429
    return AccessAttempt.objects.get()


def test_the_manager_sees_the_lockout(client, business_manager, locked):
    client.force_login(business_manager)
    response = client.get(reverse("accounts:lockout-list"))
    assert response.status_code == 200
    page = parse(response.content)
    assert page.one("h1").text() == "Locked accounts"
    assert page.one(id="list-summary").text() == "1 lockout, sorted by last failed, descending"
    cells = [cell.text() for cell in page.one("tbody").one("tr").all("td")]
    assert cells[1:4] == ["panel", "127.0.0.1", "10"]
    form = page.one("tbody").one("form")
    assert (form.attrs["method"], form.attrs["action"]) == (
        "post",
        reverse("accounts:lockout-clear", args=[locked.pk]),
    )


def test_a_few_failures_are_not_a_lockout(client, business_manager, panel_member):
    for _ in range(3):
        sign_in(client, "panel", "wrong password")
    client.force_login(business_manager)
    page = parse(client.get(reverse("accounts:lockout-list")).content)
    assert "Nobody is locked out." in page.text()


def test_the_manager_clears_a_lockout_and_the_person_signs_in(client, business_manager, locked):
    client.force_login(business_manager)
    response = client.post(reverse("accounts:lockout-clear", args=[locked.pk]), follow=True)
    assert response.redirect_chain == [(reverse("accounts:lockout-list"), 302)]
    assert "“panel” and the address 127.0.0.1 can sign in again." in response.content.decode()
    assert not AccessAttempt.objects.exists()
    row = AuditEvent.objects.get(action=A.LOCKOUT_CLEARED)
    assert (row.actor, row.object_type, row.object_id, row.address, row.review) == (
        business_manager,
        "agencies.user",
        str(locked_user_pk(locked)),
        "127.0.0.1",
        None,
    )
    assert row.summary == "Cleared the lockout of “panel” from 127.0.0.1 (10 failed sign-ins forgotten)"
    client.post(reverse("logout"))
    response = sign_in(client, "panel", PASSWORD)
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def locked_user_pk(attempt):
    from agencies.models import User

    return User.objects.get(username=attempt.username).pk


def test_the_clear_page_asks_first(client, business_manager, locked):
    client.force_login(business_manager)
    response = client.get(reverse("accounts:lockout-clear", args=[locked.pk]))
    assert response.status_code == 200
    assert parse(response.content).one("h1").text() == "Let “panel” sign in again?"
    assert AccessAttempt.objects.filter(pk=locked.pk).exists()


@pytest.mark.parametrize("who", ["panel_chair", "board_member", "imr_author"])
def test_anyone_but_the_manager_gets_404_and_a_denied_row(client, request, who, locked):
    person = request.getfixturevalue(who)
    client.force_login(person)
    assert client.get(reverse("accounts:lockout-list")).status_code == 404
    assert client.post(reverse("accounts:lockout-clear", args=[locked.pk])).status_code == 404
    assert AccessAttempt.objects.filter(pk=locked.pk).exists()
    denied = AuditEvent.objects.filter(action=A.DENIED, actor=person).order_by("pk")
    assert [(row.object_type, row.object_id, row.summary) for row in denied] == [
        ("axes.accessattempt", "", "Tried to open the locked accounts"),
        ("axes.accessattempt", str(locked.pk), "Tried to clear the lockout of “panel”"),
    ]


def test_the_locked_accounts_page_is_in_the_managers_menu_only(client, business_manager, panel_chair):
    client.force_login(business_manager)
    assert reverse("accounts:lockout-list") in client.get(reverse("home")).content.decode()
    client.force_login(panel_chair)
    assert reverse("accounts:lockout-list") not in client.get(reverse("home")).content.decode()


# The audit log of signing in


def test_sign_in_failure_lockout_and_sign_out_are_audited(client, panel_member):
    sign_in(client, "panel", "wrong password", address="203.0.113.5")
    sign_in(client, "nobody", "wrong password", address="203.0.113.5")
    sign_in(client, "panel", PASSWORD, address="203.0.113.5")
    client.post(reverse("logout"), REMOTE_ADDR="203.0.113.5")
    rows = AuditEvent.objects.order_by("pk")
    assert [(r.action, r.actor, r.object_type, r.object_id, r.summary, r.address) for r in rows] == [
        (
            A.SIGN_IN_FAILED,
            None,
            "agencies.user",
            str(panel_member.pk),
            "Sign-in as “panel” refused: wrong username or password",
            "203.0.113.5",
        ),
        (
            A.SIGN_IN_FAILED,
            None,
            "agencies.user",
            "",
            "Sign-in as “nobody” refused: wrong username or password",
            "203.0.113.5",
        ),
        (
            A.SIGNED_IN,
            panel_member,
            "agencies.user",
            str(panel_member.pk),
            "Signed in as “panel”",
            "203.0.113.5",
        ),
        (
            A.SIGNED_OUT,
            panel_member,
            "agencies.user",
            str(panel_member.pk),
            "Signed out “panel”",
            "203.0.113.5",
        ),
    ]
    assert not rows.exclude(review=None).exists()


def test_the_lockout_and_each_refused_try_are_audited(client, panel_member):
    for _ in range(10):
        sign_in(client, "panel", "wrong password")
    sign_in(client, "panel", PASSWORD)
    rows = list(AuditEvent.objects.order_by("pk").values_list("action", "summary", "address"))
    wrong = (A.SIGN_IN_FAILED, "Sign-in as “panel” refused: wrong username or password", "127.0.0.1")
    # django-axes counts the tenth failure, and locks, before the failure's own row is written.
    assert rows == [
        *[wrong] * 9,
        (A.LOCKED_OUT, "Locked out after 10 failed sign-ins: “panel” from 127.0.0.1", "127.0.0.1"),
        wrong,
        (A.SIGN_IN_FAILED, "Sign-in as “panel” refused: locked out", "127.0.0.1"),
    ]


def test_a_typed_username_is_kept_short_and_on_one_line(client, db):
    sign_in(client, "x\nDROP\tTABLE;\u202e" + "y" * 136, "wrong")
    row = AuditEvent.objects.get()
    assert row.summary == "Sign-in as “x DROP TABLE; " + "y" * 136 + "” refused: wrong username or password"


def test_the_locked_accounts_page_costs_the_same_at_two_sizes(client, business_manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def lockouts(start, end):
        for n in range(start, end):
            AccessAttempt.objects.create(
                username=f"person{n}",
                ip_address=f"203.0.113.{n}",
                user_agent="Browser",
                http_accept="*/*",
                path_info="/sign-in/",
                get_data="",
                post_data="",
                failures_since_start=10,
            )

    client.force_login(business_manager)
    lockouts(0, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("accounts:lockout-list")).status_code == 200
    lockouts(3, 60)
    with CaptureQueriesContext(connection) as more:
        response = client.get(reverse("accounts:lockout-list"))
    assert parse(response.content).one(id="list-summary").text() == (
        "60 lockouts, sorted by last failed, descending; page 1 of 2"
    )
    assert len(more.captured_queries) == len(few.captured_queries)
