"""Which reports a partnership owes, read off the hub's policy.

The cadence is the policy's `reporting_cadence` (the version the commission
runs under), so a new hub configures it and writes no code:

- progress (Hertfordshire, BLMK): a progress report every three months;
- kpi (Kent & Medway): a review against the contract's KPIs every quarter;
- termly (Leicestershire): a survey at the end of each school term;
- board (the consortium hub): a performance report for the board every six months;

and every partnership ends with a final evaluation (with participant data,
case studies and recommendations) a few weeks after delivery ends. Nothing
here writes: services.schedule_create saves the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hubs.models import HubPolicy, ReportingCadence
from monitoring.models import ReportKind

FINAL_EVALUATION_AFTER_DAYS = 28
# When each term's survey is due: (month, day, term name).
TERM_SURVEYS = [(12, 19, "Autumn"), (4, 2, "Spring"), (7, 22, "Summer")]
EVERY_MONTHS = {
    ReportingCadence.PROGRESS_REPORTS: (3, ReportKind.PROGRESS),
    ReportingCadence.KPI_REVIEWS: (3, ReportKind.KPI_REVIEW),
    ReportingCadence.BOARD_MONITORING: (6, ReportKind.PERFORMANCE),
}


@dataclass(frozen=True)
class Planned:
    kind: str
    title: str
    due_on: date


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def period_end(policy: HubPolicy, starts_on: date) -> date:
    """When an agreement starting on `starts_on` ends, by the policy's term."""
    if policy.agreement_term_is_academic_year:
        end = date(starts_on.year, 7, 31)
        return end if end > starts_on else date(starts_on.year + 1, 7, 31)
    return add_months(starts_on, policy.agreement_term_months or 12) - timedelta(days=1)


def plan(policy: HubPolicy, starts_on: date, ends_on: date) -> list[Planned]:
    """The reports due between `starts_on` and `ends_on`, then the final evaluation."""
    planned: list[Planned] = []
    if policy.reporting_cadence == ReportingCadence.TERMLY_SURVEYS:
        for year in range(starts_on.year, ends_on.year + 1):
            for month, day, term in TERM_SURVEYS:
                due = date(year, month, day)
                if starts_on < due <= ends_on:
                    school_year = year if month >= 9 else year - 1
                    label = f"{term} term survey {school_year}/{str(school_year + 1)[-2:]}"
                    planned.append(Planned(ReportKind.TERMLY_SURVEY, label, due))
        planned.sort(key=lambda p: p.due_on)
    else:
        months, kind = EVERY_MONTHS.get(
            policy.reporting_cadence, EVERY_MONTHS[ReportingCadence.PROGRESS_REPORTS]
        )
        number, due = 1, add_months(starts_on, months)
        while due < ends_on:
            planned.append(Planned(kind, f"{ReportKind(kind).label} {number}", due))
            number += 1
            due = add_months(starts_on, months * number)
    final = ends_on + timedelta(days=FINAL_EVALUATION_AFTER_DAYS)
    planned.append(Planned(ReportKind.FINAL_EVALUATION, "Final evaluation", final))
    return planned
