"""The benchmark and load test (scale/bench.py, scale/load.py): production-like
(DEBUG off, PostgreSQL, persistent connections with health checks) over plain
HTTP on loopback, with a query counter in every response and a floor page.

Never deploy with this module: it turns off HTTPS-only cookies and the lock-out.
"""

from config.env import envstr
from config.settings.base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECRET_KEY = envstr("SECRET_KEY", "benchmark-only-not-secret")
ROOT_URLCONF = "config.urls_bench"
MIDDLEWARE = ["scale.middleware.QueryCountHeader", *MIDDLEWARE]  # noqa: F405
# Thousands of requests from one address: the lock-out and sign-in rate
# limits would otherwise start refusing the benchmark's own clients.
AXES_ENABLED = False
ACCOUNT_RATE_LIMITS = False
# Sessions last the whole run; the benchmark does not test idle sign-out.
SESSION_COOKIE_AGE = 4 * 60 * 60
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
