"""Settings, all read from the environment in this one place (see .env.example)."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment or in .env "
        "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_prometheus",
    "corsheaders",
    "eximee",
    "bpms",
    "cases",
    "datamodel",
    "configuration",
    "documents",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "eximee.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "eximee.urls"
WSGI_APPLICATION = "eximee.wsgi.application"

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
            ],
        },
    },
]

# --- Services -------------------------------------------------------------------------------
# The platform needs PostgreSQL (its arrays and JSON operators; `make run` says how to start it).
# Without DATABASE_URL, Django gets a SQLite file only so that commands needing no database (check,
# collectstatic) run. Without REDIS_URL a filesystem broker and a file cache stand in.
DATABASE_URL = env.str("DATABASE_URL", default="")
DATABASES = {
    "default": env.db_url_config(DATABASE_URL)
    if DATABASE_URL
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "eximee.sqlite3")}
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
# Prepared statements (eximee/postgresql/base.py): off behind a connection pooler that cannot
# keep them per client (PgBouncer in transaction mode before 1.21).
if USING_POSTGRES and env.bool("DB_PREPARED_STATEMENTS", default=True):
    DATABASES["default"]["ENGINE"] = "eximee.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # The cache only saves database reads (token users, role mappings) and counts rate
            # limits: while Redis is down, a read misses and a write is dropped instead of failing
            # the request (tests/faults/test_redis_outage.py).
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2, "IGNORE_EXCEPTIONS": True},
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        "store_processed": False,
    }
else:
    # Longer than any service-task lock, so an unacknowledged task of a killed worker is
    # redelivered only after its lock could have expired.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "relay-outbox": {"task": "eximee.relay_outbox", "schedule": env.float("OUTBOX_RELAY_SECONDS", default=5.0)},
    "purge-idempotency-records": {"task": "eximee.purge_idempotency_records", "schedule": 3600.0},
}

# --- Internationalisation, static files --------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)

# --- API conventions (docs/api-conventions.md) --------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "DEFAULT_VERSION": "v1",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["eximee.permissions.RoleRequired"],
    "DEFAULT_PARSER_CLASSES": ["eximee.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "eximee.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "eximee.api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Eximee API",
    "DESCRIPTION": "Integration layer in front of BPMN 2.0 process engines.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "eximee.api.schema.problem_responses"],
}
IDEMPOTENCY_KEY_TTL_HOURS = env.int("IDEMPOTENCY_KEY_TTL_HOURS", default=24)

# --- Security defaults (the security issue extends these) ---------------------------------------
OIDC_ISSUER = env.str("OIDC_ISSUER", default="")
OIDC_AUDIENCE = env.str("OIDC_AUDIENCE", default="eximee-api")
OIDC_ROLES_CLAIMS = env.list("OIDC_ROLES_CLAIMS", default=["realm_access.roles", "groups"])
OIDC_ROLE_MAP = env.dict("OIDC_ROLE_MAP", default={})
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

# --- Logging: one JSON object per line, each carrying the request id ----------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "eximee.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

# --- Documents (docs/documents.md) ---------------------------------------------------------------
# Generated files go to the "documents" storage: the file system under MEDIA_ROOT by default. For an
# S3-compatible store install django-storages[s3] and set, e.g.
#   DOCUMENTS_STORAGE_BACKEND=storages.backends.s3.S3Storage
#   DOCUMENTS_STORAGE_OPTIONS='{"bucket_name": "eximee-documents", "endpoint_url": "https://s3.example"}'
STORAGES["documents"] = {
    "BACKEND": env.str("DOCUMENTS_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"),
    "OPTIONS": env.json("DOCUMENTS_STORAGE_OPTIONS", default={}),
}
DOCUMENTS_RETENTION_DAYS = env.int("DOCUMENTS_RETENTION_DAYS", default=3650)
DOCUMENTS_MAX_TEMPLATE_BYTES = env.int("DOCUMENTS_MAX_TEMPLATE_BYTES", default=2 * 1024 * 1024)
DOCUMENTS_MAX_DATA_BYTES = env.int("DOCUMENTS_MAX_DATA_BYTES", default=1024 * 1024)
DOCUMENTS_MAX_PAGES = env.int("DOCUMENTS_MAX_PAGES", default=500)
# A render still running after this many seconds is stopped (Celery soft time limit) and fails.
DOCUMENTS_RENDER_TIME_LIMIT = env.int("DOCUMENTS_RENDER_TIME_LIMIT", default=120)
# A render whose worker died is retried this many times in all, then fails.
DOCUMENTS_MAX_ATTEMPTS = env.int("DOCUMENTS_MAX_ATTEMPTS", default=3)
CELERY_BEAT_SCHEDULE["documents-recover-lost-renders"] = {
    "task": "documents.recover_lost_renders", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["documents-purge-expired"] = {"task": "documents.purge_expired", "schedule": 3600.0}

# --- BPMS engine (docs: bpms/engine/interface.py) --------------------------------------------------
EXIMEE_ENGINE = env.str("EXIMEE_ENGINE", default="embedded")
# Python script tasks are rejected at deploy time unless an admin enables them; they then run
# restricted (no imports, no dunders, a small built-in allow-list) within this time limit.
BPMS_ALLOW_PYTHON_SCRIPTS = env.bool("BPMS_ALLOW_PYTHON_SCRIPTS", default=False)
BPMS_SCRIPT_TIME_LIMIT_SECONDS = env.float("BPMS_SCRIPT_TIME_LIMIT_SECONDS", default=2.0)
BPMS_MAX_RESOURCE_BYTES = env.int("BPMS_MAX_RESOURCE_BYTES", default=5 * 1024 * 1024)
# SpiffWorkflow logs every task state change at INFO: far too chatty (and slow) for production.
LOGGING["loggers"]["spiff"] = {"level": "WARNING"}

# --- Dashboard (server-rendered pages under /; docs in eximee/dashboard.py) ---------------------
INSTALLED_APPS += ["django_htmx", "django_filters", "django_tables2"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
                  "django_htmx.middleware.HtmxMiddleware")
TEMPLATES[0]["OPTIONS"]["context_processors"].append("eximee.dashboard.navigation")
# Browser libraries come from npm (frontend/package-lock.json), never from a CDN.
STATICFILES_DIRS += [
    ("vendor/bootstrap", BASE_DIR / "frontend/node_modules/bootstrap/dist"),
    ("vendor/bpmn-js", BASE_DIR / "frontend/node_modules/bpmn-js/dist"),
]
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DASHBOARD_PAGE_SIZE = env.int("DASHBOARD_PAGE_SIZE", default=25)
LOGGING["loggers"]["weasyprint.progress"] = {"level": "WARNING"}

# --- Security (docs/security.md) ------------------------------------------------------------------
INSTALLED_APPS += ["auditlog", "mozilla_django_oidc", "csp"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "auditlog.middleware.AuditlogMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("auditlog.middleware.AuditlogMiddleware") + 1, "eximee.audit.AuditMiddleware")
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "eximee.auth.BearerTokenAuthentication",  # first, so a 401 names the Bearer scheme
    "rest_framework.authentication.SessionAuthentication",  # the dashboard's own calls
]
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["eximee.ratelimit.RoleRateThrottle"]
AUTHENTICATION_BACKENDS = [
    "eximee.dashboard_login.DashboardOIDCBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# API tokens (OIDC_ISSUER, OIDC_AUDIENCE, OIDC_ROLES_CLAIMS, OIDC_ROLE_MAP are read above).
OIDC_USERNAME_CLAIM = env.str("OIDC_USERNAME_CLAIM", default="preferred_username")
OIDC_GROUPS_CLAIMS = env.list("OIDC_GROUPS_CLAIMS", default=["groups"])
OIDC_LEEWAY_SECONDS = env.int("OIDC_LEEWAY_SECONDS", default=30)
OIDC_TIMEOUT_SECONDS = env.float("OIDC_TIMEOUT_SECONDS", default=5.0)
OIDC_JWKS_CACHE_SECONDS = env.int("OIDC_JWKS_CACHE_SECONDS", default=3600)
OIDC_JWKS_MIN_REFRESH_SECONDS = env.float("OIDC_JWKS_MIN_REFRESH_SECONDS", default=10.0)
OIDC_USER_CACHE_SECONDS = env.int("OIDC_USER_CACHE_SECONDS", default=60)

# Dashboard login: authorization code + PKCE (mozilla-django-oidc); endpoints come from discovery.
LOGIN_URL = "/auth/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/auth/login/"
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # for the id_token_hint of the provider's logout
OIDC_AUTHENTICATE_CLASS = "eximee.dashboard_login.OIDCLoginStart"
OIDC_TIMEOUT = OIDC_TIMEOUT_SECONDS
# Local username/password login, for the demo only; attempts are limited per source address.
DEMO_LOCAL_LOGIN = env.bool("DEMO_LOCAL_LOGIN", default=False)
LOCAL_LOGIN_RATE = env.str("LOCAL_LOGIN_RATE", default="5/m")

# Audit: every request except these paths; model changes through django-auditlog.
AUDIT_EXCLUDED_PATH_PREFIXES = env.list(
    "AUDIT_EXCLUDED_PATH_PREFIXES", default=["/static/", "/health/", "/metrics", "/favicon.ico"])
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "eximee.auditentry", "eximee.outboxmessage", "eximee.idempotencyrecord", "eximee.timelineevent",
    "bpms.activityinstance", "bpms.variablechange",  # history tables are records themselves
    # Work-queue rows of the async layer, written on every completion, correlation and timer: what
    # happens to them is in the timeline and the audit entries of the requests and jobs.
    "bpms.externaltask", "bpms.job", "bpms.eventsubscription",
    # Rows the engine writes (mostly in bulk, which sends no signals): the operation that changed
    # them has its one AuditEntry (request or job), and the change itself is in the engine's history
    # and timeline with actor and request id, so no second, partial record here (docs/engine-compatibility.md).
    "bpms.deployment", "bpms.deploymentresource", "bpms.processdefinition", "bpms.decisiondefinition",
    "bpms.processinstance", "bpms.processvariable", "bpms.usertask",
    "sessions", "admin", "contenttypes", "auth.permission",
)
# Serialized engine state and model sources are large and not readable as a diff.
AUDITLOG_EXCLUDE_TRACKING_FIELDS = ("engine_state", "engine_spec", "bpmn_xml", "last_login")

# Rate limits per role (the most generous of a caller's roles applies), per endpoint class.
RATE_LIMIT_ENABLED = env.bool("RATE_LIMIT_ENABLED", default=True)
RATE_LIMITS = {
    "anonymous": "60/min",
    "default": "3000/min",
    "service-worker": "12000/min",
    "admin": "12000/min",
    **env.dict("RATE_LIMITS", default={}),
}
# The proxy in front sets X-Forwarded-For / X-Forwarded-Proto; trust them only behind one.
TRUST_X_FORWARDED_FOR = env.bool("TRUST_X_FORWARDED_FOR", default=False)
RATELIMIT_IP_META_KEY = "eximee.audit.client_ip"
RATELIMIT_VIEW = "eximee.api.problems.permission_denied"
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not REDIS_URL:  # django-ratelimit wants a shared cache; without Redis (dev only) one process is fine
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Transport and headers.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SAMESITE = "Lax"  # Lax, not Strict: the provider's redirect back must carry it
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
CORS_ALLOW_CREDENTIALS = False
CONTENT_SECURITY_POLICY = {
    # Swagger UI and ReDoc boot from inline scripts; they are static API docs without user data.
    "EXCLUDE_URL_PREFIXES": ["/v1/docs/", "/v1/redoc/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # bpmn-js positions diagram parts inline
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        # Chrome applies form-action to redirects after a POST (logout goes to the provider).
        "form-action": ["'self'"] + ([OIDC_ISSUER] if OIDC_ISSUER else []),
    },
}

# --- BPMS async layer: service tasks, jobs, timers, messages (docs: bpms/services/*.py) ---------
# Retries of a failing job or built-in handler without camunda:failedJobRetryTimeCycle.
BPMS_DEFAULT_RETRIES = env.int("BPMS_DEFAULT_RETRIES", default=3)
# A built-in handler run holds its task this long. Keep it below CELERY_VISIBILITY_TIMEOUT: the
# broker redelivers a dead worker's task after that timeout, and the redelivery must find the lock
# expired to run the handler again.
BPMS_HANDLER_LOCK_SECONDS = env.int("BPMS_HANDLER_LOCK_SECONDS", default=300)
BPMS_JOB_LOCK_SECONDS = env.int("BPMS_JOB_LOCK_SECONDS", default=300)
BPMS_JOB_BATCH_SIZE = env.int("BPMS_JOB_BATCH_SIZE", default=500)
BPMS_MAX_LONG_POLL_SECONDS = env.float("BPMS_MAX_LONG_POLL_SECONDS", default=30.0)
# The scheduler runs every tick and hands out the jobs due before the next one, timed to the due time.
BPMS_JOB_TICK_SECONDS = env.float("BPMS_JOB_TICK_SECONDS", default=1.0)
if "visibility_timeout" in CELERY_BROKER_TRANSPORT_OPTIONS:
    # Kombu's Redis transport looks for unacknowledged tasks of dead workers only every 100 s by
    # default; look every few seconds so a killed handler run is redone soon after the timeout.
    CELERY_BROKER_TRANSPORT_OPTIONS.update({
        "unacked_restore_interval": max(1, min(10, CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] // 5)),
        "unacked_restore_throttle": 1,
    })
CELERY_BEAT_SCHEDULE.update({
    "bpms-requeue-stale-service-tasks": {"task": "bpms.requeue_stale_service_tasks", "schedule": 60.0},
    "bpms-expire-buffered-messages": {"task": "bpms.expire_buffered_messages", "schedule": 60.0},
})

# --- Platform: cases, data model, configuration ---------------------------------------------------
# Configuration secrets: the audit trail records that a secret changed, never its value.
AUDITLOG_INCLUDE_TRACKING_MODELS = [
    {"model": "configuration.configproperty", "mask_fields": ["secret_value"],
     "mask_callable": "configuration.models.mask_secret"},
]

# --- Remote engine adapter: EXIMEE_ENGINE=camunda7 (docs/engines.md) ------------------------------
# Base URL of a Camunda-7-compatible REST API (EximeeBPMS, Camunda 7, Operaton), e.g.
# https://bpms.bank.example/engine-rest. Auth: "none", "basic" (user/password) or "oauth2" (client
# credentials from CAMUNDA7_TOKEN_URL; the token is cached until shortly before it expires).
CAMUNDA7_BASE_URL = env.str("CAMUNDA7_BASE_URL", default="http://127.0.0.1:8080/engine-rest")
CAMUNDA7_AUTH = env.str("CAMUNDA7_AUTH", default="none")
CAMUNDA7_USERNAME = env.str("CAMUNDA7_USERNAME", default="")
CAMUNDA7_PASSWORD = env.str("CAMUNDA7_PASSWORD", default="")
CAMUNDA7_TOKEN_URL = env.str("CAMUNDA7_TOKEN_URL", default="")
CAMUNDA7_CLIENT_ID = env.str("CAMUNDA7_CLIENT_ID", default="")
CAMUNDA7_CLIENT_SECRET = env.str("CAMUNDA7_CLIENT_SECRET", default="")
CAMUNDA7_SCOPE = env.str("CAMUNDA7_SCOPE", default="")
# RFC 8707 `resource` of the token request, for providers that pick the audience by it.
CAMUNDA7_TOKEN_RESOURCE = env.str("CAMUNDA7_TOKEN_RESOURCE", default="")
CAMUNDA7_TIMEOUT_SECONDS = env.float("CAMUNDA7_TIMEOUT_SECONDS", default=10.0)
# Retries of a request that did not reach the engine's command (connection refused, 502/503/504),
# waiting CAMUNDA7_RETRY_BACKOFF_SECONDS, then twice that, and so on.
CAMUNDA7_RETRIES = env.int("CAMUNDA7_RETRIES", default=3)
CAMUNDA7_RETRY_BACKOFF_SECONDS = env.float("CAMUNDA7_RETRY_BACKOFF_SECONDS", default=0.5)
# Our Celery workers fetch the built-in topics' external tasks under this worker id.
CAMUNDA7_WORKER_ID = env.str("CAMUNDA7_WORKER_ID", default="eximee-builtin-handlers")
CAMUNDA7_FETCH_MAX_TASKS = env.int("CAMUNDA7_FETCH_MAX_TASKS", default=10)
CAMUNDA7_FETCH_LONG_POLL_SECONDS = env.float("CAMUNDA7_FETCH_LONG_POLL_SECONDS", default=0.0)
CAMUNDA7_FETCH_INTERVAL_SECONDS = env.float("CAMUNDA7_FETCH_INTERVAL_SECONDS", default=2.0)
# The catch-up sync reads back every active instance: its cost grows with their number.
CAMUNDA7_SYNC_INTERVAL_SECONDS = env.float("CAMUNDA7_SYNC_INTERVAL_SECONDS", default=60.0)
# Off: this server runs no built-in handlers and leaves every topic to external workers (an engine
# server whose /engine-rest another Eximee fronts with EXIMEE_ENGINE=camunda7).
BPMS_BUILTIN_HANDLERS = env.bool("BPMS_BUILTIN_HANDLERS", default=True)
if EXIMEE_ENGINE == "camunda7":
    CELERY_BEAT_SCHEDULE.update({
        "bpms-camunda7-run-handlers": {"task": "bpms.camunda7_run_handlers",
                                       "schedule": CAMUNDA7_FETCH_INTERVAL_SECONDS},
        "bpms-camunda7-sync": {"task": "bpms.camunda7_sync", "schedule": CAMUNDA7_SYNC_INTERVAL_SECONDS},
    })
else:
    # Timers and continuations of the embedded engine; a remote engine's job executor runs its own.
    CELERY_BEAT_SCHEDULE.update({
        "bpms-acquire-due-jobs": {"task": "bpms.acquire_due_jobs", "schedule": BPMS_JOB_TICK_SECONDS},
        "bpms-schedule-timer-starts": {"task": "bpms.schedule_timer_starts", "schedule": 10.0},
    })
