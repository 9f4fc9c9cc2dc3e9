import os

import pytest
from django.conf import settings

from agencies.roles import Role
from tests.factories import AgencyFactory, ExternalBodyFactory, UserFactory


def pytest_configure(config):
    # Hashing a password properly takes a third of a second on purpose; tests make many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Under REQUIRE_SERVICES (CI) the suite runs on PostgreSQL or not at all.
    if os.environ.get("REQUIRE_SERVICES") == "1":
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(f"REQUIRE_SERVICES is set but the database engine is {engine}.")


@pytest.fixture(autouse=True)
def _tasks_run_in_process(settings, tmp_path):
    """Run Celery tasks at once, in-process, and keep uploaded files in a temporary folder."""
    from scr.celery import app

    app.conf.task_always_eager = True
    settings.MEDIA_ROOT = tmp_path / "media"


def require_service_check(name: str, available: bool):
    """Skip a test whose service is missing, except under REQUIRE_SERVICES (CI), where it fails."""
    if available:
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{name} is required here but not available.")
    pytest.skip(f"{name} is not available")


@pytest.fixture
def require_service():
    return require_service_check


# Agencies


@pytest.fixture
def hospital(db):
    return AgencyFactory(name="Leeds Teaching Hospitals", kind="health_trust")


@pytest.fixture
def police(db):
    return AgencyFactory(name="West Yorkshire Police", kind="police")


@pytest.fixture
def school(db):
    return AgencyFactory(name="Beeston Primary School", kind="education")


@pytest.fixture
def external_bodies(db):
    return [
        ExternalBodyFactory(name="Ofsted", grades_reports=True),
        ExternalBodyFactory(name="Government Office for London"),
    ]


# Personas


@pytest.fixture
def panel_chair(db):
    return UserFactory(
        username="chair", first_name="Margaret", last_name="Osei", roles=[Role.PANEL_CHAIR, Role.PANEL_MEMBER]
    )


@pytest.fixture
def panel_member(db):
    return UserFactory(username="panel", first_name="David", last_name="Kowalski", roles=[Role.PANEL_MEMBER])


@pytest.fixture
def business_manager(db):
    return UserFactory(
        username="manager", first_name="Priya", last_name="Sharma", roles=[Role.BUSINESS_MANAGER]
    )


@pytest.fixture
def referrer(db, school):
    return UserFactory(
        username="referrer", first_name="Tom", last_name="Hughes", agency=school, roles=[Role.REFERRER]
    )


@pytest.fixture
def agency_manager(db, hospital):
    return UserFactory(
        username="agencymanager",
        first_name="Helen",
        last_name="Baptiste",
        agency=hospital,
        roles=[Role.AGENCY_SENIOR_MANAGER],
    )


@pytest.fixture
def police_manager(db, police):
    return UserFactory(
        username="policemanager",
        first_name="Ian",
        last_name="Stokes",
        agency=police,
        roles=[Role.AGENCY_SENIOR_MANAGER],
    )


@pytest.fixture
def imr_author(db, hospital):
    return UserFactory(
        username="author", first_name="Grace", last_name="Adeyemi", agency=hospital, roles=[Role.IMR_AUTHOR]
    )


@pytest.fixture
def second_hospital_author(db, hospital):
    return UserFactory(
        username="author3", first_name="Nina", last_name="Patel", agency=hospital, roles=[Role.IMR_AUTHOR]
    )


@pytest.fixture
def other_agency_author(db, police):
    return UserFactory(
        username="author2", first_name="Colin", last_name="Reid", agency=police, roles=[Role.IMR_AUTHOR]
    )


@pytest.fixture
def overview_author(db):
    return UserFactory(
        username="overview", first_name="Alison", last_name="Frost", roles=[Role.OVERVIEW_AUTHOR]
    )


@pytest.fixture
def board_member(db):
    return UserFactory(username="board", first_name="Richard", last_name="Okafor", roles=[Role.BOARD_MEMBER])


@pytest.fixture
def qa_member(db):
    return UserFactory(username="qa", first_name="Fiona", last_name="MacLeod", roles=[Role.QA_SUBGROUP])


@pytest.fixture
def outsider(db):
    """Signed in, with no role at all."""
    return UserFactory(username="outsider", first_name="Olive", last_name="Out")


@pytest.fixture
def cast(
    panel_chair,
    panel_member,
    business_manager,
    referrer,
    agency_manager,
    police_manager,
    imr_author,
    other_agency_author,
    overview_author,
    board_member,
    qa_member,
    hospital,
    police,
    external_bodies,
):
    """Everyone a review needs, by role name."""
    return {
        "chair": panel_chair,
        "panel": panel_member,
        "manager": business_manager,
        "referrer": referrer,
        "agencymanager": agency_manager,
        "policemanager": police_manager,
        "author": imr_author,
        "author2": other_agency_author,
        "overview": overview_author,
        "board": board_member,
        "qa": qa_member,
        "hospital": hospital,
        "police": police,
    }


@pytest.fixture
def walk(cast):
    from tests.walk import ReviewWalk

    return ReviewWalk(cast)
