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
    "options": db.get("OPTIONS", {}),
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


def test_debug_is_off_unless_asked_for():
    assert settings_with()["debug"] is False
    assert settings_with(DEBUG="1")["debug"] is True
    assert settings_with(DEBUG="0")["debug"] is False


def test_dev_py_run_turns_debug_on_for_the_local_server_only():
    source = (ROOT / "dev.py").read_text()
    run = source[source.index("def run()") : source.index("def test(")]

    assert '"DEBUG": "1", **os.environ' in run
    assert "DEBUG" not in source[source.index("def test(") :]


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


def test_the_embedded_sqlite_waits_for_writers_instead_of_failing():
    found = settings_with()

    assert found["options"] == {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    assert settings_with(DATABASE_URL="postgres://u:p@h:5432/d")["options"] == {}


# Two requests at once, each reading and then writing in one transaction (as
# a service does): on SQLite's defaults, both read, then the second to write
# answers "database is locked" at once. With IMMEDIATE transactions the second
# waits for the first (up to the timeout), and both succeed.
CONCURRENT_WRITES = """
import json, os, threading, time
import django
django.setup()
from django.db import connection, connections, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (n integer)")
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
errors = []

def write(label):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM counter")
            time.sleep(0.3)
            cursor.execute("INSERT INTO counter VALUES (1)")
    except Exception as error:
        errors.append(f"{label}: {error}")
    finally:
        connections.close_all()

threads = [threading.Thread(target=write, args=(i,)) for i in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM counter")
    rows = cursor.fetchone()[0]
print(json.dumps({"mode": mode, "errors": errors, "rows": rows}))
"""


def test_concurrent_writes_on_the_embedded_sqlite_all_succeed(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'concurrent.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", CONCURRENT_WRITES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])

    assert found["errors"] == []
    assert found["rows"] == 3
    assert found["mode"] == "wal"


def test_wsgi_and_celery_default_to_the_production_settings():
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    for module in ("config.wsgi", "config.celery"):
        probe = f"import os, {module}; print(os.environ['DJANGO_SETTINGS_MODULE'])"
        result = subprocess.run(
            [sys.executable, "-c", probe],
            cwd=ROOT,
            env={**clean, "SECRET_KEY": ""},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        # Production refuses to start without its secrets, rather than
        # falling back to the development settings.
        output = result.stdout + result.stderr
        assert "config.settings.production" in output or "must be set in production" in output
        assert "config.settings.base" not in result.stdout
