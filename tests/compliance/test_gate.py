"""The gate: where a hub's policy requires a record before the award or the
signature, the award (a direct award, or a call's) and the signatures are
refused in words naming the missing item, and go through once a verified,
in-date record is added. The policy text names the rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Commission
from commissioning.policy_text import DESCRIPTIONS
from commissioning.workflow import Stage
from compliance import services as svc
from compliance.requirements import requirements_of
from compliance.rules import compliance_refusal
from hubs.models import HubPolicy
from hubs.refusals import Refused
from hubs.services import policy_revise
from tests.auth_helpers import sign_in
from tests.factories import ComplianceRecordFactory, ComplianceRequirementFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def _kent(build, pipeline, **requirement):
    cast = build("kent")
    policy = cast.hub.policies.get()
    ComplianceRequirementFactory(policy=policy, **requirement)
    return cast, pipeline(cast)


def _identified(p, title: str) -> Commission:
    c = p._open(title)
    p.identify(c)
    return Commission.objects.select_related("hub", "policy").get(pk=c.pk)


def _insure(cast, partner, *, expires_on, verify=True):
    today = timezone.localdate()
    record = svc.record_add(
        partner=partner,
        user=cast.officer,
        kind="public_liability",
        valid_from=today - timedelta(days=200),
        expires_on=expires_on,
        insurer="Hiscox",
        cover_amount=5_000_000,
        document=SimpleUploadedFile("schedule.pdf", PDF),
    )
    if verify:
        svc.record_verify(record=record, user=cast.officer)
    return record


def test_an_award_is_refused_while_the_insurance_has_expired(build, pipeline):
    cast, p = _kent(build, pipeline)
    partner = p._plan()["partner"]
    lapsed = timezone.localdate() - timedelta(days=3)
    _insure(cast, partner, expires_on=lapsed)
    c = _identified(p, "Strings")

    with pytest.raises(Refused) as info:
        p.award(c)

    assert info.value.rule == "compliance_required"
    assert info.value.field == "partner"
    assert partner.name == "Medway Youth Strings"
    assert str(info.value) == (
        f"Medway Youth Strings' public liability insurance expired on {lapsed:%-d %B %Y}: "
        "add a verified record before the award."
    )
    assert Commission.objects.get(pk=c.pk).status == Stage.IDENTIFY


def test_the_award_goes_through_once_a_verified_record_is_added(build, pipeline):
    cast, p = _kent(build, pipeline)
    partner = p._plan()["partner"]
    _insure(cast, partner, expires_on=timezone.localdate() - timedelta(days=3))
    c = _identified(p, "Strings")
    waiting = _insure(cast, partner, expires_on=date(2099, 1, 1), verify=False)

    with pytest.raises(Refused) as info:
        p.award(c)
    assert "waiting for HLO staff to verify it" in str(info.value)

    svc.record_verify(record=waiting, user=cast.officer)
    p.award(c)
    assert Commission.objects.get(pk=c.pk).status == Stage.DRAFT


def test_no_record_at_all_is_named(build, pipeline):
    _cast, p = _kent(build, pipeline)
    c = _identified(p, "Strings")
    with pytest.raises(Refused) as info:
        p.award(c)
    partner = p._plan()["partner"]
    assert str(info.value) == (
        f"{partner.name} has no record of its public liability insurance: add a verified "
        "record before the award."
    )


def test_a_policy_without_the_requirement_awards_as_before(build, pipeline):
    cast = build("kent")
    p = pipeline(cast)
    c = _identified(p, "Strings")
    p.award(c)
    assert Commission.objects.get(pk=c.pk).status == Stage.DRAFT


def test_an_award_from_a_calls_results_asks_the_same_rule(build, pipeline):
    """Leicestershire awards through an open call: the refusal sits beside
    the proposal chosen."""
    cast = build("leics")
    ComplianceRequirementFactory(policy=cast.hub.policies.get())
    p = pipeline(cast)
    c = p._open("Jazz")
    p.identify(c)
    with pytest.raises(Refused) as info:
        p.award(c)
    assert info.value.rule == "compliance_required"
    assert info.value.field == "proposal"
    for key in ("leicjazz", "bhangra"):
        _insure(cast, cast.partners[key], expires_on=date(2099, 1, 1))
    c2 = p._open("Jazz again")
    p.identify(c2)
    p.award(c2)
    assert Commission.objects.get(pk=c2.pk).status == Stage.DRAFT


def test_the_signature_is_refused_where_the_policy_requires_it(build, pipeline):
    cast, p = _kent(build, pipeline, before_award=False, before_signature=True)
    partner = p._plan()["partner"]
    c = _identified(p, "Strings")
    for step in (p.award, p.to_approval, p.approve):
        step(c)
    with pytest.raises(Refused) as info:
        p.sign(c)
    assert info.value.rule == "compliance_required"
    assert str(info.value).endswith("add a verified record before the agreement is signed.")
    _insure(cast, partner, expires_on=date(2099, 1, 1))
    p.sign(c)
    assert Commission.objects.get(pk=c.pk).status == Stage.MONITORING


def test_a_record_not_yet_in_force_on_the_day_is_refused(build):
    cast = build("kent")
    policy = cast.hub.policies.get()
    ComplianceRequirementFactory(policy=policy)
    partner = cast.partners["medway"]
    ComplianceRecordFactory(partner=partner, valid_from=date(2026, 4, 1), expires_on=None)
    refusal = compliance_refusal(partner, date(2026, 3, 1), "award", policy=policy)
    assert "starts on 1 April 2026" in refusal.message
    assert compliance_refusal(partner, date(2026, 4, 1), "award", policy=policy) is None


def test_a_new_policy_version_keeps_the_requirements(build):
    cast = build("kent")
    policy = cast.hub.policies.get()
    ComplianceRequirementFactory(policy=policy, before_signature=True)
    policy.title = "Next year's policy"
    draft = policy_revise(policy=policy, user=cast.admin)  # a new draft version
    assert draft.version == 2
    [copied] = requirements_of(HubPolicy.objects.get(pk=draft.pk))
    assert (copied.kind, copied.before_award, copied.before_signature) == (
        "public_liability",
        True,
        True,
    )


def test_the_policy_record_describes_both_rules():
    assert "compliance.rules.award_compliance" in DESCRIPTIONS
    assert "compliance.rules.signature_compliance" in DESCRIPTIONS


def test_the_commission_page_says_it_beside_the_partner(build, pipeline, client):
    cast, p = _kent(build, pipeline)
    c = _identified(p, "Strings")
    sign_in(client, cast.officer)
    url = reverse("commissioning:move", args=[cast.hub.slug, c.reference])
    partner = p._plan()["partner"]
    response = client.post(url, {"action": "award", "partner": partner.pk, "reason": "Kept."})
    assert response.status_code == 400
    [award] = [m for m in response.context["moves"] if m["name"] == "award"]
    assert award["form"].errors["partner"] == [
        "Medway Youth Strings has no record of its public liability insurance: add a verified "
        "record before the award."
    ]
    assert "Kept.</textarea>" in response.content.decode()


def test_the_agreement_page_tells_the_partner_what_is_missing(build, pipeline, client):
    cast, p = _kent(build, pipeline, before_award=False, before_signature=True)
    partner = p._plan()["partner"]
    c = _identified(p, "Strings")
    for step in (p.award, p.to_approval, p.approve):
        step(c)
    sign_in(client, cast.contacts[partner.pk])
    page = client.get(reverse("agreements:detail", args=[cast.hub.slug, c.reference, 1]))
    body = page.content.decode()
    assert "Review and sign the agreement" not in body
    assert (
        "Medway Youth Strings has no record of its public liability insurance: add a verified "
        "record before the agreement is signed."
    ) in body


def test_a_joint_bid_is_refused_until_every_partner_holds_the_record(build, pipeline):
    """The award checks the lead and each co-applicant (commissioning/joint.py)."""
    from tests.commissioning.test_joint import joint_award, joint_bid

    cast = build("consortium")
    ComplianceRequirementFactory(policy=cast.hub.policies.get())
    call, proposal, _ = joint_bid(cast, pipeline, "mtech", "earlyyears")
    _insure(cast, cast.partners["mtech"], expires_on=date(2099, 1, 1))

    with pytest.raises(Refused) as info:
        joint_award(cast, pipeline, call, proposal)
    assert info.value.field == "proposal"
    assert str(info.value).startswith("Tiny Tunes Early Years has no record of its public")

    _insure(cast, cast.partners["earlyyears"], expires_on=date(2099, 1, 1))
    joint_award(cast, pipeline, call, proposal)
    assert Commission.objects.get(pk=call.commission_id).status == Stage.DRAFT
