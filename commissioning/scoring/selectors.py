"""Reads for scoring a call: who may see it, the panel, and the results.

Totals are computed by the database. A scorer's weighted total is the sum of
score x weight over the call's criteria, divided by the highest score of the
commission's policy's scale (commissioning/scoring/scale.py; so out of 100
when the weights add up to 100); the queries below return those sums as
integer "points" (score x weight) and only the final division happens here,
exactly, in Decimal. Scores of a member who declared a conflict on a proposal
never count, whenever they were given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from commissioning.models import (
    SCORE_MAX,
    Call,
    CallCriterion,
    ConflictDeclaration,
    Moderation,
    PanelMember,
    Proposal,
    ProposalStatus,
    Score,
)
from commissioning.scoring.scale import scale_of_call
from commissioning.workflow import Stage
from hubs.access import HubAccess
from hubs.models import HubUserObjectPermission, ServiceAreaUserObjectPermission

User = get_user_model()

# Proposals that were submitted to the call and not withdrawn: the ones scored.
SCORED_STATUSES = [ProposalStatus.SUBMITTED, ProposalStatus.SUCCESSFUL, ProposalStatus.UNSUCCESSFUL]
# Who may sit on a panel: HLO staff, approvers and the board, hub-wide; and
# the service lead of the commission's area.
PANEL_PERMISSIONS = ["run_commissions", "approve_commissions", "comment_as_board"]


# ── who may see a call's scoring ─────────────────────────────────────────────


@dataclass(frozen=True)
class CallSeat:
    """A person's standing towards one call's scoring."""

    call: Call
    manages: bool  # HLO staff, or the service lead of the commission's area
    oversees: bool  # the approving body: reads the results, does not score
    seat: PanelMember | None
    panel: list[PanelMember]  # the whole panel, with its people (a handful)

    @property
    def on_panel(self) -> bool:
        return self.seat is not None

    @property
    def sees_results(self) -> bool:
        """Panel members who neither run nor approve the commission see only
        their own scoring, so that each scores independently."""
        return self.manages or self.oversees


def manages_commission(access: HubAccess, commission: Any) -> bool:
    return access.can("run_commissions") or commission.service_area_id in access.area_ids


def call_for(access: HubAccess, call_id: int) -> CallSeat:
    """The one access helper for a call's scoring pages: officers of its
    commission, the approving body and the call's panel; anyone else gets 404."""
    call = (
        Call.objects.filter(hub=access.hub, pk=call_id)
        .select_related(
            "hub",
            "commission",
            "commission__policy__score_scale",
            "commission__service_area",
            "commission__partner",
        )
        .first()
    )
    if call is None:
        raise Http404("No such call")
    panel = list(panel_of(call))
    seat = next((m for m in panel if m.user_id == access.user.pk), None)
    manages = manages_commission(access, call.commission)
    oversees = access.can("approve_commissions")
    if not (manages or oversees or seat):
        raise Http404("No such call")
    return CallSeat(call=call, manages=manages, oversees=oversees, seat=seat, panel=panel)


def is_closed(call: Call, now=None) -> bool:
    """Closed by the sweep, or past its deadline before the sweep came round."""
    now = now or timezone.now()
    return call.closed_at is not None or call.closes_at <= now


def is_decided(call: Call) -> bool:
    """The award has been made (or the commission withdrawn): scores are final."""
    return call.commission.status != Stage.IDENTIFY


# ── the panel ────────────────────────────────────────────────────────────────


def panel_of(call: Call) -> QuerySet[PanelMember]:
    return PanelMember.objects.filter(call=call).select_related("user").order_by("user__last_name")


def calls_to_score(access: HubAccess, limit: int = 20) -> list[Call]:
    """Closed calls of this hub, not yet decided, on whose panel this person
    sits: the dashboard's "declare interests and score". One query."""
    now = timezone.now()
    return list(
        Call.objects.filter(
            hub=access.hub, panel__user=access.user, commission__status=Stage.IDENTIFY
        )
        .filter(Q(closed_at__isnull=False) | Q(closes_at__lte=now))
        .select_related("commission")
        .order_by("closes_at", "pk")[:limit]
    )


def panel_eligible(call: Call) -> QuerySet:
    """People who may be added to the call's panel and are not on it yet."""
    commission = call.commission
    hub_wide = HubUserObjectPermission.objects.filter(
        content_object_id=call.hub_id, permission__codename__in=PANEL_PERMISSIONS
    ).values("user_id")
    eligible = Q(pk__in=hub_wide)
    if commission.service_area_id:
        leads = ServiceAreaUserObjectPermission.objects.filter(
            content_object_id=commission.service_area_id,
            permission__codename="run_commissions_in_area",
        ).values("user_id")
        eligible |= Q(pk__in=leads)
    return (
        User.objects.filter(eligible, is_active=True)
        .exclude(panels__call=call)
        .order_by("last_name", "first_name", "email")
    )


# ── proposals and their declarations ────────────────────────────────────────


def proposals_of(call: Call) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(call=call, status__in=SCORED_STATUSES)
        .select_related("partner")
        .order_by("partner__name")
    )


def proposal_in(call: Call, proposal_id: int) -> Proposal:
    proposal = proposals_of(call).filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404("No such proposal")
    return proposal


def declaration_of(proposal: Proposal, user: Any) -> ConflictDeclaration | None:
    return ConflictDeclaration.objects.filter(proposal=proposal, member=user).first()


def declarations_for(call: Call) -> QuerySet[ConflictDeclaration]:
    """Every declaration made on the call's proposals: the record of who
    declared what, and when."""
    return (
        ConflictDeclaration.objects.filter(proposal__call=call)
        .select_related("member", "proposal__partner")
        .order_by("proposal__partner__name", "declared_at")
    )


def call_criteria(call: Call) -> list[CallCriterion]:
    return list(
        CallCriterion.objects.filter(call=call).select_related("criterion").order_by("position")
    )


def my_scores(proposal: Proposal, user: Any) -> dict[int, Score]:
    return {s.criterion_id: s for s in Score.objects.filter(proposal=proposal, scorer=user)}


# ── counted scores and totals ────────────────────────────────────────────────


def counted_scores(call: Call) -> QuerySet[Score]:
    """Scores that count: on one of the call's criteria, by someone who has
    not declared a conflict on that proposal."""
    on_call = CallCriterion.objects.filter(call_id=call.pk, criterion_id=OuterRef("criterion_id"))
    recused = ConflictDeclaration.objects.filter(
        proposal_id=OuterRef("proposal_id"), member_id=OuterRef("scorer_id"), has_conflict=True
    )
    return Score.objects.filter(Exists(on_call), ~Exists(recused))


def _points(call: Call) -> Any:
    """score x the criterion's weight in this call, for one score row."""
    weight = CallCriterion.objects.filter(
        call_id=call.pk, criterion_id=OuterRef("criterion_id")
    ).values("weight")[:1]
    return F("score") * Subquery(weight, output_field=IntegerField())


def proposals_with_totals(call: Call, user: Any = None) -> QuerySet[Proposal]:
    """The call's proposals, each annotated in one query with its scorers'
    points: their sum and count (for the mean), and the highest and lowest
    scorer's points (for the spread); and, for `user`, their declaration and
    whether they have scored."""
    mine = counted_scores(call).filter(proposal_id=OuterRef("pk")).order_by()
    per_scorer = mine.values("scorer_id").annotate(points=Sum(_points(call))).values("points")
    overall = mine.values("proposal_id")
    qs = proposals_of(call).annotate(
        points_sum=Coalesce(
            Subquery(overall.annotate(s=Sum(_points(call))).values("s")[:1]), Value(0)
        ),
        scorers=Coalesce(
            Subquery(overall.annotate(n=Count("scorer_id", distinct=True)).values("n")[:1]),
            Value(0),
        ),
        points_max=Subquery(per_scorer.order_by("-points")[:1], output_field=IntegerField()),
        points_min=Subquery(per_scorer.order_by("points")[:1], output_field=IntegerField()),
    )
    if user is not None:
        declared = ConflictDeclaration.objects.filter(proposal_id=OuterRef("pk"), member=user)
        qs = qs.annotate(
            my_conflict=Subquery(declared.values("has_conflict")[:1], output_field=BooleanField()),
            i_scored=Exists(Score.objects.filter(proposal_id=OuterRef("pk"), scorer=user)),
        )
    return qs


@dataclass
class CriterionResult:
    call_criterion: CallCriterion
    scores: int = 0  # how many counted scores
    score_sum: int = 0
    low: int | None = None
    high: int | None = None
    moderation: Moderation | None = None

    @property
    def mean(self) -> Decimal | None:
        return Decimal(self.score_sum) / self.scores if self.scores else None

    @property
    def spread(self) -> int | None:
        return None if self.low is None or self.high is None else self.high - self.low

    @property
    def value(self) -> Decimal | None:
        """The score the moderated total uses: agreed where moderated, else the mean."""
        if self.moderation is not None:
            return Decimal(self.moderation.agreed_score)
        return self.mean


@dataclass
class ProposalResult:
    proposal: Proposal
    scorers: int
    mean_total: Decimal | None
    spread: Decimal | None
    criteria: list[CriterionResult] = field(default_factory=list)
    score_max: int = SCORE_MAX  # the policy's highest score

    @property
    def moderated_total(self) -> Decimal | None:
        values = [(c.value, c.call_criterion.weight) for c in self.criteria]
        if not values or any(v is None for v, _ in values):
            return None
        return sum((v * w for v, w in values), Decimal(0)) / self.score_max

    @property
    def moderated_count(self) -> int:
        return sum(1 for c in self.criteria if c.moderation is not None)

    @property
    def recused(self) -> bool:
        return bool(getattr(self.proposal, "my_conflict", False))


def call_results(
    call: Call,
    user: Any = None,
    proposal_id: int | None = None,
    criteria: list[CallCriterion] | None = None,
) -> list[ProposalResult]:
    """Per proposal: mean weighted total, spread, and per criterion the mean,
    spread and any agreed score, in four queries however many proposals
    (three when the call's criteria are given)."""
    criteria = call_criteria(call) if criteria is None else criteria
    top = scale_of_call(call).max
    proposals = proposals_with_totals(call, user)
    rows = counted_scores(call).filter(proposal__call=call)
    moderations = Moderation.objects.filter(proposal__call=call)
    if proposal_id is not None:
        proposals = proposals.filter(pk=proposal_id)
        rows = rows.filter(proposal_id=proposal_id)
        moderations = moderations.filter(proposal_id=proposal_id)
    per_criterion = {
        (r["proposal_id"], r["criterion_id"]): r
        for r in rows.order_by()
        .values("proposal_id", "criterion_id")
        .annotate(n=Count("pk"), total=Sum("score"), low=Min("score"), high=Max("score"))
    }
    agreed = {
        (m.proposal_id, m.criterion_id): m for m in moderations.select_related("moderated_by")
    }
    results = []
    for p in proposals:
        n = p.scorers
        result = ProposalResult(
            proposal=p,
            scorers=n,
            mean_total=Decimal(p.points_sum) / (n * top) if n else None,
            spread=Decimal(p.points_max - p.points_min) / top if n else None,
            score_max=top,
        )
        for cc in criteria:
            row = per_criterion.get((p.pk, cc.criterion_id))
            result.criteria.append(
                CriterionResult(
                    call_criterion=cc,
                    scores=row["n"] if row else 0,
                    score_sum=row["total"] if row else 0,
                    low=row["low"] if row else None,
                    high=row["high"] if row else None,
                    moderation=agreed.get((p.pk, cc.criterion_id)),
                )
            )
        results.append(result)
    return results


def ranked(results: list[ProposalResult]) -> list[ProposalResult]:
    """Highest moderated total first; unscored proposals last."""

    def key(r: ProposalResult) -> tuple:
        total = r.moderated_total
        return (total is None, -(total or 0), r.proposal.partner.name)

    return sorted(results, key=key)


def scores_for_moderation(call: Call, proposal: Proposal) -> QuerySet[Score]:
    """Each counted score on a proposal, with its scorer and comment."""
    return (
        counted_scores(call)
        .filter(proposal=proposal)
        .select_related("scorer")
        .order_by("criterion_id", "scorer__last_name", "scorer__first_name")
    )
