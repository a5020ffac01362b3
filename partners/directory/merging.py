"""Folding a duplicate partner record into the one kept.

Every record that points at a partner (contacts' memberships, proposals,
commissions, questions, joint bids, meetings, notes, specialisms, whatever a
later app adds) is found from the models themselves, so a new kind of record
moves without a change here. A record the kept partner already has in the
same form (the same person as its contact, the same specialism) is dropped
from the duplicate; any other that would clash with a unique rule (two
expressions of interest for one commission) stops the merge, in words
(partners.rules.merge_refusal).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, UniqueConstraint

from hubs.models import Membership
from partners.models import PartnerOrganisation


@dataclass(frozen=True)
class Link:
    model: type[Model]
    field: str  # the name of its foreign key to the partner

    @property
    def droppable(self) -> bool:
        """A copy of a row the kept partner has is only a duplicate: a
        many-to-many row, a person's role for the organisation, or the same
        contact person."""
        from partners.directory.models import ContactPerson

        return self.model._meta.auto_created or self.model in (Membership, ContactPerson)

    @property
    def words(self) -> str:
        return str(self.model._meta.verbose_name_plural)


def links() -> Iterator[Link]:
    for rel in PartnerOrganisation._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one):
            yield Link(rel.related_model, rel.field.name)


def _unique_sets(link: Link) -> Iterator[tuple[list[str], Q]]:
    """The other fields of each unique rule the partner's key takes part in,
    and the rows the rule holds for."""
    meta = link.model._meta
    for names in meta.unique_together:
        if link.field in names:
            yield [n for n in names if n != link.field], Q()
    for constraint in meta.constraints:
        if isinstance(constraint, UniqueConstraint) and link.field in (constraint.fields or ()):
            others = [n for n in constraint.fields if n != link.field]
            yield others, constraint.condition or Q()
    if meta.get_field(link.field).unique:
        yield [], Q()


def _colliding(link: Link, kept: Any, duplicate: Any) -> tuple[set[int], list[str]]:
    """The duplicate's rows that the kept partner already has, and the
    fields they clash on."""
    rows, fields = set(), []
    manager = link.model._base_manager
    for others, holds in _unique_sets(link):
        mine = manager.filter(holds, **{link.field: kept})
        theirs = manager.filter(holds, **{link.field: duplicate})
        if not others:
            if mine.exists():
                rows |= set(theirs.values_list("pk", flat=True))
            continue
        have = set(mine.values_list(*others))
        for pk, *values in theirs.values_list("pk", *others):
            if tuple(values) in have:
                rows.add(pk)
                fields.extend(others)
    return rows, fields


def clashes(kept: Any, duplicate: Any) -> str:
    """What, of the duplicate's, could not move to the kept record (in
    words), or "" when everything can."""
    for link in links():
        if link.droppable:
            continue
        rows, fields = _colliding(link, kept, duplicate)
        if rows:
            names = sorted({f.replace("_", " ") for f in fields})
            return f"{link.words} for the same {' and '.join(names)}"
    return ""


def move_everything(kept: Any, duplicate: Any) -> tuple[dict[str, int], set[int]]:
    """Point every record of the duplicate at the kept partner; returns the
    count moved by kind and the people whose roles changed."""
    moved: dict[str, int] = {}
    people: set[int] = set()
    for link in links():
        manager = link.model._base_manager
        theirs = manager.filter(**{link.field: duplicate})
        if link.model is Membership:
            people |= set(theirs.values_list("user_id", flat=True))
        if link.droppable:
            rows, _ = _colliding(link, kept, duplicate)
            if rows:
                manager.filter(pk__in=rows).delete()
        count = theirs.update(**{link.field: kept})
        if count:
            moved[link.words] = moved.get(link.words, 0) + count
    return moved, people
