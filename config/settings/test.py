"""Test settings: the base settings with fast hashing and captured email."""

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks in-process unless a test starts a real worker itself.
CELERY_TASK_ALWAYS_EAGER = True
DEBUG = False
