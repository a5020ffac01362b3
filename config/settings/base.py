"""Settings for every environment, read from environment variables.

With nothing set this is a local development setup: SQLite beside the code,
Celery tasks run eagerly in the web process, email printed to the console.
Set DATABASE_URL for PostgreSQL and REDIS_URL for a real Celery broker.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from config.env import envbool, envint, envstr

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Local-only default; production.py refuses to start without a real key.
SECRET_KEY = envstr("SECRET_KEY", "local-development-only-not-secret")
# Off unless asked for: `python3 dev.py run` sets DEBUG=1 for the local server.
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = [h for h in envstr("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "hubs",
    "notices",
    "partners",
    "commissioning",
    "agreements",
    "compliance",
    "monitoring",
    "contracts",
    "oversight",
    "procurement",
    "demo",
    "scale",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view, and so before the CSRF check parses a form and spools
    # its files to disk; after AuthenticationMiddleware, as only signed-in
    # people get the larger limit of the pages that take files.
    "config.middleware.RequestBodyLimit",
    # Pages for signed-in people, and every export, are not kept in caches.
    "config.middleware.PrivateNoStore",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.htmx: an autosave sent by htmx gets its answer as HTML to swap in.
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireMFAForRoles",
    # Last, as django-axes asks: it turns a lock-out into the lock-out page.
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
                "notices.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default: WAL lets readers go on while one request writes;
    # IMMEDIATE takes the write lock when a transaction begins (not halfway
    # through, when SQLite can only give up), and a writer waits up to 20 s
    # for another instead of answering "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses any sign-in to an account locked out by django-axes.
    "accounts.backends.LockoutBackend",
    # Username and password (the Django admin's own form, the test client).
    "django.contrib.auth.backends.ModelBackend",
    # Email and password, from our sign-in page.
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Roles are granted on the hub (and service area) through direct foreign-key
# permission models; guardian's generic tables stay empty.
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ── Signing in (django-allauth) ──────────────────────────────────────────────
# People sign in with their email address and password. Accounts are created
# by hub admins, so nobody can sign up and addresses need no verification.
# Existing accounts keep username == email; allauth fills it the same way.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
# Accounts made by hub admins, invitations and providers need no verifying;
# someone who registers themself from a call (accounts/registration/) signs in
# only once they have followed allauth's confirmation link, which signs them
# in when followed in the browser they registered in.
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
# No "remember me": a session ends when the browser closes or after
# SESSION_COOKIE_AGE without a request, whichever comes first.
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # no mail to addresses we do not know
ACCOUNT_EMAIL_NOTIFICATIONS = True  # tell people when their password or 2FA changes
ACCOUNT_EMAIL_SUBJECT_PREFIX = "hubcommission: "
# Five wrong passwords lock an account (django-axes, below); allauth's own
# per-account limit sits above that so the lock-out page is what people see.
# Failed sign-ins are not also limited per address (allauth's default): ten
# failures for made-up accounts would refuse everyone at that address. Its
# limit on sign-in attempts per address (30 a minute) and on second-factor
# codes stay as they are.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/300s/key"}
# Behind a reverse proxy, set to the number of proxies you run (1 for the
# proxy in docker-compose.yml), so rate limits and lock-outs see the client's
# address and not the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

# Second factor: an authenticator app (TOTP) with recovery codes. Who must use
# one is decided by accounts.mfa.MFA_ROLES, enforced by the middleware.
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "hubcommission"

# Lock-out (django-axes): five failed sign-ins for one account lock that
# account for 30 minutes, wherever the attempts come from (and so also from
# any one address). Nothing locks by address alone: behind a proxy, or in one
# school or council, many people share an address, and failures for made-up
# accounts must not lock them out.
AXES_ENABLED = envbool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.lockout.attempted_username"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_RESET_ON_SUCCESS = True
# Lock-outs are logged; the start-up banner and every success are not news.
AXES_VERBOSE = False
# axes warns when it does not also lock out by IP address alone. We do not
# (above); allauth's per-IP rate limit slows guessing across many accounts
# from one address instead, and refuses for a minute rather than half an hour.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions end after SESSION_COOKIE_AGE seconds without a request (every
# request renews them) and when the browser closes; static/js/session.js
# warns two minutes before.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# ── Security headers ─────────────────────────────────────────────────────────
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script or style anywhere, the Django admin's included; the QR code
# for setting up an authenticator app is a data: image.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "private-media")))

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "hubcommission <noreply@localhost>")
# Links in emails start with this (no trailing slash).
SITE_URL = envstr("SITE_URL", "http://localhost:8000")
# An invitation to join a hub (accounts.invitations) works for this many days.
INVITATION_EXPIRY_DAYS = envint("INVITATION_EXPIRY_DAYS", 7)

# Celery: no REDIS_URL means no broker, so tasks run in-process at once.
REDIS_URL = envstr("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}

# ── Uploads ──────────────────────────────────────────────────────────────────
# Call documents and proposals' attachments are stored under MEDIA_ROOT with
# random names and served only through views that check who is asking (there
# is no MEDIA_URL route). Each file is checked by its content; this caps size.
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_MB", 10) * 1024 * 1024
UPLOAD_MAX_FILES_PER_PROPOSAL = envint("UPLOAD_MAX_FILES_PER_PROPOSAL", 10)

# ── Request sizes (config.middleware.RequestBodyLimit) ───────────────────────
# A request whose body is larger than its page's limit is refused with 413
# before anything reads it, so nobody can fill the disk with form uploads.
# Every page: 100 KB, plenty for any form without files.
REQUEST_BODY_MAX_BYTES = envint("REQUEST_BODY_MAX_KB", 100) * 1024
# The pages that take files (by URL name), for signed-in people only: every
# file a proposal may hold at the per-file limit, and the form around them.
UPLOAD_REQUEST_MAX_BYTES = UPLOAD_MAX_BYTES * UPLOAD_MAX_FILES_PER_PROPOSAL + REQUEST_BODY_MAX_BYTES
# Long written answers (a report's outcomes take up to 20,000 characters
# each, and a form encodes an accented letter in nine): 1 MB.
LONG_FORM_MAX_BYTES = 1024 * 1024
REQUEST_BODY_LIMITS = {
    "calls:publish": UPLOAD_REQUEST_MAX_BYTES,  # a call's documents
    "calls:eoi_edit": UPLOAD_REQUEST_MAX_BYTES,  # an expression of interest's files
    "calls:eoi_autosave": LONG_FORM_MAX_BYTES,  # its answers, without the files
    "monitoring:report_edit": LONG_FORM_MAX_BYTES,
    "monitoring:report_autosave": LONG_FORM_MAX_BYTES,
    "hub_documents:manage": UPLOAD_MAX_BYTES + REQUEST_BODY_MAX_BYTES,  # one document
    "records:add": UPLOAD_MAX_BYTES + REQUEST_BODY_MAX_BYTES,  # a commission record's document
    "compliance:record_add": UPLOAD_MAX_BYTES + REQUEST_BODY_MAX_BYTES,  # one document
}
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# Celery beat: calls close themselves at their deadline. autodiscover_tasks()
# finds only tasks.py modules, so the modules holding these tasks are imported
# by name for the worker and beat.
CELERY_IMPORTS = [
    "commissioning.calls.closing",
    "agreements.tasks",
]
CELERY_BEAT_SCHEDULE = {
    "close-due-calls": {
        "task": "commissioning.close_due_calls",
        "schedule": timedelta(minutes=5),
    },
    # notices (notices/tasks.py): the outbox is sent after each commit; this
    # sends whatever a broker outage or a mail-server failure left pending.
    "deliver-outbox": {"task": "notices.deliver_outbox", "schedule": timedelta(minutes=1)},
    # Both are idempotent (each reminder and each day's digest is sent once), so
    # hourly just means a missed tick costs an hour, not a day.
    "send-reminders": {"task": "notices.send_reminders", "schedule": crontab(minute=5)},
    "send-digests": {"task": "notices.send_digests", "schedule": crontab(minute=20)},
    # agreements: instalments whose date has come fall due (idempotent).
    "instalments-fall-due": {
        "task": "agreements.instalments_fall_due",
        "schedule": crontab(hour=6, minute=15),
    },
}

# ── Beyond one machine ───────────────────────────────────────────────────────
# Each concern's settings live in a module of their own and add to the above.
from config.settings import api, observability, sso, storage  # noqa: E402

for _concern in (storage, sso, api, observability):
    _concern.extend(globals())
