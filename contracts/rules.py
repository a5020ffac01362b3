"""Contract management's gates: one `<thing>_refusal(...)` per write, each
returning the first refusal (a hubs.refusals.Refusal, beside its field) or
None. The services raise what they return; the pages ask the same function
to decide what to offer (`offering=True` leaves out the rules that judge
what a person types). Nothing here writes.

`who` is the person, or the HubAccess a page already holds.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from agreements.models import Agreement
from agreements.rules import draft_refusal
from commissioning.models import Commission
from commissioning.policy import officer_refusal
from commissioning.workflow import FINISHED
from contracts.measures import Measure
from contracts.models import Frequency, Kpi, Rating, Risk, RiskStatus
from hubs.refusals import Refusal, first
from monitoring.models import Report, ReportStatus
from monitoring.rules import checker_of, required, user_of
from monitoring.rules.reports import report_write_refusal

DESCRIPTION_MAX = Kpi._meta.get_field("description").max_length
TITLE_MAX = Risk._meta.get_field("title").max_length
# A report's KPIs are rated once the partner has sent it in.
RATEABLE = [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]


def _draft(agreement: Agreement, who: Any) -> Refusal | None:
    refusal = draft_refusal(agreement, user_of(who), checker_of(who))
    if refusal is not None and refusal.rule == "not_a_draft":
        return Refusal(
            "not_a_draft",
            f"This agreement is '{agreement.get_status_display()}': KPIs are agreed while it "
            "is a draft. Change them in the next agreement (a renewal or a variation).",
        )
    return refusal


# ── KPIs, agreed with the agreement ─────────────────────────────────────────


def kpi_add_refusal(
    *,
    agreement: Agreement,
    who: Any,
    measures: list[Measure] | None = None,
    measure: str = "",
    description: str = "",
    target: Decimal | None = None,
    frequency: str = "",
    offering: bool = False,
) -> Refusal | None:
    """Adding a KPI to a draft agreement: whoever runs the commission."""
    refusal = _draft(agreement, who)
    if refusal is not None or offering:
        return refusal
    keys = {m.key for m in measures or []}
    if measure not in keys:
        return Refusal("measure_unknown", "Choose a measure from the hub's list.", "measure")
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        return Refusal(
            "description_too_long",
            f"Say what is measured in up to {DESCRIPTION_MAX} characters.",
            "description",
        )
    if target is None or target < 0:
        return Refusal("target_required", "Give the target, a number of 0 or more.", "target")
    if frequency not in Frequency.values:
        return Refusal("frequency_required", "Say how often it is measured.", "frequency")
    return required(
        description,
        "description_required",
        "Say what is measured, e.g. 'Players rating sessions good or better'.",
        "description",
    )


def kpi_remove_refusal(*, agreement: Agreement, kpi: Kpi, who: Any) -> Refusal | None:
    """Dropping a KPI from a draft agreement (a KPI agreed in an earlier
    agreement is kept with its ratings, marked as dropped by this one)."""
    refusal = _draft(agreement, who)
    if refusal is not None:
        return refusal
    if kpi.commission_id != agreement.commission_id:
        return Refusal("kpi_mismatch", "That KPI is not of this partnership.")
    if kpi.retired_by_id is not None:
        return Refusal("kpi_dropped", "This KPI has already been dropped.")
    return None


# ── the partner reports, the officer rates ──────────────────────────────────


def kpi_return_refusal(
    *,
    report: Report,
    who: Any,
    kpi: Kpi | None = None,
    value: Decimal | None = None,
    offering: bool = False,
) -> Refusal | None:
    """A value against a KPI in a report: the partner's contacts, while the
    report is with them (monitoring's own writing gate)."""
    refusal = report_write_refusal(report=report, who=who)
    if refusal is not None or offering or kpi is None:
        return refusal
    if kpi.commission_id != report.commission_id:
        return Refusal("kpi_mismatch", "That KPI is not of this partnership.")
    if value is not None and value < 0:
        return Refusal("value_negative", "Give a number of 0 or more.", f"value_{kpi.pk}")
    return None


def asked_of(report: Report, kpi: Kpi) -> bool:
    """A KPI agreed after a report went in (a variation's new or changed
    KPI) was not asked of it: the report keeps the KPIs it was measured
    against, unless it comes back to the partner to be sent again."""
    if report.submitted_at is None or report.status == ReportStatus.RETURNED:
        return True
    return kpi.created_at <= report.submitted_at


def kpi_rating_refusal(
    *,
    report: Report,
    who: Any,
    kpi: Kpi | None = None,
    rating: str | None = None,
    offering: bool = False,
) -> Refusal | None:
    """Rating a KPI for the period a report covers: whoever runs the
    commission, once the partner has submitted the report."""
    refusal = officer_refusal(who, report.commission, "rate KPIs")
    if refusal is None and report.status not in RATEABLE:
        refusal = Refusal(
            "report_not_in",
            f"This report is '{report.get_status_display()}': KPIs are rated once the partner "
            "has submitted it.",
        )
    if refusal is not None or offering or kpi is None:
        return refusal
    if kpi.commission_id != report.commission_id:
        return Refusal("kpi_mismatch", "That KPI is not of this partnership.")
    if not asked_of(report, kpi):
        return Refusal(
            "kpi_after_report",
            "This KPI was agreed after the report was sent: it is rated from the next report.",
            f"rating_{kpi.pk}",
        )
    if rating not in Rating.values:
        return Refusal(
            "rating_required",
            "Rate it: good, approaching target, requires improvement or inadequate.",
            f"rating_{kpi.pk}",
        )
    return None


# ── the risk register ───────────────────────────────────────────────────────


def _score(value: int | None, field: str, what: str) -> Refusal | None:
    if value is None or not 1 <= value <= 5:
        return Refusal(f"{field}_required", f"Give the {what} from 1 (lowest) to 5.", field)
    return None


def _review_date(review_on: date | None) -> Refusal | None:
    if review_on is None or review_on < timezone.localdate():
        return Refusal("review_on_future", "Give the next review date, from today on.", "review_on")
    return None


def risk_raise_refusal(
    *,
    commission: Commission,
    who: Any,
    title: str = "",
    likelihood: int | None = None,
    impact: int | None = None,
    owner: str = "",
    mitigation: str = "",
    review_on: date | None = None,
    offering: bool = False,
) -> Refusal | None:
    """Recording a risk on a commission: whoever runs it, until it ends."""
    refusal = officer_refusal(who, commission, "record a risk")
    if refusal is None and commission.status in FINISHED:
        refusal = Refusal(
            "commission_ended",
            f"This commission is '{commission.stage.label}': its risk register is closed.",
        )
    if refusal is not None or offering:
        return refusal
    if len((title or "").strip()) > TITLE_MAX:
        return Refusal("title_too_long", f"Name the risk in up to {TITLE_MAX} characters.", "title")
    return first(
        required(title, "title_required", "Say what the risk is.", "title"),
        _score(likelihood, "likelihood", "likelihood"),
        _score(impact, "impact", "impact"),
        required(owner, "owner_required", "Say who manages this risk.", "owner"),
        required(mitigation, "mitigation_required", "Say how it is being reduced.", "mitigation"),
        _review_date(review_on),
    )


def risk_review_refusal(
    *,
    risk: Risk,
    who: Any,
    note: str = "",
    likelihood: int | None = None,
    impact: int | None = None,
    review_on: date | None = None,
    close: bool = False,
    report: Report | None = None,
    offering: bool = False,
) -> Refusal | None:
    """Reviewing an open risk (and closing it): whoever runs the commission."""
    refusal = officer_refusal(who, risk.commission, "review a risk")
    if refusal is None and risk.status != RiskStatus.OPEN:
        refusal = Refusal("risk_closed", "This risk is closed; record a new one if it returns.")
    if refusal is not None or offering:
        return refusal
    if report is not None and report.commission_id != risk.commission_id:
        return Refusal("report_mismatch", "That report is not of this commission.", "report")
    return first(
        required(note, "note_required", "Say what the review found.", "note"),
        _score(likelihood, "likelihood", "likelihood"),
        _score(impact, "impact", "impact"),
        None if close else _review_date(review_on),
    )


def kpi_values_missing(report: Report) -> list[Refusal]:
    """Registered with monitoring's checks before a report goes in: a value
    for each KPI in force (two queries, only for a report being submitted)."""
    from contracts.selectors import kpis_in_force

    kpis = list(kpis_in_force(report.commission))
    if not kpis:
        return []
    given = set(report.kpi_returns.values_list("kpi_id", flat=True))
    missing = [k.measure_label for k in kpis if k.pk not in given]
    if not missing:
        return []
    return [
        Refusal(
            "kpi_values_required",
            f"Give a value for each KPI before you submit: {', '.join(missing)} "
            "(on this report's KPI page).",
            "kpis",
        )
    ]
