"""Settings for the CICA press office portal, read from the environment (twelve-factor)."""

import datetime
import os
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers as default_cors_headers
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable; anything but a known word is an error."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A developer's machine with nothing set gets debug mode; production sets DJANGO_DEBUG=false
# and must then give a real secret key (see README, "Deploying").
DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-development-only-never-used-with-debug-off"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin: their templates (the workspace's look) are found before the ones they
    # replace.
    "core",
    "editorial",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "corsheaders",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "axes",
    "contacts",
    "releases",
    "django_tasks",
    "django_tasks_db",
    "library",
    "alerts",
    "webhooks",
]

MIDDLEWARE = [
    "core.web.observability.RequestIdMiddleware",
    "core.web.middleware.RejectNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.web.middleware.AdminInlineStylesMiddleware",
    "core.web.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Access-Control-Allow-Origin: * on the API, feeds and calendars (CORS_URLS_REGEX).
    "corsheaders.middleware.CorsMiddleware",
    # brotli or gzip for answers alike for every visitor (never the admin or a form: BREACH).
    "core.web.compression.CompressionMiddleware",
    # Anonymous GETs of the public site read the replica when there is one (DATABASE_REPLICA_URL).
    "core.database.ReplicaReadsMiddleware",
    # A 404 for an old address (the old sites', a renamed slug) becomes a 301 to the new one.
    "core.redirects.OldAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the URL: /ru/... is Russian, everything else English.
    "core.web.middleware.UrlLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "core.caching.PublicPageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The admin in the language each editor chose (after the URL's, which it overrides there).
    "editorial.middleware.EditorLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# Sign-in: django-axes counts failed logins and locks the account for this address once
# AXES_FAILURE_LIMIT failures come in a row, for AXES_COOLOFF_TIME (see README, "Settings").
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("DJANGO_LOGIN_LOCKOUT_MINUTES", "15"))
)
# A username from one address: an attacker elsewhere cannot lock a press officer out, and a
# shared office address is not locked as a whole.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# Behind N reverse proxies the client's address is in X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

ROOT_URLCONF = "cica_portal.urls"
# The site's front page, where the language switcher leads when a page has no version.
HOME_URL_NAME = "releases:home"
WSGI_APPLICATION = "cica_portal.wsgi.application"

TEMPLATES = [
    {
        # The public site (templates/): Jinja2 with its i18n extension (core/templating.py).
        # Asked first; what it lacks, the next one has.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "core.web.templating.environment",
            "context_processors": [
                "django.template.context_processors.i18n",
                "core.web.context_processors.languages",
            ],
        },
    },
    {
        # The editors' workspace (the admin), mails, form widgets and the API docs page: Django's
        # template language, from each app's templates/ folder.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite under var/ unless DATABASE_URL names another database (PostgreSQL in production).
# An empty DATABASE_URL (as `DATABASE_URL= make test` sets it) means unset, not "no database".
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'cica.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # One writer at a time without "database is locked" errors under runserver threads; WAL lets
    # readers go on while a write (an import) commits, and NORMAL sync is safe with WAL.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Behind a pooler in transaction mode (PgBouncer): a connection is another server session
    # from one transaction to the next, so no server-side cursors, and no prepared statements
    # unless DATABASE_PREPARED_STATEMENTS=true says the pooler keeps them (PgBouncer 1.21+ with
    # max_prepared_statements).
    DATABASE_POOLED = env_bool("DATABASE_POOLED", False)
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASE_POOLED
    if env_bool("DATABASE_PREPARED_STATEMENTS", default=not DATABASE_POOLED):
        # Parameters sent apart from the SQL (server-side binding), so that psycopg prepares a
        # statement its connection has run five times and PostgreSQL plans it once, not on
        # every request: a release page's eleven queries took a quarter less time, the API
        # list's twenty releases a tenth (bench/prepared_statements.py). A worker's statements
        # are forgotten when it restarts. Word searches are never prepared: their best plan
        # depends on the words (core/database.py).
        DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}

# A streaming replica for the public site's reads (core/database.py: anonymous GETs outside the
# admin, previews and alert forms, and not just after a purge); writes, the admin and everything
# else read the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "DISABLE_SERVER_SIDE_CURSORS": DATABASES["default"].get(
            "DISABLE_SERVER_SIDE_CURSORS", False
        ),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["core.database.ReplicaRouter"]
# How long after a purge public pages are still read from the primary: a replica this far
# behind would otherwise put rows from before the change into the fresh cache.
DATABASE_REPLICA_LAG_SECONDS = float(os.environ.get("DATABASE_REPLICA_LAG_SECONDS", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Its loss slows the site but never stops it (core/caching/redis.py): meanwhile each
    # process keeps entries in its own memory ("fallback") for a second at most. Give the
    # server a memory bound with an LRU policy (README, "Caching"): maxmemory 256mb,
    # maxmemory-policy allkeys-lru.
    CACHES = {
        "default": {
            "BACKEND": "core.caching.redis.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cica",
            "OPTIONS": {
                "RETRY_SECONDS": float(os.environ.get("REDIS_RETRY_SECONDS", "5")),
                "FALLBACK": "fallback",
                "LOCAL_SECONDS": 1,
            },
        },
        "fallback": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "while-redis-is-away",
            "TIMEOUT": 1,
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("LOCAL_CACHE_ENTRIES", "1000"))},
        },
    }
else:
    # Per process, bounded: at most LOCAL_CACHE_ENTRIES entries (a page is ~10-40 KB), the
    # oldest third dropped when full.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {
                "MAX_ENTRIES": int(os.environ.get("LOCAL_CACHE_ENTRIES", "1000")),
                "CULL_FREQUENCY": 3,
            },
        }
    }
# The caches in front of the portal, purged by tag when content changes (core/caching/edge.py;
# README "Deploying"): Varnish addresses running deploy/varnish/default.vcl
# (http://10.0.0.5:6081), or cloudflare://<zone id> with EDGE_PURGE_TOKEN. Empty: none.
EDGE_PURGE_URLS = os.environ.get("EDGE_PURGE_URLS", "")
EDGE_PURGE_TOKEN = os.environ.get("EDGE_PURGE_TOKEN", "")
EDGE_PURGE_API_URL = os.environ.get("EDGE_PURGE_API_URL", "https://api.cloudflare.com/client/v4")
# How long a save's own purge waits for an edge before leaving it to the worker.
EDGE_PURGE_TIMEOUT = float(os.environ.get("EDGE_PURGE_TIMEOUT", "0.5"))

# Compressed bodies of shared answers, per process, by ETag (core/web/compression.py).
CACHES["compressed"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "compressed-answers",
    "TIMEOUT": 600,
    "OPTIONS": {"MAX_ENTRIES": 500},
}

# Anonymous pages and API answers are served from that cache (core/caching.py); `false`
# turns that off (throttling and sessions still use the cache), e.g. to measure without it.
PUBLIC_CACHE = env_bool("DJANGO_PUBLIC_CACHE", True)

# The media library (library/): files are never served from a public folder, only through
# library.views, which checks what each file is attached to. On the local disk by default;
# in an S3-compatible object store when MEDIA_S3_BUCKET is set (several web machines share it),
# served as signed addresses that expire.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
MEDIA_MAX_IMAGE_BYTES = int(float(os.environ.get("MEDIA_MAX_IMAGE_MB", "20")) * 1_048_576)
MEDIA_MAX_DOCUMENT_BYTES = int(float(os.environ.get("MEDIA_MAX_DOCUMENT_MB", "50")) * 1_048_576)
MEDIA_MAX_IMAGE_PIXELS = int(float(os.environ.get("MEDIA_MAX_IMAGE_MEGAPIXELS", "60")) * 1_000_000)
MEDIA_RENDITION_WIDTHS = [
    int(w) for w in os.environ.get("MEDIA_RENDITION_WIDTHS", "480,960,1600").split(",") if w
]

# The public address of the site, for the links in mail (alerts): no trailing slash.
PUBLIC_BASE_URL = os.environ.get(
    "PUBLIC_BASE_URL", "http://127.0.0.1:8000" if DEBUG else "https://cica-portal.invalid"
).rstrip("/")

# Background work (alert mail) through Django's tasks API; the database is the queue and
# `manage.py db_worker` (make worker) runs it. TASKS_IMMEDIATE=true runs each task in the
# request that queues it instead (no worker, no scheduled sending: for a quick look only).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env_bool("TASKS_IMMEDIATE", False)
        else "django_tasks_db.DatabaseBackend",
    }
}

# Mail: printed on the console in development; SMTP when EMAIL_HOST is given. Any Django
# e-mail backend (e.g. django-anymail's) can be named in EMAIL_BACKEND.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "CICA press office <press-alerts@cica-portal.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where journalists' replies to an alert go (the press office's own mailbox).
ALERTS_REPLY_TO = os.environ.get("ALERTS_REPLY_TO", "press@cica-portal.invalid")
ALERTS_CONFIRM_HOURS = int(os.environ.get("ALERTS_CONFIRM_HOURS", "72"))
ALERTS_FORGET_UNCONFIRMED_DAYS = int(os.environ.get("ALERTS_FORGET_UNCONFIRMED_DAYS", "7"))
ALERTS_SIGNUPS_PER_CLIENT_HOUR = int(os.environ.get("ALERTS_SIGNUPS_PER_CLIENT_HOUR", "10"))
ALERTS_SIGNUPS_PER_ADDRESS_DAY = int(os.environ.get("ALERTS_SIGNUPS_PER_ADDRESS_DAY", "3"))
ALERTS_MIN_FORM_SECONDS = float(os.environ.get("ALERTS_MIN_FORM_SECONDS", "2"))
ALERTS_MAX_ATTEMPTS = int(os.environ.get("ALERTS_MAX_ATTEMPTS", "5"))
ALERTS_PAUSE_AFTER_FAILURES = int(os.environ.get("ALERTS_PAUSE_AFTER_FAILURES", "3"))
ALERTS_BATCH_SIZE = int(os.environ.get("ALERTS_BATCH_SIZE", "200"))
# Digests: the hour (Astana time) daily and weekly digests go out, and the weekly one's day
# (0 = Monday ... 4 = Friday).
ALERTS_DIGEST_HOUR = int(os.environ.get("ALERTS_DIGEST_HOUR", "18"))
ALERTS_DIGEST_WEEKDAY = int(os.environ.get("ALERTS_DIGEST_WEEKDAY", "4"))
# /.well-known/security.txt: where to report a vulnerability (comma-separated mailto: or https:
# addresses) and, if set, the file's expiry (RFC 3339; otherwise 180 days from each request).
SECURITY_CONTACTS = env_list("SECURITY_CONTACTS", "mailto:security@cica-portal.invalid")
SECURITY_TXT_EXPIRES = os.environ.get("SECURITY_TXT_EXPIRES", "")

# Reading from other origins (django-cors-headers): anonymous GET/HEAD of the API, the feeds and
# the calendars from any origin, without credentials; never the admin or a form.
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_URLS_REGEX = r"^(?:/[a-z]{2})?/(?:api/v1/.*|api/schema/|.*feed/(?:atom/)?|.*\.ics)$"
CORS_EXPOSE_HEADERS = (
    "ETag", "Last-Modified", "Link", "Retry-After",
    "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
)  # fmt: skip
# A partner's page may send its key (core/api/keys.py).
CORS_ALLOW_HEADERS = (*default_cors_headers, "x-api-key")

# Media accreditation to events: a request and its files are erased this many days after the
# event's last day; requests one visitor may send an hour.
ACCREDITATION_RETENTION_DAYS = int(os.environ.get("ACCREDITATION_RETENTION_DAYS", "30"))
ACCREDITATION_REQUESTS_PER_CLIENT_HOUR = int(
    os.environ.get("ACCREDITATION_REQUESTS_PER_CLIENT_HOUR", "5")
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
# The Secretariat is in Astana; Asia/Almaty is the tz database's zone for it. Stored in UTC.
TIME_ZONE = "Asia/Almaty"
# One date format per language, in lists and pages alike (cica_portal/formats/).
FORMAT_MODULE_PATH = "cica_portal.formats"
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "access_key": os.environ.get("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("MEDIA_URL_EXPIRY_SECONDS", "300")),
            "file_overwrite": False,
        },
    }

API_ANON_RATE = os.environ.get("API_ANON_RATE", "600/minute")

# Webhooks (webhooks/): a message that is not answered 2xx within WEBHOOKS_TIMEOUT_SECONDS is
# tried again after each of WEBHOOKS_RETRY_MINUTES, then its endpoint is paused. Items going
# live longer ago than WEBHOOKS_ANNOUNCE_WITHIN_HOURS (an archive import) are not announced.
WEBHOOKS_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOKS_TIMEOUT_SECONDS", "10"))
WEBHOOKS_RETRY_MINUTES = [
    float(m) for m in env_list("WEBHOOKS_RETRY_MINUTES", "1,5,30,120,720") if m.strip()
]
WEBHOOKS_ANNOUNCE_WITHIN_HOURS = float(os.environ.get("WEBHOOKS_ANNOUNCE_WITHIN_HOURS", "48"))
# Messages never go to a loopback or private address (SSRF) unless this is true (a receiver on
# the same machine or network: tests, development); registered addresses are https:// then too.
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", False)

# What `export_portal` writes and `restore_portal` loads (sessions and lockout counters are not
# worth keeping; content types and permissions are rebuilt by `migrate`).
# A revision's reason is text, not 100 characters: "Create the Russian version" of a long
# title, a publisher's change note, a restore's reason (PostgreSQL refused the longer ones).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

BACKUP_APPS = [
    "auth", "admin", "core", "editorial", "library", "contacts", "releases", "alerts", "webhooks",
]  # fmt: skip
# What restore_portal runs once the archive is in: the task queue is not kept, so the alerts
# still due (scheduled releases, mail not yet sent) are queued again and missing renditions made.
BACKUP_AFTER_RESTORE = ["queue_missing_alerts --all-due", "regenerate_renditions --missing"]

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "drf_orjson_renderer.renderers.ORJSONRenderer",  # JSON written by orjson
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["core.api.filtering.StrictFilterBackend"],
    "EXCEPTION_HANDLER": "core.api.viewsets.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
    # `format` is an events filter (in person, online, hybrid); the media type comes from Accept.
    "URL_FORMAT_OVERRIDE": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "CICA press office API",
    "DESCRIPTION": "Read-only access to CICA's public press releases, events, people, "
    "organisations, topics and media contacts.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",  # for `webhooks`: what the API pushes to registered consumers
    "WEBHOOKS": "webhooks.schema.WEBHOOKS",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.viewsets.document_error_responses",
        "core.api.viewsets.document_rate_headers",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ReleaseKindEnum": "releases.models.Release.Kind",
        "EventKindEnum": "releases.models.Event.Kind",
        "OrganisationKindEnum": "contacts.models.Organisation.Kind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.web.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "core.web.observability.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": os.environ.get("DJANGO_LOG_FORMAT", "plain" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Failed sign-ins and lockouts are warnings; every successful one need not be logged.
    "loggers": {"axes": {"level": "WARNING"}},
}

# ---------------------------------------------------------------- production hardening
# Behind a TLS-terminating proxy or load balancer that sets X-Forwarded-Proto.
if env_bool("DJANGO_BEHIND_TLS_PROXY", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# A strict Content-Security-Policy: nothing inline, nothing from other sites. The pages have no
# inline script or style (tests check it); JSON-LD blocks are data, which CSP does not execute.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
