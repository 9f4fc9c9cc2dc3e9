from datetime import timedelta

import pytest
from django.urls import reverse

from reviews.management.commands.demo_data import DEMO_PASSWORD, PEOPLE
from tests.html import parse


@pytest.fixture
def demo(db, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("demo_data", stdout=None)


def test_sign_in_page_is_served(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Sign in</h1>' in response.content.decode()
    assert "nonce-" in response["Content-Security-Policy"]


def test_pages_need_sign_in(client, db):
    response = client.get(reverse("home"))
    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next=/")


@pytest.mark.parametrize("username", [*PEOPLE, "admin"])
def test_each_demo_user_signs_in_and_sees_home(client, demo, username):
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain == [(reverse("home"), 302)]
    page = response.content.decode()
    assert "Sign out" in page
    assert f"Hello, {response.context['user'].first_name}" in page


def test_wrong_password_shows_the_error_summary(client, demo):
    response = client.post(reverse("login"), {"username": "chair", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Please enter a correct username and password." in page
    assert "_auth_user_id" not in client.session


def test_wrong_password_error_is_linked_to_the_username_and_shown_there(client, demo):
    response = client.post(reverse("login"), {"username": "chair", "password": "wrong"})
    page = parse(response.content)
    message = "Please enter a correct username and password. Note that both fields may be case-sensitive."
    summary = page.one(cls="govuk-error-summary__list")
    assert [(link.attrs["href"], link.text()) for link in summary.all("a")] == [("#id_username", message)]
    assert summary.text() == message
    field = page.one("input", id="id_username")
    assert field.attrs["aria-describedby"].split() == ["id_username-error"]
    assert "govuk-input--error" in field.classes
    assert page.one(id="id_username-error").text() == f"Error: {message}"
    assert "govuk-form-group--error" in field.parent.classes
    # The username stays filled in; the password does not.
    assert (field.attrs["value"], page.one("input", id="id_password").attrs.get("value")) == ("chair", None)


def test_sign_out_is_post_only(client, demo):
    client.post(reverse("login"), {"username": "chair", "password": DEMO_PASSWORD})
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert (response.status_code, response["Location"]) == (302, reverse("login"))
    assert "_auth_user_id" not in client.session


# Lockout (docs/security.md): 10 failures for one username, or from one address.


def sign_in(client, username, password, *, address="127.0.0.1", path=None):
    return client.post(
        path or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def locked_until():
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.db.models import Max
    from django.utils import timezone

    latest = AccessAttempt.objects.aggregate(latest=Max("attempt_time"))["latest"]
    return timezone.localtime(latest + settings.AXES_COOLOFF_TIME)


def assert_lockout_page(response):
    from agencies.signin import when_words

    until = locked_until()
    page = parse(response.content)
    assert response.status_code == 429
    assert page.one("h1").text() == "Your account is locked"
    assert (
        f"To protect the records, you cannot sign in until {when_words(until)}. Trying again before then does not "
        "unlock it, even with the right password." in page.text()
    )
    assert "Contact your Local Safeguarding Children Board's business manager." in page.text()


def test_ten_wrong_passwords_lock_a_demo_account_so_the_right_one_is_refused(client, demo):
    for _ in range(9):
        assert sign_in(client, "chair", "wrong password").status_code == 200
    assert_lockout_page(sign_in(client, "chair", "wrong password"))
    response = sign_in(client, "chair", DEMO_PASSWORD)
    assert_lockout_page(response)
    assert "_auth_user_id" not in client.session
    # From another address too: the username itself is locked.
    assert_lockout_page(sign_in(client, "chair", DEMO_PASSWORD, address="198.51.100.7"))


@pytest.mark.parametrize(
    ("hour", "minute", "words"),
    [
        (14, 55, "2:55pm on 30 November 2026"),
        (9, 5, "9:05am on 30 November 2026"),
        (12, 0, "midday on 30 November 2026"),
        (0, 0, "midnight on 30 November 2026"),
    ],
)
def test_the_lockout_end_is_said_the_gov_uk_way(hour, minute, words):
    from datetime import datetime

    from agencies.signin import when_words

    assert when_words(datetime(2026, 11, 30, hour, minute)) == words


def test_nine_wrong_passwords_do_not_lock(client, demo):
    for _ in range(9):
        sign_in(client, "chair", "wrong password")
    response = sign_in(client, "chair", DEMO_PASSWORD)
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_ten_failures_from_one_address_lock_it_whatever_the_usernames(client, demo):
    for n in range(10):
        sign_in(client, f"guess{n}", "wrong password", address="203.0.113.5")
    assert_lockout_page(sign_in(client, "panel", DEMO_PASSWORD, address="203.0.113.5"))
    # The same person from elsewhere is not locked: their username has no failures.
    response = sign_in(client, "panel", DEMO_PASSWORD, address="198.51.100.7")
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_the_lockout_ends_after_the_cool_off(client, demo, settings):
    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(10):
        sign_in(client, "chair", "wrong password")
    assert sign_in(client, "chair", DEMO_PASSWORD).status_code == 429
    # Half an hour (AXES_COOLOFF_TIME) and a second after the last failure.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    response = sign_in(client, "chair", DEMO_PASSWORD)
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_the_admin_sign_in_is_locked_too(client, demo):
    admin_login = reverse("admin:login")
    for _ in range(10):
        sign_in(client, "admin", "wrong password", path=admin_login)
    assert_lockout_page(sign_in(client, "admin", DEMO_PASSWORD, path=admin_login))
    # And the product's sign-in page refuses the same username.
    assert sign_in(client, "admin", DEMO_PASSWORD).status_code == 429


def test_the_attempted_password_is_never_stored(client, demo):
    from axes.models import AccessAttempt

    from reviews.models import AuditEvent

    for _ in range(10):
        sign_in(client, "chair", "Secret-Guess-4711")
    stored = [
        *AccessAttempt.objects.values_list("post_data", "get_data"),
        *AuditEvent.objects.values_list("summary"),
    ]
    assert stored and not any("Secret-Guess-4711" in text for row in stored for text in row)


def test_the_client_address_is_remote_addr_unless_proxies_are_trusted(rf, settings):
    from agencies.signin import client_address

    request = rf.post("/sign-in/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.1"
    # One proxy: it appended the address it was reached from; what came before is the client's own say.
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.5"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "6.6.6.6"
    # Fewer addresses than proxies, or rubbish: the proxy's own address.
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_address(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    bad = rf.post("/sign-in/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    assert client_address(bad) == "10.0.0.1"


def test_failures_behind_a_trusted_proxy_lock_the_client_address(client, demo, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        client.post(
            reverse("login"),
            {"username": f"guess{n}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    locked = client.post(
        reverse("login"),
        {"username": "panel", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert locked.status_code == 429
    other = client.post(
        reverse("login"),
        {"username": "panel", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert other.status_code == 302


# Passwords


def test_the_demo_password_passes_the_validators(demo):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    assert validate_password(DEMO_PASSWORD, get_user_model().objects.get(username="chair")) is None


def test_a_password_of_eleven_characters_is_refused_and_twelve_accepted(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        validate_password("qz7!kfp2mwx")
    assert refused.value.messages == ["This password is too short. It must contain at least 12 characters."]
    assert validate_password("qz7!kfp2mwxr") is None


def test_the_admin_refuses_a_short_password(client, demo):
    from django.contrib.auth import get_user_model

    chair = get_user_model().objects.get(username="chair")
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.post(
        reverse("admin:auth_user_password_change", args=[chair.pk]),
        {"password1": "qz7!kfp2mwx", "password2": "qz7!kfp2mwx"},
    )
    assert response.status_code == 200
    assert "This password is too short. It must contain at least 12 characters." in response.content.decode()
    chair.refresh_from_db()
    assert chair.check_password(DEMO_PASSWORD)


@pytest.mark.parametrize("url", ["login", "admin:login"])
def test_a_username_longer_than_any_account_is_refused_as_a_wrong_one(client, demo, url):
    from axes.models import AccessAttempt

    response = client.post(reverse(url), {"username": "a" * 5000, "password": DEMO_PASSWORD})
    assert response.status_code == 200
    codes = [error.code for errors in response.context["form"].errors.as_data().values() for error in errors]
    assert codes == ["invalid_login"]
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username__startswith="aaa").count() == 0
