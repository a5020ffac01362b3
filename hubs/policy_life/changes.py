"""What changed between two versions of a policy: its settings and its
decision routes, in words. Read by the policy record (oversight) and by a
draft's pages, which show what the draft changes from the version in force."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hubs.routes import route_words, routes_of

# Bookkeeping and the version's own life, not policy: never listed as a change.
NOT_POLICY = {
    "id",
    "hub",
    "version",
    "created_at",
    "status",
    "effective_from",
    "proposed_by",
    "opened_at",
    "comment_closes_on",
    "consultation_closes_on",
}


@dataclass(frozen=True)
class Change:
    setting: str
    before: str
    after: str


def _shown(policy: Any, field) -> str:
    value = getattr(policy, field.attname)
    if field.choices:
        return str(getattr(policy, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value in (None, ""):
        return "—"
    if hasattr(value, "strftime"):
        return f"{value:%-d %B %Y}"
    return str(value)


def changes_between(older: Any, newer: Any) -> list[Change]:
    changes = []
    for field in type(newer)._meta.concrete_fields:
        if field.name in NOT_POLICY:
            continue
        before, after = _shown(older, field), _shown(newer, field)
        if before != after:
            changes.append(Change(str(field.verbose_name).capitalize(), before, after))
    return changes


def route_changes(older: Any, newer: Any) -> list[Change]:
    before = [route_words(r) for r in routes_of(older)]
    after = [route_words(r) for r in routes_of(newer)]
    if before == after:
        return []
    return [Change("Who comments and decides", " ".join(before), " ".join(after))]


def changes_between_versions(older: Any, newer: Any) -> list[Change]:
    """Settings, then routes (approvals are bookkeeping of the life, not of
    the policy's content, so 'approved by' and its date are left out)."""
    said = [
        c for c in changes_between(older, newer) if c.setting not in ("Approved by", "Approved on")
    ]
    return said + route_changes(older, newer)


def settings_of(policy: Any) -> list[tuple[str, str]]:
    """Every setting of a version in words, for a draft's public page."""
    return [
        (str(field.verbose_name).capitalize(), _shown(policy, field))
        for field in type(policy)._meta.concrete_fields
        if field.name not in NOT_POLICY | {"approved_by", "approved_on"}
    ]
