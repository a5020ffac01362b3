"""Reads for oversight: which commissions count as awarded, and the figures
the register, the exports and the dashboard show. Every function takes a hub
and returns a queryset or a few rows; none loops over queries."""

from __future__ import annotations

from django.db.models import DateField, DateTimeField, OuterRef, Q, QuerySet, Subquery

from agreements.models import Agreement, AgreementStatus
from commissioning.joint import joint_partners_prefetch
from commissioning.models import Commission, TransitionLog
from commissioning.workflow import DECOMMISSIONING, Stage
from hubs.models import Hub

# Awarded: a partner was chosen (draft) and the commission went on from there
# (the hub's own dashboard counts these as committed).
AWARDED_STAGES = [
    Stage.DRAFT,
    Stage.BOARD_COMMENT,
    Stage.APPROVAL,
    Stage.ISSUED,
    Stage.MONITORING,
    Stage.COMPLETED,
    Stage.DECOMMISSION_RECOMMENDED,
    Stage.DECOMMISSION_BOARD_COMMENT,
    Stage.DECOMMISSION_DECISION,
    Stage.DECOMMISSION_APPROVED,
    Stage.DECOMMISSIONED,
]
# What the public register and 360Giving publish: awards approved and issued,
# in force or finished. A draft, one with the board or awaiting approval may
# still be refused, and one withdrawn never took effect, so none is published.
PUBLISHED_STAGES = [
    Stage.ISSUED,
    Stage.MONITORING,
    Stage.COMPLETED,
    *DECOMMISSIONING,
    Stage.DECOMMISSIONED,
]
PUBLISHED = Q(status__in=PUBLISHED_STAGES)
ENDED_STAGES = [Stage.COMPLETED, Stage.DECOMMISSIONED, Stage.WITHDRAWN]


def _logged(to: Q) -> Subquery:
    """When the commission last made the move described by `to`."""
    entries = TransitionLog.objects.filter(to, commission=OuterRef("pk")).order_by("-created_at")
    return Subquery(entries.values("created_at")[:1], output_field=DateTimeField())


def _agreed(field: str, *, first: bool) -> Subquery:
    """The partnership agreement's term: the first period's start, or the
    latest period's end (renewals add periods)."""
    agreements = Agreement.objects.filter(commission=OuterRef("pk")).exclude(
        status=AgreementStatus.WITHDRAWN
    )
    ordered = agreements.order_by("period_number" if first else "-period_number")
    return Subquery(ordered.values(field)[:1], output_field=DateField())


def with_dates(commissions: QuerySet[Commission]) -> QuerySet[Commission]:
    """Annotate awarded_at, started_at (signed) and ended_at from the log, and
    the agreement's term (term_starts, term_ends), in the same query."""
    return commissions.annotate(
        awarded_at=_logged(Q(action="award")),
        started_at=_logged(Q(action="sign")),
        ended_at=_logged(Q(to_stage__in=ENDED_STAGES)),
        term_starts=_agreed("starts_on", first=True),
        term_ends=_agreed("ends_on", first=False),
    )


def published_commissions(hub: Hub) -> QuerySet[Commission]:
    """The hub's approved awards, for 360Giving, oldest first."""
    return with_dates(
        Commission.objects.filter(PUBLISHED, hub=hub)
        .select_related("partner", "service_area", "service_category", "policy")
        .order_by("reference")
    )


def register_entries(hub: Hub) -> QuerySet[Commission]:
    """The public register: approved partnerships, newest first. Only public
    fields are read (no people)."""
    return (
        with_dates(Commission.objects.filter(PUBLISHED, hub=hub))
        .select_related("partner", "service_area")
        .only(
            "reference",
            "title",
            "description",
            "status",
            "hub_grant_amount",
            "match_funding_amount",
            "partner__name",
            "partner__organisation_type",
            "service_area__name",
        )
        .prefetch_related(joint_partners_prefetch())  # a joint partnership's partners
        .order_by("-pk")
    )
