"""A co-applicant's own signature asks the compliance gate for its own
organisation, as the lead's signature does: where the hub's policy requires
valid records before a signature, the co-applicant's page and its service
refuse in words naming the missing item, and it signs once a verified,
in-date record of its own is added (the lead's are the lead's signature's)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.joint_rules import co_sign_refusal
from agreements.models import CoSignature
from hubs.refusals import Refused
from tests.agreements.test_joint_signing import co_sign, issued
from tests.auth_helpers import sign_in
from tests.factories import ComplianceRecordFactory, ComplianceRequirementFactory

pytestmark = pytest.mark.django_db


def test_a_co_applicant_signs_only_with_the_records_the_policy_requires(build, pipeline):
    cast = build("consortium")
    agreement = issued(cast, pipeline)
    co = cast.partners["earlyyears"]
    ComplianceRequirementFactory(
        policy=agreement.commission.policy, before_award=False, before_signature=True
    )
    today = timezone.localdate()
    in_date = {"valid_from": today - timedelta(days=30), "expires_on": today + timedelta(days=300)}
    lapsed = today - timedelta(days=5)
    ComplianceRecordFactory(partner=co, valid_from=today - timedelta(days=370), expires_on=lapsed)
    contact = cast.contacts[co.pk]

    refusal = co_sign_refusal(agreement, contact)
    assert refusal.rule == "compliance_required"
    assert refusal.message == (
        f"Tiny Tunes Early Years' public liability insurance expired on {lapsed:%-d %B %Y}: "
        "add a verified record before the agreement is signed."
    )
    with pytest.raises(Refused) as caught:
        co_sign(agreement, cast)
    assert caught.value.rule == "compliance_required"
    assert not CoSignature.objects.filter(agreement=agreement).exists()

    client = Client()
    sign_in(client, contact)
    url_args = [cast.hub.slug, agreement.commission.reference, 1]
    url = reverse("agreements:co_sign", args=url_args)
    page = client.get(url)
    assert page.status_code == 200
    assert b"Tiny Tunes Early Years&#x27; public liability insurance expired" in page.content
    assert b"Sign the agreement for" not in page.content
    detail = client.get(reverse("agreements:detail", args=url_args)).content
    assert b"Tiny Tunes Early Years&#x27; public liability insurance expired" in detail
    assert b"Review and sign the agreement as a co-applicant" not in detail

    # Its own organisation's records are asked, not the lead's (which has none).
    ComplianceRecordFactory(partner=co, **in_date)
    assert co_sign_refusal(agreement, contact) is None
    assert co_sign(agreement, cast).partner == co
