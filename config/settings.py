"""Umka settings: one module, every knob an environment variable with a safe default.

See the configuration table in README.md for the full list.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("UMKA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Use SECRET_KEY when given; otherwise keep a random one in var/ (never in git)."""
    if key := env("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # daphne first: `runserver` then serves ASGI (pages and WebSocket) in development
    "daphne",
    "umka.core.admin_site.UmkaAdminConfig",  # django.contrib.admin, Umka's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "huey.contrib.djhuey",
    "channels",
    # Umka, one app per domain concept
    "umka.core",
    "umka.accounts",
    "umka.school",
    "umka.audit",
    "umka.imports",
    "umka.notifications",
    "umka.consultations",
    "umka.grades",
    "umka.requests",
    "umka.bookings",
    "umka.rooms",
    "umka.courses",
    "umka.assignments",
    "umka.materials",
    "umka.seminars",
    "umka.glossary",
    "umka.forums",
    "umka.compliance",
    "umka.reports",
    "umka.home",
    "umka.demo",
    "umka.privacy",
    "umka.backups",
    # Two-factor sign-in (django-otp: authenticator codes and recovery codes)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "umka.signin",
    "umka.ratings",
    "umka.ledger",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "umka.core.middleware.SchoolLanguageMiddleware",
    # before anything reads the body (the CSRF check): a too large upload is
    # refused by its Content-Length at once
    "umka.core.upload_limit.UploadLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "umka.school.middleware.SchoolTimezoneMiddleware",
    "umka.accounts.middleware.ForcePasswordChangeMiddleware",
    # Content-Security-Policy (settings below), Permissions-Policy, Cache-Control
    "csp.middleware.CSPMiddleware",
    "umka.core.headers.PrivacyHeadersMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "umka.signin.middleware.TwoFactorMiddleware",
    "umka.signin.middleware.SessionActivityMiddleware",
    # axes must be last: it turns a lockout into its response
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The back office in the site's look: admin/base_site.html (before the admin
        # app's own templates).
        "DIRS": [BASE_DIR / "umka" / "core" / "admin_templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "umka.school.context_processors.school",
                "umka.notifications.context_processors.notifications",
                "umka.core.menu.main_menu",
                "umka.core.lowvision.low_vision",
            ],
        },
    },
]

# --- Database: SQLite by default, PostgreSQL (or another) through DATABASE_URL ---
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'umka.sqlite3'}",
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
        # A kept connection is checked before a request reuses it: after a database
        # restart the first request does not fail on a dead connection.
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
        # failing half-way; WAL lets pages read while an import writes.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (also carries import progress between the worker and the web process) ---
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, with one Redis client per pool; Redis away is a miss and a
            # write that does nothing, never a 500 (umka/core/cache.py).
            "BACKEND": "umka.core.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Sessions: with Redis, read from the cache and written through to the database (a
# signed-in page costs no session query; sign-outs and expiry work as before).
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Real time: Django Channels; in-memory layer by default, Redis when REDIS_URL ----
# The in-memory layer only reaches the one process it lives in: fine for `make run`
# and tests, never for several app servers (they need Redis).
# Redis pub/sub fans a room's event out with one PUBLISH that each app server
# receives once (bench/chat_fanout.py measures it against the list-based layer,
# CHANNEL_LAYER=lists, which writes one copy per connection).
CHANNEL_LAYER = env("CHANNEL_LAYER", "pubsub")
if REDIS_URL and CHANNEL_LAYER == "lists":
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "capacity": 5000, "expiry": 60},
        }
    }
elif REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Live rooms (R4, R5): chat, videoconference, webinar ---------------------------
# Participants may enter this many minutes before a session starts (the organiser
# any time that day) and until this many minutes after it ends.
ROOM_OPENS_MINUTES_BEFORE = int(env("ROOM_OPENS_MINUTES_BEFORE", "15"))
ROOM_CLOSES_MINUTES_AFTER = int(env("ROOM_CLOSES_MINUTES_AFTER", "60"))
# Up to this many people with media, a videoconference runs peer to peer even when
# Janus is configured; webinars always go through Janus when it is.
ROOM_P2P_MAX_PARTICIPANTS = int(env("ROOM_P2P_MAX_PARTICIPANTS", "4"))
ROOM_CHAT_MAX_CHARS = int(env("ROOM_CHAT_MAX_CHARS", "2000"))
ROOM_HISTORY_MESSAGES = int(env("ROOM_HISTORY_MESSAGES", "200"))
# Janus (Debian package `janus`): the media server for webinars and larger groups.
# JANUS_URL: its HTTP API as the browser reaches it (often proxied at /janus);
# JANUS_ADMIN_URL: its admin API, reached by the app server only (localhost).
JANUS_URL = env("JANUS_URL")
JANUS_ADMIN_URL = env("JANUS_ADMIN_URL", "http://127.0.0.1:7088/admin")
JANUS_ADMIN_SECRET = env("JANUS_ADMIN_SECRET")
# A pool of Janus hosts (a district's webinars), each «browser URL|admin URL»,
# comma-separated, with the same admin secret: a new media room goes to the least
# loaded one (umka/rooms/janus.py). Without it, the one JANUS_URL is used.
JANUS_POOL = env_list("JANUS_POOL")
# The browser library from Debian's libjs-janus-gateway / libjs-webrtc-adapter,
# served as our own static files under static/vendor/.
JANUS_JS_DIR = env("JANUS_JS_DIR", "/usr/share/javascript/janus-gateway")
WEBRTC_ADAPTER_JS_DIR = env(
    "WEBRTC_ADAPTER_JS_DIR", "/usr/share/javascript/webrtc-adapter"
)
# STUN/TURN for the browsers (coturn, Debian package `coturn`): comma-separated
# URLs; TURN_SECRET is coturn's static-auth-secret (time-limited credentials).
STUN_URLS = env_list("STUN_URLS")
TURN_URLS = env_list("TURN_URLS")
TURN_SECRET = env("TURN_SECRET")
TURN_CREDENTIAL_HOURS = int(env("TURN_CREDENTIAL_HOURS", "12"))
# KaTeX from Debian's libjs-katex typesets maths of the rich-text path
# (umka.core.richtext); served as our own static files, never from a CDN.
KATEX_JS_DIR = env("KATEX_JS_DIR", "/usr/share/javascript/katex")
STATICFILES_DIRS = [
    (prefix, folder)
    for prefix, folder in (
        ("vendor/janus-gateway", JANUS_JS_DIR),
        ("vendor/webrtc-adapter", WEBRTC_ADAPTER_JS_DIR),
        ("vendor/katex", KATEX_JS_DIR),
    )
    if Path(folder).is_dir()
]

# --- Background tasks: Huey; SQLite file queue by default, Redis when REDIS_URL -------
HUEY = {
    "name": "umka",
    "immediate": env_bool("TASKS_IMMEDIATE", False),
    "consumer": {
        "workers": int(env("TASK_WORKERS", "2")),
        "worker_type": "thread",
        # Poll an idle queue at least every second: an upload starts at once.
        "initial_delay": 0.1,
        "backoff": 1.15,
        "max_delay": 1.0,
    },
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": REDIS_URL})
else:
    HUEY.update(
        {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "tasks.sqlite3")}
    )

# The task worker queues the tasks the queue could not take (the outbox) this often.
OUTBOX_DRAIN_SECONDS = float(env("OUTBOX_DRAIN_SECONDS", "5"))

# --- Authentication ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    # Random one-time passwords of imported accounts: high entropy, so fewer rounds.
    "umka.accounts.hashers.OneTimePasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# django-axes: lock a login (per user name and address) after repeated failures
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = env_bool("LOGIN_LOCKOUT", True)

# Two-factor sign-in (umka.signin): required for these roles and for superusers
# (the back office), optional for everyone else. TWO_FACTOR_REQUIRED=0 lifts the
# requirement — only for the demo (`make run`) and the browser tests, never in
# production. Wrong codes lock like wrong passwords (LOGIN_FAILURE_LIMIT, cool-off).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
TWO_FACTOR_REQUIRED_ROLES = env_list(
    "TWO_FACTOR_REQUIRED_ROLES", "director,deputy_head,administrator"
)
OTP_TOTP_ISSUER = env("TWO_FACTOR_ISSUER", "Umka")
# django-otp's own per-device delays are replaced by the lockout above.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Rate limits per signed-in person (umka.core.ratelimit): «count/period».
RATE_LIMITS = {
    "requests.create": env("RATE_LIMIT_REQUESTS", "10/h"),
    "requests.reply": env("RATE_LIMIT_REPLIES", "60/h"),
    "bookings.create": env("RATE_LIMIT_BOOKINGS", "20/h"),
    "accounts.password_reset": env("RATE_LIMIT_PASSWORD_RESET", "3/h"),
    "accounts.password_reset_ip": env("RATE_LIMIT_PASSWORD_RESET_IP", "20/h"),
}

# --- Security: secure by default, HTTPS-only flags when the site runs behind TLS -----
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env("SESSION_HOURS", "12")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- E-mail: console by default, SMTP when EMAIL_HOST is set -------------------------
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "umka@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# How people reach the site: links in e-mail are built on it (no request there).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# Content-Security-Policy (django-csp): scripts only from our own static files (or
# an inline one carrying the request's nonce: none today, and a test keeps it so);
# styles may be inline (htmx's indicator style, a few style attributes); the live
# rooms connect to our WebSocket and to Janus (JANUS_URL, JANUS_POOL); KaTeX's
# fonts and every other asset are local. CSP_CONNECT_SRC adds origins by hand.
# Permissions-Policy and Cache-Control: umka/core/headers.py.


def _origins(urls: list[str]) -> list[str]:
    found = []
    for url in urls:
        parts = urlsplit(url.split("|")[0].strip())
        if parts.scheme and parts.netloc:
            found.append(f"{parts.scheme}://{parts.netloc}")
            if parts.scheme in ("http", "https"):
                scheme = "wss" if parts.scheme == "https" else "ws"
                found.append(f"{scheme}://{parts.netloc}")
    return list(dict.fromkeys(found))


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": [
            "'self'",
            *_origins([SITE_URL, JANUS_URL, *JANUS_POOL]),
            *env_list("CSP_CONNECT_SRC"),
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}

# --- Language and time ----------------------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", "ru")
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# The default; a school's own zone (School.time_zone) is activated per request.
TIME_ZONE = env("TIME_ZONE", "Europe/Moscow")
USE_TZ = True

# --- Static and uploaded files: served by the app itself, never from a CDN ----------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not env_bool("STATIC_FROM_APPS", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve static files straight from the apps (no collectstatic) in development.
WHITENOISE_USE_FINDERS = DEBUG or env_bool("STATIC_FROM_APPS", False)
# Uploaded files go through Django's storage API: the local folder MEDIA_ROOT by
# default, any S3-compatible object storage when S3_BUCKET is set (django-storages).
# Files stay private either way: each app serves its own after a policy's check.
S3_BUCKET = env("S3_BUCKET")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "region_name": env("S3_REGION") or None,
            "access_key": env("S3_ACCESS_KEY") or None,
            "secret_key": env("S3_SECRET_KEY") or None,
            "location": env("S3_PREFIX"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": env("S3_ADDRESSING_STYLE") or None,
        },
    }
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
# Uploads: an import of a few thousand rows is far below this.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_FILE_MB = int(env("IMPORT_MAX_FILE_MB", "10"))
# One-time passwords of an import are erased after this many days at the latest.
IMPORT_CREDENTIALS_DAYS = int(env("IMPORT_CREDENTIALS_DAYS", "7"))
# An import running this long has lost its worker (killed, restarted): it is marked
# failed with a message (its one transaction rolled back: nothing was applied).
IMPORT_STALE_MINUTES = int(env("IMPORT_STALE_MINUTES", "30"))
# A workbook is read in a child process with this much address space and time at
# most (umka/imports/bounded.py): a decompression bomb cannot take the worker's
# memory. 0 reads in the worker itself.
IMPORT_READ_MEMORY_MB = int(env("IMPORT_READ_MEMORY_MB", "512"))
IMPORT_READ_SECONDS = float(env("IMPORT_READ_SECONDS", "120"))
# Largest attachment (a request's files, materials…) umka.core.uploads accepts: a
# phone photo or a scanned worksheet is far below it.
UPLOAD_MAX_MB = float(env("UPLOAD_MAX_MB", "20"))
# Learning materials (R2): the largest file (a video), the school's quota for all
# of them (shown to the administration), and nginx serving the files after the
# check (X-Accel-Redirect through django-sendfile2; deploy/nginx/umka.conf has the
# internal location) instead of the app streaming them with range requests.
MATERIALS_MAX_MB = float(env("MATERIALS_MAX_MB", "200"))
MATERIALS_QUOTA_MB = float(env("MATERIALS_QUOTA_MB", "10240"))
SENDFILE_BACKEND = (
    "django_sendfile.backends.nginx"
    if env_bool("MATERIALS_X_ACCEL_REDIRECT", False)
    else "django_sendfile.backends.simple"
)
SENDFILE_ROOT = str(MEDIA_ROOT)
SENDFILE_URL = env("MATERIALS_X_ACCEL_PREFIX", "/protected-media")
# Requests (обращения): this many open requests from one class on one topic of a
# subject tell the subject's teacher that the class shares the difficulty (R9).
REQUESTS_SHARED_TOPIC_THRESHOLD = int(env("REQUESTS_SHARED_TOPIC_THRESHOLD", "3"))
# Deferred work (R6): an assignment graded in points becomes 2–5 at these
# percentages of its maximum (for 3, 4 and 5).
ASSIGNMENT_POINTS_THRESHOLDS = [
    float(v) for v in env_list("ASSIGNMENT_POINTS_THRESHOLDS", "50,70,85")
]
# Forums (R6): followers get at most one e-mail digest in this many hours (never
# in the quiet hours of students and parents).
FORUM_DIGEST_HOURS = float(env("FORUM_DIGEST_HOURS", "24"))
# Personal data (152-ФЗ): bookings, requests and submissions need the person's
# consent (a parent's for a minor child); retention periods in days (0: for ever).
PRIVACY_CONSENT_REQUIRED = env_bool("PRIVACY_CONSENT_REQUIRED", True)
PRIVACY_RETENTION_CHAT_DAYS = int(env("PRIVACY_RETENTION_CHAT_DAYS", "365"))
PRIVACY_RETENTION_REQUEST_ATTACHMENTS_DAYS = int(
    env("PRIVACY_RETENTION_REQUEST_ATTACHMENTS_DAYS", "1095")
)
PRIVACY_RETENTION_AUDIT_DAYS = int(env("PRIVACY_RETENTION_AUDIT_DAYS", "1825"))
# Backups (manage.py backup / restore): where the archives go, how many are kept.
BACKUP_DIR = Path(env("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP = int(env("BACKUP_KEEP", "14"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {
        "umka": {"level": env("LOG_LEVEL", "INFO")},
        # Django logs every 4xx answer as a warning: a rush of «slot taken» (409)
        # or a crawler's 404s would fill the log. Server errors are still logged.
        "django.request": {"level": env("REQUEST_LOG_LEVEL", "ERROR")},
    },
}
