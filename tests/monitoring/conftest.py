from __future__ import annotations

import pytest

from commissioning.models import Commission
from commissioning.workflow import Stage


@pytest.fixture
def live(build, pipeline):
    """`cast, commission = live("herts")`: a hub built as the demo builds it
    and one commission walked through the real services until it is signed."""

    def _live(slug: str, title: str = "Inclusive ensembles") -> tuple:
        cast = build(slug)
        p = pipeline(cast)
        commission = p._open(title)
        for step in (p.identify, p.award, p.to_approval, p.approve, p.sign):
            step(commission)
        commission = Commission.objects.select_related("hub", "policy", "partner").get(
            pk=commission.pk
        )
        assert commission.status == Stage.MONITORING
        return cast, commission

    return _live


def officer_of(cast, commission):
    """Who runs this commission: the service lead in BLMK, else HLO staff."""
    if commission.service_area_id:
        return cast.leads[commission.service_area.name]
    return cast.officer


def contact_of(cast, commission):
    return cast.contacts[commission.partner_id]
