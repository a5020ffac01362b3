"""Which reports a partnership owes, read off the hub's policy.

The schedules are a list on the policy version the commission runs under
(monitoring/report_schedules.py), so a new hub configures them and writes no
code. The five published policies' schedules, as rows:

- Hertfordshire, BLMK: a progress report every three months;
- Kent & Medway: a review against the contract's KPIs every quarter;
- Leicestershire: a survey at the end of each school term (autumn, spring, summer);
- the consortium hub: a performance report for the board every six months;

and every partnership ends with a final evaluation (with participant data,
case studies and recommendations) 28 days after delivery ends. A schedule
may be for one partnership type, and may ask for a partnership review every
N months where agreements have no term (so no annual review). Nothing here
writes: services.schedule_create saves the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hubs.models import HubPolicy
from monitoring.models import ReportKind
from monitoring.report_schedules import Schedule, schedule_for


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


def plan(
    policy: HubPolicy, starts_on: date, ends_on: date, partnership_type: str = ""
) -> list[Planned]:
    """The reports due between `starts_on` and `ends_on`, then the final evaluation."""
    schedule = schedule_for(policy, partnership_type)
    if schedule.every_months:
        planned = _every(schedule.report_kind, schedule.every_months, starts_on, ends_on)
    else:
        planned = _termly(schedule, starts_on, ends_on)
    has_term = policy.agreement_term_is_academic_year or bool(policy.agreement_term_months)
    if schedule.review_every_months and not has_term:
        every = schedule.review_every_months
        planned += _every(ReportKind.PARTNERSHIP_REVIEW, every, starts_on, ends_on)
    planned.sort(key=lambda p: p.due_on)
    final = ends_on + timedelta(days=schedule.final_after_days)
    planned.append(Planned(ReportKind.FINAL_EVALUATION, "Final evaluation", final))
    return planned


def _every(kind: str, months: int, starts_on: date, ends_on: date) -> list[Planned]:
    planned, number, due = [], 1, add_months(starts_on, months)
    while due < ends_on:
        planned.append(Planned(kind, f"{ReportKind(kind).label} {number}", due))
        number += 1
        due = add_months(starts_on, months * number)
    return planned


def _termly(schedule: Schedule, starts_on: date, ends_on: date) -> list[Planned]:
    planned = []
    label = ReportKind(schedule.report_kind).label.removeprefix("Termly ")
    label = label[0].lower() + label[1:]
    for year in range(starts_on.year, ends_on.year + 1):
        for term in schedule.terms:
            due = date(year, term.month, term.day)
            if starts_on < due <= ends_on:
                school_year = year if term.month >= 9 else year - 1
                title = f"{term.name} term {label} {school_year}/{str(school_year + 1)[-2:]}"
                planned.append(Planned(schedule.report_kind, title, due))
    return planned
