"""The project as a whole: migrations, health, services, the compose file and the README's diagram."""

import json
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse

from reviews.diagram import diagrams_markdown

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_migrations_are_up_to_date():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_role_groups_exist():
    from django.contrib.auth.models import Group

    from agencies.roles import Role

    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "up"})


@pytest.mark.django_db
def test_healthz_answers_by_the_servers_own_address_while_pages_need_the_sites_name(client, settings):
    # The container's health check asks http://127.0.0.1:8000/healthz; the site is scr.example.org.
    settings.ALLOWED_HOSTS = ["scr.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "up"})
    assert client.get("/sign-in/", HTTP_HOST="127.0.0.1:8000").status_code == 400
    assert client.post("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 405


@pytest.mark.django_db
def test_the_nightly_sweep_deletes_ended_sessions_and_keeps_live_ones():
    import datetime

    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from reviews.tasks import clear_expired_sessions

    now = timezone.now()
    Session.objects.create(
        session_key="ended", session_data="", expire_date=now - datetime.timedelta(seconds=1)
    )
    Session.objects.create(
        session_key="live", session_data="", expire_date=now + datetime.timedelta(minutes=5)
    )
    clear_expired_sessions()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
    assert (
        settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]["task"]
        == "reviews.tasks.clear_expired_sessions"
    )


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get(reverse("healthz"))
    assert (response.status_code, response.json()) == (503, {"status": "unavailable", "database": "down"})


def test_celery_broker_answers(require_service):
    url = os.environ.get("REDIS_URL", "")
    require_service("Redis (REDIS_URL)", bool(url))
    from kombu import Connection

    with Connection(url, connect_timeout=5) as connection:
        connection.ensure_connection(max_retries=1)
        queue = connection.SimpleQueue("scr-test-roundtrip")
        queue.put({"ping": 1})
        message = queue.get(timeout=5)
        assert message.payload == {"ping": 1}
        message.ack()
        queue.close()


def test_compose_file_is_accepted(require_service):
    compose = shutil.which("docker-compose")
    require_service("docker-compose", compose is not None)
    result = subprocess.run(
        [compose, "-f", str(ROOT / "docker-compose.yml"), "config", "--services"],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SECRET_KEY": "x"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.split()) == ["beat", "db", "migrate", "proxy", "redis", "web", "worker"]


def test_readme_state_diagram_is_generated_from_the_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert diagrams_markdown() in readme, "README's diagram is stale: run `make diagram`."


def test_make_run_serves_a_demo_instance_with_debug_pages_off(require_service):
    make = shutil.which("make")
    require_service("make", make is not None)
    # A dry run (-n) prints the commands without running them.
    result = subprocess.run(
        [make, "-n", "run", "PY=python", "PORT=8000"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    demo = "SCR_DEMO=1 DJANGO_DEBUG=0 DJANGO_HTTPS=0 SITE_URL=http://127.0.0.1:8000 python manage.py"
    assert [line for line in result.stdout.splitlines() if "manage.py" in line] == [
        f"{demo} migrate --noinput",
        f"{demo} demo_data",
        f"{demo} collectstatic --noinput --verbosity 0",
        f"{demo} runserver 127.0.0.1:8000",
    ]


# The code bandit checks, and how: the same command as `make lint` (pyproject.toml's [tool.bandit]).
BANDIT = ["-m", "bandit", "-c", "pyproject.toml", "-r", "scr", "reviews", "agencies", "-ll", "-ii", "-q"]


def test_bandit_finds_nothing_unexplained_at_medium_severity():
    """Every finding of medium severity and confidence is fixed, or marked `# nosec BXXX` with its reason."""
    result = subprocess.run(
        [sys.executable, *BANDIT, "-f", "json"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    report = json.loads(result.stdout)
    assert [(r["filename"], r["line_number"], r["test_id"]) for r in report["results"]] == []
    assert result.returncode == 0, result.stderr
    # It read the code: thousands of lines, none it could not parse.
    assert report["metrics"]["_totals"]["loc"] > 10_000
    assert report["errors"] == []
