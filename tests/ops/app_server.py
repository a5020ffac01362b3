"""The app itself in a subprocess (gunicorn, one worker, on a free port), for
tests that need what only a real process shows: its log lines on stderr, its
error reports leaving through the network, its answer when a database it
uses is stopped. And a throwaway PostgreSQL server (initdb + pg_ctl in a
temporary directory) to stop without touching anyone else's.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from glob import glob
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 90
# What the app reads from the environment that must not leak in from this run.
OURS = (
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_URL",
    "SENTRY_",
    "LOG_",
    "MAIL_",
    "EMAIL_",
    "DJANGO_SETTINGS_MODULE",
    "HEALTH_",
    "S3_",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


def fetch(
    url: str, *, headers: dict[str, str] | None = None, data: bytes | None = None
) -> Response:
    request = urllib.request.Request(url, headers=headers or {}, data=data)  # noqa: S310 (ours)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return Response(answer.status, dict(answer.headers), answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, dict(error.headers), error.read())


def database_url_for_subprocess(tmp_path: Path) -> str:
    """A URL another process can open to see this test's committed rows: the
    PostgreSQL test database, or a copy of the in-memory SQLite one."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    copy = tmp_path / "copy.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    # In WAL mode already, as the app's own file would be: otherwise the
    # server's first connections race to switch it, and the loser's
    # "PRAGMA journal_mode=WAL" answers "database is locked" at once.
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    return f"sqlite:///{copy}"


@dataclass
class AppServer:
    url: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def app_server(tmp_path: Path, env: dict[str, str]) -> Iterator[AppServer]:
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DB_CONN_MAX_AGE": "0",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    log = tmp_path / f"app-{port}.log"
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = AppServer(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if process.poll() is not None:
                raise AssertionError(f"the app stopped: {server.output()[-3000:]}")
            try:
                fetch(f"{server.url}/accessibility/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("the app did not answer") from None
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ── A PostgreSQL server of the test's own ───────────────────────────────────


def _pg_bin(name: str) -> str:
    found = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or name]
    return found[-1]


def _as_postgres() -> list[str]:
    """PostgreSQL will not run as root: run its tools as the postgres user."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@dataclass
class Postgres:
    port: int
    data: Path

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def ctl(self, *args: str) -> None:
        command = [*_as_postgres(), _pg_bin("pg_ctl"), "-D", str(self.data), "-w", *args]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def stop(self) -> None:
        self.ctl("-m", "immediate", "stop")


@contextmanager
def throwaway_postgres() -> Iterator[Postgres]:
    """A new cluster on a free port with this test database's schema copied in."""
    home = Path(tempfile.mkdtemp(prefix="hc-ops-pg-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
    data = home / "data"
    subprocess.run(
        [*_as_postgres(), _pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    server = Postgres(free_port(), data)
    options = f"-c listen_addresses=127.0.0.1 -p {server.port} -k {home} -c fsync=off"
    server.ctl("-o", options, "-l", str(home / "log"), "start")
    try:
        _copy_schema(server)
        yield server
    finally:
        subprocess.run(
            [*_as_postgres(), _pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(home, ignore_errors=True)


def _copy_schema(server: Postgres) -> None:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    dump = subprocess.run(
        [
            _pg_bin("pg_dump"),
            "--schema-only",
            "--no-owner",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"] or "postgres",
            db["NAME"],
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=120,
    )
    subprocess.run(
        [_pg_bin("psql"), "-q", "-v", "ON_ERROR_STOP=0", server.url],
        input=dump.stdout,
        check=True,
        capture_output=True,
        timeout=120,
    )
