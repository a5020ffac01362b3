"""Every request has an id (the proxy's X-Request-ID if well formed, or a new
one), returned in the response and on every log line of that request; with
LOG_FORMAT=json each line is one JSON object (time, level, logger, message,
request id, method, path, status, duration, user id) and names nobody. With
SENTRY_DSN set, an error in a page is reported to that address (a real HTTP
server here) without email addresses, cookies, request bodies, query-string
tokens or anything of the user but their id. The app runs in a subprocess
(gunicorn) for the last two, so its real log output and network are seen."""

from __future__ import annotations

import json
import logging
import time

import pytest
from django.test import Client
from django.urls import reverse

from config.error_reports import scrub
from config.request_id import RequestContextFilter
from tests.factories import UserFactory
from tests.ops.app_server import app_server, database_url_for_subprocess, fetch
from tests.ops.servers import SentryIngestHandler, running

pytestmark = pytest.mark.django_db

EMAIL = "jane.doe@example.org"
NAME = "Jane Doe"
FROM_PROXY = "proxy-1234abcd"


# ── in the process ───────────────────────────────────────────────────────────


def test_a_new_id_is_made_when_the_proxy_sends_none():
    response = Client().get(reverse("accessibility"))
    made = response["X-Request-ID"]
    assert len(made) == 32 and int(made, 16) >= 0
    assert Client().get(reverse("accessibility"))["X-Request-ID"] != made


def test_the_proxys_id_is_kept_when_well_formed():
    response = Client().get(reverse("accessibility"), headers={"x-request-id": FROM_PROXY})
    assert response["X-Request-ID"] == FROM_PROXY


@pytest.mark.parametrize("sent", ["short", "has spaces in it", "x" * 65, "new\nline-injected"])
def test_a_malformed_id_is_replaced(sent):
    response = Client().get(reverse("accessibility"), headers={"x-request-id": sent})
    assert response["X-Request-ID"] != sent and len(response["X-Request-ID"]) == 32


def test_every_log_record_of_the_request_carries_its_id_and_user_id(caplog):
    user = UserFactory(email=EMAIL)
    client = Client()
    client.force_login(user)
    caplog.handler.addFilter(RequestContextFilter())
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="hubcommission.request")

    client.get(reverse("health"), headers={"x-request-id": FROM_PROXY})

    ours = [r for r in caplog.records if r.request_id == FROM_PROXY]
    (line,) = [r for r in ours if r.name == "hubcommission.request"]
    assert (line.method, line.path, line.status, line.user_id) == ("GET", "/health/", 200, user.pk)
    assert line.duration_ms >= 0
    assert EMAIL not in caplog.text


def test_outside_a_request_the_id_is_a_dash(caplog):
    caplog.handler.addFilter(RequestContextFilter())
    logging.getLogger("tests.ops").warning("no request here")
    assert caplog.records[-1].request_id == "-"


def test_the_scrubber_keeps_only_the_users_id():
    event = {
        "user": {"id": "7", "email": EMAIL, "username": EMAIL, "ip_address": "10.0.0.1"},
        "request": {
            "url": f"https://hub.example.org/accounts/login/?next=/&email={EMAIL}",
            "query_string": "key=abc123&page=2",
            "cookies": {"sessionid": "s3cret"},
            "data": {"name": NAME},
            "headers": {"Cookie": "sessionid=s3cret", "User-Agent": "Firefox"},
        },
        "logentry": {"message": f"could not tell {EMAIL}"},
    }
    clean = scrub(event)
    assert clean["user"] == {"id": "7"}
    assert clean["request"] == {
        "url": "https://hub.example.org/accounts/login/",
        "query_string": "key=%5BFiltered%5D&page=2",
        "headers": {"User-Agent": "Firefox"},
    }
    assert clean["logentry"]["message"] == "could not tell [email]"


# ── the app in its own process ───────────────────────────────────────────────


@pytest.fixture
def signed_in(transactional_db, tmp_path):
    """A user with a session, committed, and a database URL the app can open."""
    user = UserFactory(email=EMAIL, first_name="Jane", last_name="Doe")
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}; theme=dark"
    return user, cookie, database_url_for_subprocess(tmp_path)


def test_json_logs_give_one_object_a_line_with_the_requests_id(tmp_path, signed_in):
    user, cookie, database_url = signed_in
    env = {"DATABASE_URL": database_url, "LOG_FORMAT": "json"}
    with app_server(tmp_path, env) as app:
        answer = fetch(
            f"{app.url}/accessibility/?token=very-secret",
            headers={"X-Request-ID": FROM_PROXY, "Cookie": cookie},
        )
        assert answer.status == 200 and answer.headers["X-Request-ID"] == FROM_PROXY
        deadline = time.monotonic() + 10
        while FROM_PROXY not in app.output() and time.monotonic() < deadline:
            time.sleep(0.1)
        output = app.output()

    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    (access,) = [line for line in lines if line.get("request_id") == FROM_PROXY]
    assert set(access) == {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "method",
        "path",
        "status",
        "duration_ms",
        "user_id",
    }
    assert access["time"].startswith("20") and access["level"] == "INFO"
    assert (access["method"], access["path"], access["status"]) == ("GET", "/accessibility/", 200)
    assert access["user_id"] == user.pk and access["logger"] == "hubcommission.request"
    for secret in (EMAIL, "Jane", "very-secret", "sessionid"):
        assert secret not in output


def test_an_error_is_reported_without_personal_data(tmp_path, signed_in):
    user, cookie, database_url = signed_in
    with running(SentryIngestHandler) as ingest:
        dsn = f"http://public@127.0.0.1:{ingest.server_address[1]}/1"
        env = {
            "DATABASE_URL": database_url,
            "SENTRY_DSN": dsn,
            "SENTRY_ENVIRONMENT": "test",
            "DJANGO_SETTINGS_MODULE": "tests.ops.boom_settings",
        }
        with app_server(tmp_path, env) as app:
            answer = fetch(
                f"{app.url}/boom/?token=very-secret&page=2",
                headers={"X-Request-ID": FROM_PROXY, "Cookie": cookie},
                data=f"email={EMAIL}&name={NAME}".encode(),
            )
            assert answer.status == 500
            deadline = time.monotonic() + 20
            while not _events(ingest) and time.monotonic() < deadline:
                time.sleep(0.1)

    (event,) = _events(ingest)
    assert ingest.received[0]["path"] == "/api/1/envelope/"
    (exception,) = event["exception"]["values"]
    assert exception["type"] == "ValueError"
    assert exception["value"] == "no partner for [email] (8)"
    assert event["environment"] == "test"
    assert event["user"] == {"id": str(user.pk)}
    assert event["tags"]["request_id"] == FROM_PROXY
    assert event["request"]["query_string"] == "token=%5BFiltered%5D&page=2"
    assert "data" not in event["request"] and "cookies" not in event["request"]
    raw = "".join(envelope["raw"] for envelope in ingest.received)
    for secret in (EMAIL, NAME, "Jane", "very-secret", "theme=dark", "sessionid="):
        assert secret not in raw, secret


def _events(ingest) -> list[dict]:
    return [
        item for envelope in ingest.received for item in envelope["items"] if "exception" in item
    ]
