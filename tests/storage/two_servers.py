"""Helpers for tests/storage/test_two_web_servers.py: the app served by
gunicorn in a subprocess, and a page's form read the way a browser fills it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import requests

from tests.servers.s3 import free_port

ROOT = Path(__file__).resolve().parent.parent.parent
START_TIMEOUT = 60.0
# What a developer's shell might set that would change what the servers run.
_DROP = ("DJANGO_SETTINGS_MODULE", "REDIS_URL", "CACHE_URL", "DATABASE_URL", "S3_BUCKET")


@dataclass
class WebServer:
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_gunicorn(env: dict[str, str], log: Path) -> WebServer:
    port = free_port()
    full = {k: v for k, v in os.environ.items() if k not in _DROP}
    full.update(env)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "120",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=full,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = WebServer(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_until_up(server)
    except BaseException:
        server.stop()  # never left running when it did not come up
        raise
    return server


def _wait_until_up(server: WebServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {server.log.read_text()[-2000:]}")
        try:
            requests.get(f"{server.url}/accounts/login/", timeout=10)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    tail = server.log.read_text()[-2000:]
    raise RuntimeError(f"gunicorn did not answer in {START_TIMEOUT:.0f}s: {tail}")


class _Forms(HTMLParser):
    """Every form on a page: its action and the fields a browser would send
    (no file inputs, no buttons, checkboxes only when checked)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "fields": {}})
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("file", "submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            fields[name] = a.get("value") or ("on" if kind == "checkbox" else "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and ("selected" in a or self._select not in fields):
            fields[self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_with(html: str, field: str) -> dict[str, str]:
    """The fields of the page's form that has `field` (the CSRF token included)."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if field in form["fields"]:
            return dict(form["fields"])
    raise AssertionError(f"no form with {field!r} on the page")
