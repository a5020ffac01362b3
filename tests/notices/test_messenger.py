"""The messenger: each notice lands in the recipients' activity feed and, for
those who want email at once, in the outbox written with the change; the
outbox is sent once, however many workers or ticks try; a broker that cannot
be reached loses nothing."""

from __future__ import annotations

import smtplib
import time

import pytest
from django.core import mail

from commissioning.workflow import Stage
from hubs.models import Role
from hubs.services import membership_grant
from notices import services
from notices.models import Delivery, Notification, OutboxMessage, OutboxStatus
from notices.tasks import deliver_outbox
from tests.factories import HubFactory, UserFactory

pytestmark = pytest.mark.django_db


def tell(hub, people, **kw):
    return services.notify(
        hub=hub, recipients=people, kind="test", subject="Report due", body="Please.", **kw
    )


def test_each_recipient_gets_a_feed_line_and_an_email_after_commit(
    django_capture_on_commit_callbacks, mailoutbox
):
    hub = HubFactory()
    ann, bob = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert tell(hub, [ann, bob, ann], url="/h/x/") == 2
    assert Notification.objects.filter(hub=hub, read_at__isnull=True).count() == 2
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 2
    assert mailoutbox == []
    # The delivery waits for the commit (beside it, the unread counts' cache
    # is renewed then too: hubs.access).
    assert callbacks, "the delivery was asked for after commit"

    for callback in callbacks:
        callback()

    assert sorted(m.to[0] for m in mailoutbox) == sorted([ann.email, bob.email])
    assert mailoutbox[0].body.endswith("/h/x/")
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()


def test_preferences_decide_who_is_emailed_at_once(django_capture_on_commit_callbacks, mailoutbox):
    hub = HubFactory()
    now, digest, feed = UserFactory(), UserFactory(), UserFactory()
    services.preference_set(user=digest, hub=hub, delivery=Delivery.DIGEST)
    services.preference_set(user=feed, hub=hub, delivery=Delivery.FEED)
    with django_capture_on_commit_callbacks(execute=True):
        tell(hub, [now, digest, feed])
    assert [m.to for m in mailoutbox] == [[now.email]]
    assert Notification.objects.filter(hub=hub).count() == 3


def test_a_preference_is_per_hub(django_capture_on_commit_callbacks, mailoutbox):
    quiet, loud = HubFactory(), HubFactory()
    person = UserFactory()
    services.preference_set(user=person, hub=quiet, delivery=Delivery.FEED)
    with django_capture_on_commit_callbacks(execute=True):
        tell(quiet, [person])
        tell(loud, [person])
    assert len(mailoutbox) == 1
    assert services.delivery_for(user=person, hub=loud) == Delivery.IMMEDIATE


def test_inactive_people_are_not_told(django_capture_on_commit_callbacks, mailoutbox):
    gone = UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert tell(HubFactory(), [gone]) == 0
    assert mailoutbox == []


def test_the_same_key_is_told_once(django_capture_on_commit_callbacks, mailoutbox):
    hub, person = HubFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell(hub, [person], dedupe_key="transition:1")
        tell(hub, [person], dedupe_key="transition:1")
    assert Notification.objects.count() == 1
    assert len(mailoutbox) == 1


def test_delivering_again_sends_nothing_twice(mailoutbox):
    hub = HubFactory()
    tell(hub, [UserFactory(), UserFactory()])  # in the test's transaction: not yet sent
    assert services.outbox_deliver() == 2
    assert services.outbox_deliver() == 0
    deliver_outbox.delay()  # the beat's tick, run eagerly
    assert len(mailoutbox) == 2


def test_a_mail_server_failure_is_retried_later_then_sent(monkeypatch, mailoutbox):
    tell(HubFactory(), [UserFactory()])
    row = OutboxMessage.objects.get()

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection lost")

    with monkeypatch.context() as patch:
        patch.setattr(mail.EmailMessage, "send", refuse)
        assert services.outbox_deliver() == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert "connection lost" in row.last_error
    assert services.outbox_deliver() == 0, "not before its retry time"
    assert services.outbox_deliver(now=row.available_at) == 1
    assert len(mailoutbox) == 1


def test_it_gives_up_after_repeated_failures(monkeypatch):
    tell(HubFactory(), [UserFactory()])
    OutboxMessage.objects.update(attempts=services.MAX_ATTEMPTS - 1)

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(mail.EmailMessage, "send", refuse)
    services.outbox_deliver()
    assert OutboxMessage.objects.get().status == OutboxStatus.FAILED


# ── the broker is down ───────────────────────────────────────────────────────


def test_a_move_commits_while_the_broker_is_down_and_its_email_goes_once_it_is_back(
    build, pipeline, django_capture_on_commit_callbacks, mailoutbox, broker_down, caplog
):
    cast = build("herts")
    colleagues = [UserFactory(), UserFactory()]  # HLO staff who hear of the officer's move
    for person in colleagues:
        membership_grant(hub=cast.hub, user=person, role=Role.HLO_STAFF)
    flow = pipeline(cast)
    commission = flow._open("Inclusive ensembles")
    services.outbox_deliver()  # (opened with the broker up: that mail is gone)
    mail.outbox.clear()

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        flow.identify(commission)

    assert time.monotonic() - started < 3, "one attempt at the broker, not seconds of retries"
    assert callbacks, "the delivery was asked for after commit"
    assert "Broker unavailable" in caplog.text, "the broker error was caught and logged"
    commission.refresh_from_db()
    assert commission.status == Stage.IDENTIFY, "the move committed"
    told = sorted(person.email for person in colleagues)
    pending = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    assert sorted(pending.values_list("to_email", flat=True)) == told, "nothing lost"
    assert mailoutbox == []

    # The broker is back: the beat's next tick reaches a worker, which sends the outbox.
    assert deliver_outbox.apply().get() == len(told)
    assert deliver_outbox.apply().get() == 0
    assert sorted(to for m in mailoutbox for to in m.to) == told, "each sent once"


def test_an_operator_sends_failed_emails_again(client, django_user_model):
    from tests.auth_helpers import sign_in

    tell(HubFactory(), [UserFactory()])
    OutboxMessage.objects.update(status=OutboxStatus.FAILED, attempts=services.MAX_ATTEMPTS)
    sign_in(client, django_user_model.objects.create_superuser("op", "op@example.org", "pw"))
    row = OutboxMessage.objects.get()
    client.post(
        "/admin/notices/outboxmessage/",
        {"action": "send_again", "_selected_action": [row.pk]},
    )
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    assert services.outbox_deliver() == 1
