"""An agreement's 'Scope and purpose' says what the partner will do, in the
commission's own description of the work, not by repeating its title."""

from __future__ import annotations

import pytest

from agreements.models import Agreement
from commissioning.models import Need

pytestmark = pytest.mark.django_db

WORK = "Weekly inclusive ensembles in Stevenage and Hitchin, with a concert each term"


def drafted(build, pipeline, slug: str, **opened) -> Agreement:
    cast = build(slug)
    p = pipeline(cast)
    c = p._open("Inclusive ensembles 2026", **opened)
    p.identify(c)
    p.award(c)
    return Agreement.objects.get(commission=c)


def scope(agreement: Agreement) -> str:
    return next(s["body"] for s in agreement.sections if s["key"] == "scope")


def test_the_scope_is_the_commissions_description_of_the_work(build, pipeline):
    agreement = drafted(build, pipeline, "herts", description=WORK)

    text = scope(agreement)

    assert f"{WORK}." in text  # a whole sentence
    assert "deliver Inclusive ensembles 2026" not in text
    assert text.startswith("Soundwaves SEND Music will deliver this work for Hertfordshire")
    assert agreement.commission.need.title in text


def test_without_a_description_the_scope_is_the_needs(build, pipeline):
    cast = build("kent")
    need = pipeline(cast)._need(None)
    Need.objects.filter(pk=need.pk).update(description="Schools ask for more string groups.")
    agreement = drafted(build, pipeline, "kent", description=" ")

    assert "Schools ask for more string groups." in scope(agreement)


def test_a_strategic_partnership_names_what_it_covers(build, pipeline):
    cast = build("leics")
    cast.partners["leicjazz"].partnership_type = "strategic"
    cast.partners["leicjazz"].save()
    agreement = drafted(build, pipeline, "leics", description=WORK)

    text = scope(agreement)

    assert "as a strategic partner" in text and f"{WORK}." in text
