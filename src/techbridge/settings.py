"""Django settings, read from the environment (see techbridge.config and the operator guide in README.md)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url

from techbridge.config import email_settings, env_bool, env_list, env_str, home_dir

BASE_DIR = Path(__file__).resolve().parent
HOME = home_dir()

#: "production" turns on every transport-security setting; anything else is a development setup.
ENVIRONMENT = env_str("TECHBRIDGE_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
TESTING = "pytest" in sys.modules or env_bool("TECHBRIDGE_TESTING")

DEBUG = env_bool("DEBUG", default=not PRODUCTION and not TESTING)
_dev_key = "django-insecure-techbridge-development-key-change-me-0123456789abcdefghij"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _dev_key)
if PRODUCTION and len(SECRET_KEY) < 50:
    raise RuntimeError("SECRET_KEY must be set to at least 50 random characters in production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "axes",
    "huey.contrib.djhuey",
    "techbridge.core",
    "techbridge.exchange",
    "techbridge.matching",
    "techbridge.events",
    "techbridge.programme",
    "techbridge.periodical",
    "techbridge.funding",
    "techbridge.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "techbridge.core.middleware.SecurityHeadersMiddleware",
    "techbridge.core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "techbridge.urls"
WSGI_APPLICATION = "techbridge.wsgi.application"

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
                "techbridge.core.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{HOME / 'techbridge.sqlite3'}"),
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # A file (not memory) so tests can start worker subprocesses on the same database; one per test process.
    DATABASES["default"]["TEST"] = {"NAME": str(HOME / f"test-techbridge-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
ACCOUNT_ADAPTER = "techbridge.core.security.mail.QueuedMailAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"

AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(env_str("AXES_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_USERNAME_FORM_FIELD = "login"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("ru", "Русский"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(HOME / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
_node_modules = BASE_DIR.parent.parent / "node_modules"
HTMX_AVAILABLE = (_node_modules / "htmx.org").exists()
STATICFILES_DIRS = [BASE_DIR / "static"]
if HTMX_AVAILABLE:
    STATICFILES_DIRS.append(("vendor/htmx", _node_modules / "htmx.org" / "dist"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(HOME / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
TECHBRIDGE_MAX_ATTACHMENT_BYTES = int(env_str("TECHBRIDGE_MAX_ATTACHMENT_BYTES", str(10 * 1024 * 1024)))
TECHBRIDGE_MAX_IMPORT_BYTES = int(env_str("TECHBRIDGE_MAX_IMPORT_BYTES", str(50 * 1024 * 1024)))
TECHBRIDGE_PROFILE_VALIDITY_DAYS = int(env_str("TECHBRIDGE_PROFILE_VALIDITY_DAYS", "365"))
TECHBRIDGE_EXPIRY_REMINDER_DAYS = 14
TECHBRIDGE_INDEX_DIR = HOME / "index"
TECHBRIDGE_RETENTION_DAYS = int(env_str("TECHBRIDGE_RETENTION_DAYS", str(5 * 365)))
#: Seconds a mailing copy may stay "sending" before the outbox reports it uncertain (its worker died mid-send).
TECHBRIDGE_OUTBOX_STALE_AFTER = float(env_str("TECHBRIDGE_OUTBOX_STALE_AFTER", "600"))
GEOIP_PATH = env_str("GEOIP_PATH", "")

globals().update(email_settings(env_str("EMAIL_URL", "")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "TechBridge <no-reply@techbridge.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "techbridge"}
    )
}

# Background tasks: SQLite storage by default, Redis in production, executed inline in tests.
HUEY = {
    "name": "techbridge",
    "immediate": env_bool("HUEY_IMMEDIATE", TESTING),
    "results": True,
    "utc": True,
    "consumer": {"workers": int(env_str("HUEY_WORKERS", "2")), "worker_type": "thread"},
}
if env_str("REDIS_URL"):
    HUEY.update({"huey_class": "huey.RedisHuey", "url": env_str("REDIS_URL")})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(HOME / "tasks.sqlite3")})

NINJA_PAGINATION_PER_PAGE = 20
#: API requests per minute per signed-in user / per client address (429 beyond).
TECHBRIDGE_API_RATE_USER = int(env_str("TECHBRIDGE_API_RATE_USER", "1200"))
TECHBRIDGE_API_RATE_ANON = int(env_str("TECHBRIDGE_API_RATE_ANON", "300"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
