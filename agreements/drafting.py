"""The standard contents of a partnership agreement, and its term.

The sections follow Hertfordshire's minimum contents, which the other four
policies also cover. A hub may keep its own wording per type of partnership
(an AgreementTemplate row, edited in the admin); without one these are used.
A strategic partnership (Leicestershire's second type) is about shared
priorities and influence rather than delivered activity, so its wording
differs where that matters.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from string import Formatter

from agreements.variation_kpis import KpiLine, book
from hubs.refusals import Refusal
from partners.models import PartnershipType
from partners.types import type_choices, types_of

# (key, title) in the order they appear. "payments" and "signatories" are
# followed by the schedule and the signature blocks, drawn from their rows.
SECTION_TITLES: list[tuple[str, str]] = [
    ("scope", "Scope and purpose"),
    ("activities", "Activities and timeline"),
    ("funding", "Funding: the Hub grant and match funding"),
    ("monitoring", "Monitoring and evaluation"),
    ("safeguarding", "Safeguarding, equality, diversity and inclusion, and data protection"),
    ("sustainability", "Environmental and financial sustainability"),
    ("payments", "Payment schedule"),
    ("signatories", "Signatories"),
]
SECTION_KEYS = [key for key, _ in SECTION_TITLES]

DELIVERY_BODIES = {
    "scope": (
        "{partner} will deliver this work for {hub} as a delivery partner:\n\n{scope}\n\n"
        "It meets a need identified in the Hub's needs analysis: {need}."
    ),
    "activities": (
        "The activities, who they reach and when they happen, term by term, from {starts} "
        "to {ends}. Each activity names its venue, the number of children and young people "
        "expected and the staff who lead it."
    ),
    "funding": (
        "The Hub grant for this agreement is £{grant}. {partner} brings match funding of "
        "£{match} from other sources, in cash or in kind, as set out in its proposal."
    ),
    "monitoring": (
        "{partner} reports on progress as the Hub's monitoring schedule sets out, with "
        "participation data, evidence of progression and a final evaluation against the "
        "SMART targets agreed for the need."
    ),
    "safeguarding": (
        "{partner} keeps a safeguarding policy reviewed every year, a named designated "
        "safeguarding lead, enhanced DBS checks for everyone working with children, and "
        "reports any concern to the Hub within one working day. It promotes equality, "
        "diversity and inclusion in who takes part and who leads, and processes personal "
        "data under UK GDPR as a separate controller, sharing only what monitoring needs."
    ),
    "sustainability": (
        "{partner} plans how the work continues after Hub funding ends, reduces travel and "
        "waste where it can, and tells the Hub at once of any risk to its finances."
    ),
    "payments": (
        "The Hub grant is paid in the instalments below. Each is marked due on its date or "
        "milestone, approved by the Hub and then paid; the instalments add up to the grant."
    ),
    "signatories": (
        "This agreement is signed electronically for {partner} and for {hlo}, the Hub Lead "
        "Organisation. Each signature records the signatory's name, role, the time and the "
        "account used."
    ),
}

STRATEGIC_BODIES = {
    **DELIVERY_BODIES,
    "scope": (
        "{partner} joins {hub} as a strategic partner: it shapes the Hub's priorities, "
        "shares expertise and opens its networks to the Hub. The partnership covers:\n\n"
        "{scope}\n\nIt answers a need identified in the Hub's needs analysis: {need}."
    ),
    "activities": (
        "The shared priorities, the meetings and contributions {partner} commits to, and "
        "the milestones of joint work from {starts} to {ends}."
    ),
    "monitoring": (
        "The Hub and {partner} review the partnership's contribution to the shared "
        "priorities each term, and evaluate it at the end of the term of this agreement."
    ),
}

SELF_DELIVERY_NOTE = (
    " {partner} is the Hub Lead Organisation: a named colleague signs for it as the "
    "delivery partner, and a different person signs for the Hub Lead Organisation."
)


def agreement_type_choices(policy, current: str | None = None) -> list[tuple[str, str]]:
    """The policy's partnership types, and an agreement's own type should a
    later list have dropped it (it stays what it was until changed)."""
    choices = type_choices(policy)
    if current and current not in {key for key, _ in choices}:
        choices.append((current, current))
    return choices


def agreement_type_refusal(policy, key: str, current: str | None = None) -> Refusal | None:
    """An agreement's type is one its commission's policy lists (or the one
    it already has)."""
    if key == current or key in {t.key for t in types_of(policy)}:
        return None
    names = ", ".join(t.name for t in types_of(policy))
    return Refusal(
        "unknown_partnership_type",
        f"'{key}' is not one of this policy's partnership types. Choose one it lists: {names}.",
        "partnership_type",
    )


def standard_sections(partnership_type: str) -> list[dict]:
    bodies = STRATEGIC_BODIES if partnership_type == PartnershipType.STRATEGIC else DELIVERY_BODIES
    return [{"key": key, "title": title, "body": bodies[key]} for key, title in SECTION_TITLES]


def scope_of(commission) -> str:
    """What the agreement says the partner does: the commission's own
    description of the work, else its need's, else (for a commission opened
    with neither) its title; always a whole sentence. A hub's template may
    still use {title}, the commission's name."""
    for text in (commission.description, commission.need.description):
        text = (text or "").strip()
        if text:
            return text if text[-1] in ".!?" else f"{text}."
    return f"{commission.title}."


def fill(text: str, values: dict[str, str]) -> str:
    """Put the commission's details into a template's text. Unknown or broken
    placeholders are left as typed rather than failing."""
    try:
        names = {name for _, name, _, _ in Formatter().parse(text) if name}
    except ValueError:
        return text
    if not names <= values.keys():
        return text
    return text.format(**values)


# ── the term ─────────────────────────────────────────────────────────────────


def academic_year_of(day: date) -> tuple[date, date]:
    """The academic year (1 September to 31 August) a day falls in."""
    start_year = day.year if day.month >= 9 else day.year - 1
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_term(policy, starts_on: date) -> tuple[date, date]:
    """The term a hub's policy sets for an agreement starting on `starts_on`:
    one academic year (Leicestershire), a number of months, or twelve months
    when the policy leaves it to each agreement."""
    if policy.agreement_term_is_academic_year:
        return academic_year_of(starts_on)
    months = policy.agreement_term_months or 12
    return starts_on, add_months(starts_on, months) - timedelta(days=1)


# ── the schedule of KPIs ─────────────────────────────────────────────────────


def kpi_schedule(agreement) -> list[KpiLine]:
    """The KPIs the agreement states (measure, target, frequency), as agreed
    with its draft or as its latest variation left them: from contracts'
    book (agreements/variation_kpis.py); none without KPIs."""
    b = book()
    return b.lines(agreement) if b is not None else []


def kpi_schedule_details(agreement) -> dict[str, str]:
    """The schedule as a version's details keep it (so the versions page and
    the signed digest include it); nothing when the commission has no KPIs."""
    lines = kpi_schedule(agreement)
    if not lines:
        return {}
    return {"Schedule of KPIs": "\n".join(f"{n}. {k.words}" for n, k in enumerate(lines, 1))}
