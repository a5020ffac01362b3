"""Starts the test OpenID Connect provider as a subprocess on a free port,
with its own SQLite file in a temporary directory, and stops it.

    with OIDCProvider(redirect_uris=[...], users=[...]) as provider:
        provider.server_url   # what a hub's sign-on config names
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[3]
SETTINGS = "tests.servers.oidc_provider.settings"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OIDCProvider:
    def __init__(
        self,
        *,
        redirect_uris: list[str],
        users: list[dict],
        client_id: str = "hubcommission-test",
        client_secret: str = "provider-test-secret",  # noqa: S107 (a test server's)
        require_consent: bool = True,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.plan = {
            "client_id": client_id,
            "client_secret": client_secret,
            "redirect_uris": redirect_uris,
            "users": users,
            "require_consent": require_consent,
        }
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.server_url = f"{self.base_url}/openid"
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._process: subprocess.Popen | None = None

    def _env(self, tmp: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env.update(
            DJANGO_SETTINGS_MODULE=SETTINGS,
            OP_DATABASE=str(Path(tmp) / "provider.sqlite3"),
            OP_SITE_URL=self.base_url,
            PYTHONPATH=str(ROOT),
        )
        return env

    def start(self) -> OIDCProvider:
        self._tmp = tempfile.TemporaryDirectory(prefix="oidc-provider-")
        tmp = self._tmp.name
        env = self._env(tmp)
        plan = Path(tmp) / "plan.json"
        plan.write_text(json.dumps(self.plan), encoding="utf-8")
        subprocess.run(
            [sys.executable, "-m", "tests.servers.oidc_provider.seed", str(plan)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        self._log = open(Path(tmp) / "server.log", "wb")  # noqa: SIM115 (closed in stop)
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "django",
                "runserver",
                f"127.0.0.1:{self.port}",
                "--noreload",
                "--skip-checks",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_up()
        return self

    def _wait_until_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        url = f"{self.server_url}/.well-known/openid-configuration"
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"The test OpenID provider stopped: {self.log()}")
            try:
                with urlopen(url, timeout=2) as response:  # noqa: S310 (our own server)
                    if response.status == 200:
                        return
            except (URLError, ConnectionError, OSError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("The test OpenID provider did not start within 30 seconds.")

    def log(self) -> str:
        if self._tmp is None:
            return ""
        return (Path(self._tmp.name) / "server.log").read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if getattr(self, "_log", None):
            self._log.close()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> OIDCProvider:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
