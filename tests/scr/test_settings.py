"""Settings read from the environment: development, the `make run` demo, production."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

BASE = Path(__file__).resolve().parents[2] / "scr" / "settings" / "base.py"
READ = ("DJANGO_DEBUG", "SCR_DEMO", "DJANGO_HTTPS", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS")
DEMO_KEY = "insecure-development-key-never-used-in-production"


def load(monkeypatch, **env):
    """Return the settings base.py makes from exactly these environment variables."""
    for name in READ:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE))


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match=r"^Set DJANGO_SECRET_KEY when DJANGO_DEBUG is off\.$"):
        load(monkeypatch, DJANGO_DEBUG="0")


def test_production_https_off_still_needs_a_secret_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured):
        load(monkeypatch, DJANGO_DEBUG="0", DJANGO_HTTPS="0", SCR_DEMO="0")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        # make run: a demo over plain http, debug pages off, no secret key given.
        (
            {"SCR_DEMO": "1", "DJANGO_DEBUG": "0", "DJANGO_HTTPS": "0"},
            (True, False, False, DEMO_KEY, False, False, None, 0, ["127.0.0.1", "localhost"]),
        ),
        # Production behind its HTTPS proxy.
        (
            {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "s3cret", "DJANGO_ALLOWED_HOSTS": "scr.example.org"},
            (
                False,
                False,
                True,
                "s3cret",
                True,
                True,
                ("HTTP_X_FORWARDED_PROTO", "https"),
                31536000,
                ["scr.example.org"],
            ),
        ),
        # Nothing set: development with debug pages, plain http.
        ({}, (False, True, False, DEMO_KEY, False, False, None, 0, ["127.0.0.1", "localhost"])),
        # A demo served over HTTPS.
        (
            {"SCR_DEMO": "1", "DJANGO_DEBUG": "0"},
            (
                True,
                False,
                True,
                DEMO_KEY,
                True,
                True,
                ("HTTP_X_FORWARDED_PROTO", "https"),
                31536000,
                ["127.0.0.1", "localhost"],
            ),
        ),
    ],
    ids=["make-run-demo", "production", "development", "demo-over-https"],
)
def test_instance_kind_and_https_set_the_secret_and_the_cookie_flags(monkeypatch, env, expected):
    s = load(monkeypatch, **env)
    assert (
        s["DEMO"],
        s["DEBUG"],
        s["HTTPS"],
        s["SECRET_KEY"],
        s["SESSION_COOKIE_SECURE"],
        s["CSRF_COOKIE_SECURE"],
        s.get("SECURE_PROXY_SSL_HEADER"),
        s.get("SECURE_HSTS_SECONDS", 0),
        s["ALLOWED_HOSTS"],
    ) == expected


def test_with_debug_off_static_files_come_from_whitenoise_and_the_manifest(monkeypatch):
    s = load(monkeypatch, SCR_DEMO="1", DJANGO_DEBUG="0", DJANGO_HTTPS="0")
    assert s["MIDDLEWARE"][:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert (
        s["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({"SCR_DEMO": "1", "DJANGO_DEBUG": "0", "DJANGO_HTTPS": "0"}, "filebased"),
        ({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "s3cret"}, "smtp"),
        ({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "s3cret", "EMAIL_URL": "consolemail://"}, "console"),
    ],
    ids=["demo", "production", "console"],
)
def test_a_demo_writes_e_mail_to_a_folder(monkeypatch, env, backend):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    s = load(monkeypatch, **env)
    assert s["EMAIL_BACKEND"] == f"django.core.mail.backends.{backend}.EmailBackend"
    if backend == "filebased":
        assert s["EMAIL_FILE_PATH"] == str(s["BASE_DIR"] / "sent-emails")


def test_email_url_names_the_smtp_server(monkeypatch):
    s = load(
        monkeypatch,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="s3cret",
        EMAIL_URL="smtp+tls://lscb:pa%40ss@mail.example.org:587",
    )
    assert (
        s["EMAIL_HOST"],
        s["EMAIL_PORT"],
        s["EMAIL_HOST_USER"],
        s["EMAIL_HOST_PASSWORD"],
        s["EMAIL_USE_TLS"],
    ) == (
        "mail.example.org",
        587,
        "lscb",
        "pa@ss",
        True,
    )
