"""What production refuses to start with: settings that would be unsafe or wrong.

Called by base.py when debug is off and the instance is not a demo. Each refusal says
which variable to set and how, so whoever starts the server can put it right.
"""

from django.core.exceptions import ImproperlyConfigured

# The key development and demos use, and the prefix of the keys `startproject` writes.
KNOWN_INSECURE_KEYS = {"insecure-development-key-never-used-in-production"}
INSECURE_PREFIX = "django-insecure-"
# Django's own measure of a strong key (security.W009).
MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5

MAKE_A_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(50))"'


def refuse_unsafe_settings(*, secret_key: str, allowed_hosts: list[str], site_url: str) -> None:
    if not secret_key:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY: debug is off, so this is production. "
            f"Make one with {MAKE_A_KEY}. (For development, set DJANGO_DEBUG=1.)"
        )
    if secret_key in KNOWN_INSECURE_KEYS or secret_key.startswith(INSECURE_PREFIX):
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY is a published development key. Make a new one with {MAKE_A_KEY}."
        )
    if len(secret_key) < MIN_LENGTH or len(set(secret_key)) < MIN_UNIQUE_CHARACTERS:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY is too short or too simple: it needs at least {MIN_LENGTH} characters, "
            f"{MIN_UNIQUE_CHARACTERS} of them different. Make one with {MAKE_A_KEY}."
        )
    if not allowed_hosts:
        raise ImproperlyConfigured(
            "Set DJANGO_ALLOWED_HOSTS to the host names the site answers on, separated by commas "
            "(scr.example.org)."
        )
    if not site_url.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            "Set SITE_URL to the address links in e-mails start with (https://scr.example.org)."
        )
