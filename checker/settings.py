"""Django settings for 防骗体检, read from the environment only (see README, "Settings")."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import dj_database_url

from checker.env import ConfigError, env_bool, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

# A fixed key is acceptable only for local development; production must bring its own.
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if SECRET_KEY is None:
    if DEBUG:
        SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105
    elif env_bool("CHECKER_ONE_OFF_COMMAND", False):
        # manage.py commands other than runserver (assess, train, migrate …) sign nothing that
        # outlives them, so a throwaway key is safe there; serving always needs a real one.
        import secrets

        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        raise ConfigError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is 0")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
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
    "csp",
    "corsheaders",
    "axes",
    "checker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "checker.middleware.BoundedBodyMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "checker.middleware.ModelUnavailableMiddleware",
    "checker.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out admin login into its 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "checker.urls"
WSGI_APPLICATION = "checker.wsgi.application"

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
                "checker.context_processors.limits",
                "checker.context_processors.display",
            ],
        },
    },
]

DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql"),
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
# An unreachable or stuck PostgreSQL must cost a request seconds, not the whole worker timeout.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 3, minimum=1)
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 5, minimum=0)  # seconds; 0 = none
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend plus a client-side deadline on every wait, which a frozen server cannot ignore.
    DATABASES["default"]["ENGINE"] = "checker.db.postgresql"
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": DATABASE_CONNECT_TIMEOUT,
        "options": f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss", "unix"))
REDIS_TIMEOUT = 0.2  # seconds, to connect and for each reply
if REDIS_URL:
    # Shared by every app server, so rate limits hold across the whole fleet.
    # Fails soft (checker/cache.py): Redis down or frozen lifts the rate limit, with a warning, rather
    # than failing checks; the short timeouts bound what a frozen Redis costs a request.
    CACHES = {
        "default": {
            "BACKEND": "checker.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    # One machine: a directory every gunicorn worker on it shares, so a client's rate limit is one
    # allowance, not one per worker. Fails soft too (checker/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "checker.cache.FailSoftFileCache",
            "LOCATION": env_str("CHECKER_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
        }
    }

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without the manifest (development, tests, a quick gunicorn), serve straight from static/ rather
# than from a collectstatic that was never run.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# --- Security -----------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer probes the app server itself, over plain HTTP: answer, do not redirect.
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz)$"]
# Behind a TLS-terminating load balancer that sets X-Forwarded-Proto.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# An expired form gets a plain sentence, never the technical 403 page.
CSRF_FAILURE_VIEW = "checker.views.errors.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Only the widget may be framed; its view replaces frame-ancestors with this list.
# static/js/embed.js assumes the default's plain-http rule: off localhost it shows a link, not a frame.
WIDGET_FRAME_ANCESTORS = env_list("WIDGET_FRAME_ANCESTORS", ["https:", "http://localhost:*", "http://127.0.0.1:*"])

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}
# No report-only policy; said explicitly because django-csp looks it up on every response.
CONTENT_SECURITY_POLICY_REPORT_ONLY = None

# Partners call the JSON API from their own origins; nothing else is cross-origin.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False

ADMIN_PATH = env_str("DJANGO_ADMIN_PATH", "staff-admin/")
if not ADMIN_PATH.endswith("/") or ADMIN_PATH.startswith("/"):
    raise ConfigError("DJANGO_ADMIN_PATH must look like 'some-path/' (no leading slash, a trailing slash)")

# The admin login is throttled (django-axes): 5 wrong passwords for one username from one address
# lock that pair out for 15 minutes (a 429), without locking the real admin out from elsewhere.
# Only the admin's login is ever recorded: the checks authenticate nobody, and successful logins
# are not logged either (no access log).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Behind the load balancer, the address the rate limits use (checker/client_ip.py), not the balancer's.
AXES_CLIENT_IP_CALLABLE = "checker.client_ip.client_ip" if BEHIND_PROXY else None
AXES_ONLY_ADMIN_SITE = True
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_COOLOFF_MESSAGE = "登录失败次数太多：这个账号在当前网络上已锁定 15 分钟，请稍后再试。"

# --- The checker -------------------------------------------------------------------------
# The one root every loader reads authored content from (checker/analysis/layout.py).
CHECKER_CONTENT_DIR = Path(env_str("CHECKER_CONTENT_DIR", str(BASE_DIR / "content")))
CHECKER_MODEL_PATH = Path(env_str("CHECKER_MODEL_PATH", str(BASE_DIR / "var" / "model" / "engine.npz")))
CHECKER_MAX_CHARS = env_int("CHECKER_MAX_CHARS", 5000, minimum=100)
RESULT_RETENTION_DAYS = env_int("RESULT_RETENTION_DAYS", 180, minimum=1)
# Feedback (redacted) is kept for review this long, even after its result is deleted.
FEEDBACK_RETENTION_DAYS = env_int("FEEDBACK_RETENTION_DAYS", 180, minimum=1)
# Days of check counts kept for /trends/ (checker/trends.py); `manage.py prune_trends` deletes older ones.
CHECKER_TRENDS_DAYS = env_int("CHECKER_TRENDS_DAYS", 400, minimum=30)
RATELIMIT_CHECKS = env_str("RATELIMIT_CHECKS", "30/m")
# Behind a load balancer every request comes from its address; limit by the client it reports.
# PROXY_HOPS is how many proxies of ours append to X-Forwarded-For (a CDN before the balancer: 2).
RATELIMIT_IP_META_KEY = "checker.client_ip.client_ip" if BEHIND_PROXY else None
PROXY_HOPS = env_int("DJANGO_PROXY_HOPS", 1, minimum=1)
# django-ratelimit's other settings at their defaults, spelled out: a setting it looks up and does not
# find costs a raised exception in every rate-limited request.
RATELIMIT_ENABLE = True
RATELIMIT_USE_CACHE = "default"
RATELIMIT_CACHE_PREFIX = "rl:"
RATELIMIT_HASH_ALGORITHM = hashlib.sha256
RATELIMIT_IPV4_MASK = 32
RATELIMIT_IPV6_MASK = 64
# A cache outage lifts the limit (with a warning, checker/cache.py) rather than refusing every check.
RATELIMIT_FAIL_OPEN = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
# Only the check routes take a file (a screenshot, below); any other multipart body over the limit
# is refused whole (checker/middleware.py), and what is under it stays in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# --- Screenshots: OCR and QR codes (issue 14; checker/ocr/) ------------------------------------
# A bounded pool of OCR processes outside the web workers, started by gunicorn's master at boot
# (gunicorn.conf.py) or on first use elsewhere; models loaded once per process.
CHECKER_OCR_WORKERS = env_int("CHECKER_OCR_WORKERS", 1, minimum=1)
# How long a check waits for a free OCR process before answering 503 with Retry-After.
CHECKER_OCR_WAIT = env_int("CHECKER_OCR_WAIT_MS", 2000, minimum=1) / 1000
CHECKER_IMAGE_MAX_BYTES = 8 * 1024 * 1024
CHECKER_IMAGE_MAX_PIXELS = 40_000_000
# A check with a screenshot: the image, the text and the form's framing. The check routes accept a
# multipart body this large (checker/uploads.py); anything else keeps DATA_UPLOAD_MAX_MEMORY_SIZE.
CHECKER_UPLOAD_MAX_BYTES = CHECKER_IMAGE_MAX_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE
# Uploads are held in memory only, never spooled to a temporary file: no TemporaryFileUploadHandler.
# Bodies are bounded before parsing, so whatever the handler sees fits under this size.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = CHECKER_UPLOAD_MAX_BYTES
# --- end of screenshots ------------------------------------------------------------------------

# Submitted text must never reach a log: Django's request logger records only method, path and
# status, and nothing here logs bodies.
# Share tokens neither: the loggers that name request paths log the route instead (checker/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_share_tokens": {"()": "checker.logs.NoShareTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_share_tokens"]}},
    "loggers": {
        name: {"filters": ["no_share_tokens"]} for name in ("django.request", "django.server", "gunicorn.access")
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}
