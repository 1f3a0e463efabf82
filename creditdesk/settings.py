"""Settings: one module, every value from the environment (see .env.example for the full list).

A `.env` file beside manage.py (or the file CREDITDESK_ENV_FILE names) is read if present; real environment
variables win over it. `make run` writes one for the embedded demo when there is none (creditdesk/localenv.py).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from creditdesk.localenv import env_file

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

env = environ.Env()
ENV_FILE = env_file()
if ENV_FILE is not None and ENV_FILE.is_file():
    env.read_env(ENV_FILE, overwrite=False)

DEBUG: bool = env.bool("CREDITDESK_DEBUG", default=False)
# Under pytest the test settings apply (fast hasher, immediate tasks) unless CREDITDESK_TESTING says otherwise.
TESTING: bool = env.bool("CREDITDESK_TESTING", default="pytest" in sys.modules)

# The secrets production must set, reported together in one line once they have all been read (below).
_missing_secrets: list[str] = []
SECRET_KEY: str = env.str("CREDITDESK_SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        _missing_secrets.append("CREDITDESK_SECRET_KEY")
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS: list[str] = env.list("CREDITDESK_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CREDITDESK_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "simple_history",
    "django_tasks_db",
    "ninja",
    # Domain apps in dependency order (core ← accounts ← … ← reporting); `creditdesk demo` seeds in this order.
    "creditdesk.core",
    "creditdesk.accounts",
    "creditdesk.customers",
    "creditdesk.vehicles",
    "creditdesk.assessment",
    "creditdesk.lending",
    "creditdesk.contracts",
    "creditdesk.loans",
    "creditdesk.collections",
    "creditdesk.servicing",
    "creditdesk.risk",
    "creditdesk.reporting",
    "creditdesk.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "creditdesk.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "creditdesk.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "creditdesk.urls"
WSGI_APPLICATION = "creditdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "creditdesk.web.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
# The embedded default is SQLite in WAL mode under var/; production sets DATABASE_URL to PostgreSQL.
VAR_DIR = Path(env.str("CREDITDESK_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'creditdesk.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of failing mid-way.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CREDITDESK_DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users, passwords, sessions ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("CREDITDESK_SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True  # idle expiry: every request pushes the expiry forward
SESSION_COOKIE_HTTPONLY = True
# Outside debug, cookies travel only over HTTPS and browsers are told to use nothing else (HSTS): production
# runs behind TLS. Behind a TLS-terminating proxy set CREDITDESK_PROXY_SSL_HEADER=1.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_FAILURE_VIEW = "creditdesk.web.views.csrf_failure"
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("CREDITDESK_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_SSL_REDIRECT = env.bool("CREDITDESK_SSL_REDIRECT", default=False)
if env.bool("CREDITDESK_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
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
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Lockout after repeated failed sign-ins (django-axes, item 10): a username from one address, so nobody can
# lock a colleague out from elsewhere, plus an address-wide limit over all usernames (accounts/lockout.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "creditdesk.accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT: int = env.int("CREDITDESK_LOCKOUT_FAILURES", default=5)
CREDITDESK_LOCKOUT_IP_FAILURES: int = env.int("CREDITDESK_LOCKOUT_IP_FAILURES", default=30)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("CREDITDESK_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "creditdesk.accounts.views.locked_out"
AXES_VERBOSE = False
# Two-factor sign-in (django-otp TOTP): optional per user, required per role by the administrator.
OTP_TOTP_ISSUER = "creditdesk"
API_TOKEN_TTL_HOURS: int = env.int("CREDITDESK_API_TOKEN_TTL_HOURS", default=12)
# /api/v1/docs and /api/v1/openapi.json without sign-in: only in debug mode unless set.
CREDITDESK_API_DOCS_PUBLIC: bool = env.bool("CREDITDESK_API_DOCS_PUBLIC", default=DEBUG)
# Throttling (django-ninja's throttles, issue 10 item 10; creditdesk/core/throttling.py): "count/period" with period
# s, min, hour or day; empty switches a scope off. Under pytest the scopes are wide open (a test narrows one).
_THROTTLE_DEFAULTS = {
    "token": "10/min",  # POST /api/v1/auth/token, per client address
    "export": "30/hour",  # spreadsheet exports, subject-request copies, document downloads, per user
    "quote": "60/min",  # POST /api/v1/quotes, per user
    "assessment": "30/min",  # POST /api/v1/applications/{id}/assessment (credit-bureau query), per user
}
CREDITDESK_THROTTLE_RATES: dict[str, str] = {
    scope: env.str(f"CREDITDESK_THROTTLE_{scope.upper()}", default="100000/min" if TESTING else rate)
    for scope, rate in _THROTTLE_DEFAULTS.items()
}
NINJA_NUM_PROXIES = 0  # the throttles key on REMOTE_ADDR (what `creditdesk serve` takes from a trusted proxy)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Shared by every worker process, so a limit holds whatever worker answers (files under var/, mode 0700).
    "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
    if TESTING
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "throttle"),
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
}

# --- Language and time --------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("CREDITDESK_TIME_ZONE", default="Asia/Shanghai")
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"  # documents are stored here, outside the web root, served only through views
# Stored files are private to the service account (issue #10 item 8): documents are also encrypted.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
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
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- Background tasks (django.tasks) -----------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str(
            "CREDITDESK_TASKS_BACKEND",
            default="django.tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

# --- Business date -------------------------------------------------------------------------------------
# The date a new installation starts its books on (ISO date); empty = the local calendar date at first use.
INITIAL_BUSINESS_DATE: str = env.str("CREDITDESK_INITIAL_BUSINESS_DATE", default="")

# --- Strict input (ARCHITECTURE rule 10) -----------------------------------------------------------------
# Ceilings of the amounts clients may send (yuan, two decimals), checked by creditdesk.core.fields: statement
# figures and other amounts; personal monthly income; car prices, budgets and loan amounts. At most
# 9999999999999.99 (15 digits: what SQLite's REAL gives back exactly).
AMOUNT_MAX: str = env.str("CREDITDESK_AMOUNT_MAX", default="1000000000000.00")
INCOME_MAX: str = env.str("CREDITDESK_INCOME_MAX", default="10000000.00")
PRICE_MAX: str = env.str("CREDITDESK_PRICE_MAX", default="100000000.00")

# --- Personal information at rest (SEC-2) -------------------------------------------------------------
# Field-encryption keys, newest first, each "key_id:urlsafe-base64 32-byte key"; the newest encrypts, all decrypt.
FIELD_ENCRYPTION_KEYS: list[str] = env.list("CREDITDESK_FIELD_KEYS", default=[])
# Alternatively a file with one such key per line (newest first); lines starting with # are ignored.
FIELD_ENCRYPTION_KEY_FILE: str = env.str("CREDITDESK_FIELD_KEY_FILE", default="")
# Secret of the HMAC blind index used for exact look-ups of encrypted values (never rotate without re-indexing).
BLIND_INDEX_KEY: str = env.str("CREDITDESK_BLIND_INDEX_KEY", default="")
if not (DEBUG or TESTING):
    if not (FIELD_ENCRYPTION_KEYS or FIELD_ENCRYPTION_KEY_FILE):
        _missing_secrets.append("CREDITDESK_FIELD_KEYS (or CREDITDESK_FIELD_KEY_FILE)")
    if not BLIND_INDEX_KEY:
        _missing_secrets.append("CREDITDESK_BLIND_INDEX_KEY")
if _missing_secrets:
    # One line, no traceback (creditdesk/cli.py prints it): what to set, and where.
    _verb = "is" if len(_missing_secrets) == 1 else "are"
    raise ImproperlyConfigured(
        f"CREDITDESK_DEBUG is off and {', '.join(_missing_secrets)} {_verb} not set: set them in the environment "
        "or in .env (.env.example lists every setting, docs/operations.md explains the keys), or set "
        "CREDITDESK_DEBUG=1 for the local demo."
    )

# --- Backups (SEC-4) ----------------------------------------------------------------------------------
BACKUP_DIR = Path(env.str("CREDITDESK_BACKUP_DIR", default=str(VAR_DIR / "backups")))
# How many archives to keep; older ones are deleted after a successful backup (0 = keep all).
BACKUP_KEEP: int = env.int("CREDITDESK_BACKUP_KEEP", default=14)
# Local time of day at which `creditdesk scheduler` enqueues the daily backup (HH:MM); empty = no daily backup.
BACKUP_DAILY_AT: str = env.str("CREDITDESK_BACKUP_DAILY_AT", default="02:30")

# --- Customers ---------------------------------------------------------------------------------------
# Months after which a customer's information is due for a refresh (INFO-8 periodic update).
CUSTOMER_REFRESH_MONTHS: int = env.int("CREDITDESK_CUSTOMER_REFRESH_MONTHS", default=12)
# Data-subject requests (PIPL Art. 44–50): calendar days to reply ("timely"; the house rule is 15).
SUBJECT_REQUEST_REPLY_DAYS: int = env.int("CREDITDESK_SUBJECT_REQUEST_REPLY_DAYS", default=15)

# --- Demo data ----------------------------------------------------------------------------------------
# Contracts (issue 13): the lender named in the contract text, and the e-signature adapter (a dotted class path;
# the default is the deterministic simulator of creditdesk/contracts/esign.py, not a real signature service).
CREDITDESK_LENDER_NAME: str = env.str("CREDITDESK_LENDER_NAME", default="创信汽车金融有限公司")
ESIGN_ADAPTER: str = env.str("CREDITDESK_ESIGN_ADAPTER", default="creditdesk.contracts.esign.SimulatedESign")
DEMO_PASSWORD: str = env.str("CREDITDESK_DEMO_PASSWORD", default="creditdesk-demo")

# --- Logging ------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"mask_identifiers": {"()": "creditdesk.core.logging.MaskingFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_identifiers"]}},
    "root": {"handlers": ["console"], "level": env.str("CREDITDESK_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

if TESTING:
    # Argon2 is deliberately slow; tests that need the real hasher say so.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
