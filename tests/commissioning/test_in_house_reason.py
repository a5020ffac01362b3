"""Hertfordshire's optional requirement, on its own: where the policy asks,
the officer records why the HLO cannot deliver the work itself before a
partner is sought. Off for the five demo hubs (today's behaviour)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commissioning import services as cs
from commissioning.models import Commission
from commissioning.policy_text import rule_table
from commissioning.workflow import Stage
from hubs.models import HubPolicy
from hubs.refusals import Refused
from tests.auth_helpers import sign_in
from tests.conftest import POLICY_SLUGS

pytestmark = pytest.mark.django_db

FITS = "No existing partner fits."  # Hertfordshire approaches existing partners first
WHY = "We have no brass tutors in the north of the county."


def _asking(cast) -> None:
    HubPolicy.objects.filter(hub=cast.hub).update(in_house_reason_required=True)


def _needs(cast, pipeline):
    c = pipeline(cast)._open("Brass in the north")
    return Commission.objects.select_related("hub", "policy").get(pk=c.pk)


def test_a_partner_is_not_sought_until_the_reason_is_recorded(build, pipeline):
    cast = build("herts")
    _asking(cast)
    c = _needs(cast, pipeline)
    with pytest.raises(Refused) as info:
        cs.commission_begin_identification(
            commission=c, user=cast.officer, route="open_call", reason=FITS, in_house_reason="  "
        )
    assert info.value.rule == "in_house_reason_required"
    assert info.value.refusal.field == "in_house_reason"
    assert "why the HLO cannot deliver this itself" in str(info.value)
    cs.commission_begin_identification(
        commission=c, user=cast.officer, route="open_call", reason=FITS, in_house_reason=WHY
    )
    c.refresh_from_db()
    assert c.status == Stage.IDENTIFY and c.in_house_reason == WHY


def test_the_page_asks_for_it_and_keeps_what_was_typed(build, pipeline, client):
    cast = build("herts")
    _asking(cast)
    c = _needs(cast, pipeline)
    sign_in(client, cast.officer)
    page = client.get(reverse("commissioning:detail", args=[cast.hub.slug, c.reference]))
    assert "Why the HLO cannot deliver this itself" in page.content.decode()
    url = reverse("commissioning:move", args=[cast.hub.slug, c.reference])
    response = client.post(
        url, {"action": "begin_identification", "route": "open_call", "reason": FITS}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "policy asks why the HLO cannot deliver this itself" in body
    assert f"{FITS}</textarea>" in body
    response = client.post(
        url,
        {
            "action": "begin_identification",
            "route": "open_call",
            "reason": FITS,
            "in_house_reason": WHY,
        },
    )
    assert response.status_code == 302
    detail = client.get(reverse("commissioning:detail", args=[cast.hub.slug, c.reference]))
    assert WHY in detail.content.decode()


@pytest.mark.parametrize("slug", POLICY_SLUGS)
def test_the_five_hubs_do_not_ask_it_today(build, pipeline, slug):
    cast = build(slug)
    c = _needs(cast, pipeline)
    assert not c.policy.in_house_reason_required
    pipeline(cast).identify(c)
    assert Commission.objects.get(pk=c.pk).status == Stage.IDENTIFY


def test_the_policy_text_says_it_where_the_policy_asks(build):
    cast = build("herts")
    policy = cast.hub.policies.get()
    said = " ".join(" ".join(row.rules) for row in rule_table(policy))
    assert "cannot deliver the work itself" not in said
    policy.in_house_reason_required = True
    said = " ".join(" ".join(row.rules) for row in rule_table(policy))
    assert "Why the HLO cannot deliver the work itself is recorded" in said
