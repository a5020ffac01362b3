"""The agreement page on a hub whose award routes differ by value (issue 14's
sixth hub): its buttons name the bodies of the agreement's own route, and an
approver who has approved, where two must, is told the agreement waits for
the other, is not offered approval again, and is refused in words if she
tries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commissioning import services as cs
from commissioning.workflow import Stage
from hubs.models import Role
from hubs.services import membership_grant
from tests.auth_helpers import sign_in
from tests.factories import UserFactory
from tests.hubs.test_decision_routes import banded_awards, drafted

pytestmark = pytest.mark.django_db

WAITS = (
    "You have approved this already; 1 more of the approvers must approve before it moves "
    "on (1 of 2 so far)."
)


def detail(c) -> str:
    return reverse("agreements:detail", args=[c.hub.slug, c.reference, 1])


def decide(c) -> str:
    return reverse("agreements:decide", args=[c.hub.slug, c.reference, 1])


@pytest.fixture
def kent(build):
    cast = build("kent")
    banded_awards(cast.hub.policies.get())
    return cast


@pytest.mark.parametrize(
    ("grant", "submit"),
    [("5000", "Submit the draft to the HLO staff"), ("20000", "Submit the draft to the approvers")],
)
def test_the_officer_s_buttons_name_the_route_for_the_agreement_s_value(
    client, kent, pipeline, grant, submit
):
    c = drafted(pipeline, kent, grant)
    sign_in(client, kent.officer)
    page = client.get(detail(c)).content.decode()
    assert submit in page
    assert ("Send the draft to the Hub board for comment" in page) == (grant == "20000")


def test_an_approver_who_has_approved_is_told_it_waits_for_the_other(client, kent, pipeline):
    second = UserFactory(email="second.approver@kent.example")
    membership_grant(hub=kent.hub, user=second, role=Role.APPROVER)
    c = drafted(pipeline, kent, "20000")
    cs.commission_submit_for_approval(commission=c, user=kent.officer)
    sign_in(client, kent.approver)

    answer = client.post(decide(c), {"decision": "approve", "reason": ""}, follow=True)
    page = answer.content.decode()
    assert "Your approval is recorded; the agreement still awaits approval." in page
    assert WAITS in page
    assert 'value="approve"' not in page, "her approval is not offered again"
    c.refresh_from_db()
    assert c.status == Stage.APPROVAL

    again = client.post(decide(c), {"decision": "approve", "reason": ""})
    assert again.status_code == 400
    assert WAITS in again.content.decode()

    sign_in(client, second)
    answer = client.post(decide(c), {"decision": "approve", "reason": ""}, follow=True)
    assert "Done. The agreement is now: Issued for signature." in answer.content.decode()
    c.refresh_from_db()
    assert c.status == Stage.ISSUED
