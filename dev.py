#!/usr/bin/env python3
"""The README's two commands, with nothing but Python 3.11+ installed.

    python3 dev.py run     create .venv, install, migrate, load the demo, serve
    python3 dev.py test    create .venv, install, run ruff and the whole test suite
                           (on every core; `python3 dev.py test -n 0` runs it in one)

Standard library only: it runs before any dependency exists.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".installed"
HOST, PORT = "127.0.0.1", os.environ.get("PORT", "8000")


def sh(*args: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_env() -> None:
    """Create the virtualenv and install the project when pyproject changes."""
    if sys.version_info < (3, 11):
        sys.exit("hubcommission needs Python 3.11 or newer.")
    if not PY.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("Installing dependencies (first run only) ...", flush=True)
    sh(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(PY, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
    STAMP.write_text(wanted)


def run() -> None:
    ensure_env()
    env = {"DEBUG": "1", **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    sh(PY, "manage.py", "migrate", "--noinput", "-v", "0", env=env)
    # Loading the demo sends its notifications nowhere and quietly.
    quiet = {
        **env,
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    sh(PY, "manage.py", "load_demo", env=quiet)
    print(f"\nhubcommission is running at http://{HOST}:{PORT}/", flush=True)
    print(f"Administration (hub admins): http://{HOST}:{PORT}/admin/", flush=True)
    print("Stop it with Ctrl+C.\n", flush=True)
    os.execve(str(PY), [str(PY), "manage.py", "runserver", f"{HOST}:{PORT}"], env)


# Options after which pytest stays in this one process: the user chose the
# workers, or wants a debugger, which a worker process cannot give.
SERIAL_OPTIONS = ("-n", "--numprocesses", "--dist", "--pdb", "--trace")


def parallel(pytest_args: list[str]) -> list[str]:
    """pytest's arguments, spread over every core (pytest-xdist, a test
    database each) unless they say otherwise (`-n 0`, `-p no:xdist`). With
    `--dist loadgroup` and tests/conftest.py's groups a file's tests stay on one
    worker, so a module's shared setup (the demo, a server) is made once."""
    chosen = any(
        arg.split("=", 1)[0] in SERIAL_OPTIONS
        or (arg.startswith("-n") and (arg[2:].isdigit() or arg[2:] in ("auto", "logical")))
        for arg in pytest_args
    )
    if chosen or "no:xdist" in pytest_args:
        return pytest_args
    return ["-n", "auto", "--dist", "loadgroup", *pytest_args]


def test(pytest_args: list[str]) -> None:
    ensure_env()
    sh(BIN / "ruff", "check", ".")
    sh(BIN / "ruff", "format", "--check", ".")
    sh(PY, "-m", "pytest", *parallel(pytest_args))


def main() -> None:
    command, rest = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command == "run":
        run()
    elif command == "test":
        test(rest)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
