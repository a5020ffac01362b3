"""CSV exports for the hub's own analysis (commissions, proposals, payments),
streamed a row at a time.

Each export is a name, a title and a function returning rows (the first row
is the header). Exports read with .iterator(), so a large hub does not fill
memory, and go out through monitoring.suppression.csv_rows (the formula guard)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import groupby

from django.utils import timezone

from agreements import payments
from agreements.models import Instalment
from commissioning.joint import joint_partners_of_hub
from commissioning.models import Commission, Proposal
from hubs.models import Hub
from oversight.joint_giving import parts_in_words
from oversight.participants import summary_rows
from oversight.selectors import with_dates

CHUNK = 500


def _day(value) -> str:
    return timezone.localdate(value).isoformat() if value else ""


def commission_rows(hub: Hub) -> Iterator[list]:
    yield [
        "Reference",
        "Title",
        "Stage",
        "In this stage since",
        "Service area",
        "Service category",
        "Need",
        "Route",
        "Partner",
        "Partner type",
        "Hub grant (£)",
        "Match funding (£)",
        "Policy version",
        "Awarded on",
        "Signed on",
        "Ended on",
        "Of which capital (£)",
    ]
    commissions = with_dates(
        Commission.objects.filter(hub=hub)
        .select_related("service_area", "service_category", "need", "partner", "policy")
        .order_by("reference")
    )
    for c in commissions.iterator(chunk_size=CHUNK):
        yield [
            c.reference,
            c.title,
            c.get_status_display(),
            _day(c.stage_entered_at),
            c.service_area.name if c.service_area else "",
            c.service_category.name if c.service_category else "",
            c.need.title,
            c.get_route_display(),
            c.partner.name if c.partner else "",
            c.partner.get_organisation_type_display() if c.partner else "",
            c.hub_grant_amount,
            c.match_funding_amount,
            c.policy.version,
            _day(c.awarded_at),
            _day(c.started_at),
            _day(c.ended_at),
            c.hub_grant_capital,
        ]


def proposal_rows(hub: Hub) -> Iterator[list]:
    yield [
        "Commission",
        "Partner",
        "Service area",
        "Status",
        "Submitted on",
        "Total cost (£)",
        "Hub grant requested (£)",
        "Other funding (£)",
        "In kind (£)",
        "Match funding (%)",
    ]
    proposals = (
        Proposal.objects.filter(hub=hub)
        .select_related("commission", "partner", "service_area")
        .order_by("commission__reference", "partner__name")
    )
    for p in proposals.iterator(chunk_size=CHUNK):
        yield [
            p.commission.reference,
            p.partner.name,
            p.service_area.name if p.service_area else "",
            p.get_status_display(),
            _day(p.submitted_at),
            p.total_cost,
            p.hub_grant_requested,
            p.other_funding,
            p.in_kind,
            p.match_funding_percent,
        ]


def payment_rows(hub: Hub) -> Iterator[list]:
    """Every instalment of the Hub grant in the hub's agreements: scheduled,
    due, approved or paid."""
    yield [
        "Commission",
        "Partner",
        "Agreement period",
        "Instalment",
        "Description",
        "Due",
        "Status",
        "Amount (£)",
        "Approved on",
        "Paid on",
        "Payment reference",
        "Funding stream",
        "Each partner's part (joint partnerships)",
    ]
    joint = joint_partners_of_hub(hub)  # one query: the few joint partnerships' partners
    instalments = (
        Instalment.objects.filter(agreement__hub=hub)
        .select_related("agreement__commission__partner")
        .order_by("agreement__commission__reference", "agreement__period_number", "position")
    )
    # One agreement's instalments at a time, valued together as its schedule
    # page values them (the last percentage instalment of each stream takes
    # the pennies), so the rows add up to the grant exactly.
    rows = instalments.iterator(chunk_size=CHUNK)
    for _, group in groupby(rows, key=lambda i: i.agreement_id):
        schedule = list(group)
        commission = schedule[0].agreement.commission
        grant, capital = commission.hub_grant_amount, commission.hub_grant_capital
        for i, value in zip(schedule, payments.values(schedule, grant, capital), strict=True):
            yield [
                commission.reference,
                commission.partner.name if commission.partner else "",
                i.agreement.period_number,
                i.position,
                i.description,
                i.when,
                i.get_status_display(),
                value,
                _day(i.approved_at),
                _day(i.paid_at),
                i.payment_reference,
                i.get_stream_display(),
                parts_in_words(value, joint.get(commission.pk, [])),
            ]


@dataclass(frozen=True)
class Export:
    title: str
    rows: Callable[[Hub], Iterator[list]]


EXPORTS: dict[str, Export] = {
    "commissions": Export("Commissions", commission_rows),
    "proposals": Export("Proposals and expressions of interest", proposal_rows),
    "payments": Export("Payments of the Hub grant", payment_rows),
    "participants": Export(
        "Participant data summary by year, for Arts Council England returns "
        "(small numbers suppressed)",
        summary_rows,
    ),
}
