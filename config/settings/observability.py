"""Mail through any provider (django-anymail), health checks, structured logs
and error reports.

Applied at the end of base.py by `extend(globals())`: this module adds to the
base settings (apps, middleware, its own names) and reads the environment
through config.env like the rest.

- MAIL_PROVIDER: "console" (the local default: mail is printed), "smtp" (the
  production default; EMAIL_HOST, EMAIL_PORT, ...), or an email service that
  django-anymail speaks ("mailgun", "postmark", "sendgrid", "amazon_ses",
  "brevo", ...), configured by its own variables: every variable named
  <PROVIDER>_... (MAILGUN_API_KEY, MAILGUN_SENDER_DOMAIN, MAILGUN_API_URL,
  POSTMARK_SERVER_TOKEN, POSTMARK_API_URL, ...) goes into ANYMAIL. An explicit
  EMAIL_BACKEND still wins over all of these.
- LOG_FORMAT=json: one JSON object a line, each with the request's id.
- SENTRY_DSN: error reports, with personal data taken out (config.error_reports).
- HEALTH_CHECK_TOKEN: who may read the health check's details besides staff.
"""

from __future__ import annotations

import importlib.util
import os

from django.core.exceptions import ImproperlyConfigured

from config.env import envint, envstr

BUILT_IN_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}


def mail_backend(*, default: str) -> str:
    """EMAIL_BACKEND from the environment: EMAIL_BACKEND itself if set, else
    the backend of MAIL_PROVIDER (or of `default` when that is unset)."""
    explicit = envstr("EMAIL_BACKEND")
    if explicit:
        return explicit
    provider = mail_provider(default=default)
    if provider in BUILT_IN_BACKENDS:
        return BUILT_IN_BACKENDS[provider]
    return f"anymail.backends.{provider}.EmailBackend"


def mail_provider(*, default: str) -> str:
    provider = envstr("MAIL_PROVIDER", default).strip().lower() or default
    if provider in BUILT_IN_BACKENDS:
        return provider
    if importlib.util.find_spec(f"anymail.backends.{provider}") is None:
        raise ImproperlyConfigured(
            f"MAIL_PROVIDER={provider!r}: not smtp, console or a provider django-anymail knows"
        )
    return provider


def anymail_settings(provider: str) -> dict[str, str]:
    """The provider's own variables (MAILGUN_API_KEY, POSTMARK_API_URL, ...),
    named as anymail names them. Read by prefix, since each provider has its
    own handful (see django-anymail's page for the provider)."""
    if provider in BUILT_IN_BACKENDS:
        return {}
    prefix = provider.upper() + "_"
    return {name: value for name, value in os.environ.items() if name.startswith(prefix)}


def logging_config(*, log_format: str, level: str) -> dict:
    """Every record carries the id of the request (or of the task's request)
    it belongs to; LOG_FORMAT=json writes one JSON object a line."""
    formatters = {
        "human": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s",
        },
        "json": {"()": "config.request_id.JsonLines"},
    }
    json_lines = log_format == "json"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": "config.request_id.RequestContextFilter"}},
        "formatters": formatters,
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request"],
                "formatter": "json" if json_lines else "human",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # One line per request (method, path, status, duration, user id):
            # the machines' access log. Locally the server already prints one.
            "hubcommission.request": {"level": "INFO" if json_lines else "WARNING"},
        },
    }


def sentry_start(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    """Error reports to `dsn`, with personal data scrubbed before they leave."""
    import sentry_sdk

    from config.error_reports import sentry_options

    sentry_sdk.init(
        dsn=dsn,
        **sentry_options(environment=environment, traces_sample_rate=traces_sample_rate),
    )


def extend(settings: dict) -> None:
    """Add this concern's settings to the base settings `settings` in place."""
    # ── Mail ─────────────────────────────────────────────────────────────────
    # production.py calls mail_backend(default="smtp") for itself.
    settings["EMAIL_BACKEND"] = mail_backend(default="console")
    settings["ANYMAIL"] = anymail_settings(mail_provider(default="console"))
    settings["EMAIL_HOST"] = envstr("EMAIL_HOST", "localhost")
    settings["EMAIL_PORT"] = envint("EMAIL_PORT", 25)
    settings["EMAIL_HOST_USER"] = envstr("EMAIL_HOST_USER")
    settings["EMAIL_HOST_PASSWORD"] = envstr("EMAIL_HOST_PASSWORD")
    settings["EMAIL_TIMEOUT"] = envint("EMAIL_TIMEOUT", 60)

    # ── Logs ─────────────────────────────────────────────────────────────────
    settings["LOGGING"] = logging_config(
        log_format=envstr("LOG_FORMAT", "human").strip().lower(),
        level=envstr("LOG_LEVEL", "INFO"),
    )
    # The worker logs through LOGGING too (JSON with the request's id), not
    # through Celery's own format.
    settings["CELERY_WORKER_HIJACK_ROOT_LOGGER"] = False
    middleware = list(settings["MIDDLEWARE"])
    # Right after SecurityMiddleware (production puts WhiteNoise between them).
    middleware.insert(1, "config.request_id.RequestIdMiddleware")
    settings["MIDDLEWARE"] = middleware

    # ── Health ───────────────────────────────────────────────────────────────
    settings["HEALTH_CHECK_TOKEN"] = envstr("HEALTH_CHECK_TOKEN")
    # Emails waiting longer than this fail the check (a worker or broker is down).
    settings["HEALTH_OUTBOX_PENDING_MINUTES"] = envint("HEALTH_OUTBOX_PENDING_MINUTES", 15)
    # More emails failed in the last day than this is reported as a warning.
    settings["HEALTH_OUTBOX_FAILED_MAX"] = envint("HEALTH_OUTBOX_FAILED_MAX", 0)

    # ── Error reports ────────────────────────────────────────────────────────
    dsn = envstr("SENTRY_DSN")
    if dsn:
        sentry_start(
            dsn=dsn,
            environment=envstr("SENTRY_ENVIRONMENT", "production"),
            traces_sample_rate=float(envstr("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
        )
