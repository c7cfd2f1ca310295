"""Settings of the OpenFTZ project.

SQLite in WAL mode under ``var/`` by default; ``DATABASE_URL`` (postgres://…) selects PostgreSQL.
"""
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OPENFTZ_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("OPENFTZ_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("OPENFTZ_SECRET_KEY", "openftz-local-development-key-not-for-production")
# this registry's code as an eBL platform in DCSA PINT (not one of DCSA's assigned codes)
PINT_PLATFORM = os.environ.get("OPENFTZ_PINT_PLATFORM", "OFTZ")
ALLOWED_HOSTS = os.environ.get("OPENFTZ_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

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
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
STATIC_ROOT = VAR_DIR / "static"

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
