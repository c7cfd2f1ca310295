"""Settings of the OpenFTZ project (the variables are described in docs/operations.md).

Fail-closed: DEBUG is off unless ``OPENFTZ_DEBUG=1`` (``make run`` and ``make test`` set it); the secret key comes from
``OPENFTZ_SECRET_KEY`` or the random key file ``make setup`` writes under ``var/``, and a missing or short key stops
start-up. With DEBUG off, HTTPS is required (redirect, HSTS, secure cookies) unless ``OPENFTZ_BEHIND_TLS_PROXY=1``
says that a proxy in front ends TLS.

SQLite in WAL mode under ``var/`` by default; ``DATABASE_URL`` (postgres://…) selects PostgreSQL.
"""
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from openftz.core import secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = secret_key.var_dir()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _flag(name: str, default: str = "0") -> bool:
    value = os.environ.get(name, default)
    if value not in ("0", "1"):
        raise ImproperlyConfigured(f"{name} must be 0 or 1, not {value!r}")
    return value == "1"


def _seconds(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number of seconds, not {value!r}")
    return int(value)


DEBUG = _flag("OPENFTZ_DEBUG")
try:
    SECRET_KEY = secret_key.load(VAR_DIR)
except secret_key.SecretKeyError as exc:
    raise ImproperlyConfigured(str(exc)) from None
# this registry's code as an eBL platform in DCSA PINT (not one of DCSA's assigned codes)
PINT_PLATFORM = os.environ.get("OPENFTZ_PINT_PLATFORM", "OFTZ")
# in development the local names; in production only the names given (none given: every request is refused, and
# `manage.py check --deploy` says why)
ALLOWED_HOSTS = [h for h in os.environ.get(
    "OPENFTZ_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "").split(",") if h.strip()]

# — HTTPS. Behind a proxy that ends TLS (OPENFTZ_BEHIND_TLS_PROXY=1) the proxy redirects plain HTTP itself and tells
#   the app a request came over HTTPS with X-Forwarded-Proto, which it must set on every request (overwriting what a
#   client sent); Django's redirect is off then. /healthz answers over plain HTTP for load balancers.
BEHIND_TLS_PROXY = _flag("OPENFTZ_BEHIND_TLS_PROXY")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = not DEBUG and not BEHIND_TLS_PROXY
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else _seconds("OPENFTZ_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG and _flag("OPENFTZ_HSTS_INCLUDE_SUBDOMAINS", "1")
SECURE_HSTS_PRELOAD = not DEBUG and _flag("OPENFTZ_HSTS_PRELOAD", "1")
# the proxy does the redirect, so Django's own (security.W008) is off on purpose
SILENCED_SYSTEM_CHECKS = ["security.W008"] if BEHIND_TLS_PROXY else []
# The most table rows (invoice lines, their details, China-view lines, findings) an e-invoice PDF is rendered with:
# an operational limit of time and memory, not a legal number (docs/einvoice.md, "PDF rendering").
EINVOICE_PDF_MAX_ROWS = int(os.environ.get("OPENFTZ_EINVOICE_PDF_MAX_ROWS", "30000"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # its Swagger UI files are then served from this host (static files), not from a CDN
    "openftz.core",
    "django_tasks",
    "django_tasks_db",
    "openftz.rulebook",
    "openftz.tracker",
    "openftz.parties",
    "openftz.ledger",
    "openftz.records",
    "openftz.dataexport",
    "openftz.einvoice",
    "openftz.procurement",
    "openftz.workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "openftz.core.limits.BodyLimitMiddleware",  # 413 with the error schema for an API body over DATA_UPLOAD_MAX_MEMORY_SIZE
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if not DEBUG:
    # Production: static files from STATIC_ROOT (filled by collectstatic), compressed, cached for ever under hashed
    # names. In development runserver serves them from the apps' folders.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "openftz.urls"
WSGI_APPLICATION = "openftz.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "openftz" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "openftz.context_processors.alternate_language",
                "openftz.context_processors.navigation",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "openftz.sqlite3",
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN,
                # so two writers queue (busy timeout) instead of failing half-way through a transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # A connection is kept for the next request (per worker thread): opening one and running the PRAGMAs
            # above cost several times a tracker page served from the cache.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    }

# each worker process keeps its own cache; what is cached is keyed on the tracker's data version, read from the
# database on every request, so that no worker serves a page older than the last write
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "openftz" / "static"]
# where collectstatic puts them; the container image keeps them in the image, outside the var/ volume
STATIC_ROOT = Path(os.environ.get("OPENFTZ_STATIC_ROOT", VAR_DIR / "static"))
# Production: hashed names and gzip made by collectstatic (`make serve` runs it); until it has run, pages fail.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
# Evidence uploads are checked against data/parameters/tracker.yaml (evidence_max_bytes); the request itself is capped here.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

LOGIN_URL = "tracker:login"
LOGIN_REDIRECT_URL = "workspace:work"  # 我的工作 / My work: what waits for the user in every service
SESSION_ENGINE = "openftz.core.sessions"  # Django's database sessions, read with one prepared statement
AUTHENTICATION_BACKENDS = ["openftz.tracker.auth.Backend"]  # ModelBackend, reading the user with its tracker profile
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_AGE = 8 * 3600

# Background work (the daily red/amber/green tick) through the tasks framework, database backend.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Errors (500s with their traceback, refused hosts) go to stderr, the server's log, whatever DEBUG is: with DEBUG off
# Django would only mail them to ADMINS. OPENFTZ_LOG_LEVEL=WARNING also logs every 4xx.
# The visitor sees a plain error page, never a traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["stderr"], "level": os.environ.get("OPENFTZ_LOG_LEVEL", "ERROR"),
                           "propagate": False}},
}
