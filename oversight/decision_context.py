"""What an approver, the board or the chair has in front of them when they
decide an award, an agreement, a renewal or a decommissioning: the year's Hub
grant against its allocation and what this decision would do to it, the
call's scores, the match funding against the policy, the comments already
made on the draft or the recommendation, and the risks.

It lives in oversight because it reads from every app below (commissioning,
agreements, monitoring); the commission and agreement pages show it through
a template tag (oversight/templatetags/decision_tags.py), so those apps import
nothing of ours. It costs a fixed number of queries however many proposals,
commissions or comments there are: see `decision_context`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, OuterRef, Q, Subquery, Sum

from agreements.models import Agreement, AgreementStatus, BoardComment
from commissioning.models import Commission
from commissioning.scoring.selectors import call_results, ranked
from commissioning.workflow import Stage
from hubs.access import HubAccess
from monitoring.models import ReviewCase, ReviewComment
from oversight.dashboard import MONEY, _paid_per_commission, academic_year
from oversight.models import HubAllocation
from oversight.selectors import AWARDED_STAGES

ZERO = Decimal(0)
HUNDRED = Decimal(100)
# Where someone decides, or comments before someone decides.
AWARD_STAGES = (Stage.BOARD_COMMENT, Stage.APPROVAL)
DECOMMISSION_STAGES = (Stage.DECOMMISSION_BOARD_COMMENT, Stage.DECOMMISSION_DECISION)
AGREEMENT_STAGES = (AgreementStatus.BOARD_COMMENT, AgreementStatus.APPROVAL)


def pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}".removesuffix(".00")


@dataclass(frozen=True)
class Budget:
    hub_name: str
    year: str
    allocated: Decimal | None  # None: no allocation recorded for the year
    committed_elsewhere: Decimal  # the year's other awards
    paid: Decimal  # paid in the year, this commission included
    grant: Decimal  # this decision's Hub grant
    projected: bool  # an award or renewal: approving it commits the grant

    @property
    def committed_if_approved(self) -> Decimal:
        return self.committed_elsewhere + self.grant

    @property
    def share(self) -> Decimal | None:
        """This grant as a percentage of the year's allocation."""
        if not self.allocated:
            return None
        return (self.grant * HUNDRED / self.allocated).quantize(Decimal("0.1"))

    @property
    def over(self) -> Decimal:
        if self.allocated is None or not self.projected:
            return ZERO
        return max(self.committed_if_approved - self.allocated, ZERO)

    @property
    def warning(self) -> str:
        """In words, so it is not carried by colour alone."""
        if self.allocated is None:
            return (
                f"No Hub grant allocation is recorded for {self.year}, so this cannot be "
                "checked against one."
            )
        if not self.over:
            return ""
        return (
            f"Over the allocation: approving this takes {self.hub_name}'s commitments for "
            f"{self.year} to {pounds(self.committed_if_approved)}, "
            f"{pounds(self.over)} past the {pounds(self.allocated)} allocated."
        )


@dataclass(frozen=True)
class Scores:
    call_title: str
    total: Decimal | None  # the chosen proposal's moderated total; None if not fully scored
    rank: int | None
    scored: int  # proposals with a moderated total
    lowest: Decimal | None
    highest: Decimal | None


@dataclass(frozen=True)
class MatchFunding:
    amount: Decimal
    percent: Decimal  # of the cost (Hub grant plus match funding)
    minimum: int  # the policy's; 0 when it sets none

    @property
    def meets_minimum(self) -> bool | None:
        return None if not self.minimum else self.percent >= self.minimum


@dataclass(frozen=True)
class DecisionContext:
    kind: str  # "award", "renewal" or "decommissioning"
    budget: Budget
    scores: Scores | None  # None: no call (a direct award), or not an award
    match: MatchFunding | None
    comments: list  # BoardComment or ReviewComment, oldest first
    comments_below: bool  # the page lists them in full already (the agreement page)

    @property
    def answered(self) -> int:
        return sum(1 for c in self.comments if c.response)


def deciding(commission: Commission, access: HubAccess, agreement: Agreement | None) -> str | None:
    """The kind of decision the page is for, or None where no one decides
    now or the person is not internal to the hub (partners never see it)."""
    if not access.is_internal:
        return None
    if agreement is not None:
        if agreement.status not in AGREEMENT_STAGES:
            return None
        return "award" if agreement.is_first else "renewal"
    if commission.status in AWARD_STAGES:
        return "award"
    if commission.status in DECOMMISSION_STAGES:
        return "decommissioning"
    return None


def _budget(commission: Commission, kind: str, agreement: Agreement | None) -> Budget:
    """Two queries: the year and its allocation, then the year's commitments
    and payments (the oversight dashboard's figures, `dashboard.money`)."""
    if kind == "renewal":
        # A renewal is next period's money: it counts against the year it starts.
        year = academic_year(agreement.starts_on)
        allocated = (
            HubAllocation.objects.filter(hub_id=commission.hub_id, year=year)
            .values_list("amount", flat=True)
            .first()
        )
        grant = agreement.grant_amount
    else:
        allocation = HubAllocation.objects.filter(
            hub_id=commission.hub_id, year=OuterRef("need__analysis__cycle")
        ).values("amount")[:1]
        row = (
            Commission.objects.filter(pk=commission.pk)
            .values(year=F("need__analysis__cycle"))
            .annotate(allocated=Subquery(allocation, output_field=MONEY))
            .get()
        )
        year, allocated = row["year"], row["allocated"]
        grant = agreement.grant_amount if agreement is not None else commission.hub_grant_amount
    totals = (
        Commission.objects.filter(
            hub_id=commission.hub_id, need__analysis__cycle=year, status__in=AWARDED_STAGES
        )
        .annotate(paid_to=_paid_per_commission())
        .aggregate(
            elsewhere=Sum("hub_grant_amount", filter=~Q(pk=commission.pk)),
            paid=Sum("paid_to"),
        )
    )
    return Budget(
        hub_name=commission.hub.name,
        year=year,
        allocated=allocated,
        committed_elsewhere=totals["elsewhere"] or ZERO,
        paid=(totals["paid"] or ZERO).quantize(Decimal("0.01")),
        grant=Decimal(grant),
        projected=kind != "decommissioning",
    )


def _scores(commission: Commission) -> Scores | None:
    """The chosen proposal against the rest of its call, with the results
    page's own moderated totals (call_results: a fixed few queries however
    many proposals)."""
    if commission.awarded_proposal_id is None or not hasattr(commission, "call"):
        return None
    results = [r for r in ranked(call_results(commission.call)) if r.moderated_total is not None]
    totals = [r.moderated_total for r in results]
    rank = next(
        (i for i, r in enumerate(results, 1) if r.proposal.pk == commission.awarded_proposal_id),
        None,
    )
    return Scores(
        call_title=commission.call.title,
        total=totals[rank - 1].quantize(Decimal("0.1")) if rank else None,
        rank=rank,
        scored=len(results),
        lowest=min(totals).quantize(Decimal("0.1")) if totals else None,
        highest=max(totals).quantize(Decimal("0.1")) if totals else None,
    )


def _match(commission: Commission) -> MatchFunding:
    grant, match = commission.hub_grant_amount, commission.match_funding_amount
    cost = grant + match
    percent = (match * HUNDRED / cost).quantize(Decimal("0.1")) if cost else ZERO
    return MatchFunding(
        amount=match, percent=percent, minimum=commission.policy.min_match_funding_percent
    )


def _comments(commission: Commission, kind: str, agreement: Agreement | None) -> list:
    if kind == "decommissioning":
        latest = ReviewCase.objects.filter(commission=commission).order_by("-pk").values("pk")[:1]
        comments = ReviewComment.objects.filter(commission=commission, review_id=Subquery(latest))
    elif agreement is not None:
        comments = BoardComment.objects.filter(agreement=agreement)
    else:
        comments = BoardComment.objects.filter(
            agreement__commission=commission, agreement__period_number=1
        )
    return list(comments.select_related("author", "responded_by").order_by("created_at", "pk"))


def decision_context(
    commission: Commission, access: HubAccess, agreement: Agreement | None = None
) -> DecisionContext | None:
    """The panel for the decision this page is for, or None when there is none.

    Queries, whatever the number of proposals, awards or comments: two for
    the budget, one for the comments, and for an award from a call the
    results page's five (call_results: the call's criteria, the policy's
    scale, the scores per criterion, the moderations, the proposals)."""
    kind = deciding(commission, access, agreement)
    if kind is None:
        return None
    awarding = kind != "decommissioning"
    return DecisionContext(
        kind=kind,
        budget=_budget(commission, kind, agreement),
        scores=_scores(commission) if kind == "award" else None,
        match=_match(commission) if awarding else None,
        comments=_comments(commission, kind, agreement),
        comments_below=agreement is not None,
    )
