"""Crossroads settings: one module, driven by environment variables.

Development needs nothing set (SQLite, DEBUG on). Production is switched on by
``DJANGO_ENV=production``, which turns DEBUG off and requires ``DJANGO_SECRET_KEY``
and ``DJANGO_ALLOWED_HOSTS``.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, *, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "development").lower() == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)

if PRODUCTION:
    try:
        SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
    except KeyError as exc:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.") from exc
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production.")
else:
    SECRET_KEY = os.environ.get(
        "DJANGO_SECRET_KEY", "django-insecure-development-only-key-never-use-in-production"
    )
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default="127.0.0.1,localhost,testserver")

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_tasks_db",
    "opportunities",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "opportunities.web.observability.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "opportunities.web.middleware.HtmxMessagesMiddleware",
    "opportunities.web.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so a page it serves still passes out through all of the above.
    "opportunities.web.page_cache.PageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opportunities.web.navigation.menu",
            ],
            "builtins": ["django.templatetags.static"],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while the slider writes; IMMEDIATE avoids
    # "database is locked" when two requests upgrade read locks at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side binding lets PostgreSQL keep a plan for the statements a connection
    # repeats (psycopg prepares one on its 5th run): about 40% less database CPU per
    # slider save. Behind PgBouncer in transaction mode, give it max_prepared_statements
    # (1.21+), or turn preparing off with DJANGO_DB_PREPARE_THRESHOLD=off.
    threshold = os.environ.get("DJANGO_DB_PREPARE_THRESHOLD", "5").strip().lower()
    if threshold != "off" and not threshold.isdigit():
        raise ImproperlyConfigured("DJANGO_DB_PREPARE_THRESHOLD must be a whole number or off.")
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": None if threshold == "off" else int(threshold),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username/address pair is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the user with their page-cache counters in one query.
    "opportunities.accounts.backends.VersionedModelBackend",
]
# Login throttling (django-axes): five failures lock that username from that address
# for 15 minutes; other people, and the same person elsewhere, are unaffected.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)  # the lockout page says so
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Failures are counted under the username cut to 150 characters (no account's is longer):
# axes stores at most 255, and a longer one sent at log-in was a 500.
AXES_USERNAME_CALLABLE = "opportunities.accounts.throttling.throttled_username"
AXES_CLIENT_IP_CALLABLE = "opportunities.accounts.throttling.throttled_address"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "opportunities:dashboard"
LOGOUT_REDIRECT_URL = "login"

# A signed-in person's heavier pages are kept until a write changes their data
# (opportunities.web.page_cache), and at most this long (give or take a tenth, so pages
# kept together do not all expire together): what bounds a page made stale by a change
# typed by hand into the database. 0 turns the cache off, the default in development,
# where a template just edited should show on the next reload (the tests turn it on:
# tests/conftest.py).
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600" if PRODUCTION else "0"))
# Where they are kept: in each app-server process (the default: at most 1000 pages, each
# at most 64 KB compressed, so 64 MB a process at worst and a few MB in practice), or,
# with DJANGO_PAGE_CACHE_URL (redis://, rediss:// or unix://), in one Redis that every
# process shares, so that a page is drawn once after a write, not once per process.
# Should Redis stop answering, pages are drawn as if never kept (never a 500).
PAGE_CACHE_URL = os.environ.get("DJANGO_PAGE_CACHE_URL", "")
if PAGE_CACHE_URL and not PAGE_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        "DJANGO_PAGE_CACHE_URL must be a Redis address (redis://, rediss:// or unix://)."
    )
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": PAGE_CACHE_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_PAGE_CACHE_PREFIX", "crossroads-pages"),
            # A Redis that hangs costs a request half a second at most, then the page is
            # drawn (opportunities.web.page_cache).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if PAGE_CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "crossroads-pages",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    ),
}

SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Messages ride in a signed cookie (the session only holds what does not fit): keeping
# them in the session wrote the session row twice per message, when it was added and
# when it was shown, three statements each (BEGIN, UPDATE, COMMIT).
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "opportunities.web.static_storage.StaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if PRODUCTION
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "OPTIONS": (
            {
                "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25")),
            }
            if PRODUCTION
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "crossroads@localhost")

# Email leaves through Django's tasks, never inside a request: in production the tasks
# wait in the database and `manage.py db_worker` (beside gunicorn) sends them, so a slow
# mail server never holds a page. Development and the tests run them at once.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_TASKS_BACKEND",
            "django_tasks_db.DatabaseBackend"
            if PRODUCTION
            else "django.tasks.backends.immediate.ImmediateBackend",
        ),
    }
}

# Length limits are counted and refused, never cut by the browser (web/forms.py).
FORM_RENDERER = "opportunities.web.forms.FormRenderer"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content Security Policy with per-request nonces: no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Off only for plain-HTTP loopback use (make serve, benchmarks); never on the internet.
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "opportunities.web.observability.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "opportunities.web.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_context"],
            "formatter": os.environ.get("DJANGO_LOG_FORMAT", "json" if PRODUCTION else "text"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The access line is ours (crossroads.access); runserver's would repeat it.
        "django.server": {"level": "WARNING"},
        "crossroads.access": {
            "level": "INFO"
            if PRODUCTION or env_bool("DJANGO_ACCESS_LOG", default=False)
            else "WARNING"
        },
    },
}

# How many proxies of ours (load balancer, reverse proxy) stand before the app servers:
# the rate limits then count the client address the outermost one appended to
# X-Forwarded-For, not the proxy's own. 0 (the default) counts the connection's peer.
PROXIES_IN_FRONT = int(os.environ.get("DJANGO_PROXIES_IN_FRONT", "0"))
if not 0 <= PROXIES_IN_FRONT <= 5:
    raise ImproperlyConfigured("DJANGO_PROXIES_IN_FRONT must be a whole number from 0 to 5.")

# Tests turn this on (tests/conftest.py): a lazy load raises, so N+1 cannot creep in.
FETCH_MODE_RAISE = False
