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
