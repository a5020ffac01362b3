"""Every test's data comes from here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from commissioning.models import Commission, Need, NeedsAnalysis, Proposal, ProposalStatus
from hubs.models import Hub, HubPolicy, ServiceArea
from hubs.routes import OLD_SETTINGS, standard_routes
from partners.models import PartnerOrganisation


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}@example.org")
    email = factory.SelfAttribute("username")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("correct-horse-battery")


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub

    name = factory.Sequence(lambda n: f"Test Music Hub {n}")
    slug = factory.Sequence(lambda n: f"test-hub-{n}")
    hlo_name = "Test Music Service"


class HubPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HubPolicy

    hub = factory.SubFactory(HubFactory)
    version = 1
    approving_body = "Executive Leadership Team"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Who comments and decides is said in the old settings' words and
        written as the policy's decision routes (hubs.routes.standard_routes)."""
        said = {k: kwargs.pop(k) for k in (*OLD_SETTINGS, "non_renewal_decided_by") if k in kwargs}
        policy = super()._create(model_class, *args, **kwargs)
        standard_routes(policy, **said)
        return policy


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea

    hub = factory.SubFactory(HubFactory)
    name = factory.Sequence(lambda n: f"Area {n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    hub = factory.SubFactory(HubFactory)
    name = factory.Sequence(lambda n: f"Partner Organisation {n}")
    organisation_type = "charity"
    is_existing_partner = True


class NeedsAnalysisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedsAnalysis

    hub = factory.SubFactory(HubFactory)
    cycle = "2025/26"
    title = factory.Sequence(lambda n: f"Needs analysis {n}")
    created_by = factory.SubFactory(UserFactory)
    completed_on = date(2025, 7, 1)


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    analysis = factory.SubFactory(NeedsAnalysisFactory)
    hub = factory.SelfAttribute("analysis.hub")
    title = factory.Sequence(lambda n: f"Need {n}")


class CommissionFactory(factory.django.DjangoModelFactory):
    """A commission at the 'needs' stage; tests move it on through services."""

    class Meta:
        model = Commission

    need = factory.SubFactory(NeedFactory)
    hub = factory.SelfAttribute("need.hub")
    policy = factory.LazyAttribute(lambda o: o.hub.policies.order_by("-version").first())
    reference = factory.Sequence(lambda n: f"REF-{n:04d}")
    title = factory.Sequence(lambda n: f"Commission {n}")
    created_by = factory.SubFactory(UserFactory)


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    commission = factory.SubFactory(CommissionFactory)
    hub = factory.SelfAttribute("commission.hub")
    partner = factory.SubFactory(PartnerFactory, hub=factory.SelfAttribute("..hub"))
    summary = "We will run inclusive ensembles."
    total_cost = Decimal(10000)
    hub_grant_requested = Decimal(5000)
    other_funding = Decimal(5000)
    status = ProposalStatus.SUBMITTED


# ── notices: notifications (activity feed) ───────────────────────────────────


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notices.Notification"

    hub = factory.SubFactory(HubFactory)
    user = factory.SubFactory(UserFactory)
    kind = "commission_move"
    subject = factory.Sequence(lambda n: f"Something happened ({n})")
    body = "A commission moved on."


# ── oversight: Hub grant allocations ─────────────────────────────────────────


class HubAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "oversight.HubAllocation"

    hub = factory.SubFactory(HubFactory)
    year = "2025/26"
    amount = Decimal(100000)


# ── agreements: partnership agreements and their instalments ────────────────
# Rows only: for an agreement with a genuine history (versions, moves,
# signatures) walk a commission through the demo Pipeline instead.


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "agreements.Agreement"

    commission = factory.SubFactory(CommissionFactory)
    hub = factory.SelfAttribute("commission.hub")
    period_number = 1
    starts_on = date(2025, 9, 1)
    ends_on = date(2026, 8, 31)
    created_by = factory.SubFactory(UserFactory)


class InstalmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "agreements.Instalment"

    agreement = factory.SubFactory(AgreementFactory)
    position = factory.Sequence(lambda n: n + 1)
    percent = Decimal(100)
    milestone = "signature"


# ── accounts: invitations ────────────────────────────────────────────────────
# An open invitation whose link's token is `token` (the row keeps only its
# hash). To test what inviting does, call accounts.invitations.services.


def _invitation_token_hash(o) -> str:
    from accounts.invitations.rules import token_hash

    return token_hash(o.token)


def _a_week_from_now():
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(days=7)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.Invitation"
        exclude = ("token",)

    hub = factory.SubFactory(HubFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = "board_member"
    invited_by = factory.SubFactory(UserFactory, is_superuser=True)
    token = factory.Sequence(lambda n: f"test-invitation-token-{n}")
    token_hash = factory.LazyAttribute(_invitation_token_hash)
    expires_at = factory.LazyFunction(_a_week_from_now)


def policy_through_its_route(policy, *, proposer, effective_from=None):
    """Put a draft policy version in force the way a hub does: the hub admin
    opens it, every member of the comment step comments (closing the window
    early), and enough members of each decide step of the route of the
    version in force approve it (hubs.policy_life.services)."""
    from django.utils import timezone

    from hubs.policy_life import services
    from hubs.policy_life.selectors import approval_of
    from hubs.routes import members_of

    services.policy_open_for_comment(policy=policy, user=proposer)
    approval = approval_of(policy)
    if approval.comment is not None:
        for member in members_of(approval.comment, approval.subject):
            services.policy_comment_add(policy=policy, user=member, body="Content with it.")
    while (awaited := approval_of(policy).awaited) is not None:
        _, step = awaited
        done = {d.actor_id for d in approval_of(policy).this_round}
        member = members_of(step, approval.subject).exclude(pk__in=done | {proposer.pk}).first()
        assert member is not None, f"no one left in {step.body_name} to approve"
        services.policy_decide(
            policy=policy,
            user=member,
            outcome="approve",
            effective_from=effective_from or timezone.localdate(),
        )
        policy.refresh_from_db()
        if policy.status == "approved":
            break
    policy.refresh_from_db()
    return policy


# ── commissioning: joint bids (co-applicants) ────────────────────────────────
# A row only, confirmed or not: to test what naming and confirming do, call
# commissioning.joint (tests/commissioning/test_joint.py has the helpers).


class ProposalPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commissioning.ProposalPartner"

    proposal = factory.SubFactory(ProposalFactory)
    partner = factory.SubFactory(PartnerFactory, hub=factory.SelfAttribute("..proposal.hub"))
    role_in_bid = "The weekly sessions"
    share_of_activity = Decimal(40)
    share_of_budget = Decimal(1000)
    added_by = factory.SubFactory(UserFactory)


# ── compliance: safeguarding and insurance records, policy requirements ─────
# Rows only, as verified records: to test adding or verifying one (its gate,
# its document's checks), call compliance.services.


def _now():
    from django.utils import timezone

    return timezone.now()


class ComplianceRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compliance.ComplianceRecord"

    partner = factory.SubFactory(PartnerFactory)
    hub = factory.LazyAttribute(lambda o: o.partner.hub)
    kind = "public_liability"
    insurer = "Hiscox"
    cover_amount = Decimal(5_000_000)
    valid_from = date(2025, 9, 1)
    expires_on = date(2026, 8, 31)
    added_by = factory.SubFactory(UserFactory)
    added_at = factory.LazyFunction(_now)
    verified_by = factory.LazyAttribute(lambda o: o.added_by)
    verified_at = factory.LazyAttribute(lambda o: o.added_at)


class ComplianceRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compliance.ComplianceRequirement"

    policy = factory.SubFactory(HubPolicyFactory)
    kind = "public_liability"
    before_award = True
    before_signature = False


# ── Contract management (contracts: KPIs per agreement, the risk register) ──
KPI_ROWS = [
    ("participant_satisfaction", "Players rating sessions good or better", 90, "termly"),
    ("learning_outcomes", "Players moving up a grade in the year", 75, "annually"),
]


def kpis_agreed(agreement, user, rows=KPI_ROWS) -> list:
    """KPIs agreed with a draft agreement, through the service."""
    from contracts import services

    return [
        services.kpi_add(
            agreement=agreement,
            user=user,
            measure=measure,
            description=description,
            target=Decimal(target),
            frequency=frequency,
        )
        for measure, description, target, frequency in rows
    ]


def risk_raised(commission, user, **overrides):
    """A risk on the commission's register, through the service: 4 x 4 unless told."""
    from datetime import timedelta

    from django.utils import timezone

    from contracts import services

    fields = {
        "title": "Too few specialist tutors",
        "likelihood": 4,
        "impact": 4,
        "owner": "Head of ensembles",
        "mitigation": "Recruit through the county network.",
        "review_on": timezone.localdate() + timedelta(days=30),
    }
    return services.risk_raise(commission=commission, user=user, **(fields | overrides))


# ── Variations of a signed agreement, revenue and capital, the commission's record (tag v) ──


def signed_agreement(pipeline, cast, title: str = "A partnership to vary"):
    """A live partnership's signed first agreement, walked through the real
    services (identify, award, board and approval, both signatures)."""
    from agreements.models import Agreement

    p = pipeline(cast)
    c = p._open(title)
    for step in ("identify", "award", "to_approval", "approve", "sign"):
        getattr(p, step)(c)
    agreement = Agreement.objects.select_related("commission__hub", "commission__policy").get(
        commission=c, period_number=1
    )
    return agreement


def variation_change(**changes):
    """A proposed change: a reason and whatever else is given."""
    from agreements.rules_variations import Change

    return Change(**{"reason": "The venue moved; the sessions follow it.", **changes})


# ── partner directory: introductory meetings and notes ──────────────────────
# Rows only: to test asking for or recording a meeting (its rules, what it
# sets on the partner), call partners.meetings.


class IntroductoryMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.IntroductoryMeeting"

    partner = factory.SubFactory(PartnerFactory)
    hub = factory.SelfAttribute("partner.hub")
    origin = "requested"
    request_note = "Weekday afternoons suit us."


class PartnerNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.PartnerNote"

    partner = factory.SubFactory(PartnerFactory)
    hub = factory.SelfAttribute("partner.hub")
    text = factory.Sequence(lambda n: f"Note {n} on the partner.")


# ── procurement: council rules and a commission's procurement record (tag e) ──


def procurement_rules(hub, name, bands, *, effective_from=None, effective_to=None):
    """A hub's council procurement rules, with bands given as
    (from £, below £ or None, route needed[, applies to])."""
    from datetime import date
    from decimal import Decimal

    from procurement.models import ProcurementRules, ValueBand

    rules = ProcurementRules.objects.create(
        hub=hub,
        name=name,
        effective_from=effective_from or date(2025, 1, 1),
        effective_to=effective_to,
    )
    for band in bands:
        low, high, route, *applies = band
        ValueBand.objects.create(
            rules=rules,
            from_value=Decimal(low),
            below_value=None if high is None else Decimal(high),
            route_needed=route,
            applies_to=applies[0] if applies else "both",
        )
    return rules


HERTS_BANDS = [(0, 5000, "one_quote"), (5000, 25000, "three_quotes"), (25000, None, "open_tender")]
LEICS_BANDS = [
    (0, 10000, "one_quote"),
    (10000, 100000, "three_quotes"),
    (100000, None, "open_tender"),
]


# ── registration: newcomers and invitations to respond to a call ────────────
# A person who registered themself and followed the link (their address is
# verified); a call invitation whose link's token is `token`. To test what
# registering or inviting does, call accounts.registration.services,
# partners.registration.services and commissioning.calls.invitations.


def newcomer(email: str, first_name: str = "Nia", last_name: str = "Okonkwo"):
    from allauth.account.models import EmailAddress

    user = UserFactory(username=email, first_name=first_name, last_name=last_name)
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


class CallInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commissioning.CallInvitation"
        exclude = ("token",)

    hub = factory.SelfAttribute("call.hub")
    email = factory.Sequence(lambda n: f"outreach{n}@example.org")
    token = factory.Sequence(lambda n: f"test-call-invitation-token-{n}")
    token_hash = factory.LazyAttribute(_invitation_token_hash)
    expires_at = factory.LazyFunction(_a_week_from_now)
