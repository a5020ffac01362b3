"""Reads of contract management, scoped as commissions are: a KPI is seen by
whoever may see its commission (a partner contact only its own
partnerships'), a risk only by the hub's own people."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.http import Http404

from agreements.models import Agreement, AgreementStatus
from commissioning.models import Commission
from commissioning.selectors import commissions_visible
from contracts.models import (
    HIGH_RISK_FROM,
    ContractSettings,
    Kpi,
    KpiRating,
    KpiReturn,
    Risk,
    RiskStatus,
)
from contracts.rules import asked_of
from hubs.access import HubAccess
from hubs.models import Hub
from monitoring.models import Report

# An agreement's KPIs are in force once the partner has signed it.
IN_FORCE = [AgreementStatus.PARTNER_SIGNED, AgreementStatus.SIGNED]


def high_risk_from(hub: Hub) -> int:
    """The score from which a risk is high: the hub's own, else 15 (one query)."""
    own = ContractSettings.objects.filter(hub=hub).values_list("high_risk_from", flat=True)
    return next(iter(own), HIGH_RISK_FROM)


# ── KPIs ─────────────────────────────────────────────────────────────────────


def in_force_q(prefix: str = "") -> Q:
    """A KPI in force now: agreed in a signed agreement and not dropped by a
    later signed one."""
    return Q(**{f"{prefix}agreement__status__in": IN_FORCE}) & ~Q(
        **{f"{prefix}retired_by__status__in": IN_FORCE}
    )


def kpis_in_force(commission: Commission) -> QuerySet[Kpi]:
    """The KPIs the partnership reports against now."""
    return Kpi.objects.filter(in_force_q(), commission=commission).order_by("position", "pk")


@dataclass(frozen=True)
class AgreementKpi:
    kpi: Kpi
    state: str  # "agreed" (earlier), "new" (in this agreement), "dropped" (by this one)


def kpis_of_agreement(agreement: Agreement) -> list[AgreementKpi]:
    """What this agreement says of KPIs: those it carries on from earlier
    agreements, those it adds and those it drops (one query)."""
    kpis = (
        Kpi.objects.filter(commission_id=agreement.commission_id)
        .filter(
            Q(agreement=agreement)
            | Q(retired_by=agreement)
            | Q(agreement__period_number__lt=agreement.period_number, retired_by__isnull=True)
            | Q(
                agreement__period_number__lt=agreement.period_number,
                retired_by__period_number__gt=agreement.period_number,
            )
        )
        .order_by("position", "pk")
    )
    rows = []
    for kpi in kpis:
        if kpi.retired_by_id == agreement.pk:
            state = "dropped"
        elif kpi.agreement_id == agreement.pk:
            state = "new"
        else:
            state = "agreed"
        rows.append(AgreementKpi(kpi, state))
    return rows


@dataclass
class KpiRow:
    kpi: Kpi
    cells: list = field(default_factory=list)  # (KpiReturn | None, KpiRating | None) per period


@dataclass
class KpiTable:
    periods: list[Report]
    rows: list[KpiRow]
    in_force_ids: frozenset[int] = frozenset()

    @property
    def in_force(self) -> list[Kpi]:
        return [row.kpi for row in self.rows if row.kpi.pk in self.in_force_ids]

    @property
    def latest_ratings(self) -> list[KpiRating]:
        found = []
        for row in self.rows:
            rated = [rating for _, rating in row.cells if rating is not None]
            if rated:
                found.append(rated[-1])
        return found


def kpi_table(commission: Commission, *, reports: list[Report] | None = None) -> KpiTable:
    """Each KPI of the partnership (in force, or with anything reported or
    rated) with its value and rating in each period reported: three
    queries, however many KPIs and reports."""
    kpis = list(
        Kpi.objects.filter(commission=commission)
        .annotate(
            live=ExpressionWrapper(in_force_q(), output_field=BooleanField()),
            used=Exists(KpiReturn.objects.filter(kpi=OuterRef("pk")))
            | Exists(KpiRating.objects.filter(kpi=OuterRef("pk"))),
        )
        .filter(Q(live=True) | Q(used=True))
        .select_related("agreement", "retired_by")
        .order_by("position", "pk")
    )
    returns = list(KpiReturn.objects.filter(kpi__commission=commission).select_related("report"))
    ratings = list(
        KpiRating.objects.filter(kpi__commission=commission).select_related("report", "rated_by")
    )
    in_force = frozenset(k.pk for k in kpis if k.live)
    if reports is None:
        by_pk = {r.report_id: r.report for r in [*returns, *ratings]}
        reports = sorted(by_pk.values(), key=lambda r: (r.due_on, r.pk))
    got = {(r.kpi_id, r.report_id): r for r in returns}
    rated = {(r.kpi_id, r.report_id): r for r in ratings}
    rows = [
        KpiRow(k, [(got.get((k.pk, p.pk)), rated.get((k.pk, p.pk))) for p in reports]) for k in kpis
    ]
    return KpiTable(reports, rows, in_force)


def report_kpis(report: Report) -> KpiTable:
    """The KPIs a report gives values for: those in force (and any it has
    values or ratings for already), with what it says of each."""
    table = kpi_table(report.commission, reports=[report])
    table.rows = [
        row
        for row in table.rows
        if (row.kpi.pk in table.in_force_ids and asked_of(report, row.kpi)) or any(row.cells[0])
    ]
    return table


def kpi_for(access: HubAccess, kpi_id: int) -> Kpi:
    kpi = (
        Kpi.objects.filter(
            pk=kpi_id, hub=access.hub, commission__in=commissions_visible(access).values("pk")
        )
        .select_related("agreement")
        .first()
    )
    if kpi is None:
        raise Http404("No such KPI")
    return kpi


# ── risks ────────────────────────────────────────────────────────────────────


def risks_visible(access: HubAccess) -> QuerySet[Risk]:
    """The hub's own people only; a partner sees none."""
    if not access.is_internal:
        return Risk.objects.none()
    return (
        Risk.objects.filter(hub=access.hub, commission__in=commissions_visible(access).values("pk"))
        .select_related("commission", "commission__partner", "agreement")
        .annotate(score_value=F("likelihood") * F("impact"))
    )


def risk_for(access: HubAccess, risk_id: int) -> Risk:
    risk = (
        risks_visible(access)
        .select_related("commission__hub", "commission__policy", "commission__service_area")
        .select_related("raised_by")
        .filter(pk=risk_id)
        .first()
    )
    if risk is None:
        raise Http404("No such risk")
    return risk


def high_risks(risks: QuerySet[Risk], threshold: int) -> QuerySet[Risk]:
    return risks.filter(status=RiskStatus.OPEN, score_value__gte=threshold).order_by(
        "-score_value", "review_on", "pk"
    )


def risk_register(risks: QuerySet[Risk]) -> QuerySet[Risk]:
    """Open risks first, the highest first; then closed ones."""
    return risks.order_by("-status", "-score_value", "review_on", "pk")
