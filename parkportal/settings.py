"""ParkPortal settings, read from the environment.

Every setting a deployment may change comes from an environment variable;
`.env.example` lists them. SQLite is the default database; set
`DATABASE_URL=postgres://…` for PostgreSQL.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
# pytest sets PYTEST_VERSION: tests depend on the real environment alone, never on .env.
TESTING = "PYTEST_VERSION" in os.environ
if not TESTING:
    # A local .env (see .env.example) fills in what the real environment leaves unset.
    load_dotenv(BASE_DIR / ".env", override=False)


def env_bool(name: str, default: bool) -> bool:
    """Return the environment variable `name` read as a yes/no flag."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Return the comma-separated environment variable `name` as a list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "请设置环境变量 DJANGO_SECRET_KEY（生产环境必须使用随机生成的密钥），"
            "或在本机开发时设置 DJANGO_DEBUG=1。"
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
if DEBUG:
    # `make run HOST=…` names the hosts the development server is started for; with DEBUG
    # off only DJANGO_ALLOWED_HOSTS counts.
    ALLOWED_HOSTS += env_list("DJANGO_RUNSERVER_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "parkportal",
    "indicators",
    "projects",
    "investment",
    "planning",
    "services",
    "reports",
    "workbook",
    "demo",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files carry the policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "parkportal.middleware.ControlCharacterMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "parkportal.middleware.SessionRefreshMiddleware",
    # Notes a user's successful write, so that their next pages read the primary.
    "parkportal.replica.RecentWriteMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost: a write that found SQLite locked by an import answers 503, not 500.
    "parkportal.busy.DatabaseBusyMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into its own page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp) on every response: scripts from the portal's own
# static files only, never inline. Styles allow 'unsafe-inline' for style attributes:
# ECharts' tooltips, the admin's widgets and the dashboard's progress bars use them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "parkportal.urls"

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
                "parkportal.context_processors.portal",
                "indicators.context_processors.review",
            ],
        },
    },
]

WSGI_APPLICATION = "parkportal.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
    # one failing half-way with "database is locked".
    # WAL lets pages keep reading while a long import writes (progress included).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A worker keeps its connection between requests, as on PostgreSQL: opening the file,
    # its PRAGMAs and closing it again took half of a warm dashboard's server time.
# A read replica of the PostgreSQL primary (README, "多台服务器部署"): the dashboard and
# the reports read from it (parkportal/replica.py), except a user's pages for
# REPLICA_PIN_SECONDS after their own write, which read the primary. Without it, every
# read goes to the primary and no router is installed. Tests point it at the test database.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
        test_options={"MIRROR": "default"},
    )
    DATABASE_ROUTERS = ["parkportal.routers.ReplicaRouter"]
REPLICA_PIN_SECONDS = float(os.environ.get("REPLICA_PIN_SECONDS", "5"))
# The portal's queries are short ones. On them PostgreSQL's JIT compiling (60–75 ms on the
# leads' funnel of a large zone) and starting parallel workers (10–30 ms a query on 2
# cores) cost more than they save: both are off for the portal's own connections.
# DATABASE_SESSION_OPTIONS replaces these settings (libpq's "options"; empty: the server's).
DATABASE_SESSION_OPTIONS = os.environ.get(
    "DATABASE_SESSION_OPTIONS", "-c jit=off -c max_parallel_workers_per_gather=0"
)
for database in DATABASES.values():
    if database["ENGINE"].startswith("django.db.backends.postgresql") and DATABASE_SESSION_OPTIONS:
        database.setdefault("OPTIONS", {})["options"] = DATABASE_SESSION_OPTIONS

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out pair before the password
    "django.contrib.auth.backends.ModelBackend",
]

# Log-in throttling (django-axes): 5 failures of one username from one address lock
# that pair out for 15 minutes. Keyed on the pair, so one attacker behind the
# county's shared address cannot lock out every user of that address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "parkportal.security.client_ip"
AXES_VERBOSE = False
# Behind the reverse proxy of the README, the client's address is the last one it
# appended to X-Forwarded-For; REMOTE_ADDR is the proxy's.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)

# Sessions end after 30 idle minutes: SessionRefreshMiddleware pushes the expiry
# of a session in use on, once a minute.
SESSION_COOKIE_AGE = 30 * 60

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# The portal's own wording of Django's texts (the admin's "选择要修改的企业", "按所属园区"):
# a catalog in LOCALE_PATHS comes before every app's, the admin's included.
LOCALE_PATHS = [BASE_DIR / "parkportal" / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security: strict by default once DEBUG is off. Behind nginx, the proxy sets
# X-Forwarded-Proto; a plain-HTTP intranet may turn HTTPS off with the variables below.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The test client and live server speak plain HTTP.
HTTPS_ONLY = not (DEBUG or TESTING)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", HTTPS_ONLY)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", HTTPS_ONLY)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Spreadsheet imports: limits checked before any parser reads a file.
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
IMPORT_MAX_INFLATED_BYTES = int(os.environ.get("IMPORT_MAX_INFLATED_BYTES", 200 * 1024 * 1024))
IMPORT_MAX_RATIO = int(os.environ.get("IMPORT_MAX_RATIO", 100))
# A sheet's bounding box may be at most this many times the cells it writes (declared vs actual).
IMPORT_MAX_SPARSENESS = int(os.environ.get("IMPORT_MAX_SPARSENESS", 10))
# Ceilings only, far above any zone's workbook (20,000 enterprises send 240,000 monthly rows).
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 2_000_000))
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", 200))
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", 20_000_000))
# Which park-months count in the reports leaders read (docs/domain.md, "Official figures"):
# "submitted" counts a month once its park has submitted it (已上报) or an admin approved it;
# "approved" counts approved months only.
FIGURES_OFFICIAL_FROM = os.environ.get("FIGURES_OFFICIAL_FROM", "submitted")
if FIGURES_OFFICIAL_FROM not in ("submitted", "approved"):
    raise ImproperlyConfigured("FIGURES_OFFICIAL_FROM must be submitted or approved.")

# Checking and importing a workbook run as tasks (django-tasks): the queue is a table of
# the portal's own database, worked by `manage.py run_worker` (TASK_WORKERS processes,
# each running one task at a time). Off in tests, where the import runs inside the request.
IMPORT_IN_BACKGROUND = env_bool("IMPORT_IN_BACKGROUND", not TESTING)
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["imports"]}}
TASK_WORKERS = int(os.environ.get("TASK_WORKERS", 2))
# A running import's worker beats every IMPORT_HEARTBEAT_SECONDS; a batch whose beat is older
# than IMPORT_HEARTBEAT_TIMEOUT has lost its worker and is failed. A worker not seen for
# WORKER_SEEN_TIMEOUT is reported as not running (batch page, /health/).
IMPORT_HEARTBEAT_SECONDS = float(os.environ.get("IMPORT_HEARTBEAT_SECONDS", 5))
IMPORT_HEARTBEAT_TIMEOUT = float(os.environ.get("IMPORT_HEARTBEAT_TIMEOUT", 60))
WORKER_SEEN_TIMEOUT = float(os.environ.get("WORKER_SEEN_TIMEOUT", 120))
# /health/ answers a load balancer's plain-HTTP probe too.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# The shared cache holds the imports' progress and the workers' heartbeats, so that every
# app server and worker sees them: files under var/cache/ on one machine, Redis (REDIS_URL)
# across machines.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_DIR = Path(os.environ.get("CACHE_DIR", BASE_DIR / "var" / "cache"))
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "parkportal"),
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR,
        }
    ),
    # The reports' built data and the dashboard's page fragments (reports/cache.py; the
    # {% cache %} tag's alias), apart from the imports' progress: a file cache culls a third
    # of its entries at random when full, which must never drop a running import's beat.
    "template_fragments": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "parkportal") + ":reports",
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR / "reports",
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    ),
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The entry page posts, for each cell of a page of 50 enterprises × 6 indicators, the
# figure, the value it showed and, where it warns, the 说明 and the 说明 shown: up to 1,200
# fields, above Django's default of 1,000.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2500
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# django-import-export: every import runs in one transaction, all or nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# The REST API (api/, docs/api.md): tokens that admins issue (api.ApiToken) or the signed-in
# session (with CSRF); rate limits per user and, for anonymous calls, per address, in the
# default cache; figures as strings (Decimal, never float).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First: its challenge makes an anonymous call a 401, not a 403.
        "api.authentication.PortalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasPortalRole"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.UserRateThrottle",
        "api.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("API_THROTTLE_USER", "120/minute"),
        "anon": os.environ.get("API_THROTTLE_ANON", "20/minute"),
    },
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.PortalAutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "园区经济运行监测平台 开放接口",
    "DESCRIPTION": "园区、企业、月度数据、项目、招商的读取与写入；说明见 docs/api.md。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from drf-spectacular-sidecar's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ProjectStageEnum": "projects.choices.ProjectStage",
        "LeadStageEnum": "investment.choices.LeadStage",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Reporting deadlines: a month's figures are due by this day of the following month,
# unless the year's 报送截止日 in the admin says otherwise (indicators/deadlines.py).
REPORTING_DEADLINE_DAY = int(os.environ.get("REPORTING_DEADLINE_DAY", 5))
if not 1 <= REPORTING_DEADLINE_DAY <= 28:
    raise ImproperlyConfigured("REPORTING_DEADLINE_DAY 应为 1 到 28 之间的日期。")
# The outlier scan lists a figure whose robust z against the enterprise's own history
# is above this, either way (indicators/outliers.py); 3.5 is Iglewicz and Hoaglin's.
OUTLIER_THRESHOLD = os.environ.get("OUTLIER_THRESHOLD", "3.5")
try:
    if float(OUTLIER_THRESHOLD) <= 0:  # a setting read once, never a figure
        raise ValueError
except ValueError:
    raise ImproperlyConfigured("OUTLIER_THRESHOLD 应为正数，如 3.5。") from None

# A lead's time limit without follow-up, in days, per stage (对接, 洽谈, 意向): past it the
# lead is yellow, past twice the limit red (investment/domain.py).
LEAD_FOLLOW_UP_DAYS = {"docked": 30, "negotiating": 21, "intention": 14}

# A project's lights (projects/domain.py: LightThresholds): a milestone overdue more than
# this many days is red; behind 序时进度 by at least the yellow points yellow, by more than
# the red points red; a planned start missed by more than this many months red.
PROJECT_LIGHTS = {
    "milestone_red_days": 90,
    "lag_yellow_points": 10,
    "lag_red_points": 30,
    "start_red_months": 3,
}
# Mail (催报 reminders to park staff): printed to the console unless a backend is set,
# e.g. EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "parkportal@localhost")
# The service desk (企业服务): the days allowed for a case of each category when none is
# given, in calendar days from the day it is received (services/domain.py); and whether the
# year-end narrative writes the requests solved as the documents do ("50余件次") or exactly.
SERVICE_TIME_LIMITS = {
    "approval": 7,  # 审批手续
    "utilities": 7,  # 水电路气
    "financing": 15,  # 融资
    "labour": 7,  # 用工
    "policy": 15,  # 政策兑现
    "passage": 3,  # 通行保障
    "other": 7,  # 其他
}
SERVICE_ROUND_COUNTS = env_bool("SERVICE_ROUND_COUNTS", False)
