"""Settings for the Learning City portal, read from environment variables.

Every variable is listed, with its default, in the README. Nothing here needs editing to deploy.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from learningcity.email_url import email_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable into a list, dropping blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a development server).")
    SECRET_KEY = "dev-only-insecure-key-never-used-when-DEBUG-is-off"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "csp",
    "axes",
    # The read API's library; listed, its docs page uses its own static files, not a CDN.
    "ninja",
    # The portal's apps, lowest first: each domain module imports only apps listed before its own
    # (docs/architecture.md).
    "common",
    "criteria",
    "assignments",
    "notifications",
    "measurements",
    "evidence",
    "evaluation",
    "api",
    "learningcity",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # 400 for a NUL byte in the URL (PostgreSQL cannot compare text holding one).
    "learningcity.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "learningcity.middleware.RightsInSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "learningcity.middleware.LoginNeededMiddleware",
    "learningcity.middleware.TemporaryPasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Under DEBUG (`make run`), the portal's own 404 page rather than Django's technical one.
    "learningcity.middleware.PortalNotFoundMiddleware",
    # Every call of the read API logged, refused ones too.
    "learningcity.middleware.ApiCallLogMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "learningcity.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "learningcity.context_processors.actor",
                "learningcity.context_processors.city_unit",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "learningcity.wsgi.application"

# A worker keeps its connection CONN_MAX_AGE seconds (60 in production) and, before a request
# reuses it, checks that it still works (CONN_HEALTH_CHECKS): after a database restart or a
# failover the next request reconnects instead of failing (tests/learningcity/
# test_database_drop.py).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Vietnamese first, English available; URLs carry no language prefix.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
# dd/mm/yyyy in both languages, decimal comma in Vietnamese (learningcity/formats/).
FORMAT_MODULE_PATH = ["learningcity.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded evidence lives here, outside the static root and never served by a public URL.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Evidence files (evidence/storage.py): the file system under MEDIA_ROOT/evidence, with no URL
# (only the download view, after a permission check, reads them); S3-compatible object storage
# (MinIO, AWS…) with private objects when EVIDENCE_S3_BUCKET is set.
EVIDENCE_MAX_UPLOAD_BYTES = int(os.environ.get("EVIDENCE_MAX_UPLOAD_BYTES", 25 * 1024 * 1024))
# Year archives (manage.py export_year / import_year) are signed with HMAC-SHA256 under
# YEAR_ARCHIVE_KEY, which every server that exports or imports them shares; an import refuses an
# unsigned or altered archive. To rotate: the new key here, the old one in YEAR_ARCHIVE_OLD_KEYS
# (comma-separated, read only for checking) until no archive signed with it is left to import.
YEAR_ARCHIVE_KEY = os.environ.get("YEAR_ARCHIVE_KEY", "")
YEAR_ARCHIVE_OLD_KEYS = env_list("YEAR_ARCHIVE_OLD_KEYS")
# Behind nginx: after the permission check, the download view answers with an X-Accel-Redirect to
# this internal location and nginx sends the file (docs/deployment.md). Empty: Django streams it.
EVIDENCE_X_ACCEL_REDIRECT_PREFIX = os.environ.get("EVIDENCE_X_ACCEL_REDIRECT_PREFIX", "")
EVIDENCE_S3_BUCKET = os.environ.get("EVIDENCE_S3_BUCKET", "")
if EVIDENCE_S3_BUCKET:
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": EVIDENCE_S3_BUCKET,
            "endpoint_url": os.environ.get("EVIDENCE_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("EVIDENCE_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("EVIDENCE_S3_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("EVIDENCE_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            # Presigned URLs (downloads through nginx) signed with SigV4, which AWS and MinIO
            # accept everywhere; boto3 would otherwise presign with the deprecated SigV2.
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }
else:
    STORAGES["evidence"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": MEDIA_ROOT,  # names are evidence/<year>/<uuid>.<ext> (uploads.stored_name)
            "base_url": None,
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    }

# Uploaded workbooks between their preview and their confirmation (common/staging.py): where the
# evidence goes, under "staging/" (every app server can confirm what another previewed).
STORAGES["staging"] = STORAGES["evidence"]

# E-mail (password recovery, notifications). Without EMAIL_URL mail is printed to the console;
# a production server without it is "mail not configured": the password page says to ask the
# administrator instead of pretending to send (learningcity/email_url.py).
EMAIL_URL = os.environ.get("EMAIL_URL", "")
try:
    globals().update(email_settings(EMAIL_URL))
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from error
EMAIL_CONFIGURED = bool(EMAIL_URL) or DEBUG
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Thành phố học tập Hải Phòng <khong-tra-loi@localhost>"
)
#: The portal's address, e.g. "https://hoctap.haiphong.edu.vn": notification e-mails (sent with no
#: request at hand, e.g. by `send_reminders`) link to it; empty, they give the page's path only.
PORTAL_URL = os.environ.get("PORTAL_URL", "").rstrip("/")
#: Password reset requests an e-mail address, and a client, may make in an hour.
PASSWORD_RESETS_PER_ADDRESS = 3
PASSWORD_RESETS_PER_CLIENT = 10

# The database cache keeps a version token per unit-year besides the pages
# (evaluation/versions.py): Django's default of 300 entries would cull them, and the pages with
# them, as soon as a province's units filled it.
DATABASE_CACHE_OPTIONS = {"MAX_ENTRIES": 20_000}
# Django's cache, where the catalogue tree and the dashboards' data are kept
# (assignments/caching.py, evaluation/caching.py). It must be shared by every app server. Unset,
# it is the database's own table "django_cache" (created by `migrate`: common 0003), which every
# app server shares; "db://NAME" names another table; "redis://host:6379/0" selects Redis (needs
# the redis package); "dummy://" keeps nothing, every page reading the database.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith("db://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_URL.removeprefix("db://") or "django_cache",
            "OPTIONS": DATABASE_CACHE_OPTIONS,
        }
    }
elif CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL == "dummy://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif CACHE_URL:
    raise ImproperlyConfigured("CACHE_URL must start with db://, redis://, rediss:// or dummy://.")
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            "OPTIONS": DATABASE_CACHE_OPTIONS,
        }
    }

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# History pages in the admin show past versions; none is restored from there (values, documents
# and decisions change only through the portal's services; common/admin.py).
SIMPLE_HISTORY_REVERT_DISABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

AUTHENTICATION_BACKENDS = [
    # Throttles logins: after AXES_FAILURE_LIMIT failures the username/IP pair is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Failures count per username and client address. Behind proxies the address is the one the
# outermost of TRUSTED_PROXY_COUNT proxies appended to X-Forwarded-For (learningcity/
# client_address.py); without them (0) REMOTE_ADDR, and X-Forwarded-For is ignored.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "learningcity.client_address.client_address"

# Sessions: a working day, ended when the browser closes (shared office computers).
# The read API (/api/v1/): requests per token, and per address for refused tokens; the proxies
# in front (X-Forwarded-For) are those of TRUSTED_PROXY_COUNT.
API_RATE = os.environ.get("API_RATE", "120/m")
API_RATE_REFUSED = os.environ.get("API_RATE_REFUSED", "30/m")
NINJA_NUM_PROXIES = TRUSTED_PROXY_COUNT or None
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Production security: everything on whenever DEBUG is off (`manage.py check --deploy` is clean).
SECURE_SSL_REDIRECT = not DEBUG
# A load balancer probes the app servers over plain HTTP: /healthz answers it, never redirects.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("TRUST_X_FORWARDED_PROTO"):
    # Only behind a TLS-terminating proxy that sets this header itself (nginx:
    # `proxy_set_header X-Forwarded-Proto $scheme;`): without it every request looks like plain
    # HTTP and SECURE_SSL_REDIRECT loops forever. Never set it when clients reach Django directly.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SILENCED_SYSTEM_CHECKS = [
    # security.W021 asks for SECURE_HSTS_PRELOAD. Preloading puts the domain into browsers'
    # built-in HTTPS-only lists and is very hard to undo; a government domain opts into it
    # deliberately (for all its subdomains), not by default in an application's settings.
    "security.W021",
]

# Content-Security-Policy (django-csp): our own files only, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Errors go to stderr (journald under systemd, the container log elsewhere): with DEBUG off a
# server error's traceback must be kept somewhere. LOG_LEVEL raises or lowers the rest.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # Evidence PDFs are read leniently (evidence/inspection.py), as viewers read them: pypdf
        # warns about every fault it repairs in a scanner's imperfect file.
        "pypdf": {"level": "ERROR"},
    },
}
