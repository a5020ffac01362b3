"""Grounds for decommissioning come from the commission's policy's list: the
five hubs keep today's nine, and a hub that adds its own ("Repeated failure
to meet branding guidelines") sees it in the review's form, may recommend on
it, and reads it on the review's and the commission's pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from commissioning.models import Commission
from commissioning.workflow import Stage
from hubs.grounds import DecommissionGrounds, Ground, GroundKind
from hubs.refusals import Refused
from monitoring import services as svc
from tests.auth_helpers import sign_in
from tests.conftest import POLICY_SLUGS

pytestmark = pytest.mark.django_db

BRANDING = "Negative: repeated failure to meet branding guidelines"


def _client(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _review(cast, c):
    return svc.review_open(commission=c, user=cast.officer, trigger="targets", findings="Low.")


def _review_page(cast, c, review) -> str:
    url = reverse("monitoring:review", args=[c.hub.slug, review.pk])
    return _client(cast.officer).get(url).content.decode()


@pytest.mark.parametrize("slug", POLICY_SLUGS)
def test_the_five_hubs_offer_todays_eight_grounds_from_their_policy(live, slug):
    cast, c = live(slug)
    rows = list(Ground.objects.filter(policy=c.policy).values_list("key", "label"))
    assert rows == list(DecommissionGrounds.choices), "today's list, held as the policy's rows"
    page = _review_page(cast, c, _review(cast, c))
    for key, label in DecommissionGrounds.choices[:-1]:
        assert f'value="{key}"' in page and escape(label) in page
    assert 'value="safeguarding"' not in page, "termination is never a ground to recommend"


def test_a_hub_with_its_own_ground_sees_it_and_recommends_on_it(live):
    cast, c = live("herts")
    Ground.objects.create(policy=c.policy, key="branding", label=BRANDING, position=20)
    Ground.objects.filter(policy=c.policy, key="reputation").delete()
    review = _review(cast, c)
    page = _review_page(cast, c, review)
    assert 'value="branding"' in page and BRANDING in page
    assert 'value="reputation"' not in page

    with pytest.raises(Refused) as info:
        svc.review_recommend(review=review, user=cast.officer, grounds="reputation", reason="x")
    assert info.value.rule == "grounds_required"
    message = str(info.value)
    assert "repeated failure to meet branding guidelines" in message
    assert "reputational damage" not in message

    client = _client(cast.officer)
    url = reverse("monitoring:review_act", args=[c.hub.slug, review.pk])
    response = client.post(url, {"action": "recommend", "grounds": "reputation", "reason": "Bad"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose the grounds for decommissioning" in body and "Bad</textarea>" in body

    response = client.post(url, {"action": "recommend", "grounds": "branding", "reason": "Logos."})
    assert response.status_code == 302
    c = Commission.objects.get(pk=c.pk)
    assert c.status == Stage.DECOMMISSION_RECOMMENDED and c.decommission_grounds == "branding"
    page = _review_page(cast, c, review)
    assert f"<dt>Grounds</dt><dd>{BRANDING}</dd>" in page
    detail = client.get(reverse("commissioning:detail", args=[c.hub.slug, c.reference]))
    assert f"<dd>{BRANDING}</dd>" in detail.content.decode()


def test_another_hubs_list_is_not_this_hubs(live):
    cast, c = live("kent")
    _, other = live("leics", title="Other")
    Ground.objects.create(policy=other.policy, key="branding", label=BRANDING, position=20)
    review = _review(cast, c)
    assert BRANDING not in _review_page(cast, c, review)
    with pytest.raises(Refused) as info:
        svc.review_recommend(review=review, user=cast.officer, grounds="branding", reason="x")
    assert info.value.rule == "grounds_required"


def test_a_relabelled_ground_reads_in_the_hubs_words(live):
    cast, c = live("leics")
    review = _review(cast, c)
    svc.review_recommend(review=review, user=cast.officer, grounds="data_late", reason="Late.")
    Ground.objects.filter(policy=c.policy, key="data_late").update(
        label="Negative: termly surveys not returned"
    )
    assert "<dd>Negative: termly surveys not returned</dd>" in _review_page(cast, c, review)


def test_positive_grounds_are_the_lists_own(live):
    from hubs.grounds import is_positive

    _, c = live("kent")
    Ground.objects.create(
        policy=c.policy, key="merged", label="Positive: merged", kind=GroundKind.POSITIVE
    )
    assert is_positive(c.policy, "merged") and is_positive(c.policy, "objectives_met")
    assert not is_positive(c.policy, "quality")
