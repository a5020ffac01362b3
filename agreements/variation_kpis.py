"""A variation's changes to the KPIs, as structured changes: add a KPI,
change a KPI's target or frequency, retire a KPI.

Agreements sits below contracts (which keeps the KPIs), so contracts hands
this module a `KpiBook` in its AppConfig.ready(): the KPIs an agreement
states now and the measures and frequencies a hub offers. The gate here
(`kpi_changes_refusal`, asked by rules_variations.change_refusal) judges the
changes against that book; the proposal keeps them, with what each KPI was,
as the variation's `kpi_plan`, so its difference reads the same long after.
Contracts applies the plan when the variation is signed (a follower).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from hubs.refusals import Refusal

ADD, CHANGE, RETIRE = "add", "change", "retire"
DESCRIPTION_MAX = 300


@dataclass(frozen=True)
class KpiLine:
    """One KPI as the agreement states it."""

    pk: int
    measure: str  # the measure's label
    description: str
    target: Decimal
    unit: str
    frequency: str  # its key
    frequency_label: str

    @property
    def target_words(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.target.normalize():f}{unit}"

    @property
    def words(self) -> str:
        return f"{self.measure}: {self.description}; target {self.target_words}; " + (
            self.frequency_label.lower()
        )


@dataclass
class KpiChange:
    """One change as typed: `kpi` names the KPI changed or retired; an added
    one gives its measure (a key), description, target and frequency."""

    action: str
    kpi: int | None = None
    measure: str = ""
    description: str = ""
    target: Decimal | None = None
    frequency: str = ""


class KpiBook(Protocol):
    def lines(self, agreement: Any) -> list[KpiLine]: ...

    def measures(self, hub: Any) -> list[tuple[str, str, str]]: ...  # key, label, unit

    def frequencies(self) -> list[tuple[str, str]]: ...


_book: list[KpiBook] = []


def use_book(book: KpiBook) -> None:
    _book[:] = [book]


def book() -> KpiBook | None:
    return _book[0] if _book else None


def lines_of(agreement: Any) -> list[KpiLine]:
    """The KPIs the agreement states now (read once per agreement object)."""
    cache = agreement.__dict__
    if "_kpi_lines" not in cache:
        b = book()
        cache["_kpi_lines"] = b.lines(agreement) if b is not None else []
    return cache["_kpi_lines"]


def kpi_changes_refusal(agreement: Any, changes: list[KpiChange]) -> Refusal | None:
    """Each change beside its own field: `kpi_<pk>_target`, `kpi_new_measure`."""
    b = book()
    if changes and b is None:
        return Refusal("no_kpis", "KPIs are not kept for this hub.")
    lines = {line.pk: line for line in lines_of(agreement)}
    frequencies = {key for key, _ in b.frequencies()} if b else set()
    seen: set[int] = set()
    for change in changes:
        if change.action == ADD:
            refusal = _added(agreement, change, b, frequencies)
        elif change.action in (CHANGE, RETIRE):
            line = lines.get(change.kpi)
            if line is None or change.kpi in seen:
                return Refusal("kpi_mismatch", "Change only the KPIs this agreement states, once.")
            seen.add(line.pk)
            refusal = _changed(line, change, frequencies) if change.action == CHANGE else None
        else:
            refusal = Refusal("kpi_action", "Add, change or retire a KPI.")
        if refusal is not None:
            return refusal
    return None


def _added(agreement: Any, change: KpiChange, b: KpiBook, frequencies: set) -> Refusal | None:
    keys = {key for key, _, _ in b.measures(agreement.commission.hub)}
    if change.measure not in keys:
        return Refusal(
            "measure_unknown", "Choose a measure from the hub's list.", "kpi_new_measure"
        )
    description = change.description.strip()
    if not description:
        return Refusal(
            "description_required",
            "Say what the new KPI measures, e.g. 'Players rating sessions good or better'.",
            "kpi_new_description",
        )
    if len(description) > DESCRIPTION_MAX:
        return Refusal(
            "description_too_long",
            f"Say what is measured in up to {DESCRIPTION_MAX} characters.",
            "kpi_new_description",
        )
    if change.target is None or change.target < 0:
        return Refusal(
            "target_required", "Give the new KPI's target, a number of 0 or more.", "kpi_new_target"
        )
    if change.frequency not in frequencies:
        return Refusal(
            "frequency_required", "Say how often the new KPI is measured.", "kpi_new_frequency"
        )
    return None


def _changed(line: KpiLine, change: KpiChange, frequencies: set) -> Refusal | None:
    if change.target is None or change.target < 0:
        return Refusal(
            "target_required",
            f"Give the target of '{line.description}', a number of 0 or more.",
            f"kpi_{line.pk}_target",
        )
    if change.frequency not in frequencies:
        return Refusal(
            "frequency_required",
            f"Say how often '{line.description}' is measured.",
            f"kpi_{line.pk}_frequency",
        )
    if (change.target, change.frequency) == (line.target, line.frequency):
        return Refusal(
            "kpi_unchanged",
            f"'{line.description}' keeps its target and frequency: change one, or leave it.",
            f"kpi_{line.pk}_target",
        )
    return None


def plan_of(agreement: Any, changes: list[KpiChange]) -> list[dict]:
    """The changes as the variation keeps them (JSON), each with the KPI as
    it was and as it will be."""
    b = book()
    lines = {line.pk: line for line in lines_of(agreement)}
    labels = dict(b.frequencies()) if b else {}
    measures = {key: (label, unit) for key, label, unit in b.measures(agreement.commission.hub)}
    plan = []
    for change in changes:
        before = lines.get(change.kpi)
        item: dict[str, Any] = {"action": change.action, "kpi": change.kpi}
        if before is not None:
            item["before"] = _as_json(before)
        if change.action == ADD:
            label, unit = measures[change.measure]
            item["after"] = {
                "measure_key": change.measure,
                "measure": label,
                "description": change.description.strip(),
                "target": str(change.target),
                "unit": unit,
                "frequency": change.frequency,
                "frequency_label": labels.get(change.frequency, change.frequency),
            }
        elif change.action == CHANGE:
            item["after"] = {
                **item["before"],
                "target": str(change.target),
                "frequency": change.frequency,
                "frequency_label": labels.get(change.frequency, change.frequency),
            }
        plan.append(item)
    return plan


def _as_json(line: KpiLine) -> dict[str, str]:
    return {
        "measure": line.measure,
        "description": line.description,
        "target": str(line.target),
        "unit": line.unit,
        "frequency": line.frequency,
        "frequency_label": line.frequency_label,
    }


def line_words(side: dict) -> str:
    """A KPI of a plan (its `before` or `after`) in the words of the schedule."""
    try:
        target = Decimal(side["target"])
    except (InvalidOperation, KeyError):
        target = Decimal(0)
    return KpiLine(
        0,
        side.get("measure", ""),
        side.get("description", ""),
        target,
        side.get("unit", ""),
        side.get("frequency", ""),
        side.get("frequency_label", ""),
    ).words
