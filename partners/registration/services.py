"""Registering an organisation with a hub, by the person who will be its
contact. One transaction: the partner's record (saved through
partners.services.partner_save, which asks its type's gate), the person's
role as its contact (hubs.services.membership_grant, the one place that
grants), and a notice to the hub's HLO staff that a new organisation has
registered. A person may speak for several organisations, in several hubs:
each registration is one more.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from hubs.models import Hub, Membership, Role
from hubs.refusals import Refused
from hubs.services import membership_grant
from notices.services import notify
from partners.models import PartnerOrganisation
from partners.registration.rules import (
    normalise_profile,
    organisation_registration_refusals,
)
from partners.services import partner_save
from partners.types import current_policy, types_of

User = get_user_model()


def _first_type(hub: Hub) -> str:
    policy = current_policy(hub.pk)
    types = types_of(policy) if policy is not None else []
    keys = [t.key for t in types]
    return "delivery" if "delivery" in keys or not keys else keys[0]


def _raise_refusals(hub: Hub, user: Any, profile: dict[str, Any]) -> None:
    found = organisation_registration_refusals(hub=hub, user=user, profile=profile)
    if found:
        raise Refused(found)


@transaction.atomic
def organisation_register(
    *, hub: Hub, user: Any, profile: dict[str, Any], contact_title: str = ""
) -> PartnerOrganisation:
    """`user` registers an organisation (or themself, as an individual
    practitioner) with `hub`, and becomes its contact."""
    _raise_refusals(hub, user, profile)
    fields = normalise_profile(profile)
    partner = PartnerOrganisation(
        hub=hub,
        partnership_type=_first_type(hub),
        is_existing_partner=False,
        registered_by=user,
        registered_at=timezone.now(),
        **fields,
    )
    try:
        with transaction.atomic():
            partner_save(partner=partner)
    except IntegrityError:  # the same name or number, registered a moment ago
        _raise_refusals(hub, user, profile)
        raise
    membership_grant(
        hub=hub,
        user=user,
        role=Role.PARTNER_CONTACT,
        partner=partner,
        title=contact_title.strip()[:200],
    )
    staff = User.objects.filter(
        memberships__hub=hub, memberships__role=Role.HLO_STAFF, is_active=True
    ).distinct()
    who = user.get_full_name() or user.email
    notify(
        hub=hub,
        recipients=list(staff),
        kind="partner_registered",
        subject=f"New organisation: {partner.name} registered with {hub.name}",
        body=f"{who} registered {partner.name} ({partner.get_organisation_type_display()}) "
        f"and is its contact. It is not yet an official Hub partner.",
        dedupe_key=f"partner_registered:{partner.pk}",
    )
    return partner


def organisations_of(user: Any, *, hub: Hub | None = None) -> QuerySet[PartnerOrganisation]:
    """The organisations `user` speaks for (in `hub`, or in every hub)."""
    spoken = Membership.objects.filter(user=user, role=Role.PARTNER_CONTACT)
    if hub is not None:
        spoken = spoken.filter(hub=hub)
    return PartnerOrganisation.objects.filter(pk__in=spoken.values("partner_id")).select_related(
        "hub"
    )


def profile_of(partner: PartnerOrganisation) -> dict[str, Any]:
    """An organisation's profile, to start its registration with another hub."""
    from partners.registration.rules import PROFILE

    return {name: getattr(partner, name) for name in PROFILE}
