"""Contracts' side of a variation's KPI changes (agreements/variation_kpis.py).

`KpiBook` tells agreements which KPIs an agreement states and what a hub
offers; `kpis_follow_variation` (a variation follower, connected in
ContractsConfig.ready) applies the signed variation's plan inside its
transaction: an added KPI is agreed in the new version; a changed target or
frequency retires the KPI and agrees its replacement, so the ratings given
against the old target stay with it; a retired KPI keeps its values and
ratings, dropped from the new version on.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Max

from agreements.variation_kpis import ADD, CHANGE, RETIRE, KpiLine
from contracts.measures import measures_of
from contracts.models import Frequency, Kpi
from contracts.selectors import kpis_of_agreement


class KpiBook:
    def lines(self, agreement: Any) -> list[KpiLine]:
        return [
            KpiLine(
                k.pk,
                k.measure_label,
                k.description,
                k.target,
                k.unit,
                k.frequency,
                k.get_frequency_display(),
            )
            for row in kpis_of_agreement(agreement)
            if row.state != "dropped"
            for k in [row.kpi]
        ]

    def measures(self, hub: Any) -> list[tuple[str, str, str]]:
        return [(m.key, m.label, m.unit) for m in measures_of(hub)]

    def frequencies(self) -> list[tuple[str, str]]:
        return list(Frequency.choices)


def kpis_follow_variation(variation: Any, agreement: Any) -> list[Kpi]:
    """The KPIs the variation agreed (added or replacing); none without a plan."""
    if not variation.kpi_plan:
        return []
    version = variation.to_version
    ids = [item["kpi"] for item in variation.kpi_plan if item.get("kpi")]
    old = {k.pk: k for k in Kpi.objects.select_for_update().filter(pk__in=ids)}
    last = Kpi.objects.filter(commission_id=agreement.commission_id).aggregate(n=Max("position"))
    position = last["n"] or 0
    made = []
    for item in variation.kpi_plan:
        kpi = old.get(item.get("kpi"))
        if item["action"] in (CHANGE, RETIRE):
            if kpi is None or kpi.retired_by_id is not None:
                continue  # dropped meanwhile (by a renewal's draft): nothing left to change
            kpi.retired_by, kpi.retired_in_version = agreement, version
            kpi.save(update_fields=["retired_by", "retired_in_version"])
        if item["action"] == RETIRE:
            continue
        after = item["after"]
        if item["action"] == ADD:
            position += 1
        made.append(
            Kpi.objects.create(
                hub_id=agreement.hub_id,
                commission_id=agreement.commission_id,
                agreement=agreement,
                agreed_in_version=version,
                measure=kpi.measure if kpi else after["measure_key"],
                measure_label=after["measure"],
                description=after["description"],
                target=Decimal(after["target"]),
                unit=after["unit"],
                frequency=after["frequency"],
                position=kpi.position if kpi else position,
                replaces=kpi,
                created_by_id=variation.proposed_by_id,
            )
        )
    return made
