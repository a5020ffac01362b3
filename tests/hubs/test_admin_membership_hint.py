"""A hub admin adding a role for someone without an account is pointed to
invitations (which they can send themselves), not to a site administrator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hubs.models import Hub, Membership, Role
from hubs.services import membership_grant
from tests.auth_helpers import sign_in
from tests.factories import HubPolicyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def avon() -> Hub:
    hub = Hub.objects.create(name="Avon", slug="avon", hlo_name="Avon Music")
    HubPolicyFactory(hub=hub)
    return hub


@pytest.fixture
def colleague(django_user_model, avon):
    user = django_user_model.objects.create_user(
        username="cora", email="cora@example.org", password="a long enough password"
    )
    membership_grant(hub=avon, user=user, role=Role.HUB_ADMIN)
    return user


def test_an_unknown_email_is_refused_beside_the_field_with_the_way_to_invite(
    client,
    avon,
    colleague,
):
    sign_in(client, colleague)

    response = client.post(
        reverse("admin:hubs_membership_add"),
        {"hub": avon.pk, "user": "new.person@example.org", "role": Role.BOARD_MEMBER},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["user"]
    assert errors == [
        "No one has an account with that email address yet: invite them instead "
        "(Invitations, Add invitation); the role is given when they accept."
    ]
    assert "site administrator" not in errors[0]
    assert not Membership.objects.filter(hub=avon, role=Role.BOARD_MEMBER).exists()
    # What was typed is still there.
    assert 'value="new.person@example.org"' in response.content.decode()
