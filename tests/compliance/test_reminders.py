"""The expiry reminder: 30 days before a verified record lapses, once, to the
partner's contacts and the hub's officers, through notices' sweep."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from compliance.reminders import KIND
from notices.models import Notification, Reminder
from notices.reminders import reminders_sweep
from tests.factories import ComplianceRecordFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


def _sweep(day: date = TODAY) -> int:
    return reminders_sweep(today=day, kinds=[KIND])


def test_the_reminder_goes_30_days_before_expiry_exactly_once(build):
    cast = build("kent")
    partner = cast.partners["medway"]
    record = ComplianceRecordFactory(partner=partner, expires_on=TODAY + timedelta(days=30))
    ComplianceRecordFactory(
        partner=cast.partners["medway"],
        kind="dbs_check",
        person_name="Sam",
        expires_on=TODAY + timedelta(days=31),
    )

    assert _sweep(TODAY - timedelta(days=1)) == 0  # 31 days before: not yet
    assert _sweep() == 1
    assert _sweep() == 0  # the hourly sweep again: nothing more
    assert _sweep(TODAY + timedelta(days=5)) == 1  # the DBS check's turn; never the first again

    told = Notification.objects.filter(kind=KIND, url__endswith=f"/compliance/{record.pk}/")
    people = set(told.values_list("user_id", flat=True))
    assert cast.contacts[partner.pk].pk in people
    assert cast.officer.pk in people
    assert told.count() == len(people)  # each person once
    subject = told.first().subject
    assert subject == (
        "[Kent & Medway Music Hub] Medway Youth Strings: public liability insurance expires "
        "on 1 July 2026"
    )
    assert Reminder.objects.filter(kind=KIND, object_key=f"compliance:{record.pk}").count() == 1


def test_no_reminder_once_a_newer_record_is_in_or_for_an_unverified_one(build):
    cast = build("kent")
    partner = cast.partners["medway"]
    ComplianceRecordFactory(partner=partner, expires_on=TODAY + timedelta(days=10))
    ComplianceRecordFactory(
        partner=partner, valid_from=TODAY, expires_on=TODAY + timedelta(days=375)
    )
    ComplianceRecordFactory(
        partner=cast.partners["medway"],
        kind="safeguarding_policy",
        expires_on=None,
        review_on=TODAY + timedelta(days=3),
        verified_at=None,
        verified_by=None,
    )
    assert _sweep() == 0


def test_an_already_expired_record_is_not_reminded(build):
    cast = build("kent")
    ComplianceRecordFactory(partner=cast.partners["medway"], expires_on=TODAY - timedelta(days=1))
    assert _sweep() == 0
