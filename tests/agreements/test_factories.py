"""The agreement factories build rows that hold together."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agreements.payments import values
from tests.factories import (
    AgreementFactory,
    CommissionFactory,
    HubPolicyFactory,
    InstalmentFactory,
    NeedFactory,
)

pytestmark = pytest.mark.django_db


def test_an_instalment_belongs_to_an_agreement_of_the_commissions_hub():
    policy = HubPolicyFactory()
    commission = CommissionFactory(
        need=NeedFactory(analysis__hub=policy.hub), hub_grant_amount=Decimal(900)
    )
    instalment = InstalmentFactory(agreement=AgreementFactory(commission=commission))
    agreement = instalment.agreement
    assert agreement.hub == commission.hub == policy.hub
    assert values([instalment], agreement.grant_amount) == [Decimal("900.00")]
