"""Settings for every environment; each difference is read from the environment.

With nothing set, the settings are production's: DEBUG off, HTTPS expected, and the
product refuses to start until DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and SITE_URL are
set (DATABASE_URL, REDIS_URL and EMAIL_URL name the services; docs/security.md).
Development sets DJANGO_DEBUG=1: SQLite, background jobs in-process, debug pages. A demo
instance (invented data only) sets SCR_DEMO=1; `make run` serves one with DJANGO_DEBUG=0
and DJANGO_HTTPS=0 (see docs/running.md).
"""

import datetime
import os
from pathlib import Path

import dj_database_url
import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

from scr.storage import document_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: the image, or a server started with nothing set, is production.
DEBUG = env_bool("DJANGO_DEBUG", False)
# A demo instance holds invented data only: the demo command runs only here, and a
# fixed secret key, local hosts and e-mail on the console are acceptable.
DEMO = env_bool("SCR_DEMO", False)
# Served over HTTPS: cookies are marked Secure, browsers are told to insist on HTTPS
# (HSTS) and the proxy's X-Forwarded-Proto is trusted. Off for plain http://127.0.0.1.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)

# Production: debug off and not a demo. It refuses to start on a secret key, hosts or site
# address that would be unsafe or wrong (checked once SITE_URL is read, below).
PRODUCTION = not (DEBUG or DEMO)
DEVELOPMENT_SECRET_KEY = "insecure-development-key-never-used-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "") or ("" if PRODUCTION else DEVELOPMENT_SECRET_KEY)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Application definition: Django, third-party, local.
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "csp",
    "guardian",
    "django_fsm_log",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "agencies",
    "reviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "agencies.sessions.IdleTimeoutMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "agencies.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "reviews.middleware.ConfidentialPagesMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Static files come from the collected folder (collectstatic) whenever DEBUG is off,
    # `make run` included; runserver serves them from static/ in development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
# Before the host is checked or http is redirected (scr/health.py).
MIDDLEWARE.insert(0, "scr.health.HealthCheckMiddleware")

ROOT_URLCONF = "scr.urls"
WSGI_APPLICATION = "scr.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reviews.context_processors.navigation",
                "agencies.context_processors.session_timeout",
            ],
        },
    },
]

# Widgets render from the project's templates too (the GOV.UK date input).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several requests at once too: a write takes the database's
    # write lock when its transaction begins (IMMEDIATE) and others wait up to 20 s for it,
    # instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "agencies.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Nobody reads anything anonymously, so guardian needs no anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in protection (docs/security.md). Failed sign-ins are counted in the database
# (django-axes' database handler), so every web server behind a load balancer shares them:
# AXES_FAILURE_LIMIT failures for one username, or from one address, within the cool-off
# lock that username or address until the cool-off has passed since the last counted failure,
# or until the business manager clears it (Locked accounts page).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
# A try during the lockout, even with the right password, is refused but does not push the end
# back: the lockout page can say when it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "agencies.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "agencies.signin.client_address"
# The lockouts are cleared from the product's page, which writes the audit log; not the admin.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# How many proxies in front of the app append the client's address to X-Forwarded-For. 0 (the
# default) reads REMOTE_ADDR only, so a client cannot choose its address by sending the header.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Two-factor sign-in (TOTP) is offered to everyone; with REQUIRE_2FA those who can see real
# identities (and staff, for the admin) must set it up before any other page.
REQUIRE_2FA = env_bool("REQUIRE_2FA", False)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Serious case reviews")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# ---------------------------------------------------------------------------------------------
# Document storage (docs/operations.md)
# Documents are read and written through Django's storage API only, never from a path on the
# web server's disk: a local folder (MEDIA_ROOT, from DOCUMENT_ROOT) by default, an
# S3-compatible bucket when STORAGE_URL or AWS_STORAGE_BUCKET_NAME says so (scr/storage.py).
# They are never served from a public URL: the document views check access and write the audit
# log before they stream a file. The product never deletes a document (a background PDF whose
# source has changed is a copy, and the only file it removes).
MEDIA_ROOT = Path(os.environ.get("DOCUMENT_ROOT", BASE_DIR / "media"))
DOCUMENT_STORAGE = document_storage(os.environ)
# Anything cached is shared by every web server and worker: in Redis when REDIS_URL is set; the
# embedded default (one process) keeps it in memory.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "scr",
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Sessions are rows in the database (SESSION_ENGINE below), so any web server can serve any request.
# ---------------------------------------------------------------------------------------------

STORAGES = {
    "default": DOCUMENT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
# A filled-in chronology template (CSV or XLSX) may be at most this big.
# Reports and evidence (PDF or DOCX) uploaded by people.
DOCUMENT_UPLOAD_MAX_BYTES = int(os.environ.get("DOCUMENT_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
CHRONOLOGY_UPLOAD_MAX_BYTES = int(os.environ.get("CHRONOLOGY_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
# The integrated chronology flags a gap when no agency saw the child for more than this many days.
CHRONOLOGY_GAP_DAYS = int(os.environ.get("CHRONOLOGY_GAP_DAYS", "28"))
# An action not yet done is amber (due soon) from this many days before its due date.
ACTION_AMBER_DAYS = int(os.environ.get("ACTION_AMBER_DAYS", "14"))

SESSION_COOKIE_HTTPONLY = True
# Confidential material (docs/security.md, "Sessions"): a session ends after SESSION_COOKIE_AGE
# seconds without a request, each request starting the count again (saved at most every
# SESSION_REFRESH_SECONDS, by agencies.sessions), and when the browser closes. Pages warn
# SESSION_WARNING_SECONDS before the end and offer to stay signed in.
SESSION_ENGINE = "agencies.sessions"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(30 * 60)))
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_WARNING_SECONDS = int(os.environ.get("SESSION_WARNING_SECONDS", str(2 * 60)))
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# A strict policy: nothing inline but the one script govuk-frontend needs, which carries a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Never send the address of a page (which names a review) to another site.
SECURE_REFERRER_POLICY = "same-origin"
# No script reads a cookie: the session's and CSRF's stay out of reach of any injected script
# (pages that post by script take the token from a form on the page).
CSRF_COOKIE_HTTPONLY = True
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # A request that arrives over plain http (by X-Forwarded-Proto) is sent to https. A proxy
    # that redirects to https itself may turn this off with DJANGO_SSL_REDIRECT=0, which also
    # quietens `check --deploy` about it (docs/security.md). The health check answers over
    # plain http, for the container's own probe.
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if not SECURE_SSL_REDIRECT:
        SILENCED_SYSTEM_CHECKS = ["security.W008"]

# Where e-mail goes, as one address in django-environ's forms: smtp://user:password@host:587
# (smtp+tls://, smtp+ssl://), filemail:///some/folder (each message a file), consolemail://.
# Unset, development and the demo write each message as a file under sent-emails/, for a
# newcomer to read; production sends through the SMTP server on localhost.
# django-environ reads filemail:///sent-emails as the folder sent-emails/ of the project (a
# relative path) and filemail:////var/mail/scr as an absolute one.
_email = environ.Env.email_url_config(
    os.environ.get("EMAIL_URL") or ("filemail:///sent-emails" if DEBUG or DEMO else "smtp://localhost:25")
)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_FILE_PATH = str(BASE_DIR / (_email.get("EMAIL_FILE_PATH") or "sent-emails"))
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
# A mail server that does not answer is an error to retry, not a worker stuck for ever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "lscb@example.org")

# Background jobs: Celery on Redis when REDIS_URL is set; otherwise each task
# runs in-process as soon as it is queued, so the embedded default needs no broker.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = TIME_ZONE
# With acks_late, a worker takes one task at a time: a lost worker leaves no others held back.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands an unacknowledged task (its worker lost) to another worker after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
}
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {
        "task": "reviews.tasks.send_reminders",
        "schedule": crontab(hour=int(os.environ.get("REMINDER_HOUR", "6")), minute=0),
    },
    # Django keeps an ended session's row until asked to delete it.
    "clear-expired-sessions": {
        "task": "reviews.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=30),
    },
    "redeliver-stale-messages": {
        "task": "reviews.tasks.redeliver_stale_messages",
        "schedule": crontab(minute="*/15"),
    },
}

# E-mail delivery: attempts after the first, and the first wait in seconds (doubling each time).
OUTBOX_MAX_RETRIES = int(os.environ.get("OUTBOX_MAX_RETRIES", "5"))
OUTBOX_RETRY_BACKOFF = int(os.environ.get("OUTBOX_RETRY_BACKOFF", "60"))
# A message still queued this long after it was queued is handed to the worker again.
OUTBOX_STALE_MINUTES = int(os.environ.get("OUTBOX_STALE_MINUTES", "30"))
# The address links in e-mails start with; the pages behind it ask for sign-in.
SITE_URL = os.environ.get("SITE_URL", "" if PRODUCTION else "http://127.0.0.1:8000").rstrip("/")

# Production refuses to start on settings that would be unsafe or wrong.
if PRODUCTION:
    from scr.settings.safety import refuse_unsafe_settings

    refuse_unsafe_settings(secret_key=SECRET_KEY, allowed_hosts=ALLOWED_HOSTS, site_url=SITE_URL)

# Reminders (domain.md): days before a due date, 0 being the day itself, then every
# REMINDER_OVERDUE_EVERY_DAYS while overdue, for at most REMINDER_OVERDUE_MAX_WEEKS weeks.
REMINDER_DAYS_BEFORE = [int(day) for day in env_list("REMINDER_DAYS_BEFORE", "14,7,1,0")]
REMINDER_OVERDUE_EVERY_DAYS = int(os.environ.get("REMINDER_OVERDUE_EVERY_DAYS", "7"))
REMINDER_OVERDUE_MAX_WEEKS = int(os.environ.get("REMINDER_OVERDUE_MAX_WEEKS", "260"))

# The review timetable (domain.md): months from the panel decision to the due
# date, per review type, and each milestone's offset in days from the decision.
REVIEW_TIMEFRAME_MONTHS = {"scr": 4, "case": 4, "management": 4}
REVIEW_MILESTONE_OFFSET_DAYS = {
    "tor_agreed": 14,
    "authors_nominated": 21,
    "imrs_submitted": 70,
    "overview_to_board": 105,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every PDF at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
