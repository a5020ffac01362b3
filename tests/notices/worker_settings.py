"""Settings of the real Celery worker that test_worker_killed.py starts in a
subprocess: the base settings (DATABASE_URL and REDIS_URL from the
environment), sending email to the test's own SMTP server."""

import os

from config.settings.base import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["TEST_SMTP_PORT"])
EMAIL_USE_TLS = False
CELERY_TASK_ALWAYS_EAGER = False
DEBUG = False
