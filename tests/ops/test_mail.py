"""The outbox sends through whatever MAIL_PROVIDER names, to real servers
started here: SMTP (aiosmtpd, tests/notices/smtp_sink.py) as production sends
by default, and an email service's HTTP API (Mailgun's, Postmark's: a real
HTTP server, tests/ops/servers.py) reached through django-anymail with its
API URL pointed at that server. What the service says decides the row: an id
and "queued" or "sent" when it takes the message; failed at once, tried once,
when it refuses the recipient or the message; due again later, not sent
twice, when it is down."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.settings.observability import anymail_settings, mail_backend, mail_provider
from notices.delivery import MAX_ATTEMPTS
from notices.models import OutboxMessage, OutboxStatus
from notices.services import outbox_deliver
from tests.auth_helpers import sign_in
from tests.notices.test_worker_killed import mail_server
from tests.ops.servers import EmailServiceHandler, running

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json
from datetime import timedelta
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in (
    "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_TIMEOUT", "ANYMAIL",
)}))
"""


def production_settings(**env: str) -> dict:
    """The mail settings production.py makes from `env`, in a fresh Python."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("EMAIL_", "MAIL_", "MAILGUN_", "POSTMARK_", "DJANGO_"))
    }
    clean |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "ALLOWED_HOSTS": "hub.example.org",
    }
    command = [sys.executable, "-c", "import django; django.setup()\n" + PROBE]
    result = subprocess.run(
        command, cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def queue(*addresses: str) -> list[OutboxMessage]:
    return [
        OutboxMessage.objects.create(
            to_email=address, subject=f"Report due for {address}", body="Please send it."
        )
        for address in addresses
    ]


def use_provider(settings, monkeypatch, name: str, **env: str) -> None:
    """Settings as observability.extend makes them from this environment."""
    monkeypatch.setenv("MAIL_PROVIDER", name)
    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings.EMAIL_BACKEND = mail_backend(default="console")
    settings.ANYMAIL = anymail_settings(mail_provider(default="console"))
    settings.DEFAULT_FROM_EMAIL = "hubcommission <noreply@mg.example.org>"


# ── SMTP, as production sends by default ─────────────────────────────────────


def test_production_sends_by_smtp_to_the_mail_server_it_is_given(tmp_path, settings):
    with mail_server(tmp_path, stall_at=0) as sink:
        smtp = production_settings(
            EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(sink.port), EMAIL_USE_TLS="false"
        )
        assert smtp["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
        for name, value in smtp.items():
            setattr(settings, name, value)
        (row,) = queue("officer@example.org")

        assert outbox_deliver() == 1

    assert sink.arrived() == ["officer@example.org"]
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT
    assert row.provider_message_id.startswith("<") and row.provider_message_id.endswith(">")
    assert row.provider_status == ""


def test_production_takes_an_email_service_and_its_settings_from_the_environment():
    chosen = production_settings(
        MAIL_PROVIDER="postmark",
        POSTMARK_SERVER_TOKEN="server-token",
        POSTMARK_API_URL="http://127.0.0.1:9/",
    )
    assert chosen["EMAIL_BACKEND"] == "anymail.backends.postmark.EmailBackend"
    assert chosen["ANYMAIL"] == {
        "POSTMARK_SERVER_TOKEN": "server-token",
        "POSTMARK_API_URL": "http://127.0.0.1:9/",
    }


def test_an_explicit_email_backend_still_wins():
    chosen = production_settings(
        MAIL_PROVIDER="mailgun", EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
    )
    assert chosen["EMAIL_BACKEND"] == "django.core.mail.backends.dummy.EmailBackend"


def test_a_provider_anymail_does_not_know_stops_the_start(monkeypatch):
    monkeypatch.setenv("MAIL_PROVIDER", "carrier-pigeon")
    with pytest.raises(Exception, match="carrier-pigeon"):
        mail_provider(default="smtp")


def test_locally_mail_is_printed(monkeypatch):
    monkeypatch.delenv("MAIL_PROVIDER", raising=False)
    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    assert mail_backend(default="console") == "django.core.mail.backends.console.EmailBackend"


# ── Mailgun's API ────────────────────────────────────────────────────────────


@pytest.fixture
def mailgun(settings, monkeypatch):
    with running(EmailServiceHandler) as service:
        use_provider(
            settings,
            monkeypatch,
            "mailgun",
            MAILGUN_API_KEY="key-test",
            MAILGUN_SENDER_DOMAIN="mg.example.org",
            MAILGUN_API_URL=f"{service.url}/v3",
        )
        yield service


def test_mailgun_takes_the_message_and_its_id_is_kept(mailgun):
    (row,) = queue("officer@example.org")

    assert outbox_deliver() == 1

    (got,) = mailgun.received
    assert got["path"] == "/v3/mg.example.org/messages"
    assert got["auth"].startswith("Basic ")  # api:key-test
    assert got["to"] == "officer@example.org"
    assert got["subject"] == "Report due for officer@example.org"
    assert got["text"] == "Please send it."
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT
    assert row.provider_status == "queued"
    assert row.provider_message_id.endswith("@mg.example.org>")


def test_mailgun_refusing_the_address_fails_that_message_once(mailgun):
    bad, good = queue("not-an-address@example.org", "officer@example.org")

    assert outbox_deliver() == 1
    assert outbox_deliver(now=timezone.now() + timedelta(days=1)) == 0

    assert [r["to"] for r in mailgun.received] == [bad.to_email, good.to_email]
    bad.refresh_from_db()
    assert bad.status == OutboxStatus.FAILED and bad.attempts == 1
    assert "400" in bad.last_error and bad.provider_status == "refused"
    good.refresh_from_db()
    assert good.status == OutboxStatus.SENT


def test_mailgun_down_leaves_the_message_due_later_and_it_goes_once(mailgun):
    mailgun.fail_next = 1
    (row,) = queue("officer@example.org")

    assert outbox_deliver() == 0
    row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING and "503" in row.last_error
    assert row.available_at > timezone.now()
    assert outbox_deliver() == 0, "not due yet: nothing is sent again at once"

    assert outbox_deliver(now=row.available_at) == 1
    assert len(mailgun.received) == 2
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.attempts == 2 and row.last_error == ""


def test_mailgun_down_for_good_is_given_up_after_the_last_attempt(mailgun):
    mailgun.fail_next = MAX_ATTEMPTS + 5
    (row,) = queue("officer@example.org")
    when = timezone.now()
    for _ in range(MAX_ATTEMPTS + 2):
        outbox_deliver(now=when)
        when += timedelta(days=1)

    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED and row.attempts == MAX_ATTEMPTS
    assert len(mailgun.received) == MAX_ATTEMPTS


# ── Postmark's API ───────────────────────────────────────────────────────────


@pytest.fixture
def postmark(settings, monkeypatch):
    with running(EmailServiceHandler) as service:
        use_provider(
            settings,
            monkeypatch,
            "postmark",
            POSTMARK_SERVER_TOKEN="server-token",
            POSTMARK_API_URL=f"{service.url}/",
        )
        yield service


def test_postmark_sends_and_its_id_is_kept(postmark):
    (row,) = queue("officer@example.org")

    assert outbox_deliver() == 1

    (got,) = postmark.received
    assert (got["token"], got["to"], got["text"]) == (
        "server-token",
        "officer@example.org",
        "Please send it.",
    )
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.provider_status == "sent"
    assert len(row.provider_message_id) == 36  # Postmark's MessageID, a UUID


def test_postmark_rejecting_an_inactive_recipient_fails_it_at_once_and_for_good(postmark):
    rejected, good = queue("inactive@example.org", "officer@example.org")

    assert outbox_deliver() == 1
    assert outbox_deliver(now=timezone.now() + timedelta(days=30)) == 0

    assert [r["to"] for r in postmark.received] == [rejected.to_email, good.to_email]
    rejected.refresh_from_db()
    assert rejected.status == OutboxStatus.FAILED and rejected.attempts == 1
    assert rejected.provider_status == "rejected"
    assert rejected.last_error.startswith("AnymailRecipientsRefused")


def test_postmark_failing_is_tried_again_later(postmark):
    postmark.fail_next = 1
    (row,) = queue("officer@example.org")

    assert outbox_deliver() == 0
    row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING and "500" in row.last_error
    assert outbox_deliver(now=row.available_at) == 1
    assert len(postmark.received) == 2


def test_an_operator_finds_the_message_by_the_services_id(mailgun, django_user_model):
    queue("officer@example.org", "board@example.org")
    outbox_deliver()
    row = OutboxMessage.objects.get(to_email="board@example.org")
    operator = django_user_model.objects.create_superuser("op@example.org", "op@example.org", "x")
    client = Client()
    sign_in(client, operator)

    changelist = reverse("admin:notices_outboxmessage_changelist")
    page = client.get(changelist, {"q": row.provider_message_id})

    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    assert list(page.context["cl"].result_list) == [row]
