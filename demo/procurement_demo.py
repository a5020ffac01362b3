"""Procurement's demo data, through procurement's services (so every gate is
asked). Idempotent: a hub that has its council's rules already is left alone.

- Hertfordshire follows the County Council's procurement process: under
  £5,000 one written quote, £5,000 up to £25,000 three written quotes, then
  an open tender. The need just identified took one quote where three were
  needed, with its reason, approved by the approving body (so it may be
  awarded); the commission being identified records the same departure,
  still awaiting approval.
- Leicestershire follows the County Council's Contract Procedure Rules, with
  other bands: under £10,000 one quote, up to £100,000 three quotes, then an
  open tender. Its open calls are recorded as open tenders, with the call.
- Kent Music's own purchasing procedures bind its contracts only (three
  quotes under £30,000, then an open tender): its grants are not asked.
- Kent & Medway's live string ensembles are a contract for services of over
  £30,000 (a notifiable below-threshold contract), advertised, whose value
  rose this quarter; its completed evaluation was a contract too, with its
  contract details notice published on the Central Digital Platform.
- The partnerships the hubs have awarded are recorded as grants, with the
  route they took, so the Transparency Code's grants list has them.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from commissioning.models import Commission
from commissioning.workflow import Stage
from demo import clock
from hubs.routes import members_of
from procurement import planning, rules, services
from procurement.models import (
    CommissionKind,
    Notice,
    NoticeKind,
    ProcurementRoute,
    ProcurementRules,
    ValueBand,
)
from procurement.models.rules import ROUTE_ORDER

R = ProcurementRoute
BANDS = {
    "herts": (
        "Hertfordshire County Council procurement process",
        [(0, 5000, R.ONE_QUOTE), (5000, 25000, R.THREE_QUOTES), (25000, None, R.OPEN_TENDER)],
    ),
    "leics": (
        "Leicestershire County Council Contract Procedure Rules",
        [(0, 10000, R.ONE_QUOTE), (10000, 100000, R.THREE_QUOTES), (100000, None, R.OPEN_TENDER)],
    ),
    # Kent Music is a charity: its own financial procedures, for contracts only.
    "kent": (
        "Kent Music financial procedures: purchasing",
        [(0, 30000, R.THREE_QUOTES, "contract"), (30000, None, R.OPEN_TENDER, "contract")],
    ),
}
AWARDED = [s for s in Stage.values if s not in (Stage.NEEDS, Stage.IDENTIFY, Stage.WITHDRAWN)]


def load(cast) -> None:
    hub = cast.hub
    if (
        ProcurementRules.objects.filter(hub=hub).exists()
        or Commission.objects.filter(hub=hub, procurement__isnull=False).exists()
    ):
        return
    # The clock is left where the story left it (the loaders after this one
    # play from there); the dates recorded count from the day of the load.
    today = clock.today()
    if hub.slug in BANDS:
        name, bands = BANDS[hub.slug]
        in_force = ProcurementRules.objects.create(
            hub=hub, name=name, effective_from=today - timedelta(days=clock.SET_UP_DAYS_AGO)
        )
        ValueBand.objects.bulk_create(
            [
                ValueBand(
                    rules=in_force,
                    from_value=Decimal(band[0]),
                    below_value=None if band[1] is None else Decimal(band[1]),
                    route_needed=band[2],
                    applies_to=band[3] if len(band) > 3 else "both",
                )
                for band in bands
            ]
        )
    if hub.slug == "kent":
        _contracts(cast, today)
    _grants(cast)
    if hub.slug == "herts":
        _departures(cast, today)
    if hub.slug == "leics":
        _open_calls(cast, today)


def _needed(commission: Commission, today) -> str:
    _, band = rules.band_needed(
        commission.hub_id, commission.hub_grant_amount, CommissionKind.GRANT, today
    )
    return band.route_needed if band else R.ONE_QUOTE


def _grants(cast) -> None:
    """Every awarded partnership, recorded as a grant with the route it met."""
    awarded = Commission.objects.filter(
        hub=cast.hub, status__in=AWARDED, procurement__isnull=True
    ).order_by("reference")
    for c in awarded.select_related("partner", "call"):
        started = (planning.dates_of(c.pk).awarded_on or timezone.localdate()) - timedelta(days=42)
        route = _needed(c, started)
        call = getattr(c, "call", None)
        if call is not None:
            route = R.OPEN_TENDER
        services.procurement_record(
            commission=c,
            user=cast.officer,
            kind=CommissionKind.GRANT,
            route_taken=route,
            quotes_received={R.ONE_QUOTE: 1, R.THREE_QUOTES: 3}.get(route, 0),
            evidence="Quotes kept on the commission's file." if call is None else "",
            procurement_reference=f"{cast.hub.slug.upper()}-{c.reference}",
            started_on=started,
            supplier_is_vcs=c.partner.organisation_type in ("charity", "community"),
        )


def _departures(cast, today) -> None:
    """A route one step less open than the value needs (one quote where three
    were needed, say), with its reason: approved for the need just identified,
    awaiting approval for the commission being identified."""
    for status, approve in ((Stage.NEEDS, True), (Stage.IDENTIFY, False)):
        c = Commission.objects.filter(hub=cast.hub, status=status).order_by("reference").first()
        if c is None:
            continue
        needed = _needed(c, today)
        taken = ROUTE_ORDER[max(ROUTE_ORDER.index(needed) - 1, 0)]
        services.procurement_record(
            commission=c,
            user=cast.officer,
            kind=CommissionKind.GRANT,
            route_taken=taken,
            quotes_received={R.ONE_QUOTE: 1, R.THREE_QUOTES: 3}.get(taken, 0),
            evidence="From the only provider of adapted instruments in the county.",
            started_on=today - timedelta(days=10),
            departure_reason="Only one organisation in Hertfordshire offers this work with "
            "adapted instruments and specialist tutors; two others asked declined to quote.",
        )
        record = rules.record_of(Commission.objects.get(pk=c.pk))
        step = rules.departure_step(c, c.hub_grant_amount)
        if not approve or step is None or not record.departure_from:
            continue
        for member in members_of(step, c).exclude(pk=cast.officer.pk).order_by("email"):
            if rules.departure_approved(record, c.hub_grant_amount):
                break
            services.departure_approve(procurement=record, user=member)


def _open_calls(cast, today) -> None:
    calls = Commission.objects.filter(hub=cast.hub, status=Stage.IDENTIFY, call__isnull=False)
    for c in calls.order_by("reference"):
        services.procurement_record(
            commission=c,
            user=cast.officer,
            kind=CommissionKind.GRANT,
            route_taken=R.OPEN_TENDER,
            evidence="Open call for expressions of interest on the Hub's website and the "
            "County Council's procurement portal.",
            procurement_reference=f"LCC-CPR-{c.reference}",
            started_on=today - timedelta(days=30),
        )


def _contracts(cast, today) -> None:
    live = Commission.objects.filter(hub=cast.hub, status=Stage.MONITORING).order_by("reference")
    done = Commission.objects.filter(hub=cast.hub, status=Stage.COMPLETED).order_by("reference")
    for c, value in ((live.first(), Decimal(36000)), (done.first(), Decimal(31500))):
        if c is None:
            continue
        awarded = planning.dates_of(c.pk).awarded_on or today
        services.procurement_record(
            commission=c,
            user=cast.officer,
            kind=CommissionKind.CONTRACT,
            route_taken=R.OPEN_TENDER,
            evidence="Advertised on the Central Digital Platform and Kent Music's website.",
            procurement_reference=f"KM-{c.reference}",
            started_on=awarded - timedelta(days=60),
            advertised_on=awarded - timedelta(days=56),
            light_touch=True,
            supplier_is_vcs=True,
        )
        record = rules.record_of(Commission.objects.get(pk=c.pk))
        first = record.values.order_by("effective_on").first()
        if first.value < value:
            services.procurement_value_change(
                procurement=record,
                user=cast.officer,
                value=value,
                effective_on=first.effective_on + timedelta(days=1),
                reason="The contract's full value, with the tutors' fees.",
            )
        # The VAT on the full value (none of it recoverable), once it is the value.
        vat = value * Decimal("0.2")
        services.procurement_record(
            commission=Commission.objects.get(pk=c.pk),
            user=cast.officer,
            vat_amount=vat,
            vat_not_recoverable=vat,
        )
    if live.first() is not None:
        record = rules.record_of(live.first())
        quarter_start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
        services.procurement_value_change(
            procurement=record,
            user=cast.officer,
            value=Decimal(42000),
            effective_on=max(quarter_start, today - timedelta(days=10)),
            reason="A fourth ensemble added in Rochester from this term.",
        )
    # Published on the platform: the completed contract's notices, and the
    # live one's tender notice; the live one's contract details notice is due.
    published = Notice.objects.filter(
        procurement__commission__in=[c.pk for c in (live.first(), done.first()) if c],
        due_by__isnull=False,
        published_at__isnull=True,
    ).exclude(procurement__commission=live.first(), kind=NoticeKind.CONTRACT_DETAILS)
    for number, notice in enumerate(published.order_by("pk"), start=4512):
        services.notice_publish(
            notice=notice, user=cast.officer, notice_id=f"{number:06d}-{today.year}"
        )
