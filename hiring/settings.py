"""Settings for the hiring application, read from the environment (or a `.env` file).

With no environment at all this runs on a laptop: SQLite, an in-memory channel layer, a
`livekit-server --dev` on 127.0.0.1 and the provider-free `structured` interviewer. With
DEBUG off it refuses to start until the secrets are set.
"""

import ipaddress
import json
import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured

from interviews.modes import AI_MODES
from interviews.modes import MODES as INTERVIEW_AI_MODES

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# ENV_FILE points elsewhere (or at /dev/null) to run without the local .env.
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

# No default: an unset DEBUG would bring the public development secrets into production.
# `make dev` and the tests set it to True; production sets it to False.
if not env.str("DEBUG", default=""):
    raise ImproperlyConfigured(
        "DEBUG is not set: DEBUG=False in production, DEBUG=True on a development machine "
        "(`make dev` and the tests set it; .env.example has it). See .env.example."
    )
DEBUG = env.bool("DEBUG")

# Only for local development: production must set its own (checked below).
DEV_SECRET_KEY = "django-insecure-local-development-only-key-0123456789abcdefghij"  # noqa: S105
DEV_LIVEKIT_API_KEY = "devkey"
DEV_LIVEKIT_API_SECRET = "secret"  # noqa: S105

SECRET_KEY = env.str("SECRET_KEY", default="") or (DEV_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = [o for o in env.list("CSRF_TRUSTED_ORIGINS", default=[]) if o]
# The proxies in front of the web processes (addresses or networks, e.g. 127.0.0.1 or
# 10.0.0.0/8): behind one of them, the client is the right-most X-Forwarded-For hop that
# is not a trusted proxy. Empty: the connection's own address, and the header is ignored.
TRUSTED_PROXIES = [p for p in env.list("TRUSTED_PROXIES", default=[]) if p]
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an address or network."
        ) from None

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "interviews",
    "agent_worker",
    "import_export",
    "axes",
    "csp",
]

MIDDLEWARE = [
    # First: everything after it (limits, the login throttle, logs) sees the real client.
    "interviews.web.client.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A Content-Security-Policy on every response that has none of its own (the back
    # office); the pages that talk to LiveKit set theirs (interviews.web.csp).
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hiring.urls"
WSGI_APPLICATION = "hiring.wsgi.application"
ASGI_APPLICATION = "hiring.asgi.application"

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

DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the agent worker write to one file: wait for the lock, don't fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            # Under WAL, NORMAL syncs at checkpoints, not at every commit: never corrupt,
            # at worst the last commits lost on a power failure (not on a crash).
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # End-to-end tests run the agent as another process: the test database must be a file.
    # One file per test run, so that two runs in one checkout never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db.{os.getpid()}.sqlite3")}

# PostgreSQL: a pool of connections per web process (DATABASE_POOL_MAX_SIZE > 0), instead of
# a new connection per request (persistent connections do not outlive a request under ASGI).
DATABASE_POOL_MAX_SIZE = env.int("DATABASE_POOL_MAX_SIZE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DATABASE_POOL_MAX_SIZE:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_MAX_SIZE,
        "timeout": 10,
    }

REDIS_URL = env.str("REDIS_URL", default="")
# A listening websocket waits on Redis in blocking pops of 5 s; redis-py's default read
# timeout is also 5 s, so without a longer one every quiet dashboard dropped after 5 s.
CHANNEL_LAYER_REDIS_OPTIONS = {"socket_timeout": 30}
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, **CHANNEL_LAYER_REDIS_OPTIONS}]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Rate limits count in this cache, so it must be shared by every web process: the
# database (its table is created by a migration) or Redis when REDIS_URL is set.
CACHE_TABLE = "hiring_cache"
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Culling would forget live rate-limit windows; expired rows go first anyway.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
# How often the live dashboard also fetches its snapshot: the fallback for changes the
# channel layer cannot carry to the web process (the agent's, with the in-memory layer).
DASHBOARD_POLL_SECONDS = env.int("DASHBOARD_POLL_SECONDS", default=5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Back-office logins are throttled by django-axes: after AXES_FAILURE_LIMIT failed attempts
# for one username from one client address, that pair is locked out for AXES_COOLOFF_TIME
# (429). The address is the one interviews.web.client worked out (TRUSTED_PROXIES), never
# a forwarded header read again by axes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "interviews.web.client.request_client_ip"
AXES_RESET_ON_SUCCESS = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # The join page's LiveKit client, installed by `npm ci` (never from a CDN).
    ("vendor/livekit-client", BASE_DIR / "node_modules" / "livekit-client" / "dist"),
    # The coding round's editor, bundled by `make npm`, and Pyodide, which runs the
    # visible tests in the candidate's browser (static/interviews/coding).
    ("vendor/editor", BASE_DIR / "build" / "editor"),
    ("vendor/pyodide", BASE_DIR / "node_modules" / "pyodide"),
]
STATIC_ROOT = BASE_DIR / "staticfiles"

# Interview recordings go through Django's storage API, in a storage of their own that is
# never served by URL (the report streams them to those allowed to listen). Local files by
# default; an S3-compatible bucket with django-storages (docs/deploy.md, "Recordings").
RECORDING_STORAGE_BACKEND = env.str(
    "RECORDING_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
)
_recording_options = env.str("RECORDING_STORAGE_OPTIONS", default="")
RECORDING_STORAGE_OPTIONS = (
    json.loads(_recording_options)
    if _recording_options
    else {"location": str(BASE_DIR / "recordings"), "base_url": None}
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "recordings": {"BACKEND": RECORDING_STORAGE_BACKEND, "OPTIONS": RECORDING_STORAGE_OPTIONS},
}

# Every record is printed once, by the root handler. Django's own defaults also give the
# "django" logger a console handler of its own while DEBUG is on, which would print each
# of its records (the web server's request lines among them) a second time, unformatted;
# it keeps only the error mail to ADMINS in production.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        # The web server logs request paths; an invite's path holds its secret.
        "invite_secrets": {"()": "interviews.web.log_filters.InviteSecretsRedacted"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["invite_secrets"],
        },
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.db.backends": {"level": "INFO"},
        # django-axes: its lockouts and failures (WARNING), not its banner at every start.
        "axes": {"level": "WARNING"},
    },
}

# --- LiveKit -------------------------------------------------------------------------
LIVEKIT_URL = env.str("LIVEKIT_URL", default="ws://127.0.0.1:7880")
# The address browsers connect to; differs from LIVEKIT_URL behind a proxy.
LIVEKIT_PUBLIC_URL = env.str("LIVEKIT_PUBLIC_URL", default="") or LIVEKIT_URL
LIVEKIT_API_KEY = env.str("LIVEKIT_API_KEY", default=DEV_LIVEKIT_API_KEY)
LIVEKIT_API_SECRET = env.str("LIVEKIT_API_SECRET", default=DEV_LIVEKIT_API_SECRET)
LIVEKIT_AGENT_NAME = env.str("LIVEKIT_AGENT_NAME", default="interviewer")
LIVEKIT_TOKEN_TTL_SECONDS = env.int("LIVEKIT_TOKEN_TTL_SECONDS", default=600)
# Where `runagent start` serves its health check; 0.0.0.0 when a probe comes from outside.
AGENT_HEALTH_HOST = env.str("AGENT_HEALTH_HOST", default="") or "127.0.0.1"
# Interviews one `runagent` process holds at once; LiveKit sends further ones elsewhere.
# Default from the benchmark (docs/benchmarks.md, figure 2): a structured interview whose
# interviewer speaks most of the time takes about a fifth of a core (20-22 % alone); four
# per core leave the rest for livekit-server, the web app and bursts.
AGENT_INTERVIEWS_PER_CPU = 4
AGENT_MAX_INTERVIEWS = int(
    env.str("AGENT_MAX_INTERVIEWS", default="") or AGENT_INTERVIEWS_PER_CPU * (os.cpu_count() or 1)
)
if AGENT_MAX_INTERVIEWS < 1:
    raise ImproperlyConfigured("AGENT_MAX_INTERVIEWS must be 1 or more.")
# Interviews admitted and not yet started by their interviewer, per worker: starts beyond
# this wait a moment in line (interviews.services.interview_queue), since interviews
# starting together on a small machine starve each other of CPU.
AGENT_STARTS_AT_ONCE = env.int("AGENT_STARTS_AT_ONCE", default=4)
if AGENT_STARTS_AT_ONCE < 1:
    raise ImproperlyConfigured("AGENT_STARTS_AT_ONCE must be 1 or more.")
# How a worker runs interviews: "process" (LiveKit's default: a process per interview,
# isolated, about 100 MB each) or "thread" (all in the worker process, lighter, one GIL).
AGENT_JOB_EXECUTOR = env.str("AGENT_JOB_EXECUTOR", default="") or "process"
if AGENT_JOB_EXECUTOR not in ("process", "thread"):
    raise ImproperlyConfigured(
        f"AGENT_JOB_EXECUTOR must be process or thread; got {AGENT_JOB_EXECUTOR!r}."
    )
# Job processes kept started and warmed up, ready for the next interviews (process
# executor); empty means LiveKit's default, the number of CPUs.
_idle_processes = env.str("AGENT_IDLE_PROCESSES", default="")
AGENT_IDLE_PROCESSES = int(_idle_processes) if _idle_processes else None
# Seconds a job process may take to start and warm up (import the agent, load the VAD and
# speech models) before LiveKit kills it; its own default of 10 s is too short on a busy
# machine.
AGENT_PREWARM_TIMEOUT_SECONDS = float(env.str("AGENT_PREWARM_TIMEOUT_SECONDS", default="") or 60)
if AGENT_PREWARM_TIMEOUT_SECONDS <= 0:
    raise ImproperlyConfigured("AGENT_PREWARM_TIMEOUT_SECONDS must be more than 0.")

# --- The interviewer -----------------------------------------------------------------
OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
# An empty value means "not set" throughout, so a copied .env.example works as it is.
INTERVIEW_AI = env.str("INTERVIEW_AI", default="") or (
    "realtime" if OPENAI_API_KEY else "structured"
)
if INTERVIEW_AI not in INTERVIEW_AI_MODES:
    raise ImproperlyConfigured(
        f"INTERVIEW_AI must be one of {', '.join(INTERVIEW_AI_MODES)}; got {INTERVIEW_AI!r}."
    )
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="")
REALTIME_MODEL = env.str("REALTIME_MODEL", default="gpt-realtime")
REALTIME_VOICE = env.str("REALTIME_VOICE", default="shimmer")
PIPELINE_STT_MODEL = env.str("PIPELINE_STT_MODEL", default="gpt-4o-mini-transcribe")
PIPELINE_STT_BASE_URL = env.str("PIPELINE_STT_BASE_URL", default="") or OPENAI_BASE_URL
PIPELINE_LLM_MODEL = env.str("PIPELINE_LLM_MODEL", default="gpt-4.1-mini")
PIPELINE_LLM_BASE_URL = env.str("PIPELINE_LLM_BASE_URL", default="") or OPENAI_BASE_URL
PIPELINE_TTS_MODEL = env.str("PIPELINE_TTS_MODEL", default="gpt-4o-mini-tts")
PIPELINE_TTS_BASE_URL = env.str("PIPELINE_TTS_BASE_URL", default="") or OPENAI_BASE_URL
PIPELINE_TTS_VOICE = env.str("PIPELINE_TTS_VOICE", default="shimmer")
ESPEAK_VOICE = env.str("ESPEAK_VOICE", default="en-us")
# How fast the structured interviewer speaks (espeak-ng's words per minute, 80-450).
ESPEAK_WORDS_PER_MINUTE = env.int("ESPEAK_WORDS_PER_MINUTE", default=165)
if not 80 <= ESPEAK_WORDS_PER_MINUTE <= 450:
    raise ImproperlyConfigured("ESPEAK_WORDS_PER_MINUTE must be between 80 and 450.")
# Structured mode: transcribe candidates' speech offline on the CPU (moonshine tiny-en,
# shipped in its wheel). Off, or when it cannot load, candidates answer by typing.
STRUCTURED_SPEECH_TO_TEXT = env.bool("STRUCTURED_SPEECH_TO_TEXT", default=True)
# Typed messages of one answer form one turn: the interviewer replies once the candidate
# has stopped typing this long (at once after "that's it").
TYPED_ANSWER_PAUSE_SECONDS = env.float("TYPED_ANSWER_PAUSE_SECONDS", default=4.0)
# Structured mode: after "anything you would like to add or correct?", a silence this long
# is taken as "no" and the interviewer closes.
ANYTHING_ELSE_SILENCE_SECONDS = env.float("ANYTHING_ELSE_SILENCE_SECONDS", default=5.0)
if ANYTHING_ELSE_SILENCE_SECONDS <= 0:
    raise ImproperlyConfigured("ANYTHING_ELSE_SILENCE_SECONDS must be more than 0.")

# --- Interviews ----------------------------------------------------------------------
INVITE_TTL_DAYS = env.int("INVITE_TTL_DAYS", default=7)
# Open-link interviews live at once (in progress, or holding an unexpired token), from
# every client together: the link cannot take more rooms than the interviewers can serve.
OPEN_LINK_MAX_LIVE_INTERVIEWS = env.int("OPEN_LINK_MAX_LIVE_INTERVIEWS", default=50)
DATA_RETENTION_DAYS = env.int("DATA_RETENTION_DAYS", default=365)
# Recordings may be kept for less time than the interview (never longer: they go with it).
RECORDING_RETENTION_DAYS = int(
    env.str("RECORDING_RETENTION_DAYS", default="") or DATA_RETENTION_DAYS
)
# The record of the system's operation (no personal data): at least six months.
OPERATION_LOG_RETENTION_DAYS = env.int("OPERATION_LOG_RETENTION_DAYS", default=183)
if OPERATION_LOG_RETENTION_DAYS < 183:
    raise ImproperlyConfigured("OPERATION_LOG_RETENTION_DAYS must be at least 183 (six months).")
EVALUATION_MODEL = env.str("EVALUATION_MODEL", default="")
EVALUATION_BASE_URL = env.str("EVALUATION_BASE_URL", default="") or OPENAI_BASE_URL

# --- The coding round ----------------------------------------------------------------
# Candidates' code runs on the server in a confined process per run (interviews/coding/
# sandbox.py), each taking about one core for one to a few seconds: runs at once per web
# process (more wait a moment for a free slot), seconds a run's code may take (Python's
# own start is not counted), and the memory one run may use (Pyodide needs about 256 MB
# of it just to start).
CODING_SANDBOX_MAX_CONCURRENT = int(env.str("CODING_SANDBOX_MAX_CONCURRENT", default="") or 2)
CODING_RUN_TIME_LIMIT_SECONDS = float(env.str("CODING_RUN_TIME_LIMIT_SECONDS", default="") or 10)
CODING_MEMORY_LIMIT_MB = int(env.str("CODING_MEMORY_LIMIT_MB", default="") or 512)
if CODING_SANDBOX_MAX_CONCURRENT < 1:
    raise ImproperlyConfigured("CODING_SANDBOX_MAX_CONCURRENT must be 1 or more.")
if not 1 <= CODING_RUN_TIME_LIMIT_SECONDS <= 120:
    raise ImproperlyConfigured("CODING_RUN_TIME_LIMIT_SECONDS must be between 1 and 120.")
if CODING_MEMORY_LIMIT_MB < 320:
    raise ImproperlyConfigured("CODING_MEMORY_LIMIT_MB must be 320 or more (Pyodide's start).")

# --- Email ---------------------------------------------------------------------------
# SMTP when EMAIL_HOST is set (production). Without it, in development, every message is
# written as a file into EMAIL_FILE_PATH, where `make dev` says to look and staff read
# it at /admin/outbox/; no mail server needed.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default="") or str(BASE_DIR / ".tools" / "outbox")
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST or not DEBUG
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_HOST = EMAIL_HOST or "localhost"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Hiring <hiring@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address links in emails start with (no request to build them from).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Recruiters told when an interview completes (a link to its report, nothing else).
NOTIFY_ON_COMPLETION_EMAIL = [a for a in env.list("NOTIFY_ON_COMPLETION_EMAIL", default=[]) if a]
EMAIL_CODE_TTL_MINUTES = env.int("EMAIL_CODE_TTL_MINUTES", default=10)

# The debug error page (DEBUG=True) lists settings and the environment: hide the ones that
# carry credentials in a URL, beside Django's own (KEY, SECRET, PASS, TOKEN...).
DEFAULT_EXCEPTION_REPORTER_FILTER = "interviews.web.error_reports.CredentialsHiddenFilter"

# --- Production ----------------------------------------------------------------------
if not DEBUG:
    missing = [
        name
        for name, value, dev_value in (
            ("SECRET_KEY", SECRET_KEY, DEV_SECRET_KEY),
            ("LIVEKIT_API_KEY", LIVEKIT_API_KEY, DEV_LIVEKIT_API_KEY),
            ("LIVEKIT_API_SECRET", LIVEKIT_API_SECRET, DEV_LIVEKIT_API_SECRET),
        )
        if not value or value == dev_value
    ]
    if missing:
        raise ImproperlyConfigured(
            f"DEBUG is off but {', '.join(missing)} is not set: refusing to start in "
            "production with development secrets. See .env.example."
        )
    if len(LIVEKIT_API_SECRET) < 32:
        raise ImproperlyConfigured(
            "LIVEKIT_API_SECRET is shorter than 32 characters: anyone could guess it and sign "
            "tokens for any room. Use 32 or more random characters."
        )
    if INTERVIEW_AI in AI_MODES and not OPENAI_API_KEY:
        raise ImproperlyConfigured(f"INTERVIEW_AI={INTERVIEW_AI} needs OPENAI_API_KEY.")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# The back office's pages: this site's scripts only. Django's admin templates still carry
# a few style attributes, hence inline styles (never inline scripts).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF, "'unsafe-inline'"],
        "img-src": [CSP_SELF, "data:"],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_NONE],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
# Pages hand the CSRF token to their scripts in the page itself; no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
