"""What a variation changes, shown as the versions page shows two versions:
section by section, line by line, with the term, the funding and the KPIs
as sections of their own. Read from the version it changes, so a variation
signed long ago still shows what it changed."""

from __future__ import annotations

from decimal import Decimal

from agreements.models import AgreementVersion, Variation
from agreements.selectors import SectionChange, _diff
from agreements.variation_kpis import RETIRE, line_words


def _money(grant: Decimal, capital: Decimal) -> str:
    return f"Hub grant: £{grant:,.2f}\nRevenue: £{grant - capital:,.2f}\nCapital: £{capital:,.2f}"


def variation_changes(variation: Variation) -> list[SectionChange]:
    """Only what changes (a section the variation leaves alone is not listed)."""
    agreement = variation.agreement
    base = AgreementVersion.objects.filter(
        agreement=agreement, number=variation.from_version
    ).first()
    sections = base.sections if base is not None else agreement.sections
    details = base.details if base is not None else {}
    changes = []
    for section in sections:
        if section["key"] in variation.sections:
            changes.append(
                _diff(section["title"], section["body"], variation.sections[section["key"]])
            )
    if variation.changes_term:
        old = f"Starts: {details.get('Starts', '')}\nEnds: {details.get('Ends', '')}"
        starts = variation.starts_on or agreement.starts_on
        ends = variation.ends_on or agreement.ends_on
        new = f"Starts: {starts:%-d %B %Y}\nEnds: {ends:%-d %B %Y}"
        changes.append(_diff("Term", old, new))
    if variation.changes_funding:
        changes.append(
            _diff(
                "Funding",
                _money(variation.grant_before, variation.capital_before),
                _money(variation.hub_grant_amount, variation.hub_grant_capital),
            )
        )
    if variation.kpi_plan or variation.kpi_changes:
        changes.append(_diff("KPIs", *_kpi_sides(variation)))
    return changes


def _kpi_sides(variation: Variation) -> tuple[str, str]:
    """The KPIs the variation touches, before and after: a retired one is
    only removed, an added one only added; the free-text note follows."""
    old, new = [], []
    for item in variation.kpi_plan:
        if "before" in item:
            old.append(line_words(item["before"]))
        if "after" in item and item["action"] != RETIRE:
            new.append(line_words(item["after"]))
    if variation.kpi_changes:
        new.append(variation.kpi_changes)
    return "\n".join(old), "\n".join(new)
