"""Jointly settings: one module, configured from the environment.

Every variable is documented in the README's configuration table. Parsing is
strict: a value that cannot be understood stops the process at start-up instead
of being read as something else.
"""

import math
import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state: the embedded default's database and broker folder, uploads and
# beat's schedule. Made here so that any command works straight after a clone.
VAR_DIR = Path(os.environ.get("JOINTLY_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off, not {raw!r}"
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {raw!r}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_rate(name: str, default: str) -> str:
    raw = os.environ.get(name, default)
    if not re.fullmatch(r"[1-9][0-9]*/[smhd]", raw):
        raise ImproperlyConfigured(
            f"{name} must look like 20/h (a count per s, m, h or d), not {raw!r}"
        )
    return raw


def s3_storage(
    *,
    bucket: str,
    endpoint_url: str,
    region: str,
    access_key_id: str,
    secret_access_key: str,
    public_url: str,
    querystring_auth: bool,
) -> tuple[dict, str]:
    """The STORAGES entry of an S3-compatible bucket, and the origin its files are read at."""
    public_url = public_url.rstrip("/")
    for name, url in (("S3_ENDPOINT_URL", endpoint_url), ("S3_PUBLIC_URL", public_url)):
        if url and (urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).netloc):
            raise ImproperlyConfigured(f"{name} must be an absolute http(s) URL, not {url!r}")
    if public_url and querystring_auth:
        raise ImproperlyConfigured(
            "S3_PUBLIC_URL and S3_QUERYSTRING_AUTH cannot both be on: files at a public "
            "address are read without a signature"
        )
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        # Empty: boto3 looks for them itself (AWS_* variables, the machine's role).
        "access_key": access_key_id or None,
        "secret_key": secret_access_key or None,
        # Another service's endpoint takes the bucket in the path (MinIO, Garage and
        # Ceph need it); AWS in the host name, as its new buckets require.
        "addressing_style": "path" if endpoint_url else "virtual",
        "querystring_auth": querystring_auth,
        # Every signer's logo arrives as logo.png: one must never replace another's
        # file, as on disk, where Django gives the second a new name.
        "file_overwrite": False,
        # A name is not reused while its file exists: caches may keep a file a day.
        "object_parameters": {"CacheControl": "public, max-age=86400"},
    }
    if public_url:
        scheme, rest = public_url.split("://", 1)
        options |= {"custom_domain": rest, "url_protocol": f"{scheme}:"}
        origin = f"{scheme}://{urlsplit(public_url).netloc}"
    elif endpoint_url:
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(endpoint_url))
    elif region in ("", "us-east-1"):
        origin = f"https://{bucket}.s3.amazonaws.com"
    else:
        origin = f"https://{bucket}.s3.{region}.amazonaws.com"
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, origin


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.hostname:
    raise ImproperlyConfigured(f"SITE_URL must be an absolute http(s) URL, not {SITE_URL!r}")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [_site.hostname, "localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]

INSTALLED_APPS = [
    "config.apps.JointlyAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "anymail",
    "import_export",
    # Installed for its catalogues: country names in the reader's language.
    "django_countries",
    "axes",
    "auditlog",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "organizations",
    "campaigns",
    "statements",
    "press",
    "accounts",
    "front",
    "demo",
    "devmail",
]

MIDDLEWARE = [
    # Each request's id, in its log lines and its answer's X-Request-ID (core/requestid.py).
    "core.requestid.RequestIdMiddleware",
    "core.middleware.HeadWithoutBodyMiddleware",
    # /health/live/ and /health/ready/, answered before the rest (core/health.py).
    "core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # What a proxy or CDN may keep; before the middleware that set cookies, to see them.
    "core.middleware.CacheControlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: from the address on the public site (/ar/…; English unprefixed),
    # from the language cookie or the browser in the admin (AdminLanguageMiddleware).
    # Ours adds no Vary: Accept-Language to English pages, whose address sets it.
    "core.middleware.LocaleMiddleware",
    "core.middleware.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff without a second factor are sent to enrol before any admin page (with a message).
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, so that their pages carry the headers above; they still run before
    # anything reads the body (CSRF's check does) or the session.
    "core.middleware.RequestSizeLimitMiddleware",
    "core.middleware.NulCharacterMiddleware",
    # After the NUL check, which keeps such a session cookie from the database.
    "core.middleware.SignedInSessionMiddleware",
    # Who changed what, from which address, for the audit log (django-auditlog).
    "core.middleware.AuditContextMiddleware",
    # Turns a sign-in refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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

# PostgreSQL in production and CI; SQLite in var/ is the embedded default.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL)
    if _db["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL")
    # Django's own psycopg pool replaces persistent connections.
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {"pool": {"min_size": 1, "max_size": env_int("DATABASE_POOL_SIZE", 10)}}
    DATABASES = {"default": _db}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # One writer at a time, the others waiting for it: the web server,
            # the worker and beat share the file under `make run`.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is the cache and the Celery broker when set; without it the cache is
# per process and Celery uses a folder in var/ as its broker, so `make run`
# needs no service and scheduled publishing still happens.
REDIS_URL = os.environ.get("REDIS_URL", "")
SILENCED_SYSTEM_CHECKS = []
if REDIS_URL:
    if urlsplit(REDIS_URL).scheme not in {"redis", "rediss"}:
        raise ImproperlyConfigured("REDIS_URL must be a redis:// or rediss:// URL")
    # Short timeouts and ignored errors: when Redis is down a page still answers
    # at once, uncached, instead of failing, and the co-sign rate limits count in
    # the database. After one failure the process leaves Redis alone for a few
    # seconds (core/breaker.py), saying so in the log, so that a Redis that hangs
    # costs a request one timeout at most.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
                "IGNORE_EXCEPTIONS": True,
                "REDIS_CLIENT_CLASS": "core.breaker.PausingRedis",
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 0.25,
        "socket_timeout": 1,
        # Publishing tries the broker once; the sweeps take over if it is down.
        "max_retries": 0,
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # django-ratelimit wants a cache shared between processes; the embedded
    # default serves from a single process (`check --deploy` warns, jointly.W002).
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = VAR_DIR / "broker"
    for _folder in (_broker_dir, VAR_DIR / "broker-control"):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(VAR_DIR / "broker-control"),
    }

# A web request never waits on the broker: publishing a task fails fast and
# the periodic sweeps enqueue whatever could not be enqueued.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged when it ends, not when it starts: one whose worker died (the
# machine, or SIGKILL of the process running it) is run again by another. Every task
# is safe to run twice (statements/tasks.py, press/tasks.py). Each process takes one
# task at a time, so a long press send holds back no other.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task that hangs is stopped: first SoftTimeLimitExceeded in the task, then the
# process is killed. Press sends have their own, longer limit (press/tasks.py).
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 720, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600, minimum=1)
if CELERY_TASK_SOFT_TIME_LIMIT >= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "CELERY_TASK_SOFT_TIME_LIMIT must be less than CELERY_TASK_TIME_LIMIT"
    )
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
if REDIS_URL:
    # Beat keeps its schedule in Redis and holds a lock there while it runs
    # (celery-redbeat): a second beat started by mistake waits for the lock and sends
    # nothing; it takes over within CELERY_REDBEAT_LOCK_TIMEOUT if the first dies (at
    # once when the first stops cleanly). Without Redis (make run) the schedule is a
    # file, for the one beat inside make run's worker.
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = REDIS_URL
    CELERY_BEAT_MAX_LOOP_INTERVAL = 5
    CELERY_REDBEAT_LOCK_TIMEOUT = 30
CELERY_BEAT_SCHEDULE = {
    "publish-due-statements": {
        "task": "statements.tasks.publish_due_statements",
        "schedule": env_int("PUBLISH_CHECK_SECONDS", 30),
    },
    "send-unsent-emails": {
        "task": "statements.tasks.send_unsent_emails",
        "schedule": 60,
    },
    "send-signoff-reminders": {
        "task": "statements.tasks.send_signoff_reminders",
        "schedule": crontab(minute=0, hour=env_int("SIGNOFF_REMINDER_HOUR", 9)),
    },
    "start-due-distributions": {
        "task": "press.tasks.start_due_distributions",
        "schedule": 30,
    },
    "sweep-deliveries": {
        "task": "press.tasks.sweep_deliveries",
        "schedule": 60,
    },
    "send-cosign-digests": {
        "task": "statements.tasks.send_cosign_digests",
        "schedule": crontab(minute=0),
    },
    # Retention: once a day, at night (in TIME_ZONE), personal data past its time goes.
    "erase-expired-signer-data": {
        "task": "statements.tasks.erase_expired_signer_data",
        "schedule": crontab(minute=30, hour=3),
    },
    "reduce-old-deliveries": {
        "task": "press.tasks.reduce_old_deliveries",
        "schedule": crontab(minute=45, hour=3),
    },
}

# Co-signing: how long emailed links work, and how often one address or one
# IP address may submit the form or ask for the email again.
COSIGN_CONFIRM_DAYS = 7
COSIGN_WITHDRAW_DAYS = env_int("COSIGN_WITHDRAW_DAYS", 365)
COSIGN_RATE_PER_IP = env_rate("COSIGN_RATE_PER_IP", "20/h")
COSIGN_RATE_PER_EMAIL = env_rate("COSIGN_RATE_PER_EMAIL", "5/h")
# Searches one IP address may run: each costs the database, the empty form nothing.
SEARCH_RATE_PER_IP = env_rate("SEARCH_RATE_PER_IP", "30/m")
# Press sends: a global ceiling on messages per minute, held across every worker
# through the shared cache, and how long an unsubscribe link works.
PRESS_RATE_PER_MINUTE = env_int("PRESS_RATE_PER_MINUTE", 600)
PRESS_UNSUBSCRIBE_DAYS = env_int("PRESS_UNSUBSCRIBE_DAYS", 365)
# A press send task (500 rows, press.services.TASK_RANGE) may run twice as long as its
# rows take at the global rate, and at least CELERY_TASK_TIME_LIMIT.
PRESS_TASK_TIME_LIMIT = max(
    CELERY_TASK_TIME_LIMIT, 2 * 60 * math.ceil(500 / max(PRESS_RATE_PER_MINUTE, 1))
)
if REDIS_URL:
    # The tasks a worker took and never finished (it vanished with its machine) go back
    # to the queue after this long: longer than any task may run, so that a running task
    # is not given to a second worker.
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = PRESS_TASK_TIME_LIMIT + 60

# Retention of personal data (statements/services/retention.py, press/retention.py):
# co-signers' data this many days after their statement closed to co-signing or was
# archived; rejected, withdrawn and never confirmed signatures' sooner, though not before
# a confirmation link has expired; a press send's deliveries this long after it finished,
# never before their unsubscribe links expire.
RETENTION_SIGNER_DAYS = env_int("RETENTION_SIGNER_DAYS", 365, minimum=0)
RETENTION_UNFINISHED_DAYS = env_int("RETENTION_UNFINISHED_DAYS", 30, minimum=COSIGN_CONFIRM_DAYS)
RETENTION_DELIVERY_DAYS = env_int(
    "RETENTION_DELIVERY_DAYS", max(365, PRESS_UNSUBSCRIBE_DAYS), minimum=PRESS_UNSUBSCRIBE_DAYS
)

# Public statement and campaign pages are kept whole in the cache this long at
# most (core/pagecache.py); off without Redis, where each process has its own
# cache and could not tell the others a page changed.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600 if REDIS_URL else 0)

# What a proxy or CDN in front may keep of a public page, in seconds (s-maxage); it
# cannot be told that a page changed (core/http.py). Browsers check back each time.
PROXY_CACHE_SECONDS = env_int("PROXY_CACHE_SECONDS", 60, minimum=0)

# Sign-off links keep working this many days past the deadline.
SIGNOFF_GRACE_DAYS = env_int("SIGNOFF_GRACE_DAYS", 2)
# django-ratelimit then tells a failed cache from a count, and the co-sign forms
# count in the database instead (statements/ratelimits.py).
RATELIMIT_FAIL_OPEN = True
# Behind a reverse proxy, the header that carries the visitor's address
# (e.g. HTTP_X_REAL_IP); REMOTE_ADDR otherwise, which is the proxy's address over
# TCP and empty over a Unix socket (`check --deploy` warns).
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY") or None

# The email services django-anymail sends through, each with the ANYMAIL setting
# that holds the key its webhook calls are signed with; None for the services whose
# calls prove nothing but the basic-auth EMAIL_PROVIDER_WEBHOOK_SECRET (Resend and
# SendGrid could sign, with packages we do not install). press/checks.py refuses a
# service without its key or secret.
EMAIL_PROVIDERS = {
    "amazon_ses": None,
    "brevo": None,
    "mailersend": "MAILERSEND_SIGNING_SECRET",
    "mailgun": "MAILGUN_WEBHOOK_SIGNING_KEY",
    "mailjet": None,
    "mandrill": "MANDRILL_WEBHOOK_KEY",
    "postal": "POSTAL_WEBHOOK_KEY",
    "postmark": None,
    "resend": None,
    "sendgrid": None,
    "sparkpost": None,
}
# Email: SMTP when EMAIL_HOST is set, an email service when EMAIL_PROVIDER is;
# otherwise messages are kept in the database, where staff read them under
# "Development mailbox" in the admin. EMAIL_PROVIDER stays empty unless a service
# sends.
EMAIL_PROVIDER = ""
_email_host = os.environ.get("EMAIL_HOST", "")
if _email_host:
    _email_port = env_int("EMAIL_PORT", 587)
    _email_options = {
        "host": _email_host,
        "port": _email_port,
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", _email_port == 587),
        "use_ssl": env_bool("EMAIL_USE_SSL", _email_port == 465),
        "timeout": env_int("EMAIL_TIMEOUT", 30),
    }
    if _email_options["use_tls"] and _email_options["use_ssl"]:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": _email_options,
        }
    }
elif EMAIL_PROVIDER := os.environ.get("EMAIL_PROVIDER", ""):
    # An email service through django-anymail: its API sends, and its tracking
    # webhook (/anymail/<provider>/tracking/, the only one mounted) reports bounces
    # and complaints.
    if EMAIL_PROVIDER not in EMAIL_PROVIDERS:
        raise ImproperlyConfigured(
            f"EMAIL_PROVIDER must be one of {', '.join(sorted(EMAIL_PROVIDERS))}, "
            f"not {EMAIL_PROVIDER!r}"
        )
    MAILERS = {"default": {"BACKEND": f"anymail.backends.{EMAIL_PROVIDER}.EmailBackend"}}
    ANYMAIL = {f"{EMAIL_PROVIDER.upper()}_API_KEY": os.environ.get("EMAIL_PROVIDER_API_KEY", "")}
    # Only keys that are set: anymail would check signatures with an empty key,
    # which anyone can compute.
    _signing_key = os.environ.get("EMAIL_PROVIDER_WEBHOOK_SIGNING_KEY", "")
    if _signing_key and EMAIL_PROVIDERS[EMAIL_PROVIDER]:
        ANYMAIL[EMAIL_PROVIDERS[EMAIL_PROVIDER]] = _signing_key
    if _webhook_secret := os.environ.get("EMAIL_PROVIDER_WEBHOOK_SECRET", ""):
        ANYMAIL["WEBHOOK_SECRET"] = _webhook_secret
else:
    MAILERS = {"default": {"BACKEND": "devmail.backends.DevMailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Jointly <jointly@localhost>")
EMAIL_MESSAGE_ID_DOMAIN = _site.hostname
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The interface's languages: each has a complete catalogue in locale/. A statement may
# be written in more (statements.models.LANGUAGES); its page then speaks English.
LANGUAGES = [("en", "English"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
CELERY_TIMEZONE = TIME_ZONE
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
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
# Uploads on an S3-compatible object store when S3_BUCKET is set, so that every web
# machine serves the same files; MEDIA_ROOT on this machine's disk otherwise.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
MEDIA_ORIGINS = []
if S3_BUCKET:
    STORAGES["default"], _media_origin = s3_storage(
        bucket=S3_BUCKET,
        endpoint_url=os.environ.get("S3_ENDPOINT_URL", ""),
        region=os.environ.get("S3_REGION", ""),
        access_key_id=os.environ.get("S3_ACCESS_KEY_ID", ""),
        secret_access_key=os.environ.get("S3_SECRET_ACCESS_KEY", ""),
        public_url=os.environ.get("S3_PUBLIC_URL", ""),
        querystring_auth=env_bool("S3_QUERYSTRING_AUTH", False),
    )
    # Pages show the images from the store's address: the CSP must allow it.
    MEDIA_ORIGINS.append(_media_origin)

# Uploads are checked against MAX_UPLOAD_MB by the forms, and images against
# MAX_IMAGE_PIXELS before anything decodes them; this only keeps Django from
# holding larger bodies in memory.
MAX_UPLOAD_MB = 5
MAX_IMAGE_PIXELS = 16_000_000
# A request body announced as larger is refused unread (core/middleware.py); the
# reverse proxy should refuse it first, at the same size.
MAX_REQUEST_MB = env_int("MAX_REQUEST_MB", 10)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Text boxes find their direction (dir="auto") in every form, the admin's included.
FORM_RENDERER = "core.forms.FormRenderer"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# No inline script or style anywhere: everything comes from our own static files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *MEDIA_ORIGINS],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Signing in: django-axes counts failed sign-ins per account and, separately, per
# address (the one RATELIMIT_IP_META_KEY names, as for the co-sign forms; none, and only
# per account, when the request has no address: core/signin.py), and refuses
# both for LOGIN_LOCKOUT_MINUTES after LOGIN_FAILURE_LIMIT failures, even with the right
# password; each further attempt meanwhile starts the wait again. A superuser unlocks
# sooner under "Access attempts" in the admin, or with `manage.py axes_reset`.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1)
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = "core.signin.lockout_parameters"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.http.visitor_address"
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429

# Staff sign in through django-allauth (/accounts/login/, where /admin/login/ leads):
# by username and password, then a second factor when they have one. Nobody signs up;
# superusers make staff accounts in the admin (accounts/adapter.py). django-axes counts
# wrong passwords (above), not allauth; allauth's limits stay on the rest: wrong
# second-factor codes (5 per account in 5 minutes, 10 a minute per address) and reset
# emails (5 a minute per address typed, 20 per visitor address).
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "admin:index"
ACCOUNT_ADAPTER = "accounts.adapter.StaffAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
# The reset page says the same whether or not the address is known, and emails nobody
# about an address without an account.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Closing the browser ends the session, as well as STAFF_SESSION_IDLE_MINUTES idle.
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
# A password reset link works once (it holds a hash of the password it replaces), for a
# day after its email is written (accounts/emails.py).
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
# Second factors: an authenticator app (TOTP), security keys and passkeys (WebAuthn),
# and recovery codes for a lost device. A passkey is a second factor only: signing in
# without a password would go round django-axes' count.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Jointly"
# Browsers allow WebAuthn on https only, and on http://localhost; `make run` serves
# http on 127.0.0.1.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Every staff member must have a second factor before working in the admin
# (accounts/middleware.py): on by default in production, off for `make run`'s demo logins.
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", not DEBUG)

# A staff session ends after this long without a request: each signed-in request saves
# it again with a new expiry (core.middleware.SignedInSessionMiddleware). Readers of the
# public site still get no session and no cookie (and cached pages).
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 60, minimum=1)
SESSION_COOKIE_AGE = STAFF_SESSION_IDLE_MINUTES * 60
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
if _site.scheme == "https":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    if not SECURE_SSL_REDIRECT:
        # Turned off because the proxy in front redirects to HTTPS, as the README
        # advises: `check --deploy` need not warn that Django does not.
        SILENCED_SYSTEM_CHECKS.append("security.W008")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Logs: plain lines (text), or one JSON object a line (json) with the time, level,
# logger, message and the request id (core/requestid.py), for a log collector. No
# line names the secret of an emailed link (core/logs.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "secrets": {"()": "core.logs.RedactSecrets"},
        "request_id": {"()": "core.requestid.RequestIdFilter"},
        "quiet_health_checks": {"()": "core.logs.QuietHealthChecks"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
        "json": {"()": "core.logs.json_lines"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["secrets", "request_id"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        },
        # The development server's request lines, as Django prints them.
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "django.server",
            "filters": ["secrets", "request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's own console handler would print every message a second time.
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.request": {"filters": ["quiet_health_checks"]},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # WeasyPrint logs each step of every PDF at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Error reports (core/sentry.py): only with SENTRY_DSN, and without personal data.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = os.environ.get("SENTRY_ENVIRONMENT", "production")
SENTRY_RELEASE = os.environ.get("SENTRY_RELEASE", "")
try:
    SENTRY_TRACES_SAMPLE_RATE = float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0"))
except ValueError:
    raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1") from None
if not 0 <= SENTRY_TRACES_SAMPLE_RATE <= 1:
    raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1")
if SENTRY_DSN:
    from core.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        release=SENTRY_RELEASE,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )
