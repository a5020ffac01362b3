"""The demo's structured KPI variation: Kent's ensembles contract, its
places KPI changed by a signed variation after two rated quarters."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from contracts.models import Kpi
from contracts.selectors import kpis_in_force
from demo.contracts_demo import KENT
from tests import demo_db

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        demo_db.load_demo()
        yield
        demo_db.flush()


def test_kents_contract_has_a_signed_kpi_variation_and_the_old_target_keeps_its_ratings(demo):
    old = Kpi.objects.get(commission__title=KENT.title, measure="participants", replaces=None)
    new = old.replaced_by.get()
    assert (old.target, new.target, new.frequency) == (Decimal(80), Decimal(70), "quarterly")
    assert old.ratings.count() == 2 and not new.ratings.exists()
    assert new in kpis_in_force(old.commission) and old not in kpis_in_force(old.commission)
    variation = old.agreement.variations.get()
    assert variation.status == "signed" and variation.kpi_plan[0]["kpi"] == old.pk
