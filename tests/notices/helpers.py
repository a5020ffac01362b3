"""Shared by the notices tests: a signed commission, an officer asking for a
report through the page, rows left in the outbox by an older version."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Commission
from commissioning.workflow import Stage
from notices.models import OutboxMessage

POISON = "Quarterly KPI\r\nBcc: x@example.org"


def signed(build, pipeline, slug: str = "herts") -> tuple:
    """A hub built as the demo builds it and one commission, signed."""
    cast = build(slug)
    flow = pipeline(cast)
    commission = flow._open("Inclusive ensembles")
    for step in (flow.identify, flow.award, flow.to_approval, flow.approve, flow.sign):
        step(commission)
    commission = Commission.objects.select_related("hub", "partner").get(pk=commission.pk)
    assert commission.status == Stage.MONITORING
    return cast, commission


def ask_for_report(client: Client, commission: Commission, title: str):
    url = reverse("monitoring:report_request", args=[commission.hub.slug, commission.reference])
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    return client.post(url, {"title": title, "due_on": due})


def queued(subject: str, n: int = 1) -> list[OutboxMessage]:
    """Rows as an older version left them in the outbox, unchecked."""
    return OutboxMessage.objects.bulk_create(
        OutboxMessage(to_email=f"person{i}@example.org", subject=subject, body="Hello")
        for i in range(n)
    )
