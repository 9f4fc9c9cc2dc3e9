"""Production's settings, as the image starts them: the deploy check, the refusals, the headers.

The check and the refusals run in a fresh Python with production's environment, as a server
starts, because the settings are read once, at start. The headers are asked of this process's
pages under production's security settings, read from base.py with the same environment.
"""

import os
import re
import runpy
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "scr" / "settings" / "base.py"
# A key as `secrets.token_urlsafe(50)` makes one (never used outside these tests).
KEY = "Zq3vX9kP2mN7bR4tW8yL1cF6hJ5sD0gA-uE_oI3pK9nM2xV7bQ4w"


def production_env(tmp_path, **extra):
    """Production's environment: nothing of the suite's own, an empty (never collected) static folder."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SCR_"))}
    (tmp_path / "staticfiles").mkdir(exist_ok=True)
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "scr.settings.base",
        "DJANGO_SECRET_KEY": KEY,
        "DJANGO_ALLOWED_HOSTS": "scr.example.org",
        "SITE_URL": "https://scr.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "EMAIL_URL": "smtp+tls://lscb:secret@mail.example.org:587",
        "DJANGO_STATIC_ROOT": str(tmp_path / "staticfiles"),
        **extra,
    }


def manage(args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_the_deploy_check_passes_without_a_warning_before_collectstatic(tmp_path):
    result = manage(["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert (result.returncode, result.stdout.strip(), result.stderr) == (
        0,
        "System check identified no issues (0 silenced).",
        "",
    )
    assert list((tmp_path / "staticfiles").iterdir()) == []


def test_behind_a_proxy_that_redirects_itself_the_check_passes_with_the_redirect_silenced(tmp_path):
    env = production_env(tmp_path, DJANGO_SSL_REDIRECT="0")
    result = manage(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert (result.returncode, result.stdout.strip()) == (
        0,
        "System check identified no issues (1 silenced).",
    )


def test_the_deploy_check_fails_over_plain_http(tmp_path):
    result = manage(
        ["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path, DJANGO_HTTPS="0")
    )
    assert result.returncode == 1
    found = sorted(set(re.findall(r"\(security\.(W\d+)\)", result.stderr)))
    # No HSTS, no redirect, cookies not Secure.
    assert found == ["W004", "W008", "W012", "W016"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_SECRET_KEY": ""}, "Set DJANGO_SECRET_KEY: debug is off, so this is production."),
        (
            {"DJANGO_SECRET_KEY": "insecure-development-key-never-used-in-production"},
            "DJANGO_SECRET_KEY is a published development key.",
        ),
        (
            {"DJANGO_SECRET_KEY": "too-short-a-secret"},
            "DJANGO_SECRET_KEY is too short or too simple: it needs at least 50 characters, 5 of them different.",
        ),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "Set DJANGO_ALLOWED_HOSTS to the host names the site answers on"),
        (
            {"SITE_URL": ""},
            "Set SITE_URL to the address links in e-mails start with (https://scr.example.org).",
        ),
    ],
    ids=["no-key", "development-key", "short-key", "no-hosts", "no-site-address"],
)
def test_production_refuses_to_start(tmp_path, env, message):
    result = manage(["check"], production_env(tmp_path, **env))
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"django.core.exceptions.ImproperlyConfigured: {message}")


# The image


def dockerfile():
    """The Dockerfile's instructions, each on one line (continuations joined)."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def image_env():
    env = {}
    for line in dockerfile():
        if line.startswith("ENV "):
            env |= dict(item.split("=", 1) for item in shlex.split(line[4:]))
    return env


def test_the_image_is_production_with_debug_off():
    env = image_env()
    assert (env["DJANGO_DEBUG"], env["SCR_DEMO"], env["DJANGO_HTTPS"]) == ("0", "0", "1")
    assert "DJANGO_SECRET_KEY" not in env
    debug_on = [line for line in dockerfile() if re.search(r"DJANGO_DEBUG=(1|true|yes|on)\b", line, re.I)]
    assert debug_on == []


def test_the_images_collectstatic_runs_under_production_settings(tmp_path):
    """The build's collectstatic step, run as the build runs it, with the image's environment."""
    (step,) = [line[4:] for line in dockerfile() if line.startswith("RUN ") and "collectstatic" in line]
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SCR_"))}
    env |= image_env() | {
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'build.sqlite3'}",
        # The image's python is the one on the PATH.
        "PATH": f"{Path(sys.executable).parent}:{env['PATH']}",
    }
    result = subprocess.run(
        ["sh", "-c", step], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_manage_py_in_a_checkout_runs_with_nothing_set_and_serving_stays_production(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SCR_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'checkout.sqlite3'}"
    checkout = manage(["makemigrations", "--check", "--dry-run"], env)
    assert (checkout.returncode, checkout.stdout.strip()) == (0, "No changes detected")
    served = subprocess.run(
        [sys.executable, "-c", "import scr.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert served.returncode == 1
    assert (
        "ImproperlyConfigured: Set DJANGO_SECRET_KEY: debug is off, so this is production." in served.stderr
    )


def test_the_image_refuses_to_start_without_its_secrets(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SCR_"))}
    env |= image_env() | {"DATABASE_URL": f"sqlite:///{tmp_path / 'image.sqlite3'}"}
    result = manage(["check"], env)
    assert result.returncode == 1
    assert (
        "ImproperlyConfigured: Set DJANGO_SECRET_KEY: debug is off, so this is production." in result.stderr
    )


# The headers production's settings send


SECURITY = (
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_REFERRER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_AGE",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CONTENT_SECURITY_POLICY",
)


@pytest.fixture
def production_security(monkeypatch, tmp_path):
    """This process under production's security settings, as base.py reads them from production's environment."""
    for name in list(os.environ):
        if name.startswith(("DJANGO_", "SCR_")):
            monkeypatch.delenv(name)
    for name, value in production_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    production = runpy.run_path(str(BASE))
    with override_settings(
        ALLOWED_HOSTS=["scr.example.org"], **{name: production[name] for name in SECURITY}
    ):
        yield production


@pytest.mark.django_db
def test_production_pages_carry_the_security_headers_and_cookies(production_security, client):
    UserFactory(username="manager", password="correct horse battery staple")
    https = {"secure": True, "headers": {"host": "scr.example.org", "x-forwarded-proto": "https"}}
    response = client.post(
        reverse("login"), {"username": "manager", "password": "correct horse battery staple"}, **https
    )
    assert (response.status_code, response["Location"]) == (302, reverse("home"))
    session = response.cookies["sessionid"]
    assert (bool(session["secure"]), bool(session["httponly"]), session["samesite"], session["max-age"]) == (
        True,
        True,
        "Lax",
        "",
    )

    page = client.get(reverse("home"), **https)
    assert page.status_code == 200
    assert {name: page.headers.get(name) for name in HEADERS} == HEADERS
    csp = page["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert re.search(r"script-src 'self' 'nonce-[^']+'", csp)
    assert "frame-ancestors 'none'" in csp
    # The CSRF token is made anew at sign-in: its cookie too is Secure and out of scripts' reach.
    csrf = response.cookies["csrftoken"]
    assert (bool(csrf["secure"]), bool(csrf["httponly"])) == (True, True)


HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "private, no-store",
}


@pytest.mark.django_db
def test_production_sends_plain_http_to_https_but_answers_the_health_check(production_security, client):
    plain = {"headers": {"host": "scr.example.org"}}
    response = client.get(reverse("login"), **plain)
    assert (response.status_code, response["Location"]) == (301, "https://scr.example.org/sign-in/")
    assert client.get(reverse("healthz"), **plain).status_code == 200
