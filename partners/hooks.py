"""Where apps above partners plug into a partner's page and standing.

Partners never imports the apps above it (commissioning, monitoring). An app
that has something to say about a partner registers here from its
AppConfig.ready:

- a *section* of the partner's page (its commissions, its reports): a
  template and a source, `source(access, partner) -> dict` for that
  template, which reads only what the person may see (the app's own
  selectors, scoped to the hub and the role) in a constant number of queries;
- a *track record*: `count(partner) -> int`, its completed partnerships,
  which the policy's "after a first completed partnership" asks;
- *commitments*: `live(partner) -> list[str]`, what still ties the hub to it
  (a live partnership), in words; a partner with any cannot be made former.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    source: Callable[[Any, Any], dict]
    position: int = 50


_sections: dict[str, Section] = {}
_track_records: list[Callable[[Any], int]] = []
_commitments: list[Callable[[Any], list[str]]] = []


def add_section(section: Section) -> None:
    _sections[section.key] = section


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.position, s.key))


def add_track_record(count: Callable[[Any], int]) -> None:
    if count not in _track_records:
        _track_records.append(count)


def completed_partnerships(partner: Any) -> int:
    return sum(count(partner) for count in _track_records)


def add_commitments(live: Callable[[Any], list[str]]) -> None:
    if live not in _commitments:
        _commitments.append(live)


def commitments(partner: Any) -> list[str]:
    return [said for live in _commitments for said in live(partner)]
