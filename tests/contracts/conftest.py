from __future__ import annotations

import pytest

from commissioning.models import Commission
from commissioning.workflow import Stage
from tests.factories import kpis_agreed
from tests.monitoring.conftest import contact_of, live, officer_of  # noqa: F401


@pytest.fixture
def drafted(build, pipeline):
    """`cast, commission, pipeline = drafted("kent")`: awarded, its agreement a draft."""

    def _drafted(slug: str, title: str = "Ensembles against KPIs"):
        cast = build(slug)
        p = pipeline(cast)
        c = p._open(title)
        p.identify(c)
        p.award(c)
        return cast, Commission.objects.get(pk=c.pk), p

    return _drafted


@pytest.fixture
def with_kpis(drafted):
    """`cast, commission, kpis = with_kpis("kent")`: KPIs agreed with the
    draft, then approved and signed through the real services."""

    def _with_kpis(slug: str = "kent", title: str = "Ensembles against KPIs"):
        cast, c, p = drafted(slug, title)
        agreement = c.agreements.get(period_number=1)
        officer = officer_of(cast, c)
        kpis = kpis_agreed(agreement, officer)
        for step in (p.to_approval, p.approve, p.sign):
            step(c)
        c = Commission.objects.select_related("hub", "policy", "partner", "service_area").get(
            pk=c.pk
        )
        assert c.status == Stage.MONITORING
        return cast, c, kpis

    return _with_kpis
