"""The demo's compliance records: Leicestershire's policy requires insurance
before an award and every partner its story awarded was covered on the day;
Wigston Inclusive Voices' cover has lapsed, so an award to it is refused;
Hertfordshire has records in every state; the load's sweep told the people
of the records lapsing within 30 days, once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import timezone

from commissioning.models import Commission, TransitionLog
from compliance.models import ComplianceRecord, ComplianceRequirement
from compliance.reminders import KIND
from compliance.rules import compliance_refusal
from compliance.status import record_standing
from notices.models import Reminder
from notices.reminders import reminders_sweep
from partners.models import PartnerOrganisation
from tests import demo_db

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        demo_db.load_demo()
        yield
        demo_db.flush()


def test_leicestershire_requires_insurance_and_its_awards_were_covered(demo):
    [required] = ComplianceRequirement.objects.filter(policy__hub__slug="leics")
    assert (required.kind, required.before_award) == ("public_liability", True)
    awards = TransitionLog.objects.filter(commission__hub__slug="leics", action="award")
    assert awards.exists()
    for log in awards.select_related("commission__partner", "commission__policy__hub"):
        c = log.commission
        on = timezone.localtime(log.created_at).date()
        assert compliance_refusal(c.partner, on, "award", policy=c.policy) is None, c


def test_an_award_to_wigston_inclusive_voices_is_refused(demo):
    wigston = PartnerOrganisation.objects.get(hub__slug="leics", name="Wigston Inclusive Voices")
    policy = Commission.objects.filter(hub__slug="leics").first().policy
    refusal = compliance_refusal(wigston, timezone.localdate(), "award", policy=policy)
    assert refusal.message.startswith(
        "Wigston Inclusive Voices' public liability insurance expired on"
    )


def test_hertfordshire_shows_records_in_every_state(demo):
    records = ComplianceRecord.objects.filter(hub__slug="herts")
    states = {record_standing(r).key for r in records}
    assert {"verified", "expiring", "waiting", "lapsed"} <= states


def test_the_records_lapsing_soon_were_reminded_once(demo):
    sent = set(Reminder.objects.filter(kind=KIND).values_list("object_key", flat=True))
    assert len(sent) >= 2  # Leicester Jazz's cover, Soundwaves' cover
    assert reminders_sweep(kinds=[KIND]) == 0
