"""Two-factor sign-in: setting up an authenticator app, the code after the password, and REQUIRE_2FA."""

import base64
import binascii
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.views import PENDING_KEY
from reviews.models import AuditEvent
from tests.html import parse

A = AuditEvent.Action
PASSWORD = "correct horse battery staple"

# Some personas are asked for by name (request.getfixturevalue): marked, so pytest-django runs
# these tests before the transactional ones, which empty the role groups.
pytestmark = pytest.mark.django_db


def code_for(key: str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now for the hex secret `key` (or a later one)."""
    totp = TOTP(binascii.unhexlify(key))
    totp.time = totp.time + steps_ahead * 30
    return f"{totp.token():06d}"


def wrong_code(key: str) -> str:
    right = {code_for(key, steps_ahead=n) for n in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def errors(response):
    page = parse(response.content)
    return [item.text() for item in page.one(cls="govuk-error-summary__list").all("li")]


# Setting up


def test_the_setup_page_shows_a_qr_code_and_the_key(client, board_member):
    client.force_login(board_member)
    response = client.get(reverse("accounts:two-factor-setup"))
    assert response.status_code == 200
    page = parse(response.content)
    assert page.one("h1").text() == "Set up two-factor sign-in"
    image = page.one("img", cls="app-qr-code")
    assert image.attrs["src"].startswith("data:image/svg+xml;base64,")
    assert image.attrs["alt"] == "QR code to scan with your authenticator app"
    svg = base64.b64decode(image.attrs["src"].split(",", 1)[1]).decode()
    assert svg.startswith("<?xml") and "<svg" in svg
    key = client.session[PENDING_KEY]
    secret = base64.b32encode(binascii.unhexlify(key)).decode().rstrip("=")
    assert page.one(id="secret-key").text().replace(" ", "") == secret
    # The same key until it is confirmed, so a page reloaded still matches the app.
    client.get(reverse("accounts:two-factor-setup"))
    assert client.session[PENDING_KEY] == key


def test_a_correct_code_turns_two_factor_sign_in_on(client, board_member):
    client.force_login(board_member)
    client.get(reverse("accounts:two-factor-setup"))
    key = client.session[PENDING_KEY]
    response = client.post(reverse("accounts:two-factor-setup"), {"code": code_for(key), "next": "/"})
    assert (response.status_code, response["Location"]) == (302, "/")
    device = TOTPDevice.objects.get(user=board_member)
    assert (device.key, device.confirmed, device.last_used_at is not None) == (key, True, True)
    row = AuditEvent.objects.get(action=A.DEVICE_ADDED)
    assert (row.actor, row.object_type, row.object_id, row.summary) == (
        board_member,
        "otp_totp.totpdevice",
        str(device.pk),
        "Set up two-factor sign-in",
    )
    # Verified for this session already; the page now says it is on.
    page = parse(client.get(reverse("accounts:two-factor-setup")).content)
    assert page.one("h1").text() == "Two-factor sign-in"
    assert "Two-factor sign-in is on." in page.text()
    assert "Not yet" not in page.text()
    assert "Two-factor sign-in is on." in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12ab56", "The code must be 6 digits"),
        ("12345", "The code must be 6 digits"),
        ("wrong", "The code is not correct. Check your authenticator app and enter the code it shows now"),
    ],
)
def test_a_missing_malformed_or_wrong_code_is_refused(client, board_member, typed, message):
    client.force_login(board_member)
    client.get(reverse("accounts:two-factor-setup"))
    if typed == "wrong":
        typed = wrong_code(client.session[PENDING_KEY])
    response = client.post(reverse("accounts:two-factor-setup"), {"code": typed})
    assert response.status_code == 400
    assert errors(response) == [message]
    assert parse(response.content).one(id="id_code-error").text() == f"Error: {message}"
    assert not TOTPDevice.objects.exists()


def test_a_code_with_a_space_in_the_middle_is_accepted(client, board_member):
    client.force_login(board_member)
    client.get(reverse("accounts:two-factor-setup"))
    code = code_for(client.session[PENDING_KEY])
    response = client.post(reverse("accounts:two-factor-setup"), {"code": f" {code[:3]} {code[3:]} "})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=board_member, confirmed=True).exists()


# Signing in with a code


@pytest.fixture
def device(panel_member):
    return TOTPDevice.objects.create(user=panel_member, name="Authenticator app", confirmed=True)


def test_a_person_with_an_app_is_asked_for_the_code_before_any_page(client, device):
    response = sign_in(client, "panel")
    assert (response.status_code, response["Location"]) == (302, reverse("home"))
    code_page = f"{reverse('accounts:two-factor-verify')}?next=%2Ftracker%2F"
    response = client.get(reverse("reviews:tracker"))
    assert (response.status_code, response["Location"]) == (302, code_page)
    page = parse(client.get(code_page).content)
    assert page.one("h1").text() == "Enter the code from your authenticator app"
    # Not the setup page either: without the code nobody may remove or replace the app.
    assert client.get(reverse("accounts:two-factor-setup")).status_code == 302
    assert client.post(reverse("accounts:two-factor-remove")).status_code == 302
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    response = client.post(code_page, {"code": code_for(device.key), "next": "/tracker/"})
    assert (response.status_code, response["Location"]) == (302, "/tracker/")
    assert client.get(reverse("reviews:tracker")).status_code == 200
    row = AuditEvent.objects.get(action=A.CODE_ACCEPTED)
    assert (row.actor, row.object_id, row.summary, row.address) == (
        device.user,
        str(device.pk),
        "Two-factor code accepted",
        "127.0.0.1",
    )


def test_a_wrong_code_is_refused_audited_and_makes_the_next_try_wait(client, device):
    sign_in(client, "panel")
    code_page = reverse("accounts:two-factor-verify")
    response = client.post(code_page, {"code": wrong_code(device.key)})
    assert response.status_code == 400
    assert errors(response) == [
        "The code is not correct. Check your authenticator app and enter the code it shows now"
    ]
    assert client.get(reverse("home")).status_code == 302
    # At once, even the right code waits: django-otp's throttling doubles the wait after each wrong one.
    response = client.post(code_page, {"code": code_for(device.key)})
    assert errors(response) == ["You entered a wrong code too many times. Wait 1 second and try again"]
    refused = AuditEvent.objects.filter(action=A.CODE_REFUSED).order_by("pk")
    assert [row.summary for row in refused] == [
        "Two-factor code refused (1 wrong in a row)",
        "Two-factor code refused (1 wrong in a row)",
    ]
    # Once the wait is over, the right code signs in.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(seconds=2)
    )
    response = client.post(code_page, {"code": code_for(device.key)})
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_a_code_is_accepted_once_only(client, device):
    code = code_for(device.key)
    sign_in(client, "panel")
    assert client.post(reverse("accounts:two-factor-verify"), {"code": code}).status_code == 302
    client.post(reverse("logout"))
    sign_in(client, "panel")
    response = client.post(reverse("accounts:two-factor-verify"), {"code": code})
    assert response.status_code == 400


def test_sign_out_needs_no_code(client, device):
    sign_in(client, "panel")
    response = client.post(reverse("logout"))
    assert (response.status_code, response["Location"]) == (302, reverse("login"))
    assert "_auth_user_id" not in client.session


def test_the_next_page_must_be_ours(client, device):
    sign_in(client, "panel")
    response = client.post(
        reverse("accounts:two-factor-verify"), {"code": code_for(device.key), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_removing_the_app_asks_first_and_is_audited(client, device):
    sign_in(client, "panel")
    client.post(reverse("accounts:two-factor-verify"), {"code": code_for(device.key)})
    assert parse(client.get(reverse("accounts:two-factor-remove")).content).one("h1").text() == (
        "Remove two-factor sign-in?"
    )
    response = client.post(reverse("accounts:two-factor-remove"))
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:two-factor-setup"))
    assert not TOTPDevice.objects.exists()
    row = AuditEvent.objects.get(action=A.DEVICE_REMOVED)
    assert (row.actor, row.object_id, row.summary) == (
        device.user,
        str(device.pk),
        "Removed two-factor sign-in",
    )
    # The next sign-in needs the password only.
    client.post(reverse("logout"))
    sign_in(client, "panel")
    assert client.get(reverse("reviews:tracker")).status_code == 200


def test_a_superuser_removes_a_lost_app_with_the_command(device, db):
    from django.core.management import call_command

    from agencies.models import User

    root = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    call_command("two_factor_remove", "panel", "--by", "root", stdout=None)
    assert not TOTPDevice.objects.exists()
    row = AuditEvent.objects.get(action=A.DEVICE_REMOVED)
    assert (row.actor, row.summary) == (root, "Removed two-factor sign-in of “panel”")


# REQUIRE_2FA


@pytest.fixture
def required(settings):
    settings.REQUIRE_2FA = True


def test_without_require_2fa_nobody_is_sent_to_set_up(client, panel_member):
    sign_in(client, "panel")
    assert client.get(reverse("reviews:tracker")).status_code == 200


@pytest.mark.parametrize(
    "who", ["panel_member", "panel_chair", "business_manager", "imr_author", "overview_author"]
)
def test_those_who_see_identities_are_sent_to_set_up_an_app_first(client, required, request, who):
    person = request.getfixturevalue(who)
    sign_in(client, person.username)
    response = client.get(reverse("home"))
    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('accounts:two-factor-setup')}?next=%2F",
    )
    page = parse(client.get(reverse("accounts:two-factor-setup")).content)
    assert "you need two-factor sign-in before you can use the service" in page.text()
    # Set up, they go on.
    key = client.session[PENDING_KEY]
    client.post(reverse("accounts:two-factor-setup"), {"code": code_for(key)})
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("who", ["board_member", "qa_member", "referrer", "agency_manager"])
def test_others_are_not_sent_to_set_up(client, required, request, who):
    person = request.getfixturevalue(who)
    sign_in(client, person.username)
    assert client.get(reverse("home")).status_code == 200


def test_with_require_2fa_an_app_set_up_asks_for_its_code(client, required, device):
    sign_in(client, "panel")
    response = client.get(reverse("home"))
    assert response["Location"] == f"{reverse('accounts:two-factor-verify')}?next=%2F"


def test_with_require_2fa_the_admin_asks_staff_to_set_up_an_app(client, required, db):
    from agencies.models import User

    User.objects.create_superuser("root", "root@example.org", PASSWORD)
    response = client.post(
        reverse("admin:login"), {"username": "root", "password": PASSWORD, "next": "/admin/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('accounts:two-factor-setup')}?next=%2Fadmin%2F",
    )
