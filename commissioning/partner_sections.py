"""What commissioning tells a partner's page (partners/hooks.py): the
partner's commissions and expressions of interest as the reader may see
them, its completed partnerships and its live ones."""

from __future__ import annotations

from typing import Any

from commissioning.calls.selectors import proposal_reference
from commissioning.models import Commission, Proposal, ProposalStatus
from commissioning.selectors import commissions_visible
from commissioning.workflow import Stage
from partners.hooks import Section

# A partnership the hub is still in: signed, or on its way to ending.
LIVE = (
    Stage.MONITORING,
    Stage.DECOMMISSION_RECOMMENDED,
    Stage.DECOMMISSION_BOARD_COMMENT,
    Stage.DECOMMISSION_DECISION,
    Stage.DECOMMISSION_APPROVED,
)


def commissions(access: Any, partner: Any) -> dict:
    """The partner's commissions the reader sees (a partner contact: its own
    agreements once issued), and, for the hub's own people or the partner's
    contacts, its expressions of interest other than drafts."""
    rows = commissions_visible(access).filter(partner=partner).order_by("-created_at", "-pk")
    proposals = []
    if access.is_internal or partner.pk in access.partner_ids:
        shown = Proposal.objects.filter(partner=partner, hub=access.hub).exclude(
            status=ProposalStatus.DRAFT
        )
        proposals = [
            (p, proposal_reference(p))
            for p in shown.select_related("commission", "call").order_by("-submitted_at", "-pk")
        ]
    return {"commissions": list(rows), "proposals": proposals}


def completed(partner: Any) -> int:
    return Commission.objects.filter(partner=partner, status=Stage.COMPLETED).count()


def live(partner: Any) -> list[str]:
    rows = Commission.objects.filter(partner=partner, status__in=LIVE).order_by("reference")
    return list(rows.values_list("reference", flat=True))


SECTION = Section(
    "commissions", "Commissions", "partners/sections/commissions.html", commissions, position=20
)
