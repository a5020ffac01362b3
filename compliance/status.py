"""Where a record stands, in words, and a partner's records kind by kind (the
summary on the partner directory and the records page). Certificate numbers
are shown whole only to HLO staff; everyone else reads them masked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from compliance.kinds import Kind, kind_of, kinds_of
from compliance.models import ComplianceRecord

EXPIRING_DAYS = 30
MASK = "Recorded (shown to HLO staff only)"


@dataclass(frozen=True)
class Standing:
    key: str  # verified, expiring, lapsed, waiting, missing
    words: str
    lapses_on: date | None = None


def record_standing(record: ComplianceRecord, today: date | None = None) -> Standing:
    today = today or timezone.localdate()
    lapses = record.lapses_on
    if not record.is_verified:
        return Standing("waiting", "Waiting to be verified by HLO staff", lapses)
    if lapses is not None and lapses < today:
        verb = "Review was due" if record.review_on == lapses else "Expired"
        return Standing("lapsed", verb, lapses)
    if record.valid_from > today:
        return Standing("waiting", "Verified; not yet in force", lapses)
    if lapses is not None and (lapses - today).days <= EXPIRING_DAYS:
        return Standing("expiring", "Verified; expires soon", lapses)
    return Standing("verified", "Verified", lapses)


def certificate_shown(record: ComplianceRecord, staff: bool) -> str:
    if not record.certificate_number:
        return ""
    return record.certificate_number if staff else MASK


@dataclass(frozen=True)
class KindLine:
    kind: Kind
    record: ComplianceRecord | None
    standing: Standing


RANK = {"verified": 0, "expiring": 1, "waiting": 2, "lapsed": 3}


def partner_summary(hub: Any, records: list[ComplianceRecord]) -> list[KindLine]:
    """For each kind the hub knows, the partner's best record and its standing
    (a verified one in force before one waiting, before one lapsed)."""
    today = timezone.localdate()
    lines = []
    kinds = kinds_of(hub)
    held = {r.kind for r in records}
    for key in [*kinds, *sorted(held - set(kinds))]:
        mine = [(record_standing(r, today), r) for r in records if r.kind == key]
        if not mine:
            lines.append(KindLine(kind_of(hub, key), None, Standing("missing", "No record")))
            continue
        standing, record = min(mine, key=lambda pair: RANK[pair[0].key])
        lines.append(KindLine(kind_of(hub, key), record, standing))
    return lines
