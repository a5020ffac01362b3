"""Contract management's panels on pages of the apps below it: the
partnership's monitoring page, an agreement's page and a report's page.
Those templates load these tags, so agreements and monitoring import nothing
of contracts' (apps import downwards only). Each panel reads a fixed number
of queries, however many KPIs, reports or risks."""

from __future__ import annotations

from django import template
from django.db.models import F

from contracts.models import RiskStatus
from contracts.rules import kpi_add_refusal, risk_raise_refusal
from contracts.selectors import (
    high_risk_from,
    kpi_table,
    kpis_of_agreement,
    report_kpis,
    risks_visible,
)
from contracts.value import value_for_money

register = template.Library()


def _open_risks(access, commission):
    return list(
        risks_visible(access)
        .filter(commission=commission, status=RiskStatus.OPEN)
        .order_by(F("score_value").desc(), "review_on", "pk")
    )


@register.inclusion_tag("contracts/_partnership_panel.html")
def partnership_contract(commission, access) -> dict:
    internal = access.is_internal
    return {
        "hub": access.hub,
        "commission": commission,
        "table": kpi_table(commission),
        "value": value_for_money(commission),
        "internal": internal,
        "risks": _open_risks(access, commission) if internal else [],
        "high_from": high_risk_from(access.hub) if internal else None,
        "may_raise": internal
        and risk_raise_refusal(commission=commission, who=access, offering=True) is None,
    }


@register.inclusion_tag("contracts/_agreement_panel.html")
def agreement_kpis(agreement, access) -> dict:
    return {
        "hub": access.hub,
        "agreement": agreement,
        "commission": agreement.commission,
        "rows": kpis_of_agreement(agreement),
        "may_change": kpi_add_refusal(agreement=agreement, who=access, offering=True) is None,
    }


@register.inclusion_tag("contracts/_report_panel.html")
def report_contract(report, access) -> dict:
    internal = access.is_internal
    return {
        "hub": access.hub,
        "report": report,
        "table": report_kpis(report),
        "internal": internal,
        "risks": _open_risks(access, report.commission) if internal else [],
    }


@register.inclusion_tag("contracts/_report_form_prompt.html")
def report_kpi_prompt(report, hub) -> dict:
    """On the partner's report form: the KPIs it reports against, and where."""
    return {"hub": hub, "report": report, "table": report_kpis(report)}
