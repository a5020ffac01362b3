"""One demo hub: its policy, criteria and areas, people in every role, and
partners, granted through the service layer as a hub admin would."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from demo.data import DEMO_PASSWORD, DEMO_TOTP_LOGINS, DEMO_TOTP_SECRET
from hubs.grounds import standard_grounds
from hubs.models import (
    AdvisoryGroup,
    Criterion,
    Hub,
    HubPolicy,
    Role,
    ServiceArea,
    ServiceCategory,
)
from hubs.routes import OLD_SETTINGS, standard_routes
from hubs.services import POLICY_STARTERS, membership_grant
from partners.models import PartnerOrganisation, Specialism

User = get_user_model()


@dataclass
class Cast:
    hub: Hub
    officer: Any
    approver: Any
    admin: Any
    board: list[Any]
    chair: Any | None
    leads: dict[str, Any] = field(default_factory=dict)
    contacts: dict[int, Any] = field(default_factory=dict)
    partners: dict[str, PartnerOrganisation] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)


@lru_cache(maxsize=1)
def _demo_password_hash() -> str:
    # Hashing is slow by design; every demo account shares one password.
    return make_password(DEMO_PASSWORD)


def _user(email: str, first: str, last: str) -> Any:
    user, _ = User.objects.get_or_create(
        username=email,
        defaults={
            "email": email,
            "first_name": first,
            "last_name": last,
            "password": _demo_password_hash(),
        },
    )
    if email.startswith(DEMO_TOTP_LOGINS):
        # These roles must sign in with an authenticator app too (accounts.mfa).
        Authenticator.objects.get_or_create(
            user=user,
            type=Authenticator.Type.TOTP,
            defaults={"data": {"secret": encrypt(DEMO_TOTP_SECRET)}},
        )
    return user


def policy_from_spec(hub: Hub, said: dict) -> HubPolicy:
    """A demo policy: its settings, and who comments and decides written as
    its decision routes (hubs.routes.standard_routes)."""
    settings = dict(said)
    keys = (*OLD_SETTINGS, "non_renewal_decided_by")
    routes = {key: settings.pop(key) for key in keys if key in settings}
    policy = HubPolicy(hub=hub, version=1, **settings)
    policy.full_clean()
    policy.save()
    standard_routes(policy, **routes)
    standard_grounds(policy)
    # The other apps' lists (report schedules, partnership types, the score
    # scale, complaint hearers), started as a hub's first policy starts them.
    for start in POLICY_STARTERS:
        start(policy)
    return policy


def build_hub(spec: dict) -> Cast:
    """One demo hub: policy, criteria, areas, people in every role, partners."""
    slug = spec["slug"]
    hub, _ = Hub.objects.get_or_create(
        slug=slug,
        defaults={
            "name": spec["name"],
            "hlo_name": spec["hlo_name"],
            "area_description": spec["area_description"],
            "org_id": spec["org_id"],
        },
    )
    if not hub.policies.exists():
        policy_from_spec(hub, spec["policy"])
    for position, (name, weight) in enumerate(spec["criteria"]):
        Criterion.objects.get_or_create(
            hub=hub, name=name, defaults={"weight": weight, "position": position}
        )
    for position, name in enumerate(spec["categories"]):
        ServiceCategory.objects.get_or_create(hub=hub, name=name, defaults={"position": position})
    areas = {}
    for name, authority in spec["areas"]:
        areas[name], _ = ServiceArea.objects.get_or_create(
            hub=hub, name=name, defaults={"local_authority": authority}
        )

    def person(local: str, first: str, last: str, role: str, label: str, **kw) -> Any:
        user = _user(f"{local}@{slug}.demo", first, last)
        membership_grant(hub=hub, user=user, role=role, **kw)
        cast_logins.append((label, user.email))
        return user

    cast_logins: list[tuple[str, str]] = []
    is_chair_decider = spec["policy"].get("decommission_decided_by") == "chair"
    officer = person(
        "officer", "Olivia", "Officer", Role.HLO_STAFF, "HLO staff", title=spec["officer_title"]
    )
    approver = person(
        "approver",
        "Amir",
        "Approver",
        Role.APPROVER,
        f"Approver ({spec['policy']['approving_body']})",
    )
    board = [
        person("board1", "Bea", "Board", Role.BOARD_MEMBER, "Board member"),
        person("board2", "Bob", "Boardman", Role.BOARD_MEMBER, "Board member"),
    ]
    chair = None
    if is_chair_decider:
        chair = person(
            "chair",
            "Chidi",
            "Chair",
            Role.BOARD_MEMBER,
            "Chair (decides terminations)",
            is_chair=True,
            title="Chair of the Executive Board",
        )
    admin = person("hubadmin", "Ada", "Admin", Role.HUB_ADMIN, "Hub admin")
    leads = {}
    for name, area in areas.items():
        local = "lead-" + name.lower().replace(" ", "-")
        leads[name] = person(
            local,
            "Sam",
            f"Lead ({name})",
            Role.SERVICE_LEAD,
            f"Service lead, {name}",
            service_area=area,
        )
    cast = Cast(hub, officer, approver, admin, board, chair, leads, logins=cast_logins)
    # Named groups that advise where a decision route asks them (Kent's).
    people = {"board1": board[0], "board2": board[1], "approver": approver, "officer": officer}
    for name, members in spec.get("groups", []):
        group, _ = AdvisoryGroup.objects.get_or_create(hub=hub, name=name)
        group.members.add(*(people[m] for m in members))

    for p in spec["partners"]:
        p = dict(p)
        key = p.pop("key")
        specialisms = p.pop("specialisms", [])
        area = areas.get(p.pop("area", None))
        partner, created = PartnerOrganisation.objects.get_or_create(
            hub=hub, name=p.pop("name"), defaults={**p, "service_area": area}
        )
        if created:
            for name in specialisms:
                partner.specialisms.add(Specialism.objects.get_or_create(name=name)[0])
        cast.partners[key] = partner
        contact = _user(f"{key}@{slug}.demo", "Pat", f"Partner ({partner.name})")
        membership_grant(hub=hub, user=contact, role=Role.PARTNER_CONTACT, partner=partner)
        cast.contacts[partner.pk] = contact
    signing = spec["signing_partner"]
    cast_logins.append(
        (f"Partner contact ({cast.partners[signing].name})", f"{signing}@{slug}.demo")
    )
    return cast
