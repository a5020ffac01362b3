"""One message's trouble is its own (issue 13, H1): a message the mail
library refuses is marked failed with its error, once, and never blocks,
repeats or breaks the sending of any other; each message is committed as
sending before it goes, so a worker that dies does not send again what it had
sent, and the one it was sending is tried again after a timeout."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from notices import delivery
from notices.models import OutboxMessage, OutboxStatus
from notices.services import outbox_deliver
from tests.auth_helpers import sign_in
from tests.notices.helpers import POISON, ask_for_report, queued, signed

pytestmark = pytest.mark.django_db


def test_a_bad_message_already_queued_does_not_stop_the_next_request(
    build, pipeline, django_capture_on_commit_callbacks
):
    cast, commission = signed(build, pipeline)
    client = Client()
    sign_in(client, cast.officer)
    outbox_deliver()
    mail.outbox.clear()
    [poisoned] = queued(POISON)

    with django_capture_on_commit_callbacks(execute=True):
        response = ask_for_report(client, commission, "Summer concert")

    assert response.status_code == 302
    assert any("Summer concert" in m.subject for m in mail.outbox)
    poisoned.refresh_from_db()
    assert poisoned.status == OutboxStatus.FAILED
    assert not OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists()


# ── one message's trouble is its own ─────────────────────────────────────────


def test_a_refused_message_is_marked_failed_once_and_the_others_are_sent_once(mailoutbox):
    before = queued("Fine", 3)
    [poisoned] = queued(POISON)
    after = queued("Fine too", 3)

    assert outbox_deliver() == 6
    assert outbox_deliver() == 0

    assert len(mailoutbox) == 6
    poisoned.refresh_from_db()
    assert (poisoned.status, poisoned.attempts) == (OutboxStatus.FAILED, 1)
    assert poisoned.last_error.startswith("BadHeaderError")
    sent = OutboxMessage.objects.filter(status=OutboxStatus.SENT)
    assert set(sent.values_list("pk", flat=True)) == {m.pk for m in before + after}


def test_any_error_from_one_message_is_its_own(monkeypatch, mailoutbox):
    queued("Fine", 2)
    real_send = mail.EmailMessage.send

    def broken(self, *args, **kwargs):
        if self.to == ["person0@example.org"]:
            raise RuntimeError("the mail library tripped")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", broken)
    assert outbox_deliver() == 1
    failed = OutboxMessage.objects.get(to_email="person0@example.org")
    assert failed.status == OutboxStatus.FAILED
    assert failed.last_error == "RuntimeError: the mail library tripped"


# ── a worker that died while sending ─────────────────────────────────────────


def test_a_message_left_sending_is_sent_again_only_after_the_timeout(mailoutbox):
    now = timezone.now()
    [recent, abandoned] = queued("Hello", 2)
    OutboxMessage.objects.filter(pk=recent.pk).update(
        status=OutboxStatus.SENDING, attempts=1, claimed_at=now - timedelta(minutes=1)
    )
    OutboxMessage.objects.filter(pk=abandoned.pk).update(
        status=OutboxStatus.SENDING, attempts=1, claimed_at=now - delivery.SENDING_TIMEOUT
    )

    assert outbox_deliver(now=now) == 1
    assert [m.to for m in mailoutbox] == [[abandoned.to_email]]
    recent.refresh_from_db()
    abandoned.refresh_from_db()
    assert recent.status == OutboxStatus.SENDING, "another worker may still be sending it"
    assert (abandoned.status, abandoned.attempts) == (OutboxStatus.SENT, 2)


def test_a_message_that_keeps_killing_its_worker_is_given_up(mailoutbox):
    [row] = queued("Hello")
    OutboxMessage.objects.filter(pk=row.pk).update(
        status=OutboxStatus.SENDING,
        attempts=delivery.MAX_ATTEMPTS,
        claimed_at=timezone.now() - delivery.SENDING_TIMEOUT,
    )
    assert outbox_deliver() == 0
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED and "stopped while sending" in row.last_error
    assert mailoutbox == []
