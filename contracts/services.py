"""Contract management's writes: KPIs agreed with a draft agreement, the
partner's values against them in a report, the officer's ratings of each
period, and the risk register. Each is one transaction on a row locked for
update, asking its gate (contracts/rules.py) on the locked row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from agreements.models import Agreement, AgreementVersion
from agreements.services.drafts import _details
from commissioning.models import Commission
from contracts.measures import measures_of
from contracts.models import Kpi, KpiRating, KpiReturn, Risk, RiskReview, RiskStatus
from contracts.notifications import tell_partner_rated
from contracts.rules import (
    kpi_add_refusal,
    kpi_rating_refusal,
    kpi_remove_refusal,
    kpi_return_refusal,
    risk_raise_refusal,
    risk_review_refusal,
)
from contracts.selectors import kpis_in_force
from hubs.refusals import Refusal, Refused, raise_first
from monitoring.models import Report
from monitoring.selectors import agreement_in_force

# ── KPIs, agreed with the agreement ─────────────────────────────────────────


def _locked_agreement(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("commission__hub", "commission__policy", "commission__service_area")
        .get(pk=agreement.pk)
    )


def kpi_add(
    *,
    agreement: Agreement,
    user: Any,
    measure: str,
    description: str,
    target: Decimal | None,
    frequency: str,
    unit: str | None = None,
) -> Kpi:
    """A KPI agreed with a draft agreement, for the partner to report against
    once it is signed; the unit is the measure's unless given."""
    with transaction.atomic():
        locked = _locked_agreement(agreement)
        measures = measures_of(locked.commission.hub)
        raise_first(
            kpi_add_refusal(
                agreement=locked,
                who=user,
                measures=measures,
                measure=measure,
                description=description,
                target=target,
                frequency=frequency,
            )
        )
        chosen = next(m for m in measures if m.key == measure)
        last = Kpi.objects.filter(commission_id=locked.commission_id).aggregate(n=Max("position"))
        kpi = Kpi.objects.create(
            hub_id=locked.hub_id,
            commission_id=locked.commission_id,
            agreement=locked,
            agreed_in_version=locked.version_number,
            measure=chosen.key,
            measure_label=chosen.label,
            description=description.strip(),
            target=target,
            unit=(chosen.unit if unit is None else unit).strip()[:40],
            frequency=frequency,
            position=(last["n"] or 0) + 1,
            created_by=user,
        )
        _restate(locked)
        return kpi


def kpi_remove(*, agreement: Agreement, kpi: Kpi, user: Any) -> Kpi | None:
    """Drop a KPI from a draft agreement. One added in this draft with nothing
    reported against it goes; any other is kept, with its values and ratings,
    as dropped by this agreement (from when it is signed)."""
    with transaction.atomic():
        locked = _locked_agreement(agreement)
        row = Kpi.objects.select_for_update().get(pk=kpi.pk)
        raise_first(kpi_remove_refusal(agreement=locked, kpi=row, who=user))
        used = row.returns.exists() or row.ratings.exists()
        if row.agreement_id == locked.pk and not used:
            row.delete()
            _restate(locked)
            return None
        row.retired_by = locked
        row.save(update_fields=["retired_by"])
        _restate(locked)
        return row


def _restate(agreement: Agreement) -> None:
    """The draft's current version states its schedule of KPIs as it now
    stands (the versions page, the PDF and the signed digest read it)."""
    AgreementVersion.objects.filter(agreement=agreement, number=agreement.version_number).update(
        details=_details(agreement)
    )


# ── the partner reports, the officer rates ──────────────────────────────────


def _locked_report(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("commission__hub", "commission__policy", "commission__service_area")
        .get(pk=report.pk)
    )


def kpi_returns_save(
    *, report: Report, user: Any, values: dict[int, tuple[Decimal | None, str]]
) -> list[KpiReturn]:
    """The partner's value (and a note) against each KPI in force, in one of
    its reports still with it; a KPI left blank has no value. Refused with
    every problem at once, each beside its KPI, and nothing saved."""
    with transaction.atomic():
        r = _locked_report(report)
        raise_first(kpi_return_refusal(report=r, who=user))
        kpis = {k.pk: k for k in kpis_in_force(r.commission)}
        problems = [
            refusal
            for pk, (value, _) in values.items()
            if pk in kpis
            and (refusal := kpi_return_refusal(report=r, who=user, kpi=kpis[pk], value=value))
        ]
        if problems:
            raise Refused(problems)
        KpiReturn.objects.filter(report=r, kpi_id__in=list(kpis)).delete()
        return KpiReturn.objects.bulk_create(
            KpiReturn(report=r, kpi_id=pk, value=value, note=note.strip()[:300], reported_by=user)
            for pk, (value, note) in values.items()
            if pk in kpis and value is not None
        )


def kpi_ratings_save(
    *, report: Report, user: Any, ratings: dict[int, tuple[str, str]]
) -> list[KpiRating]:
    """The officer's rating of each KPI for the period the report covers
    (a rating given again replaces the earlier one, with who and when)."""
    with transaction.atomic():
        r = _locked_report(report)
        raise_first(kpi_rating_refusal(report=r, who=user))
        kpis = {k.pk: k for k in kpis_in_force(r.commission)}
        kpis |= {k.pk: k for k in Kpi.objects.filter(returns__report=r)}
        problems = [
            refusal
            for pk, (rating, _) in ratings.items()
            if (refusal := _rating_problem(r, user, kpis.get(pk), rating, pk))
        ]
        if problems:
            raise Refused(problems)
        now = timezone.now()
        saved = []
        for pk, (rating, note) in ratings.items():
            row, _ = KpiRating.objects.update_or_create(
                kpi_id=pk,
                report=r,
                defaults={
                    "rating": rating,
                    "note": note.strip()[:300],
                    "rated_by": user,
                    "rated_at": now,
                },
            )
            saved.append(row)
        tell_partner_rated(r, saved)
        return saved


def _rating_problem(report: Report, user: Any, kpi: Kpi | None, rating: str, pk: int):
    """The rating's own gate, or the refusal of a KPI not of this partnership."""
    if kpi is None:
        return Refusal("kpi_mismatch", "That KPI is not of this partnership.")
    return kpi_rating_refusal(report=report, who=user, kpi=kpi, rating=rating)


# ── the risk register ───────────────────────────────────────────────────────


def risk_raise(
    *,
    commission: Commission,
    user: Any,
    title: str,
    likelihood: int | None,
    impact: int | None,
    owner: str,
    mitigation: str,
    review_on: date | None,
    description: str = "",
) -> Risk:
    """A risk on the commission's register; about the partnership in force
    once there is one."""
    with transaction.atomic():
        locked = (
            Commission.objects.select_for_update(of=("self",))
            .select_related("hub", "service_area")
            .get(pk=commission.pk)
        )
        raise_first(
            risk_raise_refusal(
                commission=locked,
                who=user,
                title=title,
                likelihood=likelihood,
                impact=impact,
                owner=owner,
                mitigation=mitigation,
                review_on=review_on,
            )
        )
        return Risk.objects.create(
            hub_id=locked.hub_id,
            commission=locked,
            agreement=agreement_in_force(locked),
            title=title.strip(),
            description=description.strip(),
            likelihood=likelihood,
            impact=impact,
            owner=owner.strip(),
            mitigation=mitigation.strip(),
            review_on=review_on,
            raised_by=user,
        )


def risk_review(
    *,
    risk: Risk,
    user: Any,
    note: str,
    likelihood: int | None,
    impact: int | None,
    review_on: date | None = None,
    close: bool = False,
    report: Report | None = None,
    mitigation: str = "",
) -> RiskReview:
    """A review of an open risk: the likelihood and impact now, the next
    review date (or closed), optionally with the report it was reviewed with."""
    with transaction.atomic():
        r = (
            Risk.objects.select_for_update(of=("self",))
            .select_related("commission__hub", "commission__service_area")
            .get(pk=risk.pk)
        )
        raise_first(
            risk_review_refusal(
                risk=r,
                who=user,
                note=note,
                likelihood=likelihood,
                impact=impact,
                review_on=review_on,
                close=close,
                report=report,
            )
        )
        now = timezone.now()
        review = RiskReview.objects.create(
            risk=r,
            report=report,
            note=note.strip(),
            likelihood=likelihood,
            impact=impact,
            review_on=None if close else review_on,
            closed=close,
            reviewed_by=user,
            reviewed_at=now,
        )
        r.likelihood, r.impact = likelihood, impact
        if mitigation.strip():
            r.mitigation = mitigation.strip()
        if close:
            r.status, r.closed_at = RiskStatus.CLOSED, now
        else:
            r.review_on = review_on
        r.save()
    risk.refresh_from_db()
    return review
