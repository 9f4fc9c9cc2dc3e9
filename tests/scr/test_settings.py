"""Settings read from the environment: development, the `make run` demo, production."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

BASE = Path(__file__).resolve().parents[2] / "scr" / "settings" / "base.py"
READ = (
    "DJANGO_DEBUG",
    "SCR_DEMO",
    "DJANGO_HTTPS",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_SSL_REDIRECT",
    "SITE_URL",
)
DEMO_KEY = "insecure-development-key-never-used-in-production"
# A key as `secrets.token_urlsafe(50)` makes one (never used outside these tests).
KEY = "Zq3vX9kP2mN7bR4tW8yL1cF6hJ5sD0gA-uE_oI3pK9nM2xV7bQ4w"
PRODUCTION = {
    "DJANGO_SECRET_KEY": KEY,
    "DJANGO_ALLOWED_HOSTS": "scr.example.org",
    "SITE_URL": "https://scr.example.org",
}


def load(monkeypatch, **env):
    """Return the settings base.py makes from exactly these environment variables."""
    for name in READ:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE))


@pytest.mark.parametrize("env", [{}, {"DJANGO_DEBUG": "0"}], ids=["nothing-set", "debug-off"])
def test_production_refuses_to_start_without_a_secret_key(monkeypatch, env):
    with pytest.raises(
        ImproperlyConfigured, match=r"^Set DJANGO_SECRET_KEY: debug is off, so this is production\."
    ):
        load(monkeypatch, **env)


def test_production_https_off_still_needs_a_secret_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match=r"^Set DJANGO_SECRET_KEY"):
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
            {"DJANGO_DEBUG": "0", **PRODUCTION},
            (
                False,
                False,
                True,
                KEY,
                True,
                True,
                ("HTTP_X_FORWARDED_PROTO", "https"),
                31536000,
                ["scr.example.org"],
            ),
        ),
        # Development with debug pages, plain http.
        (
            {"DJANGO_DEBUG": "1"},
            (False, True, False, DEMO_KEY, False, False, None, 0, ["127.0.0.1", "localhost"]),
        ),
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
    assert s["MIDDLEWARE"][:3] == [
        "scr.health.HealthCheckMiddleware",
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
        ({"DJANGO_DEBUG": "0", **PRODUCTION}, "smtp"),
        ({"DJANGO_DEBUG": "0", **PRODUCTION, "EMAIL_URL": "consolemail://"}, "console"),
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
        **PRODUCTION,
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


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_SECRET_KEY": DEMO_KEY}, r"^DJANGO_SECRET_KEY is a published development key\."),
        (
            {"DJANGO_SECRET_KEY": "django-insecure-" + KEY},
            r"^DJANGO_SECRET_KEY is a published development key\.",
        ),
        (
            {"DJANGO_SECRET_KEY": KEY[:49]},
            r"^DJANGO_SECRET_KEY is too short or too simple: it needs at least 50",
        ),
        ({"DJANGO_SECRET_KEY": "abcd" * 20}, r"^DJANGO_SECRET_KEY is too short or too simple"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, r"^Set DJANGO_ALLOWED_HOSTS to the host names"),
        ({"DJANGO_ALLOWED_HOSTS": " , "}, r"^Set DJANGO_ALLOWED_HOSTS to the host names"),
        ({"SITE_URL": ""}, r"^Set SITE_URL to the address links in e-mails start with"),
        ({"SITE_URL": "scr.example.org"}, r"^Set SITE_URL to the address links in e-mails start with"),
    ],
    ids=[
        "demo-key",
        "startproject-key",
        "49-characters",
        "4-different",
        "no-hosts",
        "blank-hosts",
        "no-site",
        "no-scheme",
    ],
)
def test_production_refuses_an_unsafe_key_no_hosts_or_no_site_address(monkeypatch, env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load(monkeypatch, **{**PRODUCTION, **env})


def test_production_sends_http_to_https_and_tells_browsers_to_keep_to_it(monkeypatch):
    s = load(monkeypatch, **PRODUCTION)
    assert (
        s["DEBUG"],
        s["SECURE_SSL_REDIRECT"],
        s["SECURE_REDIRECT_EXEMPT"],
        s["SECURE_HSTS_SECONDS"],
        s["SECURE_HSTS_INCLUDE_SUBDOMAINS"],
        s["SECURE_HSTS_PRELOAD"],
        s.get("SILENCED_SYSTEM_CHECKS", []),
    ) == (False, True, [r"^healthz$"], 31536000, True, True, [])


def test_a_proxy_that_redirects_to_https_itself_may_turn_the_redirect_off(monkeypatch):
    s = load(monkeypatch, **PRODUCTION, DJANGO_SSL_REDIRECT="0")
    assert (s["SECURE_SSL_REDIRECT"], s["SESSION_COOKIE_SECURE"], s["SILENCED_SYSTEM_CHECKS"]) == (
        False,
        True,
        ["security.W008"],
    )


def test_a_demo_or_development_accepts_the_development_key_and_a_local_site(monkeypatch):
    s = load(monkeypatch, SCR_DEMO="1")
    assert (s["DEBUG"], s["SECRET_KEY"], s["SITE_URL"]) == (False, DEMO_KEY, "http://127.0.0.1:8000")
