"""Django settings, read only from ``CHEMPARK_*`` environment variables (see docs/operations.md)."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from chempark import config
from chempark.common.client_address import parse_trusted_proxies

# Every CHEMPARK_* variable, read and checked once, here at the start of the process (lower case: not a
# Django setting; code reads chempark.config.current()).
_conf = config.current()

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = _conf.data_dir

DEBUG = _conf.debug
# Production without a key of its own gets none, so nothing can sign with a published key; the system
# check (chempark.core.checks) refuses to start it and says why.
SECRET_KEY = _conf.secret_key or ("" if _conf.env is config.Env.PRODUCTION else config.DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = list(_conf.allowed_hosts)
CSRF_TRUSTED_ORIGINS = list(_conf.csrf_trusted_origins)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "chempark.core",
    "chempark.accounts",
    "chempark.park",
    "chempark.hazards",
    "chempark.monitoring",
    "chempark.emergency",
    "chempark.dashboard",
    "chempark.vehicles",
    "chempark.command",
    "chempark.notifications",
    "chempark.budget",
    "chempark.plans",
    "chempark.incidents",
    "chempark.tracking",
    "chempark.supervision",
    "chempark.video",
]

MIDDLEWARE = [
    "chempark.core.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "chempark.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "chempark.core.middleware.RequestIdMiddleware",
    "chempark.core.middleware.ApiErrorMiddleware",
    "chempark.core.middleware.DomainErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "chempark.core.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "chempark.urls"
ASGI_APPLICATION = "chempark.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "chempark.core.context_processors.navigation",
            ],
        },
    }
]

if _conf.database_url:
    _pg = config.parse_database_url(_conf.database_url)
    DATABASES = {
        "default": {
            "ENGINE": "chempark.core.db_backend",  # Django's, with a pool that follows NAME (see there)
            "NAME": _pg.name,
            "USER": _pg.user,
            "PASSWORD": _pg.password,
            "HOST": _pg.host,
            "PORT": _pg.port,
            # Under ASGI each request's view runs in a thread of its own, and Django's connections are
            # per thread: without a pool every request opened (and left behind) a connection of its own
            # — tens of milliseconds each. The pool hands the process's open connections to its requests.
            "CONN_MAX_AGE": 0 if _conf.database_pool_size else _conf.database_conn_max_age,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": (
                {
                    "pool": {
                        "min_size": 1,
                        "max_size": _conf.database_pool_size,
                        "timeout": _conf.database_pool_timeout_s,
                    }
                }
                if _conf.database_pool_size
                else {}
            ),
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "chempark.sqlite3",
            "OPTIONS": {
                # WAL lets the web process read while an ingest worker writes; IMMEDIATE avoids
                # the "database is locked" upgrade deadlock between two writers.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
            # A file, not Django's default in-memory test database: the browser tests' live server
            # answers requests in parallel threads, each of which needs its own connection.
            "TEST": {"NAME": DATA_DIR / "test-chempark.sqlite3"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Django's model backend, refusing locked accounts too (their open sessions end with the lock).
AUTHENTICATION_BACKENDS = ["chempark.accounts.backends.AccountBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:onemap"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": _conf.password_min_length},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "chempark.accounts.passwords.CharacterClassValidator"},
]

# Session timeout: an idle session ends after this many seconds. Only the user's own requests
# renew it; the live stream and background refreshes do not (core.middleware.IdleTimeoutMiddleware).
SESSION_COOKIE_AGE = _conf.session_timeout_s
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _conf.https
CSRF_COOKIE_SECURE = _conf.https

# Failed logins are throttled per (username, client address): after LOGIN_MAX_FAILURES in a row the
# address waits LOGIN_DELAY_S, doubling with each further failure up to LOGIN_LOCKOUT_S.
LOGIN_MAX_FAILURES = _conf.login_max_failures
LOGIN_DELAY_S = _conf.login_delay_s
LOGIN_LOCKOUT_S = _conf.login_lockout_s
# Reverse proxies whose X-Forwarded-* headers are believed (core.proxy, accounts.login).
TRUSTED_PROXIES = parse_trusted_proxies(_conf.trusted_proxies)
# Person API tokens expire this many days after issue (machine tokens run until revoked).
PERSON_TOKEN_TTL_DAYS = _conf.person_token_ttl_days

# HTTPS, when the site is served through the TLS proxy: every HTTP request is redirected (but the load
# balancer's /healthz probe), browsers are told to stay on HTTPS, and the proxy's X-Forwarded-Proto
# says which requests came over HTTPS. Django believes that header from anyone, so it is set only with
# trusted proxies, and TrustedProxyMiddleware removes it from requests that did not come through one.
SECURE_SSL_REDIRECT = _conf.https
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = _conf.hsts_seconds if _conf.https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _conf.trusted_proxies else None

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

# Upload limits: an enterprise workbook of a few thousand rows is far below this.
DATA_UPLOAD_MAX_MEMORY_SIZE = _conf.upload_max_bytes
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# Background jobs (``chempark worker``): heartbeat interval, and how long a running job may go
# without one before the reaper takes it back from its (dead) worker.
JOB_HEARTBEAT_S = _conf.job_heartbeat_s
JOB_STALE_S = _conf.job_stale_s
# The largest workbook import, in data rows: reading stops at the next row and refuses the file.
IMPORT_MAX_ROWS = _conf.import_max_rows

# Optional basemap tile URL (e.g. 天地图 with its key); empty means the park's own layers only.
# the basemap's tile URL templates, space-separated, drawn bottom up (config.basemap_tiles)
MAP_TILE_URL = " ".join(config.basemap_tiles(_conf))
MAP_TILE_ATTRIBUTION = _conf.map_tile_attribution or ("天地图" if _conf.map_tianditu_key else "")

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": _conf.log_level},
}
