"""Settings shared by every mode. Everything that differs between machines comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-local-development-key-change-me-0123456789")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # operator classes in index expressions (core.search.TrigramIndex)
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "django_otp",
    "core.vendor_apps.TotpConfig",
    "core.vendor_apps.AxesConfig",
    "core",
    "accounts",
    "credit",
    "applications",
    "reviews",
    "disbursements",
    "aftercare",
    "evaluation",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SessionRefreshMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.middleware.RequestContextMiddleware",
    "core.middleware.RejectNulBytesMiddleware",
    "core.middleware.NoStoreMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhengzhou_grants.urls"
WSGI_APPLICATION = "zhengzhou_grants.wsgi.application"
ASGI_APPLICATION = "zhengzhou_grants.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite unless DATABASE_URL names another (PostgreSQL in deployment and CI).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when PostgreSQL is unreachable instead of hanging a worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(env("DB_CONNECT_TIMEOUT", "5"))
# SQLite (the embedded mode) builds an index without its INCLUDE columns, which only let PostgreSQL count a list
# from the index alone (applications' app_county_status_amount): nothing to warn about there.
SILENCED_SYSTEM_CHECKS = ["models.W040"] if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else []
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded mode: the server and the background worker write to one file. Write-ahead logging lets the
    # pages read while a job writes; a writer waits for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 20, "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.permissions.RulesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
# Argon2id first (accounts/hashers.py); PBKDF2 second so that older hashes still verify and are upgraded to
# Argon2id at the user's next login.
PASSWORD_HASHERS = [
    "accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions live in the database so that the site keeps working when Redis is down.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 30 * 60  # idle timeout: 30 minutes
# an idle timeout, not an absolute one: activity pushes the expiry, at most once a minute
# (core.middleware.SessionRefreshMiddleware), not with a write on every request
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "core.views.csrf_failure"  # the Chinese 403 page, not Django's English explanation

# Lockout (django-axes): 5 failures within 15 minutes lock the pair (username, client IP), so an
# attacker elsewhere cannot lock the real user out of their own login.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False

# Two-factor authentication (django-otp, TOTP) for the privileged roles.
OTP_TOTP_ISSUER = "郑州市制造业高质量发展专项资金管理平台"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"  # never served directly: files go out through permission-checking views
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env("S3_BUCKET"):
    # S3-compatible object storage (MinIO, OSS, COS ...) for uploads when configured.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL"),
            "access_key": env("S3_ACCESS_KEY"),
            "secret_key": env("S3_SECRET_KEY"),
            "region_name": env("S3_REGION"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

UPLOAD_MAX_BYTES = int(env("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# core.uploads: refuse a request whose declared or streamed size passes UPLOAD_MAX_BYTES while it comes in.
FILE_UPLOAD_HANDLERS = [
    "core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail (Django 6.1 MAILERS): console in the demo, SMTP when EMAIL_HOST is set.
if env("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": int(env("EMAIL_PORT", "25")),
                "username": env("EMAIL_HOST_USER", ""),
                "password": env("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@zzgxj.example.cn")

# Celery: Redis when REDIS_URL is set (deployment); otherwise (embedded mode) the same tasks go through a local
# SQLite file (kombu's SQLAlchemy transport) to the worker `make run` starts next to the server.
REDIS_URL = env("REDIS_URL", "")

# The shared cache: whatever must hold across processes and restarts (rate limits). Redis in deployment;
# the database cache table (manage.py createcachetable) in the embedded mode. Never a per-process cache.
if REDIS_URL:
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "zz"),
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }}
else:
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "core_cache",
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "zz"),
    }}


def _rate(name, default):
    """'attempts/seconds' from RATE_LIMIT_<NAME> or the default."""
    attempts, seconds = env(f"RATE_LIMIT_{name.upper()}", default).split("/")
    return int(attempts), int(seconds)


# core.ratelimit: attempts per window (seconds) per client IP (and username or e-mail where there is one).
RATE_LIMITS = {
    "register": _rate("register", "10/3600"),
    "password_reset": _rate("password_reset", "5/3600"),
    "objection": _rate("objection", "10/3600"),
    "two_factor": _rate("two_factor", "10/900"),
    # the data interface: per token, and per client address for the public endpoints
    "api": _rate("api", "300/60"),
    "api_public": _rate("api_public", "120/60"),
}

# The data interface (/api/v1/, the api app): Django REST framework with an OpenAPI 3 schema (drf-spectacular);
# the documentation page's assets come from drf-spectacular-sidecar, served locally like every other asset.
API_PATH_PREFIX = "/api/"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasToken"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.SharedCacheThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StrictPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "郑州市制造业高质量发展专项资金 数据接口",
    # DESCRIPTION: api/urls.py (translated)
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}
EMBEDDED_BROKER_URL = f"sqla+sqlite:///{BASE_DIR / 'var' / 'celery-broker.sqlite3'}"
CELERY_BROKER_URL = REDIS_URL or env("CELERY_BROKER_URL", EMBEDDED_BROKER_URL)
# No result backend in the embedded mode: background jobs keep their state and progress in their own rows.
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# With late acknowledgement a task whose worker died is handed out again once the visibility timeout has
# passed (Redis transport); the timeout must stay longer than the longest task (the report job: seconds).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1, "interval_start": 0, "interval_step": 0.5, "socket_connect_timeout": 2,
    "visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", "3600")),
}
# The SQLAlchemy transport hands its options to create_engine(): only the retry policy and SQLite's lock wait.
EMBEDDED_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5,
                                     "connect_args": {"timeout": 20}}
if not REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = EMBEDDED_BROKER_TRANSPORT_OPTIONS
# A request that queues a task after commit must not hang while Redis is down (the outbox waits and the
# beat sweep sends it later): one quick retry when publishing, and the Redis result backend (which every
# .delay() subscribes to) gives up after one retry instead of twenty one-second ones.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_BEAT_SCHEDULE = {
    "send-pending-emails": {"task": "core.send_pending_emails", "schedule": 60.0},
    # every morning at 08:00 (Asia/Shanghai): one e-mail per user for the queue notifications not e-mailed one by one
    "send-daily-digest": {"task": "core.send_daily_digest", "schedule": crontab(hour=8, minute=0)},
    # every morning at 08:30 (Asia/Shanghai): the calendar reminders of every call (applications/reminders.py)
    "send-reminders": {"task": "applications.send_reminders", "schedule": crontab(hour=8, minute=30)},
    # every morning at 08:15 (Asia/Shanghai): the follow-up reports of the funded projects (aftercare)
    "schedule-followups": {"task": "aftercare.schedule_followups", "schedule": crontab(hour=8, minute=15)},
    # every night at 03:30 (Asia/Shanghai): every application's duplicate flag recomputed (applications/duplicates.py)
    "refresh-duplicates": {"task": "applications.refresh_duplicates", "schedule": crontab(hour=3, minute=30)},
    # the kept counts of applications by call, county and status: their rows of changes folded together
    "compact-tally": {"task": "applications.compact_tally", "schedule": 600.0},
}
# A background export with more rows than this runs as a job (core/jobs.py); smaller ones download at once.
EXPORT_JOB_THRESHOLD = int(env("EXPORT_JOB_THRESHOLD", "2000"))

# Security headers and Content-Security-Policy (Django's built-in CSP; no inline scripts).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

PLATFORM_NAME = _("Zhengzhou Manufacturing High-Quality Development Special Fund Platform")

