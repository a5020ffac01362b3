"""The measures a hub's KPIs choose from: its own list (KpiMeasure, in the
admin), else the standard one below. Participant satisfaction and learning
outcomes are always among the standard measures."""

from __future__ import annotations

from dataclasses import dataclass

from hubs.models import Hub


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str


STANDARD = [
    Measure("participants", "Children and young people taking part", "participants"),
    Measure("participant_satisfaction", "Participant satisfaction", "% satisfied"),
    Measure("learning_outcomes", "Learning outcomes achieved", "% of participants"),
    Measure("sessions", "Sessions delivered", "sessions"),
    Measure("schools", "Schools reached", "schools"),
    Measure("retention", "Participants continuing from last term", "%"),
    Measure("send", "Participants with special educational needs", "participants"),
    Measure("disadvantaged", "Participants eligible for pupil premium", "participants"),
]


def measures_of(hub: Hub) -> list[Measure]:
    """The hub's list, in its order: one query."""
    own = [Measure(m.key, m.label, m.unit) for m in hub.kpi_measures.all()]
    return own or list(STANDARD)


def measure_choices(measures: list[Measure]) -> list[tuple[str, str]]:
    return [(m.key, m.label) for m in measures]
