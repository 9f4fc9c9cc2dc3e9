"""Wrong passwords sent at the same instant, on PostgreSQL: every one is counted, so none slips past the limit."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from agencies.roles import Role
from reviews.models import AuditEvent
from tests.conftest import require_service_check
from tests.factories import UserFactory
from tests.reviews.services.test_concurrency import at_once

PASSWORD = "correct horse battery staple"


@pytest.fixture
def postgres(transactional_db):
    require_service_check("PostgreSQL", "postgresql" in settings.DATABASES["default"]["ENGINE"])
    for role in Role:
        Group.objects.get_or_create(name=role)


def wrong_password():
    return Client().post(reverse("login"), {"username": "panel", "password": "wrong"}).status_code


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres")
def test_two_wrong_passwords_at_once_are_both_counted():
    UserFactory(username="panel", roles=[Role.PANEL_MEMBER])
    assert at_once(wrong_password, wrong_password) == [200, 200]
    assert AccessAttempt.objects.get().failures_since_start == 2
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED).count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres")
def test_ten_wrong_passwords_at_once_lock_the_account():
    UserFactory(username="panel", roles=[Role.PANEL_MEMBER])
    statuses = at_once(*[wrong_password] * 10)
    # The tenth counted locks; one counted earlier may read the total after it and say so too.
    assert set(statuses) == {200, 429}
    assert AccessAttempt.objects.get().failures_since_start == 10
    response = Client().post(reverse("login"), {"username": "panel", "password": PASSWORD})
    assert response.status_code == 429
