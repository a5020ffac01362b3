"""A joint partnership's agreement: every partner signs, each co-applicant by
its own contact on its own page, and the HLO countersigns only then; the
co-applicant's contacts see the agreement, another hub's people get a 404,
and the PDF, the page and the instalments carry every partner."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from agreements import selectors as sel
from agreements.joint_rules import co_sign_refusal
from agreements.joint_signing import agreement_co_sign
from agreements.models import Agreement, AgreementStatus, CoSignature
from agreements.pdf import agreement_pdf_context
from agreements.rules import countersign_refusal
from commissioning import joint
from commissioning.selectors import commission_for
from commissioning.workflow import Stage
from demo import agreements_demo
from hubs.access import _read_standing
from hubs.refusals import Refused
from tests.auth_helpers import sign_in
from tests.commissioning.test_joint import joint_award, joint_bid

pytestmark = pytest.mark.django_db

SIGNED = {"full_name": "Ada Lovelace", "role_title": "Director", "consent": True}


def issued(cast, pipeline, lead="mtech", co="earlyyears", declaration="") -> Agreement:
    """A joint bid awarded, its agreement drafted, approved and issued."""
    call, proposal, _ = joint_bid(cast, pipeline, lead, co)
    joint_award(cast, pipeline, call, proposal, declaration)
    c = call.commission
    p = pipeline(cast)
    agreements_demo.draft(cast, c, p._officer())
    p.to_approval(c)
    p.approve(c)
    return Agreement.objects.select_related("commission", "hub").get(commission=c)


def co_sign(agreement, cast, key="earlyyears", **given):
    return agreement_co_sign(
        agreement=agreement,
        user=cast.contacts[cast.partners[key].pk],
        render_pdf=False,
        **(SIGNED | given),
    )


def test_both_partners_sign_then_the_hlo_countersigns_and_the_partnership_begins(build, pipeline):
    cast = build("consortium")
    agreement = issued(cast, pipeline)
    agreements_demo.partner_signs(cast, agreement.commission)
    agreement.refresh_from_db()
    refusal = countersign_refusal(agreement, cast.officer)
    assert refusal.rule == "co_applicants_sign_first" and refusal.waits
    assert "Tiny Tunes Early Years must sign too" in refusal.message
    with pytest.raises(Refused) as caught:
        agreements_demo.countersigns(cast, agreement.commission)
    assert caught.value.rule == "co_applicants_sign_first"

    signature = co_sign(agreement, cast)
    assert signature.partner == cast.partners["earlyyears"]
    assert len(signature.content_digest) == 64
    agreements_demo.countersigns(cast, agreement.commission)
    agreement.refresh_from_db()
    agreement.commission.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.commission.status == Stage.MONITORING


def test_a_co_applicant_may_sign_before_the_lead(build, pipeline):
    cast = build("consortium")
    agreement = issued(cast, pipeline)
    co_sign(agreement, cast)
    agreements_demo.sign(cast, agreement.commission)  # the lead signs, the HLO countersigns
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED


def test_who_may_co_sign_and_when(build, pipeline):
    cast = build("consortium")
    call, proposal, _ = joint_bid(cast, pipeline, "mtech", "earlyyears")
    joint_award(cast, pipeline, call, proposal)
    c = call.commission
    agreements_demo.draft(cast, c, pipeline(cast)._officer())
    agreement = Agreement.objects.get(commission=c)
    co_contact = cast.contacts[cast.partners["earlyyears"].pk]
    assert co_sign_refusal(agreement, co_contact).rule == "agreement_not_issued"  # a draft
    p = pipeline(cast)
    p.to_approval(c)
    p.approve(c)
    agreement.refresh_from_db()
    lead_contact = cast.contacts[cast.partners["mtech"].pk]
    assert co_sign_refusal(agreement, lead_contact).rule == "co_signatory_only"
    assert co_sign_refusal(agreement, cast.officer).is_role
    assert co_sign_refusal(agreement, co_contact) is None
    given = co_sign_refusal(agreement, co_contact, full_name=" ", role_title="x", consent=True)
    assert (given.rule, given.field) == ("name_required", "full_name")
    with pytest.raises(Refused) as caught:
        co_sign(agreement, cast, consent=False)
    assert caught.value.field == "consent"
    co_sign(agreement, cast)
    with pytest.raises(Refused) as caught:
        co_sign(agreement, cast)
    assert caught.value.rule == "already_signed"
    assert CoSignature.objects.filter(agreement=agreement).count() == 1


def test_the_co_applicants_contact_sees_the_partnership_and_another_hubs_gets_404(build, pipeline):
    cast, herts = build("consortium"), build("herts")
    agreement = issued(cast, pipeline)
    c = agreement.commission
    co_contact = cast.contacts[cast.partners["earlyyears"].pk]
    access = _read_standing(cast.hub, co_contact)
    assert commission_for(access, c.reference) == c
    assert sel.may_see(access, agreement)
    assert agreement in Agreement.objects.filter(sel.may_see_q(access))
    other = cast.contacts[cast.partners["uni"].pk]  # a partner of the hub, not in the bid
    with pytest.raises(Http404):
        commission_for(_read_standing(cast.hub, other), c.reference)

    client = Client()
    sign_in(client, co_contact)
    args = [cast.hub.slug, c.reference, 1]
    assert client.get(reverse("agreements:detail", args=args)).status_code == 200
    page = client.get(reverse("agreements:co_sign", args=args))
    assert page.status_code == 200
    assert b"Sign the partnership agreement for Tiny Tunes Early Years" in page.content
    outsider = Client()
    sign_in(outsider, herts.officer)
    assert outsider.get(reverse("agreements:co_sign", args=args)).status_code == 404
    lead = Client()
    sign_in(lead, cast.contacts[cast.partners["mtech"].pk])
    assert lead.get(reverse("agreements:co_sign", args=args)).status_code == 403


def test_the_signing_page_keeps_what_was_typed_and_says_what_is_missing(build, pipeline):
    cast = build("consortium")
    agreement = issued(cast, pipeline)
    client = Client()
    sign_in(client, cast.contacts[cast.partners["earlyyears"].pk])
    url = reverse("agreements:co_sign", args=[cast.hub.slug, agreement.commission.reference, 1])
    response = client.post(url, {"full_name": "Ada Lovelace", "role_title": "Director"})
    assert response.status_code == 400
    assert b'value="Ada Lovelace"' in response.content
    assert b"error-summary" in response.content
    response = client.post(url, SIGNED | {"consent": "on"})
    assert response.status_code == 302
    assert CoSignature.objects.filter(agreement=agreement).exists()


def test_the_agreement_page_pdf_and_instalments_carry_every_partner(build, pipeline):
    cast = build("consortium")
    agreement = issued(cast, pipeline)
    co_sign(agreement, cast)
    context = agreement_pdf_context(agreement)
    assert [cp.partner.name for cp in context["joint_partners"]] == [
        "Circuit Music Tech",
        "Tiny Tunes Early Years",
    ]
    assert [s.partner.name for s in context["co_signatures"]] == ["Tiny Tunes Early Years"]
    partners = joint.partners_of(agreement.commission)
    for instalment in agreement.instalments.all():
        value = instalment.value_of(agreement.grant_amount)
        parts = joint.split(value, partners, agreement.grant_amount)
        assert sum(part for _, part in parts) == value
        assert parts[1][1] == (value * 2 / 5).quantize(Decimal("0.01"))
    client = Client()
    sign_in(client, cast.officer)
    page = client.get(
        reverse("agreements:detail", args=[cast.hub.slug, agreement.commission.reference, 1])
    )
    assert b"A joint partnership" in page.content
    assert b"Each instalment shared between the partners" in page.content
