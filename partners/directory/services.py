"""Writes of the partner directory. Each asks its rule (partners/rules.py),
on the partner's row locked for update, and saves in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from hubs import standing_cache
from hubs.refusals import raise_first
from partners.directory.merging import move_everything
from partners.directory.models import PartnerMerge, PartnerNote
from partners.models import PartnerOrganisation
from partners.rules import (
    former_refusal,
    merge_refusal,
    note_refusal,
    official_refusal,
    partner_add_refusal,
)
from partners.types import current_policy


def _locked(partner: PartnerOrganisation) -> PartnerOrganisation:
    return (
        PartnerOrganisation.objects.select_for_update(of=("self",))
        .select_related("hub")
        .get(pk=partner.pk)
    )


@transaction.atomic
def partner_add(
    *, access: Any, partner: PartnerOrganisation, specialisms=()
) -> PartnerOrganisation:
    """A new organisation in the hub's directory (not yet an official partner)."""
    partner.hub = access.hub
    partner.name = partner.name.strip()
    partner.is_existing_partner = False
    raise_first(partner_add_refusal(access=access, partner=partner))
    partner.save()
    partner.specialisms.set(specialisms)
    return partner


@transaction.atomic
def partner_mark_official(*, access: Any, partner: PartnerOrganisation) -> PartnerOrganisation:
    """An official Hub partner, the way the hub's policy says one becomes one.
    A former partner made official again is no longer former."""
    locked = _locked(partner)
    raise_first(
        official_refusal(access=access, partner=locked, policy=current_policy(locked.hub_id))
    )
    locked.is_existing_partner = True
    locked.former_on, locked.former_reason = None, ""
    locked.save(update_fields=["is_existing_partner", "former_on", "former_reason"])
    return locked


@transaction.atomic
def partner_mark_former(
    *, access: Any, partner: PartnerOrganisation, reason: str
) -> PartnerOrganisation:
    """The hub no longer works with it: from today, with why. It is no
    longer approached first as an official partner."""
    locked = _locked(partner)
    raise_first(former_refusal(access=access, partner=locked, reason=reason))
    locked.former_on, locked.former_reason = timezone.localdate(), reason.strip()
    locked.is_existing_partner = False
    locked.save(update_fields=["former_on", "former_reason", "is_existing_partner"])
    return locked


@transaction.atomic
def partner_note_add(*, access: Any, partner: PartnerOrganisation, text: str) -> PartnerNote:
    raise_first(note_refusal(access=access, partner=partner, text=text))
    return PartnerNote.objects.create(
        hub=access.hub, partner=partner, text=text.strip(), written_by=access.user
    )


@transaction.atomic
def partner_merge(
    *,
    access: Any,
    kept: PartnerOrganisation,
    duplicate: PartnerOrganisation | None,
    reason: str = "",
) -> PartnerMerge:
    """Fold `duplicate` into `kept`: every record of it moves, in this one
    transaction, both rows locked (in id order, so two merges never wait on
    each other); the duplicate is deleted and the merge recorded."""
    wanted = [kept.pk] + ([duplicate.pk] if duplicate is not None else [])
    locked = PartnerOrganisation.objects.select_for_update(of=("self",)).filter(pk__in=wanted)
    rows = {p.pk: p for p in locked.order_by("pk")}
    kept = rows.get(kept.pk, kept)
    duplicate = rows.get(duplicate.pk) if duplicate is not None else None
    raise_first(merge_refusal(access=access, kept=kept, duplicate=duplicate))
    moved, people = move_everything(kept, duplicate)
    # The kept record keeps the stronger standing of the two.
    kept.is_existing_partner = kept.is_existing_partner or duplicate.is_existing_partner
    meetings = [d for d in (kept.introductory_meeting_on, duplicate.introductory_meeting_on) if d]
    kept.introductory_meeting_on = min(meetings) if meetings else None
    if kept.is_existing_partner:
        kept.former_on, kept.former_reason = None, ""
    for name in ("charity_number", "company_number", "org_id"):
        if not getattr(kept, name):
            setattr(kept, name, getattr(duplicate, name))
    record = PartnerMerge(
        hub=access.hub,
        kept=kept,
        merged_name=duplicate.name,
        merged_partner_id=duplicate.pk,
        merged_by=access.user,
        reason=reason.strip(),
        moved=moved,
    )
    duplicate.delete()  # its identifiers are free for the kept record now
    kept.save()
    record.save()
    # Each contact's next request reads the organisations they speak for again.
    standing_cache.renew([standing_cache.standing(pk) for pk in people])
    return record
