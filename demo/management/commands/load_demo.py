"""Load the five demo hubs with people in every role and commissions in every
stage their policies use. Idempotent: a second run changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from commissioning import services as cs
from commissioning.models import Commission, DecommissionGrounds, Need, Route, TransitionLog
from demo import agreements_demo, monitoring_demo, notices_demo, oversight_demo
from demo.calls_demo import demo_calls
from demo.data import DEMO_PASSWORD, DEMO_TOTP_LOGINS, DEMO_TOTP_SECRET, HUBS
from hubs.models import (
    BoardComment,
    Criterion,
    Hub,
    HubPolicy,
    Role,
    ServiceArea,
    ServiceCategory,
)
from hubs.services import membership_grant
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


class Command(BaseCommand):
    help = "Load the five demo hubs (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print nothing on success.")

    def handle(self, *args, quiet: bool = False, **options):
        all_logins: list[tuple[str, str, str]] = []
        with transaction.atomic():
            superuser = _user("admin@hubcommission.demo", "Site", "Administrator")
            if not superuser.is_superuser:
                superuser.is_superuser = superuser.is_staff = True
                superuser.save(update_fields=["is_superuser", "is_staff"])
            all_logins.append(("All hubs", "Site administrator", superuser.email))
            for spec in HUBS:
                cast = build_hub(spec)
                if not Commission.objects.filter(hub=cast.hub).exists():
                    Pipeline(cast).run()
                oversight_demo.load(cast)
                monitoring_demo.load(cast)
                all_logins += [(cast.hub.name, role, email) for role, email in cast.logins]
            notices_demo.load()
        if not quiet:
            self._print_logins(all_logins)

    def _print_logins(self, logins: list[tuple[str, str, str]]) -> None:
        self.stdout.write(self.style.SUCCESS("Demo loaded: five hubs."))
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        self.stdout.write("Approvers and hub admins also need a code: python manage.py demo_code")
        current = None
        for hub, role, email in logins:
            if hub != current:
                self.stdout.write(f"\n  {hub}")
                current = hub
            self.stdout.write(f"    {role:<34} {email}")


# ── the hub, its policy, people and partners ─────────────────────────────
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
        policy = HubPolicy(hub=hub, version=1, **spec["policy"])
        policy.full_clean()
        policy.save()
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


class Pipeline:
    """Walks commissions through the real services, one per stage the hub's
    policy uses, so every stage has an example with a genuine history."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.hub = cast.hub
        self.policy = cast.hub.policies.order_by("-version").first()
        self.counter = 0

    # which partner, route and proposal each hub uses
    def _plan(self) -> dict[str, Any]:
        plans: dict[str, dict[str, Any]] = {
            "herts": {"route": Route.EXISTING_PARTNER, "partner": "soundwaves"},
            "kent": {"route": Route.EXISTING_PARTNER, "partner": "medway"},
            "blmk": {
                "route": Route.EXISTING_PARTNER,
                "partner": "lutonms",
                "area": "Luton",
                "declaration": "Luton Music Service is a consortium "
                "member; its bid followed Luton Borough Council's commissioning policy "
                "and the Luton lead declared the interest.",
            },
            "leics": {
                "route": Route.OPEN_CALL,
                "partner": "leicjazz",
                "rival": "bhangra",
                "match": Decimal("0.6"),
            },
            "consortium": {
                "route": Route.OPEN_CALL,
                "partner": "countyms",
                "rival": "mtech",
                "match": Decimal("0.3"),
                "declaration": "County Music Service is the HLO; it bid through the "
                "open call like any other organisation.",
            },
        }
        plan = dict(plans[self.hub.slug])
        for key in ("partner", "rival"):
            if key in plan:
                plan[key] = self.cast.partners[plan[key]]
        return plan

    def _officer(self) -> Any:
        plan = self._plan()
        if "area" in plan:
            return self.cast.leads[plan["area"]]
        return self.cast.officer

    def _open(self, title: str) -> Commission:
        self.counter += 1
        plan = self._plan()
        area = ServiceArea.objects.get(hub=self.hub, name=plan["area"]) if "area" in plan else None
        need = self._need(area)
        category = self.hub.service_categories.order_by("position").first()
        return cs.commission_open(
            need=need,
            user=self._officer(),
            title=title,
            description=f"Demo commission {self.counter} for {self.hub.name}.",
            service_area=area,
            service_category=category,
            hub_grant_amount=Decimal(5000 * self.counter),
        )

    def _need(self, area: ServiceArea | None) -> Need:
        need = Need.objects.filter(hub=self.hub).first()
        if need is not None:
            return need
        analysis = cs.needs_analysis_create(
            hub=self.hub,
            user=self.cast.officer,
            cycle="2025/26",
            title="Annual needs analysis",
            summary="Consultation with schools, young people, parents, community "
            "organisations, Arts Council England and the DfE.",
            stakeholders_consulted=[
                "schools",
                "young_people",
                "parents",
                "community",
                "ace",
                "dfe",
            ],
            completed_on=date(2025, 7, 1),
        )
        return cs.need_add(
            analysis=analysis,
            title="Too few inclusive ensembles for young people with SEND",
            description="Schools report few chances for pupils with SEND to play together.",
            priority=Need.Priority.HIGH,
            service_area=area,
            targets=[
                {
                    "description": "Young people with SEND in weekly inclusive ensembles",
                    "measure": "participants enrolled",
                    "baseline": Decimal(40),
                    "target_value": Decimal(120),
                    "due_on": date(2026, 7, 31),
                }
            ],
        )

    # single steps
    def identify(self, c: Commission) -> None:
        plan = self._plan()
        cs.commission_begin_identification(
            commission=c,
            user=self._officer(),
            route=plan["route"],
            reason="" if plan["route"] != Route.OPEN_CALL else "No existing partner fits.",
        )

    def award(self, c: Commission) -> TransitionLog:
        plan = self._plan()
        proposal = None
        if plan["route"] == Route.OPEN_CALL:
            for partner, share in (
                (plan["partner"], plan["match"]),
                (plan["rival"], Decimal("0.1")),
            ):
                total = Decimal(20000)
                other = (total * share).quantize(Decimal(1))
                submitted = cs.proposal_submit(
                    commission=c,
                    partner=partner,
                    summary=f"{partner.name}'s proposal",
                    total_cost=total,
                    hub_grant_requested=total - other,
                    other_funding=other,
                )
                proposal = proposal or submitted
        log = cs.commission_award(
            commission=c,
            user=self._officer(),
            partner=plan["partner"],
            proposal=proposal,
            conflict_declaration=plan.get("declaration", ""),
        )
        agreements_demo.draft(self.cast, c, self._officer())
        return log

    def to_approval(self, c: Commission) -> None:
        if self.policy.board_comment_on_drafts == BoardComment.SKIPPED:
            cs.commission_submit_for_approval(commission=c, user=self._officer())
            return
        cs.commission_send_to_board(commission=c, user=self._officer())
        self._window_passed(c)
        cs.commission_close_board_comment(commission=c, user=self._officer())

    def approve(self, c: Commission) -> None:
        cs.commission_approve(commission=c, user=self.cast.approver)

    def sign(self, c: Commission) -> TransitionLog:
        # The partner signs the agreement and the HLO countersigns (agreements).
        agreements_demo.sign(self.cast, c)
        return TransitionLog.objects.filter(commission=c, action="sign").latest("pk")

    def recommend(self, c: Commission) -> TransitionLog:
        return cs.commission_recommend_decommission(
            commission=c,
            user=self._officer(),
            grounds=DecommissionGrounds.OBJECTIVES_MET,
            reason="Objectives met; the programme now runs without Hub funding.",
        )

    def to_decision(self, c: Commission) -> None:
        if self.policy.board_comment_on_decommission == BoardComment.SKIPPED:
            cs.commission_submit_decommission_for_decision(commission=c, user=self._officer())
            return
        cs.commission_send_decommission_to_board(commission=c, user=self._officer())
        self._window_passed(c)
        cs.commission_close_decommission_comment(commission=c, user=self._officer())

    def decide(self, c: Commission) -> TransitionLog:
        decider = self.cast.chair if self.policy.decommission_decided_by == "chair" else None
        return cs.commission_approve_decommission(
            commission=c,
            user=decider or self.cast.approver,
            reason="Agreed: a positive decommissioning.",
        )

    def _window_passed(self, c: Commission) -> None:
        # The demo stands in for the two weeks the board would have had.
        Commission.objects.filter(pk=c.pk).update(
            board_comment_closes_at=timezone.now() - timedelta(minutes=1)
        )
        c.refresh_from_db()

    def run(self) -> None:
        drafted = [self.identify, self.award]
        approval = [*drafted, self.to_approval]
        signed = [*approval, self.approve, self.sign]
        recommended = [*signed, self.recommend]
        decided = [*recommended, self.to_decision, self.decide]
        steps: list[tuple[str, list[Callable[[Commission], None]]]] = [
            ("Need identified", []),
            ("Identifying a partner", [self.identify]),
            ("Drafting the agreement", drafted),
            ("Returned to draft", [*approval, self._return]),
            ("Awaiting approval", approval),
            ("Approved, awaiting signature", [*approval, self.approve]),
            ("Signed by the partner", [*approval, self.approve, self._partner_signs]),
            ("Signed and active", [*signed, self._pay_first_instalment, self._renew]),
            ("Completed", [*signed, self._complete]),
            ("Decommissioning recommended", recommended),
            ("Decommissioning awaiting decision", [*recommended, self.to_decision]),
            ("Decommissioning approved", decided),
            ("Decommissioned", [*decided, self._end]),
            ("Withdrawn", [self.identify, self._withdraw]),
        ]
        if self.policy.board_comment_on_drafts != BoardComment.SKIPPED:
            steps.append(
                ("With the board for comment", [*drafted, self._to_board, self._board_comment])
            )
        if self.policy.board_comment_on_decommission != BoardComment.SKIPPED:
            steps.append(
                ("Decommissioning with the board", [*recommended, self._decommission_to_board])
            )
        if self.policy.immediate_termination_on_safeguarding:
            steps.append(("Terminated for safeguarding", [*signed, self._terminate]))
        for title, actions in steps:
            c = self._open(f"{title}: inclusive ensembles")
            for action in actions:
                action(c)
        demo_calls(self)

    def _return(self, c: Commission) -> None:
        cs.commission_return_to_draft(
            commission=c,
            user=self.cast.approver,
            reason="Add the payment schedule and the safeguarding lead's name.",
        )

    def _to_board(self, c: Commission) -> None:
        cs.commission_send_to_board(commission=c, user=self._officer())

    def _board_comment(self, c: Commission) -> None:
        agreements_demo.comment(self.cast, c)

    def _partner_signs(self, c: Commission) -> None:
        agreements_demo.partner_signs(self.cast, c)

    def _pay_first_instalment(self, c: Commission) -> None:
        agreements_demo.pay_first_instalment(self.cast, c)

    def _renew(self, c: Commission) -> None:
        agreements_demo.renew(self.cast, c, self._officer())

    def _decommission_to_board(self, c: Commission) -> None:
        cs.commission_send_decommission_to_board(commission=c, user=self._officer())

    def _complete(self, c: Commission) -> None:
        cs.commission_complete(
            commission=c, user=self._officer(), reason="Final evaluation accepted."
        )

    def _end(self, c: Commission) -> None:
        cs.commission_end_partnership(
            commission=c, user=self._officer(), reason="Final payment made; partnership ended."
        )

    def _withdraw(self, c: Commission) -> None:
        cs.commission_withdraw(
            commission=c,
            user=self._officer(),
            reason="The need is now met by a school partnership.",
        )

    def _terminate(self, c: Commission) -> None:
        cs.commission_terminate_immediately(
            commission=c,
            user=self.cast.chair or self.cast.approver,
            reason="Safeguarding breach reported on 3 March; the chair ended the "
            "partnership at once.",
        )
