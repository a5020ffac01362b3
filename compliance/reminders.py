"""The compliance reminder, registered with notices' sweep in
ComplianceConfig.ready() (see notices/reminders.py for the API).

- compliance_expiring: a verified record lapses (its expiry, or a policy's
  review date) within REMIND_DAYS and no later record of the same kind, for
  the same organisation and person, has been added; told: the partner's
  contacts and the hub's officers (HLO staff, and the service lead of the
  partner's area). Keyed by the record and the day it lapses, so it goes
  once, 30 days before, however often the hourly sweep runs.

Three queries across every hub: the records, then the contacts and the
officers of the hubs concerned.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.formats import date_format

from compliance.kinds import kind_of
from compliance.models import ComplianceRecord
from hubs.deadlines import deadline_marker
from hubs.models import Membership, Role
from notices import reminders
from notices.reminders import Due

REMIND_DAYS = 30
KIND = "compliance_expiring"


def register() -> None:
    reminders.register(KIND, compliance_expiring)


def _people(hub_ids: set[int], partner_ids: set[int]) -> tuple[dict, dict]:
    contacts: dict[int, list] = defaultdict(list)
    officers: dict[int, list] = defaultdict(list)
    rows = Membership.objects.filter(
        Q(role=Role.PARTNER_CONTACT, partner_id__in=partner_ids)
        | Q(role__in=[Role.HLO_STAFF, Role.SERVICE_LEAD], hub_id__in=hub_ids)
    ).select_related("user")
    for m in rows.order_by("pk"):
        if m.role == Role.PARTNER_CONTACT:
            contacts[m.partner_id].append(m)
        else:
            officers[m.hub_id].append(m)
    return contacts, officers


def compliance_expiring(today: date) -> list[Due]:
    soon = today + timedelta(days=REMIND_DAYS)
    newer = ComplianceRecord.objects.filter(
        partner=OuterRef("partner"),
        kind=OuterRef("kind"),
        person_name=OuterRef("person_name"),
        valid_from__gt=OuterRef("valid_from"),
    )
    window = Q(expires_on__gte=today, expires_on__lte=soon) | Q(
        review_on__gte=today, review_on__lte=soon
    )
    records = list(
        ComplianceRecord.objects.filter(window, verified_at__isnull=False)
        .filter(~Exists(newer))
        .select_related("partner", "hub")
    )
    records = [r for r in records if r.lapses_on is not None and today <= r.lapses_on <= soon]
    contacts, officers = _people({r.hub_id for r in records}, {r.partner_id for r in records})
    due = []
    for r in records:
        area = r.partner.service_area_id
        told = [m.user for m in contacts.get(r.partner_id, [])] + [
            m.user
            for m in officers.get(r.hub_id, [])
            if m.role == Role.HLO_STAFF or (area and m.service_area_id == area)
        ]
        kind = kind_of(r.hub, r.kind)
        who = f" ({r.person_name})" if r.person_name else ""
        verb = "is due for review" if r.review_on == r.lapses_on else "expires"
        due.append(
            Due(
                hub_id=r.hub_id,
                object_key=f"compliance:{r.pk}",
                due_on=r.lapses_on,
                recipients=told,
                subject=f"[{r.hub.name}] {r.partner.name}: {kind.name.lower()}{who} {verb} on "
                f"{date_format(r.lapses_on, 'j F Y')}",
                body=f"{r.partner.name}'s {kind.name.lower()}{who} {verb} on "
                f"{deadline_marker(r.lapses_on, 'ends')}. Add the new record before then, "
                "so HLO staff can verify it in time.",
                url=reverse("compliance:record", args=[r.hub.slug, r.pk]),
            )
        )
    return due
