"""The settings are read from the environment: with nothing set they make a
local development setup; DATABASE_URL and REDIS_URL switch to PostgreSQL and
a real Celery broker. Each case loads config.settings.base in a fresh Python
with a clean environment, so nothing from this test run leaks in."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Everything the settings read that would change what these tests see.
SETTINGS_ENV = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "EMAIL_BACKEND",
    "CELERY_TASK_ALWAYS_EAGER",
    "DB_CONN_MAX_AGE",
)

PROBE = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
import django
django.setup()
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"],
    "name": str(db["NAME"]),
    "host": db.get("HOST", ""),
    "conn_health_checks": db.get("CONN_HEALTH_CHECKS"),
    "conn_max_age": db.get("CONN_MAX_AGE"),
    "broker": settings.CELERY_BROKER_URL,
    "result_backend": settings.CELERY_RESULT_BACKEND,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "email_backend": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
}))
"""


def settings_with(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_defaults_to_local_development():
    found = settings_with()

    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(ROOT / "db.sqlite3")
    assert found["eager"] is True
    assert found["broker"] == "memory://"
    assert found["result_backend"] is None
    assert found["email_backend"] == "django.core.mail.backends.console.EmailBackend"
    assert found["debug"] is True


def test_database_and_redis_urls_switch_to_postgres_and_a_real_broker():
    found = settings_with(DATABASE_URL="postgres://u:p@h:5432/d", REDIS_URL="redis://h:6379/0")

    assert found["engine"] == "django.db.backends.postgresql"
    assert (found["name"], found["host"]) == ("d", "h")
    assert found["conn_health_checks"] is True
    assert found["conn_max_age"] == 60
    assert found["broker"] == "redis://h:6379/0"
    assert found["result_backend"] == "redis://h:6379/0"
    assert found["eager"] is False


def test_eager_tasks_can_be_forced_even_with_a_broker():
    found = settings_with(REDIS_URL="redis://h:6379/0", CELERY_TASK_ALWAYS_EAGER="true")

    assert found["broker"] == "redis://h:6379/0"
    assert found["eager"] is True
