"""Production: every secret comes from the environment, and it fails loudly
when one is missing rather than falling back to a local default."""

import os

from django.core.exceptions import ImproperlyConfigured

from config.env import envbool, envint, envstr
from config.settings.base import *  # noqa: F403
from config.settings.observability import anymail_settings, mail_backend, mail_provider

for _name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"{_name} must be set in production")

DEBUG = False
# The demo loader and the load-test tools are for local machines only; their
# commands (load_demo, demo_code, the benchmarks) do not exist in production.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in ("demo", "scale")]  # noqa: F405
# Static files served by the app itself (compressed, cache-busted names).
MIDDLEWARE = [
    MIDDLEWARE[0],  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],  # noqa: F405
]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECRET_KEY = envstr("SECRET_KEY")
CELERY_TASK_ALWAYS_EAGER = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
# Sign-in rate limits and the record of used one-time codes live in the cache:
# every web process must share one, or a code could be replayed on another.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": envstr("CACHE_URL", REDIS_URL),  # noqa: F405
        "KEY_PREFIX": "hubcommission",
    }
}

# SMTP unless MAIL_PROVIDER names an email service (config/settings/observability.py).
EMAIL_BACKEND = mail_backend(default="smtp")
ANYMAIL = anymail_settings(mail_provider(default="smtp"))
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
