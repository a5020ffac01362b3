"""The demo's joint bid: in the consortium hub, Circuit Music Tech (a national
provider) leads a bid with Tiny Tunes Early Years (a local charity), as the
hub's policy encourages collaboration between smaller organisations and
larger providers. Each step is the real service's: the call, the expression
of interest, the co-applicant named and confirmed, the award, the agreement
approved, signed by both partners and countersigned. Called once from the
loader (demo/management/commands/load_demo.py); does nothing elsewhere or twice."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from agreements.joint_signing import agreement_co_sign
from agreements.models import Agreement
from commissioning import joint
from commissioning import services as cs
from commissioning.calls import services as calls
from commissioning.models import Call, FundingKind, Need, ProposalPartner, Route
from demo import agreements_demo, clock, monitoring_demo

HUB, LEAD, CO_APPLICANT = "consortium", "mtech", "earlyyears"
TITLE = "Music technology in early years settings"
DAYS_AGO = 150


def load(cast: Any) -> None:
    if cast.hub.slug != HUB or ProposalPartner.objects.filter(proposal__hub=cast.hub).exists():
        return
    clock.set_day(DAYS_AGO)
    officer = cast.officer
    lead, co = cast.partners[LEAD], cast.partners[CO_APPLICANT]
    need = Need.objects.filter(hub=cast.hub).order_by("-analysis__cycle", "priority", "pk").first()
    call = open_call(officer, need, TITLE, Decimal(18000))
    c = call.commission
    proposal = _bid(cast, call, lead, co)
    clock.later(days=30)
    Call.objects.filter(pk=call.pk).update(closed_at=timezone.now())
    cs.commission_award(
        commission=c,
        user=officer,
        partner=lead,
        proposal=proposal,
        reason=f"Awarded to {lead}'s joint bid with {co} after the call.",
    )
    agreements_demo.draft(cast, c, officer)
    clock.later(days=7)
    cs.commission_submit_for_approval(commission=c, user=officer)
    clock.later(days=5)
    cs.commission_approve(commission=c, user=cast.approver)
    clock.later(days=2)
    agreements_demo.partner_signs(cast, c)
    clock.later(days=1)
    contact = cast.contacts[co.pk]
    agreement_co_sign(
        agreement=Agreement.objects.get(commission=c, period_number=1),
        user=contact,
        full_name=contact.get_full_name(),
        role_title="Director",
        consent=True,
        ip_address=agreements_demo.DEMO_IP,
        user_agent=agreements_demo.DEMO_BROWSER,
        render_pdf=False,
    )
    clock.later(days=1)
    agreements_demo.countersigns(cast, c)
    # Live now, after the monitoring demo ran: its first report written and
    # accepted the same way (the loader passes over partnerships already reported on).
    monitoring_demo.load(cast)


def open_call(officer: Any, need: Need, title: str, amount: Decimal) -> Call:
    """A commission for the need, its partner found by an open call, published now."""
    c = cs.commission_open(
        need=need,
        user=officer,
        title=title,
        description="Sound and music-making apps and simple instruments in nurseries and "
        "children's centres, with training for their staff.",
        hub_grant_amount=amount,
    )
    cs.commission_begin_identification(
        commission=c,
        user=officer,
        route=Route.OPEN_CALL,
        reason="Every partnership goes to an open call for expressions of interest.",
    )
    now = timezone.now()
    return calls.call_publish(
        commission=c,
        user=officer,
        title=f"{title}: call for expressions of interest",
        summary="Partners, alone or together, to bring music technology to the under-fives.",
        eligibility="Organisations, and partnerships of them, working with young children.",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=28),
    )


def write_bid(call: Call, lead: Any, writer: Any):
    """The lead's contact writes its expression of interest (£18,000 of Hub grant)."""
    proposal = calls.proposal_start_eoi(call=call, partner=lead, user=writer)
    calls.proposal_save_draft(
        proposal=proposal,
        user=writer,
        answers={
            "title": "Little Circuits",
            "summary": f"{lead} and its partners bring simple music technology to twelve "
            "nurseries, with the staff trained to keep it going.",
            "delivery_outline": f"{lead} provides the kit and trains the staff; its partner "
            "runs weekly sessions in each nursery for a term.",
            "quality_and_inclusion": "Sessions follow the Hub's early years framework; kit "
            "chosen for children with SEND.",
        },
        budget_lines=[("Kit and training", Decimal(12000)), ("Weekly sessions", Decimal(10000))],
        funding_sources=[
            (FundingKind.HUB_GRANT, "Hub grant", Decimal(18000)),
            (FundingKind.OTHER, f"{lead}'s own funds", Decimal(4000)),
        ],
    )
    return proposal


def _bid(cast: Any, call: Call, lead: Any, co: Any):
    """The lead's contact writes the bid and names the co-applicant, whose
    contact confirms; then the lead submits."""
    writer, co_contact = cast.contacts[lead.pk], cast.contacts[co.pk]
    proposal = write_bid(call, lead, writer)
    link = joint.co_applicant_add(
        proposal=proposal,
        user=writer,
        partner=co,
        role_in_bid="The weekly sessions in each nursery",
        share_of_activity=Decimal(45),
        share_of_budget=Decimal(8000),
    )
    clock.later(days=2)
    joint.co_applicant_confirm(link=link, user=co_contact)
    clock.later(days=1)
    return calls.proposal_submit_eoi(proposal=proposal, user=writer)
