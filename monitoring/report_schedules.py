"""Report schedules, as a list on each policy version.

A schedule says which reports a partnership owes: for one partnership type
(or, with no type, for every type the policy has no schedule of its own
for), either a report every N months or one per term, due on the hub's own
term dates; how many days after the agreement ends its final evaluation is
due; and, where the policy gives agreements no term (so they have no annual
review), a partnership review every N months.

`HubPolicy.reporting_cadence` only starts a hub's first schedule (and is what
a policy made by a script, with no rows, reads): once a policy has rows,
they are the schedule, and a new version copies them. The models are
imported into monitoring.models, so Django registers them there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from hubs.models import ReportingCadence
from monitoring.models import ReportKind

STANDARD_LAG_DAYS = 28
STANDARD_TERMS = [("Autumn", 19, 12), ("Spring", 2, 4), ("Summer", 22, 7)]
# What each cadence meant while it was fixed in code: (months, report kind);
# none for termly surveys, which follow the terms.
CADENCE_MONTHS = {
    ReportingCadence.PROGRESS_REPORTS: (3, ReportKind.PROGRESS),
    ReportingCadence.KPI_REVIEWS: (3, ReportKind.KPI_REVIEW),
    ReportingCadence.BOARD_MONITORING: (6, ReportKind.PERFORMANCE),
    ReportingCadence.TERMLY_SURVEYS: (None, ReportKind.TERMLY_SURVEY),
}
REGULAR_KINDS = [
    (k.value, k.label)
    for k in ReportKind
    if k not in (ReportKind.AD_HOC, ReportKind.FINAL_EVALUATION, ReportKind.PARTNERSHIP_REVIEW)
]


class ReportSchedule(models.Model):
    policy = models.ForeignKey(
        "hubs.HubPolicy", on_delete=models.CASCADE, related_name="report_schedules"
    )
    partnership_type = models.CharField(
        max_length=20,
        blank=True,
        help_text="The key of one of the policy's partnership types, for example strategic. "
        "Leave blank for the schedule every other type follows.",
    )
    report_kind = models.CharField(
        "what the regular reports are",
        max_length=20,
        choices=REGULAR_KINDS,
        default=ReportKind.PROGRESS,
    )
    every_months = models.PositiveSmallIntegerField(
        "a report every (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="For example 3 for a report each quarter. Leave blank for one report per "
        "term, on the term dates below.",
    )
    final_evaluation_after_days = models.PositiveSmallIntegerField(
        "final evaluation due (days after the agreement ends)",
        default=STANDARD_LAG_DAYS,
        validators=[MaxValueValidator(365)],
    )
    review_every_months = models.PositiveSmallIntegerField(
        "partnership review every (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text="Where agreements have no fixed term (so no annual review), a review of "
        "the partnership falls due this often. Leave blank for none.",
    )

    class Meta:
        ordering = ["policy", "partnership_type", "pk"]
        verbose_name = "report schedule"
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "partnership_type"], name="one_report_schedule_per_type"
            )
        ]

    def __str__(self) -> str:
        return schedule_words(self)

    @property
    def kind_label(self) -> str:
        return ReportKind(self.report_kind).label


class ScheduleTerm(models.Model):
    """One term of a per-term schedule: its name and the day its report is due."""

    schedule = models.ForeignKey(ReportSchedule, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=60, help_text="For example Autumn.")
    due_day = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    due_month = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="The month as a number: 12 for December.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["schedule", "position", "pk"]
        verbose_name = "term"

    def __str__(self) -> str:
        return f"{self.name} ({date(2023, self.due_month, self.due_day):%-d %B})"

    def clean(self) -> None:
        try:  # a year without 29 February: the day must come every year
            date(2023, self.due_month or 1, self.due_day or 1)
        except ValueError:
            raise ValidationError(
                {"due_day": "That day is not in that month every year; choose another."}
            ) from None


# ── what the plan reads ──────────────────────────────────────────────────────


@dataclass(frozen=True)
class Term:
    name: str
    day: int
    month: int


@dataclass(frozen=True)
class Schedule:
    """A schedule as the planner reads it, from rows or from the cadence."""

    partnership_type: str
    report_kind: str
    every_months: int | None
    final_after_days: int
    review_every_months: int | None
    terms: tuple[Term, ...] = field(default=())


def _from_cadence(policy: Any) -> Schedule:
    months, kind = CADENCE_MONTHS.get(
        policy.reporting_cadence, CADENCE_MONTHS[ReportingCadence.PROGRESS_REPORTS]
    )
    terms = () if months else tuple(Term(*t) for t in STANDARD_TERMS)
    return Schedule("", kind, months, STANDARD_LAG_DAYS, None, terms)


def _from_row(row: ReportSchedule, terms: list[ScheduleTerm]) -> Schedule:
    return Schedule(
        row.partnership_type,
        row.report_kind,
        row.every_months,
        row.final_evaluation_after_days,
        row.review_every_months,
        tuple(Term(t.name, t.due_day, t.due_month) for t in terms),
    )


def schedules_load(policies: list[Any]) -> None:
    """Read the schedules of several policies at once (two queries for all)."""
    by_policy: dict[int, list[Schedule]] = {p.pk: [] for p in policies}
    rows = ReportSchedule.objects.filter(policy_id__in=list(by_policy)).prefetch_related("terms")
    for row in rows:
        by_policy[row.policy_id].append(_from_row(row, list(row.terms.all())))
    for policy in policies:
        policy._schedules_cache = by_policy[policy.pk] or [_from_cadence(policy)]


def schedules_of(policy: Any) -> list[Schedule]:
    if getattr(policy, "_schedules_cache", None) is None:
        schedules_load([policy])
    return policy._schedules_cache


def schedule_for(policy: Any, partnership_type: str = "") -> Schedule:
    """The type's own schedule, else the one for every type, else the first."""
    schedules = schedules_of(policy)
    by_type = {s.partnership_type: s for s in schedules}
    return by_type.get(partnership_type) or by_type.get("") or schedules[0]


# ── writing ─────────────────────────────────────────────────────────────────


def schedules_start(policy: Any) -> None:
    """A hub's first policy: one schedule, from the cadence it was made with
    (the only use of reporting_cadence once a policy has rows)."""
    s = _from_cadence(policy)
    row = ReportSchedule.objects.create(
        policy=policy,
        report_kind=s.report_kind,
        every_months=s.every_months,
        final_evaluation_after_days=s.final_after_days,
    )
    ScheduleTerm.objects.bulk_create(
        ScheduleTerm(schedule=row, name=t.name, due_day=t.day, due_month=t.month, position=n)
        for n, t in enumerate(s.terms)
    )
    policy._schedules_cache = None


def schedule_save(row: ReportSchedule) -> None:
    """Save a schedule to its policy's list. A policy still reading its
    cadence first gets that as a row of its own (for every type), so adding a
    schedule for one type leaves the others as they were."""
    if row.partnership_type and not ReportSchedule.objects.filter(policy=row.policy).exists():
        schedules_start(row.policy)
    row.save()
    row.policy._schedules_cache = None


def schedules_copy(*, source_id: int, target: Any) -> None:
    """A new version starts with the schedules of the one it revises."""
    for row in ReportSchedule.objects.filter(policy_id=source_id).prefetch_related("terms"):
        terms = list(row.terms.all())
        row.pk, row.policy = None, target
        row.save()
        for term in terms:
            term.pk, term.schedule = None, row
        ScheduleTerm.objects.bulk_create(terms)
    target._schedules_cache = None


# ── in words ────────────────────────────────────────────────────────────────


def _every(months: int) -> str:
    return "every month" if months == 1 else f"every {months} months"


def _said(s: Schedule) -> str:
    kind = ReportKind(s.report_kind).label
    kind = kind[0].lower() + kind[1:]
    if s.every_months:
        regular = f"a {kind} {_every(s.every_months)}"
    else:
        dates = ", ".join(f"{t.name} by {date(2023, t.month, t.day):%-d %B}" for t in s.terms)
        regular = f"a {kind} each term ({dates or 'no terms set yet'})"
    text = f"{regular}; the final evaluation {s.final_after_days} days after the agreement ends"
    if s.review_every_months:
        text += (
            f"; a partnership review {_every(s.review_every_months)} where the agreement "
            "has no fixed term"
        )
    return text + "."


def schedule_words(row: ReportSchedule) -> str:
    s = _from_row(row, list(row.terms.all()) if row.pk else [])
    who = f"{row.partnership_type} partnerships" if row.partnership_type else "All partnerships"
    return f"{who}: {_said(s)}"


def schedules_words(policy: Any) -> list[str]:
    """The policy's schedules in short plain lines, for the policy page:
    'Every partnership: a progress report every 3 months; ...', then
    'Strategic partners: ...' for a type with its own."""
    schedules = schedules_of(policy)
    typed = any(s.partnership_type for s in schedules)
    lines = []
    for s in schedules:
        if s.partnership_type:
            who = f"{type_name(policy, s.partnership_type)}s"
        else:
            who = "Every partnership" + (" without a schedule of its type" if typed else "")
        lines.append(f"{who}: {_said(s)}")
    return lines


def schedule_said(policy: Any, partnership_type: str = "") -> str:
    """The schedule one partnership follows, in a sentence: 'A progress
    report every 3 months; the final evaluation 28 days after ...'."""
    said = _said(schedule_for(policy, partnership_type))
    return said[0].upper() + said[1:]


def type_name(policy: Any, key: str) -> str:
    from partners.types import type_label  # partners sits below monitoring

    return type_label(policy, key)
