"""What happens to the national dataset's commissions once scale.national's
HubFiller has made them, in bulk: each one's history, and the open-call
commissions' calls, proposals, conflict declarations and scores."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import OuterRef, Subquery

from commissioning.models import (
    Call,
    CallCriterion,
    Commission,
    ConflictDeclaration,
    PanelMember,
    Proposal,
    ProposalStatus,
    Route,
    Score,
    TransitionLog,
)
from commissioning.workflow import ACTIONS, Stage, target_of
from partners.models import PartnerOrganisation

if TYPE_CHECKING:
    from scale.national import Counts, HubFiller

BATCH = 2000


def _bulk(model: type[models.Model], rows: Iterable[models.Model], counts: Counts) -> list:
    created = model.objects.bulk_create(list(rows), batch_size=BATCH)
    counts.add(model._meta.label, len(created))
    return created


def fill_history(filler: HubFiller, made: list, contacts: dict[int, Any]) -> None:
    """Each commission's TransitionLog, from "open" through every move of its
    path, each by someone who holds the role the move needs."""

    def rows():
        for c, (_, path, need, _) in made:
            when = c.created_at
            yield TransitionLog(
                hub=filler.hub,
                commission=c,
                actor=c.created_by,
                action="open",
                from_stage="",
                to_stage=Stage.NEEDS,
                reason=f"Opened to meet the need: {need.title}",
                created_at=when,
            )
            stage = Stage.NEEDS
            for step, action in enumerate(path, start=1):
                target = target_of(action)
                yield TransitionLog(
                    hub=filler.hub,
                    commission=c,
                    actor=filler.actor(action, c, contacts),
                    action=action,
                    from_stage=stage,
                    to_stage=target,
                    reason="Recorded for the national dataset."
                    if ACTIONS[action].needs_reason
                    else "",
                    created_at=when + timedelta(days=step * 7),
                )
                stage = target

    # Generated lazily in batches: hundreds of thousands of rows.
    it = rows()
    while batch := list(itertools.islice(it, BATCH * 5)):
        _bulk(TransitionLog, batch, filler.counts)


# calls, proposals, scoring


def _still_open(c: Commission, rank: dict[int, int]) -> bool:
    """Half the calls of commissions still identifying a partner are open;
    the other half (the first, third...) have closed and are being scored,
    as in the demo."""
    return c.status == Stage.IDENTIFY and rank[c.pk] % 2 == 1


def fill_calls(filler: HubFiller, made: list, partners: list[PartnerOrganisation]) -> None:
    """Each open-call commission's call, its criteria and panel, two proposals,
    and the declarations and scores of the calls that have closed."""
    counts = filler.counts
    open_calls = [(c, plan) for c, plan in made if c.route == Route.OPEN_CALL and plan[1]]
    identifying = sorted(c.pk for c, _ in open_calls if c.status == Stage.IDENTIFY)
    rank = {pk: n for n, pk in enumerate(identifying)}
    calls = _bulk(
        Call,
        (
            Call(
                hub=filler.hub,
                commission=c,
                title=f"Call: {c.title}",
                summary="Inclusive ensembles for young people across the area.",
                eligibility="Any organisation with safeguarding in place.",
                opens_at=c.created_at + timedelta(days=3),
                closes_at=filler.now + timedelta(days=14)
                if _still_open(c, rank)
                else c.created_at + timedelta(days=5),
                closed_at=None if _still_open(c, rank) else c.created_at + timedelta(days=5),
                created_by=filler.officer_for(c.service_area_id),
            )
            for c, _ in open_calls
        ),
        counts,
    )
    if filler.criteria:
        _bulk(
            CallCriterion,
            (
                CallCriterion(call=call, criterion=cr, weight=cr.weight, position=cr.position)
                for call in calls
                for cr in filler.criteria
            ),
            counts,
        )
    # The panel as in the demo: the approver (who declares and scores)
    # and the board members.
    panel = [filler.cast.approver, *filler.cast.board]
    _bulk(
        PanelMember,
        (PanelMember(call=call, user=member) for call in calls for member in panel),
        counts,
    )
    proposals = []
    for call, (c, (n, path, _need, partner)) in zip(calls, open_calls, strict=True):
        awarded = "award" in path
        rival = partners[(n * 7 + 11) % len(partners)]
        if rival.pk == partner.pk:
            rival = partners[(n * 7 + 12) % len(partners)]
        for p, won in ((partner, True), (rival, False)):
            total = Decimal(20000 + (n % 10) * 1000)
            other = (total * Decimal("0.6")).quantize(Decimal(1))
            if not awarded:
                status = ProposalStatus.SUBMITTED
            else:
                status = ProposalStatus.SUCCESSFUL if won else ProposalStatus.UNSUCCESSFUL
            proposals.append(
                Proposal(
                    hub=filler.hub,
                    commission=c,
                    partner=p,
                    service_area_id=c.service_area_id,
                    call=call,
                    title=f"{p.name}: ensembles",
                    summary="We will run weekly inclusive ensembles.",
                    delivery_outline="Weekly sessions in schools and hubs.",
                    quality_and_inclusion="Follows the Hub's quality framework.",
                    total_cost=total,
                    hub_grant_requested=total - other,
                    other_funding=other,
                    status=status,
                    submitted_at=call.opens_at + timedelta(days=1),
                )
            )
    proposals = _bulk(Proposal, proposals, counts)
    scored = [p for p in proposals if p.call.closed_at is not None]
    _bulk(
        ConflictDeclaration,
        (
            ConflictDeclaration(proposal=p, member=filler.cast.approver, has_conflict=False)
            for p in scored
        ),
        counts,
    )
    _bulk(
        Score,
        (
            Score(
                proposal=p,
                scorer=filler.cast.approver,
                criterion=cr,
                score=(p.pk + cr.pk) % 6,
                comment="Clear plan; good reach.",
            )
            for p in scored
            for cr in filler.criteria
        ),
        counts,
    )
    won = Proposal.objects.filter(commission=OuterRef("pk"), status=ProposalStatus.SUCCESSFUL)
    Commission.objects.filter(hub=filler.hub, route=Route.OPEN_CALL).exclude(partner=None).update(
        awarded_proposal=Subquery(won.values("pk")[:1])
    )
